"""The lead form through the REST webhook, with the rows it leaves in SQLite and PostgreSQL,
and the database taken away mid-conversation."""

from __future__ import annotations

import time
import uuid
from typing import Iterator, List

import pytest
from sqlalchemy import select

from bot.devserver import next_form_answer
from bot.storage.db import session_scope
from bot.storage.models import Lead
from tests.conftest import Assistant, start_assistant
from tests.tcp_proxy import CuttableProxy

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def proxy() -> Iterator[CuttableProxy]:
    yield CuttableProxy(("127.0.0.1", 5432)).start()


@pytest.fixture(scope="module")
def assistant_pg(tmp_path_factory, postgres_url, proxy) -> Iterator[Assistant]:
    """The assistant on PostgreSQL, reached through a proxy the tests can cut."""
    through_proxy = postgres_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
    work = tmp_path_factory.mktemp("assistant_pg")
    for running in start_assistant(work, through_proxy, {"OUTBOX_FLUSH_SECONDS": "1"}):
        running.direct_db_url = postgres_url
        yield running


@pytest.fixture(params=["sqlite", "postgresql"])
def bot(request) -> Assistant:
    return request.getfixturevalue("assistant" if request.param == "sqlite" else "assistant_pg")


def db_of(bot: Assistant) -> str:
    return getattr(bot, "direct_db_url", bot.db_url)


def lead_rows(bot: Assistant, sender: str) -> List[Lead]:
    with session_scope(db_of(bot)) as session:
        return list(session.scalars(select(Lead).where(Lead.sender_id == sender)))


def talk(bot: Assistant, me: str, *messages: str) -> str:
    text = ""
    for message in messages:
        text = bot.text(me, message)
    return text


def unique_phone() -> str:
    """A different valid number each time: the same phone and programme would be merged (dedupe)."""
    return "091" + str(uuid.uuid4().int)[:7]


def fill_form(bot: Assistant, me: str, phone: str = "", last_reply: str = "họ và tên") -> str:
    """Answer whatever the form asks, like a person would, until the reference code comes."""
    reply = last_reply
    for _ in range(12):
        if "Mã đăng ký" in reply:
            return reply
        answer = next_form_answer(reply, phone or unique_phone())
        assert answer, f"unexpected question: {reply!r}"
        reply = bot.text(me, answer)
    return reply


def test_full_form_with_prefilled_programme_gives_a_reference_and_a_row(bot):
    me = f"form-{uuid.uuid4().hex[:8]}"
    talk(bot, me, "nghề hàn học mấy năm")
    first = bot.text(me, "tôi muốn đăng ký cho con học nghề này")
    assert "họ và tên" in first
    final = talk(bot, me, "Lò Văn Minh", "0912 345 678", "phu_huynh", "xã Bản Lang", "toi", "đồng ý", "đúng rồi")
    assert "Mã đăng ký của bạn là LC-" in final and "Nghề quan tâm: Hàn" in final
    [row] = lead_rows(bot, me)
    assert (row.name, row.phone, row.role, row.commune, row.programmes, row.contact_time, row.status) == (
        "Lò Văn Minh", "0912345678", "phu_huynh", "Khổng Lào", ["han"], "toi", "new")  # xã Bản Lang is now part of Khổng Lào
    assert row.reference in final and not row.is_minor
    with session_scope(db_of(bot)) as session:
        row = session.merge(row)
        assert any(m["text"] == "nghề hàn học mấy năm" for m in row.conversation.last_messages)
        assert row.consents[0].text_version and not row.consents[0].parent_consent


def test_wrong_phone_is_asked_again_and_correction_from_summary(bot):
    me = f"form-{uuid.uuid4().hex[:8]}"
    talk(bot, me, "em muốn đăng ký học", "Lò Thị Hoa")
    assert "chưa đúng" in bot.text(me, "0912")
    talk(bot, me, "0912345678", "người lao động", "Pa Tần", "điện dân dụng", "sáng")
    summary = bot.text(me, "đồng ý")
    assert "0912345678" in summary and "Lò Thị Hoa" in summary
    assert "Số điện thoại" in bot.text(me, "sửa số điện thoại")
    assert "0387654321" in bot.text(me, "0387 654 321")
    assert "Mã đăng ký" in bot.text(me, "đúng rồi")
    [row] = lead_rows(bot, me)
    assert (row.phone, row.name, row.programmes) == ("0387654321", "Lò Thị Hoa", ["dien_dan_dung"])


def test_cancelling_stores_nothing(bot):
    me = f"form-{uuid.uuid4().hex[:8]}"
    talk(bot, me, "cho em đăng ký học", "Vàng A Páo")
    assert "Đã hủy đăng ký" in bot.text(me, "thôi")
    assert lead_rows(bot, me) == []
    assert bot.text(me, "học phí nghề may bao nhiêu").startswith("Học phí nghề May")


