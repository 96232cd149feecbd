"""The public REST webhook (POST /webhooks/rest/webhook), hardened.

Same request and reply format as Rasa's RestInput (the web widget, the Telegram
gateway, tests and the load generator use it), plus what a public entry point needs:

* bad input gets a 4xx with a Vietnamese message, never a stack trace: a body that is
  not a JSON object, missing or wrong-typed fields, a body over 64 KB, text over
  2.000 characters (413, with the message in the reply format so the widget shows it);
* text is cleaned and "/intent{...}" payloads are checked (bot/channels/guard.py);
* sender ids of other channels ("telegram:…", "zalo:…") are accepted only from our own
  gateways, which send the shared GATEWAY_SECRET in a header: without it anyone could
  write into a Telegram user's conversation and receive a counsellor's reply meant for them;
* per-sender rate limit (bot/ratelimit.py): 429 with Retry-After and a polite message;
* if the assistant fails while answering, the person gets an apology (200), the error
  goes to the log, and the message stays in the conversation history.
"""

from __future__ import annotations

import json
import logging
import os
import re
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import rasa_speedups
from bot.channels.common import APOLOGY, GATEWAY_HEADER, RESERVED_PREFIXES
from bot.channels.guard import admit
from bot.channels.turns import settle
from bot.tokens import same_secret

logger = logging.getLogger(__name__)
rasa_speedups.install()  # every Rasa process with our credentials.yml loads this module
MAX_BODY_BYTES = 64 * 1024
MAX_SENDER_CHARS = 128
# A sender id is a key, never a path: letters, digits, ":", "_", "-" (review M4: "x/../telegram:1").
SENDER = re.compile(r"[A-Za-z0-9:_-]{1,%d}" % MAX_SENDER_CHARS)
BAD_REQUEST = "Yêu cầu không hợp lệ: cần một đối tượng JSON có \"sender\" và \"message\" (chuỗi ký tự)."


def _as_messages(sender: str, text: str) -> List[Dict[str, str]]:
    return [{"recipient_id": sender, "text": text}]


def gateway_allowed(request: Request, sender: str) -> bool:
    """Senders of another channel's namespace only come from our gateways."""
    prefix, sep, _ = sender.partition(":")
    if not sep or prefix.lower() not in RESERVED_PREFIXES:  # "Telegram:1" is a Telegram id too (review L7)
        return True
    secret = os.environ.get("GATEWAY_SECRET", "")
    given = request.headers.get(GATEWAY_HEADER, "")
    return same_secret(given, secret)


class BadRequest(ValueError):
    """A request the webhook refuses: the Vietnamese reason and the HTTP status."""

    def __init__(self, reason: str, status: int = 400):
        super().__init__(reason)
        self.status = status


def read_request(request: Request) -> tuple:
    """(sender, text, metadata) or raise BadRequest."""
    if len(request.body or b"") > MAX_BODY_BYTES:
        raise BadRequest("Yêu cầu quá lớn.", 413)
    try:
        body = json.loads((request.body or b"").decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):  # "[[[[…20000…]]]]" is bad input, not a 500
        raise BadRequest(BAD_REQUEST) from None
    if not isinstance(body, dict):
        raise BadRequest(BAD_REQUEST)
    sender, text, metadata = body.get("sender"), body.get("message"), body.get("metadata")
    if not isinstance(sender, str) or not SENDER.fullmatch(sender):
        raise BadRequest("\"sender\" chỉ gồm chữ không dấu, số và các dấu : _ - (tối đa 128 ký tự).")
    if not isinstance(text, str):
        raise BadRequest(BAD_REQUEST)
    if not isinstance(metadata, dict) or len(json.dumps(metadata, default=str)) > 2048:
        metadata = {}
    channel = metadata.get("channel")
    return sender, text, ({"channel": channel} if isinstance(channel, str) and channel.isidentifier() else {})


class GuardedRestInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rest = Blueprint("guarded_rest", __name__)

        @rest.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender, raw, metadata = read_request(request)
            except BadRequest as error:
                return response.json({"error": str(error)}, status=error.status)
            if not gateway_allowed(request, sender):
                return response.json({"error": "Mã người gửi này dành cho kênh khác."}, status=403)
            admission = admit(sender, raw)
            if admission.refusal:
                # Exposed: a widget on the college's own site (another origin) reads it (channel review).
                headers = {"Retry-After": str(admission.retry_after),
                           "Access-Control-Expose-Headers": "Retry-After"} if admission.retry_after else None
                return response.json(_as_messages(sender, admission.refusal), status=admission.status,
                                     headers=headers)
            text = admission.text
            if not text:
                return response.json([])
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(),
                                                 metadata=metadata or None))
            except CancelledError:
                logger.error("rest: answering timed out")
                return response.json(collector.messages or _as_messages(sender, APOLOGY))
            except Exception:
                logger.exception("rest: answering failed")
                return response.json(collector.messages or _as_messages(sender, APOLOGY))
            return response.json(await settle(request.app.ctx.agent, sender, collector.messages))

        return rest


