"""What an answer needs to know about the turn: the words, entities and remembered slots."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from bot.kb.matching import FIELD_NAMES, LEVEL_NAMES, Matcher, matcher_for, names_a_country
from bot.kb.models import KnowledgeBase, Policy, Programme
from bot.profile.model import Statement
from bot.text import mentions, normalise


# "có dạy nghề X không", "có đào tạo ngành X không", "có ngành X không": X, when the catalogue lacks it.
_ASKED_TRADE = re.compile(
    r"(?i)\b(?:dạy|đào tạo|có|mở|day|dao tao|co)\s+(?:nghề|ngành|nghe|nganh|lớp|lop)\s+"
    r"(?P<name>[^\W\d_][\w ]{1,40})\s+(?:không|ko|k|hông|khong|hok)(?:\s+(?:ạ|a|nhỉ|nhi|vậy|vay|ạ))?[\s?.!]*$")
_NOT_TRADES = {"nao", "gi", "nay", "do", "hoc", "nghe", "nganh", "ngan han", "dai han", "hay", "khac"}
# A field or a level ("có ngành du lịch không", "có hệ cao đẳng không") is not an unknown trade.
_GROUP_NAMES = frozenset(normalise(n) for names in list(FIELD_NAMES.values()) + list(LEVEL_NAMES.values())
                         for n in names)


@dataclass
class Context:
    kb: KnowledgeBase
    text: str
    today: dt.date
    intent: Optional[str] = None
    entities: Dict[str, List[str]] = field(default_factory=dict)
    slots: Dict[str, Optional[str]] = field(default_factory=dict)
    # Other intents the classifier considered, best first (for fallback buttons).
    ranking: List[str] = field(default_factory=list)
    # The question is about another day than today (`today` is then that day): the answer says so.
    dated: bool = False
    # What the previous answer was about (an intent; "quiz", "request_human"), and the programmes
    # on its buttons: the thread short follow-ups are read against (bot/thread.py).
    topic: Optional[str] = None
    offered: List[str] = field(default_factory=list)
    # Characters the caller adds after the answer (the form's "mình hỏi tiếp nhé"): the first
    # message is fitted to the phone with them.
    reserve: int = 0

    def said(self) -> Statement:
        """What this message says about the learner (bot.profile.reader), read once per context
        (dataclasses.replace makes a new context, which reads its own text again)."""
        statement = self.__dict__.get("_said")
        if statement is None:
            from bot.profile.reader import read  # the reader is heavy to import; answers need it lazily

            statement = self.__dict__["_said"] = read(self.text, self.kb, self.today, self.entities)
        return statement

    def aspect(self) -> Optional[str]:
        """The aspect a button asks for: "papers" for "papers" and for "papers:all" (the same, in full)."""
        chosen = self.entity("aspect")
        return chosen.split(":")[0] if chosen else None

    def aspect_in_full(self) -> bool:
        """A button asked for everything ("all", or "papers:all")."""
        chosen = self.entity("aspect") or ""
        return chosen == "all" or chosen.endswith(":all")

    def asks(self, aspect: str, words) -> bool:
        """Whether the user asks about `aspect` (a button's `aspect` entity, or the words)."""
        chosen = self.aspect()
        if chosen:
            return chosen == aspect
        return mentions(self.text, words)

    @property
    def match(self) -> Matcher:
        return matcher_for(self.kb)

    def entity(self, name: str) -> Optional[str]:
        values = self.entities.get(name) or []
        return values[0] if values else None

    def programmes_named(self) -> List[Programme]:
        """Programmes in this message: entities first, then the text itself."""
        found: List[Programme] = []
        in_text = self.match.programmes_in(self.text)
        for value in self.entities.get("programme", []):
            prog = self.match.programme(value)
            if prog and prog not in found and not self._inside_a_longer_name(value, prog, in_text) \
                    and not self._a_country(value, prog, in_text):
                found.append(prog)
        for prog in in_text:
            if prog not in found:
                found.append(prog)
        return found

    def _a_country(self, value: str, prog: Programme, in_text: List[Programme]) -> bool:
        """An entity that the text says as a country ("sang Hàn làm việc"), not the trade."""
        at = self.text.lower().find(value.lower())
        return prog not in in_text and at >= 0 and names_a_country(value, self.text[:at])

    @staticmethod
    def _inside_a_longer_name(value: str, prog: Programme, in_text: List[Programme]) -> bool:
        """An entity that is only part of another programme's name in the text ("Hàn" of "tiếng
        Hàn"): that programme is meant, not the one the part alone names (welding)."""
        said = f" {normalise(value)} "
        return any(other is not prog and any(said in f" {normalise(n)} " and normalise(n) != said.strip()
                                              for n in (other.name,) + tuple(other.aliases))
                   for other in in_text)

    def programme_family(self) -> List[Programme]:
        """"nghề điện": the programmes whose names begin with what was said, when none is named in full."""
        return [] if self.programmes_named() else self.match.programme_family(self.text)

    def programme(self, remembered: bool = True) -> Optional[Programme]:
        """The programme asked about: named now (or the only one of a family: "nghề sửa chữa"), or
        remembered from the conversation. A family of several ("nghề điện") is none of them."""
        named = self.programmes_named()
        if named:
            return named[0]
        family = self.programme_family()
        if len(family) == 1:
            return family[0]
        if family:
            return None
        return self.match.programme(self.slots.get("programme")) if remembered else None

    def unknown_programme(self) -> Optional[str]:
        """A programme entity the knowledge base does not know (e.g. 'phi công').

        The entity extractor sometimes marks a stray word ("mấy", "thầy"): only a
        value of two or more words, or one the user calls "nghề/ngành X", counts.
        """
        folded = f" {normalise(self.text)} "
        for value in self.entities.get("programme", []):
            if self.match.programme(value):
                continue
            words = normalise(value)
            if len(words.split()) >= 2 or any(f" {w} {words} " in folded for w in ("nghe", "nganh")):
                return value
        if self.programmes_named():
            return None
        asked = _ASKED_TRADE.search(self.text)  # "trường có dạy nghề phi công không": no entity needed
        if asked:
            name = asked.group("name").strip()
            said = normalise(name)
            if said not in _GROUP_NAMES and not set(said.split()) & _NOT_TRADES:
                return name
        return None

    def level_named_now(self) -> Optional[str]:
        return self.match.level(self.entity("level")) or self.match.level(self.text)

    def level(self) -> Optional[str]:
        """The level named now, or remembered from the conversation."""
        return self.level_named_now() or self.match.level(self.slots.get("level"))

    def field(self) -> Optional[str]:
        """A lĩnh vực chosen with a button, or named in the text."""
        value = self.entity("field")
        return value if value in FIELD_NAMES else self.match.field(self.text)

    def policy(self, remembered: bool = True) -> Optional[Policy]:
        policy = self.match.policy(self.entity("policy")) or self.match.policy(self.text)
        if policy is None and remembered:
            policy = self.match.policy(self.slots.get("policy"))
        return policy
