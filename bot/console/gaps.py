"""Unanswered questions grouped by similarity, so staff see the biggest gaps first; a group
becomes a knowledge-base FAQ (validated exactly like the files) or is dismissed."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import yaml
from sqlalchemy import select, update

from bot.console.numbers import whole_number
from bot.kb import kb_dir
from bot.kb.validate import validate_dir
from bot.storage.db import session_scope
from bot.storage.models import UnansweredQuestion
from bot.text import normalise

# Words that say nothing about the topic (folded, shorthand already expanded).
STOPWORDS = set("""a ad ah ak anh ban bao be cac cai chi cho chu co con cua da dang day de di do duoc em gi giup
ha hay hoi khi khong la lam len ma minh mot nao nay nhe nhi nhieu nhu nho o oi ong roi sao se thi the thoi toi tu
va vay ve voi vui xin""".split())
SIMILAR = 0.4
MAX_QUESTIONS = 3000


def signature(text: str) -> frozenset:
    words = [w for w in normalise(text).split() if w not in STOPWORDS]
    return frozenset(words + [f"{a} {b}" for a, b in zip(words, words[1:])])


def similarity(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@dataclass
class Gap:
    ids: List[int] = field(default_factory=list)
    texts: List[str] = field(default_factory=list)
    channels: Dict[str, int] = field(default_factory=dict)
    key: frozenset = frozenset()

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def id_list(self) -> str:
        return ",".join(map(str, self.ids))


def group(rows: Sequence[UnansweredQuestion]) -> List[Gap]:
    """Greedy grouping: a question joins the first group whose first question is similar enough."""
    gaps: List[Gap] = []
    for row in rows:
        sig = signature(row.text)
        home = next((g for g in gaps if similarity(g.key, sig) >= SIMILAR), None)
        if home is None:
            home = Gap(key=sig)
            gaps.append(home)
        home.ids.append(row.id)
        if len(home.texts) < 5 and row.text not in home.texts:
            home.texts.append(row.text)
        home.channels[row.channel] = home.channels.get(row.channel, 0) + 1
    return sorted(gaps, key=lambda g: -g.count)


def open_gaps(url: Optional[str] = None) -> List[Gap]:
    with session_scope(url) as session:
        rows = list(session.scalars(select(UnansweredQuestion).where(UnansweredQuestion.status == "new")
                                    .order_by(UnansweredQuestion.asked_at).limit(MAX_QUESTIONS)))
    return group(rows)


def parse_ids(value: str) -> List[int]:
    ids = [whole_number(v.strip()) for v in (value or "").split(",")]
    return [i for i in ids if i is not None][:MAX_QUESTIONS]


def set_status(ids: Sequence[int], status: str, url: Optional[str] = None) -> int:
    with session_scope(url) as session:
        return session.execute(update(UnansweredQuestion).where(UnansweredQuestion.id.in_(list(ids)))
                               .values(status=status)).rowcount or 0


class FaqProblem(ValueError):
    """The new FAQ would make the knowledge base invalid (message names the field)."""


def faq_block(entry: Dict) -> str:
    """The entry as YAML, indented like the file's other entries."""
    text = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=100)
    return "\n" + "".join("  " + line if line.strip() else line for line in text.splitlines(keepends=True))


def add_faq(entry: Dict, folder: Optional[Path] = None) -> None:
    """Append a FAQ to faqs.yml after checking the whole knowledge base with it, in a copy."""
    folder = Path(folder or kb_dir())
    target = folder / "faqs.yml"
    new_text = target.read_text(encoding="utf-8").rstrip("\n") + "\n" + faq_block(entry)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "knowledge_base"
        shutil.copytree(folder, copy)
        (copy / "faqs.yml").write_text(new_text, encoding="utf-8")
        _, problems = validate_dir(copy)
    if problems:
        raise FaqProblem("; ".join(f"{p.entry} / {p.field}: {p.message}" for p in problems[:5]))
    temporary = target.with_suffix(".yml.tmp")
    temporary.write_text(new_text, encoding="utf-8")
    os.replace(temporary, target)
