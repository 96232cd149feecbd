"""Figures for the reports page: leads per week, by programme, xã/phường, target group, channel,
conversion through the status workflow, and questions the assistant could not answer.
No personal data: only counts."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Tuple

from sqlalchemy import String, cast, func, select

from bot.clock import VIETNAM
from bot.kb import get_kb
from bot.kb.matching import matcher_for
from bot.kb.models import KnowledgeBase
from bot.leads.export import safe_cell
from bot.leads.form import ROLES as PERSON_ROLES
from bot.storage.db import session_scope
from bot.storage.questions import answered_between
from bot.storage.quiz import UNKNOWN_COMMUNE, CommuneInterests
from bot.storage.models import Lead, QuizResult, UnansweredQuestion

# How far each status has come along mới → đã liên hệ → đã nộp hồ sơ → nhập học.
STAGES = ("new", "contacted", "applied", "enrolled")
REACHED = {"new": 0, "waiting_human": 0, "contacted": 1, "applied": 2, "enrolled": 3, "dropped": 0}


@dataclass
class Summary:
    total: int = 0
    by_status: List[Tuple[str, int]] = field(default_factory=list)
    per_week: List[Tuple[str, int]] = field(default_factory=list)
    by_programme: List[Tuple[str, int]] = field(default_factory=list)
    by_commune: List[Tuple[str, int]] = field(default_factory=list)
    by_group: List[Tuple[str, int]] = field(default_factory=list)
    by_channel: List[Tuple[str, int]] = field(default_factory=list)
    funnel: List[Tuple[str, int]] = field(default_factory=list)
    unanswered: int = 0
    answered: int = 0
    quizzes: int = 0

    @staticmethod
    def widest(rows: List[Tuple[str, int]]) -> int:
        return max([n for _, n in rows] + [1])


def _counted(session, column, period, limit: Optional[int] = None) -> List[Tuple[str, int]]:
    stmt = period(select(column, func.count()).group_by(column).order_by(func.count().desc()))
    if limit:
        stmt = stmt.limit(limit)
    return [(value or "(không rõ)", n) for value, n in session.execute(stmt)]


# Reports show places, never what a person typed: a xã/phường answer that is not one of the
# province's (a village with a name and a phone number, say) is counted here (review M1).
OTHER_PLACE = "Khác (ngoài danh sách xã/phường của tỉnh)"


def place_label(value: Optional[str], kb: KnowledgeBase) -> str:
    """The commune a stored xã/phường answer names (a former name gives today's), or OTHER_PLACE."""
    if not value:
        return "(không rõ)"
    found = matcher_for(kb).communes_in(value)
    return found[0].name if found else OTHER_PLACE


def _by_place(session, period, kb: KnowledgeBase, limit: Optional[int]) -> List[Tuple[str, int]]:
    counts: Counter = Counter()
    for value, n in session.execute(period(select(Lead.commune, func.count()).group_by(Lead.commune))):
        counts[place_label(value, kb)] += n
    return counts.most_common(limit)


def interests_by_place(rows: List[CommuneInterests], kb: KnowledgeBase) -> List[CommuneInterests]:
    """The quiz's interests per xã/phường, by the province's communes (the rest together)."""
    merged: dict = {}
    for row in rows:
        label = place_label(row.commune if row.commune != UNKNOWN_COMMUNE else None, kb)
        entry = merged.setdefault(label, CommuneInterests(label))
        entry.people += row.people
        entry.types.update(row.types)
        entry.programmes.update(row.programmes)
    return sorted(merged.values(), key=lambda r: (-r.people, r.commune))


def _between(start: Optional[dt.date], end: Optional[dt.date], column=Lead.created_at):
    """A filter on `column` for Vietnamese days start..end (inclusive)."""
    def apply(stmt):
        if start:
            stmt = stmt.where(column >= dt.datetime.combine(start, dt.time(), VIETNAM))
        if end and end < dt.date.max:  # nothing is after the last day there is
            stmt = stmt.where(column < dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), VIETNAM))
        return stmt
    return apply


