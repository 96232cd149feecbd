"""The thread of the conversation (bot/thread.py): short follow-ups read against the previous answer,
as functions, then through the REST webhook with the trained model."""

from __future__ import annotations

import uuid

import pytest

from bot import dialogue
from bot.answers import Context

MONG_POOR = {"ethnicity": "minority", "ethnic_group": "Mông", "household": "poor", "level": "trung_cap",
             "public_school": True}


@pytest.fixture
def turn(kb, today):
    def _turn(intent: str, text: str, topic=None, offered=(), **slots):
        return dialogue.answer_turn(intent, Context(kb, text, today, intent, {}, slots, [], topic=topic,
                                                    offered=list(offered)))
    return _turn


def test_a_level_alone_continues_the_programme_its_fee_or_the_catalogue(turn):
    text = turn("check_eligibility", "còn hệ cao đẳng?", "ask_programme_info", programme="han").text
    assert text.startswith("Nghề Hàn không có trình độ cao đẳng trong danh mục dự kiến; nghề này có ở trình độ "
                           "sơ cấp và trung cấp")
    fee = turn("check_eligibility", "còn sơ cấp thì sao?", "ask_tuition").text
    assert fee.startswith("Học phí từng nghề") and "Người học sơ cấp có thể được miễn hoặc giảm học phí" in fee
    listing = turn("inform", "còn trung cấp?", "ask_programmes").text
    assert listing.startswith("Các ngành, nghề trình độ trung cấp")


def test_this_programme_is_the_one_of_the_previous_answer_or_asked(turn):
    text = turn("ask_why_vocational", "nghề này học mấy năm?", "ask_programme_info", programme="dien_cong_nghiep").text
    assert text.startswith("Nghề Điện công nghiệp") and "2,5 - 3 năm" in text
    which = turn("ask_why_vocational", "nghề này học mấy năm?", "ask_career_advice",
                 offered=["sua_chua_xe_may", "cong_nghe_o_to"])
    assert which.text.startswith("Bạn muốn hỏi về nghề nào?")
    assert [b.title for b in which.buttons] == ["Sửa chữa xe máy", "Công nghệ ô tô"]  # the two just suggested
    fee = turn("ask_tuition", "học phí nghề này bao nhiêu", "ask_programme_info", programme="han").text
    assert fee.startswith("Học phí nghề Hàn")


def test_another_day_alone_asks_the_previous_amount_on_that_day(turn, kb):
    before = turn("ask_programmes", "còn hồi tháng 3 năm 2026 thì sao", "ask_policy", policy="qd53").text
    assert before.startswith("(Tính cho ngày 01/03/2026.)") and "2.340.000 đ/tháng" in before
    mine = turn("inform", "năm ngoái thì được bao nhiêu", "check_eligibility", profile=MONG_POOR).text
    assert mine.startswith("(Tính cho ngày 31/12/2025.)") and "2.340.000 đ/tháng" in mine and "2.530.000" not in mine


def test_that_support_however_long_the_sentence_is_the_previous_one(turn):
    text = turn("ask_policy", "thế còn mức hỗ trợ đó thì người ta tính theo tháng hay theo năm vậy", "ask_policy",
                policy="nd57").text
    assert "NĐ 57" in text and "QĐ 53" not in text.split("\n")[0]
    school_year = turn("ask_tuition", "hồi năm học trước thì khoản đó được bao nhiêu một tháng", "ask_policy",
                       policy="qd53").text
    assert school_year.startswith("(Tính cho ngày 01/10/2025.)") and "2.340.000 đ/tháng" in school_year


def test_a_short_question_in_a_policy_thread_is_about_that_policy(turn):
    amount = turn("ask_policy", "mức hỗ trợ là bao nhiêu ạ?", "ask_policy", policy="nd57").text
    assert "NĐ 57" in amount and "Người học nghề ở Lai Châu có thể được hỗ trợ theo các chính sách" not in amount
    months = turn("ask_programme_info", "thế một năm được mấy tháng?", "ask_policy", policy="qd53").text
    assert "10 hay 12" in months and not months.startswith("Bạn muốn hỏi về nghề nào")
    trade = turn("ask_programme_info", "nghề hàn học mấy năm?", "ask_policy", policy="qd53").text
    assert trade.startswith("Nghề Hàn")  # a programme named is a new topic


def test_a_yes_no_about_a_level_after_a_programme_starts_with_the_answer(turn):
    no = turn("ask_programmes", "có hệ cao đẳng không?", "ask_programme_info", programme="dien_dan_dung").text
    assert no.startswith("Không: nghề Điện dân dụng không có trình độ cao đẳng")
    yes = turn("ask_programmes", "thế có hệ trung cấp không", "ask_programme_info", programme="dien_dan_dung").text
    assert yes.startswith("Có, nghề Điện dân dụng có trình độ trung cấp")


