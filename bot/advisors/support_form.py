"""The short support-check form: ask only the questions whose answer could change the result.

The questions are knowledge_base/support_questions.yml. State is the Profile (facts known so
far) plus the list of questions already asked. `open_questions` lists, in order, the questions
not yet asked whose facts are unknown and still matter (bot.eligibility.open_facts: some
support would be gained, lost, raised or settled by the answer); a fact the person mentioned
without settling it ("nhà em nghèo lắm") is asked first. `read` turns an answer (a button, its
number, or free text such as "em người Lự, nhà cận nghèo") into facts; free text may settle
several questions at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

from bot.advisors.choices import Choice, is_skip, pick, wants_to_stop
from bot.answers.reply import Button, Reply
from bot.eligibility import open_facts
from bot.kb.models import KnowledgeBase, SupportQuestion
from bot.profile import Profile, Statement, read as read_text, says

SKIP = Choice("khong_ro", "Không rõ")
# Facts an answer may correct, said back when it does (residence categories merge, not replace).
CORRECTABLE_FACTS = ("level", "ethnic_group", "ethnicity", "household", "commune", "disabled", "orphan",
                     "public_school", "regular_programme", "boarding_school_graduate", "parent_work_accident")
SHOW_NOW = Choice("xem_ket_qua", "Xem kết quả luôn")


def questions(kb: KnowledgeBase) -> Sequence[SupportQuestion]:
    return kb.questions


def by_id(kb: KnowledgeBase, qid: Optional[str]) -> Optional[SupportQuestion]:
    return next((q for q in kb.questions if q.id == qid), None)


def _choices(question: SupportQuestion) -> List[Choice]:
    return [Choice(c.key, c.title, c.words) for c in question.choices]


def open_questions(profile: Profile, asked: Sequence[str], kb: KnowledgeBase, day: dt.date) -> List[SupportQuestion]:
    """Questions still worth asking, in order; those about an unclear fact first."""
    facts = open_facts(profile, kb, day)  # evaluated once for all questions
    remaining = [q for q in kb.questions if q.id not in asked and facts & set(q.facts)]
    unclear = set(profile.unclear)
    return sorted(remaining, key=lambda q: 0 if unclear & set(q.facts) else 1)


def next_question(profile: Profile, asked: Sequence[str], kb: KnowledgeBase, day: dt.date) -> Optional[SupportQuestion]:
    remaining = open_questions(profile, asked, kb, day)
    return remaining[0] if remaining else None


def ask(question: SupportQuestion, number: int, remaining: int) -> Reply:
    """The question with its buttons ("Câu 2 (còn 3 câu sau câu này): ...")."""
    head = f"Câu {number}" + (f" (còn {remaining} câu sau câu này)" if remaining else " (câu cuối)")
    buttons = [Button(c.title, c.key) for c in question.choices] + [Button(SKIP.title, SKIP.key), Button(SHOW_NOW.title, SHOW_NOW.key)]
    return Reply(f"{head}: {question.text}", buttons)


def is_exact_answer(question: SupportQuestion, text: str) -> bool:
    """A button press (or its number or title typed): certainly an answer, whatever NLU thinks."""
    return pick(text, _choices(question) + [SKIP, SHOW_NOW], exact=True) is not None


@dataclass
class Reading:
    profile: Profile
    answered: bool  # the asked question is settled (or skipped)
    stop: bool = False  # show the result now
    understood: bool = True  # False: not an answer (the caller may let another intent handle it)
    corrected: Optional[str] = None  # "Mình đã sửa: học trung cấp." when an earlier answer changed


def corrected_note(before: Profile, after: Profile, kb: KnowledgeBase) -> Optional[str]:
    """What an answer changed of what was said before ("à nhầm, em học trung cấp chứ không phải
    cao đẳng"), as the person reads it; None when nothing known before changed."""
    changed = [says(kb, f, after.get(f)) or str(after.get(f)) for f in CORRECTABLE_FACTS
               if before.get(f) is not None and after.get(f) is not None and before.get(f) != after.get(f)]
    return f"Mình đã sửa: {', '.join(changed)}." if changed else None


def _settles(question: SupportQuestion, said: Statement, profile: Profile) -> bool:
    return any(said.mentions(f) and profile.get(f) is not None for f in question.facts) or \
        ("residence" in question.facts and ("commune" in said.facts or "residence" in said.facts))


def read(question: SupportQuestion, text: str, profile: Profile, kb: KnowledgeBase,
         entities: Optional[Dict[str, List[str]]] = None, day: Optional[dt.date] = None) -> Reading:
    """Apply an answer to `question` (plus any other facts the text states) to `profile`."""
    if pick(text, [SHOW_NOW]) or wants_to_stop(text):
        return Reading(profile, answered=False, stop=True)
    if pick(text, [SKIP]) or is_skip(text):
        return Reading(profile.with_unclear_settled(question.facts), answered=True)
    choice = pick(text, _choices(question))
    said = read_text(text, kb, day, entities)
    if choice is not None:
        spec = next(c for c in question.choices if c.key == choice.key)
        if spec.sets is None:  # an ethnic group button: read like typed text
            said = read_text(spec.key, kb, day)
        else:
            said.facts.update({k: (dict(v) if isinstance(v, dict) else tuple(v) if isinstance(v, list) else v)
                               for k, v in spec.sets.items()})
            said.unclear -= set(spec.sets)
    updated = profile.updated(said)
    corrected = corrected_note(profile, updated, kb)
    if choice is not None or _settles(question, said, updated):
        return Reading(updated.with_unclear_settled(question.facts), answered=True, corrected=corrected)
    if not said.is_empty():
        return Reading(updated, answered=False, corrected=corrected)  # other facts: ask this question again
    return Reading(profile, answered=False, understood=False)
