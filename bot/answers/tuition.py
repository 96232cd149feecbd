"""Học phí: the programme's fee (when published) and who pays less under NĐ 238."""

from __future__ import annotations

from typing import List, Optional

import datetime as dt

from bot.answers.context import Context
from bot.answers.fit import wants_everything
from bot.answers.format import cite, vnd
from bot.answers.programmes import programme_buttons, unknown_programme_reply
from bot.answers.policies import level_doubts, open_at_level, stacking_lines
from bot.answers.reply import Reply, button
from bot.eligibility import NO, Facts
from bot.kb.models import LEVEL_LABELS, KnowledgeBase, Policy, Programme
from bot.profile import Profile

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


GROUPS_SHOWN = 2  # per line in the first message; the support check finds the person's own


def exemption_lines(policy: Policy, kb: KnowledgeBase, level: Optional[str] = None, every_group: bool = False) -> List[str]:
    """One line per tuition benefit, for the level asked about: 'Miễn học phí (Điều 15 NĐ
    238/2025/NĐ-CP): a, b, c và 3 nhóm khác'; a doubt about the level said once."""
    lines = []
    facts = Facts(Profile(level=level), kb) if level else None
    for b in policy.benefits:
        if b.kind not in ("tuition_exemption", "tuition_reduction"):
            continue
        first = not lines
        groups = [policy.group(g) for g in b.groups if open_at_level(policy.group(g).conditions, facts)]
        if not groups:
            continue
        # Groups most people can tell they are in come first (person_facts.yml `common`).
        groups.sort(key=lambda g: not all(kb.facts.facts[f].common for f in g.conditions if f in kb.facts.facts))
        shown = len(groups) if every_group else GROUPS_SHOWN if first else 1  # exemption first, then reductions
        names = "; ".join(g.short_label for g in groups[:shown])
        more = f" và {len(groups) - shown} nhóm khác" if len(groups) > shown else ""
        lines.append(f"• {b.label} ({b.source.article or cite(b.source)}): {names}{more}.")
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
        level = ctx.level() or (prog.levels[0] if prog is not None and len(prog.levels) == 1 else None)
        doubts = level_doubts(nd238, level, ctx.kb)
        by = f"theo {nd238.document.short}"
        if level and doubts:  # the whole policy is unsure for this level: said in the heading
            lines.append(f"Người học {LEVEL_LABELS[level]} có thể được miễn hoặc giảm học phí {by} "
                         f"(đang xác nhận: {'; '.join(doubts)}):")
        else:
            lines.append(f"Nhiều bạn được miễn hoặc giảm học phí {by}" + (f" khi học {LEVEL_LABELS[level]}:" if level else ":"))
        lines += exemption_lines(nd238, ctx.kb, level, every_group=wants_everything(ctx))
        if doubts and not level:
            lines.append(f"Đang được xác nhận: {'; '.join(doubts)}.")
    lines.append("Bạn muốn kiểm tra mình có được miễn, giảm không?")
    buttons = [button("Kiểm tra giúp em", "check_eligibility"), button("Học bổng chính sách", "ask_policy", policy="qd53")]
    if not wants_everything(ctx):
        buttons.insert(1, button("Ai được miễn, giảm?", "ask_policy", policy="nd238", aspect="who"))
    if prog is None:
        buttons += programme_buttons(ctx, "ask_tuition", [p.id for p in ctx.programme_family()] or None, limit=2)
    slots["pending_offer"] = "check_eligibility"
    return Reply("\n".join(lines), buttons, slots=slots)
