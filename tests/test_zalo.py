"""The Zalo OA channel: signatures, async handling, dedupe, token refresh, the free reply window."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
import uuid
from typing import Iterator

import pytest

from bot.channels.common import ASK_TEXT
from bot.channels.zalo import ReplyWindow, TokenStore, ZaloInput, numbered, signature
from tests.conftest import start_assistant
from tests.fake_zalo import FakeZalo

APP_ID, OA_KEY, APP_SECRET = "1234567890", "oa-secret-KEY", "app-secret"


def test_signature_known_vector():
    body = b'{"event_name":"user_send_text","timestamp":"1700000000000"}'
    # printf '%s' '1234567890{...}1700000000000secretKEY' | sha256sum
    assert signature("1234567890", body, "1700000000000", "secretKEY") == (
        "mac=de4f492a7de75f1bc9fdb125738214cc4df24d26566f6ad220706b839ff38f1b")


def test_reply_window_allows_eight_replies_within_48_hours():
    now = [1000.0]
    window = ReplyWindow(clock=lambda: now[0])
    assert not window.take("u")  # never wrote: nothing may be sent
    window.user_wrote("u")
    assert [window.take("u") for _ in range(9)] == [True] * 8 + [False]
    window.user_wrote("u")
    now[0] += 48 * 3600 + 1
    assert not window.take("u")


def test_buttons_become_a_numbered_list():
    text = numbered("Bạn muốn xem gì?", [{"title": "Học phí", "payload": "/ask_tuition"},
                                         {"title": "Hồ sơ", "payload": "/ask_admission"}])
    assert text == "Bạn muốn xem gì?\n1. Học phí\n2. Hồ sơ\n(Gõ số để chọn)"


def test_token_refresh_is_done_once_and_stored_atomically(tmp_path):
    store = TokenStore(tmp_path / "tokens.json", "AT-1", "RT-1")
    calls = []

    def fetch(refresh_token):
        calls.append(refresh_token)
        return {"access_token": "AT-2", "refresh_token": "RT-2"}

    assert store.refresh("AT-1", fetch) == "AT-2"
    assert store.refresh("AT-1", fetch) == "AT-2"  # a second caller with the old token: already refreshed
    assert calls == ["RT-1"]
    assert json.loads((tmp_path / "tokens.json").read_text())["refresh_token"] == "RT-2"


def test_never_a_ninth_reply_in_the_window(tmp_path):
    fake = FakeZalo()
    base = fake.start()
    try:
        channel = ZaloInput(APP_ID, OA_KEY, APP_SECRET, TokenStore(tmp_path / "t.json", "AT-1", "RT-1"), base, base)
        channel.window.user_wrote("u9")
        asyncio.run(channel.send_messages("u9", [{"text": f"tin {i}"} for i in range(12)]))
        assert fake.texts("u9") == [f"tin {i}" for i in range(8)]
    finally:
        fake.stop()


# --- through the running assistant -----------------------------------------------------

@pytest.fixture(scope="module")
def zalo_setup(tmp_path_factory) -> Iterator:
    fake = FakeZalo(app_secret=APP_SECRET)
    base = fake.start()
    work = tmp_path_factory.mktemp("assistant_zalo")
    env = {"ZALO_APP_ID": APP_ID, "ZALO_OA_SECRET_KEY": OA_KEY, "ZALO_APP_SECRET": APP_SECRET,
           "ZALO_ACCESS_TOKEN": "AT-1", "ZALO_REFRESH_TOKEN": "RT-1", "ZALO_TOKEN_FILE": str(work / "zalo_tokens.json"),
           "ZALO_API_BASE": base, "ZALO_OAUTH_BASE": base}
    try:
        for running in start_assistant(work, f"sqlite:///{work / 'assistant.db'}", env):
            yield running, fake, work
    finally:
        fake.stop()


def event(user: str, text: str, msg_id: str = "", name: str = "user_send_text") -> bytes:
    body = {"app_id": APP_ID, "event_name": name, "timestamp": str(int(time.time() * 1000)),
            "sender": {"id": user}, "recipient": {"id": "oa-1"},
            "message": {"text": text, "msg_id": msg_id or uuid.uuid4().hex}}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def post(url: str, raw: bytes, sign: bool = True, bad: bool = False):
    headers = {"Content-Type": "application/json"}
    if sign:
        stamp = json.loads(raw)["timestamp"]
        headers["X-ZEvent-Signature"] = signature(APP_ID, raw, stamp, "wrong" if bad else OA_KEY)
    request = urllib.request.Request(url + "/webhooks/zalo/webhook", data=raw, headers=headers)
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read()), time.perf_counter() - start
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), time.perf_counter() - start


def wait_for(check, timeout: float = 20) -> None:
    deadline = time.time() + timeout
    while not check():
        assert time.time() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.server
def test_bad_or_missing_signature_is_refused_and_not_processed(zalo_setup):
    bot, fake, _ = zalo_setup
    assert post(bot.url, event("bad-1", "học phí bao nhiêu"), bad=True)[0] == 401
    assert post(bot.url, event("bad-2", "học phí bao nhiêu"), sign=False)[0] == 401
    odd = urllib.request.Request(bot.url + "/webhooks/zalo/webhook", data=event("bad-3", "a"),
                                 headers={"Content-Type": "application/json", "X-ZEvent-Signature": "mac=éé"})
    with pytest.raises(urllib.error.HTTPError) as refused:  # review L9: a non-ASCII signature gave 500
        urllib.request.urlopen(odd, timeout=10)
    assert refused.value.code == 401
    time.sleep(1.5)
    assert fake.texts("bad-1") == [] and fake.texts("bad-2") == []


@pytest.mark.server
def test_text_is_answered_fast_and_retries_once(zalo_setup):
    bot, fake, _ = zalo_setup
    raw = event("u-1", "học phí nghề hàn bao nhiêu", msg_id="msg-123")
    status, body, took = post(bot.url, raw)
    assert status == 200 and took < 2.0
    wait_for(lambda: fake.texts("u-1"))
    assert post(bot.url, raw)[1] == {"status": "duplicate"}  # Zalo's retry of the same event
    time.sleep(1.5)
    [reply] = fake.texts("u-1")
    assert reply.startswith("Học phí nghề Hàn") and "\n1. " in reply and reply.endswith("(Gõ số để chọn)")


@pytest.mark.server
def test_typing_a_number_presses_that_button(zalo_setup):
    bot, fake, _ = zalo_setup
    post(bot.url, event("u-2", "học phí nghề hàn bao nhiêu"))
    wait_for(lambda: len(fake.texts("u-2")) == 1)
    first_choice = fake.texts("u-2")[0].split("\n1. ")[1].split("\n")[0]
    assert first_choice == "Kiểm tra giúp em"
    post(bot.url, event("u-2", "1"))
    wait_for(lambda: len(fake.texts("u-2")) == 3)  # the short form's introduction and its first question
    assert "hỏi vài câu ngắn" in fake.texts("u-2")[1]
    assert "Câu 1" in fake.texts("u-2")[2] and "\n1. Sơ cấp, khóa ngắn hạn" in fake.texts("u-2")[2]


@pytest.mark.server
def test_other_user_events_get_a_polite_answer_and_others_are_ignored(zalo_setup):
    bot, fake, _ = zalo_setup
    assert post(bot.url, event("u-3", "", name="user_send_sticker"))[0] == 200
    wait_for(lambda: fake.texts("u-3"))
    assert fake.texts("u-3") == [ASK_TEXT]
    assert post(bot.url, event("u-4", "", name="follow"))[0] == 200
    time.sleep(1)
    assert fake.texts("u-4") == []


@pytest.mark.server
def test_expired_token_is_refreshed_once_and_the_new_refresh_token_kept(zalo_setup):
    bot, fake, work = zalo_setup
    fake.expire_token()
    post(bot.url, event("u-5", "trường có những ngành gì"))
    wait_for(lambda: fake.texts("u-5"))
    assert len(fake.refreshes) == 1 and fake.refreshes[0]["refresh_token"] == "RT-1"
    assert fake.refreshes[0]["secret_key"] == APP_SECRET
    stored = json.loads((work / "zalo_tokens.json").read_text())
    assert stored == {**stored, "access_token": fake.access_token, "refresh_token": fake.refresh_token}
    post(bot.url, event("u-5", "cảm ơn"))
    wait_for(lambda: len(fake.texts("u-5")) == 2)
    assert len(fake.refreshes) == 1
