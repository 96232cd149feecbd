"""What every public entry point does to a user's message before Rasa sees it.

* `clean_text`: valid Unicode (NFC), no control characters, a length cap.
* `guard_payload`: a message that starts with "/" is a Rasa payload ("/intent{json}"):
  Rasa would take its intent and entities as certain. Users can type such text, and
  Telegram callback data or a web request can be forged, so only intents and entities
  of our own domain pass, entity values must be short strings or numbers, and
  anything else is read as ordinary words. Slots are never set from entities anyway
  (domain.yml: every slot is written by the actions only), so a payload cannot set a
  lead's status, a form's answers or a questionnaire's state.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, Tuple

import yaml

from bot.ratelimit import limiter, polite_message

DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"
MAX_CHARS = 2000
MAX_ENTITY_CHARS = 100
PAYLOAD = re.compile(r"^/([A-Za-z_][A-Za-z0-9_]*)(\{.*\})?$", re.S)
TOO_LONG = (f"Tin nhắn dài quá nên mình chưa đọc được. Bạn gửi ngắn gọn hơn (tối đa {MAX_CHARS:,} ký tự) "
            "giúp mình nhé.").replace(",", ".")


@lru_cache(maxsize=1)
def domain_names() -> Tuple[FrozenSet[str], FrozenSet[str]]:
    """(intents, entities) of domain.yml."""
    domain = yaml.safe_load(DOMAIN.read_text(encoding="utf-8")) or {}
    intents = frozenset(i if isinstance(i, str) else next(iter(i)) for i in domain.get("intents") or [])
    entities = frozenset(e if isinstance(e, str) else next(iter(e)) for e in domain.get("entities") or [])
    return intents, entities


def clean_text(text: str) -> str:
    """NFC, control characters (but newlines and tabs) removed, surrounding space trimmed."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs"))
    return text.strip()


def _plain(text: str) -> str:
    """A refused payload is read as words: '/xyz{...}' -> 'xyz ...' (never as an intent)."""
    return text.lstrip("/").strip()


def guard_payload(text: str) -> str:
    if not text.startswith("/"):
        return text
    match = PAYLOAD.match(text)
    intents, entities = domain_names()
    if not match or match.group(1) not in intents:
        return _plain(text)
    intent, raw = match.group(1), match.group(2)
    if not raw:
        return f"/{intent}"
    try:
        values = json.loads(raw)
    except ValueError:
        return _plain(text)
    if not isinstance(values, dict):
        return _plain(text)
    kept = {k: v for k, v in values.items()
            if k in entities and isinstance(v, (str, int, float)) and not isinstance(v, bool)
            and len(str(v)) <= MAX_ENTITY_CHARS}
    return f"/{intent}{json.dumps(kept, ensure_ascii=False)}" if kept else f"/{intent}"


def user_text(raw: str) -> str:
    """The message as the assistant should read it (call `too_long` first)."""
    return guard_payload(clean_text(raw))


def too_long(raw: str) -> bool:
    return len(raw) > MAX_CHARS


@dataclass(frozen=True)
class Admission:
    """What to do with one incoming chat message: read `text`, or answer `refusal`."""

    text: str = ""
    refusal: str = ""  # a Vietnamese reason when the message is not read
    status: int = 200  # 429 too fast, 413 too long
    retry_after: int = 0
    say_refusal: bool = True  # False for a repeated refusal in the same rate-limit window


def admit(sender: str, raw: str) -> Admission:
    """Every chat channel's checks, in one order: per-sender rate limit, length, then the text
    as the assistant should read it (may be empty: nothing to answer)."""
    verdict = limiter("messages").hit(sender)
    if not verdict.allowed:
        return Admission(refusal=polite_message(verdict.retry_after), status=429, retry_after=verdict.retry_after,
                         say_refusal=verdict.first_refusal)
    if too_long(raw):
        return Admission(refusal=TOO_LONG, status=413)
    return Admission(text=user_text(raw))
