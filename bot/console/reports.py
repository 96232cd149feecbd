"""Figures for the reports page: leads per week, by programme, xã/phường, target group, channel,
conversion through the status workflow, and questions the assistant could not answer.
No personal data: only counts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from sqlalchemy import func, select

from bot.kb import get_kb
from bot.leads.form import ROLES as PERSON_ROLES
from bot.storage.db import session_scope
from bot.storage.models import Lead, QuizResult, UnansweredQuestion

# How far each status has come along mới → đã liên hệ → đã nộp hồ sơ → nhập học.
STAGES = ("new", "contacted", "applied", "enrolled")
REACHED = {"new": 0, "waiting_human": 0, "contacted": 1, "applied": 2, "enrolled": 3, "dropped": 0}


@dataclass
class Summary:
    total: int = 0
    by_status: List[Tuple[str, int]] = field(default_factory=list)
    per_week: List[Tuple[str, int]] = field(default_factory=list)
    by_programme: List[Tuple[str, int]] = field(default_factory=list)
    by_commune: List[Tuple[str, int]] = field(default_factory=list)
    by_group: List[Tuple[str, int]] = field(default_factory=list)
    by_channel: List[Tuple[str, int]] = field(default_factory=list)
    funnel: List[Tuple[str, int]] = field(default_factory=list)
    unanswered: int = 0
    quizzes: int = 0

    @staticmethod
    def widest(rows: List[Tuple[str, int]]) -> int:
        return max([n for _, n in rows] + [1])


def _counted(session, column, limit: Optional[int] = None) -> List[Tuple[str, int]]:
    stmt = select(column, func.count()).group_by(column).order_by(func.count().desc())
    if limit:
        stmt = stmt.limit(limit)
    return [(value or "(không rõ)", n) for value, n in session.execute(stmt)]


def summary(url: Optional[str] = None, weeks: int = 12, today: Optional[dt.date] = None) -> Summary:
    kb = get_kb()
    names = {p.id: p.name for p in kb.programmes}
    today = today or dt.date.today()
    since = today - dt.timedelta(weeks=weeks)
    out = Summary()
    with session_scope(url) as session:
        out.total = session.scalar(select(func.count(Lead.id))) or 0
        out.by_status = _counted(session, Lead.status)
        out.by_channel = _counted(session, Lead.channel)
        out.by_commune = _counted(session, Lead.commune, limit=15)
        out.by_group = [(PERSON_ROLES.get(role, role), n) for role, n in _counted(session, Lead.role)]
        programmes: Counter = Counter()
        for (ids,) in session.execute(select(Lead.programmes)):
            programmes.update(ids or ["(chưa chọn)"])
        out.by_programme = [(names.get(p, p), n) for p, n in programmes.most_common(15)]
        weekly: Counter = Counter()
        start = dt.datetime.combine(since, dt.time(), dt.timezone.utc)
        for (created,) in session.execute(select(Lead.created_at).where(Lead.created_at >= start)):
            monday = created.date() - dt.timedelta(days=created.weekday())
            weekly[monday] += 1
        first = since - dt.timedelta(days=since.weekday())
        out.per_week = [((first + dt.timedelta(weeks=i)).strftime("%d/%m"), weekly.get(first + dt.timedelta(weeks=i), 0))
                        for i in range(weeks + 1)]
        statuses = dict(out.by_status)
        out.funnel = [(stage, sum(n for s, n in statuses.items() if REACHED.get(s, 0) >= i))
                      for i, stage in enumerate(STAGES)]
        out.unanswered = session.scalar(select(func.count(UnansweredQuestion.id))) or 0
        out.quizzes = session.scalar(select(func.count(QuizResult.id))) or 0
    return out
