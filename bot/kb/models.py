"""Typed view of the knowledge base (built from validated YAML)."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import List, Mapping, Optional, Sequence, Tuple

LEVEL_LABELS = {"so_cap": "sơ cấp", "trung_cap": "trung cấp", "cao_dang": "cao đẳng"}


@dataclass(frozen=True)
class Document:
    id: str
    short: str
    title: str
    issuer: str
    status: str
    date: Optional[dt.date] = None
    date_text: Optional[str] = None
    effective: Optional[dt.date] = None
    effective_text: Optional[str] = None
    replaces: Tuple[str, ...] = ()  # documents this one replaced ("NĐ 81/2021/NĐ-CP")
    replaced_by: Optional[str] = None  # the document id that replaced this one
    # Whom the document does not cover, said when a question applies it to them ("QĐ 66/2013 cho người
    # học trung cấp"): the levels, and the correction with the document that does apply.
    not_for_levels: Tuple[str, ...] = ()
    not_for_text: Optional[str] = None


@dataclass(frozen=True)
class Source:
    document: Document
    verification: str
    article: Optional[str] = None
    note: Optional[str] = None

    @property
    def certain(self) -> bool:
        """False for facts the assistant must not state as certain."""
        return self.verification != "unverified"


@dataclass(frozen=True)
class SourcedText:
    text: str
    source: Source
    about: Optional[str] = None  # notes: papers | misconception | general | asked
    claims: Tuple[str, ...] = ()  # a misconception: how people state it
    asks: Tuple[str, ...] = ()  # how people ask what the note says (bot/kb/retrieval.py)


@dataclass(frozen=True)
class SalaryPeriod:
    amount: int
    effective_from: dt.date
    source: Source


@dataclass(frozen=True)
class SalaryTable:
    periods: Tuple[SalaryPeriod, ...]

    def on(self, day: dt.date) -> SalaryPeriod:
        """The lương cơ sở in force on `day`."""
        starts = [p.effective_from for p in self.periods]
        index = bisect.bisect_right(starts, day) - 1
        if index < 0:
            raise LookupError(f"no lương cơ sở known before {self.periods[0].effective_from}")
        return self.periods[index]


Conditions = Mapping[str, object]


@dataclass(frozen=True)
class Doubt:
    """A rule whose outcome is not confirmed: the support becomes "có thể được (đang xác nhận: text)"
    when `when` holds and `unless` does not (a fact either needs that is unknown is asked)."""
    id: str
    text: str
    source: Source
    when: Conditions = field(default_factory=dict)
    unless: Conditions = field(default_factory=dict)
    groups: Tuple[str, ...] = ()  # benefit doubts: only for these groups
    short: Optional[str] = None  # a few words for the first message


@dataclass(frozen=True)
class Exclusion:
    """A rule that rules a person out (`conditions` all hold), with the reason they are told.
    Its facts are asked only when `ask_when` holds (otherwise an unknown fact does not exclude)."""
    id: str
    conditions: Conditions
    text: str
    source: Source
    ask_when: Conditions = field(default_factory=dict)


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    conditions: Conditions
    source: Source
    short: Optional[str] = None  # a few words for compact lists
    proof: Tuple["SourcedText", ...] = ()  # papers proving membership
    doubts: Tuple[Doubt, ...] = ()

    @property
    def short_label(self) -> str:
        return self.short or self.label


@dataclass(frozen=True)
class Benefit:
    id: str
    label: str
    kind: str
    groups: Tuple[str, ...]
    source: Source
    percent: Optional[float] = None
    amount: Optional[int] = None
    per: Optional[str] = None
    months_per_year: Optional[int] = None
    conditions: Conditions = field(default_factory=dict)
    unless: Conditions = field(default_factory=dict)
    short: Optional[str] = None
    aliases: Tuple[str, ...] = ()
    up_to: bool = False  # `amount` is a ceiling
    months_per_year_options: Tuple[int, ...] = ()  # when months_per_year is not known
    doubts: Tuple[Doubt, ...] = ()

    @property
    def short_label(self) -> str:
        return self.short or self.label

    @property
    def is_tuition(self) -> bool:
        return self.kind in ("tuition_exemption", "tuition_reduction")

    def monthly_amount(self, salary: SalaryTable, day: dt.date) -> Optional[int]:
        """Money per month on `day` for a percentage-of-lương-cơ-sở benefit."""
        if self.kind != "percent_of_base_salary" or self.percent is None:
            return None
        return round(salary.on(day).amount * self.percent / 100)


@dataclass(frozen=True, eq=False)
class Policy:
    id: str
    document: Document
    name: str
    aliases: Tuple[str, ...]
    summary: SourcedText
    scope_levels: Tuple[str, ...]
    scope: SourcedText
    groups: Tuple[Group, ...]
    benefits: Tuple[Benefit, ...]
    papers: Tuple[SourcedText, ...]
    notes: Tuple[SourcedText, ...]
    open_questions: Tuple[SourcedText, ...]
    button: Optional[str] = None
    order: int = 99
    scope_conditions: Conditions = field(default_factory=dict)
    exclusions: Tuple[Exclusion, ...] = ()
    doubts: Tuple[Doubt, ...] = ()  # scope doubts: every benefit of the policy
    ethnic_groups: Tuple[str, ...] = ()
    ethnic_groups_in_lai_chau: Tuple[str, ...] = ()
    ethnic_groups_source: Optional[Source] = None

    def group(self, group_id: str) -> Group:
        return next(g for g in self.groups if g.id == group_id)

    def benefit(self, benefit_id: str) -> Optional[Benefit]:
        return next((b for b in self.benefits if b.id == benefit_id), None)

    @property
    def button_title(self) -> str:
        return self.button or self.name


@dataclass(frozen=True)
class StackingRule:
    """How supports combine: `highest_only` keeps one of `benefits`; `unknown` means a benefit
    of one side may or may not be held with one of the other (`sides`)."""
    id: str
    rule: str
    text: str
    source: Source
    benefits: Tuple[Tuple[str, str], ...] = ()  # (policy id, benefit id)
    sides: Tuple[Tuple[Tuple[str, str], ...], ...] = ()
    short: Optional[str] = None


@dataclass(frozen=True)
class Offering:
    level: str
    duration: str
    duration_months: int
    entry: str
    certificate: str
    fee_per_month: Optional[int]
    fee_note: str

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]

    @property
    def min_age(self) -> Optional[int]:
        """The youngest age the entry rule admits ("Từ 15 tuổi trở lên, ..."), when it names one."""
        found = re.search(r"[Tt]ừ (\d{1,2}) tuổi", self.entry)
        return int(found.group(1)) if found else None


@dataclass(frozen=True, eq=False)
class Programme:
    id: str
    name: str
    aliases: Tuple[str, ...]
    field: str
    economic_fields: Tuple[str, ...]
    riasec: Tuple[str, ...]
    status: str
    summary: str
    taught: Tuple[str, ...]
    offerings: Tuple[Offering, ...]
    jobs: Tuple[str, ...]
    income_min: int
    income_max: int
    income_note: str
    locations: Tuple[str, ...]
    source: Source

    @property
    def is_draft(self) -> bool:
        return self.status != "confirmed"

    @property
    def levels(self) -> Tuple[str, ...]:
        return tuple(o.level for o in self.offerings)

    def offering(self, level: Optional[str]) -> Optional[Offering]:
        return next((o for o in self.offerings if o.level == level), None)


@dataclass(frozen=True)
class Faq:
    id: str
    topic: str
    question: str
    keywords: Tuple[str, ...]
    answer: str
    source: Source
    # The answer to "is it certain?" ("học xong có chắc chắn có việc không?"), when the entry has one.
    if_guaranteed: Optional[str] = None


@dataclass(frozen=True)
class Admission:
    summary: SourcedText
    methods: Tuple[SourcedText, ...]
    papers: Tuple[SourcedText, ...]
    steps: Tuple[SourcedText, ...]
    timing: SourcedText
    where: SourcedText
    eligibility: Mapping[str, SourcedText]
    notes: Tuple[SourcedText, ...] = ()


@dataclass(frozen=True)
class OfficeHours:
    text: str
    schedule: Optional[str]  # "mon-fri 07:30-11:30,13:30-17:00" (Vietnamese time) or None
    closed: Tuple[dt.date, ...]
    verification: str
    source: Source

    @property
    def confirmed(self) -> bool:
        """Only confirmed hours may be used to tell a person when someone will answer."""
        return self.schedule is not None and self.verification != "unverified"


@dataclass(frozen=True)
class Contacts:
    institution: str
    department: Optional[SourcedText]
    channels: Mapping[str, Optional[str]]  # address, phone, hotline, email, website, fanpage, zalo
    office_hours: OfficeHours
    confirmed: bool
    note: Optional[str]
    source: Source
    other_units: Tuple[SourcedText, ...]


# --- what a person can say about the learner (person_facts.yml, residence.yml) -----

@dataclass(frozen=True)
class FactValue:
    value: object
    says: str
    if_says: str
    words: Tuple[str, ...] = ()
    sets: Mapping[str, object] = field(default_factory=dict)
    satisfies: Tuple[object, ...] = ()


@dataclass(frozen=True)
class PersonFact:
    id: str
    about: str  # learner | household | parent | programme
    roles: Tuple[str, ...]
    ask: str
    values: Tuple[FactValue, ...]
    source: Source
    kind: str = "choice"
    common: bool = False
    unclear_roles: Tuple[str, ...] = ()
    unclear_ask: Optional[str] = None
    negated: Optional[object] = None
    negated_says: Optional[str] = None
    negated_values: Mapping[object, object] = field(default_factory=dict)
    unclear: Tuple[str, ...] = ()
    name_prefixes: Tuple[str, ...] = ()
    names: Tuple[Tuple[str, ...], ...] = ()

    def value(self, value: object) -> Optional[FactValue]:
        return next((v for v in self.values if v.value == value), None)

    @property
    def askable(self) -> bool:
        return self.about != "programme"


@dataclass(frozen=True)
class Implication:
    conditions: Conditions
    then: Mapping[str, object]
    text: str
    source: Source


@dataclass(frozen=True)
class DerivedFact:
    """A yes/no fact computed from a number by ranges per value of another fact
    (working age from age and sex)."""
    id: str
    source_fact: str
    by: str
    ranges: Mapping[str, Tuple[int, int]]
    says: Mapping[bool, str]
    if_says: str
    source: Source


@dataclass(frozen=True)
class ResidenceCategory:
    id: str
    short: str
    label: str
    says: str
    if_says: str
    words: Tuple[str, ...]
    source: Source
    implies: Tuple[str, ...] = ()
    negates: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Commune:
    name: str
    kind: str  # xã | phường
    formed_from: Tuple[str, ...] = ()
    categories: Mapping[str, Source] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}"


@dataclass(frozen=True)
class Residence:
    categories: Tuple[ResidenceCategory, ...]
    none_words: Tuple[str, ...]
    commune_doubt: "Doubt"
    communes: Tuple[Commune, ...]
    communes_source: Source

    def category(self, category_id: str) -> Optional[ResidenceCategory]:
        return next((c for c in self.categories if c.id == category_id), None)

    def commune(self, name: Optional[str]) -> Optional[Commune]:
        return next((c for c in self.communes if c.name == name), None)


@dataclass(frozen=True)
class FactBook:
    """The vocabulary of facts: person_facts.yml plus the residence categories."""
    facts: Mapping[str, PersonFact]
    implications: Tuple[Implication, ...]
    derived: Mapping[str, DerivedFact]

    def fact(self, fact_id: str) -> Optional[PersonFact]:
        return self.facts.get(fact_id)


@dataclass(frozen=True)
class QuestionChoice:
    key: str
    title: str
    sets: Optional[Mapping[str, object]] = None  # None: read the key like typed text
    words: Tuple[str, ...] = ()


@dataclass(frozen=True)
class SupportQuestion:
    id: str
    text: str
    facts: Tuple[str, ...]
    choices: Tuple[QuestionChoice, ...]


@dataclass(frozen=True)
class CareerGuidance:
    core_message: SourcedText
    messages: Tuple[SourcedText, ...]
    economic_fields: Mapping[str, Tuple[str, str]]  # id -> (label, description)
    targets_2030: Tuple[SourcedText, ...]
    riasec_types: Mapping[str, Tuple[str, str]]  # code -> (label, description)


@dataclass(frozen=True)
class QuizOption:
    key: str
    title: str
    type: Optional[str] = None  # RIASEC code (interest questions)
    levels: Tuple[str, ...] = ()  # levels the person can enter (constraint "level")
    place: Optional[str] = None  # near_home | anywhere | abroad (constraint "place")


@dataclass(frozen=True)
class QuizQuestion:
    id: str
    text: str
    options: Tuple[QuizOption, ...]
    constraint: bool = False

    def option(self, key: str) -> Optional[QuizOption]:
        return next((o for o in self.options if o.key == key), None)


@dataclass(frozen=True)
class CareerQuiz:
    questions: Tuple[QuizQuestion, ...]  # interest questions first, then constraints
    source: Source

    @property
    def interest_questions(self) -> Tuple[QuizQuestion, ...]:
        return tuple(q for q in self.questions if not q.constraint)

    def question(self, qid: str) -> Optional[QuizQuestion]:
        return next((q for q in self.questions if q.id == qid), None)

    def max_score(self, code: str) -> int:
        return sum(1 for q in self.interest_questions for o in q.options if o.type == code)


@dataclass(frozen=True, eq=False)
class Retrieval:
    """How questions are matched against claims (knowledge_base/retrieval.yml)."""
    synonyms: Tuple[Tuple[str, ...], ...]
    thresholds: Mapping[str, float]


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    documents: Mapping[str, Document]
    salary: SalaryTable
    salary_applies_to: Optional[SourcedText]
    policies: Mapping[str, Policy]
    programmes: Sequence[Programme]
    admission: Admission
    contacts: Contacts
    faqs: Sequence[Faq]
    career: CareerGuidance
    quiz: CareerQuiz
    facts: FactBook
    residence: Residence
    questions: Tuple[SupportQuestion, ...]
    stacking: Tuple[StackingRule, ...]
    retrieval: Retrieval = Retrieval((), {"claims": 1.0, "asks": 1.0})

    def policies_in_order(self) -> List[Policy]:
        """Policies as lists and buttons show them (their `order` in the knowledge base)."""
        return sorted(self.policies.values(), key=lambda p: p.order)

    def rules_for(self, policy_id: str, rule: Optional[str] = None) -> List[StackingRule]:
        """Stacking rules that name a benefit of `policy_id`."""
        def names(r: StackingRule) -> set:
            return {p for p, _ in r.benefits} | {p for side in r.sides for p, _ in side}
        return [r for r in self.stacking if policy_id in names(r) and rule in (None, r.rule)]

    def programme(self, programme_id: str) -> Optional[Programme]:
        return next((p for p in self.programmes if p.id == programme_id), None)

    def programmes_by(self, level: Optional[str] = None, field: Optional[str] = None) -> List[Programme]:
        return [
            p for p in self.programmes
            if (level is None or level in p.levels) and (field is None or p.field == field)
        ]

    def faqs_on(self, topic: str) -> List[Faq]:
        return [f for f in self.faqs if f.topic == topic]


