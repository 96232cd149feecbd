"""Personal-data retention: what the purge anonymises or deletes, what it keeps (the statistics,
recent data, the current Rasa session), dry runs, idempotence, settings, the command line and
the staff console's automatic job. Every database test runs on SQLite and on PostgreSQL, each
on a database of its own so the counts are exact."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from bot import handoff, retention
from bot.console import leads as console_leads
from bot.console import reports
from bot.devserver import fresh_postgres, running_console
from bot.leads import form, service
from bot.leads.service import ERASED, LeadInput
from bot.retention import PurgeReport, RetentionConfigError, RetentionPolicy, purge
from bot.storage import questions
from bot.storage.db import engine_for, session_scope
from bot.storage.models import (
    AuditEntry, Base, Handoff, HandoffMessage, Lead, LeadNote, LeadStatusChange, QuizResult,
    StaffSession, StaffUser, UnansweredQuestion, utcnow,
)
from tests.conftest import PG_ADMIN_URL

ROOT = Path(__file__).resolve().parents[1]
NOW = utcnow()
YEARS_AGO = NOW - dt.timedelta(days=3 * 365)  # past the lead retention (730 days)
MONTHS_AGO = NOW - dt.timedelta(days=200)  # past the conversation retention (180 days), not the lead's
RECENTLY = NOW - dt.timedelta(days=10)
ENV = ("RETENTION_DAYS", "CONVERSATION_RETENTION_DAYS", "AUDIT_RETENTION_DAYS", "RETENTION_PURGE_INTERVAL_HOURS",
       "TRACKER_DATABASE_URL")


@pytest.fixture(autouse=True)
def default_policy(monkeypatch, tmp_path):
    """The defaults, whatever the machine's environment says; the outbox in a temporary folder."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def url(db_url) -> Iterator[str]:
    """db_url's database engine, but an empty database for this test alone."""
    if db_url.startswith("sqlite"):
        yield db_url
        return
    with fresh_postgres(PG_ADMIN_URL) as fresh:
        yield fresh


# --- helpers -------------------------------------------------------------------------------

def save_lead(url: str, when: dt.datetime, **kw) -> str:
    base = dict(reference=service.new_reference(), channel="telegram", sender_id=f"telegram:{uuid.uuid4().hex[:8]}",
                name="Lò Văn Minh", phone="09" + str(uuid.uuid4().int)[:8], role="hs_thcs", commune="Bản Lang",
                programmes=["han"], contact_time="toi", is_minor=False, consent_version=form.CONSENT_VERSION,
                consent_text=form.CONSENT_TEXT, last_messages=[{"who": "user", "text": "nghề hàn học mấy năm"}],
                programmes_asked=["han"], submitted_at=when.isoformat())
    base.update(kw)
    service.save(LeadInput(**base), url=url)
    return base["reference"]


def lead(url: str, reference: str) -> Lead:
    from sqlalchemy.orm import selectinload

    with session_scope(url) as session:
        return session.scalar(select(Lead).where(Lead.reference == reference).options(
            selectinload(Lead.conversation), selectinload(Lead.notes), selectinload(Lead.history)))


def add_question(url: str, text: str, when: dt.datetime, sender: str = "telegram:hoi") -> int:
    qid = questions.record_unanswered(text, "telegram", sender, "low_confidence", url=url)
    with session_scope(url) as session:
        session.get(UnansweredQuestion, qid).asked_at = when
    return qid


def set_column(url: str, model, row_id, **values) -> None:
    with session_scope(url) as session:
        row = session.get(model, row_id)
        for key, value in values.items():
            setattr(row, key, value)


def utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def dump(url: str, skip=("audit_log",)) -> Dict[str, List[tuple]]:
    """Every row of every table (and Rasa's events table when there is one)."""
    engine = engine_for(url)
    names = [t.name for t in Base.metadata.sorted_tables if t.name not in skip]
    if sa.inspect(engine).has_table("events"):
        names.append("events")
    out = {}
    with engine.connect() as conn:
        for name in names:
            out[name] = [tuple(r) for r in conn.execute(sa.text(f"SELECT * FROM {name}")).all()]
            out[name].sort(key=repr)
    return out


