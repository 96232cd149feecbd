"""Answers about support policies, lương cơ sở and what a person is entitled to."""

from __future__ import annotations

import datetime as dt
import re
from typing import Dict, List, Optional, Sequence, Tuple

from bot.answers.benefits import amount_text, group_labels, item_text, salary_basis as basis_on, short_amount
from bot.answers.fit import FIRST_MESSAGE_LIMIT, wants_everything
from bot.answers.context import Context
from bot.answers.corrections import corrections
from bot.answers.eligibility import answer_eligibility
from bot.answers.format import WHEN_WORDS, according_to, bullets, cite, day, hedge, is_yes_no, join_names, lower_first, vnd
from bot.answers.reply import Reply, button
from bot.kb.models import LEVEL_LABELS, Benefit, KnowledgeBase, Policy
from bot.eligibility import NO, Facts
from bot.kb.retrieval import stated_amounts
from bot.profile import Profile
from bot.profile.reader import without_denials
from bot.text import mentions, normalise

PAPERS_WORDS = ("hồ sơ", "giấy tờ", "thủ tục", "cần nộp", "nộp gì", "chuẩn bị gì", "cần những gì", "giấy gì")
WHO_WORDS = ("ai được", "đối tượng", "những ai", "điều kiện", "ai thì được", "nhóm nào", "ai được hưởng",
             "dân tộc nào", "những dân tộc", "các dân tộc")
SCHOLARSHIP_WORDS = ("học bổng", "học bổng chính sách")
OPEN_WORDS = ("đang xác nhận", "chưa xác nhận", "chưa rõ", "còn chưa chắc", "chưa chắc chắn")
SALARY_WORDS = ("lương cơ sở", "mức lương cơ sở", "lương tối thiểu")


def _policy_buttons(policy: Optional[Policy], kb: KnowledgeBase) -> List:
    buttons = []
    if policy and policy.papers:
        buttons.append(button("Hồ sơ cần nộp", "ask_policy", policy=policy.id, aspect="papers"))
    buttons.append(button("Em được hỗ trợ gì?", "check_eligibility"))
    others = [p for p in kb.policies_in_order() if p.benefits and (not policy or p.id != policy.id)]
    buttons += [button(p.button_title, "ask_policy", policy=p.id) for p in others][:2]
    return buttons


def stacking_lines(policy: Policy, kb: KnowledgeBase) -> List[str]:
    """How the policy's supports combine (one tuition level; QĐ 53 with NĐ 57 being confirmed)."""
    lines = []
    for rule in kb.rules_for(policy.id):
        if rule.rule == "highest_only" and all(p == policy.id for p, _ in rule.benefits) and \
                all(policy.benefit(b) and policy.benefit(b).is_tuition for _, b in rule.benefits):  # type: ignore[union-attr]
            lines.append(rule.text)
        elif rule.rule == "unknown":
            lines.append(f"Đang được xác nhận: {rule.text}.")
    return lines


def salary_text(kb: KnowledgeBase, ctx: Context) -> str:
    current = kb.salary.on(ctx.today)
    text = (f"Mức lương cơ sở hiện nay là {vnd(current.amount)}/tháng (áp dụng từ {day(current.effective_from)}, "
            f"theo {cite(current.source)}).")
    earlier = [p for p in kb.salary.periods if p.effective_from < current.effective_from]
    if earlier:
        prev = earlier[-1]
        text += f" Trước đó là {vnd(prev.amount)}/tháng từ {day(prev.effective_from)}."
    return text


RISE_WORDS = ("tăng", "lên", "điều chỉnh", "áp dụng từ", "từ ngày")