def summary(url: Optional[str] = None, weeks: int = 12, today: Optional[dt.date] = None,
            start: Optional[dt.date] = None, end: Optional[dt.date] = None, limit: Optional[int] = 15) -> Summary:
    """Counts for leads created between `start` and `end` (all time when not given)."""
    kb = get_kb()
    names = {p.id: p.name for p in kb.programmes}
    today = today or dt.date.today()
    since = today - dt.timedelta(weeks=weeks)
    period = _between(start, end)
    out = Summary()
    with session_scope(url) as session:
        out.total = session.scalar(period(select(func.count(Lead.id)))) or 0
        out.by_status = _counted(session, Lead.status, period)
        out.by_channel = _counted(session, Lead.channel, period)
        out.by_commune = _by_place(session, period, kb, limit)
        out.by_group = [(PERSON_ROLES.get(role, role), n) for role, n in _counted(session, Lead.role, period)]
        programmes: Counter = Counter()
        # Grouped in the database by the list as text (few distinct lists), expanded here.
        as_text = cast(Lead.programmes, String)
        for text, n in session.execute(period(select(as_text, func.count()).group_by(as_text))):
            for pid in (json.loads(text) if text else []) or ["(chưa chọn)"]:
                programmes[pid] += n
        out.by_programme = [(names.get(p, p), n) for p, n in programmes.most_common(limit)]
        weekly: Counter = Counter()
        weeks_from = dt.datetime.combine(since, dt.time(), dt.timezone.utc)  # not `start`: the period below needs it
        day = func.date(Lead.created_at)  # the database's day (UTC); weeks start on Monday
        for value, n in session.execute(select(day, func.count()).where(Lead.created_at >= weeks_from).group_by(day)):
            created = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            weekly[created - dt.timedelta(days=created.weekday())] += n
        first = since - dt.timedelta(days=since.weekday())
        out.per_week = [((first + dt.timedelta(weeks=i)).strftime("%d/%m"), weekly.get(first + dt.timedelta(weeks=i), 0))
                        for i in range(weeks + 1)]
        statuses = dict(out.by_status)
        out.funnel = [(stage, sum(n for s, n in statuses.items() if REACHED.get(s, 0) >= i))
                      for i, stage in enumerate(STAGES)]
        out.unanswered = session.scalar(_between(start, end, UnansweredQuestion.asked_at)(
            select(func.count(UnansweredQuestion.id)))) or 0
        out.answered = answered_between(start, end, url)
        out.quizzes = session.scalar(_between(start, end, QuizResult.completed_at)(select(func.count(QuizResult.id)))) or 0
    return out


# --- the yearly report for the department ------------------------------------------------

SECTIONS = (("Theo trạng thái", "by_status"), ("Chuyển đổi qua các bước", "funnel"), ("Theo nghề", "by_programme"),
            ("Theo xã/phường", "by_commune"), ("Theo đối tượng", "by_group"), ("Theo kênh", "by_channel"))


def _labelled(out: Summary, key: str) -> List[Tuple[str, int]]:
    from bot.leads.export import STATUS_LABELS

    rows = getattr(out, key)
    return [(STATUS_LABELS.get(label, label), n) for label, n in rows] if key in ("by_status", "funnel") else rows


def totals(out: Summary) -> List[Tuple[str, int]]:
    return [("Tổng số đăng ký tư vấn", out.total), ("Câu hỏi trợ lý đã trả lời", out.answered),
            ("Câu hỏi trợ lý chưa trả lời được", out.unanswered), ("Bài trắc nghiệm sở thích đã làm", out.quizzes)]


def period_title(start: dt.date, end: dt.date) -> str:
    return f"Báo cáo kết quả tư vấn tuyển sinh từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"


def yearly_xlsx(out: Summary, start: dt.date, end: dt.date) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Tổng hợp"
    sheet.append([period_title(start, end)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(["Trường Cao đẳng Lai Châu - Phòng Tuyển sinh"])
    sheet.append([])
    for label, value in totals(out):
        sheet.append([safe_cell(str(label)), value])
    for title, key in SECTIONS:
        sheet.append([])
        sheet.append([title, "Số lượng"])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for label, n in _labelled(out, key):  # labels come from the public chat (xã/phường): never a formula
            sheet.append([safe_cell(str(label)), n])
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 14
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _font_files() -> Tuple[str, str]:
    """A Unicode font with Vietnamese glyphs: DejaVu, shipped inside matplotlib (a Rasa dependency)."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return str(folder / "DejaVuSans.ttf"), str(folder / "DejaVuSans-Bold.ttf")


def yearly_pdf(out: Summary, start: dt.date, end: dt.date) -> bytes:
    from fpdf import FPDF

    regular, bold = _font_files()
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", regular)
    pdf.add_font("DejaVu", "B", bold)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(0, 8, period_title(start, end), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(0, 7, "Trường Cao đẳng Lai Châu - Phòng Tuyển sinh", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for label, value in totals(out):
        pdf.cell(140, 7, label)
        pdf.cell(0, 7, str(value), align="R", new_x="LMARGIN", new_y="NEXT")
    for title, key in SECTIONS:
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", 12)
        pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 11)
        rows = _labelled(out, key) or [("(không có dữ liệu)", 0)]
        for label, n in rows:
            pdf.cell(140, 6, str(label)[:80], border="B")
            pdf.cell(0, 6, str(n), border="B", align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
