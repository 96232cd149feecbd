"""Career quiz results: stored anonymously, linked to a lead only when the person registers,
and counted per xã/phường for the admissions staff."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional

from sqlalchemy import select, update

from bot.storage.db import session_scope
from bot.storage.models import QuizResult
from bot.text import fold

UNKNOWN_COMMUNE = "(không nêu)"


def record_result(summary: Mapping[str, object], channel: str, url: Optional[str] = None) -> int:
    """Store a finished quiz (bot.advisors.quiz.summary); returns its id."""
    with session_scope(url) as session:
        row = QuizResult(
            channel=channel[:32] or "unknown", commune=(summary.get("commune") or None),
            top_types=str(summary["top_types"])[:3], scores=dict(summary["scores"]),  # type: ignore[arg-type]
            levels=list(summary["levels"]), place=str(summary["place"]),  # type: ignore[arg-type]
            programmes=list(summary["programmes"]),  # type: ignore[arg-type]
        )
        session.add(row)
        session.flush()
        return row.id


def link_to_lead(result_id: int, reference: str, url: Optional[str] = None) -> None:
    with session_scope(url) as session:
        session.execute(update(QuizResult).where(QuizResult.id == result_id).values(lead_reference=reference))


@dataclass
class CommuneInterests:
    commune: str
    people: int = 0
    types: Counter = field(default_factory=Counter)  # how many people have each type among their top types
    programmes: Counter = field(default_factory=Counter)  # how often each programme was recommended

    def top_programmes(self, n: int = 3) -> List[str]:
        return [p for p, _ in self.programmes.most_common(n)]


def interests_by_commune(since: Optional[dt.date] = None, until: Optional[dt.date] = None,
                         url: Optional[str] = None) -> List[CommuneInterests]:
    """Per xã/phường (most answers first): people, their top Holland types and recommended programmes."""
    stmt = select(QuizResult.commune, QuizResult.top_types, QuizResult.programmes)
    if since:
        stmt = stmt.where(QuizResult.completed_at >= dt.datetime.combine(since, dt.time(), dt.timezone.utc))
    if until:
        stmt = stmt.where(QuizResult.completed_at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.timezone.utc))
    rows: Dict[str, CommuneInterests] = {}
    with session_scope(url) as session:
        for commune, top, programmes in session.execute(stmt):
            # "Bản Lang", "bản lang" and "Ban Lang" are one place.
            entry = rows.setdefault(fold(commune) if commune else "", CommuneInterests(commune or UNKNOWN_COMMUNE))
            entry.people += 1
            entry.types.update(top)
            entry.programmes.update(programmes or [])
    return sorted(rows.values(), key=lambda r: (-r.people, r.commune))
