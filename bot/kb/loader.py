"""Builds the typed KnowledgeBase from the validated YAML files."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Mapping

from bot.kb.models import (
    Admission, Benefit, CareerGuidance, CareerQuiz, Commune, Contacts, DerivedFact, Document, Doubt, Exclusion,
    FactBook, FactValue, Faq, Group, Implication, KnowledgeBase, OfficeHours, Offering, PersonFact, Policy,
    Programme, QuestionChoice, QuizOption, QuizQuestion, Residence, ResidenceCategory, Retrieval, SalaryPeriod,
    SalaryTable, Source, SourcedText, StackingRule, SupportQuestion,
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
        return SourcedText(raw["text"], self.source(raw["source"]), raw.get("about"), tuple(raw.get("claims") or ()),
                           tuple(raw.get("asks") or ()))

    def sourced_all(self, items) -> tuple:
        return tuple(self.sourced(i) for i in items)

    def doubts(self, items) -> tuple:
        return tuple(
            Doubt(d["id"], d["text"], self.source(d["source"]), dict(d.get("when") or {}),
                  dict(d.get("unless") or {}), tuple(d.get("groups") or ()), d.get("short"))
            for d in items or ()
        )

    def policy(self, raw: Dict[str, Any]) -> Policy:
        groups = tuple(
            Group(g["id"], g["label"], dict(g["conditions"]), self.source(g["source"]), g.get("short"),
                  self.sourced_all(g.get("proof") or ()), self.doubts(g.get("doubts")))
            for g in raw["groups"]
        )
        benefits = tuple(
            Benefit(
                id=b["id"], label=b["label"], kind=b["kind"], groups=tuple(b["groups"]),
                source=self.source(b["source"]), percent=b.get("percent"),
                amount=b.get("amount"), per=b.get("per"),
                months_per_year=b.get("months_per_year"),
                conditions=dict(b.get("conditions", {})), unless=dict(b.get("unless", {})),
                short=b.get("short"), aliases=tuple(b.get("aliases") or ()), up_to=bool(b.get("up_to")),
                months_per_year_options=tuple(b.get("months_per_year_options") or ()),
                doubts=self.doubts(b.get("doubts")),
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
            scope=SourcedText(scope["text"], self.source(scope["source"])),
            groups=groups,
            benefits=benefits,
            papers=self.sourced_all(raw["papers"]),
            notes=self.sourced_all(raw["notes"]),
            open_questions=self.sourced_all(raw["open_questions"]),
            button=raw.get("button"),
            order=raw.get("order", 99),
            scope_conditions=dict(scope.get("conditions") or {}),
            exclusions=tuple(
                Exclusion(e["id"], dict(e["if"]), e["text"], self.source(e["source"]), dict(e.get("ask_when") or {}))
                for e in scope.get("exclusions") or ()
            ),
            doubts=self.doubts(scope.get("doubts")),
            ethnic_groups=tuple(ethnic.get("names", ())),
            ethnic_groups_in_lai_chau=tuple(ethnic.get("in_lai_chau", ())),
            ethnic_groups_source=self.source(ethnic["source"]) if ethnic.get("source") else None,
        )

    def facts(self, raw: Dict[str, Any], residence: Dict[str, Any]) -> FactBook:
        def value(v: Dict[str, Any]) -> FactValue:
            return FactValue(v["value"], v["says"], v["if_says"], tuple(v.get("words") or ()),
                             dict(v.get("sets") or {}), tuple(v.get("satisfies") or ()))

        facts = {}
        for f in raw["facts"]:
            values = tuple(value(v) for v in f["values"])
            if f["id"] == "residence":  # its values are the residence categories
                values = tuple(FactValue(c["id"], c["says"], c["if_says"], tuple(c["words"]))
                               for c in residence["categories"])
            facts[f["id"]] = PersonFact(
                id=f["id"], about=f["about"], roles=tuple(f["roles"]), ask=f["ask"], values=values,
                source=self.source(f["source"]), kind=f.get("kind", "choice"), common=bool(f.get("common")),
                unclear_roles=tuple(f.get("unclear_roles") or ()), unclear_ask=f.get("unclear_ask"),
                negated=f.get("negated"), negated_says=f.get("negated_says"),
                negated_values=dict(f.get("negated_values") or {}), unclear=tuple(f.get("unclear") or ()),
                name_prefixes=tuple(f.get("name_prefixes") or ()),
                names=tuple(tuple(n) for n in f.get("names") or ()),
            )
        implications = tuple(Implication(dict(i["if"]), dict(i["then"]), i["text"], self.source(i["source"]))
                             for i in raw["implications"])
        derived = {
            d["id"]: DerivedFact(d["id"], d["from"], d["by"], {k: (v[0], v[1]) for k, v in d["ranges"].items()},
                                 {True: d["says"]["true"], False: d["says"]["false"]}, d["if_says"],
                                 self.source(d["source"]))
            for d in raw["derived"]
        }
        return FactBook(facts, implications, derived)

    def residence(self, raw: Dict[str, Any]) -> Residence:
        return Residence(
            categories=tuple(
                ResidenceCategory(c["id"], c["short"], c["label"], c["says"], c["if_says"], tuple(c["words"]),
                                  self.source(c["source"]), tuple(c.get("implies") or ()), tuple(c.get("negates") or ()))
                for c in raw["categories"]
            ),
            none_words=tuple(raw["none_words"]),
            commune_doubt=Doubt("commune_list", raw["commune_doubt"]["text"], self.source(raw["commune_doubt"]["source"]),
                                short=raw["commune_doubt"]["short"]),
            communes=tuple(
                Commune(c["name"], c["kind"], tuple(c.get("formed_from") or ()),
                        {x["category"]: self.source(x["source"]) for x in c.get("categories") or ()})
                for c in raw["communes"]
            ),
            communes_source=self.source(raw["communes_source"]),
        )

    @staticmethod
    def questions(raw: Dict[str, Any]) -> tuple:
        return tuple(
            SupportQuestion(q["id"], q["text"], tuple(q["facts"]), tuple(
                QuestionChoice(c["key"], c["title"], c.get("sets"), tuple(c.get("words") or ()))
                for c in q["choices"]))
            for q in raw["questions"]
        )

    def stacking(self, raw: Dict[str, Any]) -> tuple:
        def ref(text: str) -> tuple:
            policy, _, benefit = text.partition(".")
            return policy, benefit

        return tuple(
            StackingRule(r["id"], r["rule"], r["text"], self.source(r["source"]),
                         tuple(ref(b) for b in r.get("benefits") or ()),
                         tuple(tuple(ref(b) for b in side) for side in r.get("sides") or ()), r.get("short"))
            for r in raw["rules"]
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
        hours = raw["office_hours"]
        department = raw.get("department")
        return Contacts(
            institution=raw["institution"],
            department=SourcedText(department["name"], self.source(department["source"])) if department else None,
            channels={key: raw.get(key) for key in CHANNEL_FIELDS},
            office_hours=OfficeHours(hours["text"], hours.get("schedule"), tuple(hours.get("closed") or ()),
                                     hours["verification"], self.source(hours["source"])),
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
            effective=d.get("effective"), effective_text=d.get("effective_text"),
            replaces=tuple(d.get("replaces") or ()), replaced_by=d.get("replaced_by"),
            not_for_levels=tuple((d.get("not_for") or {}).get("levels") or ()),
            not_for_text=(d.get("not_for") or {}).get("text"),
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
        summary=SourcedText(adm["summary"], build.source(adm["summary_source"])),
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
    applies = raw["base_salary.yml"].get("applies_to")
    return KnowledgeBase(
        documents=documents,
        salary=salary,
        salary_applies_to=build.sourced(applies) if applies else None,
        policies=policies,
        programmes=tuple(build.programme(p) for p in raw["programmes.yml"]["programmes"]),
        admission=admission,
        contacts=build.contacts(raw["contacts.yml"]["contacts"]),
        faqs=tuple(
            Faq(f["id"], f["topic"], f["question"], tuple(f["keywords"]), f["answer"], build.source(f["source"]),
                f.get("if_guaranteed"))
            for f in raw["faqs.yml"]["faqs"]
        ),
        career=career,
        quiz=_quiz(raw["career_quiz.yml"], build),
        facts=build.facts(raw["person_facts.yml"], raw["residence.yml"]),
        residence=build.residence(raw["residence.yml"]),
        questions=build.questions(raw["support_questions.yml"]),
        stacking=build.stacking(raw["stacking.yml"]),
        retrieval=Retrieval(tuple(tuple(g) for g in raw["retrieval.yml"]["synonyms"]),
                            dict(raw["retrieval.yml"]["thresholds"])),
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
