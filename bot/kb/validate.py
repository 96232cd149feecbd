"""Validation of the knowledge-base files: schema first, then cross-references.

Every problem names the file, the entry (its `id` where it has one) and the field,
so that an admissions officer editing YAML by hand can find and fix it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Sequence, Tuple

import jsonschema
import yaml

from bot.kb.schema import FILE_SCHEMAS
from bot.text import fold


@dataclass(frozen=True)
class KBProblem:
    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: entry '{self.entry}', field '{self.field}': {self.message}"


class KBInvalid(Exception):
    def __init__(self, problems: Sequence[KBProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def _is_date(_checker: Any, value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


_TYPE_CHECKER = jsonschema.Draft7Validator.TYPE_CHECKER.redefine("date", _is_date)
_Validator = jsonschema.validators.extend(jsonschema.Draft7Validator, type_checker=_TYPE_CHECKER)
_REQUIRED = re.compile(r"^'([^']+)' is a required property")


def kb_files(root: Path) -> Iterator[Tuple[Path, Dict[str, Any]]]:
    """(path, schema) for every file the knowledge base must hold."""
    for pattern, schema in FILE_SCHEMAS.items():
        matches = sorted(root.glob(pattern))
        if not matches and "*" not in pattern:
            matches = [root / pattern]
        for path in matches:
            yield path, schema


def _locate(data: Any, path: Sequence[Any]) -> Tuple[str, List[str]]:
    """Split a path into (entry label, field path) using the deepest list item with an id."""
    entry, field_start = None, 0
    node = data
    for i, key in enumerate(path):
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(key, int):
            label = node.get("id") if isinstance(node, dict) else None
            entry = str(label) if label else "/".join(str(k) for k in path[: i + 1])
            field_start = i + 1
    if entry is None:
        entry = str(path[0]) if path else "(file)"
        field_start = 1 if path else 0
    return entry, [str(k) for k in path[field_start:]]


def _schema_problems(rel: str, data: Any, schema: Dict[str, Any]) -> List[KBProblem]:
    problems = []
    validator = _Validator(schema)
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = list(error.absolute_path)
        entry, fields = _locate(data, path)
        message = error.message
        missing = _REQUIRED.match(message)
        if missing:
            fields = fields + [missing.group(1)]
            message = "is required"
        problems.append(KBProblem(rel, entry, ".".join(fields) or "(whole entry)", message))
    return problems


def _walk_sources(node: Any, path: Tuple[Any, ...] = ()) -> Iterator[Tuple[Tuple[Any, ...], Dict[str, Any]]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("source", "summary_source") and isinstance(value, dict):
                yield path + (key,), value
            else:
                yield from _walk_sources(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk_sources(value, path + (i,))


def _duplicates(values: Iterable[str]) -> List[str]:
    seen, dups = set(), []
    for v in values:
        if v in seen and v not in dups:
            dups.append(v)
        seen.add(v)
    return dups


def _cross_problems(root: Path, loaded: Dict[Path, Any]) -> List[KBProblem]:
    problems: List[KBProblem] = []
    rel = lambda p: str(p.relative_to(root.parent)) if root.parent in p.parents else str(p)  # noqa: E731
    sources_data = loaded.get(root / "sources.yml") or {}
    documents = {d["id"]: d for d in sources_data.get("documents", []) if isinstance(d, dict)}
    for dup in _duplicates(d.get("id", "") for d in sources_data.get("documents", [])):
        problems.append(KBProblem(rel(root / "sources.yml"), dup, "id", "duplicate document id"))

    for path, data in loaded.items():
        for where, source in _walk_sources(data):
            doc_id = source.get("document")
            entry, fields = _locate(data, list(where))
            field = ".".join(fields + ["document"])
            if doc_id not in documents:
                problems.append(KBProblem(rel(path), entry, field, f"unknown document '{doc_id}' (not in sources.yml)"))
            elif documents[doc_id]["status"] == "replaced" and path.name != "base_salary.yml":
                problems.append(KBProblem(rel(path), entry, field, f"document '{doc_id}' has been replaced and cannot be cited as current"))

    salary = (loaded.get(root / "base_salary.yml") or {}).get("base_salary", [])
    dates = [row.get("effective_from") for row in salary if isinstance(row, dict)]
    if all(isinstance(d, dt.date) for d in dates) and dates != sorted(set(dates)):
        problems.append(KBProblem(rel(root / "base_salary.yml"), "base_salary", "effective_from", "rows must be in strictly increasing date order"))

    policy_ids, policy_aliases = [], []
    for path in sorted(p for p in loaded if p.parent.name == "policies"):
        policy = (loaded[path] or {}).get("policy") or {}
        policy_ids.append(policy.get("id"))
        policy_aliases += [(fold(a), path) for a in policy.get("aliases", []) if isinstance(a, str)]
        if policy.get("document") not in documents:
            problems.append(KBProblem(rel(path), str(policy.get("id")), "document", f"unknown document '{policy.get('document')}'"))
        group_ids = [g.get("id") for g in policy.get("groups", []) if isinstance(g, dict)]
        for dup in _duplicates(group_ids):
            problems.append(KBProblem(rel(path), dup, "id", "duplicate group id"))
        for dup in _duplicates(b.get("id") for b in policy.get("benefits", []) if isinstance(b, dict)):
            problems.append(KBProblem(rel(path), dup, "id", "duplicate benefit id"))
        for benefit in policy.get("benefits", []):
            if not isinstance(benefit, dict):
                continue
            for gid in benefit.get("groups", []):
                if gid not in group_ids:
                    problems.append(KBProblem(rel(path), str(benefit.get("id")), "groups", f"unknown group '{gid}'"))
    for dup in _duplicates(i for i in policy_ids if i):
        problems.append(KBProblem("knowledge_base/policies", dup, "id", "duplicate policy id"))
    alias_owner: Dict[str, Path] = {}
    for alias, path in policy_aliases:
        if alias in alias_owner and alias_owner[alias] != path:
            problems.append(KBProblem(rel(path), alias, "aliases", f"alias also used by {rel(alias_owner[alias])}"))
        alias_owner.setdefault(alias, path)

    programmes = (loaded.get(root / "programmes.yml") or {}).get("programmes", [])
    prog_file = rel(root / "programmes.yml")
    for dup in _duplicates(p.get("id", "") for p in programmes if isinstance(p, dict)):
        problems.append(KBProblem(prog_file, dup, "id", "duplicate programme id"))
    owners: Dict[str, str] = {}
    for prog in programmes:
        if not isinstance(prog, dict):
            continue
        names = [prog.get("name", "")] + list(prog.get("aliases", []))
        for alias in {fold(n) for n in names if isinstance(n, str)}:
            if alias in owners and owners[alias] != prog.get("id"):
                problems.append(KBProblem(prog_file, str(prog.get("id")), "aliases", f"'{alias}' is also a name of '{owners[alias]}'"))
            owners.setdefault(alias, prog.get("id"))
        levels = [o.get("level") for o in prog.get("offerings", []) if isinstance(o, dict)]
        for dup in _duplicates(levels):
            problems.append(KBProblem(prog_file, str(prog.get("id")), "offerings", f"level '{dup}' offered twice"))
        income = prog.get("income") or {}
        if isinstance(income.get("min"), int) and isinstance(income.get("max"), int) and income["min"] > income["max"]:
            problems.append(KBProblem(prog_file, str(prog.get("id")), "income", "min is greater than max"))

    problems.extend(_quiz_problems(rel(root / "career_quiz.yml"), loaded.get(root / "career_quiz.yml") or {}))
    problems.extend(_eligibility_problems(root, loaded, rel))

    faqs = (loaded.get(root / "faqs.yml") or {}).get("faqs", [])
    for dup in _duplicates(f.get("id", "") for f in faqs if isinstance(f, dict)):
        problems.append(KBProblem(rel(root / "faqs.yml"), dup, "id", "duplicate FAQ id"))
    return problems


def _fact_vocabulary(loaded: Dict[Path, Any], root: Path) -> Dict[str, set]:
    """fact id -> the values a condition may require (person_facts.yml, residence.yml, levels)."""
    facts_data = loaded.get(root / "person_facts.yml") or {}
    residence = loaded.get(root / "residence.yml") or {}
    categories = {c.get("id") for c in residence.get("categories", []) if isinstance(c, dict)}
    vocabulary: Dict[str, set] = {}
    for fact in facts_data.get("facts", []):
        if not isinstance(fact, dict):
            continue
        values = {v.get("value") for v in fact.get("values", []) if isinstance(v, dict)}
        if "negated" in fact:
            values.add(fact["negated"])
        if values & {True, False}:
            values |= {True, False}
        vocabulary[str(fact.get("id"))] = values
    vocabulary["residence"] = categories
    vocabulary["level"] = {"so_cap", "trung_cap", "cao_dang"}
    for d in facts_data.get("derived", []):
        if isinstance(d, dict):
            vocabulary[str(d.get("id"))] = {True, False}
    return vocabulary


def _condition_problems(file: str, entry: str, field: str, conditions: Any, vocabulary: Dict[str, set]) -> List[KBProblem]:
    problems = []
    if not isinstance(conditions, dict):
        return problems
    for key, required in conditions.items():
        if key not in vocabulary:
            problems.append(KBProblem(file, entry, f"{field}.{key}", f"unknown fact '{key}' (not in person_facts.yml)"))
            continue
        if key == "age":
            continue
        for value in required if isinstance(required, list) else [required]:
            if value not in vocabulary[key]:
                problems.append(KBProblem(file, entry, f"{field}.{key}", f"'{value}' is not a value of fact '{key}'"))
    return problems


def _eligibility_problems(root: Path, loaded: Dict[Path, Any], rel) -> List[KBProblem]:  # noqa: C901 - one walk per file
    """Conditions, doubts, exclusions, stacking rules, questions and communes name facts, values,
    groups and benefits that exist."""
    problems: List[KBProblem] = []
    vocabulary = _fact_vocabulary(loaded, root)
    benefits = set()
    for path in sorted(p for p in loaded if p.parent.name == "policies"):
        policy = (loaded[path] or {}).get("policy") or {}
        name, pid = rel(path), str(policy.get("id"))
        scope = policy.get("scope") or {}
        def rules(entry: str, prefix: str, items: Any, parts: Sequence[str]) -> List[KBProblem]:
            """The conditions of each doubt / exclusion in `items` (named by `entry`, or their own id)."""
            found: List[KBProblem] = []
            for item in items or []:
                if isinstance(item, dict):
                    for part in parts:
                        found += _condition_problems(name, entry or str(item.get("id")), f"{prefix}.{part}",
                                                     item.get(part), vocabulary)
            return found

        problems += _condition_problems(name, pid, "scope.conditions", scope.get("conditions"), vocabulary)
        problems += rules("", "scope.doubts", scope.get("doubts"), ("when", "unless"))
        problems += rules("", "scope.exclusions", scope.get("exclusions"), ("if", "ask_when"))
        for g in policy.get("groups", []) or []:
            if not isinstance(g, dict):
                continue
            problems += _condition_problems(name, str(g.get("id")), "conditions", g.get("conditions"), vocabulary)
            problems += rules(str(g.get("id")), "doubts", g.get("doubts"), ("when", "unless"))
        for b in policy.get("benefits", []) or []:
            if not isinstance(b, dict):
                continue
            benefits.add(f"{pid}.{b.get('id')}")
            for part in ("conditions", "unless"):
                problems += _condition_problems(name, str(b.get("id")), part, b.get(part), vocabulary)
            problems += rules(str(b.get("id")), "doubts", b.get("doubts"), ("when", "unless"))
            for d in b.get("doubts", []) or []:
                for gid in d.get("groups", []) or []:
                    if gid not in (b.get("groups") or []):
                        problems.append(KBProblem(name, str(b.get("id")), "doubts.groups", f"group '{gid}' is not a group of this benefit"))
            if b.get("kind") == "percent_of_base_salary" and b.get("months_per_year") is None and not b.get("months_per_year_options"):
                problems.append(KBProblem(name, str(b.get("id")), "months_per_year_options",
                                          "months per year unknown: list the possible numbers (e.g. [10, 12])"))
    stacking = loaded.get(root / "stacking.yml") or {}
    for rule in stacking.get("rules", []) or []:
        if not isinstance(rule, dict):
            continue
        refs = list(rule.get("benefits") or []) + [r for side in rule.get("sides") or [] for r in side]
        for ref in refs:
            if ref not in benefits:
                problems.append(KBProblem(rel(root / "stacking.yml"), str(rule.get("id")), "benefits", f"unknown benefit '{ref}'"))
    questions = loaded.get(root / "support_questions.yml") or {}
    qfile = rel(root / "support_questions.yml")
    for dup in _duplicates(q.get("id", "") for q in questions.get("questions", []) if isinstance(q, dict)):
        problems.append(KBProblem(qfile, dup, "id", "duplicate question id"))
    for q in questions.get("questions", []) or []:
        if not isinstance(q, dict):
            continue
        for fact in q.get("facts", []) or []:
            if fact not in vocabulary:
                problems.append(KBProblem(qfile, str(q.get("id")), "facts", f"unknown fact '{fact}'"))
        for c in q.get("choices", []) or []:
            sets = c.get("sets") if isinstance(c, dict) else None
            if not isinstance(sets, dict):
                continue
            for key, value in sets.items():
                if key == "residence" and isinstance(value, dict):
                    for cat in value:
                        if cat not in vocabulary["residence"]:
                            problems.append(KBProblem(qfile, str(q.get("id")), f"choices.{c.get('key')}.sets", f"unknown residence category '{cat}'"))
                elif key not in vocabulary:
                    problems.append(KBProblem(qfile, str(q.get("id")), f"choices.{c.get('key')}.sets", f"unknown fact '{key}'"))
                elif key != "age" and value not in vocabulary[key]:
                    problems.append(KBProblem(qfile, str(q.get("id")), f"choices.{c.get('key')}.sets", f"'{value}' is not a value of fact '{key}'"))
    residence = loaded.get(root / "residence.yml") or {}
    rfile = rel(root / "residence.yml")
    for c in residence.get("categories", []) or []:
        for part in ("implies", "negates"):
            for cat in (c.get(part) or []) if isinstance(c, dict) else []:
                if cat not in vocabulary["residence"]:
                    problems.append(KBProblem(rfile, str(c.get("id")), part, f"unknown residence category '{cat}'"))
    communes = [c for c in residence.get("communes", []) or [] if isinstance(c, dict)]
    for dup in _duplicates(c.get("name", "") for c in communes):
        problems.append(KBProblem(rfile, dup, "name", "duplicate commune name"))
    for c in communes:
        for x in c.get("categories", []) or []:
            if isinstance(x, dict) and x.get("category") not in vocabulary["residence"]:
                problems.append(KBProblem(rfile, str(c.get("name")), "categories", f"unknown residence category '{x.get('category')}'"))
    facts_data = loaded.get(root / "person_facts.yml") or {}
    for i, rule in enumerate(facts_data.get("implications", []) or []):
        if isinstance(rule, dict):
            problems += _condition_problems(rel(root / "person_facts.yml"), f"implications/{i}", "if", rule.get("if"), vocabulary)
            problems += _condition_problems(rel(root / "person_facts.yml"), f"implications/{i}", "then", rule.get("then"), vocabulary)
    return problems


def _quiz_problems(name: str, quiz: Dict[str, Any]) -> List[KBProblem]:
    """Every RIASEC type must be offered equally often, so scores compare across types."""
    problems: List[KBProblem] = []
    questions = [q for q in quiz.get("interest_questions", []) if isinstance(q, dict)]
    for dup in _duplicates(q.get("id", "") for q in questions):
        problems.append(KBProblem(name, dup, "id", "duplicate question id"))
    counts = {t: 0 for t in "RIASEC"}
    for q in questions:
        options = [o for o in q.get("options", []) if isinstance(o, dict)]
        for dup in _duplicates(o.get("key", "") for o in options):
            problems.append(KBProblem(name, str(q.get("id")), "options", f"key '{dup}' used twice"))
        for dup in _duplicates(o.get("type", "") for o in options):
            problems.append(KBProblem(name, str(q.get("id")), "options", f"type '{dup}' offered twice in one question"))
        for o in options:
            if o.get("type") in counts:
                counts[o["type"]] += 1
    if questions and len(set(counts.values())) > 1:
        problems.append(KBProblem(name, "interest_questions", "options",
                                  "each RIASEC type must appear equally often: " + ", ".join(f"{t}={n}" for t, n in counts.items())))
    return problems


def read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def validate_dir(root: Path) -> Tuple[Dict[Path, Any], List[KBProblem]]:
    """Read and check every knowledge-base file. Returns the data and the problems found."""
    root = Path(root)
    loaded: Dict[Path, Any] = {}
    problems: List[KBProblem] = []
    for path, schema in kb_files(root):
        rel = str(path.relative_to(root.parent))
        if not path.exists():
            problems.append(KBProblem(rel, "(file)", "(file)", "file is missing"))
            continue
        try:
            data = read_yaml(path)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
            problems.append(KBProblem(rel, "(file)", where, f"not valid YAML: {getattr(exc, 'problem', exc)}"))
            continue
        found = _schema_problems(rel, data, schema)
        problems.extend(found)
        loaded[path] = data
    problems.extend(_cross_problems(root, loaded))
    return loaded, problems


def check(root: Path) -> Dict[Path, Any]:
    """Validate and return the raw data, or raise KBInvalid."""
    loaded, problems = validate_dir(root)
    if problems:
        raise KBInvalid(problems)
    return loaded
