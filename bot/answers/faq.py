"""Picking the FAQ entry that best fits a question."""

from __future__ import annotations

from typing import Optional, Sequence

from bot.answers.format import hedge
from bot.kb.models import Faq
from bot.text import mentions, normalise


def _score(faq: Faq, text: str) -> float:
    keyword_hits = sum(1 for k in faq.keywords if mentions(text, [k]))
    asked = set(normalise(text).split())
    overlap = len(asked & set(normalise(faq.question).split())) / (len(asked) or 1)
    return keyword_hits * 2 + overlap


def best_faq(faqs: Sequence[Faq], text: str) -> Optional[Faq]:
    """The FAQ whose keywords and question fit `text` best (first entry on a tie)."""
    if not faqs:
        return None
    return max(faqs, key=lambda f: (_score(f, text), -faqs.index(f)))


def faq_text(faq: Faq) -> str:
    return hedge(faq.answer.strip(), faq.source)