def test_minor_needs_parent_consent(bot):
    me = f"form-{uuid.uuid4().hex[:8]}"
    talk(bot, me, "em học lớp 9 em muốn đăng ký", "Tẩn Văn Sài", "0966123456", "hs_thcs", "chưa", "Dào San", "chưa biết",
         "bat_ky")
    assert "dưới 16 tuổi" in bot.text(me, "đồng ý")
    assert "Mã đăng ký" in talk(bot, me, "có", "đúng rồi")
    [row] = lead_rows(bot, me)
    assert row.is_minor and row.programmes == []
    with session_scope(db_of(bot)) as session:
        assert session.merge(row).consents[0].parent_consent


def test_minor_without_parent_consent_is_not_stored(bot):
    me = f"form-{uuid.uuid4().hex[:8]}"
    talk(bot, me, "em muốn đăng ký học nghề", "Sùng A Lử", "0355123456", "hs_thcs", "15 tuổi", "Mường Tè", "chưa biết", "sang",
         "đồng ý")
    assert "chưa được lưu" in bot.text(me, "chưa")
    assert lead_rows(bot, me) == []


def test_delete_my_data_after_registering(bot):
    me = f"form-{uuid.uuid4().hex[:8]}"
    fill_form(bot, me, phone="0977888999", last_reply=bot.text(me, "em muốn đăng ký học"))
    assert "Bạn chắc chắn muốn xóa" in bot.text(me, "xóa thông tin của tôi")
    assert bot.text(me, "có").startswith("Đã xóa")
    with session_scope(db_of(bot)) as session:
        row = session.scalar(select(Lead).where(Lead.phone == "0977888999"))
        assert row is None
        erased = session.scalars(select(Lead).where(Lead.anonymised_at.is_not(None))).all()
        assert erased and all(r.name is None and r.phone is None for r in erased)


def test_request_human_creates_a_waiting_lead(bot):
    me = f"human-{uuid.uuid4().hex[:8]}"
    text = bot.text(me, "cho tôi gặp cán bộ tư vấn")
    assert "chuyển yêu cầu" in text
    # The college has not confirmed its hours: no time is promised (contacts.yml office_hours).
    assert "giờ làm việc của bộ phận tuyển sinh đang chờ trường xác nhận" in text and "07:30" not in text
    [row] = lead_rows(bot, me)
    assert row.status == "waiting_human" and row.phone is None


def test_asking_twice_for_a_person_keeps_one_ticket(assistant):
    me = f"human-{uuid.uuid4().hex[:8]}"
    first = assistant.text(me, "cho tôi gặp cán bộ tư vấn")
    again = assistant.text(me, "em muốn nói chuyện với người thật")
    [row] = lead_rows(assistant, me)
    assert row.reference in first and row.reference in again
    assert "vẫn đang chờ" in again and "không cần gửi lại" in again


def test_a_question_inside_the_form_is_answered_and_the_question_asked_again(assistant):
    me = f"form-{uuid.uuid4().hex[:8]}"
    assert "họ và tên" in assistant.text(me, "em muốn đăng ký học")
    answered = assistant.text(me, "học phí nghề may bao nhiêu?")
    assert "Học phí" in answered and "May" in answered  # the question, answered
    assert answered.rstrip().endswith("(gõ \"hủy\" bất cứ lúc nào để dừng).")  # then the name asked again
    assert assistant.text(me, "cảm ơn ạ").startswith("Bạn cho mình xin họ và tên")  # thanks are not a name
    assert "Kiểm tra giúp em" not in str(assistant.say(me, "học phí nghề hàn bao nhiêu?"))  # no other flow offered
    summary = talk(assistant, me, "Lò Văn Minh", "0912 345 678", "người lao động", "Bản Lang", "hàn", "sáng", "đồng ý")
    assert "Họ tên: Lò Văn Minh" in summary and "Cảm" not in summary


def test_a_correction_in_a_sentence_is_taken_and_keeps_every_other_answer(assistant):
    me = f"form-{uuid.uuid4().hex[:8]}"
    first, right = unique_phone(), unique_phone()
    summary = talk(assistant, me, "em muốn đăng ký học", "Lò Thị Hoa", first, "người lao động", "Pa Tần",
                   "điện dân dụng", "sáng", "đồng ý")
    assert first in summary
    fixed = assistant.text(me, f"em nhầm số, số đúng là {right[:4]} {right[4:7]} {right[7:]}")
    assert f"Mình đã sửa số điện thoại thành {right}." in fixed
    assert "Họ tên: Lò Thị Hoa" in fixed and "Xã/phường: Pa Tần" in fixed and "Điện dân dụng" in fixed
    assert "Mã đăng ký" in assistant.text(me, "đúng rồi")
    [row] = lead_rows(assistant, me)
    assert (row.phone, row.name, row.commune) == (right, "Lò Thị Hoa", "Pa Tần")


