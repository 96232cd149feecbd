"""Học phí: the programme's fee (when published) and who pays less under NĐ 238."""

from __future__ import annotations

from typing import List

from bot.answers.context import Context
from bot.answers.format import cite, vnd
from bot.answers.programmes import programme_buttons, unknown_programme_reply
from bot.answers.reply import Reply, button
from bot.kb.models import Policy, Programme


def fee_text(prog: Programme, level) -> str:
    offerings = [o for o in prog.offerings if level in (None, o.level)] or list(prog.offerings)
    known = [o for o in offerings if o.fee_per_month is not None]
    if not known:
        return f"Học phí nghề {prog.name} năm học 2026-2027: trường chưa công bố."
    parts = [f"{o.level_label} {vnd(o.fee_per_month)}/tháng" for o in known]
    return f"Học phí nghề {prog.name}: {', '.join(parts)}" + (" (thông tin tham khảo)." if prog.is_draft else ".")


def exemption_lines(policy: Policy) -> List[str]:
    """One line per tuition benefit: 'Miễn học phí (Điều 15 NĐ 238/2025/NĐ-CP): a, b, c'."""
    lines = []
    for b in policy.benefits:
        if b.kind not in ("tuition_exemption", "tuition_reduction"):
            continue
        groups = ", ".join(policy.group(g).short_label for g in b.groups)
        lines.append(f"• {b.label} ({cite(b.source)}): {groups}.")
    if policy.stacking:
        lines.append(policy.stacking.text)
    return lines


def answer_tuition(ctx: Context) -> Reply:
    prog = ctx.programme()
    if prog is None and ctx.unknown_programme():
        return unknown_programme_reply(ctx, ctx.unknown_programme())
    lines = []
    slots = {}
    if prog is not None:
        lines.append(fee_text(prog, ctx.level()))
        slots["programme"] = prog.id
    else:
        lines.append("Học phí từng nghề năm học 2026-2027 trường chưa công bố.")
    nd238 = ctx.kb.policies.get("nd238")
    if nd238:
        lines.append("Nhiều bạn được miễn hoặc giảm học phí:")
        lines += exemption_lines(nd238)
    lines.append("Bạn muốn kiểm tra mình có được miễn, giảm không?")
    buttons = [button("Kiểm tra giúp em", "check_eligibility"), button("Học bổng chính sách", "ask_policy", policy="qd53")]
    if prog is None:
        buttons += programme_buttons(ctx, "ask_tuition", limit=2)
    slots["pending_offer"] = "check_eligibility"
    return Reply("\n".join(lines), buttons, slots=slots)
