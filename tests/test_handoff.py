"""Live handoff end to end: a Telegram user asks for a person; a counsellor takes the
conversation in the console (real Chromium), the assistant goes silent, the reply reaches the
fake Telegram Bot API, and closing hands the conversation back to the assistant."""

from __future__ import annotations

import asyncio
import json
import datetime as dt
import threading
import time
import urllib.parse
import uuid
from typing import Iterator

import pytest
from sqlalchemy import select

from bot import office_hours
from bot.console import auth
from bot.devserver import running_console
from bot.storage.db import session_scope
from bot.storage.models import Handoff, HandoffMessage
from tests.conftest import ARTIFACTS
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def telegram_api() -> Iterator[dict]:
    fake = FakeTelegram()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    holder: dict = {}

    def serve():
        asyncio.set_event_loop(loop)
        holder["base"] = loop.run_until_complete(fake.start())
        ready.set()
        loop.run_forever()

    threading.Thread(target=serve, daemon=True).start()
    ready.wait(10)
    yield {"fake": fake, "base": holder["base"]}
    asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)


@pytest.fixture(scope="module")
def console_for(assistant, telegram_api, tmp_path_factory) -> Iterator[str]:
    name = f"cb{uuid.uuid4().hex[:6]}"
    auth.create_user(name, "Cô Hoa", "counsellor", "Hoaban-Doi-Nuoc-26", assistant.db_url)
    env = {"RASA_URL": assistant.url, "RASA_API_TOKEN": assistant.token, "TELEGRAM_BOT_TOKEN": "123456:TEST-TOKEN",
           "TELEGRAM_API_BASE_URL": telegram_api["base"]}
    with running_console(tmp_path_factory.mktemp("handoff_console"), assistant.db_url, env) as url:
        yield {"url": url, "user": name}


def handoffs_of(db_url: str, sender: str):
    with session_scope(db_url) as session:
        return list(session.scalars(select(Handoff).where(Handoff.sender_id == sender)))


def wait_for(predicate, timeout: float = 10.0):
    deadline = time.time() + timeout
    while not predicate():
        assert time.time() < deadline, "timed out"
        time.sleep(0.1)


def test_counsellor_takes_over_replies_on_telegram_and_hands_back(browser, assistant, console_for, telegram_api):
    fake = telegram_api["fake"]
    chat = 4000 + int(uuid.uuid4().int % 999)
    user = f"telegram:{chat}"
    assert "chuyển yêu cầu" in assistant.text(user, "cho tôi gặp cán bộ tư vấn")
    (row,) = handoffs_of(assistant.db_url, user)
    assert (row.status, row.channel, row.reason) == ("waiting", "telegram", "request_human") and row.lead_reference

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.goto(console_for["url"] + "/console/login")
    page.get_by_label("Tên đăng nhập").fill(console_for["user"])
    page.get_by_label("Mật khẩu").fill("Hoaban-Doi-Nuoc-26")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/console/leads")
    page.get_by_role("link", name="Hộp thư tư vấn").click()
    page.get_by_role("link", name=f"Mở #{row.id}").click()
    assert "cho tôi gặp cán bộ tư vấn" in page.locator(".chat").inner_text()
    page.get_by_role("button", name="Nhận xử lý").click()
    page.wait_for_selector("#reply")

    # While the counsellor handles it, the assistant stays silent.
    assert assistant.say(user, "dạ em chào cô, em muốn hỏi về học bổng") == []

    page.get_by_label("Trả lời người hỏi (gửi qua telegram)").fill("Chào em, cô là cán bộ tuyển sinh. Em học trình độ nào?")
    page.get_by_role("button", name="Gửi").click()
    wait_for(lambda: any(m.get("chat_id") in (chat, str(chat)) for m in fake.sent()))
    sent = [m for m in fake.sent() if m.get("chat_id") in (chat, str(chat))]
    assert sent[-1]["text"] == "Chào em, cô là cán bộ tuyển sinh. Em học trình độ nào?"
    page.reload()
    chat_text = page.locator(".chat").inner_text()
    assert "em muốn hỏi về học bổng" in chat_text and "Cán bộ: Chào em, cô là cán bộ tuyển sinh" in chat_text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console-handoff.png"), full_page=True)

    page.get_by_role("button", name="Kết thúc, trả lại cho trợ lý").click()
    page.wait_for_selector("text=Đã kết thúc")
    wait_for(lambda: "Trợ lý tự động tiếp tục" in [m for m in fake.sent() if m.get("chat_id") in (chat, str(chat))][-1]["text"])
    assert "Học phí nghề Hàn" in assistant.text(user, "học phí nghề hàn bao nhiêu")  # the assistant answers again
    with session_scope(assistant.db_url) as session:
        messages = list(session.scalars(select(HandoffMessage).where(HandoffMessage.sender_id == user)))
    assert [m.delivered for m in messages] == [True, True]
    assert handoffs_of(assistant.db_url, user)[0].status == "closed"
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/console/login")
    context.close()


