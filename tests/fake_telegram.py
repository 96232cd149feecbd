"""A local fake of the Telegram Bot API (the methods the gateway uses), for tests.

python-telegram-bot talks to it through `base_url`; the test queues updates and
reads back exactly what the bot sent.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from typing import Any, Dict, List, Optional

from aiohttp import web

BOT = {"id": 999, "is_bot": True, "first_name": "Tuyển sinh Lai Châu", "username": "laichau_test_bot",
       "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}


class FakeTelegram:
    def __init__(self) -> None:
        self.updates: List[Dict[str, Any]] = []
        self.calls: List[Dict[str, Any]] = []  # every method call, in order
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._runner: Optional[web.AppRunner] = None
        self.port = 0
        # Answers the next sendMessage calls get instead of success, in order: (HTTP status, body).
        self.send_faults: List[tuple] = []

    def fail_next_sends(self, *faults: tuple) -> None:
        self.send_faults.extend(faults)

    @staticmethod
    def flood(retry_after: int) -> tuple:
        return 429, {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {retry_after}",
                     "parameters": {"retry_after": retry_after}}

    BAD_GATEWAY = (502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>")

    # --- what the test does -------------------------------------------------------
    def _user(self, user_id: int) -> Dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": "Minh", "language_code": "vi"}

    def _message(self, user_id: int, **fields) -> Dict[str, Any]:
        return {"message_id": next(self._message_ids), "date": int(time.time()),
                "chat": {"id": user_id, "type": "private", "first_name": "Minh"}, "from": self._user(user_id), **fields}

    def send_text(self, user_id: int, text: str) -> None:
        fields: Dict[str, Any] = {"text": text}
        if text.startswith("/"):
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        self.updates.append({"update_id": next(self._ids), "message": self._message(user_id, **fields)})

    def send_sticker(self, user_id: int) -> None:
        sticker = {"file_id": "CAAC", "file_unique_id": "AgAD", "type": "regular", "width": 512, "height": 512,
                   "is_animated": False, "is_video": False}
        self.updates.append({"update_id": next(self._ids), "message": self._message(user_id, sticker=sticker)})

    def edit_text(self, user_id: int, text: str) -> None:
        message = self._message(user_id, text=text, edit_date=int(time.time()))
        self.updates.append({"update_id": next(self._ids), "edited_message": message})

    def press(self, user_id: int, data: str) -> None:
        query = {"id": f"cb{next(self._ids)}", "from": self._user(user_id), "chat_instance": "ci", "data": data,
                 "message": {**self._message(user_id, text="..."), "from": {k: BOT[k] for k in ("id", "is_bot", "first_name")}}}
        self.updates.append({"update_id": next(self._ids), "callback_query": query})

    def sent(self, method: str = "sendMessage") -> List[Dict[str, Any]]:
        """The calls of `method` that succeeded (a refused one is in `calls` with its "failed" status)."""
        return [c for c in self.calls if c["method"] == method and "failed" not in c]

    # --- the server -----------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.content_type == "application/json":
            params = await request.json()
        else:
            params = dict(await request.post())
        for key in ("reply_markup", "allowed_updates"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        if method == "sendMessage" and self.send_faults:
            status, body = self.send_faults.pop(0)
            self.calls.append({"method": method, **params, "failed": status})
            if isinstance(body, str):
                return web.Response(status=status, text=body, content_type="text/html")
            return web.json_response(body, status=status)
        if method != "getUpdates":
            self.calls.append({"method": method, **params})
        if method == "getMe":
            result: Any = BOT
        elif method == "getUpdates":
            offset = int(params.get("offset") or 0)
            deadline = time.time() + min(float(params.get("timeout") or 0), 1.0)
            while True:
                pending = [u for u in self.updates if u["update_id"] >= offset]
                if pending or time.time() >= deadline:
                    break
                await asyncio.sleep(0.02)
            result = pending[:1]  # one at a time: the test knows the order they were handled in
        elif method == "sendMessage":
            chat = int(params["chat_id"])
            result = {"message_id": next(self._message_ids), "date": int(time.time()),
                      "chat": {"id": chat, "type": "private"}, "from": {k: BOT[k] for k in ("id", "is_bot", "first_name")},
                      "text": params.get("text", "")}
        else:  # deleteWebhook, sendChatAction, answerCallbackQuery, setWebhook...
            result = True
        return web.json_response({"ok": True, "result": result})

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{self.port}/bot"

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()
