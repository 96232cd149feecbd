"""What a person says about the learner, turned into the facts policy conditions test.

"em người Thái, nhà hộ cận nghèo, học xong lớp 9, muốn học trung cấp" ->
Profile(ethnic_group='Thái', ethnicity='minority', household='near_poor',
lower_secondary_graduate=True, upper_secondary_graduate=False, level='trung_cap').
Facts the person did not mention stay None: the eligibility logic then says what it
would depend on instead of guessing. See bot/profile/reader.py for how text is read.
"""

from __future__ import annotations

import datetime as dt
from typing import Dict, List, Optional

from bot.kb.models import LEVEL_LABELS, KnowledgeBase
from bot.profile.model import Profile, Statement
from bot.profile.reader import read


def extract_for(kb: KnowledgeBase, text: str, entities: Optional[Dict[str, List[str]]] = None,
                day: Optional[dt.date] = None) -> Profile:
    """The facts `text` states about the learner, as a fresh Profile."""
    return Profile().updated(read(text, kb, day, entities))


def says(kb: KnowledgeBase, fact: str, value: object) -> Optional[str]:
    """How the reply repeats a stated fact ("hộ cận nghèo"), from person_facts.yml."""
    spec = kb.facts.fact(fact)
    if spec is None:
        return None
    entry = spec.value(value)
    if entry is not None:
        return entry.says
    if value == spec.negated and spec.negated_says:
        return spec.negated_says
    return None


def _age_words(age: object) -> str:
    if isinstance(age, (tuple, list)):
        low, high = age
        return f"dưới {high + 1} tuổi" if low == 0 else f"trên {low - 1} tuổi" if high >= 100 else f"{low}-{high} tuổi"
    return f"{age} tuổi"


def describe(profile: Profile, kb: KnowledgeBase) -> str:
    """The facts the answer is based on, in the person's words ("người Thái, hộ cận nghèo, học trung cấp")."""
    parts: List[str] = []
    if profile.ethnic_group:
        parts.append(f"người {profile.ethnic_group}")
    elif profile.ethnicity:
        parts.append(says(kb, "ethnicity", profile.ethnicity) or "")
    if profile.household:
        parts.append(says(kb, "household", profile.household) or "")
    if profile.level:
        parts.append(f"học {LEVEL_LABELS.get(profile.level, profile.level)}")
    if profile.commune:
        commune = kb.residence.commune(profile.commune)
        parts.append(f"ở {commune.full_name if commune else profile.commune}")
    yes = [c for c in kb.residence.categories if profile.residence.get(c.id) is True]
    shown = [c for c in yes if not any(c.id in o.implies for o in yes)]  # "ĐBKK", not also "vùng DTTS"
    parts += [f"ở {c.short}" for c in shown]
    if profile.residence and not yes and all(v is False for v in profile.residence.values()):
        parts.append("không ở vùng khó khăn hay xã biên giới")
    for fact in kb.facts.facts.values():
        if fact.id in ("ethnicity", "household", "residence", "level", "age") or fact.about == "programme":
            continue
        value = profile.get(fact.id)
        if value is None or (fact.id == "upper_secondary_graduate" and value is False) or \
                (fact.id == "lower_secondary_graduate" and value and profile.upper_secondary_graduate):
            continue
        text = says(kb, fact.id, value)
        if text:
            parts.append(text)
    if profile.age is not None:
        parts.append(_age_words(profile.age))
    return ", ".join(p for p in parts if p)


__all__ = ["Profile", "Statement", "describe", "extract_for", "read", "says"]