def salary_claim(kb: KnowledgeBase, ctx: Context) -> Optional[str]:
    """The answer to a yes/no that states a lương cơ sở ("là 1.800.000 đúng không?") or the day it
    changed ("tăng từ 01/01/2026 đúng không?"), checked against the dated table; None otherwise."""
    if not is_yes_no(ctx.text):
        return None
    periods = kb.salary.periods
    for amount in stated_amounts(ctx.text):
        if amount < 500_000:
            continue  # a small number is not a monthly salary ("60%", "năm 2026")
        period = next((p for p in periods if p.amount == amount), None)
        current = kb.salary.on(ctx.today)
        if period is current:
            return f"Có, {vnd(amount)}/tháng là mức lương cơ sở áp dụng từ {day(current.effective_from)} ({cite(current.source)})."
        if period is not None:
            return (f"Không, {vnd(amount)}/tháng là mức từ {day(period.effective_from)}; hiện nay là {vnd(current.amount)}/tháng "
                    f"từ {day(current.effective_from)} ({cite(current.source)}).")
        return (f"Không, {vnd(amount)}/tháng không phải mức lương cơ sở; hiện nay là {vnd(current.amount)}/tháng "
                f"từ {day(current.effective_from)} ({cite(current.source)}).")
    return _salary_rise(kb, ctx)




def salary_period_asked(kb: KnowledgeBase, ctx: Context) -> Optional[str]:
    """"Mức 2.340.000 áp dụng từ bao giờ?": the period of the table with that amount."""
    if not mentions(ctx.text, WHEN_WORDS):
        return None
    periods = list(kb.salary.periods)
    for amount in stated_amounts(ctx.text):
        for i, period in enumerate(periods):
            if period.amount == amount:
                until = f" đến {day(periods[i + 1].effective_from - dt.timedelta(days=1))}" if i + 1 < len(periods) else ""
                return (f"Mức lương cơ sở {vnd(amount)}/tháng áp dụng từ {day(period.effective_from)}{until} "
                        f"({cite(period.source)}).")
    return None


def _salary_rise(kb: KnowledgeBase, ctx: Context) -> Optional[str]:
    """"lương cơ sở tăng từ 01/01/2026 đúng không?" (the day asked is the claim): checked against the table."""
    periods = kb.salary.periods
    if ctx.dated and mentions(ctx.text, RISE_WORDS):
        if any(p.effective_from == ctx.today for p in periods):
            period = kb.salary.on(ctx.today)
            return f"Có, từ {day(period.effective_from)} lương cơ sở là {vnd(period.amount)}/tháng ({cite(period.source)})."
        later = next((p for p in periods if p.effective_from > ctx.today), None) or periods[-1]
        return (f"Không, lương cơ sở không đổi vào ngày {day(ctx.today)}: mức {vnd(later.amount)}/tháng áp dụng từ "
                f"{day(later.effective_from)} ({cite(later.source)}).")
    return None


def answer_salary(ctx: Context) -> Reply:
    applies = ctx.kb.salary_applies_to
    claim = salary_claim(ctx.kb, ctx) or salary_period_asked(ctx.kb, ctx)
    text = claim if claim else salary_text(ctx.kb, ctx) + (f"\n{applies.text}" if applies else "")
    return Reply(text, [button("Học bổng chính sách", "ask_policy", policy="qd53"),
                        button("Em được hỗ trợ gì?", "check_eligibility")])


def benefit_amount(benefit: Benefit, ctx: Context) -> str:
    return amount_text(benefit, ctx.kb, ctx.today)


def salary_basis(ctx: Context) -> str:
    return basis_on(ctx.kb, ctx.today)


def _open_questions_line(policy: Policy, brief: bool = False) -> Optional[str]:
    """The policy's open questions (its doubts are among them): the caveats of a general answer.
    `brief`: the first one, and how many more there are (they come on the "Đang xác nhận gì?" button)."""
    items = list(dict.fromkeys(lower_first(q.text) for q in policy.open_questions))
    if not items:
        return None
    if brief and len(items) > 1:
        first = next((d.short for d in policy.doubts if d.short), None) or items[0]
        return f"Đang được xác nhận: {first} (và {len(items) - 1} điều khác)."
    return "Đang được xác nhận: " + "; ".join(items) + "."


