"""Answers about support policies, lương cơ sở and what a person is entitled to."""

from __future__ import annotations

from typing import List, Optional

from bot.answers.context import Context
from bot.answers.format import according_to, bullets, cite, day, hedge, lower_first, vnd
from bot.answers.reply import Reply, button
from bot.kb.models import Benefit, KnowledgeBase, Policy
from bot.text import mentions

PAPERS_WORDS = ("hồ sơ", "giấy tờ", "thủ tục", "cần nộp", "nộp gì", "chuẩn bị gì", "cần những gì", "giấy gì")
WHO_WORDS = ("ai được", "đối tượng", "những ai", "điều kiện", "ai thì được", "nhóm nào", "ai được hưởng",
             "dân tộc nào", "những dân tộc", "các dân tộc")
SCHOLARSHIP_WORDS = ("học bổng", "học bổng chính sách")
SALARY_WORDS = ("lương cơ sở", "mức lương cơ sở", "lương tối thiểu")
PER_LABELS = {"month": "tháng", "year": "năm", "course": "khóa học"}


def _policy_buttons(policy: Optional[Policy]) -> List:
    buttons = []
    if policy and policy.papers:
        buttons.append(button("Hồ sơ cần nộp", "ask_policy", policy=policy.id, aspect="papers"))
    buttons.append(button("Em được hỗ trợ gì?", "check_eligibility"))
    others = [("nd238", "Miễn, giảm học phí"), ("qd53", "Chính sách nội trú"), ("nd57", "DTTS rất ít người")]
    buttons += [button(label, "ask_policy", policy=pid) for pid, label in others if not policy or pid != policy.id][:2]
    return buttons


def salary_text(kb: KnowledgeBase, ctx: Context) -> str:
    current = kb.salary.on(ctx.today)
    text = (f"Mức lương cơ sở hiện nay là {vnd(current.amount)}/tháng (áp dụng từ {day(current.effective_from)}, "
            f"theo {cite(current.source)}).")
    earlier = [p for p in kb.salary.periods if p.effective_from < current.effective_from]
    if earlier:
        prev = earlier[-1]
        text += f" Trước đó là {vnd(prev.amount)}/tháng từ {day(prev.effective_from)}."
    return text


def answer_salary(ctx: Context) -> Reply:
    text = salary_text(ctx.kb, ctx) + (
        "\nCác khoản tính theo lương cơ sở (như học bổng chính sách QĐ 53, hỗ trợ học tập NĐ 57) "
        "được tính lại theo mức này."
    )
    return Reply(text, [button("Học bổng chính sách", "ask_policy", policy="qd53"),
                        button("Em được hỗ trợ gì?", "check_eligibility")])


def benefit_amount(benefit: Benefit, ctx: Context) -> str:
    if benefit.kind == "percent_of_base_salary":
        amount = benefit.monthly_amount(ctx.kb.salary, ctx.today)
        return f"{benefit.percent:g}% lương cơ sở = {vnd(amount)}/tháng"
    if benefit.kind == "fixed_amount":
        return f"{vnd(benefit.amount)}/{PER_LABELS[benefit.per]}"
    return f"giảm {benefit.percent:g}% học phí" if benefit.kind == "tuition_reduction" else "miễn 100% học phí"


def _group_labels(policy: Policy, benefit: Benefit) -> str:
    return "; ".join(policy.group(g).short_label for g in benefit.groups)


def salary_basis(ctx: Context) -> str:
    current = ctx.kb.salary.on(ctx.today)
    return f"lương cơ sở {vnd(current.amount)}/tháng từ {day(current.effective_from)}"


def _open_questions_line(policy: Policy) -> Optional[str]:
    if not policy.open_questions:
        return None
    return "Đang được xác nhận: " + "; ".join(q.text[0].lower() + q.text[1:] for q in policy.open_questions[:2]) + "."


def scholarship_text(policy: Policy, ctx: Context) -> List[str]:
    """Lines for the percentage-of-lương-cơ-sở benefits, one per tier, with amounts for today."""
    tiers = [b for b in policy.benefits if b.kind == "percent_of_base_salary"]
    if not tiers:
        return []
    head = f"{according_to(tiers[0].source)}, {lower_first(tiers[0].label)} tính theo {salary_basis(ctx)}:"
    lines = [f"{benefit_amount(b, ctx)}: {_group_labels(policy, b)}" for b in tiers]
    return [hedge(head, tiers[0].source), bullets(lines)]


