"""Answers to real Vietnamese questions, as a user would read them."""

from __future__ import annotations

import datetime as dt

import pytest


def test_scholarship_question_gives_all_tiers_for_today_and_cites_qd53(ask):
    reply = ask("ask_policy", "Học bổng chính sách theo QĐ 53 bao nhiêu một tháng?")
    assert "Theo Điều 3 QĐ 53/2015/QĐ-TTg" in reply.text
    assert "100% lương cơ sở = 2.530.000 đ/tháng" in reply.text
    assert "80% lương cơ sở = 2.024.000 đ/tháng" in reply.text
    assert "60% lương cơ sở = 1.518.000 đ/tháng" in reply.text
    assert "từ 01/07/2026" in reply.text  # an amount is never given without its date
    # §8.5: not "only public schools" as certain, nor certain at a private one.
    assert "Đang được xác nhận: được 10 hay 12 tháng mỗi năm; áp dụng ở trường tư thục hay không" in reply.text
    assert len(reply.text) <= 600  # one phone screen: the open points in their short words
    assert "10 hay 12 tháng" in reply.text  # unverified detail stated as being confirmed
    assert reply.slots["policy"] == "qd53"


def test_a_question_about_one_support_gets_that_support(ask):
    """"được hỗ trợ mua đồ dùng mấy lần?" is answered for that support, not with the whole policy."""
    text = ask("ask_policy", "được hỗ trợ mua đồ dùng mấy lần?").text
    assert text.startswith("Một lần cho cả khóa học.\nHỗ trợ một lần để mua đồ dùng cá nhân")
    assert "1.000.000 đ/khóa học (Điều 3 QĐ 53/2015/QĐ-TTg)" in text and "Tết" not in text and "học bổng" not in text
    tet = ask("ask_policy", "hỗ trợ ăn Tết bao nhiêu?").text
    assert tet.startswith("Hỗ trợ HSSV ở lại trường dịp Tết Nguyên đán (cần đơn xin xác nhận ở lại trường): 150.000 đ/năm")
    reductions = ask("ask_policy", "giảm 70% học phí cho ai").text
    assert reductions.startswith("Giảm 70% học phí") and "Miễn học phí" not in reductions
    assert "người DTTS ở thôn/xã đặc biệt khó khăn" in reductions
    travel = ask("ask_policy", "tiền xe được bao nhiêu").text
    assert "300.000 đ/năm" in travel and "200.000 đ/năm" in travel and travel.count("Dành cho:") == 1


def test_same_question_before_july_2026_uses_the_old_base_salary(ask):
    reply = ask("ask_policy", "hoc bong chinh sach qd 53 bao nhieu 1 thang", day=dt.date(2026, 6, 30))
    assert "2.340.000 đ/tháng" in reply.text and "1.872.000 đ/tháng" in reply.text
    assert "từ 01/07/2024" in reply.text and "2.530.000" not in reply.text


def test_policy_question_lists_qd53_supports_with_amounts(ask):
    text = ask("ask_policy", "qd 53 ho tro nhung gi").text
    for fact in ("1.000.000 đ (một lần)", "150.000 đ/năm", "300.000 đ/năm", "200.000 đ/năm"):
        assert fact in text
    assert len(text) <= 600 and "Đang được xác nhận: áp dụng ở trường tư thục hay không (và 3 điều khác)." in text
    everything = ask("ask_policy", "qd 53 hỗ trợ những gì, liệt kê đầy đủ").text  # asked for everything
    assert "1.000.000 đ/khóa học" in everything and "có hỗ trợ chỗ ở, ký túc xá hay không" in everything


def test_unverified_nq72_gives_no_amount_and_is_recorded(ask):
    reply = ask("ask_policy", "Nghị quyết 72 của tỉnh hỗ trợ bao nhiêu tiền")
    assert "NQ 72/2016/NQ-HĐND" in reply.text
    assert "đ/" not in reply.text  # no money
    assert "chưa thể nêu" in reply.text
    assert reply.unanswered_reason == "unverified_policy"
    assert any(b.payload == "/request_human" for b in reply.buttons)