def test_papers_and_totals_after_a_policy_or_a_support_check(turn):
    papers = turn("ask_admission", "vậy hồ sơ gồm gì?", "ask_policy", policy="qd53").text
    assert papers.startswith("Hồ sơ đề nghị hưởng chính sách nội trú (QĐ 53/2015/QĐ-TTg):")
    mine = turn("ask_admission", "vậy hồ sơ gồm gì?", "check_eligibility", profile=MONG_POOR).text
    assert mine.startswith("Hồ sơ cần chuẩn bị") and "Phụ lục IV" in mine
    totals = turn("ask_tuition", "tổng cả khóa được bao nhiêu", "check_eligibility", profile=MONG_POOR).text
    assert totals.startswith("Ước tính cho cả khóa 24 tháng") and "học bổng chính sách: 50.600.000 đ - 60.720.000 đ" in totals
    after_a_support = turn("ask_tuition", "vậy tổng cả khóa được bao nhiêu?", "ask_policy", policy="qd53", profile=MONG_POOR)
    assert after_a_support.text.startswith("Ước tính cho cả khóa 24 tháng")


def test_a_new_topic_or_a_full_question_is_answered_as_asked(turn):
    # A programme named, the learner's situation, a long question: the thread does not override them.
    assert turn("ask_programme_info", "còn nghề may?", "ask_programme_info", programme="han").text.startswith(
        "Nghề May thời trang")
    stated = turn("check_eligibility", "em người Thái học cao đẳng", "ask_programme_info", programme="han").text
    assert stated.startswith("Với thông tin bạn cho biết (người Thái, học cao đẳng)")
    general = turn("ask_admission", "hồ sơ nhập học gồm những gì", None).text
    assert general.startswith("Hồ sơ nhập học thường gồm")



@pytest.mark.server
def test_follow_ups_through_the_webhook_keep_the_thread(assistant):
    me = f"thread-{uuid.uuid4().hex[:8]}"
    assistant.text(me, "chính sách nội trú là gì")
    assert assistant.text(me, "vậy hồ sơ gồm gì?").startswith("Hồ sơ đề nghị hưởng chính sách nội trú")
    assistant.text(me, "nghề hàn học mấy năm")
    assert assistant.text(me, "còn hệ cao đẳng?").startswith("Nghề Hàn không có trình độ cao đẳng")
    assistant.text(me, "cho em gặp cán bộ tư vấn")  # a handoff in between keeps the thread
    assert assistant.text(me, "học phí nghề này bao nhiêu?").startswith("Học phí nghề Hàn")
    other = f"thread-{uuid.uuid4().hex[:8]}"
    assistant.text(other, "em người Mông, hộ nghèo, học trung cấp trường công lập")
    assert assistant.text(other, "vậy hồ sơ gồm gì?").startswith("Hồ sơ cần chuẩn bị")
    assert assistant.text(other, "tổng cả khóa được bao nhiêu").startswith("Ước tính cho cả khóa")


def test_a_programme_question_with_a_level_is_not_the_persons_situation(kb, today):
    """Inside a form: "nghề du lịch có hệ trung cấp không?" is answered, not taken for the support check."""
    asked = lambda text: dialogue.knowledge_intent(Context(kb, text, today))  # noqa: E731
    assert asked("nghề hướng dẫn du lịch có hệ trung cấp không?") == "ask_programme_info"
    assert asked("trung cấp nghề hàn học mấy năm") == "ask_programme_info"
    assert asked("em người Thái hộ nghèo học nghề hàn được hỗ trợ gì") == "check_eligibility"


def test_a_trade_said_with_the_support_question_is_kept_and_said_back(turn):
    """"con tôi ... muốn học nghề may" answered with the support: the trade is named in the answer
    and remembered, so "học trung cấp bao lâu?" is about May thời trang."""
    first = turn("check_eligibility", "chao ad, con toi ng Mang o Nam Nhun, hoc xong lop 9, muon hoc nghe may")
    assert "Nghề May thời trang có ở trình độ sơ cấp và trung cấp" in first.text
    assert first.slots["programme"] == "may_thoi_trang" and first.text.endswith("không?")  # the offer stays last
    then = turn("ask_programme_info", "hoc tc bao lau", "check_eligibility", programme=first.slots["programme"]).text
    assert then.startswith("Nghề May thời trang") and "Trung cấp" in then


def test_can_i_learn_a_trade_is_answered_yes_with_the_entry(turn):
    text = turn("ask_programme_info", "e hoc xong lop 9 roi, muon hoc nghe sua xe may co dc ko").text
    assert text.startswith("Có, nghề Sửa chữa xe máy có ở trình độ sơ cấp") and "đầu vào: Từ 15 tuổi" in text
    assert not turn("ask_programme_info", "nghề hàn có khó không").text.startswith("Có")


