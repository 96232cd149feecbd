"""Database tables (declarative, typed; SQLAlchemy 2.0 style that runs on 1.4)."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Float, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, declarative_base, relationship

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


class Conversation(Base):
    """The conversation a lead came from: where, who, and what was asked before."""

    __tablename__ = "conversations"

    id: Mapped[int] = Column(Integer, primary_key=True)
    channel: Mapped[str] = Column(String(32), nullable=False)
    sender_id: Mapped[str] = Column(String(128), nullable=False, index=True)
    recorded_at: Mapped[dt.datetime] = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_messages: Mapped[list] = Column(JSON, nullable=False, default=list)  # [{"who": "user"|"bot", "text": ...}]
    programmes_asked: Mapped[list] = Column(JSON, nullable=False, default=list)
    policies_asked: Mapped[list] = Column(JSON, nullable=False, default=list)


class Lead(Base):
    """A person the admissions team should contact."""

    __tablename__ = "leads"

    id: Mapped[int] = Column(Integer, primary_key=True)
    reference: Mapped[str] = Column(String(16), nullable=False, unique=True)
    created_at: Mapped[dt.datetime] = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)
    status: Mapped[str] = Column(String(24), nullable=False, default="new", index=True)
    name: Mapped[Optional[str]] = Column(String(120))
    phone: Mapped[Optional[str]] = Column(String(16), index=True)
    role: Mapped[Optional[str]] = Column(String(32))
    commune: Mapped[Optional[str]] = Column(String(120), index=True)
    programmes: Mapped[list] = Column(JSON, nullable=False, default=list)
    contact_time: Mapped[Optional[str]] = Column(String(32))
    is_minor: Mapped[bool] = Column(Boolean, nullable=False, default=False)
    channel: Mapped[str] = Column(String(32), nullable=False, index=True)
    sender_id: Mapped[str] = Column(String(128), nullable=False, index=True)
    conversation_id: Mapped[Optional[int]] = Column(Integer, ForeignKey("conversations.id", ondelete="SET NULL"))
    anonymised_at: Mapped[Optional[dt.datetime]] = Column(DateTime(timezone=True))
    assignee_id: Mapped[Optional[int]] = Column(Integer, ForeignKey("staff_users.id", ondelete="SET NULL"), index=True)

    conversation = relationship(Conversation)
    assignee = relationship("StaffUser")
    notes = relationship("LeadNote", order_by="LeadNote.id", cascade="all, delete-orphan")
    history = relationship("LeadStatusChange", order_by="LeadStatusChange.id", cascade="all, delete-orphan")
    consents = relationship("ConsentRecord", order_by="ConsentRecord.id", cascade="all, delete-orphan")


class LeadStatusChange(Base):
    __tablename__ = "lead_status_changes"

    id: Mapped[int] = Column(Integer, primary_key=True)
    lead_id: Mapped[int] = Column(Integer, ForeignKey("leads.id", ondelete="CASCADE"), nullable=False, index=True)
    at: Mapped[dt.datetime] = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    from_status: Mapped[Optional[str]] = Column(String(24))
    to_status: Mapped[str] = Column(String(24), nullable=False)
    by: Mapped[str] = Column(String(64), nullable=False, default="assistant")
    note: Mapped[Optional[str]] = Column(Text)


class ConsentRecord(Base):
    """What the person agreed to, in which wording, and when."""

    __tablename__ = "consents"

    id: Mapped[int] = Column(Integer, primary_key=True)
    lead_id: Mapped[int] = Column(Integer, ForeignKey("leads.id", ondelete="CASCADE"), nullable=False, index=True)
    text_version: Mapped[str] = Column(String(32), nullable=False)
    text: Mapped[str] = Column(Text, nullable=False)
    given_at: Mapped[dt.datetime] = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    parent_consent: Mapped[bool] = Column(Boolean, nullable=False, default=False)


class DeletionRequest(Base):
    """A person's request to erase what they left; kept without the personal data itself."""

    __tablename__ = "deletion_requests"

    id: Mapped[int] = Column(Integer, primary_key=True)
    channel: Mapped[str] = Column(String(32), nullable=False)
    sender_id: Mapped[str] = Column(String(128), nullable=False)
    requested_at: Mapped[dt.datetime] = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    leads_anonymised: Mapped[int] = Column(Integer, nullable=False, default=0)
    questions_deleted: Mapped[int] = Column(Integer, nullable=False, default=0)


class QuizResult(Base):
    """A finished career interest quiz. Anonymous: no sender, name or phone; linked to a lead
    (by its reference) only when the same person registers."""

    __tablename__ = "quiz_results"

    id: Mapped[int] = Column(Integer, primary_key=True)
    completed_at: Mapped[dt.datetime] = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    channel: Mapped[str] = Column(String(32), nullable=False)
    commune: Mapped[Optional[str]] = Column(String(120), index=True)
    top_types: Mapped[str] = Column(String(3), nullable=False)
    scores: Mapped[dict] = Column(JSON, nullable=False)
    levels: Mapped[list] = Column(JSON, nullable=False)
    place: Mapped[str] = Column(String(16), nullable=False)
    programmes: Mapped[list] = Column(JSON, nullable=False)
    lead_reference: Mapped[Optional[str]] = Column(String(16), index=True)


