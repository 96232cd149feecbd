"""The support answer as a person reads it: three kinds of line, never mixed; the first message
short; details (papers, totals, what is being confirmed) on a button; dated amounts."""

from __future__ import annotations

import datetime as dt

from bot.answers.eligibility import FIRST_MESSAGE_LIMIT

DEC = dt.date(2026, 12, 2)


def section(text: str, title: str) -> str:
    """The lines under a heading ("Bạn được hưởng:") up to the next heading."""
    lines = text.split("\n")
    if title not in lines:
        return ""
    out = []
    for line in lines[lines.index(title) + 1:]:
        if not line.startswith("•"):
            break
        out.append(line)
    return "\n".join(out)


def test_thai_near_poor_at_a_public_school_gets_exemption_and_full_scholarship(ask):
    reply = ask("check_eligibility", "em người Thái, nhà hộ cận nghèo, học xong lớp 9, muốn học trung cấp trường công lập", day=DEC)
    held = section(reply.text, "Bạn được hưởng:")
    assert "NĐ 238/2025: miễn học phí" in held
    assert "QĐ 53/2015: học bổng chính sách 2.530.000 đ/tháng" in held
    assert "mua đồ dùng cá nhân 1.000.000 đ (một lần)" in held and "ở lại trường dịp Tết 150.000 đ/năm" in held
    assert "tiền đi lại 200.000 đ/năm (300.000 đ nếu ở thôn/bản ĐBKK, xã khu vực III)" in held
    assert "Số tiền tính theo lương cơ sở 2.530.000 đ/tháng từ 01/07/2026." in reply.text
    assert len(reply.text) <= FIRST_MESSAGE_LIMIT
    assert "Hồ sơ cần chuẩn bị" not in reply.text  # papers come on a button
    titles = [b.title for b in reply.buttons]
    assert "Hồ sơ cần chuẩn bị" in titles and "Tổng tiền cả khóa" in titles and "Có, đăng ký tư vấn" in titles


def test_a_family_that_says_it_is_not_near_poor_is_not_promised_the_poor_supports(ask):
    # D-case: "nhà mình không thuộc hộ cận nghèo" was read as hộ cận nghèo.
    text = ask("check_eligibility", "nhà mình không thuộc hộ cận nghèo, em người Thái học trung cấp trường công lập", day=DEC).text
    assert "không thuộc hộ nghèo, cận nghèo" in text
    assert "Bạn được hưởng:" not in text and "học bổng chính sách" not in text
    assert "nếu bạn tốt nghiệp THCS rồi học tiếp trung cấp" in text  # the exemption that may still apply


def test_nd57_on_ethnicity_alone_is_not_certain(ask):
    # D1: Mảng, sơ cấp, not in a hard-pressed area.
    text = ask("check_eligibility", "em là người Mảng, không ở vùng khó khăn, học sơ cấp", day=DEC).text
    assert "Bạn được hưởng:" not in text
    assert "Bạn có thể được:" in text
    assert "hỗ trợ học tập 2.530.000 đ/tháng (đang xác nhận: điều kiện cư trú)" in text


def test_two_supports_whose_combination_is_unknown_are_one_of_two_or_both(ask):
    # D3, §8.8: Si La, poor, ĐBKK, trung cấp, public school.
    text = ask("check_eligibility", "em là người Si La, nhà hộ nghèo, ở xã đặc biệt khó khăn, học trung cấp trường công lập", day=DEC).text
    held = section(text, "Bạn được hưởng:")
    assert "học bổng" not in held and "hỗ trợ học tập" not in held
    assert ("một trong hai hoặc cả hai: học bổng chính sách 2.530.000 đ/tháng (QĐ 53/2015); hỗ trợ học tập 2.530.000 đ/tháng "
            "(NĐ 57/2017) (đang xác nhận: có được hưởng cùng lúc hai khoản này không)") in text


def test_a_kinh_pupil_of_a_poor_household_in_a_border_commune_gets_the_60_percent_tier(ask):
    # D4, §8.12
    text = ask("check_eligibility", "em người Kinh hộ nghèo ở xã biên giới, học trung cấp trường công lập", day=DEC).text
    assert "QĐ 53/2015: học bổng chính sách 1.518.000 đ/tháng" in section(text, "Bạn được hưởng:")


