"""check_eligibility: what a person gets, in three kinds of line that are never mixed.

  "Bạn được hưởng:"        every condition holds on what they said and every rule behind it
                           is verified or secondary;
  "Bạn có thể được:"       a rule is being confirmed: each line names it ("đang xác nhận: …");
                           a line waiting for a fact says what it depends on ("nếu …");
  "Bạn không thuộc diện …" only for a support they asked about, with the reason.

The first message fits a phone screen (at most FIRST_MESSAGE_LIMIT characters): what they get,
how much, and what it depends on. Papers, course totals and every open question come on a
button (`aspect` papers / totals / open) or when asked. The decisions are bot.eligibility's,
read from the knowledge base; this module only words them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Dict, List, Optional, Sequence, Tuple

from bot.advisors import support_form
from bot.answers.benefits import item_text, names_list, salary_basis
from bot.answers.context import Context
from bot.answers.format import bullets, hedge, is_yes_no, lower_first, vnd
from bot.answers.reply import Reply, button
from bot.eligibility import (DOUBT, NO, UNKNOWN, YES, Assessment, Failure, Finding, Note, askable, course_months,
                             course_total, evaluate, open_facts)
from bot.kb.models import LEVEL_LABELS, KnowledgeBase, Policy
from bot.profile import Profile, describe, says
from bot.answers.groups import groups_named
from bot.text import mentions, normalise

FORM = "eligibility_form"
CONTINUE = "continue"  # the `advisor` entity of the "answer more questions" button
ASPECTS = ("papers", "totals", "open", "residence")
FIRST_MESSAGE_LIMIT = 600
REGISTER_OFFER = "Bạn có muốn cán bộ tuyển sinh hướng dẫn làm hồ sơ không?"
# Who the facts are about, when it is not the person writing (bot.profile.reader's learner modes).
LEARNER_WORDS = {"self": "", "child": " về con bạn", "sibling": " về em bạn", "other": " về người bạn hỏi giúp",
                 "parent": " về bố/mẹ bạn", "mother": " về mẹ bạn", "father": " về bố bạn"}


def profile_of(ctx: Context, remembered: Optional[Dict[str, object]] = None) -> Profile:
    """What the person said about the learner so far, with this message on top. The level
    remembered from earlier questions ("hệ trung cấp có nghề gì") counts when none is said now."""
    profile = Profile.from_slot(remembered)
    said = ctx.said()
    updated = profile.updated(said)
    remembered_level = ctx.match.level(ctx.slots.get("level"))
    if updated.level is None and remembered_level and not said.mentions("level") and "level" not in updated.unclear:
        updated.level = remembered_level
    return updated


# --- words for a fact a support depends on ------------------------------------------------

def _if_says(kb: KnowledgeBase, fact: str, values: Sequence[object]) -> str:
    """'gia đình thuộc hộ nghèo hoặc hộ cận nghèo', 'học ở trường công lập'..."""
    if fact == "residence":
        cats = [kb.residence.category(str(v)) for v in values]
        return "ở " + names_list([c.short for c in cats if c], limit=4)
    derived = kb.facts.derived.get(fact)
    if derived:
        return derived.if_says
    spec = kb.facts.fact(fact)
    if spec is None:
        return fact
    phrases = [spec.value(v).if_says if spec.value(v) else spec.negated_says or "" for v in values]  # type: ignore[union-attr]
    if fact == "household" and set(values) == {"poor", "near_poor"}:
        return "gia đình thuộc hộ nghèo hoặc hộ cận nghèo"
    return names_list(phrases, limit=3) if phrases else spec.ask


def _needed(f: Finding, fact: str) -> List[object]:
    """The value(s) of `fact` that would give the person this support."""
    if fact == "level" and f.policy.scope_levels:
        doubtful = {lv for d in f.policy.doubts for v in [d.when.get("level")] if v
                    for lv in (v if isinstance(v, (list, tuple)) else [v])}
        return [lv for lv in f.policy.scope_levels if lv not in doubtful] or list(f.policy.scope_levels)
    for conditions in (f.benefit.conditions, f.group.conditions, f.policy.scope_conditions):  # most specific first
        if fact in conditions:
            v = conditions[fact]
            return list(v) if isinstance(v, (list, tuple)) else [v]
    for d in f.policy.doubts + f.group.doubts + f.benefit.doubts:
        if fact in d.unless:
            v = d.unless[fact]
            return list(v) if isinstance(v, (list, tuple)) else [v]
        if fact in d.when:
            v = d.when[fact]
            bad = list(v) if isinstance(v, (list, tuple)) else [v]
            return [x for x in (True, False) if x not in bad] if all(isinstance(b, bool) for b in bad) else []
    for ex in f.policy.exclusions:
        if fact in ex.conditions:
            v = ex.conditions[fact]
            return [not v] if isinstance(v, bool) else []
    return []


def _derived_from(kb: KnowledgeBase, f: Finding, fact: str) -> Optional[str]:
    """The derived fact (working age) a condition needs, when `fact` (age, sex) is what it waits for."""
    needed = {**f.policy.scope_conditions, **f.group.conditions, **f.benefit.conditions}
    for d in kb.facts.derived.values():
        if d.id in needed and fact in (d.source_fact, d.by):
            return d.if_says
    return None


def depends_on(kb: KnowledgeBase, f: Finding) -> str:
    """What a support waits for, as a condition: 'học ở trường công lập và ở xã biên giới'."""
    parts = []
    for fact in f.missing:
        values = _needed(f, fact)
        derived = _derived_from(kb, f, fact)
        if values:
            parts.append(_if_says(kb, fact, values))
        elif derived:
            parts.append(derived)
        else:
            spec = kb.facts.fact(fact)
            parts.append(f"tùy {spec.ask}" if spec else fact)
    return " và ".join(dict.fromkeys(parts))


# --- the lines -----------------------------------------------------------------------------

def doc(policy: Policy) -> str:
    """'QĐ 53/2015' for 'QĐ 53/2015/QĐ-TTg': the number and year, as people say it on a phone."""
    parts = policy.document.short.split("/")
    return "/".join(parts[:2]) if len(parts) > 2 else policy.document.short


def _by_policy(findings: Sequence[Finding]) -> List[Tuple[Policy, List[Finding]]]:
    out: Dict[str, Tuple[Policy, List[Finding]]] = {}
    for f in findings:
        out.setdefault(f.policy.id, (f.policy, []))[1].append(f)
    return list(out.values())


def _tier_hint(result: Assessment, f: Finding, ctx: Context) -> Tuple[str, Optional[Finding]]:
    """A higher tier of the same support that waits for one more fact: ' (300.000 đ nếu …)'."""
    for rule in ctx.kb.rules_for(f.policy.id, "highest_only"):
        if f.key not in rule.benefits:
            continue
        for other in result.findings:
            extra = [m for m in other.missing if m not in f.missing]
            if other.key in rule.benefits and other.outcome == UNKNOWN and other.rank > f.rank \
                    and other.benefit.kind == "fixed_amount" and set(f.missing) <= set(other.missing) and len(extra) <= 1:
                hint = replace(other, missing=tuple(extra) if extra else other.missing)
                return f" ({vnd(other.benefit.amount)} nếu {depends_on(ctx.kb, hint)})", other  # type: ignore[arg-type]
    return "", None


def _tiered(f: Finding) -> bool:
    """The support has tiers by percentage (học bổng chính sách 100/80/60%)."""
    return len({b.percent for b in f.policy.benefits if b.short_label == f.benefit.short_label}) > 1


def _items(result: Assessment, findings: Sequence[Finding], ctx: Context, hints: bool = True) -> str:
    return "; ".join(item_text(f.benefit, ctx.kb, ctx.today, months_note=False, tiered=_tiered(f))
                     + (_tier_hint(result, f, ctx)[0] if hints else "")
                     for f in findings)


def _hinted(result: Assessment, ctx: Context) -> set:
    """Findings already shown as a hint on a lower tier."""
    out = set()
    for f in result.entitled + result.uncertain + result.possible:
        _, other = _tier_hint(result, f, ctx)
        if other is not None:
            out.add(other.key)
    return out


def _entitled_lines(result: Assessment, ctx: Context, hints: bool = True) -> List[str]:
    return [f"{doc(p)}: {_items(result, fs, ctx, hints)}" for p, fs in _by_policy(result.entitled)]


def _first_note(f: Finding) -> Optional[Note]:
    return f.notes[0] if f.notes else None


def _uncertain_lines(result: Assessment, ctx: Context, hints: bool = True) -> List[str]:
    lines = []
    paired = {id(f) for _, fs in result.alternatives for f in fs}
    for rule, fs in result.alternatives:
        items = "; ".join(f"{item_text(f.benefit, ctx.kb, ctx.today, months_note=False)} ({doc(f.policy)})" for f in fs)
        lines.append(f"một trong hai hoặc cả hai: {items} (đang xác nhận: {rule.short or rule.text})")
    alone = [f for f in result.uncertain if id(f) not in paired and not any(f.key == g.key for _, gs in result.alternatives for g in gs)]
    groups: Dict[Tuple[str, Optional[str]], List[Finding]] = {}
    for f in alone:
        note = _first_note(f)
        groups.setdefault((f.policy.id, note.brief if note else None), []).append(f)
    for (_, note_text), fs in groups.items():
        policy = fs[0].policy
        lines.append(f"{doc(policy)}: {_items(result, fs, ctx, hints)}"
                     + (f" (đang xác nhận: {note_text})" if note_text else ""))
    return lines


def _questions_needed(kb: KnowledgeBase, f: Finding) -> int:
    """How many questions of the short form the missing facts take (THCS and THPT: one)."""
    asked = set()
    for fact in f.missing:
        question = next((q.id for q in kb.questions if fact in q.facts), fact)
        asked.add(question)
    return len(asked)


def asked_keys(ctx: Context) -> set:
    """(policy, benefit) of every support the message names ("có được học bổng không")."""
    named = set(ctx.match.benefits_in(ctx.text))
    policy = ctx.policy(remembered=False)
    if policy:
        named |= {(policy.id, b.id) for b in policy.benefits}
    return named


def _ways(result: Assessment, f: Finding, stated) -> List[Finding]:
    """The ways still open to a support, one per group waiting for a fact, among the groups that
    what the person said belongs to (a Si La learner: a poor household, or living in a khó khăn area)."""
    return [replace(f, group=g, missing=c.missing) for g, c in result.checks.get(f.key, [])
            if c.outcome == UNKNOWN and c.missing and set(g.conditions) & stated]


def _either(ctx: Context, ways: Sequence[Finding]) -> str:
    """'gia đình thuộc hộ nghèo hoặc hộ cận nghèo hoặc ở vùng khó khăn'; two long ways read as one:
    the first (the others follow in the lines below)."""
    shared = set.intersection(*(set(w.missing) for w in ways)) if len(ways) > 1 else set()
    own = [replace(w, missing=tuple(m for m in w.missing if m not in shared)) for w in ways]
    if shared and all(w.missing for w in own):  # "học trung cấp hoặc cao đẳng và (hộ nghèo hoặc vùng khó khăn)"
        first = replace(ways[0], missing=tuple(m for m in ways[0].missing if m in shared))
        conditions = f"{depends_on(ctx.kb, first)} và " + " hoặc ".join(dict.fromkeys(depends_on(ctx.kb, w) for w in own))
    else:
        conditions = " hoặc ".join(dict.fromkeys(depends_on(ctx.kb, w) for w in ways))
    return conditions if len(conditions) <= 150 else depends_on(ctx.kb, ways[0])


def _possible_condition(result: Assessment, f: Finding, ctx: Context) -> str:
    """What a support waiting for a fact depends on: its best group's condition, and another group's
    waiting for no more facts (miễn học phí for a Si La learner: a poor household, or a khó khăn area)."""
    # What the person said about who they are (the level or the school type relate every group).
    stated = (set(ctx.said().facts) | set(ctx.slots.get("profile") or {})) - {"level", "public_school"}
    ways = [w for w in _ways(result, f, stated) if len(w.missing) <= len(f.missing) and w.group.id != f.group.id
            and askable(ctx.kb, w.missing)]
    return _either(ctx, [f] + ways[:1])


def _possible_lines(result: Assessment, ctx: Context, limit: int = 2, hints: bool = True) -> List[str]:
    """'nếu học ở trường công lập: QĐ 53: học bổng …' for supports that wait for a fact. A support
    the person asked about is shown even when it hinges on a rare situation."""
    hinted = _hinted(result, ctx)
    asked = asked_keys(ctx)
    groups: Dict[str, List[Finding]] = {}
    candidates = result.possible + [f for f in result.findings if f.outcome == UNKNOWN and not f.relevant and f.key in asked
                                    and askable(ctx.kb, f.missing)]
    for f in candidates:
        if f.key in hinted or (_questions_needed(ctx.kb, f) > 1 and f.key not in asked):
            continue  # waiting for several answers: the "Trả lời thêm" questions cover it
        groups.setdefault(_possible_condition(result, f, ctx), []).append(f)
    lines = []
    # The most valuable first (miễn học phí before giảm 70%), then the one waiting for fewer facts.
    for condition, fs in sorted(groups.items(), key=lambda kv: (-max(f.rank if f.benefit.is_tuition or f.benefit.percent
                                                                    else 0 for f in kv[1]), len(kv[1][0].missing)))[:limit]:
        items = "; ".join(f"{doc(p)}: {_items(result, pfs, ctx, hints)}" for p, pfs in _by_policy(fs))
        notes = list(dict.fromkeys(n.brief for f in fs for n in f.notes))
        lines.append(f"nếu {condition}: {items}" + (f" (đang xác nhận: {'; '.join(notes)})" if notes else ""))
    return lines


def _says_value(kb: KnowledgeBase, fact: str, value: object) -> str:
    if fact == "residence":
        return "không ở các vùng đó"
    if fact == "level":
        return f"học {LEVEL_LABELS.get(str(value), value)}"
    derived = kb.facts.derived.get(fact)
    if derived and isinstance(value, bool):
        return derived.says.get(value, str(value))  # "ngoài độ tuổi lao động"
    return says(kb, fact, value) or str(value)


def _scope_failure(f: Finding) -> Optional[Failure]:
    """The condition of the whole policy that refuses it (QĐ 46: the working age), not one group's;
    the level is said on its own."""
    return next((x for x in f.failures if x.fact in f.policy.scope_conditions and x.fact != "level"), None)


def _out_of_scope(f: Finding) -> bool:
    return _scope_failure(f) is not None


def denial_reason(kb: KnowledgeBase, f: Finding) -> str:
    """'vì mỗi HSSV chỉ được hỗ trợ 01 lần…' or 'khoản này dành cho …; bạn cho biết: …'."""
    own = [x.reason for x in f.failures if x.reason]
    if own:
        return f"vì {own[0]}"
    level = next((x for x in f.failures if x.fact == "level"), None)
    if level:
        levels = ", ".join(LEVEL_LABELS[lv] for lv in f.policy.scope_levels)
        return f"vì {f.policy.document.short} chỉ áp dụng cho trình độ {levels}, mà bạn {_says_value(kb, 'level', level.actual)}"
    scope = _scope_failure(f)
    if scope and scope.actual is not None:  # "QĐ 46 chỉ dành cho người trong độ tuổi lao động (…), mà bạn ngoài độ tuổi lao động"
        derived = kb.facts.derived.get(scope.fact)
        needed = derived.if_says if derived else _if_says(kb, scope.fact, list(scope.required))
        needed = needed[4:] if needed.startswith("bạn ") else needed
        return f"vì {doc(f.policy)} chỉ dành cho người {needed}, mà bạn {_says_value(kb, scope.fact, scope.actual)}"
    tiers = [b for b in f.policy.benefits if b.short_label == f.benefit.short_label]  # every tier of this support
    groups = names_list([f.policy.group(g).short_label for b in tiers for g in b.groups], limit=3)
    told = "; ".join(dict.fromkeys(_says_value(kb, x.fact, x.actual) for x in f.failures if x.actual is not None))
    return f"vì khoản này dành cho {groups}" + (f", mà bạn cho biết: {told}" if told else "")


def _asked_denials(result: Assessment, ctx: Context, level: Optional[str]) -> List[str]:
    """A support the person named ("có được học bổng không?") that they do not get, with the reason.
    Supports of one policy refused for the same reason (QĐ 53 once only) make one line."""
    named = asked_keys(ctx)
    by_reason: Dict[Tuple[str, str], List[Finding]] = {}
    for f in result.denied:
        # A support asked about; or the policy for the learner's level, ruled out as a whole by what
        # was said ("mẹ chị 57 tuổi muốn học sơ cấp": QĐ 46 is for the working age).
        if f.key not in named and not (_out_of_scope(f) and level in f.policy.scope_levels):
            continue
        if any(g.policy.id == f.policy.id and g.benefit.short_label == f.benefit.short_label and g.outcome != NO
               for g in result.findings):
            continue  # another tier of it holds or is possible
        by_reason.setdefault((f.policy.id, denial_reason(ctx.kb, f)), []).append(f)
    lines = []
    for (_, reason), fs in by_reason.items():
        labels = list(dict.fromkeys(f.benefit.short_label for f in fs))
        what = labels[0] if len(labels) == 1 else f"{fs[0].policy.name.lower()} ({', '.join(labels)})"
        if all(_out_of_scope(f) for f in fs):  # the whole policy: its name, not each of its supports
            what = fs[0].policy.name[0].lower() + fs[0].policy.name[1:]
        lines.append(f"Bạn không thuộc diện hưởng {what} ({doc(fs[0].policy)}), {reason}.")
    return lines[:2]


def verdict(result: Assessment, ctx: Context) -> Optional[str]:
    """For a yes/no question about a support ("em có được học bổng không"): the answer first,
    "Có", "Không" or "Chưa xác nhận", as the rules give it for what the person said."""
    asked = asked_keys(ctx)
    if not is_yes_no(ctx.text):
        return None
    if not asked:
        return _any_support_verdict(result, ctx)
    found = [f for f in result.findings if f.key in asked]
    held = [f for f in found if f.outcome == YES]
    if held:
        # "mồ côi bố thôi thì cũng được miễn à?" for someone exempt as DTTS of a poor household:
        # yes, but not for the reason asked.
        ruled_out = _ruled_out_by_what_was_said(result, ctx, asked)
        reason = f" vì là {held[0].group.short_label}; còn {ruled_out}" if ruled_out else ""
        return f"Có, bạn được hưởng {held[0].benefit.short_label} ({doc(held[0].policy)}){reason}."
    doubtful = [f for f in found if f.outcome == DOUBT]
    if doubtful:
        note = _first_note(doubtful[0])
        return f"Chưa xác nhận: {doubtful[0].benefit.short_label}" + (f" còn tùy {note.brief}." if note else ".")
    waiting = [f for f in found if f.outcome == UNKNOWN]
    if waiting and _about_a_group(ctx):  # "Người Lự có được NĐ 57 không?": yes for them, on the other conditions
        f = waiting[0]
        stated = set(ctx.said().facts)
        ways = [w for f_ in waiting for w in _ways(result, f_, stated)] or [f]
        return f"Có, nếu {_either(ctx, sorted(ways, key=lambda w: len(w.missing))[:2])} ({doc(f.policy)})."
    if waiting:
        ruled_out = _ruled_out_by_what_was_said(result, ctx, asked)
        if ruled_out:  # "người Kinh, không nghèo": not for what was said, but another way is still open
            because = ruled_out.replace(" không thuộc diện ", " nên không thuộc diện ", 1)
            return f"Chưa xác nhận được: bạn {because}; bạn vẫn có thể được nếu {depends_on(ctx.kb, waiting[0])}."
        return f"Chưa xác nhận được: còn tùy {_possible_condition(result, waiting[0], ctx)}."  # every way still open
    return "Không." if found else None  # the lines after it say why, for every group


# "có được hỗ trợ không?", "có được chính sách gì không?": a yes/no about any support at all.
ANY_SUPPORT_WORDS = ("được hỗ trợ", "được chính sách", "được hưởng gì", "được gì", "được trợ cấp", "được ưu đãi",
                     "hưởng chính sách", "hưởng chế độ", "được chế độ")


def _any_support_verdict(result: Assessment, ctx: Context) -> Optional[str]:
    """"Mẹ chị 57 tuổi cũng muốn học, có được hỗ trợ không?": yes (the best support held), not yet
    known (others still open), or no (every support ruled out), before the lines that say which."""
    if not mentions(ctx.text, ANY_SUPPORT_WORDS) or not result.findings:
        return None
    if result.entitled:
        best = max(result.entitled, key=lambda f: f.rank)
        return f"Có, bạn được hưởng {best.benefit.short_label} ({doc(best.policy)})."
    if any(f.outcome in (DOUBT, UNKNOWN) for f in result.findings):
        return "Chưa xác nhận được: còn tùy bạn thuộc diện nào."
    return "Không."


def _about_a_group(ctx: Context) -> bool:
    """The question's subject is an ethnic group ("Người Cống có được ..."), not the speaker."""
    return normalise(ctx.text).startswith(("nguoi ", "ng ", "dan toc ")) and bool(groups_named(ctx.kb, ctx.text))


