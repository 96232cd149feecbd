"""Vietnamese formatting of money, dates and citations."""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

from bot.kb.models import Source
from bot.text import normalise

DRAFT_NOTE = "(thông tin tham khảo, đang chờ trường xác nhận)"
UNVERIFIED_NOTE = "(đang được xác nhận)"


def vnd(amount: int) -> str:
    """2530000 -> '2.530.000 đ'."""
    return f"{amount:,}".replace(",", ".") + " đ"


def million(amount: int) -> str:
    """6500000 -> '6,5 triệu'."""
    value = amount / 1_000_000
    text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text} triệu"


def day(value: dt.date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def cite(source: Source) -> str:
    """'Điều 3 QĐ 53/2015/QĐ-TTg' (article first, as people say it)."""
    if source.article:
        return f"{source.article} {source.document.short}"
    return source.document.short


def according_to(source: Source) -> str:
    return f"Theo {cite(source)}"


def hedge(text: str, source: Source) -> str:
    """A fact with its certainty: unverified facts are marked as being confirmed."""
    return text if source.certain else f"{text} {UNVERIFIED_NOTE}"


def bullets(lines: Iterable[str]) -> str:
    return "\n".join(f"• {line}" for line in lines)


def join_names(names: Iterable[str], last: str = "và") -> str:
    items = [n for n in names if n]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def lower_first(text: str) -> str:
    """'HSSV dự bị...' stays, 'Học bổng chính sách' -> 'học bổng chính sách' (only the first letter)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


# Question endings that ask yes or no ("có được học bổng không", "trường có dạy may không ạ"), folded.
YES_NO_ENDINGS = ("khong", "khong a", "khong nhi", "hay khong", "duoc khong", "phai khong", "chua", "khong ha")
TRAILING = ("a", "nhe", "nha", "vay", "the", "admin", "oi", "chi", "anh", "co", "thay", "ban", "em", "nhi")


# "được bao nhiêu một tháng": asking for a monthly amount (a support paid each month, not a fee).
MONTHLY_WORDS = ("một tháng", "mỗi tháng", "1 tháng", "hằng tháng", "hàng tháng", "/tháng")
WH_WORDS = ("bao nhieu", "gi", "nao", "o dau", "khi nao", "the nao", "bao gio", "lam sao", "tai sao", "vi sao", "may")
HEARSAY = r"((toi|em|minh|chau|con) )?(nghe noi|nghe bao|co nguoi (bao|noi)|nguoi ta (bao|noi))\b"  # folded


def is_yes_no(text: str) -> bool:
    """Whether the message asks a yes/no question (its answer then starts with Có / Không / Chưa xác nhận)."""
    if re.search(r"(?i)\b(à|hả|ha|á|chứ|thôi)\s*\?*\s*$", text.strip()) and len(text.split()) > 4:
        return True  # "chỉ được giảm 50% thôi à?", "người Kinh không được hả", "vẫn còn hiệu lực chứ?"
    said = f" {normalise(text)} "
    if "?" in text and re.match(HEARSAY, said.strip()) and not any(f" {w} " in said for w in WH_WORDS):
        return True  # "Nghe nói NĐ 81 vẫn đang áp dụng?": a rumour put as a question, to be confirmed or not
    words = normalise(text).split()
    while words and words[-1] in TRAILING:
        words.pop()
    tail = " ".join(words[-2:])
    return any(tail == e or tail.endswith(" " + e) or tail == e.split()[-1] for e in YES_NO_ENDINGS)


QUESTION_WORDS = ("bao nhieu", "gi", "nao", "sao", "o dau", "khi nao", "the nao", "nhu the nao", "may", "bao gio",
                  "lam sao", "tai sao", "vi sao", "co phai", "duoc khong", "hoi")


def is_question(text: str) -> bool:
    """A question (not a bare statement such as "trường công lập" or "nhà em hộ cận nghèo")."""
    if "?" in text or is_yes_no(text):
        return True
    said = f" {normalise(text)} "
    return any(f" {w} " in said for w in QUESTION_WORDS)


# Asking since when a rate, a document or a table applies ("từ bao giờ?", "có hiệu lực từ ngày nào?").
WHEN_WORDS = ("từ bao giờ", "từ khi nào", "từ ngày nào", "từ lúc nào", "từ năm nào", "khi nào", "bao giờ", "ngày nào")
YES_NO_WORDS = ("Có", "Không", "Chưa")  # how an answer to a yes/no question starts


def lead_with(text: str, lead: str, keep_verdict: bool = False) -> str:
    """`lead` first in an answer. When the answer starts with a yes/no verdict line ("Có, ...",
    "Chưa xác nhận ..."), the verdict stays first with `keep_verdict` (the lead qualifies it: the
    day it was computed for); otherwise the lead replaces it (the lead answers the question itself:
    a correction, the list of groups), unless the verdict is all the answer says."""
    first, _, rest = text.partition("\n")
    if first.startswith(YES_NO_WORDS):
        if keep_verdict:
            return "\n".join(x for x in (first, lead, rest) if x)
        if rest:
            return lead + "\n" + rest
    return lead + "\n" + text
