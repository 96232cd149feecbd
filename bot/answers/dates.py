"""A day the question is about, when it is not today ("hồi tháng 5", "từ 01/07/2026", "tháng 9 năm sau").

Amounts tied to lương cơ sở are then computed for that day from the dated table, and the answer
says which day it is for. Only the first of a month is taken for "tháng N": lương cơ sở changes on
the first of a month (01/07/2024, 01/07/2026).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import List, Optional

from bot.profile.reader import after_correction
from bot.text import normalise

_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_MONTH_YEAR = re.compile(r"\bthang (\d{1,2})(?: nam | )(\d{4})\b")
_MONTH = re.compile(r"\bthang (\d{1,2})\b")
_YEAR = re.compile(r"\bnam (\d{4})\b")
_DOCUMENT = re.compile(r"\b(?:nghi dinh|quyet dinh|thong tu|nghi quyet|luat|nd|qd|tt|nq)\s*\d+(?:\s*nam)?\s*\d{4}\b")
_SCHOOL_YEAR = re.compile(r"\bnam hoc (\d{4}) (\d{4})\b")
_DOCUMENT_WORDS = ("luat", "nghi dinh", "quyet dinh", "thong tu", "nghi quyet", "van ban", "nd", "qd", "tt", "nq")
PAST = ("hoi", "truoc day", "nam ngoai", "nam truoc", "da duoc", "luc truoc", "thang truoc", "vua roi")
FUTURE = ("toi", "sap toi", "nam sau", "nam toi", "sap", "se")


def asked_day(text: str, today: dt.date) -> Optional[dt.date]:
    """The day `text` asks about, or None when it asks about today."""
    if not text:
        return None
    text = after_correction(text)  # "năm ngoái, à không, tháng 8 năm nay": the day meant
    if normalise(text).startswith("khong phai") and "," in text:
        text = text.split(",", 1)[1]  # "không phải tháng 9 năm ngoái, tháng 9 năm nay": the second
    m = _DATE.search(text)
    if m:
        d, mo, y = (int(g) for g in m.groups())
        try:
            return dt.date(y, mo, d)
        except ValueError:
            return None
    norm = _DOCUMENT.sub(" ", f" {normalise(text)} ")  # "quyết định 46 năm 2015" names a document, not a day
    m = _MONTH_YEAR.search(norm.replace("/", " "))
    if m and 1 <= int(m.group(1)) <= 12:
        return dt.date(int(m.group(2)), int(m.group(1)), 1)
    m = _MONTH.search(norm)
    if not m or not 1 <= int(m.group(1)) <= 12 or " thang nay " in norm:
        return _year_only(norm, today)
    month = int(m.group(1))
    year = today.year
    stated = _YEAR.search(norm)
    if stated:
        return dt.date(int(stated.group(1)), month, 1)
    if " nam ngoai " in norm or " nam truoc " in norm:
        year -= 1
    elif " nam sau " in norm or " nam toi " in norm:
        year += 1
    elif any(f" {w} " in norm for w in PAST) and dt.date(year, month, 1) > today:
        year -= 1
    elif any(f" {w} " in norm for w in FUTURE) and dt.date(year, month, 1) < today.replace(day=1):
        year += 1
    day = dt.date(year, month, 1)
    return None if day == today.replace(day=1) else day


# Words that start a new part of the sentence: "nghị định 238 thì năm 2025 ..." asks about 2025.
_CLAUSE_WORDS = {"thi", "hoi", "neu", "khi", "tu", "vao", "trong", "den"}


def _names_a_document(before: List[str]) -> bool:
    """Whether the words just before "năm YYYY" name a document that year belongs to."""
    text = f" {' '.join(before)} "
    for w in _DOCUMENT_WORDS:
        at = text.rfind(f" {w} ")
        if at >= 0 and not set(text[at + len(w) + 2:].split()) & _CLAUSE_WORDS:
            return True
    return False


def _year_only(norm: str, today: dt.date) -> Optional[dt.date]:
    """"năm ngoái", "năm 2025" without a month: the last day of that year (the amount then in force;
    the answer says which day it is for). None for this year."""
    stated = _YEAR.search(norm.replace(" sinh nam ", " sinh "))  # "sinh năm 2008" is an age, not a day
    year = int(stated.group(1)) if stated else None
    this_year = today.year if today.month >= 9 else today.year - 1  # the school year starts in September
    school = _SCHOOL_YEAR.search(norm)
    if school and int(school.group(2)) == int(school.group(1)) + 1:  # "năm học 2025-2026", "học kỳ 1 năm học ..."
        start = int(school.group(1))
        if start == this_year and " hoc ky " not in norm:
            return None
        return dt.date(start + 1, 3, 1) if " hoc ky 2 " in norm else dt.date(start, 10, 1)
    if " nam hoc truoc " in norm or " nam hoc ngoai " in norm:  # the school year before this one
        return dt.date(this_year - 1, 10, 1)
    if " nam ngoai " in norm or " nam truoc " in norm:
        year = today.year - 1
    elif stated and _names_a_document(norm[:stated.start()].split()[-6:]):
        return None  # "Luật Giáo dục nghề nghiệp năm 2014": the year of the document just named
    if year is None or year == today.year or not 1990 <= year <= today.year + 5:
        return None
    return dt.date(year, 12, 31) if year < today.year else dt.date(year, 1, 1)