def counts_of(report: PurgeReport) -> Dict[str, int]:
    return report.counts()


# Rasa's SQLTrackerStore table, column for column.
EVENTS = sa.Table("events", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                  sa.Column("sender_id", sa.String(255), nullable=False, index=True),
                  sa.Column("type_name", sa.String(255), nullable=False), sa.Column("timestamp", sa.Float),
                  sa.Column("intent_name", sa.String(255)), sa.Column("action_name", sa.String(255)),
                  sa.Column("data", sa.Text))


def add_events(url: str, sender: str, *events) -> None:
    """events: (type_name, when) in order."""
    engine = engine_for(url)
    EVENTS.create(engine, checkfirst=True)
    with engine.begin() as conn:
        for type_name, when in events:
            conn.execute(EVENTS.insert().values(sender_id=sender, type_name=type_name, timestamp=when.timestamp(),
                                                data=json.dumps({"event": type_name, "timestamp": when.timestamp()})))


def events_of(url: str, sender: str) -> List[tuple]:
    with engine_for(url).connect() as conn:
        return [tuple(r) for r in conn.execute(select(EVENTS.c.type_name, EVENTS.c.timestamp)
                                               .where(EVENTS.c.sender_id == sender).order_by(EVENTS.c.id))]


def seed_everything(url: str) -> Dict[str, object]:
    """One of every kind of data the purge acts on, old and recent."""
    refs = {"old": save_lead(url, YEARS_AGO), "recent": save_lead(url, RECENTLY)}
    console_leads.add_note(refs["old"], "tuvan", "Mẹ em Minh hẹn gọi lại", url)
    with session_scope(url) as session:
        session.execute(sa.update(LeadNote).values(at=YEARS_AGO))
    add_question(url, "học phí nghề hàn năm cũ", MONTHS_AGO)
    add_question(url, "học phí nghề hàn năm nay", RECENTLY)
    hid = handoff.request("web:cu", "web", "request_human", url=url)
    mid = handoff.record_message(hid, "web:cu", "tuvan", "Chào em, cô gọi lại nhé", True, url=url)
    set_column(url, HandoffMessage, mid, at=MONTHS_AGO)
    add_events(url, "telegram:cu", ("session_started", MONTHS_AGO), ("user", MONTHS_AGO))
    add_events(url, "telegram:moi", ("session_started", RECENTLY), ("user", RECENTLY))
    return refs


# --- leads -----------------------------------------------------------------------------------

def test_old_lead_is_anonymised_but_still_counted_in_the_statistics(url, caplog):
    old = save_lead(url, YEARS_AGO, name="Lò Thị Cũ", phone="0911000111", programmes=["han", "dieu_duong"],
                    status="waiting_human")
    recent = save_lead(url, RECENTLY, name="Tẩn Văn Mới", phone="0911000222")
    from bot.storage import quiz as quiz_store
    result_id = quiz_store.record_result({"scores": {"R": 5}, "top_types": "R", "levels": ["so_cap"],
                                          "place": "near_home", "programmes": ["han"], "commune": "Bản Lang"},
                                         "telegram", url)
    quiz_store.link_to_lead(result_id, old, url)
    period = dict(start=YEARS_AGO.date() - dt.timedelta(days=3), end=YEARS_AGO.date() + dt.timedelta(days=3))
    before = reports.summary(url, **period)
    old_before = lead(url, old)

    with caplog.at_level("INFO", logger="bot.retention"):
        report = purge(url=url)

    assert report.leads_anonymised == 1 and not report.failed
    row = lead(url, old)
    assert (row.name, row.phone, row.commune, row.sender_id) == (None, None, None, ERASED)
    assert row.anonymised_at is not None
    # What the statistics use is kept: the row, status, programmes, channel, group and dates.
    assert (row.reference, row.status, row.programmes, row.channel, row.role) == (
        old, "waiting_human", ["han", "dieu_duong"], "telegram", "hs_thcs")
    assert (utc(row.created_at), utc(row.updated_at)) == (utc(old_before.created_at), utc(old_before.updated_at))
    assert [h.to_status for h in row.history] == ["waiting_human"]
    assert row.conversation.last_messages == [] and row.conversation.sender_id == ERASED
    after = reports.summary(url, **period)
    assert before.total == after.total == 1
    assert (before.by_status, before.by_programme, before.by_channel, before.funnel) == (
        after.by_status, after.by_programme, after.by_channel, after.funnel)
    with session_scope(url) as session:
        quiz_row = session.get(QuizResult, result_id)
        assert quiz_row.lead_reference is None and quiz_row.commune == "Bản Lang"
    kept = lead(url, recent)
    assert (kept.name, kept.phone, kept.commune, kept.anonymised_at) == ("Tẩn Văn Mới", "0911000222", "Bản Lang", None)
    assert kept.conversation.last_messages == [{"who": "user", "text": "nghề hàn học mấy năm"}]
    # One INFO line with the counts, and no personal data in the log.
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.retention"]
    assert len(lines) == 1 and "leads anonymised 1" in lines[0]
    assert not any(secret in lines[0] for secret in ("Lò Thị Cũ", "0911000111", "Tẩn Văn Mới", "0911000222"))