def _ruled_out_by_what_was_said(result: Assessment, ctx: Context, asked: set) -> Optional[str]:
    """"mồ côi bố thôi thì cũng được miễn học phí à?": the group of the support asked about that the
    fact just said rules out ('mồ côi cha hoặc mẹ không thuộc diện mồ côi cả cha lẫn mẹ, ...')."""
    said = ctx.said().facts
    for key in sorted(asked):
        checks = result.checks.get(key, [])
        for group, check in checks:
            for failure in check.failures:
                if failure.fact not in said or failure.actual is None or failure.reason \
                        or failure.fact in ("level", "residence"):
                    continue
                # Only a fact that sets this group apart (orphanhood, not ethnicity that all share).
                if sum(1 for g, _ in checks if failure.fact in g.conditions) == 1:
                    told = _says_value(ctx.kb, failure.fact, failure.actual)
                    return f"{told} không thuộc diện {group.short_label} theo {doc(ctx.kb.policies[key[0]])}"
    return None


def _has_money(result: Assessment, text: str) -> bool:
    """Whether the message shows an amount computed from lương cơ sở (its date basis is then said)."""
    return any(f.monthly_amount and vnd(f.monthly_amount) in text for f in result.findings)


def _totals_possible(result: Assessment, profile: Profile) -> bool:
    return bool(profile.level) and any(f.benefit.kind in ("percent_of_base_salary", "fixed_amount")
                                       for f in result.entitled + result.uncertain)


