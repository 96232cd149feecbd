"""Messages a counsellor sends from the console, delivered on the person's own channel, and
the calls that pause and resume the assistant in that conversation (Rasa's HTTP API).

  telegram:<chat id>  Bot API sendMessage (TELEGRAM_BOT_TOKEN, TELEGRAM_API_BASE_URL)
  zalo:<user id>      Zalo OA /v3.0/oa/message/cs (the Zalo channel's settings and token file)
  anything else       the web widget: the message is stored and the widget fetches it
                      (GET /webhooks/webchat/inbox), so it counts as delivered once stored
"""

from __future__ import annotations

import os
from urllib.parse import quote
from typing import Any, Dict, List, Optional

import httpx

from bot.channels.common import split_text
from bot.notify import TELEGRAM_API

WIDGET = "web"


class DeliveryError(RuntimeError):
    """The channel refused or could not be reached (the message is kept, marked not delivered)."""


def channel_kind(sender_id: str) -> str:
    prefix = sender_id.split(":", 1)[0] if ":" in sender_id else ""
    return prefix if prefix in ("telegram", "zalo") else WIDGET


async def deliver(sender_id: str, text: str) -> None:
    kind = channel_kind(sender_id)
    user = sender_id.split(":", 1)[1] if kind != WIDGET else sender_id
    try:
        if kind == "telegram":
            token = os.environ.get("TELEGRAM_BOT_TOKEN")
            if not token:
                raise DeliveryError("TELEGRAM_BOT_TOKEN chưa được cấu hình")
            base = os.environ.get("TELEGRAM_API_BASE_URL") or TELEGRAM_API
            async with httpx.AsyncClient(timeout=10) as client:
                for part in split_text(text, 4096):
                    r = await client.post(f"{base}{token}/sendMessage", json={"chat_id": int(user), "text": part})
                    if r.status_code != 200 or not r.json().get("ok"):
                        raise DeliveryError(f"Telegram trả lỗi {r.status_code}")
        elif kind == "zalo":
            from bot.channels.zalo import ZaloInput

            channel = ZaloInput.from_credentials(None)
            if not channel.configured:
                raise DeliveryError("Kênh Zalo chưa được cấu hình")
            for part in split_text(text, 2000):
                reply = await channel.post_cs(user, part)
                if reply.get("error", 0) != 0:
                    raise DeliveryError(f"Zalo trả lỗi {reply.get('error')}")
    except httpx.HTTPError as problem:
        raise DeliveryError(f"Không kết nối được kênh {kind} ({type(problem).__name__})") from problem


def _path(sender_id: str) -> str:
    """A sender id as one path segment: "x/../telegram:1" must never reach another conversation
    (review M4; the REST webhook also refuses such ids)."""
    return quote(sender_id, safe=":")


class RasaAdmin:
    """Rasa's HTTP API (the server runs with --enable-api) for one conversation."""

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None):
        self.url = (url or os.environ.get("RASA_URL") or "http://localhost:5005").rstrip("/")
        self.params = {"token": token or os.environ.get("RASA_API_TOKEN")} if (token or os.environ.get("RASA_API_TOKEN")) else {}

    async def _events(self, sender_id: str, events: List[Dict[str, Any]]) -> None:
        async with httpx.AsyncClient(timeout=10) as client:
            r = await client.post(f"{self.url}/conversations/{_path(sender_id)}/tracker/events", json=events,
                                  params={**self.params, "include_events": "NONE"})
            r.raise_for_status()

    async def pause(self, sender_id: str) -> None:
        await self._events(sender_id, [{"event": "pause"}])

    async def resume(self, sender_id: str) -> None:
        await self._events(sender_id, [{"event": "resume"}])

    async def log_staff_message(self, sender_id: str, text: str, author: str) -> None:
        """Keep the counsellor's words in the conversation history, as said by the bot side."""
        await self._events(sender_id, [{"event": "bot", "text": text, "metadata": {"staff": author}}])

    async def history(self, sender_id: str) -> List[Dict[str, str]]:
        async with httpx.AsyncClient(timeout=10) as client:
            r = await client.get(f"{self.url}/conversations/{_path(sender_id)}/tracker", params=self.params)
            r.raise_for_status()
        out = []
        for e in r.json().get("events") or []:
            if e.get("event") in ("user", "bot") and e.get("text"):
                who = "staff" if (e.get("metadata") or {}).get("staff") else e["event"]
                out.append({"who": who, "text": e["text"], "at": e.get("timestamp") or 0})
        return out