def _compact_benefits(policy: Policy, ctx: Context) -> List[str]:
    """One line per support, tiers of lương cơ sở in one range: what a first message has room for."""
    tiers = [b for b in policy.benefits if b.kind == "percent_of_base_salary"]
    lines = []
    if len(tiers) > 1:
        monthly = sorted(b.monthly_amount(ctx.kb.salary, ctx.today) or 0 for b in tiers)
        percents = sorted(b.percent or 0 for b in tiers)
        lines.append(f"{tiers[0].short_label}: {vnd(monthly[0])} - {vnd(monthly[-1])}/tháng "
                     f"({percents[0]:g}-{percents[-1]:g}% lương cơ sở, tùy đối tượng)")
    amounts: Dict[str, List[str]] = {}  # one line per support, its amounts side by side
    for b in policy.benefits:
        if len(tiers) > 1 and b in tiers:
            continue
        amount = short_amount(b, ctx.kb, ctx.today) or benefit_amount(b, ctx)
        if amount.startswith("(") and amount.endswith(")"):
            amount = amount[1:-1]
        if amount not in amounts.setdefault(b.short_label, []):
            amounts[b.short_label].append(amount)
    for label, said in amounts.items():
        if len(said) == 1:
            lines.append(f"{label}: {said[0]}" if said[0] != label else label)
        else:
            known_first = sorted(said, key=lambda a: ("xác nhận" in a, a))
            lines.append(f"{label}: {' hoặc '.join(known_first)}, tùy đối tượng")
    return lines


def _policy_detail_buttons(policy: Policy, ctx: Context) -> List:
    buttons = []
    if policy.groups:
        buttons.append(button("Ai được hưởng?", "ask_policy", policy=policy.id, aspect="who"))
    if len(policy.open_questions) > 1:
        buttons.append(button("Đang xác nhận gì?", "ask_policy", policy=policy.id, aspect="open"))
    if policy.papers:
        buttons.append(button("Hồ sơ cần nộp", "ask_policy", policy=policy.id, aspect="papers"))
    buttons.append(button("Em được hỗ trợ gì?", "check_eligibility"))
    return buttons


def answer_policy_briefly(policy: Policy, ctx: Context) -> Reply:
    """A policy in one phone screen: what it gives and to whom in a few words, the amounts'
    basis, the first open question; who exactly, the open questions and the papers on buttons."""
    levels = join_names([LEVEL_LABELS[lv] for lv in policy.scope_levels]) if policy.scope_levels else ""
    lines = [f"{policy.name} ({policy.document.short})" + (f", cho người học {levels}" if levels else "") + ":"]
    lines.append(bullets(_compact_benefits(policy, ctx)))
    if any(b.kind == "percent_of_base_salary" for b in policy.benefits):
        lines.append(f"Số tiền tính theo {salary_basis(ctx)}.")
    oq = _open_questions_line(policy, brief=True)
    if oq:
        lines.append(oq)
    lines.append("Mức nào cho ai: bấm \"Ai được hưởng?\", hoặc kiểm tra xem bạn được gì.")
    return Reply("\n".join(lines), _policy_detail_buttons(policy, ctx), slots={"policy": policy.id})


def _who_by_benefit(policy: Policy, ctx: Context) -> List[str]:
    """Who gets what, one line per support in short words; supports for every group in one line."""
    everyone = {g.id for g in policy.groups}
    lines = [f"Theo {policy.document.short}:"]
    shared = []
    for b in policy.benefits:
        if set(b.groups) == everyone and len(policy.benefits) > 1:
            shared.append(b.short_label)
            continue
        where = f" ({b.source.article})" if b.source.article and b.kind != "percent_of_base_salary" else ""
        lines.append(f"• {item_text(b, ctx.kb, ctx.today, months_note=False)}{where}: {group_labels(policy, b)}")
    if shared:
        lines.append(f"• {join_names(list(dict.fromkeys(shared)))}: mọi đối tượng trên")
    if any(b.kind == "percent_of_base_salary" for b in policy.benefits):
        lines.append(f"Số tiền tính theo {salary_basis(ctx)}.")
    return lines


def answer_open_questions(policy: Policy, ctx: Context) -> Reply:
    oq = _open_questions_line(policy) or f"Các nội dung của {policy.document.short} mình nêu đều đã có nguồn."
    text = f"Về {policy.name.lower()} ({policy.document.short}), những điều trường và mình đang xác nhận:\n" + \
        bullets(lower_first(q.text) for q in dict.fromkeys(policy.open_questions)) if policy.open_questions else oq
    return Reply(text, [button("Ai được hưởng?", "ask_policy", policy=policy.id, aspect="who"),
                        button("Gặp cán bộ tư vấn", "request_human"), button("Em được hỗ trợ gì?", "check_eligibility")],
                 slots={"policy": policy.id})


