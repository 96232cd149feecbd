"""How long personal data is kept, and the purge that enforces it.

The policy comes from the environment (whole numbers; checked at start-up):

  RETENTION_DAYS                  730   a lead untouched this long (no change, note or status
                                        change) is anonymised as erase_sender does: the row, its
                                        reference, status, programmes and dates stay, so the yearly
                                        statistics stay right; its staff notes are deleted
  CONVERSATION_RETENTION_DAYS     180   older unanswered-question texts, counsellor messages,
                                        closed handoffs, conversation snapshots (last_messages) and
                                        Rasa tracker events are removed
  AUDIT_RETENTION_DAYS           1095   older audit-log entries (they hold staff IPs) are deleted
  RETENTION_PURGE_INTERVAL_HOURS   24   the staff console purges at start-up and then this often;
                                        0 turns the automatic purge off

Expired staff sessions are always deleted. Unanswered questions keep their row (date, channel,
intent) without the text and sender, so the reports still count them. Rasa's tracker events are
purged in the `events` table of TRACKER_DATABASE_URL, or of the application database when that
is not set; a database without that table is skipped. Of a conversation that is still going on,
the current Rasa session is never cut (Rasa counts its stored events to know what to append).

`purge()` runs each kind of data in its own transaction, is idempotent, writes one INFO log line
(counts only, never a name or phone number) and one audit-log entry. `python -m bot retention
purge [--dry-run]` and `show` are the command line.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator, List, Mapping, Optional

from sqlalchemy import String, case, cast, column, delete, func, inspect, or_, select, table, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.leads.service import ERASED, anonymise_leads
from bot.storage.db import affected_rows, database_url, engine_for, get_engine, normalise_url
from bot.storage.models import (
    AuditEntry, Conversation, Handoff, HandoffMessage, Lead, LeadNote, LeadStatusChange, StaffSession,
    UnansweredQuestion, utcnow,
)

logger = logging.getLogger(__name__)

SYSTEM_USER = "(hệ thống)"  # the audit log's name for what no staff member did
AUDIT_ACTION = "purge"
LOCK_KEY = zlib.crc32(b"laichau.retention.purge")  # the PostgreSQL advisory lock two consoles share
BATCH = 500  # leads anonymised per statement (keeps IN lists short on every database)
EXPIRED = "expired"  # an unanswered question whose text is gone leaves the staff's list


class RetentionConfigError(ValueError):
    """A retention setting in the environment is not usable (the message says which and why)."""


@dataclass(frozen=True)
class Setting:
    env: str
    default: int
    unit: str
    minimum: int
    maximum: int
    meaning: str


SETTINGS = {
    "lead_days": Setting("RETENTION_DAYS", 730, "days", 1, 36500, "personal data of inactive leads"),
    "conversation_days": Setting("CONVERSATION_RETENTION_DAYS", 180, "days", 1, 36500,
                                 "conversation texts (questions, handoffs, snapshots, Rasa tracker)"),
    "audit_days": Setting("AUDIT_RETENTION_DAYS", 1095, "days", 1, 36500, "audit-log entries"),
    "interval_hours": Setting("RETENTION_PURGE_INTERVAL_HOURS", 24, "hours", 0, 8760,
                              "automatic purge interval (0 = off)"),
}


def _read(setting: Setting, environ: Mapping[str, str]) -> int:
    raw = environ.get(setting.env)
    if raw is None or not raw.strip():
        return setting.default
    value = raw.strip()
    kind = "a positive whole number" if setting.minimum > 0 else "a whole number, 0 or more"
    if not value.isdigit():  # no sign, no decimals, no units: "30d" or "1.5" are mistakes to report
        raise RetentionConfigError(
            f"{setting.env} must be {kind} of {setting.unit} ({setting.meaning}); got {raw!r}. "
            f"Unset it to use the default, {setting.default}.")
    number = int(value)
    if not setting.minimum <= number <= setting.maximum:
        raise RetentionConfigError(
            f"{setting.env} must be between {setting.minimum} and {setting.maximum} {setting.unit} "
            f"({setting.meaning}); got {number}. Unset it to use the default, {setting.default}.")
    return number


@dataclass(frozen=True)
class RetentionPolicy:
    lead_days: int = SETTINGS["lead_days"].default
    conversation_days: int = SETTINGS["conversation_days"].default
    audit_days: int = SETTINGS["audit_days"].default
    interval_hours: int = SETTINGS["interval_hours"].default

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "RetentionPolicy":
        """The policy in the environment; RetentionConfigError names the first bad setting."""
        environ = os.environ if environ is None else environ
        return cls(**{name: _read(setting, environ) for name, setting in SETTINGS.items()})

    def cutoffs(self, now: dt.datetime) -> dict:
        return {"leads": now - dt.timedelta(days=self.lead_days),
                "conversations": now - dt.timedelta(days=self.conversation_days),
                "audit": now - dt.timedelta(days=self.audit_days)}

    def lines(self) -> List[str]:
        return [f"{s.env}={getattr(self, name)} {s.unit}: {s.meaning}" for name, s in SETTINGS.items()]


# name, English label (log, command line), Vietnamese label (audit log shown in the console)
KINDS = (
    ("leads_anonymised", "leads anonymised", "đăng ký được ẩn danh"),
    ("lead_notes_deleted", "lead notes deleted", "ghi chú đăng ký đã xóa"),
    ("history_notes_cleared", "status-change notes cleared", "ghi chú đổi trạng thái đã xóa"),
    ("conversations_cleared", "conversation snapshots emptied", "đoạn hội thoại lưu kèm đã xóa"),
    ("questions_cleared", "unanswered-question texts deleted", "nội dung câu hỏi chưa trả lời đã xóa"),
    ("handoff_messages_deleted", "handoff messages deleted", "tin nhắn của cán bộ tư vấn đã xóa"),
    ("handoffs_deleted", "closed handoffs deleted", "cuộc trao đổi đã kết thúc đã xóa"),
    ("tracker_events_deleted", "Rasa tracker events deleted", "sự kiện hội thoại của trợ lý đã xóa"),
    ("staff_sessions_deleted", "expired staff sessions deleted", "phiên đăng nhập hết hạn đã xóa"),
    ("audit_entries_deleted", "audit-log entries deleted", "mục nhật ký cũ đã xóa"),
)


@dataclass
class PurgeReport:
    dry_run: bool = False
    leads_anonymised: int = 0
    lead_notes_deleted: int = 0
    history_notes_cleared: int = 0
    conversations_cleared: int = 0
    questions_cleared: int = 0
    handoff_messages_deleted: int = 0
    handoffs_deleted: int = 0
    tracker_events_deleted: int = 0
    staff_sessions_deleted: int = 0
    audit_entries_deleted: int = 0
    tracker_table: bool = False  # whether a Rasa `events` table was found
    failed: List[str] = field(default_factory=list)  # kinds whose transaction failed (rolled back)

    def counts(self) -> dict:
        return {name: getattr(self, name) for name, _, _ in KINDS}

    @property
    def total(self) -> int:
        return sum(self.counts().values())

    def lines(self) -> List[str]:
        out = [f"{english}: {getattr(self, name)}" for name, english, _ in KINDS]
        if not self.tracker_table:
            out[[k[0] for k in KINDS].index("tracker_events_deleted")] += " (no Rasa `events` table found)"
        out += [f"failed: {kind}" for kind in self.failed]
        return out

    def summary(self) -> str:
        failed = f"; failed: {', '.join(self.failed)}" if self.failed else ""
        return ", ".join(f"{english} {getattr(self, name)}" for name, english, _ in KINDS) + failed

    def vietnamese(self) -> str:
        failed = f"; lỗi, chưa xóa: {', '.join(self.failed)}" if self.failed else ""
        return "; ".join(f"{vn}: {getattr(self, name)}" for name, _, vn in KINDS) + failed


# --- the kinds of data, one transaction each ----------------------------------------------

def _utc(moment: dt.datetime) -> dt.datetime:
    """Aware and in UTC: SQLite stores datetimes as UTC text without the offset."""
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment.astimezone(dt.timezone.utc)


def _purge_leads(session: Session, report: PurgeReport, cutoff: dt.datetime, now: dt.datetime) -> None:
    """Leads with no change, note or status change since `cutoff` lose their personal data."""
    recent_note = select(LeadNote.id).where(LeadNote.lead_id == Lead.id, LeadNote.at >= cutoff).exists()
    recent_change = select(LeadStatusChange.id).where(LeadStatusChange.lead_id == Lead.id,
                                                      LeadStatusChange.at >= cutoff).exists()
    ids = list(session.scalars(select(Lead.id).where(Lead.anonymised_at.is_(None), Lead.updated_at < cutoff,
                                                     ~recent_note, ~recent_change).order_by(Lead.id)))
    emptied = 0
    for start in range(0, len(ids), BATCH):
        emptied += anonymise_leads(session, ids[start:start + BATCH], keep_updated_at=True, at=now)
    report.leads_anonymised = len(ids)
    # Older snapshots of the same people (left behind when a lead was merged) that no kept lead uses.
    live = select(Lead.id).where(Lead.conversation_id == Conversation.id, Lead.anonymised_at.is_(None)).exists()
    emptied += affected_rows(session, update(Conversation).where(Conversation.recorded_at < cutoff,
                                                         Conversation.sender_id != ERASED, ~live)
                     .values(sender_id=ERASED, last_messages=[]))
    report.conversations_cleared += emptied
    # Staff notes about anonymised people (also those erased on request) go with the personal data.
    anonymised = select(Lead.id).where(Lead.anonymised_at.is_not(None))
    report.lead_notes_deleted = affected_rows(session, delete(LeadNote).where(LeadNote.lead_id.in_(anonymised)))
    report.history_notes_cleared = affected_rows(session, update(LeadStatusChange).where(
        LeadStatusChange.lead_id.in_(anonymised), LeadStatusChange.note.is_not(None)).values(note=None))


def _purge_snapshots(session: Session, report: PurgeReport, cutoff: dt.datetime) -> None:
    as_text = cast(Conversation.last_messages, String)
    report.conversations_cleared += affected_rows(session, update(Conversation).where(
        Conversation.recorded_at < cutoff, as_text.not_in(["[]", "null"])).values(last_messages=[]))


def _purge_questions(session: Session, report: PurgeReport, cutoff: dt.datetime) -> None:
    """The text and sender go; the row stays so the reports still count the question."""
    report.questions_cleared = affected_rows(session, update(UnansweredQuestion).where(
        UnansweredQuestion.asked_at < cutoff,
        or_(UnansweredQuestion.sender_id != ERASED, UnansweredQuestion.text != ""),
    ).values(text="", sender_id=ERASED,
             status=case((UnansweredQuestion.status == "new", EXPIRED), else_=UnansweredQuestion.status)))


def _purge_handoffs(session: Session, report: PurgeReport, cutoff: dt.datetime) -> None:
    closed = select(Handoff.id).where(Handoff.status == "closed",
                                      func.coalesce(Handoff.closed_at, Handoff.requested_at) < cutoff)
    report.handoff_messages_deleted = affected_rows(session, delete(HandoffMessage).where(
        or_(HandoffMessage.at < cutoff, HandoffMessage.handoff_id.in_(closed))))
    report.handoffs_deleted = affected_rows(session, delete(Handoff).where(Handoff.id.in_(closed)))


def _purge_sessions(session: Session, report: PurgeReport, now: dt.datetime) -> None:
    report.staff_sessions_deleted = affected_rows(session, delete(StaffSession).where(StaffSession.expires_at < now))


def _purge_audit(session: Session, report: PurgeReport, cutoff: dt.datetime) -> None:
    report.audit_entries_deleted = affected_rows(session, delete(AuditEntry).where(AuditEntry.at < cutoff))


EVENTS = table("events", column("sender_id"), column("type_name"), column("timestamp"))
SESSION_STARTED = "session_started"  # rasa.shared.core.events.SessionStarted.type_name


def tracker_database_url(url: Optional[str] = None) -> str:
    """Where Rasa's tracker store is: TRACKER_DATABASE_URL, else the application database."""
    return normalise_url(os.environ.get("TRACKER_DATABASE_URL") or url or database_url())


