"""A local fake of the Zalo OA Open API (customer-service messages, OAuth v4 token refresh)."""

from __future__ import annotations

import asyncio
import itertools
import threading
from typing import Any, Dict, List

from aiohttp import web


class FakeZalo:
    def __init__(self, access_token: str = "AT-1", refresh_token: str = "RT-1", app_secret: str = "app-secret"):
        self.access_token, self.refresh_token, self.app_secret = access_token, refresh_token, app_secret
        self.expired: set = set()
        self.sent: List[Dict[str, Any]] = []
        self.refreshes: List[Dict[str, Any]] = []
        self._n = itertools.count(2)
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._runner = None

    def expire_token(self) -> None:
        self.expired.add(self.access_token)

    def texts(self, user: str) -> List[str]:
        return [m["text"] for m in self.sent if m["user_id"] == user]

    async def _cs(self, request: web.Request) -> web.Response:
        token = request.headers.get("access_token", "")
        if token in self.expired or token != self.access_token:
            return web.json_response({"error": -216, "message": "Access token is invalid"})
        body = await request.json()
        self.sent.append({"user_id": body["recipient"]["user_id"], "text": body["message"]["text"]})
        return web.json_response({"error": 0, "message": "Success", "data": {"message_id": f"m{len(self.sent)}"}})

    async def _oauth(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.refreshes.append({"secret_key": request.headers.get("secret_key"), **form})
        if request.headers.get("secret_key") != self.app_secret or form.get("refresh_token") != self.refresh_token:
            return web.json_response({"error": -14014, "error_description": "Invalid refresh token"})
        n = next(self._n)
        self.access_token, self.refresh_token = f"AT-{n}", f"RT-{n}"  # the old refresh token is used up
        return web.json_response({"access_token": self.access_token, "refresh_token": self.refresh_token,
                                  "expires_in": "90000"})

    def start(self) -> str:
        ready = threading.Event()

        async def boot() -> None:
            app = web.Application()
            app.router.add_post("/v3.0/oa/message/cs", self._cs)
            app.router.add_post("/v4/oa/access_token", self._oauth)
            self._runner = web.AppRunner(app)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
            self.port = site._server.sockets[0].getsockname()[1]
            ready.set()

        threading.Thread(target=lambda: (self._loop.run_until_complete(boot()), self._loop.run_forever()),
                         daemon=True).start()
        ready.wait(10)
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        async def down() -> None:
            await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(down(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
