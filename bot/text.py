"""Vietnamese text normalisation shared by the NLU pipeline and the knowledge-base matcher.

Users type with diacritics, without them, and in chat shorthand ("hp bn", "ko dc").
Everything that compares user text folds it the same way: lower-case, diacritics
removed (đ -> d), shorthand expanded word by word. Keeping the one implementation
here makes "học phí", "hoc phi" and "hp" the same words everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Dict, List, Optional, Tuple

# Shorthand, keyed by the lower-case token as typed WITHOUT diacritics: it expands
# only tokens typed without any diacritics, so "Hồng" (a commune) never becomes
# "không". Values are accent-free words. Only unambiguous expansions in an
# enrolment chat belong here ("a" may be "anh" or "ạ", "v" may be "vậy" or "vâng":
# left alone).
SHORTHAND: Dict[str, str] = {
    # negation
    "ko": "khong", "k": "khong", "kh": "khong", "hok": "khong", "khg": "khong",
    "kg": "khong", "khum": "khong", "hem": "khong",
    # common verbs / function words
    "dc": "duoc", "dk": "dang ky", "dki": "dang ky", "dky": "dang ky",
    "bn": "bao nhieu", "nhiu": "nhieu", "bnhieu": "bao nhieu",
    "j": "gi", "ji": "gi", "r": "roi", "vs": "voi", "ntn": "nhu the nao",
    "tn": "the nao", "bh": "bao gio", "bgio": "bao gio", "z": "vay",
    "dzay": "vay", "wa": "qua", "ns": "noi", "pai": "phai", "bit": "biet",
    "mun": "muon", "hc": "hoc", "lm": "lam", "vc": "viec", "trg": "truong",
    "nghanh": "nganh", "tt": "thong tin", "ttin": "thong tin", "ng": "nguoi",
    "oke": "ok", "okie": "ok", "oki": "ok", "okela": "ok",
    "tks": "cam on", "thanks": "cam on", "thank": "cam on",
    "thx": "cam on", "camon": "cam on",
    # pronouns
    "ad": "admin", "e": "em", "c": "chi", "mk": "minh", "mik": "minh",
    "mh": "minh", "t": "toi", "b": "ban",
    # domain words
    "hp": "hoc phi", "sdt": "so dien thoai",
    "cd": "cao dang", "tc": "trung cap", "dh": "dai hoc", "hs": "hoc sinh",
    "sv": "sinh vien", "hssv": "hoc sinh sinh vien", "dtts": "dan toc thieu so",
    "xkld": "xuat khau lao dong", "ktx": "ky tuc xa", "qd": "quyet dinh",
    "nd": "nghi dinh", "nq": "nghi quyet", "gdnn": "giao duc nghe nghiep",
    "lcs": "luong co so", "ptdtnt": "pho thong dan toc noi tru",
}

# Shorthand typed with a diacritic (mostly đ), keyed by the lower-case NFC token.
SHORTHAND_ACCENTED: Dict[str, str] = {
    "đc": "duoc", "đk": "dang ky", "đky": "dang ky", "hông": "khong", "sđt": "so dien thoai",
    "cđ": "cao dang", "đh": "dai hoc", "xklđ": "xuat khau lao dong", "qđ": "quyet dinh",
    "nđ": "nghi dinh", "bít": "biet", "mún": "muon", "pải": "phai", "đkien": "dieu kien",
}

_WORD = re.compile(r"\w+", re.UNICODE)
_SPACES = re.compile(r"\s+")


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics; keeps length for NFC input (one char in, one char out)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped)


def has_diacritics(text: str) -> bool:
    return strip_diacritics(text) != text


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced."""
    text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", strip_diacritics(text).lower()).strip()


def fold_token(token: str) -> List[str]:
    """Fold one token and expand it if it is shorthand (may give several words)."""
    low = lower_nfc(token)
    if low in SHORTHAND_ACCENTED:
        return SHORTHAND_ACCENTED[low].split()
    folded = strip_diacritics(low)
    if folded == low and folded in SHORTHAND:
        return SHORTHAND[folded].split()
    return [folded]


def normalise(text: str) -> str:
    """The comparison form of a whole sentence: folded words with shorthand expanded."""
    words: List[str] = []
    for match in _WORD.finditer(unicodedata.normalize("NFC", text)):
        words.extend(fold_token(match.group()))
    return " ".join(words)


def word_spans(text: str) -> List[Tuple[str, int, int]]:
    """Words of `text` with their character offsets (for entity spans)."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def lower_nfc(text: str) -> str:
    """Lower-case with diacritics kept (accent-aware matching)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).lower()).strip()


def mentions(text: str, phrases) -> bool:
    """True if any phrase occurs in `text` as whole words, comparing normalised forms."""
    haystack = f" {normalise(text)} "
    return any(f" {normalise(p)} " in haystack for p in phrases)


def commune_name(text: str) -> Optional[str]:
    """'em ở xã Bản Lang' -> 'Bản Lang': the xã/phường name alone, so answers group by place
    however they were typed; None when it cannot be a name."""
    cleaned = re.sub(r"(?i)^\s*(em|tôi|mình|nhà em|nhà tôi)?\s*(ở|sống ở|tại)\s+", "", text).strip(" ,.;:")
    cleaned = re.sub(r"(?i)^(xã|phường|thị trấn|xa|phuong)\s+", "", cleaned).strip()
    if len(cleaned) < 2 or cleaned.isdigit() or len(cleaned) > 120:
        return None
    return cleaned[:1].upper() + cleaned[1:]
