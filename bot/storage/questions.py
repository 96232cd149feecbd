"""Unanswered questions: recorded by the assistant, reviewed by staff."""

from __future__ import annotations

from typing import List, Optional

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from bot.storage.db import session_scope
from bot.storage.models import AnswerStat, UnansweredQuestion

MAX_TEXT = 2000


def record_unanswered(text: str, channel: str, sender_id: str, reason: str,
                      intent: Optional[str] = None, confidence: Optional[float] = None,
                      url: Optional[str] = None) -> int:
    """Store the question; returns its id."""
    with session_scope(url) as session:
        row = UnansweredQuestion(
            text=text[:MAX_TEXT], channel=channel[:32] or "unknown", sender_id=sender_id[:128],
            reason=reason, intent=intent, confidence=confidence,
        )
        session.add(row)
        session.flush()
        return row.id


def list_unanswered(limit: int = 100, status: str = "new", url: Optional[str] = None) -> List[UnansweredQuestion]:
    with session_scope(url) as session:
        stmt = (select(UnansweredQuestion).where(UnansweredQuestion.status == status)
                .order_by(UnansweredQuestion.asked_at.desc()).limit(limit))
        return list(session.scalars(stmt))


def count_for_sender(sender_id: str, url: Optional[str] = None) -> int:
    with session_scope(url) as session:
        stmt = select(func.count()).select_from(UnansweredQuestion).where(UnansweredQuestion.sender_id == sender_id)
        return session.scalar(stmt) or 0


def count_answered(day: dt.date, url: Optional[str] = None) -> None:
    """One more question answered on `day` (an atomic increment; the first of the day inserts)."""
    for _ in range(2):
        try:
            with session_scope(url) as session:
                done = session.execute(update(AnswerStat).where(AnswerStat.day == day)
                                       .values(answered=AnswerStat.answered + 1)).rowcount
                if not done:
                    session.add(AnswerStat(day=day, answered=1))
            return
        except IntegrityError:  # another process inserted the day first: increment instead
            continue


def answered_between(start: Optional[dt.date], end: Optional[dt.date], url: Optional[str] = None) -> int:
    with session_scope(url) as session:
        stmt = select(func.coalesce(func.sum(AnswerStat.answered), 0))
        if start:
            stmt = stmt.where(AnswerStat.day >= start)
        if end:
            stmt = stmt.where(AnswerStat.day <= end)
        return int(session.scalar(stmt) or 0)
