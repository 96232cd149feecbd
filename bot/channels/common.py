"""What every channel needs, in one place: namespaced sender ids, a shared async client
to Rasa's REST webhook with retries, button payloads that fit a channel's limits, and
message splitting. A new channel (Facebook Messenger...) is one small module on top.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import httpx

logger = logging.getLogger(__name__)

APOLOGY = ("Xin lỗi, trợ lý đang bận hoặc gián đoạn một chút. Bạn vui lòng gửi lại câu hỏi sau ít phút nhé.")
# Sender ids in these namespaces come only from our own gateways, which prove it with
# this header carrying GATEWAY_SECRET (bot/channels/rest.py checks it).
RESERVED_PREFIXES = frozenset({"telegram", "zalo"})
GATEWAY_HEADER = "X-Assistant-Gateway"
# Key of a bot message's metadata that asks Rasa's tracker store to delete the whole conversation
# ("xóa thông tin của tôi", review M5). The action server cannot reach Rasa's store; the reply
# that tells the person what was erased carries the request (actions.actions.utter), and
# bot/rasa_stores.py acts on it when Rasa saves the turn. Here, not in bot.answers, so that the
# Rasa process does not import the answers to read one name.
ERASE_CONVERSATION = "erase_conversation"
ASK_TEXT = "Mình chỉ đọc được tin nhắn chữ. Bạn gõ câu hỏi giúp mình nhé (ví dụ: học phí nghề hàn bao nhiêu?)."


def with_api_token(url: str, token: Optional[str] = None) -> str:
    """A URL of Rasa's HTTP API with its token (RASA_API_TOKEN): Rasa 3.6 reads it only from the
    query string. The webhooks take none."""
    token = token if token is not None else os.environ.get("RASA_API_TOKEN", "")
    if not token or "/webhooks/" in url:
        return url
    from urllib.parse import urlencode

    return url + ("&" if "?" in url else "?") + urlencode({"token": token})


def sender_id(channel: str, user_id: object) -> str:
    """'telegram:12345': ids from different channels never collide in one tracker store."""
    return f"{channel}:{user_id}"


def channel_of(sender: str, default: str = "rest") -> str:
    """The channel a namespaced sender id came from: only our gateways' ("foo:1" is a REST user's
    id, whatever it claims; review L7)."""
    prefix, sep, _ = sender.partition(":")
    return prefix if sep and prefix in RESERVED_PREFIXES else default


@dataclass
class BotMessage:
    """One reply from the assistant, channel-neutral."""

    text: str = ""
    buttons: List[Dict[str, str]] = field(default_factory=list)


def split_text(text: str, limit: int) -> List[str]:
    """Split at paragraph, then line, then word boundaries so every part fits `limit` characters."""
    parts: List[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = max(rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit))
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


class PayloadStore:
    """Short keys for button payloads longer than a channel allows (Telegram: 64 bytes)."""

    def __init__(self, max_bytes: int, capacity: int = 10000):
        self.max_bytes = max_bytes
        self.capacity = capacity
        self._items: "OrderedDict[str, str]" = OrderedDict()

    def shorten(self, payload: str) -> str:
        if len(payload.encode("utf-8")) <= self.max_bytes and not payload.startswith("k:"):
            return payload
        key = "k:" + hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]
        self._items[key] = payload
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return key

    def expand(self, data: str) -> Optional[str]:
        """The payload behind `data` (None if it was a key that has been forgotten)."""
        if not data.startswith("k:"):
            return data
        return self._items.get(data)


class RasaUnavailable(Exception):
    pass


def _messages(response: httpx.Response) -> List[dict]:
    """The bot messages in a REST-channel response body (none if it is not such a list)."""
    try:
        body = response.json()
    except ValueError:
        return []
    return [m for m in body if isinstance(m, dict) and m.get("text")] if isinstance(body, list) else []


class RasaClient:
    """One shared async HTTP client to Rasa's REST channel, with retries on network errors."""

    def __init__(self, url: Optional[str] = None, timeout: float = 20.0, retries: int = 2,
                 client: Optional[httpx.AsyncClient] = None):
        self.url = (url or os.environ.get("RASA_URL", "http://localhost:5005")).rstrip("/")
        self.retries = retries
        self._client = client or httpx.AsyncClient(timeout=timeout)

    async def send(self, sender: str, text: str, channel: str) -> List[BotMessage]:
        body = {"sender": sender, "message": text, "metadata": {"channel": channel}}
        delay = 0.5
        for attempt in range(self.retries + 1):
            try:
                response = await self._client.post(f"{self.url}/webhooks/rest/webhook", json=body,
                                                   headers={GATEWAY_HEADER: os.environ.get("GATEWAY_SECRET", "")})
                refused = _messages(response) if 400 <= response.status_code < 500 else []
                if response.status_code in (413, 429) or refused:
                    # The person's message was refused (too long, too fast...): the REST channel says why,
                    # in Vietnamese. Not an outage: never retried, never the "busy" apology (channel review 1).
                    return [BotMessage(m.get("text") or "") for m in refused]
                response.raise_for_status()
                return [BotMessage(m.get("text") or "", list(m.get("buttons") or [])) for m in response.json()]
            except (httpx.TransportError, httpx.HTTPStatusError) as exc:
                if attempt == self.retries:
                    raise RasaUnavailable(str(exc.__class__.__name__)) from exc
                logger.warning("Rasa not answering (%s), retry %d", exc.__class__.__name__, attempt + 1)
                await asyncio.sleep(delay)
                delay *= 2
        raise RasaUnavailable("unreachable")  # pragma: no cover

    async def close(self) -> None:
        await self._client.aclose()