def _rare_hint(result: Assessment, ctx: Context) -> Optional[str]:
    rare = [f for f in result.findings if f.outcome == UNKNOWN and not f.relevant and askable(ctx.kb, f.missing)]
    if not rare:
        return None
    groups = names_list([f.group.short_label for f in rare], limit=3)
    return f"Nếu bạn thuộc diện {groups}, có thể có thêm hỗ trợ: trả lời thêm vài câu để mình kiểm tra."


def _sections(result: Assessment, ctx: Context, head: str, hints: bool,
              level: Optional[str]) -> Tuple[List[List[str]], int]:
    """The parts of the first message, and how many of them must stay."""
    entitled = _entitled_lines(result, ctx, hints)
    uncertain = _uncertain_lines(result, ctx, hints)
    possible = _possible_lines(result, ctx, hints=hints)
    answer_first = verdict(result, ctx)
    sections: List[List[str]] = [([answer_first] if answer_first else []) + [head] + _asked_denials(result, ctx, level)]
    if entitled:
        sections.append(["Bạn được hưởng:", bullets(entitled)])
    if uncertain:
        sections.append(["Bạn có thể được thêm:" if entitled else "Bạn có thể được:", bullets(uncertain)])
    keep = len(sections)  # what they get and what is being confirmed always stays
    for i, line in enumerate(possible):  # one section each: dropped first when space is short
        title = ("Có thể được thêm:" if entitled or uncertain else "Bạn có thể được:") if i == 0 else None
        sections.append(([title] if title else []) + [bullets([line])])
    if not (entitled or uncertain or possible):
        sections.append([_rare_hint(result, ctx) or "Với thông tin hiện có, mình chưa thấy khoản hỗ trợ nào phù hợp. "
                         "Cán bộ tuyển sinh có thể xem kỹ hơn trường hợp của bạn."])
        keep += 1
    return sections, keep


