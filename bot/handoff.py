"""Conversations handed to a counsellor: requested by the person (request_human) or after the
assistant failed twice in a row; taken by a counsellor in the console; closed to hand back."""

from __future__ import annotations

from typing import List, Optional

from sqlalchemy import select

from bot.storage.db import session_scope
from bot.storage.models import Handoff, HandoffMessage, utcnow

OPEN = ("waiting", "active")


class HandoffError(ValueError):
    """A Vietnamese message for the counsellor."""


def request(sender_id: str, channel: str, reason: str, reference: Optional[str] = None,
            url: Optional[str] = None) -> int:
    """Open a handoff for this person, or return the one already open."""
    with session_scope(url) as session:
        existing = session.scalar(select(Handoff).where(Handoff.sender_id == sender_id, Handoff.status.in_(OPEN)))
        if existing:
            existing.lead_reference = existing.lead_reference or reference
            return existing.id
        row = Handoff(sender_id=sender_id[:128], channel=channel[:32], reason=reason, lead_reference=reference)
        session.add(row)
        session.flush()
        return row.id


def is_open_for(sender_id: str, url: Optional[str] = None) -> bool:
    with session_scope(url) as session:
        return session.scalar(select(Handoff.id).where(Handoff.sender_id == sender_id, Handoff.status.in_(OPEN))) is not None


def inbox(url: Optional[str] = None, closed: int = 20) -> List[Handoff]:
    """Waiting first (oldest first), then taken, then the most recently closed."""
    with session_scope(url) as session:
        waiting = list(session.scalars(select(Handoff).where(Handoff.status == "waiting").order_by(Handoff.requested_at)))
        active = list(session.scalars(select(Handoff).where(Handoff.status == "active").order_by(Handoff.taken_at)))
        done = list(session.scalars(select(Handoff).where(Handoff.status == "closed")
                                    .order_by(Handoff.closed_at.desc()).limit(closed)))
        return waiting + active + done


def get(handoff_id: int, url: Optional[str] = None) -> Optional[Handoff]:
    from sqlalchemy.orm import selectinload

    with session_scope(url) as session:
        return session.scalar(select(Handoff).where(Handoff.id == handoff_id).options(selectinload(Handoff.messages)))


def _owned(session, handoff_id: int, username: str, closed_message: str) -> Handoff:
    """The handoff, if it is still open and not handled by someone else."""
    row = session.get(Handoff, handoff_id)
    if row is None or row.status == "closed":
        raise HandoffError(closed_message)
    if row.status == "active" and row.taken_by != username:
        raise HandoffError(f"Cuộc trò chuyện này do {row.taken_by} xử lý.")
    return row


def _detached(session, row: Handoff) -> Handoff:
    session.flush()
    session.expunge(row)
    return row


def take(handoff_id: int, username: str, url: Optional[str] = None) -> Handoff:
    with session_scope(url) as session:
        row = _owned(session, handoff_id, username, "Cuộc trò chuyện này không còn chờ tư vấn.")
        row.status, row.taken_by, row.taken_at = "active", username, row.taken_at or utcnow()
        return _detached(session, row)


def check_writer(handoff_id: int, username: str, url: Optional[str] = None) -> Handoff:
    with session_scope(url) as session:
        row = session.get(Handoff, handoff_id)
        if row is None or row.status != "active":
            raise HandoffError("Hãy nhận xử lý cuộc trò chuyện trước khi trả lời.")
        if row.taken_by != username:
            raise HandoffError(f"Cuộc trò chuyện này do {row.taken_by} xử lý.")
        session.expunge(row)
        return row


def record_message(handoff_id: int, sender_id: str, author: str, text: str, delivered: bool,
                   error: Optional[str] = None, url: Optional[str] = None) -> int:
    with session_scope(url) as session:
        row = HandoffMessage(handoff_id=handoff_id, sender_id=sender_id, author=author[:64], text=text[:4000],
                             delivered=delivered, error=(error or None) and error[:200])
        session.add(row)
        session.flush()
        return row.id


def close(handoff_id: int, username: str, url: Optional[str] = None) -> Handoff:
    with session_scope(url) as session:
        row = _owned(session, handoff_id, username, "Cuộc trò chuyện này đã kết thúc.")
        row.status, row.closed_at = "closed", utcnow()
        return _detached(session, row)


WIDGET_CHANNELS = ("rest", "webchat", "web")


def messages_after(sender_id: str, after_id: int, url: Optional[str] = None) -> List[HandoffMessage]:
    """A counsellor's messages to a web-widget user, for the widget to show (it polls): only those of
    handoffs that came from the web chat (REST), never a Telegram or Zalo conversation's."""
    with session_scope(url) as session:
        return list(session.scalars(select(HandoffMessage).join(Handoff, Handoff.id == HandoffMessage.handoff_id)
                                    .where(HandoffMessage.sender_id == sender_id, HandoffMessage.id > after_id,
                                           Handoff.channel.in_(WIDGET_CHANNELS))
                                    .order_by(HandoffMessage.id).limit(50)))