def test_base_salary_answer_names_decree_and_date(ask):
    text = ask("ask_policy", "lương cơ sở hiện nay là bao nhiêu").text
    assert "2.530.000 đ/tháng" in text and "NĐ 161/2026/NĐ-CP" in text and "01/07/2026" in text


def test_papers_for_tuition_exemption(ask):
    reply = ask("ask_policy", "hồ sơ xin miễn học phí gồm những gì")
    assert "Phụ lục IV" in reply.text and "NĐ 238/2025/NĐ-CP" in reply.text and len(reply.text) <= 600
    more = next(b for b in reply.buttons if b.title == "Xem đầy đủ")
    assert more.payload == '/ask_policy{"policy": "nd238", "aspect": "papers:all"}'
    assert "Hồ sơ cần nộp" not in [b.title for b in reply.buttons]  # not the question just answered
    text = ask("ask_policy", "hồ sơ xin miễn học phí", entities={"policy": ["nd238"], "aspect": ["papers:all"]}).text
    assert "150.000 đ/tháng" in text and "không áp dụng cho người học trung cấp" in text


def test_tuition_not_published_is_said_honestly_with_exemptions(ask):
    reply = ask("ask_tuition", "học phí nghề nấu ăn bao nhiêu")
    assert "Kỹ thuật chế biến món ăn" in reply.text and "chưa công bố" in reply.text
    assert "theo NĐ 238/2025/NĐ-CP" in reply.text and "Miễn học phí (Điều 15)" in reply.text
    assert len(reply.text) <= 600 and reply.text.endswith("Bạn muốn kiểm tra mình có được miễn, giảm không?\n"
                                                          "(Còn nữa: bấm \"Xem đầy đủ\".)")
    assert "Đang được xác nhận: NĐ 238 có áp dụng cho sơ cấp không." in reply.text  # a caveat is never cut
    assert reply.slots["pending_offer"] == "check_eligibility"
    full = ask("ask_tuition", "", entities={"programme": ["ky_thuat_che_bien_mon_an"], "aspect": ["all"]}).text
    assert "một mức cao nhất" in full and "học cử tuyển" in full  # every group, on "Xem đầy đủ"


def test_tuition_follows_the_programme_from_earlier_in_the_conversation(ask):
    reply = ask("ask_tuition", "thế học phí bao nhiêu", programme="han")
    assert "Học phí nghề Hàn" in reply.text


def test_programme_info_with_and_without_diacritics_is_the_same(ask):
    accented = ask("ask_programme_info", "nghề hàn học mấy năm")
    plain = ask("ask_programme_info", "nghe han hoc may nam")
    assert accented.text == plain.text
    assert accented.text.startswith("Nghề Hàn (thông tin tham khảo")
    assert "Trung cấp: 1,5 - 2 năm" in accented.text
    assert accented.slots == {"programme": "han", "topic": "ask_programme_info", "benefit": None}


def test_korean_language_is_not_welding(ask):
    reply = ask("ask_programme_info", "học tiếng Hàn để đi xuất khẩu lao động mất bao lâu")
    assert reply.slots == {"programme": "tieng_han_xkld", "topic": "ask_programme_info", "benefit": None}
    # The entity extractor may mark only "Hàn": the longer name in the text is what was meant.
    marked = ask("ask_programmes", "trường có lớp tiếng Hàn không?", entities={"programme": ["Hàn"]})
    assert marked.text.startswith("Có, nghề Tiếng Hàn") and marked.slots["programme"] == "tieng_han_xkld"


def test_programme_question_without_a_programme_asks_which(ask):
    reply = ask("ask_programme_info", "nghề đó học mấy năm")
    assert reply.text.startswith("Bạn muốn hỏi về nghề nào?")
    assert reply.slots == {"pending_question": "ask_programme_info", "topic": "ask_programme_info", "benefit": None}
    assert all(b.payload.startswith('/inform{"programme"') for b in reply.buttons)


def test_bare_programme_name_completes_the_pending_question(ask):
    reply = ask("inform", "điện công nghiệp", pending_question="ask_programme_info")
    assert reply.text.startswith("Nghề Điện công nghiệp")


def test_unknown_programme_is_admitted_and_recorded(ask):
    reply = ask("ask_programme_info", "nghề phi công học mấy năm", entities={"programme": ["phi công"]})
    assert "chưa có thông tin về nghề \"phi công\"" in reply.text
    assert reply.unanswered_reason == "unknown_programme"


