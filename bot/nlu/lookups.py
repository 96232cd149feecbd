"""Lookup tables and entity synonyms for the NLU, generated from the knowledge base.

`python -m bot nlu generate` writes data/nlu/generated_from_kb.yml; a test fails when
the file is out of date, so a programme or alias added to knowledge_base/ reaches
the model at the next training. Every name is listed as written and without
diacritics; synonyms map each to the canonical value the answers use
(programme id, level id, policy id, ethnic group name).
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Iterable, List, Tuple

from bot.kb.matching import LEVEL_NAMES
from bot.kb.models import KnowledgeBase
from bot.text import lower_nfc, strip_diacritics

OUTPUT = Path(__file__).resolve().parents[2] / "data" / "nlu" / "generated_from_kb.yml"
HEADER = (
    "# GENERATED from knowledge_base/ by `python -m bot nlu generate`: do not edit by hand.\n"
    "# Lookup tables (with and without diacritics) and synonyms to canonical values.\n"
)


def _forms(names: Iterable[str]) -> List[str]:
    out: List[str] = []
    for name in names:
        for form in (lower_nfc(name), strip_diacritics(lower_nfc(name))):
            if len(form) > 1 and form not in out:
                out.append(form)
    return out


def tables(kb: KnowledgeBase) -> Dict[str, List[Tuple[str, List[str]]]]:
    """entity -> [(canonical value, surface forms)]"""
    return {
        "programme": [(p.id, _forms((p.name,) + p.aliases)) for p in kb.programmes],
        "level": [(level, _forms(names[:3])) for level, names in LEVEL_NAMES.items()],
        "policy": [(p.id, _forms(p.aliases + (p.document.short,))) for p in kb.policies.values()],
        "ethnicity": [(names[0], _forms(names)) for names in (kb.facts.fact("ethnicity").names  # type: ignore[union-attr]
                                                                if kb.facts.fact("ethnicity") else ())],
    }


def _block(lines: List[str]) -> str:
    return "".join(f"    - {line}\n" for line in lines)


def render(kb: KnowledgeBase) -> str:
    parts = [HEADER, 'version: "3.1"\n', "nlu:\n"]
    for entity, values in tables(kb).items():
        forms = sorted({f for _, fs in values for f in fs})
        parts.append(f"- lookup: {entity}\n  examples: |\n{_block(forms)}")
    # The synonym mapper ignores the entity type: a form naming two things maps to neither.
    owners: Dict[str, set] = {}
    for values in tables(kb).values():
        for canonical, forms in values:
            for form in forms:
                owners.setdefault(form, set()).add(canonical)
    for entity, values in tables(kb).items():
        for canonical, forms in values:
            others = [f for f in forms if f != canonical and len(owners[f]) == 1]
            if others:
                parts.append(f"- synonym: {canonical}\n  examples: |\n{_block(others)}")
    return "".join(parts)


def write(kb: KnowledgeBase, path: Path = OUTPUT) -> bool:
    """Write the file; True if it changed."""
    text = render(kb)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