def focused(result: Assessment, ctx: Context) -> Tuple[Assessment, bool]:
    """The assessment of the supports the message names ("thế tiền đi lại được bao nhiêu?"): that
    support for this person, not every support again. Unchanged when it names none, or none of them
    is in the assessment."""
    named = set(ctx.match.benefits_in(ctx.text))
    if not named or ctx.aspect():
        return result, False
    kept = [f for f in result.findings if f.key in named]
    if not any(f.outcome != NO for f in kept):  # refused, or not in it: the refusal, then what else they get
        return result, False
    return replace(result, findings=kept,
                               superseded=[f for f in result.superseded if f.key in named],
                               alternatives=[(r, fs) for r, fs in result.alternatives if any(f.key in named for f in fs)]), True


def result_reply(ctx: Context, profile: Profile, asked: Sequence[str] = ()) -> Reply:
    """The short answer for what is known now, with buttons for the details."""
    result, narrowed = focused(evaluate(profile, ctx.kb, ctx.today), ctx)
    said = describe(profile, ctx.kb)
    about = LEARNER_WORDS.get(profile.learner or "self", "")
    head = f"Với thông tin bạn cho biết{about} ({said}):" if said else "Với thông tin hiện có:"
    versions = [_sections(result, ctx, head, hints, profile.level) for hints in (True, False)]
    shown = "\n".join(line for part in versions[0][0] for line in part)
    basis = [f"Số tiền tính theo {salary_basis(ctx.kb, ctx.today)}."] if _has_money(result, shown) else []
    remaining = support_form.open_questions(profile, asked, ctx.kb, ctx.today)
    buttons = []
    if remaining:
        buttons.append(button(f"Trả lời thêm {len(remaining)} câu", "check_eligibility", advisor=CONTINUE))
    if result.entitled or result.uncertain:
        buttons.append(button("Hồ sơ cần chuẩn bị", "check_eligibility", aspect="papers"))
    if _totals_possible(result, profile):
        buttons.append(button("Tổng tiền cả khóa", "check_eligibility", aspect="totals"))
    if narrowed:  # the other supports, one press away
        buttons.insert(0, button("Các khoản hỗ trợ khác", "check_eligibility", aspect="all"))
    buttons.append(button("Có, đăng ký tư vấn", "register_interest"))
    text = _fit(versions, basis, REGISTER_OFFER, reserve=len("(Tính cho ngày 01/01/2026.)\n") if ctx.dated else 0)
    return Reply(text, buttons[:4], slots=_detail_slots(profile))


