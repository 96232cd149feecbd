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