def test_a_kinh_pupil_without_residence_is_asked_not_left_with_nothing(ask):
    # D4 / D13b: the reply was empty.
    reply = ask("check_eligibility", "em người Kinh hộ nghèo, vùng khó khăn, học trung cấp trường công lập", day=DEC)
    assert "nếu ở thôn/bản ĐBKK, xã khu vực III, vùng DTTS và miền núi, xã biên giới hoặc hải đảo: QĐ 53/2015: " \
           "học bổng chính sách 1.518.000 đ/tháng" in reply.text
    assert "tiền đi lại 200.000 đ/năm (300.000 đ nếu ở thôn/bản ĐBKK, xã khu vực III)" in reply.text
    assert reply.buttons[0].title.startswith("Trả lời thêm")


def test_an_orphan_is_asked_about_a_guardian_and_told_when_it_is_uncertain(ask):
    # D6
    asked = ask("check_eligibility", "em mồ côi cả cha lẫn mẹ, học cao đẳng", day=DEC).text
    assert "nếu bạn không nơi nương tựa (không có ai nuôi dưỡng): NĐ 238/2025: miễn học phí" in asked
    with_guardian = ask("check_eligibility", "em mồ côi cả cha lẫn mẹ, đang ở với ông bà, học cao đẳng", day=DEC).text
    assert "Bạn được hưởng:" not in with_guardian
    assert "miễn học phí (đang xác nhận: có người nuôi dưỡng thì có thuộc diện 'không nơi nương tựa' không)" in with_guardian


def test_so_cap_exemption_is_never_certain(ask):
    # D2, §8.11
    text = ask("check_eligibility", "em người Hà Nhì hộ nghèo học sơ cấp", day=DEC).text
    assert "Bạn được hưởng:" not in text
    assert "miễn học phí (đang xác nhận: NĐ 238 có áp dụng cho sơ cấp không)" in text
    assert "QĐ 53" not in text  # §8.10: not for sơ cấp


def test_private_school_is_being_confirmed_not_refused(ask):
    # D9, §8.5
    text = ask("check_eligibility", "em người Thái hộ nghèo học trung cấp trường tư thục", day=DEC).text
    assert "NĐ 238/2025: miễn học phí" in section(text, "Bạn được hưởng:")
    assert "(đang xác nhận: áp dụng ở trường tư thục hay không)" in section(text, "Bạn có thể được thêm:")


def test_a_second_qd53_is_refused_with_the_reason_when_asked(ask):
    # D8, §8.10
    text = ask("check_eligibility", "em đã hưởng chính sách nội trú khi học trung cấp, giờ học lên cao đẳng, "
                                    "em người Thái hộ nghèo, trường công lập, có được học bổng không", day=DEC).text
    assert ("Bạn không thuộc diện hưởng chính sách nội trú (học bổng chính sách, mua đồ dùng cá nhân, ở lại trường dịp Tết, "
            "tiền đi lại) (QĐ 53/2015), vì mỗi HSSV chỉ được hỗ trợ 01 lần khi học chương trình trung cấp hoặc cao đẳng") in text
    assert "NĐ 238/2025: miễn học phí" in text


def test_asked_about_a_support_they_do_not_get_is_told_plainly(ask):
    text = ask("check_eligibility", "em người Kinh, nhà không phải hộ nghèo, không khuyết tật, không học trường dân tộc nội trú, "
                                    "học cao đẳng, có được học bổng chính sách không", day=DEC).text
    assert text.count("Bạn không thuộc diện hưởng học bổng chính sách (QĐ 53/2015), vì khoản này dành cho") == 1
    assert "mà bạn cho biết: người Kinh; không thuộc hộ nghèo, cận nghèo" in text


def test_asked_about_a_support_that_hinges_on_a_rare_situation_is_told_what_it_depends_on(ask):
    text = ask("check_eligibility", "em người Kinh, nhà không phải hộ nghèo, học cao đẳng, có được học bổng chính sách không",
               day=DEC).text
    assert "nếu bạn tốt nghiệp trường phổ thông dân tộc nội trú và học ở trường công lập: QĐ 53/2015: học bổng chính sách" in text


