"""Which supports a person is entitled to, read from the knowledge-base policy data.

Pure and deterministic: the same profile, knowledge base and day give the same result.
Every rule is data (knowledge_base/policies/*.yml, stacking.yml, person_facts.yml,
residence.yml); this module is only the engine that applies them.

Each benefit gets one Finding, from the group of its policy that fits the person best:
  yes      every condition holds on what the person said, and every rule behind it is
           verified or secondary: "Bạn được hưởng".
  doubt    the conditions hold, but a rule is not confirmed (a `doubt` of the policy, group
           or benefit, an unverified source, or a combination whose stacking is unknown):
           "Bạn có thể được … (đang xác nhận: …)".
  unknown  a fact the answer depends on was not given: it is asked, never guessed.
  no       a condition fails or an exclusion applies: "không thuộc diện …, vì …".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from bot.kb.models import LEVEL_LABELS, Benefit, Doubt, Group, KnowledgeBase, Policy, Source, StackingRule
from bot.profile import Profile

YES, DOUBT, UNKNOWN, NO = "yes", "doubt", "unknown", "no"
_ORDER = {YES: 0, DOUBT: 1, UNKNOWN: 2, NO: 3}


@dataclass(frozen=True)
class Note:
    """Why a support is not certain: the rule being confirmed, with its source."""
    text: str
    source: Source
    short: Optional[str] = None  # a few words for the first message

    @property
    def brief(self) -> str:
        return self.short or self.text


@dataclass(frozen=True)
class Failure:
    """Why a condition fails: the fact, what the rule needs, what the person said."""
    fact: str
    required: Tuple[Any, ...]
    actual: Any
    reason: Optional[str] = None  # an exclusion's own words


@dataclass(frozen=True)
class Check:
    outcome: str
    missing: Tuple[str, ...] = ()
    notes: Tuple[Note, ...] = ()
    failures: Tuple[Failure, ...] = ()

    @staticmethod
    def all_of(checks: Iterable["Check"]) -> "Check":
        checks = list(checks)
        failures = tuple(f for c in checks if c.outcome == NO for f in c.failures)
        if failures or any(c.outcome == NO for c in checks):
            return Check(NO, failures=failures)
        missing = tuple(dict.fromkeys(m for c in checks for m in c.missing))
        notes = tuple(dict.fromkeys(n for c in checks for n in c.notes))
        if missing:
            return Check(UNKNOWN, missing, notes)
        return Check(DOUBT, notes=notes) if notes else Check(YES)


class Facts:
    """The person's facts as conditions see them: stated facts, plus what follows from them
    (implications, derived facts, values that satisfy others, residence categories of a
    named xã/phường)."""

    def __init__(self, profile: Profile, kb: KnowledgeBase):
        self.profile = profile
        self.kb = kb
        self.values: Dict[str, Any] = {name: profile.get(name) for name in kb.facts.facts}
        for rule in kb.facts.implications:
            if all(self.check(k, v).outcome == YES for k, v in rule.conditions.items()):
                for k, v in rule.then.items():
                    if self.values.get(k) is None:
                        self.values[k] = v

    def value(self, fact: str) -> Any:
        return self.values.get(fact)

    def _derived(self, fact: str, required: Sequence[Any]) -> Check:
        rule = self.kb.facts.derived[fact]
        age = self.profile.get(rule.source_fact)
        if age is None:
            return Check(UNKNOWN, (rule.source_fact,))
        low, high = (age, age) if isinstance(age, int) else age
        by = self.profile.get(rule.by)
        ranges = [rule.ranges[by]] if by in rule.ranges else list(rule.ranges.values())
        inside = [a <= low and high <= b for a, b in ranges]
        outside = [high < a or low > b for a, b in ranges]
        if all(inside):
            value = True
        elif all(outside):
            value = False
        else:
            return Check(UNKNOWN, (rule.by,) if by is None else (rule.source_fact,))
        return Check(YES) if value in required else Check(NO, failures=(Failure(fact, tuple(required), value),))

    def _residence(self, required: Sequence[Any]) -> Check:
        stated = self.profile.residence
        if any(stated.get(c) is True for c in required):
            return Check(YES)
        commune = self.kb.residence.commune(self.profile.commune)
        listed = [c for c in required if commune and c in commune.categories and stated.get(c) is not False]
        if listed:
            doubt = self.kb.residence.commune_doubt
            return Check(DOUBT, notes=(Note(doubt.text, doubt.source, doubt.short),))
        if all(stated.get(c) is False for c in required):
            return Check(NO, failures=(Failure("residence", tuple(required), False),))
        return Check(UNKNOWN, ("residence",))

    def check(self, fact: str, required: object) -> Check:
        wanted = list(required) if isinstance(required, (list, tuple)) else [required]
        if fact == "residence":
            return self._residence(wanted)
        if fact in self.kb.facts.derived:
            return self._derived(fact, wanted)
        value = self.values.get(fact)
        if value is None:
            return Check(UNKNOWN, (fact,))
        spec = self.kb.facts.fact(fact)
        entry = spec.value(value) if spec else None
        accepted = set(wanted)
        if value in accepted or (entry and accepted & set(entry.satisfies)):
            return Check(YES)
        return Check(NO, failures=(Failure(fact, tuple(wanted), value),))

    def assess(self, conditions: Mapping[str, object]) -> Check:
        return Check.all_of(self.check(k, v) for k, v in conditions.items())

    def doubt(self, d: Doubt) -> Check:
        """YES: the doubt does not apply; DOUBT: it does; UNKNOWN: a fact would decide."""
        when = self.assess(d.when) if d.when else Check(YES)
        if when.outcome == NO:
            return Check(YES)
        unless = self.assess(d.unless) if d.unless else Check(NO)
        if unless.outcome == YES and d.unless:
            return Check(YES)
        if unless.outcome == DOUBT and d.unless:
            return Check(DOUBT, notes=unless.notes)  # met only by a list still being confirmed (a commune's)
        missing = when.missing + (unless.missing if d.unless else ())
        if missing:
            return Check(UNKNOWN, tuple(dict.fromkeys(missing)))
        return Check(DOUBT, notes=(Note(d.text, d.source, d.short),))


@dataclass(frozen=True)
class Finding:
    policy: Policy
    benefit: Benefit
    group: Group
    outcome: str
    missing: Tuple[str, ...] = ()
    notes: Tuple[Note, ...] = ()
    failures: Tuple[Failure, ...] = ()
    monthly_amount: Optional[int] = None
    relevant: bool = True  # an unknown support worth mentioning (see `_relevant`)

    @property
    def key(self) -> Tuple[str, str]:
        return self.policy.id, self.benefit.id

    @property
    def certain(self) -> bool:
        return self.outcome == YES

    @property
    def rank(self) -> float:
        """Higher is more: percent, else amount; an unknown amount is lowest."""
        return float(self.benefit.percent or self.benefit.amount or 0)


@dataclass
class Assessment:
    day: dt.date
    findings: List[Finding] = field(default_factory=list)
    # Lower tiers dropped because a higher one of the same support applies.
    superseded: List[Finding] = field(default_factory=list)
    # Supports whose combination is unknown (QĐ 53 scholarship with NĐ 57): (rule, findings).
    alternatives: List[Tuple[StackingRule, List[Finding]]] = field(default_factory=list)
    # Every group's check for every benefit (for the questions worth asking).
    checks: Dict[Tuple[str, str], List[Tuple[Group, Check]]] = field(default_factory=dict)

    def _with(self, outcome: str) -> List[Finding]:
        return [f for f in self.findings if f.outcome == outcome]

    @property
    def entitled(self) -> List[Finding]:
        return self._with(YES)

    @property
    def uncertain(self) -> List[Finding]:
        return self._with(DOUBT)

    @property
    def possible(self) -> List[Finding]:
        return [f for f in self._with(UNKNOWN) if f.relevant]

    @property
    def denied(self) -> List[Finding]:
        return self._with(NO)

    @property
    def anything(self) -> bool:
        return bool(self.entitled or self.uncertain or self.possible)

    def finding(self, policy_id: str, benefit_id: str) -> Optional[Finding]:
        return next((f for f in self.findings if f.key == (policy_id, benefit_id)), None)


def _source_notes(*sources: Source) -> Tuple[Note, ...]:
    return tuple(Note("nội dung quy định này", s) for s in sources if not s.certain)


def _group_check(policy: Policy, benefit: Benefit, group: Group, facts: Facts) -> Check:
    parts: List[Check] = []
    if policy.scope_levels:
        parts.append(facts.check("level", list(policy.scope_levels)))
    parts.append(facts.assess(policy.scope_conditions))
    parts.append(facts.assess(group.conditions))
    parts.append(facts.assess(benefit.conditions))
    if benefit.unless and facts.assess(benefit.unless).outcome == YES:
        parts.append(Check(NO, failures=tuple(Failure(k, (v,), facts.value(k)) for k, v in benefit.unless.items())))
    for ex in policy.exclusions:
        verdict = facts.assess(ex.conditions)
        if verdict.outcome == YES:
            parts.append(Check(NO, failures=(Failure(next(iter(ex.conditions)), (), None, ex.text),)))
        elif verdict.outcome == UNKNOWN and ex.ask_when and facts.assess(ex.ask_when).outcome == YES:
            parts.append(Check(UNKNOWN, verdict.missing))
    doubts = list(policy.doubts) + list(group.doubts) + [d for d in benefit.doubts if not d.groups or group.id in d.groups]
    parts += [facts.doubt(d) for d in doubts]
    notes = _source_notes(benefit.source, group.source, policy.scope.source)
    if notes:
        parts.append(Check(DOUBT, notes=notes))
    return Check.all_of(parts)


def _common(kb: KnowledgeBase, fact: str) -> bool:
    spec = kb.facts.fact(fact)
    return bool(spec and spec.common)


def askable(kb: KnowledgeBase, facts: Sequence[str]) -> bool:
    """Every fact is one the support questions can ask (none is about the trade)."""
    specs = [kb.facts.fact(m) for m in facts]
    return all(s is not None and s.askable for s in specs)


def _relevant(policy: Policy, group: Group, benefit: Benefit, check: Check, facts: Facts, kb: KnowledgeBase) -> bool:
    """Whether an unknown support is worth mentioning: the conditions it still waits for are
    common facts (level, household...), or the person already spoke of the rare situation it
    is about (disability, orphanhood...). Facts asked by a doubt or an exclusion (residence for
    NĐ 57, a second QĐ 53) do not count against it. A support waiting on a fact about the
    trade (none is classified yet) is never mentioned."""
    if not askable(kb, check.missing):
        return False
    conditions = {**policy.scope_conditions, **group.conditions, **benefit.conditions}
    rare_missing = [m for m in check.missing if m in conditions and not _common(kb, m)]
    if not rare_missing:
        return True
    rare = [k for k in group.conditions if not _common(kb, k)]
    return any(facts.check(k, group.conditions[k]).outcome == YES for k in rare)


def _best(items: List[Tuple[Group, Check, bool]], kb: KnowledgeBase) -> Tuple[Group, Check, bool]:
    """The group that fits best: certain, then doubtful, then waiting for the fewest facts and,
    on a tie, the fewest rare ones (a common group is never hidden behind a rare one), then
    ruled out."""
    def order(item: Tuple[Group, Check, bool]) -> Tuple[int, int, int, int]:
        group, check, relevant = item
        rare = sum(1 for m in check.missing if not _common(kb, m))
        size = len(check.missing) if check.outcome == UNKNOWN else len(check.notes) if check.outcome == DOUBT \
            else len(check.failures)
        return _ORDER[check.outcome], 0 if relevant else 1, size, rare

    return min(items, key=order)


def _find(policy: Policy, benefit: Benefit, facts: Facts, kb: KnowledgeBase, day: dt.date,
          checks: Dict[Tuple[str, str], List[Tuple[Group, Check]]]) -> Finding:
    items = []
    for gid in benefit.groups:
        group = policy.group(gid)
        check = _group_check(policy, benefit, group, facts)
        items.append((group, check, check.outcome != UNKNOWN or _relevant(policy, group, benefit, check, facts, kb)))
    checks[(policy.id, benefit.id)] = [(g, c) for g, c, _ in items]
    group, check, relevant = _best(items, kb)
    return Finding(policy, benefit, group, check.outcome, check.missing, check.notes, check.failures,
                   benefit.monthly_amount(kb.salary, day), relevant)


def _covers(higher: Finding, lower: Finding) -> bool:
    """Whether the higher tier holds whenever the lower one would: it waits for fewer facts, or for
    the same facts of the same group with its own extra condition already met (tiền đi lại 300.000 đ
    for someone who said they live in a thôn ĐBKK: the 200.000 đ tier adds nothing)."""
    if set(higher.missing) < set(lower.missing):
        return True
    return set(higher.missing) == set(lower.missing) and higher.group.id == lower.group.id and \
        not set(higher.benefit.conditions) & set(higher.missing)


def _highest_only(result: Assessment, rule: StackingRule) -> None:
    members = [f for f in result.findings if f.key in rule.benefits]
    held = [f for f in members if f.outcome == YES]
    top_yes = max((f.rank for f in held), default=None)
    doubts = [f for f in members if f.outcome == DOUBT]
    top_doubt = max((f.rank for f in doubts), default=None)
    keep_yes = max(held, key=lambda f: f.rank) if held else None
    drop = []
    for f in members:
        if f is keep_yes:
            continue
        if f.outcome == YES:
            result.superseded.append(f)
            drop.append(f)
        elif top_yes is not None and f.rank <= top_yes:
            drop.append(f)  # a lower or equal tier cannot add anything
        elif f.outcome == DOUBT and top_doubt is not None and f.rank < top_doubt:
            drop.append(f)
        elif f.outcome == UNKNOWN and top_doubt is not None and f.rank <= top_doubt and top_yes is None:
            drop.append(f)
        elif f.outcome == UNKNOWN and any(o.rank > f.rank and o.outcome == UNKNOWN and _covers(o, f) for o in members):
            drop.append(f)  # a higher tier comes whenever this one would: this one adds nothing
    result.findings = [f for f in result.findings if f not in drop]


def _unknown_combination(result: Assessment, rule: StackingRule) -> None:
    """Both sides held (or doubtful): one of the two or both, being confirmed. A side that only
    waits for a fact carries the note too, so the reply can say it before the fact is known."""
    note = Note(rule.text, rule.source, rule.short)
    held = [[f for f in result.findings if f.key in side and f.outcome in (YES, DOUBT)] for side in rule.sides]
    waiting = [[f for f in result.findings if f.key in side and f.outcome == UNKNOWN and f.relevant] for side in rule.sides]
    if not all(h or w for h, w in zip(held, waiting)) or not any(held):
        return
    if not all(held):
        marked = {id(f): replace(f, notes=f.notes + (note,)) for side in waiting for f in side}
        result.findings = [marked.get(id(f), f) for f in result.findings]
        return
    sides = held
    together = [f for side in sides for f in side]
    changed = {id(f): replace(f, outcome=DOUBT, notes=f.notes + (note,)) for f in together}
    result.findings = [changed.get(id(f), f) for f in result.findings]
    result.alternatives.append((rule, [changed[id(f)] for f in together]))


def evaluate(profile: Profile, kb: KnowledgeBase, day: dt.date) -> Assessment:
    facts = Facts(profile, kb)
    result = Assessment(day)
    for policy in kb.policies.values():
        for benefit in policy.benefits:
            result.findings.append(_find(policy, benefit, facts, kb, day, result.checks))
    for rule in kb.stacking:
        if rule.rule == "highest_only":
            _highest_only(result, rule)
    for rule in kb.stacking:
        if rule.rule == "unknown":
            _unknown_combination(result, rule)
    return result


# --- which questions are still worth asking ------------------------------------------

def open_facts(profile: Profile, kb: KnowledgeBase, day: dt.date) -> set:
    """Unknown facts whose answer could still add, raise or settle a support: the missing facts
    of every group not yet ruled out, for supports the person does not already hold."""
    result = evaluate(profile, kb, day)
    held = {f.key for f in result.findings if f.outcome == YES}
    tops = {}
    for rule in kb.stacking:
        if rule.rule == "highest_only":
            best = max((f.rank for f in result.findings if f.key in rule.benefits and f.outcome == YES), default=None)
            for key in rule.benefits:
                tops[key] = best
    # A higher tier of the same support waiting for these facts (or fewer) makes a lower one moot.
    higher: Dict[Tuple[str, str], List[set]] = {}
    for rule in kb.stacking:
        if rule.rule != "highest_only":
            continue
        for key in rule.benefits:
            mine = kb.policies[key[0]].benefit(key[1])
            for other in rule.benefits:
                theirs = kb.policies[other[0]].benefit(other[1])
                if mine and theirs and float(theirs.percent or theirs.amount or 0) > float(mine.percent or mine.amount or 0):
                    higher.setdefault(key, []).extend(set(c.missing) for _, c in result.checks.get(other, [])
                                                      if c.outcome in (UNKNOWN, YES, DOUBT))
    facts = set()
    for key, items in result.checks.items():
        if key in held:
            continue
        benefit = kb.policies[key[0]].benefit(key[1])
        if tops.get(key) is not None and float(benefit.percent or benefit.amount or 0) <= tops[key]:  # type: ignore[union-attr]
            continue
        candidates = [set(c.missing) for _, c in items if c.outcome == UNKNOWN]
        for missing in candidates:
            if any(other < missing for other in candidates):
                continue  # another group needs fewer facts for the same support
            if any(h < missing for h in higher.get(key, [])):
                continue  # a higher tier needs fewer of them
            for m in missing:
                spec = kb.facts.fact(m)
                if spec is not None and spec.askable:
                    facts.add(m)
    return {f for f in facts if profile.get(f) is None}


def matters(fact: str, profile: Profile, kb: KnowledgeBase, day: dt.date) -> bool:
    """Whether knowing `fact` (unknown now) could change the answer."""
    return fact in open_facts(profile, kb, day)


# --- money over a course -------------------------------------------------------------

def course_months(kb: KnowledgeBase, level: Optional[str], programme_months: Optional[int] = None) -> Optional[int]:
    """How long the course is: the programme's own duration, else the longest course at that level
    in the catalogue (an upper bound, so totals are "up to")."""
    if programme_months:
        return programme_months
    if not level:
        return None
    months = [o.duration_months for p in kb.programmes for o in p.offerings if o.level == level and o.duration_months]
    return max(months) if months else None


def _paid_months(months: int, per_year: int) -> int:
    """Months paid over a course of `months` when `per_year` months of each school year are paid."""
    full, rest = divmod(months, 12)
    return full * per_year + min(rest, per_year)


def course_total(f: Finding, months: int) -> Optional[Tuple[int, int]]:
    """(lowest, highest) money over a course of `months`, at the lương cơ sở of the evaluated day.
    A monthly benefit whose months per school year are not known gives a range over the options
    the knowledge base lists; a yearly one counts each started school year."""
    years = -(-months // 12)
    b = f.benefit
    if b.kind == "percent_of_base_salary" and f.monthly_amount is not None:
        options = [b.months_per_year] if b.months_per_year else list(b.months_per_year_options) or [12]
        paid = [_paid_months(months, m) for m in options]
        return f.monthly_amount * min(paid), f.monthly_amount * max(paid)
    if b.kind == "fixed_amount" and b.amount is not None:
        total = b.amount * (years if b.per == "year" else months if b.per == "month" else 1)
        return total, total
    return None


def level_label(level: Optional[str]) -> str:
    return LEVEL_LABELS.get(level or "", level or "")
