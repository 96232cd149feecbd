"""Export leads for staff: CSV (UTF-8 with BOM, opens correctly in Excel on Windows) or XLSX."""

from __future__ import annotations

import csv
import datetime as dt
from typing import IO, Iterable, List, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot import clock
from bot.kb import get_kb
from bot.leads.form import CONTACT_TIMES, ROLES, programme_names
from bot.storage.db import session_scope
from bot.storage.models import Lead

STATUS_LABELS = {
    "new": "Mới",
    "waiting_human": "Chờ tư vấn viên",
    "contacted": "Đã liên hệ",
    "applied": "Đã nộp hồ sơ",
    "enrolled": "Nhập học",
    "dropped": "Không tiếp tục",
}
HEADERS = ["Mã đăng ký", "Ngày đăng ký", "Trạng thái", "Họ tên", "Số điện thoại", "Đối tượng", "Xã/phường",
           "Nghề quan tâm", "Thời gian liên hệ", "Dưới 16 tuổi", "Kênh", "Đồng ý lưu dữ liệu"]


def load_leads(since: Optional[dt.date] = None, url: Optional[str] = None) -> List[Lead]:
    with session_scope(url) as session:
        stmt = select(Lead).options(selectinload(Lead.consents)).order_by(Lead.created_at)
        if since:
            stmt = stmt.where(Lead.created_at >= dt.datetime.combine(since, dt.time.min, tzinfo=dt.timezone.utc))
        return list(session.scalars(stmt))


def rows(leads: Iterable[Lead]) -> List[List[str]]:
    kb = get_kb()
    out = []
    for lead in leads:
        consent = lead.consents[-1] if lead.consents else None
        out.append([
            lead.reference,
            clock.local(lead.created_at),
            STATUS_LABELS.get(lead.status, lead.status),
            lead.name or "",
            lead.phone or "",
            ROLES.get(lead.role or "", ""),
            lead.commune or "",
            programme_names(lead.programmes, kb) if lead.programmes else "",
            CONTACT_TIMES.get(lead.contact_time or "", ("",))[0],
            "Có" if lead.is_minor else "Không",
            lead.channel,
            clock.local(consent.given_at) + (" (có ý kiến cha/mẹ)" if consent.parent_consent else "")
            if consent else "",
        ])
    return out


def safe_cell(value: str) -> str:
    """Text a spreadsheet will not run as a formula (a name typed as "=HYPERLINK(...)")."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def write_csv(data: Sequence[Sequence[str]], stream: IO[str]) -> None:
    stream.write("\ufeff")  # BOM: Excel then reads UTF-8
    csv.writer(stream).writerow(HEADERS)
    # Every data cell quoted: "Bản Lang;=1+2" stays one cell where Excel splits on ";" (review L4).
    csv.writer(stream, quoting=csv.QUOTE_ALL).writerows([safe_cell(str(v)) for v in row] for row in data)


def write_xlsx(data: Sequence[Sequence[str]], path: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách đăng ký"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in data:
        sheet.append([safe_cell(str(v)) for v in row])
    for column, header in zip(sheet.columns, HEADERS):
        width = max([len(header)] + [len(str(c.value or "")) for c in column])
        sheet.column_dimensions[column[0].column_letter].width = min(width + 2, 50)
    sheet.freeze_panes = "A2"
    book.save(path)
