"""Today's date for every date-dependent answer (amounts follow lương cơ sở by date).

ASSISTANT_TODAY=YYYY-MM-DD pins the date, for demonstrations and tests of a
specific day; otherwise the real local date is used.
"""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    pinned = os.environ.get("ASSISTANT_TODAY")
    if pinned:
        return dt.date.fromisoformat(pinned)
    return dt.date.today()


VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")  # no daylight saving


def local(value: dt.datetime, fmt: str = "%d/%m/%Y %H:%M") -> str:
    """A stored time (UTC; SQLite gives it back without a zone) as Vietnamese local time."""
    aware = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    return aware.astimezone(VIETNAM).strftime(fmt)
