"""Zalo Official Account channel for Rasa (registered in credentials.yml).

Webhook: POST /webhooks/zalo/webhook
  * X-ZEvent-Signature must be "mac=" + sha256(app_id + raw body + timestamp + OA secret key);
    a missing or wrong signature gets 401 and nothing is processed;
  * Zalo gets 200 at once; the message is handled in the background; retries of the
    same event (same msg_id) are answered once;
  * user_send_text goes to the assistant; other user_send_* events get a polite
    "please type"; anything else is acknowledged and ignored.
Replies: the customer-service endpoint (v3.0 /oa/message/cs, header access_token).
Buttons become a numbered list; typing the number sends the button's payload.
An expired token (error -216) is refreshed once through OAuth v4; the new, single-use
refresh token is stored atomically, one process refreshing at a time (file lock).
The free reply window is respected: at most 8 replies within 48 h of the user's
last message; a ninth is never sent.
Configuration (environment or .env): ZALO_APP_ID, ZALO_OA_SECRET_KEY, ZALO_APP_SECRET,
ZALO_ACCESS_TOKEN, ZALO_REFRESH_TOKEN, ZALO_TOKEN_FILE (default var/zalo_tokens.json).
"""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import json
import logging
import os
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

import httpx
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.common import ASK_TEXT, sender_id, split_text
from bot.channels.guard import admit
from bot.channels.turns import settle
from bot.tokens import same_secret

logger = logging.getLogger(__name__)
CHANNEL = "zalo"
API_BASE = "https://openapi.zalo.me"
OAUTH_BASE = "https://oauth.zaloapp.com"
TOKEN_EXPIRED = -216
FREE_REPLIES = 8
FREE_WINDOW_SECONDS = 48 * 3600
TEXT_LIMIT = 2000


def signature(app_id: str, body: bytes, timestamp: str, oa_secret_key: str) -> str:
    """The value Zalo puts in X-ZEvent-Signature for this event."""
    data = app_id.encode() + body + str(timestamp).encode() + oa_secret_key.encode()
    return "mac=" + hashlib.sha256(data).hexdigest()


def numbered(text: str, buttons: List[Dict[str, str]]) -> str:
    if not buttons:
        return text
    lines = [f"{i}. {b['title']}" for i, b in enumerate(buttons, 1)]
    return f"{text}\n" + "\n".join(lines) + "\n(Gõ số để chọn)"


def _field(body: Dict[str, Any], name: str) -> Dict[str, Any]:
    """body[name] when it is an object, else {} (a malformed event must not crash the handler)."""
    value = body.get(name)
    return value if isinstance(value, dict) else {}


