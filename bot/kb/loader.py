"""Builds the typed KnowledgeBase from the validated YAML files."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Mapping

from bot.kb.models import (
    Admission, Benefit, CareerGuidance, CareerQuiz, Contacts, Document, Faq, Group, KnowledgeBase,
    Offering, Policy, Programme, QuizOption, QuizQuestion, SalaryPeriod, SalaryTable, Source, SourcedText,
)
from bot.kb.validate import check

CHANNEL_FIELDS = ("address", "phone", "hotline", "email", "website", "fanpage", "zalo")


class _Builder:
    def __init__(self, documents: Mapping[str, Document]):
        self.documents = documents

    def source(self, raw: Dict[str, Any]) -> Source:
        return Source(
            document=self.documents[raw["document"]],
            verification=raw["verification"],
            article=raw.get("article"),
            note=raw.get("note"),
        )

    def sourced(self, raw: Dict[str, Any]) -> SourcedText:
        return SourcedText(raw["text"], self.source(raw["source"]))

    def sourced_all(self, items) -> tuple:
        return tuple(self.sourced(i) for i in items)

    def policy(self, raw: Dict[str, Any]) -> Policy:
        groups = tuple(
            Group(g["id"], g["label"], dict(g["conditions"]), self.source(g["source"]), g.get("short"),
                  self.sourced_all(g.get("proof") or ()))
            for g in raw["groups"]
        )
        benefits = tuple(
            Benefit(
                id=b["id"], label=b["label"], kind=b["kind"], groups=tuple(b["groups"]),
                source=self.source(b["source"]), percent=b.get("percent"),
                amount=b.get("amount"), per=b.get("per"),
                months_per_year=b.get("months_per_year"),
                conditions=dict(b.get("conditions", {})), unless=dict(b.get("unless", {})),
            )
            for b in raw["benefits"]
        )
        scope = raw["scope"]
        ethnic = raw.get("ethnic_groups") or {}
        return Policy(
            id=raw["id"],
            document=self.documents[raw["document"]],
            name=raw["name"],
            aliases=tuple(raw["aliases"]),
            summary=SourcedText(raw["summary"], self.source(raw["summary_source"])),
            scope_levels=tuple(scope["levels"]),
            public_institution_only=scope["public_institution_only"],
            scope=SourcedText(scope["text"], self.source(scope["source"])),
            groups=groups,
            benefits=benefits,
            papers=self.sourced_all(raw["papers"]),
            notes=self.sourced_all(raw["notes"]),
            open_questions=self.sourced_all(raw["open_questions"]),
            stacking=self.sourced(raw["stacking"]) if raw.get("stacking") else None,
            ethnic_groups=tuple(ethnic.get("names", ())),
            ethnic_groups_in_lai_chau=tuple(ethnic.get("in_lai_chau", ())),
        )

    def programme(self, raw: Dict[str, Any]) -> Programme:
        offerings = tuple(
            Offering(
                level=o["level"], duration=o["duration"], duration_months=o["duration_months"],
                entry=o["entry"], certificate=o["certificate"],
                fee_per_month=o["fee"]["amount_per_month"], fee_note=o["fee"]["note"],
            )
            for o in raw["offerings"]
        )
        return Programme(
            id=raw["id"], name=raw["name"], aliases=tuple(raw["aliases"]), field=raw["field"],
            economic_fields=tuple(raw["economic_fields"]), riasec=tuple(raw["riasec"]),
            status=raw["status"], summary=raw["summary"], taught=tuple(raw["taught"]),
            offerings=offerings, jobs=tuple(raw["jobs"]), income_min=raw["income"]["min"],
            income_max=raw["income"]["max"], income_note=raw["income"]["note"],
            locations=tuple(raw["locations"]), source=self.source(raw["source"]),
        )

    def contacts(self, raw: Dict[str, Any]) -> Contacts:
        return Contacts(
            institution=raw["institution"],
            department=raw.get("department"),
            channels={key: raw.get(key) for key in CHANNEL_FIELDS},
            office_hours=raw["office_hours"]["text"],
            office_hours_certain=raw["office_hours"]["verification"] != "unverified",
            confirmed=raw["status"] == "confirmed",
            note=raw.get("note"),
            source=self.source(raw["source"]),
            other_units=tuple(
                SourcedText(f"{u['name']}: {u['role']}", self.source(u["source"]))
                for u in raw.get("other_units", [])
            ),
        )


def load(root: Path) -> KnowledgeBase:
    """Validate the folder and build the knowledge base (raises KBInvalid)."""
    root = Path(root)
    data = check(root)
    raw = {path.relative_to(root).as_posix(): content for path, content in data.items()}
    documents = {
        d["id"]: Document(
            id=d["id"], short=d["short"], title=d["title"], issuer=d["issuer"],
            status=d["status"], date=d.get("date"), date_text=d.get("date_text"),
            effective=d.get("effective"),
        )
        for d in raw["sources.yml"]["documents"]
    }
    build = _Builder(documents)
    salary = SalaryTable(tuple(
        SalaryPeriod(r["amount"], r["effective_from"], build.source(r["source"]))
        for r in raw["base_salary.yml"]["base_salary"]
    ))
    policies = {}
    for name in sorted(k for k in raw if k.startswith("policies/")):
        policy = build.policy(raw[name]["policy"])
        policies[policy.id] = policy
    adm = raw["admission.yml"]["admission"]
    admission = Admission(
        summary=adm["summary"],
        methods=build.sourced_all(adm["methods"]),
        papers=build.sourced_all(adm["papers"]),
        steps=build.sourced_all(adm["steps"]),
        timing=build.sourced(adm["timing"]),
        where=build.sourced(adm["where"]),
        eligibility={e["level"]: SourcedText(e["text"], build.source(e["source"])) for e in adm["eligibility"]},
        notes=build.sourced_all(adm.get("notes", [])),
    )
    career_raw = raw["career_guidance.yml"]
    career = CareerGuidance(
        core_message=build.sourced(career_raw["core_message"]),
        messages=tuple(SourcedText(m["text"], build.source(m["source"])) for m in career_raw["messages"]),
        economic_fields={f["id"]: (f["label"], f["description"]) for f in career_raw["local_economic_fields"]},
        targets_2030=build.sourced_all(career_raw["targets_2030"]),
        riasec_types={t["code"]: (t["label"], t["description"]) for t in career_raw["riasec_types"]},
    )
    return KnowledgeBase(
        documents=documents,
        salary=salary,
        policies=policies,
        programmes=tuple(build.programme(p) for p in raw["programmes.yml"]["programmes"]),
        admission=admission,
        contacts=build.contacts(raw["contacts.yml"]["contacts"]),
        faqs=tuple(
            Faq(f["id"], f["topic"], f["question"], tuple(f["keywords"]), f["answer"], build.source(f["source"]))
            for f in raw["faqs.yml"]["faqs"]
        ),
        career=career,
        quiz=_quiz(raw["career_quiz.yml"], build),
    )


def _quiz(raw: Dict[str, Any], build: _Builder) -> CareerQuiz:
    def question(q: Dict[str, Any], constraint: bool) -> QuizQuestion:
        return QuizQuestion(q["id"], q["text"], tuple(
            QuizOption(o["key"], o["title"], o.get("type"), tuple(o.get("levels") or ()), o.get("place"))
            for o in q["options"]), constraint)

    return CareerQuiz(
        tuple(question(q, False) for q in raw["interest_questions"]) + tuple(question(q, True) for q in raw["constraints"]),
        build.source(raw["source"]),
    )
