"""The curated knowledge base: YAML files in knowledge_base/, validated and typed."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from bot.kb.models import KnowledgeBase

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "knowledge_base"


def kb_dir() -> Path:
    return Path(os.environ.get("KB_DIR", DEFAULT_DIR))


@lru_cache(maxsize=4)
def _load(path: str, stamp: float) -> KnowledgeBase:
    from bot.kb.loader import load

    return load(Path(path))


def _stamp(folder: Path) -> float:
    """The newest modification time of the YAML files (an edit, e.g. a FAQ added in the console)."""
    return max((p.stat().st_mtime for p in folder.rglob("*.yml")), default=0.0)


def get_kb() -> KnowledgeBase:
    """The knowledge base of the configured folder; loaded again when a file changes."""
    folder = kb_dir()
    return _load(str(folder), _stamp(folder))