def test_programme_list_filtered_by_level_and_field(ask):
    text = ask("ask_programmes", "hệ trung cấp có nghề nào về nông nghiệp không").text
    assert "trình độ trung cấp" in text and "Trồng trọt và bảo vệ thực vật" in text
    assert "Điều dưỡng" not in text and "thông tin tham khảo" in text


def test_admission_papers_and_timing(ask):
    assert "Bản sao giấy khai sinh" in ask("ask_admission", "hồ sơ nhập học gồm gì").text
    assert "chưa được công bố" in ask("ask_admission", "bao giờ trường tuyển sinh").text


def test_contact_does_not_invent_a_phone_number(ask):
    text = ask("ask_contact", "cho xin sđt phòng tuyển sinh").text
    assert "Trường Cao đẳng Lai Châu" in text and "đang chờ trường cung cấp" in text
    assert not any(ch.isdigit() for ch in text.replace("2026", ""))


def test_career_quick_path_suggests_matching_programmes(ask):
    reply = ask("ask_career_advice", "em thích sửa xe thì nên học nghề gì")
    assert "Sửa chữa xe máy" in reply.text and "Công nghệ ô tô" in reply.text


def test_why_vocational_carries_the_province_message(ask):
    assert "Kỹ năng - việc làm - thu nhập - phát triển bền vững" in ask("ask_why_vocational", "học nghề có lợi gì").text
    assert "liên thông" in ask("ask_why_vocational", "trung cấp có liên thông lên cao đẳng được không").text


def test_job_prospects_for_a_programme_give_jobs_and_income(ask):
    text = ask("ask_job_prospects", "học xong điện công nghiệp làm ở đâu lương bao nhiêu").text
    assert "Học xong nghề Điện công nghiệp" in text and "triệu đồng/tháng" in text and "tham khảo" in text


def test_fallback_offers_the_likeliest_topics_and_records(ask):
    reply = ask("fallback", "ờ thế cái kia thì sao", ranking=["ask_tuition", "ask_policy", "greet"])
    assert reply.text.startswith("Xin lỗi, mình chưa hiểu rõ")
    assert [b.payload for b in reply.buttons][:2] == ["/ask_tuition", "/ask_policy"]
    assert reply.unanswered_reason == "low_confidence"


def test_a_replaced_decree_or_a_misconception_is_corrected_first(ask):
    """policy_facts §8.1, §8.3, §8.4: the correction, with its source, before anything else."""
    old = ask("ask_policy", "NĐ 81 còn áp dụng không")
    assert old.text == "Không. NĐ 81/2021/NĐ-CP đã được thay thế bởi NĐ 238/2025/NĐ-CP từ 03/09/2025."
    assert any(b.payload == '/ask_policy{"policy": "nd238"}' for b in old.buttons)
    wrong = ask("ask_policy", "học trung cấp được hỗ trợ 150k/tháng phải không").text
    assert wrong.startswith("Không. Hỗ trợ chi phí học tập 150.000 đ/tháng là chính sách cho học sinh phổ thông DTTS")
    everyone = ask("check_eligibility", "em người Thái, nghe nói người dân tộc đều được miễn học phí đúng không").text
    assert everyone.startswith("Không phải mọi người dân tộc thiểu số đều được miễn học phí")
    rumour = ask("ask_policy", "Nghe nói nghị định 81 năm 2021 vẫn đang áp dụng cho học phí học nghề?").text
    assert rumour.startswith("Không. NĐ 81/2021/NĐ-CP đã được thay thế")  # a rumour put as a question is a yes/no
    still = ask("ask_policy", "Còn Nghị định 97/2023 sửa đổi nghị định đó thì vẫn còn hiệu lực chứ?").text
    assert still.startswith("Không. NĐ 97/2023/NĐ-CP đã được thay thế")
    salary = ask("ask_policy", "lương cơ sở theo nghị định 73 là bao nhiêu").text
    assert salary.startswith("NĐ 73/2024/NĐ-CP đã được thay thế bởi NĐ 161/2026/NĐ-CP từ 01/07/2026.\nMức lương cơ sở hiện nay là 2.530.000")


