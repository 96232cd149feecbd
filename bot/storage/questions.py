"""Unanswered questions: recorded by the assistant, reviewed by staff."""

from __future__ import annotations

from typing import List, Optional

from sqlalchemy import func, select

from bot.storage.db import session_scope
from bot.storage.models import UnansweredQuestion

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