class TokenStore:
    """The OA access/refresh tokens in a JSON file, replaced atomically, refreshed by one process at a time."""

    def __init__(self, path: Path, access_token: str = "", refresh_token: str = ""):
        self.path = path
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists() and (access_token or refresh_token):
            self._write({"access_token": access_token, "refresh_token": refresh_token, "updated_at": time.time()})

    def read(self) -> Dict[str, Any]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _write(self, data: Dict[str, Any]) -> None:
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)

    def refresh(self, used_access_token: str, fetch: Callable[[str], Dict[str, Any]]) -> str:
        """Exchange the refresh token for new tokens, unless another process already did."""
        with open(self.path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            current = self.read()
            if current.get("access_token") and current["access_token"] != used_access_token:
                return current["access_token"]  # refreshed meanwhile by someone else
            fresh = fetch(current.get("refresh_token", ""))
            self._write({"access_token": fresh["access_token"], "refresh_token": fresh["refresh_token"],
                         "updated_at": time.time()})
            logger.info("zalo: access token refreshed")
            return fresh["access_token"]


class ReplyWindow:
    """Counts replies since each user's last message (Zalo's free customer-service window)."""

    def __init__(self, limit: int = FREE_REPLIES, seconds: float = FREE_WINDOW_SECONDS, clock=time.time):
        self.limit, self.seconds, self.clock = limit, seconds, clock
        self._users: Dict[str, Tuple[float, int]] = {}

    def user_wrote(self, user: str) -> None:
        self._users[user] = (self.clock(), 0)

    def take(self, user: str) -> bool:
        """True if one more reply may be sent now (and counts it)."""
        last, sent = self._users.get(user, (0.0, self.limit))
        if sent >= self.limit or self.clock() - last > self.seconds:
            return False
        self._users[user] = (last, sent + 1)
        return True


class RecentIds:
    def __init__(self, capacity: int = 50000):
        self.capacity = capacity
        self._ids: "OrderedDict[str, None]" = OrderedDict()

    def seen(self, key: str) -> bool:
        """True if `key` was seen before; remembers it."""
        if key in self._ids:
            return True
        self._ids[key] = None
        if len(self._ids) > self.capacity:
            self._ids.popitem(last=False)
        return False


class ZaloInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "ZaloInput":
        c = credentials or {}
        env = os.environ.get
        root = Path(__file__).resolve().parents[2]
        return cls(
            app_id=c.get("app_id") or env("ZALO_APP_ID", ""),
            oa_secret_key=c.get("oa_secret_key") or env("ZALO_OA_SECRET_KEY", ""),
            app_secret=c.get("app_secret") or env("ZALO_APP_SECRET", ""),
            tokens=TokenStore(Path(env("ZALO_TOKEN_FILE", str(root / "var" / "zalo_tokens.json"))),
                              env("ZALO_ACCESS_TOKEN", ""), env("ZALO_REFRESH_TOKEN", "")),
            api_base=env("ZALO_API_BASE", API_BASE),
            oauth_base=env("ZALO_OAUTH_BASE", OAUTH_BASE),
        )

    def __init__(self, app_id: str, oa_secret_key: str, app_secret: str, tokens: TokenStore,
                 api_base: str = API_BASE, oauth_base: str = OAUTH_BASE):
        self.app_id, self.oa_secret_key, self.app_secret = app_id, oa_secret_key, app_secret
        self.tokens, self.api_base, self.oauth_base = tokens, api_base.rstrip("/"), oauth_base.rstrip("/")
        self.window = ReplyWindow()
        self.recent = RecentIds()
        self.choices: Dict[str, List[str]] = {}  # user -> payloads of the numbered list last shown
        self._tasks: set = set()
        self._client: Optional[httpx.AsyncClient] = None

    @property
    def configured(self) -> bool:
        return bool(self.app_id and self.oa_secret_key)

    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=10)
        return self._client

    # --- sending -------------------------------------------------------------------
    def _fetch_tokens(self, refresh_token: str) -> Dict[str, Any]:
        result = httpx.post(f"{self.oauth_base}/v4/oa/access_token", headers={"secret_key": self.app_secret},
                            data={"refresh_token": refresh_token, "app_id": self.app_id, "grant_type": "refresh_token"},
                            timeout=10).json()
        if "access_token" not in result:
            raise RuntimeError(f"zalo token refresh refused: {result.get('error')}")
        return result

    async def post_cs(self, user: str, text: str) -> Dict[str, Any]:
        """One customer-service message; an expired token is refreshed once. No reply window:
        callers decide (the assistant's replies count against it, a counsellor's do not here)."""
        token = self.tokens.read().get("access_token", "")
        body = {"recipient": {"user_id": user}, "message": {"text": text}}
        reply = (await self.client().post(f"{self.api_base}/v3.0/oa/message/cs", json=body,
                                          headers={"access_token": token})).json()
        if reply.get("error") == TOKEN_EXPIRED:
            token = await asyncio.to_thread(self.tokens.refresh, token, self._fetch_tokens)
            reply = (await self.client().post(f"{self.api_base}/v3.0/oa/message/cs", json=body,
                                              headers={"access_token": token})).json()
        return reply

    async def send_text(self, user: str, text: str) -> None:
        for part in split_text(text, TEXT_LIMIT):
            if not self.window.take(user):
                logger.info("zalo: free reply window used up for a user; reply not sent")
                return
            reply = await self.post_cs(user, part)
            if reply.get("error", 0) != 0:
                logger.warning("zalo: send failed with error %s", reply.get("error"))

    async def send_messages(self, user: str, messages: List[Dict[str, Any]]) -> None:
        for message in messages:
            buttons = message.get("buttons") or []
            if buttons:
                self.choices[user] = [b["payload"] for b in buttons]
            if message.get("text") or buttons:
                await self.send_text(user, numbered(message.get("text", ""), buttons))

    # --- receiving -----------------------------------------------------------------
    def _verified(self, request: Request, body: Dict[str, Any]) -> bool:
        given = request.headers.get("X-ZEvent-Signature", "")
        expected = signature(self.app_id, request.body, str(body.get("timestamp", "")), self.oa_secret_key)
        return same_secret(given, expected)  # a non-ASCII header is a wrong signature (401), not an error (review L9)

    async def handle(self, body: Dict[str, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]],
                     agent: Any = None) -> None:
        user = str(_field(body, "sender").get("id", ""))[:64]
        event = str(body.get("event_name", ""))
        if not user.strip():
            return
        try:
            if event == "user_send_text":
                self.window.user_wrote(user)
                admission = admit(sender_id(CHANNEL, user), str(_field(body, "message").get("text", "")))
                if admission.refusal:  # every reply uses the free window: a repeated refusal is not said
                    if admission.say_refusal:
                        await self.send_text(user, admission.refusal)
                    return
                text = admission.text
                choices = self.choices.get(user, [])
                if text.isdigit() and 1 <= int(text) <= len(choices):
                    text = choices[int(text) - 1]
                if not text:
                    return
                collector = CollectingOutputChannel()
                await on_new_message(UserMessage(text, collector, sender_id(CHANNEL, user), input_channel=CHANNEL,
                                                 metadata={"channel": CHANNEL}))
                messages = collector.messages
                if agent is not None:
                    messages = await settle(agent, sender_id(CHANNEL, user), messages)
                await self.send_messages(user, messages)
            elif event.startswith("user_send_"):
                self.window.user_wrote(user)
                await self.send_text(user, ASK_TEXT)
        except Exception:  # one user's failure never stops the channel
            logger.exception("zalo: could not handle an event")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        zalo = Blueprint("zalo_webhook", __name__)

        @zalo.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.configured else "not configured"})

        @zalo.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.configured:
                return response.json({"error": "Kênh Zalo chưa được cấu hình."}, status=503)
            try:
                body = json.loads(request.body or b"{}")
            except (ValueError, UnicodeDecodeError):
                body = None
            if not isinstance(body, dict) or not self._verified(request, body):
                return response.json({"error": "invalid signature"}, status=401)
            message_id = str(_field(body, "message").get("msg_id") or "")[:128]
            if message_id and self.recent.seen(message_id):
                return response.json({"status": "duplicate"})
            task = asyncio.create_task(self.handle(body, on_new_message, getattr(request.app.ctx, "agent", None)))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            return response.json({"status": "received"})

        return zalo