def test_the_level_wanted_is_not_the_college_named_in_passing(ask):
    reply = ask("check_eligibility", "con tôi người Thái muốn học trung cấp ở trường cao đẳng của tỉnh, nhà hộ nghèo, trường công lập",
                day=DEC)
    assert reply.text.startswith("Với thông tin bạn cho biết về con bạn (người Thái, hộ nghèo, học trung cấp")
    totals = ask("check_eligibility", "", day=DEC, entities={"aspect": ["totals"]}, profile=reply.slots["profile"]).text
    assert "Ước tính cho cả khóa 24 tháng" in totals  # trung cấp, not 36 months of cao đẳng


def test_course_totals_name_their_assumptions_in_the_same_sentence(ask):
    first = ask("check_eligibility", "em người Mông hộ nghèo học cao đẳng trường công lập", day=DEC)
    text = ask("check_eligibility", "", day=DEC, entities={"aspect": ["totals"]}, profile=first.slots["profile"]).text
    head = text.split("\n")[0]
    assert head == ("Ước tính cho cả khóa 36 tháng (khóa cao đẳng dài nhất trong danh mục dự kiến, chưa được trường xác nhận), "
                    "với lương cơ sở 2.530.000 đ/tháng từ 01/07/2026 giữ nguyên cho các năm sau:")
    assert ("học bổng chính sách: 75.900.000 đ - 91.080.000 đ (tùy được hưởng 10 hay 12 tháng mỗi năm, đang được xác nhận)"
            in text)


def test_papers_and_open_questions_come_on_request(ask):
    first = ask("check_eligibility", "em người Thái hộ cận nghèo học trung cấp trường công lập", day=DEC)
    papers = ask("check_eligibility", "", day=DEC, entities={"aspect": ["papers"]}, profile=first.slots["profile"]).text
    assert "Đơn đề nghị miễn, giảm học phí theo mẫu Phụ lục IV" in papers
    assert "Giấy chứng nhận hộ nghèo/cận nghèo do UBND xã cấp" in papers
    assert "Nộp 1 bộ hồ sơ cho cả khóa học" in papers
    open_ = ask("check_eligibility", "", day=DEC, entities={"aspect": ["open"]}, profile=first.slots["profile"]).text
    assert "số tháng được hưởng học bổng chính sách mỗi năm (10 hay 12 tháng)" in open_
    assert "NQ 72/2016/NQ-HĐND) có thể có thêm hỗ trợ; nội dung đang được xác nhận" in open_


def test_an_unclear_fact_that_decides_an_amount_is_asked_first(ask):
    reply = ask("check_eligibility", "nhà em nghèo lắm, em người Mông muốn học trung cấp", day=DEC)
    assert reply.follow_up == "eligibility_form"
    assert reply.slots["profile"]["unclear"] == ["household"]
    assert "hỏi lại" in reply.text and "đ/tháng" not in reply.text


def test_amounts_follow_the_base_salary_of_the_day(ask):
    june = ask("check_eligibility", "em người Thái hộ cận nghèo học trung cấp trường công lập", day=dt.date(2026, 6, 30)).text
    assert "học bổng chính sách 2.340.000 đ/tháng" in june and "lương cơ sở 2.340.000 đ/tháng từ 01/07/2024" in june
    july = ask("check_eligibility", "em người Thái hộ cận nghèo học trung cấp trường công lập", day=dt.date(2026, 7, 1)).text
    assert "học bổng chính sách 2.530.000 đ/tháng" in july and "2.340.000" not in july


def test_never_the_wrong_signs(ask):
    """policy_facts §8.1-§8.3, §8.6: no replaced decree as law, no 1.800.000 đ, no 150.000 đ/tháng for
    trung cấp, no NQ 72 amount."""
    for text in ("em người Thái hộ nghèo học trung cấp trường công lập", "em người Mông ở xã đặc biệt khó khăn học cao đẳng",
                 "em người Kinh học trung cấp", "em là người Lự học sơ cấp"):
        reply = ask("check_eligibility", text, day=DEC)
        assert "NĐ 81" not in reply.text and "1.800.000" not in reply.text
        assert "150.000 đ/tháng" not in reply.text


def test_without_details_the_short_form_starts(ask):
    reply = ask("check_eligibility", "em có được hỗ trợ gì không")
    assert reply.follow_up == "eligibility_form"
    assert "hỏi vài câu ngắn" in reply.text


def test_profile_is_completed_across_turns(ask):
    first = ask("check_eligibility", "em là người Hà Nhì", day=DEC)
    second = ask("inform", "nhà em hộ nghèo, em học trung cấp trường công lập", pending_question=None,
                 profile=first.slots["profile"], day=DEC)
    assert "học bổng chính sách 2.530.000 đ/tháng" in second.text
    assert second.slots["profile"]["ethnic_group"] == "Hà Nhì"