def _fit(versions: List[Tuple[List[List[str]], int]], basis: List[str], offer: str, reserve: int = 0) -> str:
    """The first message within FIRST_MESSAGE_LIMIT. Given the message with and without the
    tier hints ("300.000 đ nếu …"), it drops, in order: the offer (its button stays), the hints,
    then the last "nếu …" lines (the "Trả lời thêm" button brings them back). What the person
    gets, what is being confirmed and the date basis of the amounts always stay; a test checks
    that they fit for every profile of the hand-computed table."""
    def text(parts: List[List[str]], tail: List[str]) -> str:
        return "\n".join([line for part in parts for line in part] + tail)

    limit = FIRST_MESSAGE_LIMIT - reserve  # room for "(Tính cho ngày …)" when the question is dated
    (full, keep), (plain, _) = versions
    for parts, tail in ((full, basis + [offer]), (full, basis), (plain, basis)):
        if len(text(parts, tail)) <= limit:
            return text(parts, tail)
    kept = list(plain)
    while len(kept) > keep and len(text(kept, basis)) > limit:
        kept.pop()
    return text(kept, basis)


# --- details on request --------------------------------------------------------------------

def _papers_lines(findings: Sequence[Finding]) -> List[str]:
    """Per policy: its application form (the first paper listed) and the proof of each group."""
    lines = []
    for policy, items in _by_policy(findings):
        papers: List[str] = [hedge(policy.papers[0].text, policy.papers[0].source)] if policy.papers else []
        for f in items:
            for proof in f.group.proof:
                text = hedge(proof.text, proof.source)
                if text not in papers:
                    papers.append(text)
        if papers:
            lines.append(f"{policy.name} ({policy.document.short}): " + "; ".join(papers))
    return lines