def _purge_tracker(session: Session, report: PurgeReport, cutoff: dt.datetime) -> None:
    """Rasa's events older than `cutoff`, without ever cutting a conversation's current session:
    Rasa appends to a tracker the events past the number it has stored since the last
    session_started, so (1) a sender silent since `cutoff` loses all their events, and
    (2) other senders lose old events only from sessions before their latest session_started."""
    moment = cutoff.timestamp()
    other = EVENTS.alias("other")
    silent = select(other.c.sender_id).group_by(other.c.sender_id).having(func.max(other.c.timestamp) < moment)
    deleted = affected_rows(session, delete(EVENTS).where(EVENTS.c.sender_id.in_(silent)))
    latest_start = (select(func.max(other.c.timestamp))
                    .where(other.c.sender_id == EVENTS.c.sender_id, other.c.type_name == SESSION_STARTED)
                    .correlate(EVENTS).scalar_subquery())
    deleted += affected_rows(session, delete(EVENTS).where(EVENTS.c.timestamp < moment, EVENTS.c.timestamp < latest_start))
    report.tracker_events_deleted = deleted


def _has_events_table(engine: Engine) -> bool:
    """Whether `engine`'s database has Rasa's `events` table (a table of that name without
    Rasa's columns is left alone)."""
    inspector = inspect(engine)
    if not inspector.has_table("events"):
        return False
    columns = {c["name"] for c in inspector.get_columns("events")}
    if not {"sender_id", "type_name", "timestamp"} <= columns:
        logger.warning("retention purge: the `events` table is not Rasa's tracker store (columns %s); left alone",
                       ", ".join(sorted(columns)))
        return False
    return True