def months_options(policy: Policy) -> Tuple[int, ...]:
    tiers = [b for b in policy.benefits if b.kind == "percent_of_base_salary"]
    return next((b.months_per_year_options for b in tiers if not b.months_per_year and b.months_per_year_options), ())


MONTHS_WORDS = ("mấy tháng", "bao nhiêu tháng", "mỗi năm mấy", "một năm mấy", "một năm được mấy", "mấy tháng một năm",
                "được mấy tháng", "bao nhiêu tháng một năm", "số tháng")


def answer_months(policy: Policy, ctx: Context) -> Optional[Reply]:
    """"Một năm được mấy tháng?" about a monthly support: its months a year, or that they are being
    confirmed; None when the policy pays nothing by the month."""
    monthly = [b for b in policy.benefits if b.kind == "percent_of_base_salary"]
    if not monthly:
        return None
    known = sorted({b.months_per_year for b in monthly if b.months_per_year})
    options = months_options(policy)
    name = lower_first(monthly[0].short_label)
    if known and not options:
        text = hedge(f"{monthly[0].short_label[:1].upper() + monthly[0].short_label[1:]} ({policy.document.short}): "
                     f"{' hoặc '.join(map(str, known))} tháng mỗi năm.", monthly[0].source)
    else:
        text = (f"Chưa xác nhận: {name} ({policy.document.short}) được {' hay '.join(map(str, options or (10, 12)))} "
                "tháng mỗi năm đang được xác nhận; mức mỗi tháng thì đã rõ.")
    return Reply(text, _policy_buttons(policy, ctx.kb), slots={"policy": policy.id}, aspect="months")


def scholarship_text(policy: Policy, ctx: Context, months_line: bool = True, only: Sequence[Benefit] = ()) -> List[str]:
    """Lines for the percentage-of-lương-cơ-sở benefits, one per tier (or the tiers `only`), with
    amounts for today."""
    tiers = [b for b in policy.benefits if b.kind == "percent_of_base_salary" and (not only or b in only)]
    if not tiers:
        return []
    head = f"{according_to(tiers[0].source)}, {lower_first(tiers[0].label)} tính theo {salary_basis(ctx)}:"
    lines = [hedge(f"{benefit_amount(b, ctx)}: {group_labels(policy, b)}", b.source) for b in tiers]
    out = [hedge(head, tiers[0].source), bullets(lines)]
    options = months_options(policy)
    if options and months_line:
        out.append(f"Số tháng được hưởng mỗi năm ({' hay '.join(map(str, options))} tháng) đang được xác nhận.")
    return out


def _benefits_text(policy: Policy, ctx: Context) -> List[str]:
    if any(b.kind == "percent_of_base_salary" for b in policy.benefits):
        lines = scholarship_text(policy, ctx)
        others = [b for b in policy.benefits if b.kind != "percent_of_base_salary"]
        if others:
            lines.append("Ngoài ra:")
            lines.append(bullets(f"{b.label}: {benefit_amount(b, ctx)}" for b in others))
        return lines
    head = f"Theo {policy.document.short}:"
    body = bullets(f"{benefit_amount(b, ctx)[:1].upper() + benefit_amount(b, ctx)[1:]}: {group_labels(policy, b)} ({cite(b.source)})"
                   for b in policy.benefits)
    return [head, body] + stacking_lines(policy, ctx.kb)


