"""Which supports a person is entitled to, read from the knowledge-base policy data.

Pure and deterministic: the same profile, knowledge base and day give the same
result. A condition on a fact the person has not given is "unknown", never
guessed: such supports are returned as possible, with the missing facts named.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Tuple

from bot.kb.models import LEVEL_LABELS, Benefit, Group, KnowledgeBase, Policy
from bot.profile import Profile

YES, NO, UNKNOWN = "yes", "no", "unknown"
LEVELS = tuple(LEVEL_LABELS)
# Facts most people can answer at once; a support that hinges on a rarer situation
# (a parent's work accident, cử tuyển...) is only suggested when the person mentions it.
COMMON_FACTS = {"level", "residence", "household", "ethnicity", "lower_secondary_graduate"}

# Which stated values satisfy a required value, per condition key.
IMPLIED = {
    "ethnicity": {"minority": {"minority", "very_small"}, "very_small": {"very_small"}, "kinh": {"kinh"}},
    "residence": {
        "extremely_difficult": {"extremely_difficult"},
        "difficult": {"difficult", "extremely_difficult"},
        "special_area": {"extremely_difficult"},
    },
}
PROFILE_FIELD = {"ethnicity": "ethnicity_kind"}
# Facts about the trade, not the person: no programme in the knowledge base is
# classified by them yet, so a support that needs them is never offered as "possible".
PROGRAMME_FACTS = {"hazardous_trade", "traditional_arts"}
# How to ask for a missing fact, in the person's words.
FACT_QUESTIONS = {
    "ethnicity": "bạn là người dân tộc nào",
    "household": "gia đình có thuộc hộ nghèo, cận nghèo không",
    "residence": "nơi thường trú có thuộc thôn/xã đặc biệt khó khăn không",
    "level": "bạn muốn học trình độ nào (sơ cấp, trung cấp, cao đẳng)",
    "disabled": "bạn có giấy xác nhận khuyết tật không",
    "orphan": "bạn có mồ côi cả cha lẫn mẹ không",
    "meritorious": "gia đình có thuộc diện người có công không",
    "boarding_school_graduate": "bạn có tốt nghiệp trường PTDT nội trú không",
    "lower_secondary_graduate": "bạn đã tốt nghiệp THCS chưa",
    "parent_work_accident": "cha/mẹ có đang hưởng trợ cấp tai nạn lao động không",
    "nominated": "bạn có học theo diện cử tuyển không",
}


def _check(key: str, required: object, profile: Profile) -> str:
    value = getattr(profile, PROFILE_FIELD.get(key, key), None)
    if value is None:
        return UNKNOWN
    wanted = required if isinstance(required, list) else [required]
    accepted = set()
    for w in wanted:
        accepted |= IMPLIED.get(key, {}).get(w, {w})  # type: ignore[arg-type]
    return YES if value in accepted else NO


def assess(conditions: Mapping[str, object], profile: Profile) -> Tuple[str, List[str]]:
    """(yes|no|unknown, facts still missing) for all-of `conditions`."""
    missing = []
    for key, required in conditions.items():
        outcome = _check(key, required, profile)
        if outcome == NO:
            return NO, []
        if outcome == UNKNOWN:
            missing.append(key)
    return (UNKNOWN, missing) if missing else (YES, [])


@dataclass(frozen=True)
class Entitlement:
    policy: Policy
    benefit: Benefit
    group: Group
    missing: Tuple[str, ...] = ()
    monthly_amount: Optional[int] = None

    @property
    def certain(self) -> bool:
        return not self.missing


@dataclass
class Assessment:
    day: dt.date
    entitled: List[Entitlement] = field(default_factory=list)
    possible: List[Entitlement] = field(default_factory=list)
    # Tuition exemptions/reductions dropped because a higher one applies.
    superseded: List[Entitlement] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.entitled or self.possible)


def _scope_conditions(policy: Policy) -> Dict[str, object]:
    """A policy for some levels only (QĐ 53: trung cấp, cao đẳng) depends on the level."""
    if not policy.scope_levels or set(policy.scope_levels) >= set(LEVELS):
        return {}
    return {"level": list(policy.scope_levels)}


def _best_group(policy: Policy, benefit: Benefit, profile: Profile) -> Optional[Tuple[Group, str, List[str]]]:
    best = None
    for gid in benefit.groups:
        group = policy.group(gid)
        conditions = {**_scope_conditions(policy), **group.conditions, **benefit.conditions}
        outcome, missing = assess(conditions, profile)
        if benefit.unless and assess(benefit.unless, profile)[0] == YES:
            outcome = NO
        if outcome == YES:
            return group, YES, []
        if outcome == UNKNOWN and (best is None or len(missing) < len(best[2])):
            best = (group, UNKNOWN, missing)
    return best


def _is_tuition(e: Entitlement) -> bool:
    return e.benefit.kind in ("tuition_exemption", "tuition_reduction")


def applicable(kb: KnowledgeBase, profile: Profile) -> List[Policy]:
    """The policies that can apply: QĐ 53 does not at a private (tư thục) school."""
    return [p for p in kb.policies.values() if not (p.public_institution_only and profile.public_school is False)]


def evaluate(profile: Profile, kb: KnowledgeBase, day: dt.date) -> Assessment:
    result = Assessment(day)
    for policy in applicable(kb, profile):
        for benefit in policy.benefits:
            found = _best_group(policy, benefit, profile)
            if not found:
                continue
            group, outcome, missing = found
            if PROGRAMME_FACTS & set(missing):
                continue
            entitlement = Entitlement(policy, benefit, group, tuple(missing), benefit.monthly_amount(kb.salary, day))
            (result.entitled if outcome == YES else result.possible).append(entitlement)
    # One tier of the same support (học bổng chính sách 100% / 80% / 60%): the highest.
    best: Dict[Tuple[str, str], Entitlement] = {}
    for e in result.entitled:
        key = (e.policy.id, e.benefit.label)
        if key not in best or (e.benefit.percent or 0) > (best[key].benefit.percent or 0):
            best[key] = e
    result.entitled = [e for e in result.entitled if best[(e.policy.id, e.benefit.label)] is e]
    # Only the highest tuition exemption/reduction applies (NĐ 238 stacking rule).
    tuition = sorted((e for e in result.entitled if _is_tuition(e)), key=lambda e: -(e.benefit.percent or 0))
    if len(tuition) > 1:
        result.superseded = tuition[1:]
        result.entitled = [e for e in result.entitled if e not in result.superseded]
    if tuition:
        top = tuition[0].benefit.percent or 0
        result.possible = [e for e in result.possible if not (_is_tuition(e) and (e.benefit.percent or 0) <= top)]
    return result


# --- which questions are still worth asking ------------------------------------------

def _could_improve(benefit: Benefit, policy: Policy, result: Assessment) -> bool:
    """False when the person already has this support at this tier or better (or a higher
    tuition exemption), so no answer can add it."""
    for e in result.entitled:
        if _is_tuition(e) and benefit.kind in ("tuition_exemption", "tuition_reduction"):
            if (e.benefit.percent or 0) >= (benefit.percent or 0):
                return False
        elif e.policy.id == policy.id and e.benefit.label == benefit.label and \
                (e.benefit.percent or 0) >= (benefit.percent or 0):
            return False
    return True


def open_facts(profile: Profile, kb: KnowledgeBase, day: dt.date) -> set:
    """Unknown Profile fields whose answer could still add or raise a support: the missing facts of
    every group not yet ruled out, for supports the person does not already have at that level."""
    result = evaluate(profile, kb, day)
    facts = set()
    for policy in applicable(kb, profile):
        for benefit in policy.benefits:
            if not _could_improve(benefit, policy, result):
                continue
            candidates = []
            for gid in benefit.groups:
                conditions = {**_scope_conditions(policy), **policy.group(gid).conditions, **benefit.conditions}
                outcome, missing = assess(conditions, profile)
                if outcome == UNKNOWN and not PROGRAMME_FACTS & set(missing):
                    candidates.append(set(missing))
            # A group needing more facts than another one for the same support adds nothing
            # (Thái hộ nghèo: travel money depends on residence only, not on PTDT nội trú too).
            for missing in candidates:
                if not any(other < missing for other in candidates):
                    facts |= {PROFILE_FIELD.get(m, m) for m in missing}
    if profile.public_school is None and any(e.policy.public_institution_only for e in result.entitled + result.possible):
        facts.add("public_school")
    return {f for f in facts if getattr(profile, f) is None}


def matters(fact: str, profile: Profile, kb: KnowledgeBase, day: dt.date) -> bool:
    """Whether knowing `fact` (a Profile field, unknown now) could change the answer."""
    return fact in open_facts(profile, kb, day)


def course_months(kb: KnowledgeBase, level: Optional[str], programme_months: Optional[int] = None) -> Optional[int]:
    """How long the course is: the programme's own duration, else the longest course at that level
    in the catalogue (an upper bound, so totals are "up to")."""
    if programme_months:
        return programme_months
    if not level:
        return None
    months = [o.duration_months for p in kb.programmes for o in p.offerings if o.level == level and o.duration_months]
    return max(months) if months else None


def course_total(e: Entitlement, months: int) -> Optional[Tuple[int, int]]:
    """(lowest, highest) money over a course of `months`, at the lương cơ sở of the evaluated day.

    A monthly benefit whose months per school year are not verified (QĐ 53: 10 or 12)
    gives a range (10 of every 12 months up to every month); a yearly benefit counts each
    started school year.
    """
    years = -(-months // 12)
    b = e.benefit
    if b.kind == "percent_of_base_salary" and e.monthly_amount is not None:
        if b.months_per_year:
            paid = min(months, years * b.months_per_year)
            return e.monthly_amount * paid, e.monthly_amount * paid
        return e.monthly_amount * (months * 10 // 12), e.monthly_amount * months
    if b.kind == "fixed_amount" and b.amount is not None:
        total = b.amount * (years if b.per == "year" else months if b.per == "month" else 1)
        return total, total
    return None