def test_old_lead_with_an_old_note_loses_the_note_and_keeps_its_history(url):
    ref = save_lead(url, YEARS_AGO)
    console_leads.add_note(ref, "tuvan", "Đã gọi cho mẹ em Minh, số nhà 12 bản Lang", url)
    console_leads.change_status(ref, "contacted", "tuvan", "Mẹ em Minh nghe máy", url)
    with session_scope(url) as session:
        session.execute(sa.update(LeadNote).values(at=YEARS_AGO))
        session.execute(sa.update(LeadStatusChange).values(at=YEARS_AGO))
        session.execute(sa.update(Lead).values(updated_at=YEARS_AGO))

    report = purge(url=url)

    row = lead(url, ref)
    assert row.anonymised_at is not None and row.name is None and row.status == "contacted"
    assert row.notes == []
    assert [(h.from_status, h.to_status, h.by, h.note) for h in row.history] == [
        (None, "new", "assistant", None), ("new", "contacted", "tuvan", None)]
    assert (report.leads_anonymised, report.lead_notes_deleted, report.history_notes_cleared) == (1, 1, 1)


def test_old_lead_with_recent_staff_work_is_kept(url):
    noted = save_lead(url, YEARS_AGO, name="Có Ghi Chú")
    moved = save_lead(url, YEARS_AGO, name="Đổi Trạng Thái")
    console_leads.add_note(noted, "tuvan", "Hẹn gọi lại tuần sau", url)  # a note does not touch updated_at
    console_leads.change_status(moved, "contacted", "tuvan", "", url)
    with session_scope(url) as session:
        session.execute(sa.update(Lead).values(updated_at=YEARS_AGO))

    report = purge(url=url)

    assert report.leads_anonymised == 0
    assert lead(url, noted).name == "Có Ghi Chú" and len(lead(url, noted).notes) == 1
    assert lead(url, moved).name == "Đổi Trạng Thái"


def test_lead_inside_the_lead_period_keeps_its_data_but_not_its_old_conversation_text(url):
    ref = save_lead(url, MONTHS_AGO, name="Giàng A Páo")
    report = purge(url=url)
    row = lead(url, ref)
    assert row.name == "Giàng A Páo" and row.anonymised_at is None
    assert row.conversation.last_messages == [] and row.conversation.sender_id == row.sender_id != ERASED
    assert row.conversation.programmes_asked == ["han"]
    assert (report.leads_anonymised, report.conversations_cleared) == (0, 1)


def test_shorter_periods_from_the_environment_apply(url, monkeypatch):
    ref = save_lead(url, NOW - dt.timedelta(days=40))
    assert purge(url=url).leads_anonymised == 0
    monkeypatch.setenv("RETENTION_DAYS", "30")
    assert purge(url=url).leads_anonymised == 1
    assert lead(url, ref).name is None


# --- conversations ----------------------------------------------------------------------------