def test_a_fee_question_that_names_another_support_is_about_that_support(turn):
    text = turn("ask_tuition", "Em ở bản đặc biệt khó khăn, tiền đi lại một năm bao nhiêu?").text
    assert "tiền đi lại 300.000 đ/năm" in text and "200.000" not in text and "Học phí" not in text
    assert turn("ask_tuition", "học phí nghề hàn bao nhiêu").text.startswith("Học phí nghề Hàn")


def test_a_question_about_the_support_just_answered_is_about_that_support(turn, kb, today):
    first = turn("ask_policy", "được hỗ trợ mua đồ dùng mấy lần?")
    assert first.slots["benefit"] == ["qd53:ho_tro_mot_lan"]
    what = turn("out_of_scope", "Mua những thứ gì?", "ask_policy", policy="qd53", benefit=first.slots["benefit"]).text
    assert what.startswith("Hỗ trợ một lần để mua đồ dùng cá nhân (chăn, áo ấm") and "học bổng" not in what
    off = dialogue.answer_turn("out_of_scope", Context(kb, "ngày mai xem bóng đá ở đâu", today, "out_of_scope", {},
                                                       {"policy": "qd53", "benefit": first.slots["benefit"]}, [],
                                                       topic="ask_policy"), dialogue.out_of_scope)
    assert off.text.startswith("Xin lỗi, mình chỉ tư vấn về học nghề")  # out of scope, not the support again
    # Another support named, or another topic since: not the remembered one.
    assert "Tết" in turn("ask_policy", "còn tiền ăn Tết?", "ask_policy", policy="qd53", benefit=["qd53:ho_tro_mot_lan"]).text
    assert turn("check_eligibility", "học phí nghề hàn bao nhiêu?", "ask_programme_info",
                benefit=["qd53:ho_tro_mot_lan"]).slots.get("benefit") is None


def test_a_tier_named_by_its_percentage_is_that_tier_on_the_day_asked(turn):
    """"mức 60% bao nhiêu?": 60% of the lương cơ sở of that day, not the whole policy or the fees."""
    may = turn("ask_tuition", "Thế tháng 9/2026, à nhầm, tháng 5/2026 thì mức 60% bao nhiêu?").text
    assert may.startswith("(Tính cho ngày 01/05/2026.)") and "60% lương cơ sở = 1.404.000 đ/tháng" in may
    assert "80%" not in may.split("\n")[2] and "Học phí" not in may
    now = turn("ask_policy", "Năm học này thì mức 80% là bao nhiêu?").text
    assert "80% lương cơ sở = 2.024.000 đ/tháng: tốt nghiệp trường PTDT nội trú" in now and "1.518.000" not in now


def test_an_age_with_can_i_learn_is_the_entry_age_and_a_programme_follow_up_its_entry(turn):
    age = turn("check_eligibility", "e 15 tuoi co hoc nghe dc ko").text
    assert age.startswith("Có, với phần lớn các nghề: các nghề nhận người từ 15 tuổi trở lên")
    entry = turn("out_of_scope", "Phải bao nhiêu tuổi mới học được?", "ask_programmes", programme="tieng_han_xkld").text
    assert entry.startswith("Nghề Tiếng Hàn Quốc cho người đi làm việc ở nước ngoài") and "đầu vào" in entry


def test_months_a_year_level_after_one_trade_and_the_amount_after_a_check_follow_the_thread(turn):
    months = turn("ask_programme_info", "học bổng này mỗi năm mấy tháng").text
    assert months.startswith("Chưa xác nhận: học bổng chính sách (QĐ 53/2015/QĐ-TTg) được 10 hay 12 tháng mỗi năm")
    nd57 = turn("ask_programme_info", "Một năm được mấy tháng?", "check_eligibility", policy="nd57").text
    assert nd57.startswith("Hỗ trợ học tập (NĐ 57/2017/NĐ-CP): 12 tháng mỗi năm")
    amount = turn("ask_policy", "Mức hỗ trợ là bao nhiêu ạ?", "check_eligibility", policy="nd57").text
    assert "hỗ trợ học tập: 2.530.000 đ/tháng" in amount and "Người học nghề ở Lai Châu" not in amount
    level = turn("ask_programmes", "còn sơ cấp?", "ask_programmes", offered=["huong_dan_du_lich"]).text
    assert level.startswith("Nghề Hướng dẫn du lịch không có trình độ sơ cấp trong danh mục dự kiến")


def test_a_question_taken_for_registering_is_answered_and_a_request_still_registers(kb, today):
    ask = lambda text: dialogue.not_a_registration(Context(kb, text, today, "register_interest", {}, {}, []))  # noqa: E731
    assert ask("Chị 30 tuổi, muốn học sơ cấp dệt thổ cẩm có được không em?") == "ask_programme_info"
    assert ask("cho em đăng ký học nghề dệt thổ cẩm") is None
    assert ask("ok, e dang ky tu van") is None
