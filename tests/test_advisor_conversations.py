"""The two advisors as real conversations through the REST webhook (trained NLU, action
server, SQLite): the support check's short form, the career quiz complete, stopped and
resumed, the quick path, and the rows they leave."""

from __future__ import annotations

import uuid
from typing import Dict, List

import pytest
from sqlalchemy import select

from bot.storage.db import session_scope
from bot.storage.models import Lead, QuizResult
import tests.test_lead_conversations as lead_talk

pytestmark = pytest.mark.server


def me() -> str:
    return f"advisor-{uuid.uuid4().hex[:10]}"


def joined(replies: List[Dict]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def buttons(replies: List[Dict]) -> List[Dict]:
    return [b for r in replies for b in r.get("buttons") or []]


def press(assistant, sender: str, replies: List[Dict], title: str) -> List[Dict]:
    """Press the button titled `title` in the last replies, like a user in the widget."""
    button = next((b for b in buttons(replies) if b["title"] == title), None)
    assert button, f"no button {title!r} in {[b['title'] for b in buttons(replies)]}"
    return assistant.say(sender, button["payload"])


def active_loop(assistant, sender: str):
    _, tracker = assistant.get_json(f"/conversations/{sender}/tracker")
    return (tracker.get("active_loop") or {}).get("name"), tracker["slots"]


# --- support check ---------------------------------------------------------------------

def test_short_form_asks_only_what_is_needed_then_gives_amounts_and_papers(assistant):
    user = me()
    replies = assistant.say(user, "em được hỗ trợ những gì khi đi học nghề ạ")
    text = joined(replies)
    assert "hỏi vài câu ngắn" in text and "Câu 1" in text and "trình độ nào" in text
    replies = press(assistant, user, replies, "Trung cấp")
    assert "dân tộc nào" in joined(replies)
    replies = assistant.say(user, "em là người Thái, nhà em hộ cận nghèo ạ")  # two answers typed at once
    text = joined(replies)
    assert "hộ nghèo hoặc hộ cận nghèo" not in text, "household was already given"
    assert "Nơi thường trú của bạn thuộc vùng nào?" in text
    assert [b["title"] for b in buttons(replies)][:4] == ["Thôn/bản ĐBKK hoặc xã khu vực III", "Xã biên giới",
                                                          "Xã khu vực I, II (vùng DTTS)", "Không thuộc các vùng trên"]
    replies = press(assistant, user, replies, "Thôn/bản ĐBKK hoặc xã khu vực III")
    asked = joined(replies)
    for _ in range(6):  # whatever else still matters (school type...), answered by its first button
        if "Bạn được hưởng" in asked:
            break
        assert "Câu " in asked, asked
        first = buttons(replies)[0]["title"]
        replies = press(assistant, user, replies, first)
        asked = joined(replies)
    text = asked
    assert "Với thông tin bạn cho biết (người Thái, hộ cận nghèo, học trung cấp, ở thôn/bản ĐBKK, xã khu vực III" in text
    assert "• NĐ 238/2025: miễn học phí" in text
    assert ("• QĐ 53/2015: học bổng chính sách 2.530.000 đ/tháng (100% lương cơ sở); mua đồ dùng cá nhân 1.000.000 đ (một lần); "
            "ở lại trường dịp Tết 150.000 đ/năm; tiền đi lại 300.000 đ/năm") in text
    assert "Số tiền tính theo lương cơ sở 2.530.000 đ/tháng từ 01/07/2026." in text
    assert len(text.split("Câu ")[-1]) <= 700 and "Hồ sơ cần chuẩn bị:" not in text  # details on a button
    assert "hướng dẫn làm hồ sơ" in text
    loop, slots = active_loop(assistant, user)
    assert loop is None and slots["profile"]["residence"]["dbkk"] is True
    # The details come on the buttons, then "có" to the registration offer starts the lead form.
    totals = joined(press(assistant, user, replies, "Tổng tiền cả khóa"))
    assert "Ước tính cho cả khóa 24 tháng" in totals and "50.600.000 đ - 60.720.000 đ" in totals
    assert "đang được xác nhận" in totals
    papers = joined(press(assistant, user, replies, "Hồ sơ cần chuẩn bị"))
    assert "Hồ sơ cần chuẩn bị" in papers and "Giấy chứng nhận hộ nghèo/cận nghèo" in papers
    assert "họ và tên" in joined(press(assistant, user, replies, "Có, đăng ký tư vấn"))


def test_free_text_gets_an_answer_at_once_and_can_continue_with_the_missing_questions(assistant):
    user = me()
    replies = assistant.say(user, "em người Mông, nhà hộ nghèo, học xong lớp 9, muốn học trung cấp thì được hỗ trợ gì")
    text = joined(replies)
    assert "Bạn được hưởng" in text and "miễn học phí" in text and "2.530.000 đ/tháng" in text
    assert "nếu học ở trường công lập" in text  # QĐ 53 depends on the school: asked, not assumed
    assert any(b["title"].startswith("Trả lời thêm") for b in buttons(replies))
    replies = press(assistant, user, replies, next(b["title"] for b in buttons(replies) if b["title"].startswith("Trả lời thêm")))
    text = joined(replies)
    assert "Câu 1" in text and "dân tộc nào" not in text and "trình độ nào" not in text
    replies = assistant.say(user, "xem kết quả luôn")
    assert "Bạn được hưởng" in joined(replies)
    assert active_loop(assistant, user)[0] is None


def support_form_after_the_level(assistant) -> tuple:
    """A conversation in the support form, its level answered: (sender, the question asked now)."""
    user = me()
    assistant.say(user, "em có được miễn học phí không")
    return user, joined(assistant.say(user, "cao_dang")).split("\n")[-1]


def test_a_question_during_the_form_is_answered_and_the_pending_question_asked_again(assistant):
    user, pending = support_form_after_the_level(assistant)
    replies = assistant.say(user, "học phí nghề hàn bao nhiêu vậy?")
    text = joined(replies)
    assert "học phí" in text.lower() and "Hàn" in text and "Mình vẫn giữ các câu bạn đã trả lời" in text
    assert text.rstrip().endswith(pending)  # the same question again, the form goes on
    loop, slots = active_loop(assistant, user)
    assert loop == "eligibility_form" and slots["profile"] == {"level": "cao_dang"}


def test_a_correction_of_an_earlier_answer_is_said_back_and_the_question_asked_again(assistant):
    user, pending = support_form_after_the_level(assistant)
    text = assistant.text(user, "a nham, e hoc trung cap chu ko phai cao dang")
    # The same question again (how many remain may change with the level).
    assert text.startswith("Mình đã sửa: học trung cấp.") and text.rstrip().endswith(pending.split("): ", 1)[1])
    assert active_loop(assistant, user)[1]["profile"] == {"level": "trung_cap"}


def test_another_request_during_the_form_ends_it_and_the_facts_are_kept(assistant):
    user, _ = support_form_after_the_level(assistant)
    text = assistant.text(user, "cho em gặp cán bộ tư vấn")
    assert "tạm dừng phần hỏi hoàn cảnh" in text and "chuyển yêu cầu" in text
    loop, slots = active_loop(assistant, user)
    assert loop is None and slots["profile"] == {"level": "cao_dang"}


def test_unclear_answer_is_asked_again_without_losing_answers(assistant):
    user = me()
    assistant.say(user, "em muốn biết mình được hỗ trợ gì")
    assistant.say(user, "so_cap")
    text = assistant.text(user, "ừm")
    assert "chưa hiểu câu trả lời" in text and "dân tộc nào" in text
    assert active_loop(assistant, user)[1]["profile"] == {"level": "so_cap"}


# --- career quiz -------------------------------------------------------------------------

def answer_quiz(assistant, user: str, replies: List[Dict], keys: List[str]) -> List[Dict]:
    for key in keys:
        replies = assistant.say(user, key)
    return replies


def quiz_rows(assistant) -> List[QuizResult]:
    with session_scope(assistant.db_url) as session:
        return list(session.scalars(select(QuizResult).order_by(QuizResult.id)))


def test_complete_quiz_gives_types_programmes_and_stores_an_anonymous_result(assistant):
    user = me()
    before = len(quiz_rows(assistant))
    replies = assistant.say(user, "em không biết nên học nghề gì")
    assert "trắc nghiệm sở thích" in joined(replies)
    replies = press(assistant, user, replies, "Làm trắc nghiệm")
    text = joined(replies)
    assert "Câu 1/15: Cuối tuần rảnh rỗi" in text
    assert [b["title"] for b in buttons(replies)][-2:] == ["Không thích cái nào", "Tạm dừng"]
    # A student who likes caring and helping (S) and making things beautiful (A).
    social = {"q02": "a", "q03": "b", "q06": "b", "q07": "c", "q10": "c", "q12": "b",
              "q01": "c", "q04": "b", "q05": "b", "q08": "a", "q09": "khong", "q11": "khong"}
    keys = [social[f"q{i:02d}"] for i in range(1, 13)] + ["lop12", "gan_nha"]
    replies = answer_quiz(assistant, user, replies, keys)
    assert "Câu 15/15 (không bắt buộc): Bạn ở xã/phường nào?" in joined(replies)
    replies = assistant.say(user, "em ở xã Bản Hon")
    text = joined(replies)
    assert "Kết quả trắc nghiệm sở thích của bạn:" in text
    assert "Xã hội - giúp đỡ (6/6 câu)" in text and "Nghệ thuật - sáng tạo" in text
    assert "Giáo dục mầm non" in text or "Điều dưỡng" in text
    assert "Thu nhập tham khảo khoảng" in text and "để lại thông tin" in text
    rows = quiz_rows(assistant)
    assert len(rows) == before + 1
    row = rows[-1]
    assert (row.commune, row.top_types[0], row.place, row.lead_reference) == ("Bản Hon", "S", "near_home", None)
    assert 3 <= len(row.programmes) <= 5
    # Registering afterwards links the result to the lead.
    start = assistant.text(user, "có")
    assert "họ và tên" in start
    assert "Mã đăng ký" in lead_talk.fill_form(assistant, user, last_reply=start)
    with session_scope(assistant.db_url) as session:
        lead = session.scalars(select(Lead).where(Lead.sender_id == user)).one()
        linked = session.get(QuizResult, row.id)
        assert linked.lead_reference == lead.reference


def test_stopped_quiz_resumes_where_it_stopped(assistant):
    user = me()
    replies = assistant.say(user, "cho em làm bài trắc nghiệm chọn nghề")
    assert "Câu 1/15" in joined(replies)
    replies = answer_quiz(assistant, user, replies, ["a", "b", "c", "a"])
    assert "Câu 5/15" in joined(replies)
    replies = assistant.say(user, "dừng lại")
    text = joined(replies)
    assert "Đã tạm dừng bài trắc nghiệm (đã trả lời 4/15 câu)" in text
    assert active_loop(assistant, user)[0] is None
    text = assistant.text(user, "học phí nghề điện bao nhiêu")  # an ordinary question in between
    assert "Câu" not in text.split("\n")[0]
    replies = assistant.say(user, "làm tiếp trắc nghiệm")
    assert "Câu 5/15" in joined(replies)
    _, slots = active_loop(assistant, user)
    assert slots["quiz_state"]["answers"] == {"q01": "a", "q02": "b", "q03": "c", "q04": "a"}
    replies = answer_quiz(assistant, user, replies, ["a"] * 8 + ["lop9", "dau_cung_duoc", "bỏ qua"])
    assert "Kết quả trắc nghiệm sở thích của bạn:" in joined(replies)
    assert quiz_rows(assistant)[-1].commune is None


def test_a_question_during_the_quiz_is_answered_and_the_quiz_goes_on(assistant):
    user = me()
    replies = assistant.say(user, "cho em làm bài trắc nghiệm chọn nghề")
    replies = answer_quiz(assistant, user, replies, ["a", "b"])
    assert "Câu 3/15" in joined(replies)
    text = assistant.text(user, "nghề hàn học mấy năm?")
    assert "Hàn" in text and "Câu 3/15" in text.split("Mình vẫn giữ các câu bạn đã trả lời")[-1]
    assert active_loop(assistant, user)[0] == "career_quiz_form"
    assert "Đã tạm dừng bài trắc nghiệm (đã trả lời 2/15 câu)" in assistant.text(user, "để lúc khác nhé")


def test_a_programme_question_with_a_level_inside_the_quiz_is_answered_and_the_quiz_goes_on(assistant):
    user = me()
    replies = assistant.say(user, "cho em làm bài trắc nghiệm chọn nghề")
    replies = answer_quiz(assistant, user, replies, ["a", "b"])
    text = assistant.text(user, "nghề hướng dẫn du lịch có hệ trung cấp không?")
    assert "Hướng dẫn du lịch" in text and "Câu 3/15" in text and "tạm dừng" not in text
    assert active_loop(assistant, user)[0] == "career_quiz_form"


def test_asking_how_long_the_quiz_is_answers_it_and_the_quiz_goes_on(assistant):
    user = me()
    replies = assistant.say(user, "cho em làm bài trắc nghiệm chọn nghề")
    replies = answer_quiz(assistant, user, replies, ["a"])
    text = assistant.text(user, "còn bao nhiêu câu nữa thế ạ?")
    assert text.startswith("Bài có 15 câu, bạn đang ở câu 2; còn 14 câu") and "Câu 2/15" in text
    assert active_loop(assistant, user)[0] == "career_quiz_form"
    assert "Câu 3/15" in assistant.text(user, "b")
    assert "Đã tạm dừng bài trắc nghiệm (đã trả lời 2/15 câu)" in assistant.text(user, "để mai em làm tiếp nhé")


def test_offer_to_resume_after_a_break(assistant):
    user = me()
    assistant.say(user, "em muốn làm trắc nghiệm sở thích")
    assistant.say(user, "a")
    assert "Đã tạm dừng bài trắc nghiệm" in assistant.text(user, "thôi ạ")  # typed, not the button
    replies = assistant.say(user, "ad ơi em chưa biết nên học nghề gì")
    text = joined(replies)
    assert "đang làm dở bài trắc nghiệm sở thích (đã trả lời 1/15 câu)" in text
    replies = press(assistant, user, replies, "Làm tiếp trắc nghiệm")
    assert "Câu 2/15" in joined(replies)


def test_quick_path_suggests_programmes_without_the_quiz(assistant):
    user = me()
    replies = assistant.say(user, "em thích sửa xe, nên học nghề gì ạ")
    text = joined(replies)
    assert "Sửa chữa xe máy" in text or "Công nghệ ô tô" in text
    assert "Thu nhập tham khảo khoảng" in text
    assert "Câu 1/15" not in text
    assert active_loop(assistant, user)[0] is None
    assert any(b["title"] == "Làm trắc nghiệm" for b in buttons(replies))
    # A button pressed later, after another one, still does what its title says.
    press(assistant, user, replies, "Sửa chữa xe máy")
    assert "Câu 1/15" in joined(press(assistant, user, replies, "Làm trắc nghiệm"))


def test_a_bare_statement_continues_the_support_check_and_facts_typed_in_the_form_are_kept(assistant):
    user = me()
    first = joined(assistant.say(user, "con tôi người Mông, nhà tôi hộ nghèo, cháu muốn học trung cấp ở trường cao đẳng của tỉnh"))
    assert "Với thông tin bạn cho biết về con bạn (người Mông, hộ nghèo, học trung cấp)" in first
    assert "nếu học ở trường công lập" in first
    text = assistant.text(user, "Trường công lập")  # the NLU may call this a programme: it is the school type
    assert "Bạn được hưởng:" in text and "QĐ 53/2015: học bổng chính sách 2.530.000 đ/tháng" in text
    # In the form, a fact typed for another question is an answer, not a new request.
    other = me()
    assistant.say(other, "em muốn biết mình được hỗ trợ gì")
    assistant.say(other, "trung_cap")
    text = assistant.text(other, "em là người Dao, đã tốt nghiệp THCS ạ")
    assert "tạm dừng" not in text and "Câu " in text
    loop, slots = active_loop(assistant, other)
    assert loop == "eligibility_form" and slots["profile"]["ethnic_group"] == "Dao"
    assert slots["profile"]["lower_secondary_graduate"] is True


def test_out_of_scope_for_the_nlu_but_known_to_the_knowledge_base(assistant):
    user = me()
    assert "150.000 đ/năm" in assistant.text(user, "hỗ trợ ăn Tết bao nhiêu")
    assert "chỉ tư vấn về học nghề" in assistant.text(user, "ngày mai xem bóng đá ở đâu")