def scope_verdict(policy: Policy, ctx: Context) -> Optional[str]:
    """"Học hệ vừa làm vừa học có được chính sách nội trú không?": "Không" when what the message says
    about the study (level, regular or not) is outside the policy's scope or one of its exclusions."""
    if not is_yes_no(ctx.text):
        return None
    said = ctx.said().facts
    level = said.get("level")
    if level and policy.scope_levels and level not in policy.scope_levels:
        levels = join_names([LEVEL_LABELS[lv] for lv in policy.scope_levels])
        return f"Không: {policy.document.short} chỉ áp dụng cho trình độ {levels} ({cite(policy.scope.source)})."
    for exclusion in policy.exclusions:
        if exclusion.conditions and all(k in said and said[k] == v for k, v in exclusion.conditions.items()):
            return f"Không: {exclusion.text} ({cite(exclusion.source)})."
    for doubt in policy.doubts:  # "trường tư thì chắc chắn không được QĐ 53 đúng không?": being confirmed
        if doubt.when and all(k in said and said[k] == v for k, v in doubt.when.items()):
            return f"Chưa xác nhận: {doubt.text} ({cite(doubt.source)})."
    return None


def answer_one_policy(policy: Policy, ctx: Context) -> Reply:
    slots = {"policy": policy.id}
    outside = scope_verdict(policy, ctx)
    if outside and policy.benefits:  # the answer, then what the policy is (its buttons for more)
        return Reply(f"{outside}\n{policy.name} ({policy.document.short}): {policy.summary.text}",
                     _policy_buttons(policy, ctx.kb), slots=slots)
    if not policy.benefits:
        text = "\n".join([  # nothing of it is confirmed: said first, whatever was asked ("được bao nhiêu?")
            f"Chưa xác nhận: mình chưa có nội dung {policy.document.short}.",
            f"{policy.document.short}: {policy.summary.text}",
            f"{policy.scope.text} Mình chưa thể nêu đối tượng hay số tiền cụ thể khi chưa có văn bản gốc; "
            "câu hỏi của bạn đã được ghi lại để cán bộ tuyển sinh trả lời.",
        ])
        others = [button(p.button_title, "ask_policy", policy=p.id) for p in ctx.kb.policies_in_order() if p.benefits][:1]
        return Reply(text, [button("Gặp cán bộ tư vấn", "request_human"), button("Thông tin liên hệ", "ask_contact")] + others,
                     unanswered_reason="unverified_policy", slots=slots)
    if ctx.asks("papers", PAPERS_WORDS) and policy.papers:
        lines = [f"Hồ sơ đề nghị hưởng {policy.name.lower()} ({policy.document.short}):"]
        lines.append(bullets(hedge(p.text, p.source) for p in policy.papers))
        lines += [hedge(n.text, n.source) for n in policy.notes if n.about in ("papers", "misconception")][:2]
        buttons = [b for b in _policy_buttons(policy, ctx.kb) if '"papers"' not in b.payload]
        return Reply("\n".join(lines), buttons, slots=slots, aspect="papers")
    if ctx.asks("open", OPEN_WORDS):
        return answer_open_questions(policy, ctx)
    if ctx.asks("who", WHO_WORDS) and policy.groups:
        lines = [f"{according_to(policy.groups[0].source)}, đối tượng được hưởng gồm:"]
        lines.append(bullets(hedge(g.label, g.source) for g in policy.groups))
        if policy.ethnic_groups:
            lines.append(f"{len(policy.ethnic_groups)} dân tộc: {', '.join(policy.ethnic_groups)}. "
                         f"Ở Lai Châu có: {', '.join(policy.ethnic_groups_in_lai_chau)}.")
        lines.append(policy.scope.text)
        oq = _open_questions_line(policy)
        if oq:
            lines.append(oq)
        if len("\n".join(lines)) > FIRST_MESSAGE_LIMIT and not wants_everything(ctx):
            lines = _who_by_benefit(policy, ctx) if len(policy.benefits) > 1 else lines[:-1]
            lines.append(_open_questions_line(policy, brief=True) or "")
        buttons = _policy_buttons(policy, ctx.kb)
        if len(policy.open_questions) > 1:
            buttons.insert(1, button("Đang xác nhận gì?", "ask_policy", policy=policy.id, aspect="open"))
        return Reply("\n".join(lines), buttons, slots=slots, aspect="who")
    if ctx.asks("scholarship", SCHOLARSHIP_WORDS) and any(b.kind == "percent_of_base_salary" for b in policy.benefits):
        lines = scholarship_text(policy, ctx) + [policy.scope.text]
    else:
        lines = [f"{policy.name} ({policy.document.short}): {policy.summary.text}"] + _benefits_text(policy, ctx)
    oq = _open_questions_line(policy)
    if oq:
        lines.append(oq)
    if len("\n".join(lines)) > FIRST_MESSAGE_LIMIT and not wants_everything(ctx):
        return answer_policy_briefly(policy, ctx)
    return Reply("\n".join(lines), _policy_buttons(policy, ctx.kb), slots=slots)


