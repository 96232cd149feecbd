"""How a support and its amount are worded: one place for the policy answers and the
support check ("học bổng chính sách 2.530.000 đ/tháng", "miễn học phí", "tối đa 6.000.000 đ/khóa").

Amounts of lương cơ sở percentages are computed for the day of the question from the dated
table (knowledge_base/base_salary.yml); the caller says that basis once per reply.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Sequence

from bot.answers.format import day, join_names, vnd
from bot.kb.models import Benefit, KnowledgeBase, Policy

PER_LABELS = {"month": "tháng", "year": "năm", "course": "khóa học"}


def amount_text(benefit: Benefit, kb: KnowledgeBase, on: dt.date) -> str:
    """'100% lương cơ sở = 2.530.000 đ/tháng', '150.000 đ/năm', 'miễn 100% học phí'..."""
    if benefit.kind == "percent_of_base_salary":
        amount = benefit.monthly_amount(kb.salary, on)
        return f"{benefit.percent:g}% lương cơ sở = {vnd(amount)}/tháng"  # type: ignore[arg-type]
    if benefit.kind == "fixed_amount":
        money = f"{vnd(benefit.amount)}/{PER_LABELS[benefit.per]}"  # type: ignore[arg-type,index]
        return f"tối đa {money}" if benefit.up_to else money
    if benefit.kind == "amount_unknown":
        return "mức hỗ trợ đang được xác nhận"
    return f"giảm {benefit.percent:g}% học phí" if benefit.kind == "tuition_reduction" else "miễn 100% học phí"


def short_amount(benefit: Benefit, kb: KnowledgeBase, on: dt.date) -> str:
    """The amount in a few characters, for a phone-sized line: '2.530.000 đ/tháng', '1.000.000 đ (một lần)'."""
    if benefit.kind == "percent_of_base_salary":
        return f"{vnd(benefit.monthly_amount(kb.salary, on))}/tháng"  # type: ignore[arg-type]
    if benefit.kind == "fixed_amount":
        if benefit.up_to:
            return f"tối đa {vnd(benefit.amount)}/{'khóa' if benefit.per == 'course' else PER_LABELS[benefit.per]}"  # type: ignore[arg-type,index]
        return vnd(benefit.amount) + (" (một lần)" if benefit.per == "course" else f"/{PER_LABELS[benefit.per]}")  # type: ignore[arg-type,index]
    if benefit.kind == "amount_unknown":
        return "(mức đang được xác nhận)"
    return ""


def item_text(benefit: Benefit, kb: KnowledgeBase, on: dt.date, months_note: bool = True, tiered: bool = False) -> str:
    """'học bổng chính sách 2.024.000 đ/tháng (80% lương cơ sở; 10 hay 12 tháng/năm: đang xác nhận)':
    the percentage stays with the amount, so the tier is plain ("tốt nghiệp nội trú được mấy phần trăm?")."""
    name = benefit.short_label
    amount = short_amount(benefit, kb, on)
    text = f"{name} {amount}".strip()
    # The percentage names the tier, where a support has several (học bổng 100/80/60%).
    notes = [f"{benefit.percent:g}% lương cơ sở"] if benefit.kind == "percent_of_base_salary" and tiered else []
    if months_note and benefit.kind == "percent_of_base_salary" and not benefit.months_per_year \
            and benefit.months_per_year_options:
        options = " hay ".join(str(m) for m in benefit.months_per_year_options)
        notes.append(f"{options} tháng/năm: đang xác nhận")
    return text + (f" ({'; '.join(notes)})" if notes else "")


def salary_basis(kb: KnowledgeBase, on: dt.date) -> str:
    current = kb.salary.on(on)
    return f"lương cơ sở {vnd(current.amount)}/tháng từ {day(current.effective_from)}"


def group_labels(policy: Policy, benefit: Benefit) -> str:
    """The groups of a benefit; a group with a doubt on this benefit is marked."""
    labels = []
    for gid in benefit.groups:
        label = policy.group(gid).short_label
        if any(not d.groups or gid in d.groups for d in benefit.doubts):
            label += " (đang xác nhận)"
        labels.append(label)
    return "; ".join(labels)


def joined_items(texts: Sequence[str]) -> str:
    return "; ".join(t for t in texts if t)


def names_list(names: Iterable[str], limit: int = 3) -> str:
    items = list(dict.fromkeys(n for n in names if n))
    if len(items) > limit:
        return ", ".join(items[:limit]) + "..."
    return join_names(items, "hoặc")

