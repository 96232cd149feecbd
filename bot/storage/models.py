"""Database tables (declarative, typed; SQLAlchemy 2.0 style that runs on 1.4)."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import Column, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, declarative_base

Base = declarative_base()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class UnansweredQuestion(Base):
    """A question the assistant could not answer, kept for staff to add the answer."""

    __tablename__ = "unanswered_questions"

    id: Mapped[int] = Column(Integer, primary_key=True)
    asked_at: Mapped[dt.datetime] = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    channel: Mapped[str] = Column(String(32), nullable=False)
    sender_id: Mapped[str] = Column(String(128), nullable=False, index=True)
    text: Mapped[str] = Column(Text, nullable=False)
    intent: Mapped[Optional[str]] = Column(String(64))
    confidence: Mapped[Optional[float]] = Column(Float)
    reason: Mapped[str] = Column(String(32), nullable=False)
    status: Mapped[str] = Column(String(16), nullable=False, default="new", index=True)