class StaffUser(Base):
    """A named admissions staff account for the console."""

    __tablename__ = "staff_users"

    id: Mapped[int] = Column(Integer, primary_key=True)
    username: Mapped[str] = Column(String(64), nullable=False, unique=True)
    display_name: Mapped[str] = Column(String(120), nullable=False)
    role: Mapped[str] = Column(String(16), nullable=False)  # admin | counsellor | viewer
    password_hash: Mapped[str] = Column(String(255), nullable=False)  # argon2id
    active: Mapped[bool] = Column(Boolean, nullable=False, default=True)
    failed_logins: Mapped[int] = Column(Integer, nullable=False, default=0)
    locked_until: Mapped[Optional[dt.datetime]] = Column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    # Set when an admin chose the password (a console-created account, a reset): the admin knows it,
    # so the console lets the owner do nothing before changing it (review M6).
    must_change_password: Mapped[bool] = Column(Boolean, nullable=False, default=False, server_default=false())


class StaffSession(Base):
    """A signed-in browser: the cookie holds `token`; forms carry `csrf_token`."""

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = Column(String(64), primary_key=True)  # sha256 of the cookie value
    user_id: Mapped[int] = Column(Integer, ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False, index=True)
    csrf_token: Mapped[str] = Column(String(64), nullable=False)
    created_at: Mapped[dt.datetime] = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    expires_at: Mapped[dt.datetime] = Column(DateTime(timezone=True), nullable=False, index=True)

    user = relationship(StaffUser)


class AuditEntry(Base):
    """Who viewed, exported, changed or deleted what, and when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = Column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    username: Mapped[str] = Column(String(64), nullable=False, index=True)
    action: Mapped[str] = Column(String(32), nullable=False)  # sign_in, view, export, change, delete...
    target: Mapped[str] = Column(String(120), nullable=False)
    detail: Mapped[Optional[str]] = Column(Text)
    ip: Mapped[Optional[str]] = Column(String(64))


class LeadNote(Base):
    __tablename__ = "lead_notes"

    id: Mapped[int] = Column(Integer, primary_key=True)
    lead_id: Mapped[int] = Column(Integer, ForeignKey("leads.id", ondelete="CASCADE"), nullable=False, index=True)
    at: Mapped[dt.datetime] = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    author: Mapped[str] = Column(String(64), nullable=False)
    text: Mapped[str] = Column(Text, nullable=False)


class Handoff(Base):
    """A conversation a person (not the assistant) should answer: waiting, taken, then closed."""

    __tablename__ = "handoffs"

    id: Mapped[int] = Column(Integer, primary_key=True)
    sender_id: Mapped[str] = Column(String(128), nullable=False, index=True)
    channel: Mapped[str] = Column(String(32), nullable=False)
    lead_reference: Mapped[Optional[str]] = Column(String(16))
    reason: Mapped[str] = Column(String(32), nullable=False)  # request_human | failed_twice
    status: Mapped[str] = Column(String(16), nullable=False, default="waiting", index=True)  # waiting|active|closed
    requested_at: Mapped[dt.datetime] = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    taken_by: Mapped[Optional[str]] = Column(String(64))
    taken_at: Mapped[Optional[dt.datetime]] = Column(DateTime(timezone=True))
    closed_at: Mapped[Optional[dt.datetime]] = Column(DateTime(timezone=True))

    messages = relationship("HandoffMessage", order_by="HandoffMessage.id", cascade="all, delete-orphan")


class HandoffMessage(Base):
    """What a counsellor wrote to the person, and whether it reached their channel."""

    __tablename__ = "handoff_messages"

    id: Mapped[int] = Column(Integer, primary_key=True)
    handoff_id: Mapped[int] = Column(Integer, ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False, index=True)
    sender_id: Mapped[str] = Column(String(128), nullable=False, index=True)
    at: Mapped[dt.datetime] = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    author: Mapped[str] = Column(String(64), nullable=False)
    text: Mapped[str] = Column(Text, nullable=False)
    delivered: Mapped[bool] = Column(Boolean, nullable=False, default=False)
    error: Mapped[Optional[str]] = Column(String(200))


class AnswerStat(Base):
    """How many questions the assistant answered from the knowledge base, per day (the
    unanswered ones are rows of unanswered_questions)."""

    __tablename__ = "answer_stats"

    day: Mapped[dt.date] = Column(Date, primary_key=True)
    answered: Mapped[int] = Column(Integer, nullable=False, default=0)