def _benefits_text(policy: Policy, ctx: Context) -> List[str]:
    if any(b.kind == "percent_of_base_salary" for b in policy.benefits):
        lines = scholarship_text(policy, ctx)
        others = [b for b in policy.benefits if b.kind != "percent_of_base_salary"]
        if others:
            lines.append("Ngoài ra:")
            lines.append(bullets(f"{b.label}: {benefit_amount(b, ctx)}" for b in others))
        return lines
    head = f"Theo {policy.document.short}:"
    body = bullets(f"{benefit_amount(b, ctx).capitalize()}: {_group_labels(policy, b)} ({cite(b.source)})"
                   for b in policy.benefits)
    lines = [head, body]
    if policy.stacking:
        lines.append(policy.stacking.text)
    return lines


def answer_one_policy(policy: Policy, ctx: Context) -> Reply:
    slots = {"policy": policy.id}
    if not policy.benefits:
        text = "\n".join([
            f"{policy.document.short}: {policy.summary.text}",
            f"{policy.scope.text} Mình chưa thể nêu đối tượng hay số tiền cụ thể khi chưa có văn bản gốc; "
            "câu hỏi của bạn đã được ghi lại để cán bộ tuyển sinh trả lời.",
        ])
        return Reply(text, [button("Gặp cán bộ tư vấn", "request_human"), button("Thông tin liên hệ", "ask_contact"),
                            button("Chính sách nội trú QĐ 53", "ask_policy", policy="qd53")],
                     unanswered_reason="unverified_policy", slots=slots)
    if ctx.asks("papers", PAPERS_WORDS) and policy.papers:
        lines = [f"Hồ sơ đề nghị hưởng {policy.name.lower()} ({policy.document.short}):"]
        lines.append(bullets(hedge(p.text, p.source) for p in policy.papers))
        lines += [n.text for n in policy.notes[:1]]
        return Reply("\n".join(lines), _policy_buttons(policy), slots=slots)
    if ctx.asks("who", WHO_WORDS) and policy.groups:
        lines = [f"{according_to(policy.groups[0].source)}, đối tượng được hưởng gồm:"]
        lines.append(bullets(g.label for g in policy.groups))
        if policy.ethnic_groups:
            lines.append(f"{len(policy.ethnic_groups)} dân tộc: {', '.join(policy.ethnic_groups)}. "
                         f"Ở Lai Châu có: {', '.join(policy.ethnic_groups_in_lai_chau)}.")
        lines.append(policy.scope.text)
        return Reply("\n".join(lines), _policy_buttons(policy), slots=slots)
    if ctx.asks("scholarship", SCHOLARSHIP_WORDS) and any(b.kind == "percent_of_base_salary" for b in policy.benefits):
        lines = scholarship_text(policy, ctx) + [policy.scope.text]
    else:
        lines = [f"{policy.name} ({policy.document.short}): {policy.summary.text}"] + _benefits_text(policy, ctx)
    oq = _open_questions_line(policy)
    if oq:
        lines.append(oq)
    return Reply("\n".join(lines), _policy_buttons(policy), slots=slots)


def answer_policy_overview(ctx: Context) -> Reply:
    lines = ["Người học nghề ở Lai Châu có thể được hỗ trợ theo các chính sách:"]
    lines.append(bullets(f"{p.name}: {p.document.short}" for p in ctx.kb.policies.values()))
    lines.append(salary_text(ctx.kb, ctx))
    lines.append("Bạn muốn xem chính sách nào, hay kiểm tra bạn được hưởng gì?")
    buttons = [button(p.name, "ask_policy", policy=p.id) for p in ctx.kb.policies.values() if p.benefits][:3]
    return Reply("\n".join(lines), buttons + [button("Em được hỗ trợ gì?", "check_eligibility")])


def answer_policy(ctx: Context) -> Reply:
    policy = ctx.policy(remembered=False)
    if policy is None and mentions(ctx.text, SALARY_WORDS):
        return answer_salary(ctx)
    if policy is None and mentions(ctx.text, SCHOLARSHIP_WORDS):
        policy = ctx.kb.policies.get("qd53")
    if policy is None and (ctx.asks("papers", PAPERS_WORDS) or ctx.asks("who", WHO_WORDS)):
        policy = ctx.policy(remembered=True)
    if policy is None:
        return answer_policy_overview(ctx)
    return answer_one_policy(policy, ctx)
