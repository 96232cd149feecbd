"""Properties that must hold for any person, not just the table's.

1. For any profile, no support is offered (held, doubtful or "nếu …") through a group whose
   condition the profile contradicts, or through a policy whose exclusion applies.
2. For any sentence that negates a fact ("không phải hộ nghèo", "k bị khuyết tật", "có phải ...
   đâu"), with or without diacritics, no benefit is offered through a group that needs that fact.
3. Nothing is ever both held and doubtful, and two supports whose combination is unknown are
   never both listed as held.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings, strategies as st

from bot.eligibility import NO, YES, Facts, evaluate
from bot.profile import Profile, extract_for
from bot.text import strip_diacritics

DAY = dt.date(2026, 12, 2)
BOOL = st.sampled_from([None, True, False])
CATEGORIES = ["dbkk", "kho_khan", "vung_dtts", "bien_gioi", "hai_dao"]

profiles = st.builds(
    Profile,
    ethnicity=st.sampled_from([None, "minority", "very_small", "kinh"]),
    household=st.sampled_from([None, "poor", "near_poor", "neither"]),
    residence=st.dictionaries(st.sampled_from(CATEGORIES), st.booleans(), max_size=3),
    commune=st.sampled_from([None, "Mù Cả", "Thu Lũm", "Tân Phong", "Than Uyên"]),
    level=st.sampled_from([None, "so_cap", "trung_cap", "cao_dang"]),
    previous_level=st.sampled_from([None, "trung_cap"]),
    disabled=BOOL, orphan=BOOL, no_guardian=BOOL, meritorious=BOOL, boarding_school_graduate=BOOL,
    lower_secondary_graduate=BOOL, upper_secondary_graduate=BOOL, parent_work_accident=BOOL, nominated=BOOL,
    public_school=BOOL, regular_programme=BOOL, had_boarding_support=BOOL,
    sex=st.sampled_from([None, "female", "male"]),
    age=st.one_of(st.none(), st.integers(min_value=10, max_value=70)),
    rural_worker=BOOL,
)


def offered(result):
    return result.entitled + result.uncertain + result.possible


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(profile=profiles)
def test_no_support_through_a_contradicted_group(kb, profile):
    result = evaluate(profile, kb, DAY)
    facts = Facts(profile, kb)
    for f in offered(result):
        for key, required in f.group.conditions.items():
            assert facts.check(key, required).outcome != NO, (profile, f.key, f.group.id, key)
        if f.policy.scope_levels:
            assert facts.check("level", list(f.policy.scope_levels)).outcome != NO, (profile, f.key)
        for ex in f.policy.exclusions:
            assert facts.assess(ex.conditions).outcome != YES, (profile, f.key, ex.id)


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(profile=profiles)
def test_held_and_doubtful_never_overlap_and_unknown_combinations_are_not_added_up(kb, profile):
    result = evaluate(profile, kb, DAY)
    held = {f.key for f in result.entitled}
    assert not held & {f.key for f in result.uncertain}
    for rule in kb.stacking:
        if rule.rule == "unknown":
            sides = [set(side) & held for side in rule.sides]
            assert not all(sides), (profile, rule.id)


NEGATED = {
    "household": ["nhà em không phải hộ nghèo", "nhà em k phải hộ cận nghèo", "gia đình em chẳng thuộc hộ nghèo",
                  "nhà em có phải hộ nghèo đâu", "nhà em không thuộc diện hộ nghèo hay cận nghèo",
                  "nhà em ko có sổ hộ nghèo"],
    "disabled": ["em không bị khuyết tật", "em k khuyết tật", "em không có giấy xác nhận khuyết tật"],
    "boarding_school_graduate": ["em không học trường dân tộc nội trú"],
    "meritorious": ["em không phải con thương binh", "nhà em không phải gia đình có công"],
}
OTHER = st.fixed_dictionaries({
    "who": st.sampled_from(["em người Thái", "em là người Kinh", "em người Mông", "em là người Lự", "em người Dao", ""]),
    "level": st.sampled_from(["học trung cấp", "học cao đẳng", "học sơ cấp", "muốn học nghề", ""]),
    "school": st.sampled_from(["trường công lập", "trường tư thục", ""]),
    "place": st.sampled_from(["ở xã đặc biệt khó khăn", "ở xã biên giới", "ở xã Mù Cả", ""]),
})


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fact=st.sampled_from(sorted(NEGATED)), index=st.integers(min_value=0, max_value=5), other=OTHER,
       accents=st.booleans(), order=st.booleans())
def test_a_negated_fact_never_offers_a_group_that_needs_it(kb, fact, index, other, accents, order):
    phrases = NEGATED[fact]
    negation = phrases[index % len(phrases)]
    parts = [other["who"], other["level"], other["school"], other["place"]]
    parts = ([negation] + parts) if order else (parts + [negation])
    text = ", ".join(p for p in parts if p)
    if not accents:
        text = strip_diacritics(text)
    profile = extract_for(kb, text, day=DAY)
    result = evaluate(profile, kb, DAY)
    for f in offered(result):
        required = f.group.conditions.get(fact)
        if required is None:
            continue
        wanted = required if isinstance(required, list) else [required]
        assert not ({"poor", "near_poor", True} & set(wanted)), (text, profile.as_slot(), f.key, f.group.id)