def test_old_unanswered_questions_lose_their_text_and_stay_counted(url):
    old = add_question(url, "em tên Lan số 0912345678 hỏi học bổng", MONTHS_AGO, sender="telegram:lan")
    new = add_question(url, "học bổng năm nay thế nào", RECENTLY)
    period = dict(start=MONTHS_AGO.date() - dt.timedelta(days=1), end=NOW.date())
    before = reports.summary(url, **period).unanswered

    report = purge(url=url)

    assert report.questions_cleared == 1
    with session_scope(url) as session:
        texts = {q.id: (q.text, q.sender_id, q.status) for q in session.scalars(select(UnansweredQuestion))}
    assert texts[old] == ("", ERASED, "expired")
    assert texts[new] == ("học bổng năm nay thế nào", "telegram:hoi", "new")
    assert before == reports.summary(url, **period).unanswered == 2
    from bot.console import gaps
    assert [g.ids for g in gaps.open_gaps(url)] == [[new]]


def test_old_handoff_messages_and_closed_handoffs_are_deleted(url):
    open_id = handoff.request("web:mo", "web", "request_human", url=url)
    old_msg = handoff.record_message(open_id, "web:mo", "tuvan", "Chào em Lan", True, url=url)
    new_msg = handoff.record_message(open_id, "web:mo", "tuvan", "Em cần gì thêm không?", True, url=url)
    set_column(url, HandoffMessage, old_msg, at=MONTHS_AGO)
    closed_old = handoff.request("web:xong", "web", "failed_twice", url=url)
    handoff.take(closed_old, "tuvan", url=url)
    handoff.record_message(closed_old, "web:xong", "tuvan", "Cô gửi em danh sách hồ sơ", True, url=url)
    handoff.close(closed_old, "tuvan", url=url)
    set_column(url, Handoff, closed_old, requested_at=MONTHS_AGO, closed_at=MONTHS_AGO)
    closed_new = handoff.request("web:vuaxong", "web", "request_human", url=url)
    handoff.take(closed_new, "tuvan", url=url)
    handoff.close(closed_new, "tuvan", url=url)

    report = purge(url=url)

    assert (report.handoff_messages_deleted, report.handoffs_deleted) == (2, 1)
    with session_scope(url) as session:
        assert set(session.scalars(select(Handoff.id))) == {open_id, closed_new}
        assert list(session.scalars(select(HandoffMessage.id))) == [new_msg]
    assert [m.text for m in handoff.messages_after("web:mo", 0, url)] == ["Em cần gì thêm không?"]


def test_old_rasa_tracker_events_are_deleted_without_cutting_a_current_session(url):
    add_events(url, "telegram:im-lang", ("action", MONTHS_AGO), ("session_started", MONTHS_AGO), ("user", MONTHS_AGO))
    add_events(url, "telegram:quay-lai", ("session_started", MONTHS_AGO), ("user", MONTHS_AGO),
               ("action", RECENTLY), ("session_started", RECENTLY), ("user", RECENTLY))
    # One long session (started before the cutoff, still going): Rasa counts its events, so none go yet.
    add_events(url, "telegram:dang-noi", ("session_started", MONTHS_AGO), ("user", MONTHS_AGO), ("user", RECENTLY))
    add_events(url, "telegram:moi", ("session_started", RECENTLY), ("user", RECENTLY))

    report = purge(url=url)

    assert report.tracker_table and report.tracker_events_deleted == 3 + 2
    assert events_of(url, "telegram:im-lang") == []
    assert events_of(url, "telegram:quay-lai") == [("action", RECENTLY.timestamp()), ("session_started", RECENTLY.timestamp()),
                                                   ("user", RECENTLY.timestamp())]
    assert len(events_of(url, "telegram:dang-noi")) == 3 and len(events_of(url, "telegram:moi")) == 2


