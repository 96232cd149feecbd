"""Typed view of the knowledge base (built from validated YAML)."""

from __future__ import annotations

import bisect
import datetime as dt
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


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    conditions: Mapping[str, object]
    source: Source
    short: Optional[str] = None  # a few words for compact lists
    proof: Tuple["SourcedText", ...] = ()  # papers proving membership

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
    conditions: Mapping[str, object] = field(default_factory=dict)
    unless: Mapping[str, object] = field(default_factory=dict)

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
    public_institution_only: bool
    scope: SourcedText
    groups: Tuple[Group, ...]
    benefits: Tuple[Benefit, ...]
    papers: Tuple[SourcedText, ...]
    notes: Tuple[SourcedText, ...]
    open_questions: Tuple[SourcedText, ...]
    stacking: Optional[SourcedText] = None
    ethnic_groups: Tuple[str, ...] = ()
    ethnic_groups_in_lai_chau: Tuple[str, ...] = ()

    def group(self, group_id: str) -> Group:
        return next(g for g in self.groups if g.id == group_id)


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


@dataclass(frozen=True)
class Admission:
    summary: str
    methods: Tuple[SourcedText, ...]
    papers: Tuple[SourcedText, ...]
    steps: Tuple[SourcedText, ...]
    timing: SourcedText
    where: SourcedText
    eligibility: Mapping[str, SourcedText]
    notes: Tuple[SourcedText, ...] = ()


@dataclass(frozen=True)
class Contacts:
    institution: str
    department: Optional[str]
    channels: Mapping[str, Optional[str]]  # address, phone, hotline, email, website, fanpage, zalo
    office_hours: str
    office_hours_certain: bool
    confirmed: bool
    note: Optional[str]
    source: Source
    other_units: Tuple[SourcedText, ...]


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
class KnowledgeBase:
    documents: Mapping[str, Document]
    salary: SalaryTable
    policies: Mapping[str, Policy]
    programmes: Sequence[Programme]
    admission: Admission
    contacts: Contacts
    faqs: Sequence[Faq]
    career: CareerGuidance
    quiz: CareerQuiz

    def programme(self, programme_id: str) -> Optional[Programme]:
        return next((p for p in self.programmes if p.id == programme_id), None)

    def programmes_by(self, level: Optional[str] = None, field: Optional[str] = None) -> List[Programme]:
        return [
            p for p in self.programmes
            if (level is None or level in p.levels) and (field is None or p.field == field)
        ]

    def faqs_on(self, topic: str) -> List[Faq]:
        return [f for f in self.faqs if f.topic == topic]