def open_at_level(conditions, facts: Optional[Facts]) -> bool:
    """Whether conditions can hold at the level asked (`facts` knows only that level; None: any level)."""
    return facts is None or "level" not in conditions or facts.check("level", conditions["level"]).outcome != NO


def level_doubts(policy: Policy, level: Optional[str], kb: KnowledgeBase) -> List[str]:
    """What is being confirmed about the levels the policy covers ('NĐ 238 có áp dụng cho sơ cấp không')."""
    facts = Facts(Profile(level=level), kb) if level else None
    return [d.short or d.text for d in policy.doubts if "level" in d.when and open_at_level(d.when, facts)]


def level_policies(ctx: Context, level: str, lead: Sequence[str] = ()) -> Optional[Reply]:
    """"Thế sơ cấp được hỗ trợ gì?": the policies that cover that level, each with what is being
    confirmed about it, and those that do not (None when no policy covers it)."""
    covering = [p for p in ctx.kb.policies_in_order() if level in p.scope_levels]
    if not covering:
        return None
    covering.sort(key=lambda p: bool(level_doubts(p, level, ctx.kb)))  # the sure ones first
    lines = list(lead) + [f"Người học {LEVEL_LABELS[level]} có thể được hỗ trợ theo:"]
    lines.append(bullets(f"{p.name}: {p.document.short}" + (f" (đang xác nhận: {'; '.join(d)})"
                                                             if (d := level_doubts(p, level, ctx.kb)) else "")
                         for p in covering))
    others = [p.document.short for p in ctx.kb.policies_in_order() if p not in covering and p.benefits]
    if others and not lead:
        lines.append(f"{join_names(others)} không áp dụng cho trình độ {LEVEL_LABELS[level]}.")
    lines.append("Bạn muốn xem chính sách nào, hay kiểm tra bạn được hưởng gì?")
    buttons = [button(p.button_title, "ask_policy", policy=p.id) for p in covering if p.benefits][:3]
    return Reply("\n".join(lines), buttons + [button("Em được hỗ trợ gì?", "check_eligibility")], slots={"level": level})


def answer_policy_overview(ctx: Context) -> Reply:
    level = ctx.level_named_now()
    by_level = level_policies(ctx, level) if level else None
    if by_level is not None:
        return by_level
    lines = ["Người học nghề ở Lai Châu có thể được hỗ trợ theo các chính sách:"]
    lines.append(bullets(f"{p.name}: {p.document.short}" for p in ctx.kb.policies_in_order()))
    lines.append(salary_text(ctx.kb, ctx))
    lines.append("Bạn muốn xem chính sách nào, hay kiểm tra bạn được hưởng gì?")
    buttons = [button(p.button_title, "ask_policy", policy=p.id) for p in ctx.kb.policies_in_order() if p.benefits][:3]
    return Reply("\n".join(lines), buttons + [button("Em được hỗ trợ gì?", "check_eligibility")])


STUDY_ONLY = ("level", "public_school", "regular_programme")


def about_the_person(ctx: Context, besides=STUDY_ONLY) -> bool:
    """The message states the learner's situation (more than the facts in `besides`: by default
    what and where they study, which a question about a policy often names)."""
    said = ctx.said()
    return bool(set(said.facts) - set(besides) or said.denied or said.unclear)


HOW_OFTEN_WORDS = ("mấy lần", "bao nhiêu lần", "mấy đợt", "một lần", "hằng năm", "mỗi năm", "hàng tháng", "mỗi tháng")
HOW_OFTEN = {"course": "Một lần cho cả khóa học.", "year": "Mỗi năm học một lần.", "month": "Hằng tháng."}