def test_is_the_trade_taught_is_answered_yes_or_no(ask):
    may = ask("ask_programmes", "trường có dạy nghề may không?")
    assert may.text.startswith("Có, nghề May thời trang có trong danh mục dự kiến (thông tin tham khảo")
    assert "trình độ sơ cấp và trung cấp" in may.text and "Điện công nghiệp" not in may.text
    han = ask("ask_programmes", "có dạy hàn trình độ cao đẳng không").text
    assert han.startswith("Chưa có: nghề Hàn trình độ cao đẳng không có trong danh mục dự kiến")
    pilot = ask("ask_programmes", "trường có ngành phi công không", entities={"programme": ["phi công"]})
    assert pilot.text.startswith("Chưa có. Mình chưa có thông tin về nghề \"phi công\"")


def test_yes_no_about_the_catalogue_starts_with_the_answer(ask):
    """Without an entity from the NLU: the trade's name is read from the question itself."""
    lai = ask("ask_programmes", "trường mình có đào tạo ngành hàng không không ạ").text
    assert lai.startswith("Chưa có. Mình chưa có thông tin về nghề \"hàng không\"")
    short = ask("ask_programmes", "bên mình có lớp ngắn hạn nào không").text
    assert short.startswith("Có. Các ngành, nghề trình độ sơ cấp") and "May thời trang" in short and "Cao đẳng:" not in short
    college = ask("ask_programmes", "trường có hệ cao đẳng không ạ").text
    assert college.startswith("Có. Các ngành, nghề trình độ cao đẳng") and "Sơ cấp:" not in college


def test_can_i_study_at_this_age_is_answered_from_the_entry_rules(ask):
    young = ask("ask_programmes", "em 14 tuổi có đi học sơ cấp được không").text
    assert young.startswith("Chưa: trình độ sơ cấp nhận người từ 15 tuổi trở lên")
    fifteen = ask("ask_programmes", "con tôi 15 tuổi học nghề ngắn hạn được không").text
    assert fifteen.startswith("Có, với phần lớn các nghề: trình độ sơ cấp nhận người từ 15 tuổi trở lên")
    assert "Tiếng Hàn Quốc cho người đi làm việc ở nước ngoài cần từ 18 tuổi" in fifteen
    adult = ask("ask_programmes", "tôi năm nay 45 tuổi có học nghề được không").text
    assert adult.startswith("Có") and "từ 15 tuổi trở lên" in adult
    asked_as_admission = ask("ask_admission", "cháu nhà tôi 14 tuổi có vào học sơ cấp được không").text
    assert asked_as_admission.startswith("Chưa: trình độ sơ cấp nhận người từ 15 tuổi trở lên")


def test_yes_no_about_one_support_answers_for_the_level_asked(ask):
    short = ask("ask_policy", "học nghề sơ cấp thì có được giảm học phí không ạ").text
    assert short.startswith("Chưa xác nhận với trình độ sơ cấp (đang xác nhận: NĐ 238 có áp dụng cho sơ cấp không).")
    college = ask("ask_policy", "học cao đẳng có được miễn học phí không").text
    assert college.startswith("Có, với người thuộc các nhóm dưới đây học cao đẳng.\nMiễn học phí")
    assert "sơ cấp" not in college.split("Dành cho:")[0]  # the sơ cấp doubt is not this person's


def test_a_document_year_is_not_a_day_asked_about(ask):
    text = ask("ask_policy", "Quyết định 53 năm 2015 bây giờ còn hiệu lực không").text
    assert not text.startswith(("Mình chỉ có mức lương cơ sở", "(Tính cho ngày")) and "QĐ 53" in text


