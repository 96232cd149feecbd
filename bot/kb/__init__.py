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
def _load(path: str) -> KnowledgeBase:
    from bot.kb.loader import load

    return load(Path(path))


def get_kb() -> KnowledgeBase:
    """The knowledge base of the configured folder, loaded once per process."""
    return _load(str(kb_dir()))
