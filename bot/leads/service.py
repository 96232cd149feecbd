"""Saving leads: duplicates merged, the database never blocking the chat.

`submit()` is what the assistant calls at the end of the form. It writes the lead
(merging it into a recent lead with the same phone and programme), or, if the
database cannot be reached, keeps it in the local outbox; either way the person
gets their reference code at once. Logs name a lead by reference only.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
from dataclasses import asdict, dataclass, field
from typing import List, Optional, Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.exc import SQLAlchemyError

from bot.leads import outbox
from bot.storage.db import affected_rows, session_scope
from bot.storage.models import (
    AuditEntry, ConsentRecord, Conversation, DeletionRequest, Handoff, HandoffMessage, Lead, LeadNote,
    LeadStatusChange, QuizResult, UnansweredQuestion, utcnow,
)

logger = logging.getLogger(__name__)

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
STATUS_NEW = "new"
STATUS_WAITING_HUMAN = "waiting_human"
ERASED = "(đã xóa)"  # what stands in for a sender id once the person's data is gone


def dedupe_window() -> dt.timedelta:
    return dt.timedelta(days=int(os.environ.get("LEAD_DEDUPE_DAYS", "30")))


def new_reference() -> str:
    return "LC-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


@dataclass
class LeadInput:
    reference: str
    channel: str
    sender_id: str
    name: Optional[str] = None
    phone: Optional[str] = None
    role: Optional[str] = None
    commune: Optional[str] = None
    programmes: List[str] = field(default_factory=list)
    contact_time: Optional[str] = None
    is_minor: bool = False
    status: str = STATUS_NEW
    consent_version: Optional[str] = None
    consent_text: Optional[str] = None
    parent_consent: bool = False
    last_messages: List[dict] = field(default_factory=list)
    programmes_asked: List[str] = field(default_factory=list)
    policies_asked: List[str] = field(default_factory=list)
    submitted_at: str = field(default_factory=lambda: utcnow().isoformat())

    def as_payload(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class SaveResult:
    reference: str  # the reference the person should keep (an earlier lead's, when merged)
    outcome: str  # created | merged | already_saved | queued


def _waiting_request(session, lead: LeadInput) -> Optional[Lead]:
    """The same person's request for a counsellor that is still waiting: asking again adds to it
    (one ticket, the newest messages), it does not open a second one."""
    if lead.status != STATUS_WAITING_HUMAN or lead.phone:
        return None
    since = dt.datetime.fromisoformat(lead.submitted_at) - dedupe_window()
    return session.scalar(
        select(Lead).where(Lead.sender_id == lead.sender_id, Lead.channel == lead.channel,
                           Lead.status == STATUS_WAITING_HUMAN, Lead.created_at >= since, Lead.anonymised_at.is_(None))
        .order_by(Lead.created_at.desc()).limit(1))


def _same_phone(session, lead: LeadInput, same_sender: bool) -> Optional[Lead]:
    """The newest recent lead with this phone and a programme in common, from this conversation
    (`same_sender`) or from another one."""
    since = dt.datetime.fromisoformat(lead.submitted_at) - dedupe_window()
    sender = Lead.sender_id == lead.sender_id if same_sender else Lead.sender_id != lead.sender_id
    candidates = session.scalars(
        select(Lead).where(Lead.phone == lead.phone, sender, Lead.created_at >= since, Lead.anonymised_at.is_(None))
        .order_by(Lead.created_at.desc())
    )
    wanted = set(lead.programmes)
    for existing in candidates:
        have = set(existing.programmes or [])
        if wanted == have or wanted & have:
            return existing
    return None


def _recent_duplicate(session, lead: LeadInput) -> Optional[Lead]:
    """The lead this one updates: only one the same conversation left. Knowing someone's phone number
    must never let another person overwrite their lead or learn its reference (review M3); such a
    lead is saved on its own, marked for staff as a possible duplicate."""
    waiting = _waiting_request(session, lead)
    if waiting is not None or not lead.phone:
        return waiting
    return _same_phone(session, lead, same_sender=True)


def save(lead: LeadInput, url: Optional[str] = None) -> SaveResult:
    """Write one lead (idempotent on its reference). Raises SQLAlchemyError if the database fails."""
    submitted = dt.datetime.fromisoformat(lead.submitted_at)
    with session_scope(url) as session:
        if session.scalar(select(Lead.id).where(Lead.reference == lead.reference)) is not None:
            return SaveResult(lead.reference, "already_saved")
        conversation = Conversation(channel=lead.channel, sender_id=lead.sender_id, recorded_at=submitted,
                                    last_messages=lead.last_messages, programmes_asked=lead.programmes_asked,
                                    policies_asked=lead.policies_asked)
        session.add(conversation)
        existing = _recent_duplicate(session, lead)
        if existing is not None:
            for attr in ("name", "role", "commune", "contact_time"):
                if getattr(lead, attr):
                    setattr(existing, attr, getattr(lead, attr))
            existing.programmes = sorted(set(existing.programmes or []) | set(lead.programmes))
            existing.conversation = conversation
            again = "Người học yêu cầu gặp cán bộ thêm lần nữa" if lead.status == STATUS_WAITING_HUMAN and not lead.phone \
                else f"Cập nhật từ lần đăng ký {lead.reference}"
            existing.history.append(LeadStatusChange(from_status=existing.status, to_status=existing.status, at=submitted,
                                                     note=again))
            target, outcome = existing, "merged"
        else:
            target = Lead(reference=lead.reference, created_at=submitted, updated_at=submitted, status=lead.status,
                          name=lead.name, phone=lead.phone, role=lead.role, commune=lead.commune,
                          programmes=lead.programmes, contact_time=lead.contact_time, is_minor=lead.is_minor,
                          channel=lead.channel, sender_id=lead.sender_id, conversation=conversation)
            other = _same_phone(session, lead, same_sender=False) if lead.phone else None
            note = f"Có thể trùng với {other.reference} (cùng số điện thoại, từ cuộc trò chuyện khác)" if other else None
            target.history.append(LeadStatusChange(from_status=None, to_status=lead.status, at=submitted, note=note))
            session.add(target)
            outcome = "created"
        if lead.consent_version:
            target.consents.append(ConsentRecord(text_version=lead.consent_version, text=lead.consent_text or "",
                                                 given_at=submitted, parent_consent=lead.parent_consent))
        session.flush()
        reference = target.reference
    logger.info("lead %s %s (channel %s)", reference, outcome, lead.channel)
    return SaveResult(reference, outcome)


def _save_payload(payload: dict) -> SaveResult:
    return save(LeadInput(**payload))


def flush_outbox() -> int:
    return outbox.flush(_save_payload)


def submit(lead: LeadInput) -> SaveResult:
    """Save now, or queue in the outbox if the database is unreachable. Never raises for DB trouble."""
    try:
        if outbox.count():
            flush_outbox()
        return save(lead)
    except SQLAlchemyError as exc:
        outbox.put(lead.reference, lead.sender_id, lead.as_payload())
        logger.warning("lead %s queued in the outbox: database unavailable (%s)", lead.reference,
                       exc.__class__.__name__)
        return SaveResult(lead.reference, "queued")


def anonymise_leads(session, ids: Sequence[int], conversations=None, keep_updated_at: bool = False,
                    at: Optional[dt.datetime] = None) -> int:
    """Blank the personal data of these leads in `session` (name, phone, xã/phường, sender);
    the row, reference, status, programmes and dates stay, so the statistics stay right.
    Their quiz results are unlinked; the conversation snapshots matched by `conversations`
    (default: the ones these leads point at) lose their sender and messages.
    Returns how many conversation snapshots were emptied."""
    if not ids:
        return 0
    ids = list(ids)
    references = list(session.scalars(select(Lead.reference).where(Lead.id.in_(ids))))
    if conversations is None:
        conversations = Conversation.id.in_(select(Lead.conversation_id).where(Lead.id.in_(ids)))
    # Quiz results stay for the statistics, but no longer point at the person.
    session.execute(update(QuizResult).where(QuizResult.lead_reference.in_(references)).values(lead_reference=None)
                    .execution_options(synchronize_session=False))
    emptied = session.execute(update(Conversation).where(conversations).values(sender_id=ERASED, last_messages=[])
                              .execution_options(synchronize_session=False)).rowcount or 0
    values = dict(name=None, phone=None, commune=None, sender_id=ERASED, anonymised_at=at or utcnow())
    if keep_updated_at:  # otherwise updated_at becomes now (the column's onupdate)
        values["updated_at"] = Lead.updated_at
    session.execute(update(Lead).where(Lead.id.in_(ids)).values(**values).execution_options(synchronize_session=False))
    return emptied


@dataclass(frozen=True)
class Erasure:
    """What "xóa thông tin của tôi" erased, to be told to the person exactly."""
    leads_anonymised: int
    questions_deleted: int
    staff_messages_deleted: int
    notes_deleted: int


def erase_sender(channel: str, sender_id: str, url: Optional[str] = None) -> Erasure:
    """Everything the database keeps of the person (review M5): their leads anonymised (with the
    staff's notes on them, and the audit entries that searched their phone number), their questions,
    the counsellors' messages to them and their handoffs deleted, their queued leads dropped; the
    request recorded without personal data. Rasa's stored conversation is deleted by its tracker
    store when it saves the turn whose reply confirms this (bot/rasa_stores.py, SECURITY.md)."""
    queued = outbox.drop_for_sender(sender_id)
    with session_scope(url) as session:
        ids = list(session.scalars(select(Lead.id).where(Lead.sender_id == sender_id, Lead.anonymised_at.is_(None))))
        phones = [p for p in session.scalars(select(Lead.phone).where(Lead.id.in_(ids))) if p]
        notes = affected_rows(session, delete(LeadNote).where(LeadNote.lead_id.in_(ids)))
        affected_rows(session, update(LeadStatusChange).where(LeadStatusChange.lead_id.in_(ids)).values(note=None))
        for phone in phones:  # a counsellor's search for the number keeps it in the audit log
            affected_rows(session, delete(AuditEntry).where(AuditEntry.detail.contains(phone)))
        anonymise_leads(session, ids, conversations=Conversation.sender_id == sender_id)
        deleted = affected_rows(session, delete(UnansweredQuestion).where(UnansweredQuestion.sender_id == sender_id))
        messages = affected_rows(session, delete(HandoffMessage).where(HandoffMessage.sender_id == sender_id))
        affected_rows(session, delete(Handoff).where(Handoff.sender_id == sender_id))
        session.add(DeletionRequest(channel=channel, sender_id=ERASED, leads_anonymised=len(ids) + queued,
                                    questions_deleted=deleted))
        return Erasure(len(ids) + queued, deleted, messages, notes)


def stored_count(sender_id: str, url: Optional[str] = None) -> int:
    """How many items (leads, questions, queued leads) are kept for this person."""
    from sqlalchemy import func

    with session_scope(url) as session:
        leads = session.scalar(select(func.count()).select_from(Lead).where(
            Lead.sender_id == sender_id, Lead.anonymised_at.is_(None))) or 0
        questions = session.scalar(select(func.count()).select_from(UnansweredQuestion).where(
            UnansweredQuestion.sender_id == sender_id)) or 0
    queued = sum(1 for _, payload in outbox.pending() if payload.get("sender_id") == sender_id)
    return leads + questions + queued