@pytest.mark.parametrize("question, day", [
    ("năm ngoái, à không, tháng 8 năm nay học bổng bao nhiêu", dt.date(2026, 8, 1)),
    ("tháng 9/2026, à nhầm, tháng 4/2026 thì sao", dt.date(2026, 4, 1)),
    ("học kỳ 2 năm học 2025-2026 được bao nhiêu", dt.date(2026, 3, 1)),
    ("năm học 2026-2027 học phí thế nào", None),
    ("Luật Giáo dục nghề nghiệp năm 2014 còn áp dụng không", None),
    ("nghị định 57 năm ngoái được bao nhiêu", dt.date(2025, 12, 31)),
    ("em sinh năm 2009 học trung cấp được gì", None),
    ("chị em học năm 2025 thì nghị định 57 được bao nhiêu", dt.date(2025, 12, 31)),  # a document named elsewhere
    ("theo nghị định 238 thì năm 2025 được giảm bao nhiêu", dt.date(2025, 12, 31)),
    ("không phải tháng 9 năm ngoái, tháng 9 năm nay cháu mới nhập học", dt.date(2026, 9, 1)),
])
def test_the_day_asked_about(question, day):
    from bot.answers.dates import asked_day

    assert asked_day(question, dt.date(2026, 12, 3)) == day


def test_a_question_about_another_day_is_computed_for_that_day(ask):
    may = ask("ask_policy", "học bổng chính sách hồi tháng 5 là bao nhiêu", day=dt.date(2026, 12, 2)).text
    assert may.startswith("(Tính cho ngày 01/05/2026.)\nTheo Điều 3 QĐ 53/2015/QĐ-TTg, học bổng chính sách tính theo "
                          "lương cơ sở 2.340.000 đ/tháng từ 01/07/2024:")
    july = ask("check_eligibility", "em người Thái hộ nghèo học trung cấp trường công lập, từ 01/07/2026 thì được bao nhiêu",
               day=dt.date(2026, 6, 15)).text
    assert july.startswith("(Tính cho ngày 01/07/2026.)") and "học bổng chính sách 2.530.000 đ/tháng" in july
    assert len(july) <= 600
    old = ask("ask_policy", "năm 2023 tháng 5 học bổng bao nhiêu", day=dt.date(2026, 12, 2))
    assert old.text.startswith("Mình chỉ có mức lương cơ sở từ 01/07/2024, nên chưa tính được số tiền cho ngày 01/05/2023.")
    today = ask("ask_policy", "học bổng chính sách tháng này bao nhiêu", day=dt.date(2026, 12, 2)).text
    assert not today.startswith("(Tính cho ngày") and "2.530.000 đ/tháng" in today


def test_months_a_year_of_a_monthly_support(ask):
    scholarship = ask("ask_policy", "học bổng chính sách một năm được mấy tháng", entities={"policy": ["qd53"]}).text
    assert scholarship.startswith("Chưa xác nhận: học bổng chính sách (QĐ 53/2015/QĐ-TTg) được 10 hay 12 tháng mỗi năm")
    nd57 = ask("ask_policy", "hỗ trợ học tập NĐ 57 được bao nhiêu tháng một năm").text
    assert nd57.startswith("Hỗ trợ học tập (NĐ 57/2017/NĐ-CP): 12 tháng mỗi năm.")


def test_a_group_of_people_named_gets_its_supports(ask):
    text = ask("ask_policy", "người học nghề nặng nhọc, độc hại thì được giảm mấy phần trăm học phí").text
    assert text.startswith("Giảm 70% học phí") and "Miễn học phí" not in text


def test_a_stated_base_salary_or_day_it_rose_is_checked_against_the_table(ask):
    """policy_facts §8: 1.800.000 is no lương cơ sở, and it did not rise on 01/01/2026."""
    wrong = ask("ask_policy", "Có người bảo lương cơ sở là 1.800.000, tính học bổng theo mức đó có đúng không?").text
    assert wrong.startswith("Không, 1.800.000 đ/tháng không phải mức lương cơ sở; hiện nay là 2.530.000 đ/tháng từ 01/07/2026")
    old = ask("ask_policy", "lương cơ sở 2.340.000 đúng không").text
    assert old.startswith("Không, 2.340.000 đ/tháng là mức từ 01/07/2024; hiện nay là 2.530.000 đ/tháng")
    assert ask("ask_policy", "lương cơ sở 2.530.000 đúng không").text.startswith("Có, 2.530.000 đ/tháng")
    rise = ask("ask_policy", "Có người nói lương cơ sở tăng từ 01/01/2026, đúng không?").text
    assert rise.startswith("Không, lương cơ sở không đổi vào ngày 01/01/2026: mức 2.530.000 đ/tháng áp dụng từ 01/07/2026")