def test_facts_said_with_a_no_or_a_policy_question_are_not_lost(ask):
    """NLU may call "không phải, nhà em cận nghèo" a deny, or "có phải hộ nghèo đâu" a policy
    question: the facts still reach the support answer."""
    first = ask("check_eligibility", "em người Thái học trung cấp trường công lập", day=DEC)
    corrected = ask("deny", "không phải, nhà em cận nghèo", day=DEC, profile=first.slots["profile"])
    assert corrected.slots["profile"]["household"] == "near_poor"
    assert "học bổng chính sách 2.530.000 đ/tháng" in corrected.text
    denied = ask("ask_policy", "nhà em có phải hộ nghèo đâu ạ", day=DEC, profile=first.slots["profile"])
    assert denied.slots["profile"]["household"] == "neither" and "học bổng chính sách" not in denied.text
    asked = ask("ask_policy", "em người Kinh, nhà không phải hộ nghèo, không khuyết tật, không học trường dân tộc nội trú, "
                              "học cao đẳng thì QĐ 53 có áp dụng không", day=DEC)
    assert "Bạn không thuộc diện hưởng học bổng chính sách (QĐ 53/2015)" in asked.text
    general = ask("ask_policy", "QĐ 53 hỗ trợ những gì cho trung cấp", day=DEC)
    assert general.text.startswith("Chính sách nội trú (QĐ 53/2015/QĐ-TTg)")


def test_a_yes_no_question_about_a_support_is_answered_first(ask):
    yes = ask("check_eligibility", "em người Thái hộ nghèo học trung cấp trường công lập, em có được học bổng không", day=DEC)
    assert yes.text.startswith("Có, bạn được hưởng học bổng chính sách (QĐ 53/2015).\n")
    no = ask("check_eligibility", "em người Kinh, nhà không phải hộ nghèo, không khuyết tật, không học trường dân tộc nội trú, "
                                  "học cao đẳng, có được học bổng chính sách không", day=DEC)
    assert no.text.startswith("Không.\n")
    assert ("vì khoản này dành cho người DTTS thuộc hộ nghèo, cận nghèo, người DTTS khuyết tật, tốt nghiệp trường PTDT "
            "nội trú...") in no.text
    unsure = ask("check_eligibility", "em là người Mảng, không ở vùng khó khăn, học sơ cấp, có được hỗ trợ học tập không ạ", day=DEC)
    assert unsure.text.startswith("Chưa xác nhận: hỗ trợ học tập còn tùy điều kiện cư trú.\n")
    depends = ask("check_eligibility", "em người Thái hộ nghèo học trung cấp có được học bổng không", day=DEC)
    assert depends.text.startswith("Chưa xác nhận được: còn tùy học ở trường công lập.\n")
    plain = ask("check_eligibility", "em người Thái hộ nghèo học trung cấp trường công lập", day=DEC)
    assert plain.text.startswith("Với thông tin bạn cho biết")  # not a question: no verdict line


def test_what_the_knowledge_base_recognises_is_answered_even_out_of_scope(kb):
    """The NLU called "hỗ trợ ăn Tết bao nhiêu" out of scope; a bare "trường công lập" after a support
    answer was taken for a programme name. The knowledge base still recognises both."""
    from bot import dialogue
    from bot.answers import Context

    tet = dialogue.out_of_scope(Context(kb, "hỗ trợ ăn Tết bao nhiêu", DEC, "out_of_scope", {}, {}, []))
    assert tet.text.startswith("Hỗ trợ HSSV ở lại trường dịp Tết Nguyên đán (cần đơn xin xác nhận ở lại trường): 150.000 đ/năm")
    weather = dialogue.out_of_scope(Context(kb, "thời tiết hôm nay thế nào", DEC, "out_of_scope", {}, {}, []))
    assert weather.text.startswith("Xin lỗi, mình chỉ tư vấn về học nghề")
    low = dialogue.fallback(Context(kb, "ờ nhà em hộ cận nghèo", DEC, "nlu_fallback", {}, {}, []))
    assert low.unanswered_reason is None and "hộ cận nghèo" in low.text

    profile = {"ethnic_group": "Mông", "ethnicity": "minority", "household": "poor", "level": "trung_cap"}
    thread = Context(kb, "Trường công lập", DEC, "ask_programme_info", {"programme": ["công lập"]}, {"profile": profile}, [])
    assert dialogue.redirect("ask_programme_info", thread) == "check_eligibility"
    question = Context(kb, "học phí trường công lập bao nhiêu", DEC, "ask_tuition", {}, {"profile": profile}, [])
    assert dialogue.redirect("ask_tuition", question) == "ask_tuition"  # a question stays a question
    informed = dialogue.handle_inform(thread)  # the NLU may also call it a bare detail (inform)
    assert "Bạn được hưởng:" in informed.text and "học bổng chính sách 2.530.000 đ/tháng" in informed.text
    fresh = Context(kb, "Trường công lập", DEC, "ask_programme_info", {}, {}, [])
    assert dialogue.redirect("ask_programme_info", fresh) == "ask_programme_info"  # no support check under way