def test_rasa_tracker_store_reads_and_appends_correctly_after_a_purge(url):
    """With Rasa's own SQLTrackerStore on the database: the kept session is read back whole, and
    the next save appends only the new event (no duplicates, nothing re-inserted)."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    parts = sa.engine.make_url(url)
    if parts.get_backend_name() == "sqlite":
        store = SQLTrackerStore(dialect="sqlite", db=parts.database)
    else:
        store = SQLTrackerStore(dialect="postgresql", host=parts.host, port=parts.port, db=parts.database,
                                username=parts.username, password=parts.password)

    def session(when: dt.datetime, text: str):
        t = when.timestamp()
        return [ActionExecuted("action_session_start", timestamp=t), SessionStarted(timestamp=t),
                ActionExecuted("action_listen", timestamp=t), UserUttered(text, timestamp=t + 1)]

    tracker = DialogueStateTracker.from_events("telegram:rasa", session(MONTHS_AGO, "học phí bao nhiêu")
                                               + session(RECENTLY, "nghề hàn"))
    asyncio.run(store.save(tracker))
    assert len(events_of(url, "telegram:rasa")) == 8

    assert purge(url=url).tracker_events_deleted == 4

    kept = asyncio.run(store.retrieve("telegram:rasa"))
    assert [e.text for e in kept.events if isinstance(e, UserUttered)] == ["nghề hàn"]
    kept.update(UserUttered("còn học bổng?", timestamp=NOW.timestamp()))
    asyncio.run(store.save(kept))
    assert [t for t, _ in events_of(url, "telegram:rasa")] == [
        "action", "session_started", "action", "user", "user"]
    store.engine.dispose()


def test_tracker_in_another_database_and_a_database_without_one(url, tmp_path, monkeypatch):
    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    add_events(tracker_url, "telegram:cu", ("session_started", MONTHS_AGO), ("user", MONTHS_AGO))
    add_events(tracker_url, "telegram:moi", ("session_started", RECENTLY), ("user", RECENTLY))
    save_lead(url, RECENTLY)

    alone = purge(url=url)  # the application database has no `events` table: skipped, no error
    assert (alone.tracker_table, alone.tracker_events_deleted, alone.failed) == (False, 0, [])
    assert "no Rasa `events` table found" in "\n".join(alone.lines())

    monkeypatch.setenv("TRACKER_DATABASE_URL", tracker_url)
    report = purge(url=url)
    assert (report.tracker_table, report.tracker_events_deleted) == (True, 2)
    assert events_of(tracker_url, "telegram:cu") == [] and len(events_of(tracker_url, "telegram:moi")) == 2
    assert not sa.inspect(engine_for(url)).has_table("events")


# --- staff sessions and the audit log -------------------------------------------------------------

def test_expired_staff_sessions_and_old_audit_entries_are_deleted(url):
    from bot.console import auth

    uid = auth.create_user("tuvan", "Cô Hoa", "counsellor", "Hoaban-Doi-Nuoc-26", url)
    live, _ = auth.open_session(uid, url)
    with session_scope(url) as session:
        session.add(StaffSession(token_hash="x" * 64, user_id=uid, csrf_token="c", expires_at=NOW - dt.timedelta(hours=1)))
        session.add(AuditEntry(username="tuvan", action="view", target="leads", ip="10.0.0.9", at=NOW - dt.timedelta(days=1200)))
        session.add(AuditEntry(username="tuvan", action="view", target="leads", ip="10.0.0.8", at=NOW - dt.timedelta(days=30)))

    report = purge(url=url)

    assert (report.staff_sessions_deleted, report.audit_entries_deleted) == (1, 1)
    assert auth.staff_for(live, url) is not None
    with session_scope(url) as session:
        ips = [e.ip for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert session.scalar(select(sa.func.count()).select_from(StaffUser)) == 1
    assert ips == ["10.0.0.8", None]  # the purge's own entry comes last


# --- dry run, idempotence, audit ---------------------------------------------------------------

def test_dry_run_changes_nothing_and_counts_what_a_purge_does(url):
    seed_everything(url)
    before = dump(url, skip=())

    dry = purge(url=url, dry_run=True)

    assert dump(url, skip=()) == before  # not even an audit entry
    assert dry.dry_run and dry.leads_anonymised == 1 and dry.total > 0
    real = purge(url=url)
    assert counts_of(real) == counts_of(dry)
    assert counts_of(real) == {
        "leads_anonymised": 1, "lead_notes_deleted": 1, "history_notes_cleared": 0,
        "conversations_cleared": 1, "questions_cleared": 1, "handoff_messages_deleted": 1, "handoffs_deleted": 0,
        "tracker_events_deleted": 2, "staff_sessions_deleted": 0, "audit_entries_deleted": 0}


def test_running_twice_changes_nothing_more(url):
    refs = seed_everything(url)
    first = purge(url=url)
    after_first = dump(url)

    second = purge(url=url)

    assert first.total > 0 and second.total == 0 and not second.failed
    assert dump(url) == after_first
    assert lead(url, refs["old"]).anonymised_at is not None
    with session_scope(url) as session:
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "purge").order_by(AuditEntry.id)))
    assert [e.username for e in entries] == [retention.SYSTEM_USER] * 2
    assert "đăng ký được ẩn danh: 1" in entries[0].detail and "đăng ký được ẩn danh: 0" in entries[1].detail


def test_a_failing_kind_is_rolled_back_alone(url, monkeypatch):
    from sqlalchemy.exc import OperationalError

    ref = save_lead(url, YEARS_AGO)
    hid = handoff.request("web:loi", "web", "request_human", url=url)
    mid = handoff.record_message(hid, "web:loi", "tuvan", "Chào em", True, url=url)
    set_column(url, HandoffMessage, mid, at=MONTHS_AGO)

    def half_done(session, report, cutoff):
        report.handoff_messages_deleted = session.execute(sa.delete(HandoffMessage)).rowcount
        raise OperationalError("DELETE FROM handoffs", {}, Exception("connection lost"))

    monkeypatch.setattr(retention, "_purge_handoffs", half_done)
    report = purge(url=url)

    assert report.failed == ["handoffs"] and report.handoff_messages_deleted == 0
    assert report.leads_anonymised == 1 and lead(url, ref).anonymised_at is not None
    with session_scope(url) as session:
        assert list(session.scalars(select(HandoffMessage.id))) == [mid]
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "purge"))
    assert "lỗi, chưa xóa: handoffs" in entry.detail


# --- settings -------------------------------------------------------------------------------

def test_policy_defaults_and_values_from_the_environment():
    assert RetentionPolicy.from_env({}) == RetentionPolicy(730, 180, 1095, 24)
    assert RetentionPolicy.from_env({"RETENTION_DAYS": " 365 ", "CONVERSATION_RETENTION_DAYS": "90",
                                     "AUDIT_RETENTION_DAYS": "400", "RETENTION_PURGE_INTERVAL_HOURS": "0"}) == \
        RetentionPolicy(365, 90, 400, 0)


@pytest.mark.parametrize("name, value, says", [
    ("RETENTION_DAYS", "abc", "positive whole number"),
    ("RETENTION_DAYS", "0", "between 1 and"),
    ("CONVERSATION_RETENTION_DAYS", "-5", "positive whole number"),
    ("CONVERSATION_RETENTION_DAYS", "30d", "positive whole number"),
    ("AUDIT_RETENTION_DAYS", "1.5", "positive whole number"),
    ("AUDIT_RETENTION_DAYS", "99999999999", "between 1 and 36500"),
    ("RETENTION_PURGE_INTERVAL_HOURS", "-1", "whole number, 0 or more"),
])
def test_bad_settings_raise_a_clear_error(name, value, says, monkeypatch):
    monkeypatch.setenv(name, value)
    with pytest.raises(RetentionConfigError) as raised:
        RetentionPolicy.from_env()
    message = str(raised.value)
    assert name in message and says in message and value in message and "Unset it to use the default" in message


def test_purge_with_a_bad_setting_changes_nothing(url, monkeypatch):
    ref = save_lead(url, YEARS_AGO)
    monkeypatch.setenv("RETENTION_DAYS", "two years")
    with pytest.raises(RetentionConfigError, match="RETENTION_DAYS"):
        purge(url=url)
    assert lead(url, ref).name == "Lò Văn Minh"


# --- the command line ----------------------------------------------------------------------------

def cli(url: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ENV}
    environ.update({"DATABASE_URL": url, "PYTHONPATH": str(ROOT), **env})
    return subprocess.run([sys.executable, "-m", "bot", "retention", *args], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=120)


def test_command_line_show_dry_run_and_purge(url):
    ref = save_lead(url, YEARS_AGO, name="Vàng Thị Dế", phone="0977000333")

    shown = cli(url, "show", RETENTION_DAYS="365")
    assert shown.returncode == 0, shown.stderr
    assert "RETENTION_DAYS=365 days" in shown.stdout and "CONVERSATION_RETENTION_DAYS=180 days" in shown.stdout
    assert "AUDIT_RETENTION_DAYS=1095 days" in shown.stdout and "RETENTION_PURGE_INTERVAL_HOURS=24 hours" in shown.stdout

    dry = cli(url, "purge", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "dry run" in dry.stdout and "  leads anonymised: 1" in dry.stdout.splitlines()
    assert lead(url, ref).name == "Vàng Thị Dế"

    done = cli(url, "purge")
    assert done.returncode == 0, done.stderr
    assert "  leads anonymised: 1" in done.stdout.splitlines() and "  lead notes deleted: 0" in done.stdout.splitlines()
    assert "Vàng Thị Dế" not in done.stdout + done.stderr and "0977000333" not in done.stdout + done.stderr
    assert lead(url, ref).name is None
    assert "  leads anonymised: 0" in cli(url, "purge").stdout.splitlines()

    bad = cli(url, "purge", CONVERSATION_RETENTION_DAYS="half a year")
    assert bad.returncode == 2 and "CONVERSATION_RETENTION_DAYS must be a positive whole number" in bad.stderr


# --- the automatic job -------------------------------------------------------------------------

def test_daily_job_survives_errors_and_keeps_its_interval():
    calls, sleeps = [], []

    def job(url, policy):
        calls.append(url)
        if len(calls) == 1:
            raise RuntimeError("database restarting")

    async def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 3:
            raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(retention.run_daily("sqlite:///x.db", RetentionPolicy(interval_hours=6), sleep=sleep, job=job))
    assert calls == ["sqlite:///x.db"] * 3 and sleeps == [6 * 3600] * 3


def test_daily_job_is_off_with_interval_zero():
    calls = []
    asyncio.run(retention.run_daily("sqlite:///x.db", RetentionPolicy(interval_hours=0),
                                    job=lambda *a: calls.append(a)))
    assert calls == []


def test_advisory_lock_lets_one_instance_purge_at_a_time(url):
    ref = save_lead(url, YEARS_AGO)
    if not url.startswith("postgresql"):
        with retention.exclusive(url) as mine:
            assert mine  # SQLite: no lock needed
        return
    other = sa.create_engine(url, future=True)
    with other.connect() as conn:
        assert conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": retention.LOCK_KEY}).scalar()
        assert retention.purge_exclusive(url) is None
        assert lead(url, ref).name == "Lò Văn Minh"
        conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": retention.LOCK_KEY})
    other.dispose()
    report = retention.purge_exclusive(url)
    assert report is not None and report.leads_anonymised == 1
    with retention.exclusive(url) as mine:  # released after the purge
        assert mine


def test_console_purges_at_start_up_and_records_it(url, tmp_path):
    ref = save_lead(url, YEARS_AGO, name="Sùng Thị Pà", phone="0988000444")
    recent = save_lead(url, RECENTLY)
    with running_console(tmp_path / "console", url) as base:
        deadline = time.time() + 60
        while lead(url, ref).anonymised_at is None and time.time() < deadline:
            time.sleep(0.3)
        assert lead(url, ref).anonymised_at is not None, "the console did not purge at start-up"
        while time.time() < deadline:
            with session_scope(url) as session:
                entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "purge"))
            if entry:
                break
            time.sleep(0.3)
        import httpx
        assert httpx.get(base + "/console/login", timeout=10).status_code == 200
    assert entry is not None and entry.username == retention.SYSTEM_USER and entry.target == "retention"
    assert "đăng ký được ẩn danh: 1" in entry.detail
    assert lead(url, recent).name == "Lò Văn Minh"
    log = (tmp_path / "console" / "console.log").read_text()
    assert "retention purge: leads anonymised 1" in log
    assert "Sùng Thị Pà" not in log and "0988000444" not in log


def test_console_does_not_start_with_a_bad_retention_setting(url, tmp_path):
    with pytest.raises(RuntimeError, match="RETENTION_PURGE_INTERVAL_HOURS must be"):
        with running_console(tmp_path / "console", url, {"RETENTION_PURGE_INTERVAL_HOURS": "daily"}):
            pass
