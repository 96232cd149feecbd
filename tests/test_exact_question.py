"""Answers at the grain of the question (issue 13): a family of trades, a document for other learners,
a guarantee, what a policy may not cover, another level's policies, the tier of a scholarship, a
follow-up heard as "yes", and the residence rule asked after a support check. Real sentences, through
the code the actions use (tests/conftest.py `ask`, tests/test_thread.py `turn`)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import dialogue
from bot.answers import Context



@pytest.fixture
def turn(kb, today):
    def _turn(intent: str, text: str, topic=None, **slots):
        return dialogue.answer_turn(intent, Context(kb, text, today, intent, {}, slots, [], topic=topic))
    return _turn


def test_a_family_of_trades_is_answered_with_each_of_them(ask):
    reply = ask("ask_programmes", "trường có dạy nghề điện không ạ")
    assert reply.text.startswith("Có, trường có 2 nghề")
    assert "• Điện công nghiệp: trung cấp và cao đẳng" in reply.text and "• Điện dân dụng: sơ cấp và trung cấp" in reply.text
    assert [b.title for b in reply.buttons][:2] == ["Nghề Điện công nghiệp", "Nghề Điện dân dụng"]
    # A level narrows the family; one trade of a family is that trade.
    assert "• Điện công nghiệp" in ask("ask_programmes", "có dạy nghề điện hệ cao đẳng không").text
    assert "Điện dân dụng:" not in ask("ask_programmes", "có dạy nghề điện hệ cao đẳng không").text
    assert ask("ask_programmes", "học sửa chữa có không").text.startswith("Có, nghề Sửa chữa xe máy")
    # Other questions about the family ask which one, with its trades on the buttons.
    which = ask("ask_programme_info", "nghề điện học mấy năm")
    assert which.text.startswith("Bạn muốn hỏi về nghề nào?")
    assert [b.title for b in which.buttons] == ["Điện công nghiệp", "Điện dân dụng"]
    advice = ask("ask_career_advice", "Tôi vừa xuất ngũ tháng trước, muốn học nghề điện để về quê làm").text
    assert "1. Điện công nghiệp" in advice and "2. Điện dân dụng" in advice
    # Words that start no family ("nghề gì", "học trung cấp") are not one.
    assert not ask("ask_programmes", "học nghề gì thì dễ xin việc").text.startswith("Có, trường có")


def test_a_document_for_other_learners_is_corrected_with_the_one_that_applies(ask):
    text = ask("ask_policy", "con tôi học trung cấp có được hưởng QĐ 66/2013 không").text
    assert text.startswith("Không. QĐ 66/2013/QĐ-TTg dành cho sinh viên dân tộc thiểu số học đại học; "
                           "người học trung cấp, cao đẳng hưởng chính sách nội trú theo QĐ 53/2015/QĐ-TTg.")


def test_a_question_about_a_guarantee_is_answered_no_from_the_faq(ask):
    abroad = ask("ask_job_prospects", "học xong nghề hàn có chắc chắn được đi làm ở nước ngoài không").text
    assert abroad.startswith("Không chắc chắn: học nghề không bảo đảm được đi làm ở nước ngoài")
    assert "Học xong nghề Hàn, bạn có thể làm:" in abroad
    job = ask("ask_job_prospects", "học nghề xong có chắc chắn có việc làm không").text
    assert job.startswith("Không chắc chắn: việc làm phụ thuộc vào nghề")
    # "sang Hàn" is Korea, not the welding trade, even when the entity extractor marks "Hàn".
    korea = ask("ask_job_prospects", "Học xong có chắc chắn được sang Hàn làm việc không?", entities={"programme": ["Hàn"]}).text
    assert korea.startswith("Không chắc chắn: học nghề không bảo đảm được đi làm ở nước ngoài") and "nghề Hàn" not in korea
    # Without a guarantee asked, the usual answer.
    assert not ask("ask_job_prospects", "học nghề hàn xong làm gì").text.startswith("Không chắc chắn")


def test_what_a_policy_may_not_cover_is_said_as_being_confirmed_and_only_when_asked(ask):
    dorm = ask("ask_policy", "chính sách nội trú có hỗ trợ ở ký túc xá không").text
    assert dorm.startswith("Chưa xác nhận: chính sách nội trú có hỗ trợ chỗ ở, ký túc xá hay không đang được xác nhận")
    assert "(QĐ 53/2015/QĐ-TTg)" in dorm
    assert "ký túc xá" not in ask("ask_policy", "chính sách nội trú là gì").text


def test_another_level_gets_its_own_policies_not_the_refused_one(ask, turn):
    refused = ask("ask_policy", "học sơ cấp có được học bổng chính sách không ạ").text
    assert refused.startswith("Không: học bổng chính sách (QĐ 53/2015/QĐ-TTg) chỉ áp dụng cho trình độ trung cấp và "
                              "cao đẳng, không áp dụng cho sơ cấp.\nNgười học sơ cấp có thể được hỗ trợ theo:\n"
                              "• Hỗ trợ đào tạo sơ cấp, đào tạo dưới 3 tháng: QĐ 46/2015/QĐ-TTg")
    assert "NĐ 238/2025/NĐ-CP (đang xác nhận: NĐ 238 có áp dụng cho sơ cấp không)" in refused
    # After QĐ 53, "thế sơ cấp?" is that level's policies, not QĐ 53 again.
    level = turn("ask_policy", "thế sơ cấp được hỗ trợ gì", "ask_policy", policy="qd53",
                 benefit=["qd53:hoc_bong_100", "qd53:hoc_bong_80", "qd53:hoc_bong_60"]).text
    assert level.startswith("Người học sơ cấp có thể được hỗ trợ theo:") and "QĐ 46/2015/QĐ-TTg" in level
    assert "QĐ 53/2015/QĐ-TTg không áp dụng cho trình độ sơ cấp." in level


def test_a_scholarship_tier_shows_its_percentage(ask):
    text = ask("check_eligibility", "em tốt nghiệp trường dân tộc nội trú, học trung cấp được học bổng bao nhiêu",
               day=dt.date(2026, 12, 4)).text
    assert "học bổng chính sách 2.024.000 đ/tháng (80% lương cơ sở)" in text


def test_a_follow_up_heard_as_yes_is_answered_as_a_follow_up(kb, today):
    slots = {"topic": "ask_policy", "policy": "qd53", "benefit": ["qd53:hoc_bong_80"], "pending_offer": "register_interest"}
    ctx = Context(kb, "còn bây giờ?", today, "affirm", {}, slots, [], topic="ask_policy")
    text = dialogue.handle_affirm(ctx).text
    assert "80% lương cơ sở = 2.024.000 đ/tháng" in text and "1.518.000" not in text
    # A bare yes still takes the offer.
    offer = {**slots, "pending_offer": "check_eligibility"}
    assert dialogue.handle_affirm(Context(kb, "vâng", today, "affirm", {}, offer, [], topic="ask_policy")).follow_up \
        == "eligibility_form"


def test_a_misconception_the_nlu_missed_is_still_corrected(ask):
    text = ask("fallback", "nghe nói chỉ được đầu khóa và cuối khóa thôi").text
    assert "mỗi năm một lần" in text and "không phải theo đầu khóa, cuối khóa" in text


def test_a_policy_with_no_confirmed_content_says_so_first(ask):
    text = ask("ask_policy", "nghe nói tỉnh có nghị quyết 72 hỗ trợ thêm tiền cho học sinh học nghề nội trú, được bao nhiêu?").text
    assert text.startswith("Chưa xác nhận: mình chưa có nội dung NQ 72/2016/NQ-HĐND.") and "đ/tháng" not in text


def test_months_of_a_scholarship_are_not_replaced_by_a_payment_note(ask):
    text = ask("ask_policy", "học bổng đó phát mấy tháng một năm").text
    assert text.startswith("Chưa xác nhận: học bổng chính sách (QĐ 53/2015/QĐ-TTg) được 10 hay 12 tháng mỗi năm")


def test_a_yes_no_with_nothing_known_starts_with_the_answer_then_the_questions(ask):
    reply = ask("check_eligibility", "em có được học bổng không")
    assert reply.text.startswith("Chưa xác nhận được: học bổng chính sách còn tùy bạn thuộc diện nào. Mình sẽ hỏi vài câu ngắn")
    assert reply.follow_up == "eligibility_form"


def test_the_same_person_asking_without_a_subject_is_their_case(turn):
    kinh = {"ethnicity": "kinh", "household": "none"}
    text = turn("ask_policy", "vậy có được miễn học phí không", "check_eligibility", profile=kinh).text
    assert text.startswith("Chưa xác nhận được") and "Với thông tin bạn cho biết (người Kinh" in text


def test_the_residence_rule_asked_after_a_support_check_is_the_one_being_confirmed(turn):
    la_hu = {"ethnicity": "very_small", "ethnic_group": "La Hủ", "level": "cao_dang"}
    text = turn("ask_admission", "có phải ở xã nào cũng được không", "check_eligibility", profile=la_hu).text
    assert text.startswith("Chưa xác nhận: điều kiện cư trú để được hưởng") and "(NĐ 57/2017)" in text


def test_a_tuition_reduction_named_by_its_percentage_is_that_reduction_in_any_thread(turn):
    seventy = turn("ask_policy", "giảm 70% học phí cho ai", "ask_policy", policy="qd53", benefit=["qd53:ho_tro_tet"]).text
    assert seventy.startswith("Giảm 70% học phí") and "thôn/xã đặc biệt khó khăn" in seventy
    fifty = turn("ask_policy", "thế giảm 50%?", "ask_policy", policy="nd238", benefit=["nd238:giam_70"]).text
    assert fifty.startswith("Giảm 50% học phí") and "tai nạn lao động" in fifty


def test_a_support_of_another_policy_named_in_a_support_check_is_that_support(kb, today):
    cong = {"ethnicity": "very_small", "ethnic_group": "Cống"}
    ctx = Context(kb, "Tiền mua chăn màn được bao nhiêu?", today, "out_of_scope", {},
                  {"profile": cong, "policy": "nd238"}, [], topic="check_eligibility")
    text = dialogue.answer_turn("out_of_scope", ctx, dialogue.out_of_scope).text
    assert text.startswith("Hỗ trợ một lần để mua đồ dùng cá nhân") and "1.000.000 đ" in text and "NĐ 238" not in text


def test_a_hypothetical_heard_as_asking_for_a_person_is_answered_for_that_case(kb, today):
    private = {"ethnicity": "minority", "ethnic_group": "Mông", "household": "near_poor", "level": "trung_cap",
               "public_school": False}

    def ctx(text):
        return Context(kb, text, today, "request_human", {}, {"profile": private, "policy": "qd53"}, [],
                       topic="check_eligibility")
    moved = ctx("neu e chuyen sang truong cong lap thi sao")
    assert dialogue.not_a_handoff(moved) == "check_eligibility"
    text = dialogue.answer_turn("check_eligibility", moved).text
    assert "trường công lập" in text.split("\n")[0] and "học bổng chính sách 2.530.000 đ/tháng" in text
    # Asking for a person, however it is worded, still is.
    for wanted in ("cho em gặp cán bộ", "nếu em muốn nói chuyện với người thật thì sao", "chuyển cho người khác đi"):
        assert dialogue.not_a_handoff(ctx(wanted)) is None


def test_a_follow_up_heard_as_yes_to_the_registration_offer_is_answered(kb, today):
    si_la = {"ethnicity": "very_small", "ethnic_group": "Si La", "level": "trung_cap"}
    ctx = Context(kb, "còn bây giờ?", today, "affirm", {},
                  {"profile": si_la, "policy": "nd57", "pending_offer": "register_interest"}, [], topic="check_eligibility")
    reply = dialogue.question_not_yes(ctx)
    assert reply is not None and "hỗ trợ học tập 2.530.000 đ/tháng" in reply.text
    yes = Context(kb, "vâng", today, "affirm", {}, {"pending_offer": "register_interest"}, [], topic="check_eligibility")
    assert dialogue.question_not_yes(yes) is None  # a plain yes still starts the form


def test_misconceptions_about_papers_and_the_tet_support_are_corrected(ask):
    tet = ask("ask_policy", "ở lại trường ăn tết là tự động có tiền à").text
    assert tet.startswith("Không: tiền hỗ trợ ở lại trường dịp Tết") and "đơn xin xác nhận" in tet
    papers = ask("ask_admission", "mỗi năm có phải làm lại cả bộ hồ sơ nội trú không").text
    assert papers.startswith("Không: hồ sơ chính sách nội trú nộp 1 bộ cho cả khóa học")


def test_every_way_still_open_to_a_support_is_said(ask):
    text = ask("check_eligibility", "em người Si La học trung cấp").text
    assert "• nếu gia đình thuộc hộ nghèo hoặc hộ cận nghèo hoặc ở vùng khó khăn hoặc thôn/bản ĐBKK, xã khu vực III: " \
           "NĐ 238/2025: miễn học phí" in text
    mong = ask("check_eligibility", "em người Mông học trung cấp").text  # not a very small group: one way
    assert "• nếu gia đình thuộc hộ nghèo hoặc hộ cận nghèo: NĐ 238/2025: miễn học phí" in mong


def test_a_parent_past_the_working_age_is_told_why_the_short_course_support_is_not_theirs(ask):
    mother = ask("check_eligibility", "Mẹ chị 57 tuổi cũng muốn học sơ cấp, có được hỗ trợ không?").text
    assert mother.startswith("Chưa xác nhận được: còn tùy bạn thuộc diện nào.\n"
                             "Với thông tin bạn cho biết về mẹ bạn (học sơ cấp, nữ, 57 tuổi)")
    assert "Bạn không thuộc diện hưởng hỗ trợ đào tạo sơ cấp, đào tạo dưới 3 tháng (QĐ 46/2015), vì QĐ 46/2015 chỉ " \
           "dành cho người trong độ tuổi lao động (nữ 15-55, nam 15-60 tuổi), mà bạn ngoài độ tuổi lao động." in mother
    father = ask("check_eligibility", "Bố chị 58 tuổi muốn học sơ cấp thì có được hỗ trợ không?").text
    assert "về bố bạn" in father and "QĐ 46/2015" in father and "ngoài độ tuổi lao động" not in father


def test_a_yes_no_about_any_support_starts_with_the_answer(ask):
    poor = ask("check_eligibility", "em người Thái hộ nghèo học trung cấp có được hỗ trợ gì không").text
    assert poor.startswith("Có, bạn được hưởng miễn học phí (NĐ 238/2025).")
    assert ask("check_eligibility", "em người Thái hộ nghèo học trung cấp thì được hỗ trợ gì").text.startswith(
        "Với thông tin bạn cho biết")  # not a yes/no: the list itself


def test_a_very_small_group_is_told_both_ways_to_the_exemption(kb, today):
    cong = {"ethnicity": "very_small", "ethnic_group": "Cống"}
    ctx = Context(kb, "Cháu có được miễn học phí không?", today, "ask_policy", {}, {"profile": cong}, [],
                  topic="check_eligibility")
    text = dialogue.answer_turn("ask_policy", ctx).text
    assert text.startswith("Chưa xác nhận được: còn tùy học trung cấp hoặc học cao đẳng và gia đình thuộc hộ nghèo "
                           "hoặc hộ cận nghèo hoặc ở vùng khó khăn hoặc thôn/bản ĐBKK, xã khu vực III.")
