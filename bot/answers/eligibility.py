"""check_eligibility: every support a person qualifies for, with amounts, documents and papers.

The decisions are bot.eligibility's (read from the knowledge-base policy data); this
module only words them. A person who gives no facts, or who asks to answer more, gets
the short form (bot.advisors.support_form) instead: the Reply asks the chat layer to
run it next (`follow_up`).
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence

from bot.advisors import support_form
from bot.answers.context import Context
from bot.answers.format import bullets, cite, hedge, vnd
from bot.answers.policies import benefit_amount, salary_basis
from bot.answers.reply import Reply, button
from bot.eligibility import (COMMON_FACTS, FACT_QUESTIONS, Assessment, Entitlement, course_months, course_total,
                             evaluate)
from bot.kb.models import LEVEL_LABELS, Policy
from bot.profile import Profile, describe, extract_for

FORM = "eligibility_form"
CONTINUE = "continue"  # the `advisor` entity of the "answer more questions" button
REGISTER_OFFER = "Bạn có muốn để lại thông tin để cán bộ tuyển sinh hướng dẫn làm hồ sơ hưởng hỗ trợ không?"


def profile_of(ctx: Context, remembered: Optional[Dict[str, object]] = None) -> Profile:
    """What the person said about themselves so far, with this message's facts on top."""
    now = extract_for(ctx.kb, ctx.text, ctx.entities)
    level = ctx.level()
    if level and now.level is None:
        now.level = level
    return Profile.from_slot(remembered).merged(now)


def _range(low: int, high: int) -> str:
    return vnd(low) if low == high else f"{vnd(low)} - {vnd(high)}"


def _amount_line(e: Entitlement, ctx: Context, months: Optional[int]) -> str:
    line = f"{e.benefit.label}: {benefit_amount(e.benefit, ctx)}"
    total = course_total(e, months) if months else None
    if total and e.benefit.per != "course":
        line += f"; cả khóa {months} tháng: {_range(*total)}"
        if e.benefit.kind == "percent_of_base_salary" and not e.benefit.months_per_year:
            line += " (tùy được hưởng 10 hay 12 tháng mỗi năm, đang được xác nhận)"
    return hedge(f"{line} ({cite(e.benefit.source)})", e.benefit.source)


def _papers(entitled: Sequence[Entitlement]) -> List[str]:
    """Per policy: its application form (the first paper listed) and the proof of each group."""
    lines = []
    by_policy: Dict[str, List[Entitlement]] = {}
    for e in entitled:
        by_policy.setdefault(e.policy.id, []).append(e)
    for items in by_policy.values():
        policy = items[0].policy
        papers: List[str] = [hedge(policy.papers[0].text, policy.papers[0].source)] if policy.papers else []
        for e in items:
            for proof in e.group.proof:
                text = hedge(proof.text, proof.source)
                if text not in papers:
                    papers.append(text)
        if papers:
            lines.append(f"{policy.name} ({policy.document.short}): " + "; ".join(papers))
    return lines


def _still_open(entitled: Sequence[Entitlement]) -> List[str]:
    """Rules the answer depends on that are not verified yet (the first two of each policy)."""
    seen: List[Policy] = []
    for e in entitled:
        if e.policy not in seen:
            seen.append(e.policy)
    return [q.text for p in seen for q in p.open_questions[:2]][:5]


def _possible(result: Assessment) -> List[Entitlement]:
    have = {(e.policy.id, e.benefit.label) for e in result.entitled}
    return [e for e in result.possible if (e.policy.id, e.benefit.label) not in have and set(e.missing) <= COMMON_FACTS]


