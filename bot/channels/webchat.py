"""The website chat widget and its demo page, served by the Rasa server itself.

  /webhooks/webchat/           demo page (what a newcomer opens after ./run start)
  /webhooks/webchat/widget.js  the widget: one <script> tag on the college's site
  /webhooks/webchat/inbox      a counsellor's messages to a widget user (live handoff; polled).
                               Keyed by the widget's sender id: 128 random bits from
                               crypto.getRandomValues, known only to that browser; any other
                               id is refused, and guessing is limited per client address.

The widget talks to Rasa's REST channel; on the demo page that is the same origin,
so trying it needs no extra server, port or CORS set-up.
"""

from __future__ import annotations

import asyncio
import gzip
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.ratelimit import limiter, polite_message

STATIC = Path(__file__).resolve().parent / "static"
# The only ids the inbox answers for: the widget's own (widget.js, 128 random bits). Telegram and Zalo
# ids are not secret, and their counsellor messages go to their own channel (security review H1).
WIDGET_SENDER = re.compile(r"^web-[0-9a-f]{32}$")
PAGE = STATIC / "webchat.html"
WIDGET = STATIC / "widget.js"


@lru_cache(maxsize=4)
def _gzipped(source: bytes) -> bytes:
    return gzip.compress(source, compresslevel=9)


class WebChatInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "webchat"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webchat = Blueprint("webchat_page", __name__)

        @webchat.route("/", methods=["GET"])
        async def page(_request: Request) -> HTTPResponse:
            return response.html(PAGE.read_text(encoding="utf-8"))

        @webchat.route("/widget.js", methods=["GET"])
        async def widget(request: Request) -> HTTPResponse:
            """The widget, gzip-compressed for browsers that accept it (a phone on a slow mobile link)."""
            headers = {"Cache-Control": "public, max-age=300", "Vary": "Accept-Encoding"}
            source = WIDGET.read_bytes()
            if "gzip" in (request.headers.get("Accept-Encoding") or ""):
                return response.raw(_gzipped(source), content_type="application/javascript; charset=utf-8",
                                    headers={**headers, "Content-Encoding": "gzip"})
            return response.raw(source, content_type="application/javascript; charset=utf-8", headers=headers)

        @webchat.route("/inbox", methods=["GET"])
        async def inbox(request: Request) -> HTTPResponse:
            """A counsellor's messages to this widget user since `after` (the widget polls)."""
            sender = (request.args.get("sender") or "")[:128]
            after = request.args.get("after") or "0"
            if not sender or not after.isdigit() or len(after) > 18:
                return response.json({"error": "cần sender và after (số)"}, status=400)
            if not WIDGET_SENDER.match(sender):  # a Telegram or Zalo id is no widget's: its messages are not here
                return response.json({"error": "sender không phải mã của khung chat trên website"}, status=400)
            client = request.remote_addr or request.ip or "?"
            for name, key in (("inbox", sender), ("inbox_client", client)):  # one browser; one address guessing
                verdict = limiter(name).hit(key)
                if not verdict.allowed:
                    return response.json({"error": polite_message(verdict.retry_after)}, status=429,
                                         headers={"Retry-After": str(verdict.retry_after)})
            from bot.handoff import messages_after

            rows = await asyncio.to_thread(messages_after, sender, int(after))
            return response.json([{"id": m.id, "text": m.text} for m in rows],
                                 headers={"Cache-Control": "no-store"})

        return webchat
