"""A counsellor's message delivered on the person's channel: Zalo (fake OA API) and the errors
that keep a message marked "not delivered". (Telegram: tests/test_handoff.py; web widget:
tests/test_widget.py.)"""

from __future__ import annotations

import asyncio

import pytest

from bot.channels import outbound
from tests.fake_zalo import FakeZalo


def test_channel_of_a_sender():
    assert [outbound.channel_kind(s) for s in ("telegram:42", "zalo:abc", "web-x1", "rest:u")] == \
        ["telegram", "zalo", "web", "web"]


def test_zalo_user_gets_the_counsellor_message(tmp_path, monkeypatch):
    fake = FakeZalo()
    base = fake.start()
    try:
        for key, value in {"ZALO_APP_ID": "app", "ZALO_OA_SECRET_KEY": "key", "ZALO_APP_SECRET": "app-secret",
                           "ZALO_ACCESS_TOKEN": "AT-1", "ZALO_REFRESH_TOKEN": "RT-1",
                           "ZALO_TOKEN_FILE": str(tmp_path / "tokens.json"), "ZALO_API_BASE": base,
                           "ZALO_OAUTH_BASE": base}.items():
            monkeypatch.setenv(key, value)
        asyncio.run(outbound.deliver("zalo:user-7", "Chào em, cô là cán bộ tuyển sinh."))
        assert fake.texts("user-7") == ["Chào em, cô là cán bộ tuyển sinh."]
    finally:
        fake.stop()


def test_unreachable_or_unconfigured_channels_raise_a_delivery_error(monkeypatch):
    monkeypatch.delenv("ZALO_APP_ID", raising=False)
    with pytest.raises(outbound.DeliveryError, match="Zalo chưa được cấu hình"):
        asyncio.run(outbound.deliver("zalo:u", "x"))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    with pytest.raises(outbound.DeliveryError, match="TELEGRAM_BOT_TOKEN"):
        asyncio.run(outbound.deliver("telegram:1", "x"))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:T")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:9/bot")
    with pytest.raises(outbound.DeliveryError, match="Không kết nối được kênh telegram"):
        asyncio.run(outbound.deliver("telegram:1", "x"))



def test_a_sender_id_is_one_path_segment_of_the_rasa_api():
    """Review M4: "x/../telegram:1" must not become /conversations/telegram:1/... ."""
    from bot.channels.outbound import _path

    assert _path("secprobe-x/../telegram:804303723") == "secprobe-x%2F..%2Ftelegram:804303723"
    assert _path("telegram:123") == "telegram:123"


def test_only_our_gateways_name_a_channel():
    """Review L7: "foo:1" made a lead's channel read "foo"."""
    from bot.channels.common import channel_of

    assert channel_of("telegram:1") == "telegram" and channel_of("zalo:9") == "zalo"
    assert channel_of("foo:1") == "rest" and channel_of("Telegram:1", default="web") == "web"