def test_whether_a_group_is_one_of_the_very_small_groups_is_answered_from_the_list(ask):
    """NĐ 57's list decides, with its source; a group named is not made "very small" by the claim."""
    mang = ask("check_eligibility", "ng Mang co phai dan toc rat it nguoi ko").text
    assert mang.startswith("Có, người Mảng thuộc 16 dân tộc thiểu số rất ít người (Điều 2 khoản 1 NĐ 57/2017/NĐ-CP).")
    both = ask("check_eligibility", "người Si La với người Thái đều là dân tộc rất ít người đúng không").text
    assert both.startswith("Không: người Si La thuộc 16 dân tộc thiểu số rất ít người, còn người Thái thì không")
    mong = ask("check_eligibility", "Người Mông là dân tộc rất ít người nên được nghị định 57 phải không?").text
    assert mong.startswith("Không, người Mông không thuộc 16 dân tộc") and "Bạn không thuộc diện hưởng hỗ trợ học tập" in mong


def test_whether_a_document_is_in_force_comes_from_its_status(ask):
    """sources.yml decides: a law replaced, a decree in force said to be replaced, one being confirmed."""
    law = ask("ask_policy", "Luật Giáo dục nghề nghiệp năm 2014 vẫn đang áp dụng phải không?").text
    assert law.startswith("Không. Luật GDNN 74/2014/QH13 đã được thay thế bởi Luật GDNN số 124/2025/QH15")
    rumour = ask("ask_policy", "nghị định 238 bị nghị định khác thay thế rồi à?").text
    assert rumour.startswith("Chưa có thông tin như vậy: NĐ 238/2025/NĐ-CP đang có hiệu lực từ 03/09/2025")
    qd46 = ask("ask_policy", "quyết định 46 bây giờ còn áp dụng không?").text
    assert qd46.startswith("Chưa xác nhận: QĐ 46/2015/QĐ-TTg còn hiệu lực hay không đang được xác nhận.")
    assert ask("ask_policy", "QĐ 53 còn hiệu lực không").text.startswith("Có, QĐ 53/2015/QĐ-TTg đang có hiệu lực")


def test_a_known_mistake_is_corrected_whatever_the_nlu_called_it(kb, today):
    from bot import dialogue
    from bot.answers import Context

    ctx = Context(kb, "giấy chứng nhận cận nghèo nộp một lần là xong cả khóa à?", today, "ask_programme_info", {}, {}, [])
    assert dialogue.answer_turn("ask_programme_info", ctx).text.startswith("Không chỉ một lần: nộp 1 bộ hồ sơ cho cả khóa")


def test_a_denied_tier_a_salary_period_and_a_document_start_are_answered(ask):
    tier = ask("ask_policy", "tôi nhầm, mức 80% chứ không phải 60%, tháng 5/2026 thì bao nhiêu").text
    assert "80% lương cơ sở = 1.872.000 đ/tháng" in tier and "1.404.000" not in tier
    period = ask("ask_policy", "mức 2.340.000 áp dụng từ khi nào?").text
    assert period.startswith("Mức lương cơ sở 2.340.000 đ/tháng áp dụng từ 01/07/2024 đến 30/06/2026")
    since = ask("ask_policy", "nghị định 238 có hiệu lực từ khi nào").text
    assert since.startswith("NĐ 238/2025/NĐ-CP có hiệu lực từ 03/09/2025 và đang được áp dụng.")


def test_a_claim_that_supports_add_up_gets_the_stacking_rule(ask):
    """stacking.yml: one tuition level only; QĐ 53 with NĐ 57 is being confirmed, never added up."""
    both = ask("check_eligibility", "bố em bị bệnh nghề nghiệp, vậy được giảm 70% cộng thêm 50% nữa đúng không?").text
    assert both.startswith("Không: người thuộc nhiều diện miễn, giảm học phí chỉ được hưởng một mức cao nhất (NĐ 238/2025/NĐ-CP).")
    assert both.count("\n") and not both.split("\n")[1].startswith(("Có", "Không", "Chưa"))
    sum_ = ask("check_eligibility", "cháu được cộng cả NĐ 57 với QĐ 53 đúng không?").text
    assert sum_.startswith("Chưa xác nhận: có được hưởng cùng lúc học bổng chính sách QĐ 53 và hỗ trợ học tập NĐ 57")