def _held(result: Assessment) -> List[Finding]:
    return result.entitled + result.uncertain


def papers_reply(ctx: Context, profile: Profile) -> Reply:
    result = evaluate(profile, ctx.kb, ctx.today)
    lines = _papers_lines(_held(result))
    if not lines:
        text = "Chưa có khoản hỗ trợ nào cần hồ sơ với thông tin hiện có. Bạn trả lời thêm vài câu để mình kiểm tra nhé."
    else:
        notes = [hedge(n.text, n.source) for p, _ in _by_policy(_held(result)) for n in p.notes if n.about == "papers"]
        text = "\n".join(["Hồ sơ cần chuẩn bị (nộp tại trường khi nhập học):", bullets(lines)] + notes)
    return Reply(text, _detail_buttons("papers", result, profile), slots=_detail_slots(profile))


def totals_reply(ctx: Context, profile: Profile) -> Reply:
    result = evaluate(profile, ctx.kb, ctx.today)
    prog = ctx.programme()
    offering = prog.offering(profile.level) if prog else None
    months = course_months(ctx.kb, profile.level, offering.duration_months if offering else None)
    if months is None:
        return Reply("Cho mình biết trình độ muốn học (sơ cấp, trung cấp hay cao đẳng) để ước tính tổng tiền cả khóa.",
                     _detail_buttons("totals", result, profile), slots=_detail_slots(profile))
    level = LEVEL_LABELS[profile.level]  # type: ignore[index]
    source = (f"thời lượng dự kiến của nghề {prog.name} trình độ {level}" if offering  # type: ignore[union-attr]
              else f"khóa {level} dài nhất trong danh mục dự kiến")
    basis = salary_basis(ctx.kb, ctx.today)
    lines = [f"Ước tính cho cả khóa {months} tháng ({source}, chưa được trường xác nhận), với {basis} "
             f"giữ nguyên cho các năm sau:"]
    for title, findings in (("Bạn được hưởng:", result.entitled), ("Bạn có thể được (đang xác nhận):", result.uncertain)):
        items = []
        for f in findings:
            total = course_total(f, months)
            if not total:
                continue
            low, high = total
            money = vnd(low) if low == high else f"{vnd(low)} - {vnd(high)}"
            extra = ""
            if f.benefit.kind == "percent_of_base_salary" and not f.benefit.months_per_year and f.benefit.months_per_year_options:
                extra = (" (tùy được hưởng " + " hay ".join(map(str, f.benefit.months_per_year_options))
                         + " tháng mỗi năm, đang được xác nhận)")
            items.append(f"{f.benefit.short_label}: {money}{extra} ({f.policy.document.short})")
        if items:
            lines += [title, bullets(items)]
    if len(lines) == 1:
        lines.append("Các khoản bạn được hưởng không tính theo tháng.")
    return Reply("\n".join(lines), _detail_buttons("totals", result, profile), slots=_detail_slots(profile))


