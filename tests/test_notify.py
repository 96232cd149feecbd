"""Staff notifications to a Telegram group, against the fake Bot API server."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bot import notify
from tests.fake_telegram import FakeTelegram


@pytest.fixture
def fake_api(monkeypatch):
    fake = FakeTelegram()
    loop = asyncio.new_event_loop()
    started = threading.Event()
    holder = {}

    def serve():
        asyncio.set_event_loop(loop)
        holder["base"] = loop.run_until_complete(fake.start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    started.wait(10)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST-TOKEN")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", holder["base"])
    monkeypatch.setenv("TELEGRAM_STAFF_CHAT_ID", "-100777")
    yield fake
    asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)


def test_new_lead_is_posted_without_the_phone_number(fake_api):
    notify.notify_staff("lead", "LC-ABC123", "zalo", "Lò Văn Minh", "Bản Lang", ["han"], "0912345678").join(10)
    (sent,) = fake_api.sent()
    assert sent["chat_id"] in (-100777, "-100777")
    assert sent["text"].startswith("Đăng ký tư vấn mới LC-ABC123 (kênh zalo)")
    assert "Nghề: Hàn" in sent["text"] and "0912345678" not in sent["text"]


def test_private_group_gets_the_phone_and_handoffs_are_posted(fake_api, monkeypatch):
    monkeypatch.setenv("TELEGRAM_STAFF_CHAT_PRIVATE", "1")
    notify.notify_staff("lead", "LC-ABC124", "telegram", "Lò Văn Minh", None, [], "0912345678").join(10)
    notify.notify_staff("handoff", "LC-ABC125", "web").join(10)
    texts = [m["text"] for m in fake_api.sent()]
    assert "SĐT: 0912345678" in texts[0]
    assert texts[1].startswith("Yêu cầu gặp cán bộ tư vấn LC-ABC125 (kênh web)")


def test_not_configured_sends_nothing(monkeypatch):
    monkeypatch.delenv("TELEGRAM_STAFF_CHAT_ID", raising=False)
    assert notify.notify_staff("lead", "LC-ABC126", "web") is None


def test_an_unreachable_api_is_logged_not_raised(monkeypatch, caplog):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST-TOKEN")
    monkeypatch.setenv("TELEGRAM_STAFF_CHAT_ID", "-1")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:9/bot")
    assert notify.send_to_staff("x") is False
    assert "staff notification not sent" in caplog.text