def test_pausing_the_form_keeps_the_answers_and_it_is_taken_up_again(assistant):
    me = f"form-{uuid.uuid4().hex[:8]}"
    talk(assistant, me, "em muốn đăng ký học", "Giàng Thị Sua")
    paused = assistant.text(me, "để lúc khác nhé")
    assert "tạm dừng phần đăng ký" in paused and "vẫn được giữ" in paused
    assert lead_rows(assistant, me) == []  # nothing is sent to the college while paused
    resumed = assistant.text(me, "em muốn đăng ký")
    assert "làm tiếp phần đăng ký" in resumed and "Số điện thoại" in resumed  # the next question, not the name
    summary = talk(assistant, me, "0966123457", "người lao động", "Bản Lang", "chưa biết", "sáng", "đồng ý")
    assert "Họ tên: Giàng Thị Sua" in summary


def test_database_down_mid_conversation_every_lead_arrives_once(assistant_pg, proxy):
    """N leads while PostgreSQL is unreachable and after: exactly N rows once it is back."""
    before, during, after = [f"out-{i}-{uuid.uuid4().hex[:6]}" for i in range(2)], [], []
    for me in before:
        fill_form(assistant_pg, me, last_reply=assistant_pg.text(me, "em muốn đăng ký học"))
    senders_mid = [f"out-mid-{i}-{uuid.uuid4().hex[:6]}" for i in range(3)]
    waiting = {}
    for me in senders_mid:  # the conversation starts while the database is up...
        waiting[me] = talk(assistant_pg, me, "em muốn đăng ký học", "Lò Văn Minh", unique_phone())
    proxy.cut()  # ...and the database goes away before the form ends
    try:
        for i, me in enumerate(senders_mid):
            final = fill_form(assistant_pg, me, last_reply=waiting[me])
            assert "Mã đăng ký của bạn là LC-" in final  # the person never notices
            during.append(me)
        queued = assistant_pg.work / "data" / "outbox.db"
        assert queued.exists()
    finally:
        proxy.restore()
    for me in [f"out-after-{uuid.uuid4().hex[:6]}"]:
        fill_form(assistant_pg, me, last_reply=assistant_pg.text(me, "em muốn đăng ký học"))
        after.append(me)
    everyone = before + during + after
    deadline = time.time() + 30
    while time.time() < deadline:
        rows = [r for me in everyone for r in lead_rows(assistant_pg, me)]
        if len(rows) >= len(everyone):
            break
        time.sleep(1)
    rows = [r for me in everyone for r in lead_rows(assistant_pg, me)]
    assert len(rows) == len(everyone) == 6
    assert len({r.reference for r in rows}) == 6
    time.sleep(2)  # the flusher keeps running: still exactly once
    assert sum(len(lead_rows(assistant_pg, me)) for me in everyone) == 6


def test_no_phone_or_name_in_info_logs(assistant, assistant_pg):
    for running in (assistant, assistant_pg):
        for log in ("actions.log", "rasa.log"):
            text = (running.work / log).read_text(encoding="utf-8", errors="replace")
            for secret in ("0912345678", "0912 345 678", "Lò Văn Minh", "0387654321", "Lò Thị Hoa"):
                assert secret not in text, (log, secret)


def test_a_correction_of_the_name_where_the_phone_is_asked_is_taken_not_answered_as_a_question(bot):
    me = f"form-{uuid.uuid4().hex[:8]}"
    talk(bot, me, "ok, e dang ky tu van", "Vang Thi Mai")
    reply = bot.text(me, "e nham, ten e la Vang Thi May")  # "May" is also a trade (may thời trang)
    assert reply.startswith("Mình đã sửa họ tên thành Vang Thi May.") and "Số điện thoại" in reply
    assert "Nghề May thời trang" not in reply


def test_a_question_heard_as_registering_is_answered_and_the_form_only_offered(assistant):
    me = f"form-{uuid.uuid4().hex[:8]}"
    replies = assistant.say(me, "Chị 30 tuổi, muốn học sơ cấp dệt thổ cẩm có được không em?")
    text = "\n".join(r.get("text") or "" for r in replies)
    assert text.startswith("Có") and "họ và tên" not in text  # answered; no form the person did not ask for
    payloads = [b["payload"] for r in replies for b in r.get("buttons") or []]
    assert any(p.startswith("/register_interest") for p in payloads)
    follow = assistant.text(me, "Học mấy tháng?")
    assert "tháng" in follow and "họ và tên" not in follow  # the thread, not a form question
    assert "họ và tên" in assistant.text(me, "/register_interest")  # the offer, pressed, starts it
