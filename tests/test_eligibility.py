"""Support a person is entitled to, from what they say about themselves."""

from __future__ import annotations

import datetime as dt

from bot.eligibility import evaluate
from bot.profile import extract

DAY = dt.date(2026, 11, 22)


def _entitled(kb, text):
    profile = extract(text, kb.policies["nd57"].ethnic_groups)
    result = evaluate(profile, kb, DAY)
    return {e.benefit.id: e.monthly_amount for e in result.entitled}, result


def test_profile_extraction_from_free_text(kb):
    p = extract("em người Thái, nhà hộ cận nghèo ở xã đặc biệt khó khăn, học xong lớp 9, muốn học trung cấp",
                kb.policies["nd57"].ethnic_groups)
    assert (p.ethnicity, p.ethnicity_kind, p.household, p.residence, p.level, p.lower_secondary_graduate) == (
        "Thái", "minority", "near_poor", "extremely_difficult", "trung_cap", True)


def test_accent_free_profile(kb):
    p = extract("e nguoi mong ho ngheo hoc cao dang", kb.policies["nd57"].ethnic_groups)
    assert (p.ethnicity, p.household, p.level) == ("Mông", "poor", "cao_dang")


def test_ordinary_words_are_not_ethnic_groups(kb):
    assert extract("em mang hồ sơ đến trường công lập", kb.policies["nd57"].ethnic_groups).ethnicity is None


def test_thai_near_poor_gets_exemption_and_full_scholarship(kb):
    got, _ = _entitled(kb, "em người Thái hộ cận nghèo học trung cấp")
    assert got["mien_hoc_phi"] is None
    assert got["hoc_bong_100"] == 2_530_000
    assert "ho_tro_mot_lan" in got and "ho_tro_tet" in got


def test_very_small_group_gets_nd57_support(kb):
    got, _ = _entitled(kb, "em là người La Hủ ở vùng đặc biệt khó khăn, học cao đẳng")
    assert got["ho_tro_hoc_tap_gdnn"] == 2_530_000
    assert "mien_hoc_phi" in got


def test_only_the_highest_tuition_exemption_is_kept(kb):
    got, result = _entitled(kb, "em người Dao, hộ nghèo, ở thôn đặc biệt khó khăn, học trung cấp")
    assert "mien_hoc_phi" in got and "giam_70" not in got
    assert [e.benefit.id for e in result.superseded] == ["giam_70"]


def test_kinh_without_hardship_gets_nothing_certain_and_no_qd53(kb):
    got, result = _entitled(kb, "em người Kinh học cao đẳng")
    assert "hoc_bong_100" not in got and "hoc_bong_60" not in got
    assert not any(e.benefit.id.startswith("hoc_bong_100") for e in result.possible)


def test_missing_facts_make_supports_possible_not_certain(kb):
    got, result = _entitled(kb, "em là người dân tộc thiểu số")
    assert "hoc_bong_100" not in got
    possible = {e.benefit.id: e.missing for e in result.possible}
    assert "household" in possible["hoc_bong_100"]


def test_primary_level_short_course_excludes_boarding_policy(kb):
    got, result = _entitled(kb, "em người Mông hộ nghèo học sơ cấp")
    assert "hoc_bong_100" not in got
    assert not any(e.policy.id == "qd53" for e in result.possible)


def test_eligibility_reply_text(ask):
    text = ask("check_eligibility", "em người Thái, nhà hộ cận nghèo, học xong lớp 9, muốn học trung cấp").text
    assert "Miễn học phí" in text and "Điều 15 NĐ 238/2025/NĐ-CP" in text
    # 100% of 2.530.000 a month; a trung cấp course of 24 months pays 20 (10/year) to 24 months.
    assert ("Học bổng chính sách: 100% lương cơ sở = 2.530.000 đ/tháng; cả khóa 24 tháng: "
            "50.600.000 đ - 60.720.000 đ (tùy được hưởng 10 hay 12 tháng mỗi năm, đang được xác nhận) "
            "(Điều 3 QĐ 53/2015/QĐ-TTg)") in text
    assert "Hỗ trợ HSSV ở lại trường dịp Tết Nguyên đán (cần đơn xin xác nhận ở lại trường): 150.000 đ/năm; cả khóa 24 tháng: 300.000 đ" in text
    assert "Hồ sơ cần chuẩn bị:" in text and "Giấy chứng nhận hộ nghèo/cận nghèo do UBND xã cấp" in text
    assert "Đơn đề nghị miễn, giảm học phí theo mẫu Phụ lục IV" in text
    assert "công lập" in text
    assert "NQ 72/2016/NQ-HĐND) có thể có thêm hỗ trợ; nội dung đang được xác nhận" in text


def test_eligibility_without_details_starts_the_short_form(ask):
    reply = ask("check_eligibility", "em có được hỗ trợ gì không")
    assert reply.follow_up == "eligibility_form"
    assert "hỏi vài câu ngắn" in reply.text


def test_profile_is_completed_across_turns(ask):
    first = ask("check_eligibility", "em là người Hà Nhì")
    second = ask("inform", "nhà em hộ nghèo, em học trung cấp", pending_question=None, profile=first.slots["profile"])
    assert "2.530.000 đ/tháng" in second.text
    assert second.slots["profile"]["ethnicity"] == "Hà Nhì"
