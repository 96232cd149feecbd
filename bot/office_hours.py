"""When counsellors work, to tell a person asking for one when they will answer.

OFFICE_HOURS (Vietnamese local time) defaults to "mon-fri 07:30-11:30,13:30-17:00", the usual
hours of a public college; the college's confirmed hours go there (contacts.yml only has text).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import List, Tuple

from bot.clock import VIETNAM

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_NAMES = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]
DEFAULT = "mon-fri 07:30-11:30,13:30-17:00"


def parse(spec: str) -> Tuple[List[int], List[Tuple[dt.time, dt.time]]]:
    days_part, _, hours_part = spec.strip().partition(" ")
    first, _, last = days_part.partition("-")
    start, end = DAYS.index(first), DAYS.index(last or first)
    days = list(range(start, end + 1))
    spans = []
    for span in hours_part.split(","):
        a, b = span.strip().split("-")
        spans.append((dt.time.fromisoformat(a), dt.time.fromisoformat(b)))
    return days, spans


def schedule() -> Tuple[List[int], List[Tuple[dt.time, dt.time]]]:
    try:
        return parse(os.environ.get("OFFICE_HOURS") or DEFAULT)
    except (ValueError, IndexError):
        return parse(DEFAULT)


def is_open(now: dt.datetime) -> bool:
    local = now.astimezone(VIETNAM)
    days, spans = schedule()
    return local.weekday() in days and any(a <= local.time() < b for a, b in spans)


def next_opening(now: dt.datetime) -> dt.datetime:
    local = now.astimezone(VIETNAM)
    days, spans = schedule()
    for offset in range(8):
        day = local.date() + dt.timedelta(days=offset)
        if day.weekday() not in days:
            continue
        for a, _ in spans:
            opening = dt.datetime.combine(day, a, VIETNAM)
            if opening > local:
                return opening
    return local


def when_we_answer(now: dt.datetime) -> str:
    """'' during working hours; otherwise when a counsellor will answer, in Vietnamese."""
    if is_open(now):
        return ""
    opening = next_opening(now)
    local = now.astimezone(VIETNAM)
    if opening.date() == local.date():
        day = "hôm nay"
    elif opening.date() == local.date() + dt.timedelta(days=1):
        day = "ngày mai"
    else:
        day = DAY_NAMES[opening.weekday()]
    return (f"Hiện đang ngoài giờ làm việc; cán bộ tư vấn sẽ trả lời bạn từ {opening:%H:%M} {day} "
            f"({opening:%d/%m}). Bạn cứ để lại câu hỏi ở đây.")
