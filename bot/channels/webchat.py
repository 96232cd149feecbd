"""The local web chat page, served by the Rasa server itself at /webhooks/webchat/.

It talks to Rasa's REST channel on the same origin, so no extra server, port or
CORS set-up is needed to try the assistant after the start command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

PAGE = Path(__file__).resolve().parent / "static" / "webchat.html"


class WebChatInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "webchat"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webchat = Blueprint("webchat_page", __name__)

        @webchat.route("/", methods=["GET"])
        async def page(_request: Request) -> HTTPResponse:
            return response.html(PAGE.read_text(encoding="utf-8"))

        return webchat
