"""The short support-check form: only the questions that can still change the answer are
asked, answers are read from buttons, numbers and free text, and course totals are right."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.advisors import support_form
from bot.eligibility import YES, course_months, course_total, evaluate, matters
from bot.profile import Profile

NOV = dt.date(2026, 11, 22)


def questions_for(kb, profile, asked=()):
    return [q.id for q in support_form.open_questions(profile, list(asked), kb, NOV)]


def Q(kb, qid):
    return support_form.by_id(kb, qid)


def test_an_empty_profile_is_asked_every_question_that_can_matter(kb):
    ids = questions_for(kb, Profile())
    assert ids[:4] == ["level", "ethnicity", "household", "residence"]
    assert set(ids) >= {"disabled", "orphan", "family", "boarding", "public_school", "graduated"}
    assert len(ids) <= 14


def test_a_full_exemption_already_makes_rarer_situations_irrelevant(kb):
    # Thái, hộ nghèo, trung cấp: already exempt from fees and on the 100% scholarship at a public
    # school. Disability, orphanhood, a parent's work accident or PTDT nội trú cannot add anything;
    # where they live (travel money 300.000 vs 200.000) and the school type (QĐ 53) still can.
    profile = Profile(ethnic_group="Thái", ethnicity="minority", household="poor", level="trung_cap")
    assert questions_for(kb, profile) == ["residence", "public_school"]


def test_kinh_not_poor_is_not_asked_about_qd53_school_type(kb):
    profile = Profile(ethnic_group="Kinh", ethnicity="kinh", household="neither", level="cao_dang",
                      disabled=False, boarding_school_graduate=False)
    assert "public_school" not in questions_for(kb, profile)
    assert not matters("residence", profile, kb, NOV)


def test_an_orphan_is_asked_whether_someone_raises_them(kb):
    profile = Profile(orphan=True, level="cao_dang")
    assert "guardian" in questions_for(kb, profile)
    assert "guardian" not in questions_for(kb, Profile(orphan=False, level="cao_dang"))


def test_a_second_qd53_is_asked_only_after_a_previous_level(kb):
    base = dict(ethnic_group="Thái", ethnicity="minority", household="poor", level="cao_dang", public_school=True)
    assert "previous_support" not in questions_for(kb, Profile(**base))
    assert "previous_support" in questions_for(kb, Profile(previous_level="trung_cap", **base))


def test_an_unclear_fact_is_asked_first(kb):
    profile = Profile(ethnic_group="Mông", ethnicity="minority", level="trung_cap", unclear=["household"])
    assert questions_for(kb, profile)[0] == "household"


def test_residence_question_offers_border_and_minority_areas(kb):
    titles = [c.title for c in Q(kb, "residence").choices]
    assert titles == ["Thôn/bản ĐBKK hoặc xã khu vực III", "Xã biên giới", "Xã khu vực I, II (vùng DTTS)", "Không thuộc các vùng trên"]
    border = support_form.read(Q(kb, "residence"), "bien_gioi", Profile(), kb)
    assert border.answered and border.profile.residence == {"bien_gioi": True}
    typed = support_form.read(Q(kb, "residence"), "nhà em ở xã Mù Cả", Profile(), kb)
    assert typed.answered and typed.profile.commune == "Mù Cả"


def test_questions_already_asked_are_not_asked_again(kb):
    assert "level" not in questions_for(kb, Profile(), asked=["level"])


@pytest.mark.parametrize("text, expected", [
    ("trung_cap", {"level": "trung_cap"}),           # the button payload
    ("2", {"level": "trung_cap"}),                   # its number (Zalo shows a numbered list)
    ("trung cap a", {"level": "trung_cap"}),         # typed without diacritics
])
def test_level_answers(kb, text, expected):
    reading = support_form.read(Q(kb, "level"), text, Profile(), kb)
    assert reading.answered and reading.profile.level == expected["level"]


def test_ethnicity_button_sets_the_kind_from_the_knowledge_base(kb):
    reading = support_form.read(Q(kb, "ethnicity"), "người Mông", Profile(), kb)
    assert (reading.profile.ethnic_group, reading.profile.ethnicity) == ("Mông", "minority")
    typed = support_form.read(Q(kb, "ethnicity"), "em là người Lự", Profile(), kb)
    assert typed.profile.ethnicity == "very_small" and typed.answered


def test_free_text_answer_settles_several_facts(kb):
    reading = support_form.read(Q(kb, "ethnicity"), "em người Dao, nhà hộ cận nghèo ở bản đặc biệt khó khăn",
                                Profile(level="trung_cap"), kb)
    p = reading.profile
    assert (p.ethnic_group, p.household, p.residence["dbkk"], p.level) == ("Dao", "near_poor", True, "trung_cap")
    assert "household" not in questions_for(kb, p, ["ethnicity"])


def test_no_and_dont_know_answers(kb):
    no = support_form.read(Q(kb, "household"), "không", Profile(), kb)
    assert no.answered and no.profile.household == "neither"
    negated = support_form.read(Q(kb, "household"), "nhà em không phải hộ nghèo đâu", Profile(), kb)
    assert negated.answered and negated.profile.household == "neither"
    unsure = support_form.read(Q(kb, "household"), "em không rõ ạ", Profile(), kb)
    assert unsure.answered and unsure.profile.household is None
    family = support_form.read(Q(kb, "family"), "Không", Profile(), kb)
    assert family.profile.meritorious is False and family.profile.parent_work_accident is False


def test_stop_and_unrelated_text(kb):
    assert support_form.read(Q(kb, "level"), "xem_ket_qua", Profile(), kb).stop
    assert support_form.read(Q(kb, "level"), "thôi", Profile(), kb).stop
    other = support_form.read(Q(kb, "level"), "học phí bao nhiêu", Profile(household="poor"), kb)
    assert not other.understood and other.profile.household == "poor"


def test_private_school_makes_the_boarding_policy_uncertain_not_refused(kb):
    public = evaluate(Profile(ethnicity="minority", household="poor", level="trung_cap", public_school=True), kb, NOV)
    private = evaluate(Profile(ethnicity="minority", household="poor", level="trung_cap", public_school=False), kb, NOV)
    assert any(e.policy.id == "qd53" for e in public.entitled)
    assert not any(e.policy.id == "qd53" for e in private.entitled)
    assert {e.benefit.id for e in private.uncertain if e.policy.id == "qd53"} >= {"hoc_bong_100", "ho_tro_mot_lan"}
    assert any(e.benefit.id == "mien_hoc_phi" for e in private.entitled)


def test_question_reply_has_buttons_and_a_way_out(kb):
    reply = support_form.ask(Q(kb, "household"), 3, 2)
    assert reply.text.startswith("Câu 3 (còn 2 câu sau câu này): Gia đình bạn")
    assert [b.title for b in reply.buttons] == ["Hộ nghèo", "Hộ cận nghèo", "Không thuộc", "Không rõ", "Xem kết quả luôn"]


def test_course_totals(kb):
    profile = Profile(ethnicity="minority", household="poor", level="cao_dang", public_school=True)
    result = evaluate(profile, kb, NOV)
    by_id = {e.benefit.id: e for e in result.entitled}
    months = course_months(kb, "cao_dang")
    assert months == 36
    # QĐ 53 scholarship, months per year not verified: 30 (10/year) to 36 months of 2.530.000.
    assert course_total(by_id["hoc_bong_100"], months) == (75_900_000, 91_080_000)
    assert course_total(by_id["ho_tro_tet"], months) == (450_000, 450_000)        # 3 school years
    assert course_total(by_id["ho_tro_mot_lan"], months) == (1_000_000, 1_000_000)  # once per course
    june = evaluate(profile, kb, dt.date(2026, 6, 30))
    hb = next(e for e in june.entitled if e.benefit.id == "hoc_bong_100")
    assert course_total(hb, 24) == (46_800_000, 56_160_000)  # on 2.340.000
    assert course_total(hb, 18) == (2_340_000 * 16, 2_340_000 * 18)  # 10 + 6 months, or 12 + 6


def test_nd57_pays_twelve_months_a_year(kb):
    result = evaluate(Profile(ethnic_group="La Hủ", ethnicity="very_small", level="trung_cap", residence={"kho_khan": True}),
                      kb, NOV)
    nd57 = next(e for e in result.findings if e.policy.id == "nd57" and e.outcome == YES)
    assert course_total(nd57, 18) == (2_530_000 * 18, 2_530_000 * 18)