def result_reply(ctx: Context, profile: Profile, asked: Sequence[str] = ()) -> Reply:
    """The answer for what is known now; offers the remaining questions, then registration."""
    result = evaluate(profile, ctx.kb, ctx.today)
    prog = ctx.programme()
    offering = prog.offering(profile.level) if prog else None
    months = course_months(ctx.kb, profile.level, offering.duration_months if offering else None)
    said = describe(profile)
    lines = [f"Với thông tin bạn cho biết ({said}), tính theo {salary_basis(ctx)}:" if said
             else f"Tính theo {salary_basis(ctx)}:"]
    if result.entitled:
        lines.append("Bạn được hưởng:")
        lines.append(bullets(_amount_line(e, ctx, months) for e in result.entitled))
        if months is None:
            lines.append("Cho mình biết trình độ muốn học để tính tổng tiền cả khóa.")
        elif not offering:
            lines.append(f"Tổng cả khóa tính cho khóa {LEVEL_LABELS[profile.level]} dài nhất trong danh mục "  # type: ignore[index]
                         f"({months} tháng), theo lương cơ sở hiện nay.")
    if result.superseded:
        names = ", ".join(e.benefit.label.lower() for e in result.superseded)
        rule = result.superseded[0].policy
        lines.append(f"Bạn cũng thuộc diện {names}, nhưng chỉ được hưởng một mức miễn, giảm học phí cao nhất "
                     f"({cite(rule.stacking.source) if rule.stacking else rule.document.short}).")
    possible = _possible(result)
    if possible:
        asks = [FACT_QUESTIONS[m] for m in dict.fromkeys(m for e in possible for m in e.missing)][:3]
        names = list(dict.fromkeys(f"{e.benefit.label} ({e.policy.document.short})" for e in possible))
        lines.append(("Có thể được thêm" if result.entitled else "Bạn có thể được") + ", tùy vào: " + "; ".join(asks) + ":")
        lines.append(bullets(names[:4]))
    if not result.anything:
        lines.append("Với thông tin hiện có, mình chưa thấy khoản hỗ trợ nào phù hợp. "
                     "Cán bộ tuyển sinh có thể xem kỹ hơn trường hợp của bạn.")
    papers = _papers(result.entitled)
    if papers:
        lines.append("Hồ sơ cần chuẩn bị:")
        lines.append(bullets(papers))
    if profile.orphan_partial and not profile.orphan:
        lines.append("Lưu ý: miễn học phí theo NĐ 238 dành cho người mồ côi cả cha lẫn mẹ, không nơi nương tựa.")
    if profile.public_school is None and any(e.policy.public_institution_only for e in result.entitled + possible):
        lines.append("Các khoản theo QĐ 53 chỉ áp dụng khi học tại trường công lập.")
    open_rules = _still_open(result.entitled)
    if open_rules:
        lines.append("Đang được xác nhận: " + "; ".join(q[0].lower() + q[1:] for q in open_rules) + ".")
    unverified = [p for p in ctx.kb.policies.values() if not p.benefits]
    if unverified:
        lines.append(" ".join(f"{p.name} ({p.document.short}) có thể có thêm hỗ trợ; nội dung đang được xác nhận."
                              for p in unverified))
    remaining = support_form.open_questions(profile, asked, ctx.kb, ctx.today)
    buttons = []
    if remaining:
        lines.append(f"Trả lời thêm {len(remaining)} câu ngắn để mình tính chính xác hơn?")
        buttons.append(button(f"Trả lời thêm {len(remaining)} câu", "check_eligibility", advisor=CONTINUE))
    lines.append(REGISTER_OFFER)
    buttons += [button("Có, đăng ký tư vấn", "affirm"), button("Gặp cán bộ tư vấn", "request_human")]
    return Reply("\n".join(lines), buttons,
                 slots={"profile": profile.as_slot() or None, "pending_offer": "register_interest", "lead_offered": True})


def answer_eligibility(ctx: Context, remembered: Optional[Dict[str, object]] = None) -> Reply:
    profile = profile_of(ctx, remembered)
    if profile.is_empty() or ctx.entity("advisor") == CONTINUE:
        intro = ("Mình sẽ hỏi vài câu ngắn (bấm chọn câu trả lời) để tính các khoản hỗ trợ bạn được hưởng. "
                 "Bạn có thể bấm \"Xem kết quả luôn\" bất cứ lúc nào.") if profile.is_empty() else "Mình hỏi thêm vài câu nhé."
        return Reply(intro, slots={"profile": profile.as_slot() or None}, follow_up=FORM)
    return result_reply(ctx, profile)