def open_reply(ctx: Context, profile: Profile) -> Reply:
    """Every rule this person's answer depends on that is being confirmed (all of them, with their
    full wording); the policies' general open questions when none concerns them."""
    result = evaluate(profile, ctx.kb, ctx.today)
    involved = _held(result) + result.possible
    notes = list(dict.fromkeys(n.text for f in involved for n in f.notes))
    notes += list(dict.fromkeys(
        f"số tháng được hưởng {f.benefit.short_label} mỗi năm ({' hay '.join(map(str, f.benefit.months_per_year_options))} tháng)"
        for f in involved if f.benefit.kind == "percent_of_base_salary" and not f.benefit.months_per_year
        and f.benefit.months_per_year_options))
    # Notes of these policies that are not confirmed yet bear on the answer too (the ĐBKK list in use).
    notes += [lower_first(n.text) for p, _ in _by_policy(involved) for n in p.notes
              if not n.source.certain and n.about != "asked"]
    lines = ["Những điều đang được xác nhận với trường và cơ quan quản lý:"]
    if not notes:
        notes = [lower_first(q.text) for p, _ in _by_policy(involved) for q in p.open_questions]
    lines.append(bullets(list(dict.fromkeys(notes))) if notes else "Không có điều gì đang chờ xác nhận cho trường hợp này.")
    unverified = [p for p in ctx.kb.policies.values() if not p.benefits]
    lines += [f"{p.name} ({p.document.short}) có thể có thêm hỗ trợ; nội dung đang được xác nhận." for p in unverified]
    lines.append("Cán bộ tuyển sinh sẽ trả lời bạn khi có văn bản chính thức.")
    return Reply("\n".join(lines), [button("Gặp cán bộ tư vấn", "request_human"), button("Có, đăng ký tư vấn", "register_interest")],
                 slots=_detail_slots(profile))


