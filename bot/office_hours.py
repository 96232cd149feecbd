"""When counsellors work, to tell a person asking for one when they will answer.

The hours are the college's, in knowledge_base/contacts.yml (`office_hours`: schedule, days
closed, verification and source). Until the college confirms them, the assistant promises no
time at all: it says a counsellor will answer here when available and that the hours are being
confirmed. Nothing here is a default: a guess at "giờ hành chính" told as fact is a promise the
college may not keep.
"""

from __future__ import annotations

import datetime as dt
from typing import List, Optional, Tuple

from bot.clock import VIETNAM
from bot.kb.models import OfficeHours

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_NAMES = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]
UNCONFIRMED = ("Cán bộ tư vấn sẽ trả lời bạn ngay trong cuộc trò chuyện này khi có mặt; giờ làm việc của bộ phận "
               "tuyển sinh đang chờ trường xác nhận. Bạn cứ để lại câu hỏi ở đây.")


def parse(spec: str) -> Tuple[List[int], List[Tuple[dt.time, dt.time]]]:
    """'mon-fri 07:30-11:30,13:30-17:00' -> ([0..4], [(07:30, 11:30), (13:30, 17:00)])."""
    days_part, _, hours_part = spec.strip().partition(" ")
    first, _, last = days_part.partition("-")
    start, end = DAYS.index(first), DAYS.index(last or first)
    days = list(range(start, end + 1))
    spans = []
    for span in hours_part.split(","):
        a, b = span.strip().split("-")
        spans.append((dt.time.fromisoformat(a), dt.time.fromisoformat(b)))
    return days, spans


def _works(hours: OfficeHours, day: dt.date, days: List[int]) -> bool:
    return day.weekday() in days and day not in hours.closed


def is_open(hours: OfficeHours, now: dt.datetime) -> Optional[bool]:
    """Whether counsellors are at work now; None when the hours are not confirmed."""
    if not hours.confirmed:
        return None
    local = now.astimezone(VIETNAM)
    days, spans = parse(hours.schedule)  # type: ignore[arg-type]
    return _works(hours, local.date(), days) and any(a <= local.time() < b for a, b in spans)


def next_opening(hours: OfficeHours, now: dt.datetime) -> Optional[dt.datetime]:
    if not hours.confirmed:
        return None
    local = now.astimezone(VIETNAM)
    days, spans = parse(hours.schedule)  # type: ignore[arg-type]
    for offset in range(32):  # Tết can close a week or more
        day = local.date() + dt.timedelta(days=offset)
        if not _works(hours, day, days):
            continue
        for a, _ in spans:
            opening = dt.datetime.combine(day, a, VIETNAM)
            if opening > local:
                return opening
    return None


def when_we_answer(hours: OfficeHours, now: dt.datetime) -> str:
    """'' during confirmed working hours; otherwise what the person can expect, in Vietnamese."""
    opening = next_opening(hours, now)
    if opening is None:
        return UNCONFIRMED
    if is_open(hours, now):
        return ""
    local = now.astimezone(VIETNAM)
    if opening.date() == local.date():
        day = "hôm nay"
    elif opening.date() == local.date() + dt.timedelta(days=1):
        day = "ngày mai"
    else:
        day = DAY_NAMES[opening.weekday()]
    return (f"Hiện đang ngoài giờ làm việc; cán bộ tư vấn sẽ trả lời bạn từ {opening:%H:%M} {day} "
            f"({opening:%d/%m}). Bạn cứ để lại câu hỏi ở đây.")