def answer_benefits(keys: List[Tuple[str, str]], ctx: Context) -> Reply:
    """A question about one support ("hỗ trợ ăn Tết bao nhiêu?", "được mua đồ dùng mấy lần?", "ai
    được miễn học phí?"): that support only, with its amount for today, its source, who it is for
    and what about it is being confirmed."""
    policy = ctx.kb.policies[keys[0][0]]
    benefits = [b for b in (policy.benefit(bid) for pid, bid in keys if pid == policy.id) if b]
    tiers = [b for b in benefits if b.kind == "percent_of_base_salary"]
    lines: List[str] = []
    level = ctx.level_named_now()
    all_doubts = list(policy.doubts) + [d for b in benefits for d in b.doubts]  # the policy's own first
    level_doubts = [d for d in all_doubts if level and level in (_levels_of(d) or ())]
    if is_yes_no(ctx.text) and not corrections(ctx):  # "học sơ cấp có được miễn học phí không": the answer, then the support
        if level_doubts:
            doubt = level_doubts[0]
            lines.append(f"Chưa xác nhận với trình độ {LEVEL_LABELS[level]} (đang xác nhận: {doubt.short or doubt.text}).")
        elif level and level not in policy.scope_levels:
            refusal = (f"Không: {lower_first(benefits[0].short_label) if benefits else policy.name.lower()} "
                       f"({policy.document.short}) chỉ áp dụng cho trình độ "
                       f"{join_names([LEVEL_LABELS[lv] for lv in policy.scope_levels])}, không áp dụng cho "
                       f"{LEVEL_LABELS[level]}.")
            others = level_policies(ctx, level, lead=[refusal])  # what that level does get, instead
            if others is not None:
                return others
            lines.append(refusal)
        else:
            lines.append("Có, với người thuộc các nhóm dưới đây" + (f" học {LEVEL_LABELS[level]}" if level else "") + ".")
    if ctx.asks("how_often", HOW_OFTEN_WORDS) and len({b.per for b in benefits}) == 1 and benefits[0].per in HOW_OFTEN:
        lines.append(HOW_OFTEN[benefits[0].per])  # the question asked, answered first
    months = ()
    if tiers and len(tiers) == len(benefits):
        months = months_options(policy)  # said with the other open points, in fewer words
        lines += scholarship_text(policy, ctx, months_line=False, only=tiers)
    else:
        shared = len({b.groups for b in benefits}) == 1
        for b in benefits:
            lines.append(hedge(f"{b.label}: {benefit_amount(b, ctx)} ({cite(b.source)})", b.source))
            if not shared:
                lines.append(f"Dành cho: {group_labels(policy, b)}.")
        if shared:
            lines.append(f"Dành cho: {group_labels(policy, benefits[0])}.")
    # The policy's own doubts first (in full, also the one the answer opens with), not one about another level
    # than the one asked ("học trung cấp ...": the sơ cấp doubt is not this person's).
    doubts = [d for d in all_doubts if not (level and _levels_of(d) and level not in _levels_of(d))]
    months_text = [f"được {' hay '.join(map(str, months))} tháng mỗi năm"] if months else []
    if doubts or months_text:
        said = lambda texts: "Đang được xác nhận: " + "; ".join(months_text + list(dict.fromkeys(texts))) + "."  # noqa: E731
        full = said(d.text for d in doubts)
        if len("\n".join(lines + [full])) > FIRST_MESSAGE_LIMIT:  # the same points, in their short words
            full = said(d.short or d.text for d in doubts)
        lines.append(full)
    if any(b.kind == "percent_of_base_salary" for b in benefits) and not tiers == benefits:
        lines.append(f"Số tiền tính theo {salary_basis(ctx)}.")
    buttons = [button("Em được hỗ trợ gì?", "check_eligibility"),
               button(f"Cả chính sách {policy.document.short.split('/')[0]}", "ask_policy", policy=policy.id)]
    if policy.papers:
        buttons.append(button("Hồ sơ cần nộp", "ask_policy", policy=policy.id, aspect="papers"))
    kept = [f"{policy.id}:{b.id}" for b in benefits]  # the support a short follow-up is about (bot/thread.py)
    return Reply("\n".join(lines), buttons, slots={"policy": policy.id, "benefit": kept})


