"""What is known about the learner (Profile), and what one message says about them (Statement).

A Profile is the memory of a conversation (kept in the `profile` slot as plain JSON).
A Statement is what the reader found in one message: facts stated, values denied ("không
phải hộ nghèo", "không phải cao đẳng"), and facts mentioned without being decided ("nhà
em nghèo lắm") which the assistant asks about instead of guessing. A later message wins
over an earlier one, so corrections ("à nhầm, em học trung cấp") replace the old value.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Dict, List, Optional, Set, Tuple, Union

Age = Union[int, Tuple[int, int], List[int]]


@dataclass
class Profile:
    ethnic_group: Optional[str] = None  # the name: "Thái", "La Hủ"
    ethnicity: Optional[str] = None  # minority | very_small | kinh (what conditions test)
    household: Optional[str] = None  # poor | near_poor | neither
    residence: Dict[str, bool] = field(default_factory=dict)  # residence category -> stated yes/no
    commune: Optional[str] = None  # a xã/phường of knowledge_base/residence.yml
    level: Optional[str] = None  # the level the person wants (or studies now)
    previous_level: Optional[str] = None  # a level studied before
    disabled: Optional[bool] = None
    orphan: Optional[bool] = None  # both parents
    no_guardian: Optional[bool] = None  # không nơi nương tựa
    meritorious: Optional[bool] = None
    boarding_school_graduate: Optional[bool] = None
    lower_secondary_graduate: Optional[bool] = None
    upper_secondary_graduate: Optional[bool] = None
    parent_work_accident: Optional[bool] = None
    nominated: Optional[bool] = None
    public_school: Optional[bool] = None
    regular_programme: Optional[bool] = None
    had_boarding_support: Optional[bool] = None
    sex: Optional[str] = None
    age: Optional[Age] = None  # years, or a range [low, high] from a button
    rural_worker: Optional[bool] = None
    # Facts mentioned but not decided: asked before anything is computed from them.
    unclear: List[str] = field(default_factory=list)
    # Who will study, when it is not the person writing: child | sibling | other.
    learner: Optional[str] = None

    def get(self, fact: str) -> Any:
        """A stated fact by id (None when unknown or not a fact of the person)."""
        if fact == "residence":
            return self.residence or None
        value = getattr(self, fact, None) if fact in _FIELDS else None
        return value

    def is_empty(self) -> bool:
        return not self.known()

    def known(self) -> List[str]:
        return [name for name in _FIELDS if name not in ("unclear", "learner") and self.get(name) not in (None, {}, [])]

    def as_slot(self) -> Dict[str, object]:
        slot: Dict[str, object] = {name: self.get(name) for name in self.known()}
        if self.unclear:
            slot["unclear"] = list(self.unclear)
        if self.learner and self.learner != "self":
            slot["learner"] = self.learner
        return slot

    @classmethod
    def from_slot(cls, value: Optional[Dict[str, object]]) -> "Profile":
        data = {k: v for k, v in (value or {}).items() if k in _FIELDS}
        if isinstance(data.get("age"), list):
            data["age"] = tuple(data["age"])  # type: ignore[arg-type]
        data["residence"] = dict(data.get("residence") or {})  # type: ignore[arg-type]
        data["unclear"] = list(data.get("unclear") or [])  # type: ignore[arg-type]
        return cls(**data)  # type: ignore[arg-type]

    def copy(self) -> "Profile":
        return Profile.from_slot(self.as_slot())

    def updated(self, said: "Statement") -> "Profile":
        """This profile with a new message applied: stated facts replace old ones, a denied
        value clears the fact if it held that value, and residence categories merge."""
        new = self.copy()
        for fact, values in said.denied.items():
            if fact == "residence":
                continue
            if new.get(fact) in values:
                setattr(new, fact, None)
                if fact == "ethnic_group":
                    new.ethnicity = None  # the kind came from the name
        for fact, value in said.facts.items():
            if fact == "residence":
                new.residence.update(value)  # type: ignore[arg-type]
            else:
                setattr(new, fact, value)
        if said.facts.get("ethnicity") and "ethnic_group" not in said.facts and \
                new.ethnic_group and said.facts["ethnicity"] != self.ethnicity:
            new.ethnic_group = None  # "không phải người Kinh": the old name no longer holds
        if said.learner != "self":
            new.learner = said.learner
        settled = set(said.facts) | set(said.denied)
        new.unclear = [f for f in new.unclear if f not in settled]
        new.unclear += [f for f in said.unclear if f not in new.unclear and new.get(f) is None]
        return new

    def with_unclear_settled(self, facts) -> "Profile":
        """The person answered (or skipped) a question about these facts: stop asking."""
        new = self.copy()
        new.unclear = [f for f in new.unclear if f not in set(facts)]
        return new

    def with_facts(self, **facts: Any) -> "Profile":
        return self.updated(Statement(facts=dict(facts)))


_FIELDS = tuple(f.name for f in fields(Profile))


@dataclass
class Statement:
    """What one message says about the learner."""

    facts: Dict[str, Any] = field(default_factory=dict)  # fact -> value (residence: {category: bool})
    denied: Dict[str, Set[Any]] = field(default_factory=dict)  # fact -> values said not to hold
    unclear: Set[str] = field(default_factory=set)
    learner: str = "self"  # self | child | sibling | other: who will study

    def is_empty(self) -> bool:
        return not (self.facts or self.denied or self.unclear)

    def mentions(self, fact: str) -> bool:
        return fact in self.facts or fact in self.denied or fact in self.unclear