# --- the purge --------------------------------------------------------------------------

def purge(now: Optional[dt.datetime] = None, url: Optional[str] = None, dry_run: bool = False,
          policy: Optional[RetentionPolicy] = None, tracker_url: Optional[str] = None) -> PurgeReport:
    """Apply the retention policy once. A dry run counts what would go and changes nothing.

    Each kind of data is one transaction: a failing one is rolled back, logged and named in
    `report.failed`, and the others still run. Running it again right after changes nothing."""
    policy = policy or RetentionPolicy.from_env()
    now = _utc(now or utcnow())
    url = url or database_url()
    cut = policy.cutoffs(now)
    report = PurgeReport(dry_run=dry_run)
    engine = get_engine(url)
    steps: List[tuple] = [
        ("leads", engine, lambda s: _purge_leads(s, report, cut["leads"], now)),
        ("conversations", engine, lambda s: _purge_snapshots(s, report, cut["conversations"])),
        ("questions", engine, lambda s: _purge_questions(s, report, cut["conversations"])),
        ("handoffs", engine, lambda s: _purge_handoffs(s, report, cut["conversations"])),
        ("staff sessions", engine, lambda s: _purge_sessions(s, report, now)),
        ("audit log", engine, lambda s: _purge_audit(s, report, cut["audit"])),
    ]
    tracker_url = tracker_url or tracker_database_url(url)
    try:
        tracker_engine = engine if tracker_url == url else engine_for(tracker_url)
        report.tracker_table = _has_events_table(tracker_engine)
    except SQLAlchemyError:
        logger.exception("retention purge: cannot read the tracker database (%s)", tracker_url.split("@")[-1])
        report.failed.append("tracker events")
    else:
        if report.tracker_table:
            steps.append(("tracker events", tracker_engine, lambda s: _purge_tracker(s, report, cut["conversations"])))
    # A real purge commits each kind on its own. A dry run does the same work in one transaction
    # per database and rolls it back, so its counts are exactly those of a real purge.
    rehearsals: dict = {}
    try:
        for kind, bind, step in steps:
            if dry_run:
                session = rehearsals.get(bind) or rehearsals.setdefault(bind, Session(bind=bind, future=True))
            else:
                session = Session(bind=bind, future=True)
            counted = report.counts()
            try:
                step(session)
                if not dry_run:
                    session.commit()
            except SQLAlchemyError:
                session.rollback()
                for name, value in counted.items():  # nothing of this kind happened
                    setattr(report, name, value)
                logger.exception("retention purge: %s failed and was rolled back", kind)
                report.failed.append(kind)
            finally:
                if not dry_run:
                    session.close()
    finally:
        for session in rehearsals.values():
            session.rollback()
            session.close()
    logger.info("retention purge%s: %s", " (dry run, nothing changed)" if dry_run else "", report.summary())
    if not dry_run:
        from bot.console import audit

        try:
            audit.record(SYSTEM_USER, AUDIT_ACTION, "retention",
                         f"Xóa theo thời hạn lưu trữ ({policy.lead_days}/{policy.conversation_days}/"
                         f"{policy.audit_days} ngày): {report.vietnamese()}", url=url)
        except SQLAlchemyError:
            logger.exception("retention purge: could not write the audit-log entry")
            report.failed.append("audit entry")
    return report