def _detail_buttons(shown: str, result: Assessment, profile: Profile) -> List:
    buttons = []
    if shown != "papers" and _held(result):
        buttons.append(button("Hồ sơ cần chuẩn bị", "check_eligibility", aspect="papers"))
    if shown != "totals" and _totals_possible(result, profile):
        buttons.append(button("Tổng tiền cả khóa", "check_eligibility", aspect="totals"))
    buttons.append(button("Điều đang xác nhận", "check_eligibility", aspect="open"))
    buttons.append(button("Có, đăng ký tư vấn", "register_interest"))
    return buttons


def _detail_slots(profile: Profile) -> Dict[str, object]:
    """A detail keeps the registration offer of the answer open ("có" still registers)."""
    return {"profile": profile.as_slot() or None, "pending_offer": "register_interest", "lead_offered": True}


DETAILS = {"papers": papers_reply, "totals": totals_reply, "open": open_reply}


def _rule_for_unclear(ctx: Context, facts: Sequence[str]) -> Optional[str]:
    """"Em có được miễn học phí vì mồ côi không?" ("mồ côi" says neither one parent nor both): not
    yet sure, and the groups of the support asked about that this fact decides."""
    if not is_yes_no(ctx.text):
        return None
    parts = []
    for pid, bid in ctx.match.benefits_in(ctx.text):  # the support named, not every one of a policy named
        policy = ctx.kb.policies[pid]
        benefit = policy.benefit(bid)
        for gid in benefit.groups if benefit else ():
            group = policy.group(gid)
            if group and set(group.conditions) & set(facts):
                parts.append(f"{lower_first(group.label)} được {benefit.short_label} ({doc(policy)})")
    parts = list(dict.fromkeys(parts))[:2]
    return f"Chưa xác nhận: {'; '.join(parts)}." if parts else None


def residence_reply(ctx: Context, profile: Profile) -> Optional[Reply]:
    """"Có phải ở xã nào cũng được không?" in a support check: the residence rules of the supports this
    person may get that are being confirmed (policy doubts on residence), first; None when there are none."""
    result = evaluate(profile, ctx.kb, ctx.today)
    policies = list(dict.fromkeys(f.policy for f in result.findings if f.outcome != NO))
    doubts = [(p, d) for p in policies for d in p.doubts if d.id == "residence" or "residence" in d.unless]
    if not doubts:
        return None
    lines = [f"Chưa xác nhận: {d.text} ({doc(p)}) đang được xác nhận." for p, d in doubts[:2]]
    lines.append("Cán bộ tuyển sinh sẽ trả lời bạn khi có văn bản chính thức.")
    return Reply("\n".join(lines), [button("Gặp cán bộ tư vấn", "request_human"),
                                    button("Điều đang xác nhận", "check_eligibility", aspect="open")],
                 slots=_detail_slots(profile))


def answer_eligibility(ctx: Context, remembered: Optional[Dict[str, object]] = None) -> Reply:
    profile = profile_of(ctx, remembered)
    aspect = ctx.aspect()
    if aspect in DETAILS:
        return DETAILS[aspect](ctx, Profile.from_slot(remembered) if not ctx.text else profile)
    if aspect == "residence":
        by_residence = residence_reply(ctx, profile)
        if by_residence is not None:
            return by_residence
    matter = open_facts(profile, ctx.kb, ctx.today)
    unclear = [f for f in profile.unclear if f in matter]
    if profile.is_empty() and not unclear or ctx.entity("advisor") == CONTINUE:
        intro = ("Mình sẽ hỏi vài câu ngắn (bấm chọn câu trả lời) để tính các khoản hỗ trợ bạn được hưởng. "
                 "Bạn có thể bấm \"Xem kết quả luôn\" bất cứ lúc nào.") if profile.is_empty() else "Mình hỏi thêm vài câu nhé."
        if profile.is_empty() and ctx.text and is_yes_no(ctx.text):  # "có được miễn không?" with nothing known yet
            named = [ctx.kb.policies[p].benefit(b) for p, b in ctx.match.benefits_in(ctx.text)]
            what = f"{named[0].short_label} " if named and named[0] else ""
            intro = f"Chưa xác nhận được: {what}còn tùy bạn thuộc diện nào. {intro}"
        return Reply(intro, slots={"profile": profile.as_slot() or None}, follow_up=FORM)
    if unclear:
        # A fact that decides an amount was mentioned but not settled: ask instead of guessing
        # (a yes/no about a support first hears whom that support is for).
        rule = _rule_for_unclear(ctx, unclear)
        return Reply((f"{rule}\n" if rule else "") + "Để tính đúng số tiền, mình cần hỏi lại một điều bạn vừa nói.",
                     slots={"profile": profile.as_slot() or None}, follow_up=FORM)
    return result_reply(ctx, profile)