_PERCENT = re.compile(r"(\d{2,3})\s*(?:%|phan tram\b)")


def percent_tiers(ctx: Context, policy: Optional[Policy]) -> List[Tuple[str, str]]:
    """The lương-cơ-sở tiers a message names by their percentage ("mức 80%", "60 phần trăm")."""
    text = without_denials(ctx.text)  # "mức 80% chứ không phải 60%"
    said = {int(p) for p in _PERCENT.findall(normalise(text)) + _PERCENT.findall(text)}
    if not said:
        return []
    policies = [policy] if policy else ctx.kb.policies_in_order()
    # "giảm 70%", "thế giảm 50%?": a tuition reduction is named by its percentage too.
    kinds = ("percent_of_base_salary", "tuition_reduction") if mentions(text, ("giảm",)) else ("percent_of_base_salary",)
    found = [(p.id, b.id) for p in policies for b in p.benefits
             if b.kind in kinds and b.percent is not None and int(b.percent) in said]
    return [k for k in found if k[0] == found[0][0]] if found else []


def remembered_benefits(ctx: Context) -> List[Tuple[str, str]]:
    """The supports the thread points to (the `benefit` entity bot/thread.py sets from the slot)."""
    out = []
    for key in ctx.entities.get("benefit", []):
        pid, _, bid = key.partition(":")
        if pid in ctx.kb.policies and ctx.kb.policies[pid].benefit(bid):
            out.append((pid, bid))
    return out


def _levels_of(doubt) -> Optional[Tuple[str, ...]]:
    """The levels a doubt is about when it depends on the level alone (`when: {level: so_cap}`)."""
    if set(doubt.when) != {"level"}:
        return None
    value = doubt.when["level"]
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def answer_policy(ctx: Context) -> Reply:
    policy = ctx.policy(remembered=False)
    if policy is None and (mentions(ctx.text, SALARY_WORDS) or salary_period_asked(ctx.kb, ctx)):
        return answer_salary(ctx)
    if policy is None and mentions(ctx.text, SCHOLARSHIP_WORDS):
        policy = ctx.kb.policies.get("qd53")
    if policy is None and (ctx.asks("papers", PAPERS_WORDS) or ctx.asks("who", WHO_WORDS)):
        policy = ctx.policy(remembered=True)
    if about_the_person(ctx):
        # "em người Kinh, nhà không nghèo, có được QĐ 53 không": what this person gets (and, for the
        # policy named, why not), rather than the policy in general.
        return answer_eligibility(ctx, ctx.slots.get("profile"))  # type: ignore[arg-type]
    named = ctx.match.benefits_in(ctx.text) or remembered_benefits(ctx)
    asked_of = policy or (ctx.kb.policies[named[0][0]] if named else None)
    if asked_of is not None and mentions(ctx.text, MONTHS_WORDS):  # "học bổng một năm được mấy tháng?"
        months = answer_months(asked_of, ctx)
        if months is not None:
            return months
    tiers_said = percent_tiers(ctx, policy or ctx.policy(remembered=True))  # "mức 60%": that tier of lương cơ sở
    if tiers_said:
        named = [k for k in named if k in tiers_said] or tiers_said
    if not named and not ctx.entity("aspect"):  # "học nghề nặng nhọc, độc hại được giảm bao nhiêu": that group's supports
        named = [(pid, b.id) for pid, gid in ctx.match.groups_in(ctx.text) if policy is None or pid == policy.id
                 for b in ctx.kb.policies[pid].benefits if gid in b.groups]
    if named and not ctx.asks("papers", PAPERS_WORDS) and not ctx.entity("aspect") and \
            (policy is None or all(p == policy.id for p, _ in named)):
        return answer_benefits(named, ctx)
    if policy is None:
        fixes = corrections(ctx)
        if fixes:  # "NĐ 81 còn áp dụng không?": the correction is the answer; the policies on buttons
            lead = "Không. " if is_yes_no(ctx.text) and not fixes[0].startswith(("Có", "Không", "Chưa")) else ""
            return Reply(lead + "\n".join(fixes), answer_policy_overview(ctx).buttons)
        return answer_policy_overview(ctx)
    return answer_one_policy(policy, ctx)