@contextmanager
def exclusive(url: Optional[str] = None) -> Iterator[bool]:
    """True while this process may purge: on PostgreSQL, holds a session advisory lock
    (pg_try_advisory_lock, released at the end or when the connection dies), so two console
    instances never purge at once; SQLite has one writer at a time anyway."""
    engine = get_engine(url or database_url())
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as connection:
        got = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}).scalar())
        connection.commit()
        try:
            yield got
        finally:
            if got:
                try:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
                    connection.commit()
                except SQLAlchemyError:  # closing the database session releases the lock too
                    connection.invalidate()


def purge_exclusive(url: Optional[str] = None, policy: Optional[RetentionPolicy] = None,
                    now: Optional[dt.datetime] = None) -> Optional[PurgeReport]:
    """purge(), unless another process is purging the same database (then None)."""
    with exclusive(url) as mine:
        if not mine:
            logger.info("retention purge skipped: another instance is purging this database")
            return None
        return purge(now=now, url=url, policy=policy)


async def run_daily(url: Optional[str] = None, policy: Optional[RetentionPolicy] = None,
                    sleep: Callable = asyncio.sleep, job: Callable = purge_exclusive) -> None:
    """Purge now, then every policy.interval_hours, for as long as the server runs. An error is
    logged and the next purge happens on time; interval 0 turns the job off."""
    policy = policy or RetentionPolicy.from_env()
    if not policy.interval_hours:
        logger.info("automatic retention purge is off (RETENTION_PURGE_INTERVAL_HOURS=0)")
        return
    logger.info("automatic retention purge: now and every %d h", policy.interval_hours)
    while True:
        try:
            await asyncio.to_thread(job, url, policy)
        except Exception:  # noqa: BLE001 - the job must outlive any single failure
            logger.exception("retention purge failed; next attempt in %d h", policy.interval_hours)
        await sleep(policy.interval_hours * 3600)


def describe(policy: RetentionPolicy, url: Optional[str] = None, now: Optional[dt.datetime] = None) -> List[str]:
    """The effective policy, for `python -m bot retention show`."""
    now = now or utcnow()
    cut = policy.cutoffs(now)
    url = url or database_url()
    tracker = tracker_database_url(url)
    return policy.lines() + [
        f"leads untouched since {cut['leads']:%Y-%m-%d %H:%M} UTC are anonymised",
        f"conversation texts from before {cut['conversations']:%Y-%m-%d %H:%M} UTC are deleted",
        f"audit-log entries from before {cut['audit']:%Y-%m-%d %H:%M} UTC are deleted",
        "expired staff sessions are deleted",
        f"database: {url.split('@')[-1]}",
        f"Rasa tracker events: table `events` in {tracker.split('@')[-1]}"
        + (" (TRACKER_DATABASE_URL)" if os.environ.get("TRACKER_DATABASE_URL") else " (the same database)"),
    ]