def test_a_question_about_one_support_with_the_persons_facts_gets_that_support(ask):
    """"Thế tiền đi lại được bao nhiêu?" with the person's situation: that support for them, the rest on a button."""
    reply = ask("check_eligibility", "con tôi người Dao, hộ nghèo, ở thôn đặc biệt khó khăn, học trung cấp trường công lập, "
                                     "tiền tàu xe được bao nhiêu", day=DEC)
    assert "tiền đi lại 300.000 đ/năm" in reply.text
    assert "1.000.000" not in reply.text and "2.530.000" not in reply.text and "miễn học phí" not in reply.text
    assert reply.buttons[0].title == "Các khoản hỗ trợ khác"
    # (A refused support is not narrowed: test_a_second_qd53_is_refused_with_the_reason_when_asked.)


def test_a_yes_no_about_a_group_or_outside_a_policy_scope_starts_with_the_answer(ask):
    lu = ask("check_eligibility", "Người Lự có được hưởng nghị định 57 không ạ?").text
    assert lu.startswith("Có, nếu học trung cấp hoặc học cao đẳng và ở vùng khó khăn hoặc thôn/bản ĐBKK, xã khu vực III (NĐ 57/2017).")
    si_la = ask("check_eligibility", "người Si La học trung cấp có được miễn học phí không").text
    assert si_la.startswith("Có, nếu gia đình thuộc hộ nghèo hoặc hộ cận nghèo hoặc ở vùng khó khăn")
    part_time = ask("ask_policy", "học hệ vừa làm vừa học thì có được chính sách nội trú không?").text
    assert part_time.startswith("Không: chính sách chỉ áp dụng cho hệ chính quy (Điều 1 khoản 2 TTLT 12/2016")
    private = ask("ask_policy", "trường tư thục thì chắc chắn không được QĐ 53 đúng không?").text
    assert private.startswith("Chưa xác nhận: QĐ 53 có áp dụng khi học ở trường tư thục hay không")


def test_a_support_held_for_another_reason_than_the_one_asked_says_so(ask):
    text = ask("check_eligibility", "em người Thái hộ nghèo học trung cấp trường công lập, mồ côi bố thôi thì cũng được miễn học phí đúng không").text
    assert text.startswith("Có, bạn được hưởng miễn học phí (NĐ 238/2025) vì là người DTTS thuộc hộ nghèo, cận nghèo; "
                           "còn mồ côi cha hoặc mẹ không thuộc diện mồ côi cả cha lẫn mẹ")


def test_papers_of_a_named_support_are_that_supports_papers_whatever_the_nlu_said(kb):
    """The NLU may take "giấy tờ để được học bổng chính sách" for the enrolment file (ask_admission)."""
    from bot import dialogue
    from bot.answers import Context, answer

    support = Context(kb, "giấy tờ để xin học bổng chính sách gồm những gì?", DEC, "ask_admission", {}, {}, [])
    assert dialogue.redirect("ask_admission", support) == "ask_policy"
    assert answer("ask_policy", support).text.startswith("Hồ sơ")
    enrolment = Context(kb, "hồ sơ nhập học cần giấy gì, có cần giấy hộ nghèo không?", DEC, "ask_admission", {}, {}, [])
    assert dialogue.redirect("ask_admission", enrolment) == "ask_admission"
    plain = Context(kb, "hồ sơ cần những gì?", DEC, "ask_admission", {}, {}, [])
    assert dialogue.redirect("ask_admission", plain) == "ask_admission"