def test_widget_user_gets_the_counsellor_message_from_the_inbox(assistant):
    from bot import handoff

    user = f"web-{uuid.uuid4().hex}"
    hid = handoff.request(user, "rest", "request_human", url=assistant.db_url)
    handoff.record_message(hid, user, "hoa", "Chào em, cô đây.", True, url=assistant.db_url)
    status, body = assistant.get_json(f"/webhooks/webchat/inbox?sender={user}&after=0")
    assert status == 200 and [m["text"] for m in body] == ["Chào em, cô đây."]
    status, later = assistant.get_json(f"/webhooks/webchat/inbox?sender={user}&after={body[0]['id']}")
    assert later == []
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as bad:
        urllib.request.urlopen(f"{assistant.url}/webhooks/webchat/inbox?sender={user}&after=abc", timeout=10)
    assert bad.value.code == 400


def test_office_hours(kb):
    import dataclasses

    ict = dt.timezone(dt.timedelta(hours=7))
    monday_9 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=ict)
    friday_evening = dt.datetime(2026, 11, 27, 19, 0, tzinfo=ict)
    lunch = dt.datetime(2026, 11, 23, 12, 0, tzinfo=ict)
    # The college has not confirmed its hours (contacts.yml): no time is ever promised.
    unconfirmed = kb.contacts.office_hours
    assert office_hours.is_open(unconfirmed, monday_9) is None
    assert office_hours.when_we_answer(unconfirmed, friday_evening) == office_hours.UNCONFIRMED
    # Once confirmed, the hours decide what the person is told.
    hours = dataclasses.replace(unconfirmed, schedule="mon-fri 07:30-11:30,13:30-17:00", verification="verified")
    assert office_hours.is_open(hours, monday_9) and not office_hours.is_open(hours, lunch)
    assert office_hours.when_we_answer(hours, monday_9) == ""
    assert "từ 13:30 hôm nay" in office_hours.when_we_answer(hours, lunch)
    assert "từ 07:30 thứ Hai (30/11)" in office_hours.when_we_answer(hours, friday_evening)
    assert office_hours.is_open(hours, monday_9.astimezone(dt.timezone.utc))  # zones are converted


def test_one_counsellor_at_a_time(sqlite_url):
    from bot import handoff
    from bot.storage.db import migrate

    migrate(sqlite_url)
    hid = handoff.request("zalo:u1", "zalo", "request_human", url=sqlite_url)
    assert handoff.request("zalo:u1", "zalo", "failed_twice", url=sqlite_url) == hid  # one open handoff per person
    with pytest.raises(handoff.HandoffError, match="nhận xử lý cuộc trò chuyện trước"):
        handoff.check_writer(hid, "hoa", url=sqlite_url)
    assert handoff.take(hid, "hoa", url=sqlite_url).taken_by == "hoa"
    with pytest.raises(handoff.HandoffError, match="do hoa xử lý"):
        handoff.take(hid, "lan", url=sqlite_url)
    with pytest.raises(handoff.HandoffError, match="do hoa xử lý"):
        handoff.close(hid, "lan", url=sqlite_url)
    assert handoff.close(hid, "hoa", url=sqlite_url).status == "closed"
    assert not handoff.is_open_for("zalo:u1", url=sqlite_url)
    assert handoff.request("zalo:u1", "zalo", "request_human", url=sqlite_url) != hid  # a new request later


def test_the_inbox_serves_no_other_channels_messages_and_nothing_after_erasure(assistant):
    """Review H1: the inbox returned a Telegram user's counsellor messages to anyone, and kept
    serving them after the person erased their data."""
    import urllib.error
    import urllib.request

    from bot import handoff
    from bot.leads.service import erase_sender

    telegram = f"telegram:9{uuid.uuid4().int % 10**8}"
    hid = handoff.request(telegram, "telegram", "request_human", url=assistant.db_url)
    handoff.record_message(hid, telegram, "hoa", "Gửi bạn (Telegram): mã HS-TG-043037", True, url=assistant.db_url)
    for sender in (telegram, "zalo:884422", "web-1", "web-" + "A" * 32):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{assistant.url}/webhooks/webchat/inbox?"
                                   + urllib.parse.urlencode({"sender": sender, "after": 0}), timeout=10)
        assert refused.value.code == 400 and "khung chat trên website" in json.loads(refused.value.read())["error"]
    web = f"web-{uuid.uuid4().hex}"
    hid = handoff.request(web, "rest", "request_human", url=assistant.db_url)
    handoff.record_message(hid, web, "hoa", "Chào em, hồ sơ của em thiếu giấy khai sinh.", True, url=assistant.db_url)
    assert [m["text"] for m in assistant.get_json(f"/webhooks/webchat/inbox?sender={web}&after=0")[1]] == [
        "Chào em, hồ sơ của em thiếu giấy khai sinh."]
    erase_sender("rest", web, url=assistant.db_url)
    assert assistant.get_json(f"/webhooks/webchat/inbox?sender={web}&after=0") == (200, [])
