"""Leads for the console: the filtered list (shared by the page and the export), one lead with
its conversation, and the status workflow with notes and an assignee."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Dict, List, Mapping, Optional, Tuple

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import selectinload

from bot.clock import VIETNAM
from bot.console.numbers import whole_number
from bot.leads.export import STATUS_LABELS
from bot.leads.phone import normalise_phone
from bot.storage.db import session_scope
from bot.storage.models import Lead, LeadNote, LeadStatusChange, StaffUser, utcnow

PER_PAGE = 50
MAX_NOTE = 4000  # the note form's maxlength
MAX_STATUS_NOTE = 2000  # the status form's maxlength
# mới → đã liên hệ → đã nộp hồ sơ → nhập học / không tiếp tục (a handoff request is "chờ tư vấn viên").
TRANSITIONS: Dict[str, Tuple[str, ...]] = {
    "new": ("contacted", "dropped"),
    "waiting_human": ("contacted", "dropped"),
    "contacted": ("applied", "dropped"),
    "applied": ("enrolled", "dropped"),
    "enrolled": (),
    "dropped": ("contacted",),
}


class WorkflowError(ValueError):
    """A Vietnamese message: the change is not allowed."""


@dataclass
class LeadFilter:
    q: str = ""  # name, phone or reference
    status: str = ""
    programme: str = ""
    commune: str = ""
    channel: str = ""
    assignee: str = ""  # a user id, or "none"
    date_from: str = ""  # YYYY-MM-DD
    date_to: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "LeadFilter":
        return cls(**{f.name: (args.get(f.name) or "").strip()[:120] for f in fields(cls)})

    def as_query(self) -> Dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def problems(self) -> List[str]:
        found = []
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value and _date(value) is None:
                found.append(f"Ngày không hợp lệ: {value} (dạng YYYY-MM-DD).")
        if self.status and self.status not in STATUS_LABELS:
            found.append("Trạng thái không hợp lệ.")
        return found


def _date(value: str) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _filtered(stmt, f: LeadFilter):
    if f.q:
        phone = normalise_phone(f.q)
        like = f"%{f.q.lower()}%"
        stmt = stmt.where(or_(func.lower(Lead.name).like(like), Lead.reference == f.q.upper(),
                              Lead.phone == phone if phone else Lead.phone.like(f"%{f.q}%")))
    if f.status in STATUS_LABELS:
        stmt = stmt.where(Lead.status == f.status)
    if f.programme:
        # programmes is a JSON list of ids; a text match on the quoted id works on SQLite and PostgreSQL.
        stmt = stmt.where(cast(Lead.programmes, String).like(f'%"{f.programme}"%'))
    if f.commune:
        stmt = stmt.where(func.lower(Lead.commune) == f.commune.lower())
    if f.channel:
        stmt = stmt.where(Lead.channel == f.channel)
    assignee = whole_number(f.assignee)
    if f.assignee == "none":
        stmt = stmt.where(Lead.assignee_id.is_(None))
    elif assignee is not None:
        stmt = stmt.where(Lead.assignee_id == assignee)
    start, end = _date(f.date_from), _date(f.date_to)
    if start:
        stmt = stmt.where(Lead.created_at >= dt.datetime.combine(start, dt.time(), VIETNAM))
    if end and end < dt.date.max:  # dates are Vietnamese days, whatever the server's zone (date.max has no next day)
        stmt = stmt.where(Lead.created_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), VIETNAM))
    return stmt


@dataclass
class Page:
    leads: List[Lead]
    total: int
    page: int
    pages: int


def list_leads(f: LeadFilter, page: int = 1, per_page: int = PER_PAGE, url: Optional[str] = None) -> Page:
    with session_scope(url) as session:
        total = session.scalar(_filtered(select(func.count(Lead.id)), f)) or 0
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        stmt = (_filtered(select(Lead).options(selectinload(Lead.assignee)), f)
                .order_by(Lead.created_at.desc(), Lead.id.desc()).offset((page - 1) * per_page).limit(per_page))
        return Page(list(session.scalars(stmt)), total, page, pages)


def all_matching(f: LeadFilter, url: Optional[str] = None) -> List[Lead]:
    with session_scope(url) as session:
        stmt = _filtered(select(Lead).options(selectinload(Lead.consents)), f).order_by(Lead.created_at)
        return list(session.scalars(stmt))


def get_lead(reference: str, url: Optional[str] = None) -> Optional[Lead]:
    with session_scope(url) as session:
        stmt = (select(Lead).where(Lead.reference == reference)
                .options(selectinload(Lead.history), selectinload(Lead.notes), selectinload(Lead.conversation),
                         selectinload(Lead.assignee), selectinload(Lead.consents)))
        return session.scalar(stmt)


def change_status(reference: str, to_status: str, by: str, note: str = "", url: Optional[str] = None) -> str:
    note = note.strip()
    if len(note) > MAX_STATUS_NOTE:  # refused rather than cut: nothing typed is silently lost
        raise WorkflowError(f"Ghi chú dài quá {MAX_STATUS_NOTE} ký tự, hãy rút gọn.")
    with session_scope(url) as session:
        lead = session.scalar(select(Lead).where(Lead.reference == reference))
        if lead is None:
            raise WorkflowError("Không tìm thấy đăng ký này.")
        if to_status not in TRANSITIONS.get(lead.status, ()):
            raise WorkflowError(f"Không thể chuyển từ \"{STATUS_LABELS.get(lead.status, lead.status)}\" sang "
                                f"\"{STATUS_LABELS.get(to_status, to_status)}\".")
        session.add(LeadStatusChange(lead_id=lead.id, from_status=lead.status, to_status=to_status, by=by[:64],
                                     note=note or None))
        before, lead.status, lead.updated_at = lead.status, to_status, utcnow()
        return before


def add_note(reference: str, author: str, text: str, url: Optional[str] = None) -> None:
    text = text.strip()
    if not text:
        raise WorkflowError("Ghi chú đang trống.")
    if len(text) > MAX_NOTE:  # refused rather than cut: nothing typed is silently lost
        raise WorkflowError(f"Ghi chú dài quá {MAX_NOTE} ký tự, hãy rút gọn.")
    with session_scope(url) as session:
        lead = session.scalar(select(Lead).where(Lead.reference == reference))
        if lead is None:
            raise WorkflowError("Không tìm thấy đăng ký này.")
        session.add(LeadNote(lead_id=lead.id, author=author[:64], text=text))


def assign(reference: str, user_id: Optional[int], url: Optional[str] = None) -> Optional[str]:
    """Set who follows the lead up; returns the new assignee's username (None: nobody)."""
    with session_scope(url) as session:
        lead = session.scalar(select(Lead).where(Lead.reference == reference))
        if lead is None:
            raise WorkflowError("Không tìm thấy đăng ký này.")
        user = session.get(StaffUser, user_id) if user_id is not None else None
        if user_id is not None and (user is None or user.role == "viewer" or not user.active):
            raise WorkflowError("Người được giao không hợp lệ.")
        lead.assignee_id = user.id if user else None
        return user.username if user else None


def staff_who_work_leads(url: Optional[str] = None) -> List[StaffUser]:
    with session_scope(url) as session:
        return list(session.scalars(select(StaffUser).where(StaffUser.role != "viewer", StaffUser.active.is_(True))
                                    .order_by(StaffUser.display_name)))


def filter_choices(url: Optional[str] = None) -> Dict[str, List[str]]:
    """Values present in the data, for the filter drop-downs."""
    with session_scope(url) as session:
        channels = [c for (c,) in session.execute(select(Lead.channel).distinct().order_by(Lead.channel))]
        communes = [c for (c,) in session.execute(select(Lead.commune).where(Lead.commune.is_not(None))
                                                   .distinct().order_by(Lead.commune).limit(500))]
    return {"channels": channels, "communes": communes}
