"""Học phí: the programme's fee (when published) and who pays less under NĐ 238."""

from __future__ import annotations

from typing import List

import datetime as dt

from bot.answers.context import Context
from bot.answers.format import cite, vnd
from bot.answers.programmes import programme_buttons, unknown_programme_reply
from bot.answers.policies import stacking_lines
from bot.answers.reply import Reply, button
from bot.kb.models import KnowledgeBase, Policy, Programme

SCHOOL_YEAR_STARTS = 8  # enrolment for a school year opens in August: from then on, "this" year is the next one


def school_year(on: dt.date) -> str:
    """'2026-2027' for any day from 01/08/2026 to 31/07/2027."""
    first = on.year if on.month >= SCHOOL_YEAR_STARTS else on.year - 1
    return f"{first}-{first + 1}"


def fee_text(prog: Programme, level, on: dt.date) -> str:
    offerings = [o for o in prog.offerings if level in (None, o.level)] or list(prog.offerings)
    known = [o for o in offerings if o.fee_per_month is not None]
    if not known:
        return f"Học phí nghề {prog.name} năm học {school_year(on)}: trường chưa công bố."
    parts = [f"{o.level_label} {vnd(o.fee_per_month)}/tháng" for o in known]
    return f"Học phí nghề {prog.name}: {', '.join(parts)}" + (" (thông tin tham khảo)." if prog.is_draft else ".")


def exemption_lines(policy: Policy, kb: KnowledgeBase) -> List[str]:
    """One line per tuition benefit: 'Miễn học phí (Điều 15 NĐ 238/2025/NĐ-CP): a, b, c'."""
    lines = []
    for b in policy.benefits:
        if b.kind not in ("tuition_exemption", "tuition_reduction"):
            continue
        groups = ", ".join(policy.group(g).short_label for g in b.groups)
        scope = " (người học sơ cấp: đang xác nhận)" if any(d.when.get("level") == "so_cap" for d in policy.doubts) else ""
        lines.append(f"• {b.label} ({cite(b.source)}): {groups}{scope}.")
    lines += stacking_lines(policy, kb)
    return lines


def answer_tuition(ctx: Context) -> Reply:
    prog = ctx.programme()
    if prog is None and ctx.unknown_programme():
        return unknown_programme_reply(ctx, ctx.unknown_programme())
    lines = []
    slots = {}
    if prog is not None:
        lines.append(fee_text(prog, ctx.level(), ctx.today))
        slots["programme"] = prog.id
    else:
        lines.append(f"Học phí từng nghề năm học {school_year(ctx.today)} trường chưa công bố.")
    nd238 = ctx.kb.policies.get("nd238")
    if nd238:
        lines.append("Nhiều bạn được miễn hoặc giảm học phí:")
        lines += exemption_lines(nd238, ctx.kb)
    lines.append("Bạn muốn kiểm tra mình có được miễn, giảm không?")
    buttons = [button("Kiểm tra giúp em", "check_eligibility"), button("Học bổng chính sách", "ask_policy", policy="qd53")]
    if prog is None:
        buttons += programme_buttons(ctx, "ask_tuition", limit=2)
    slots["pending_offer"] = "check_eligibility"
    return Reply("\n".join(lines), buttons, slots=slots)
