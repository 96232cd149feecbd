"""Intent accuracy on the held-out NLU files (never used for training).

tests/nlu_holdout/ holds one Rasa NLU file per writing style: accented.yml,
no_accent.yml and shorthand.yml. The evaluation parses every example through
either a running server's POST /model/parse (what external evaluation uses) or a
model loaded in this process, and reports accuracy overall and per style.
"""

from __future__ import annotations

import json
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import yaml

from bot.channels.common import with_api_token

HOLDOUT_DIR = Path(__file__).resolve().parents[2] / "tests" / "nlu_holdout"
STYLES = ("accented", "no_accent", "shorthand")
MIN_OVERALL = 0.92
MIN_PER_STYLE = 0.90  # required for no_accent and shorthand separately

Parse = Callable[[str], str]


def load_examples(directory: Path = HOLDOUT_DIR) -> Dict[str, List[Tuple[str, str]]]:
    """style -> [(text, intent)]"""
    out: Dict[str, List[Tuple[str, str]]] = {}
    for style in STYLES:
        data = yaml.safe_load((directory / f"{style}.yml").read_text(encoding="utf-8"))
        pairs = []
        for block in data.get("nlu", []):
            if "intent" not in block:
                continue
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    pairs.append((line[2:].strip(), block["intent"]))
        out[style] = pairs
    return out


@dataclass
class Report:
    total: Counter = field(default_factory=Counter)
    correct: Counter = field(default_factory=Counter)
    errors: Dict[str, List[Tuple[str, str, str]]] = field(default_factory=lambda: defaultdict(list))

    def accuracy(self, style: str | None = None) -> float:
        if style is None:
            total, correct = sum(self.total.values()), sum(self.correct.values())
        else:
            total, correct = self.total[style], self.correct[style]
        return correct / total if total else 0.0

    def failures(self) -> List[str]:
        problems = []
        if self.accuracy() < MIN_OVERALL:
            problems.append(f"overall accuracy {self.accuracy():.3f} < {MIN_OVERALL}")
        for style in ("no_accent", "shorthand"):
            if self.accuracy(style) < MIN_PER_STYLE:
                problems.append(f"{style} accuracy {self.accuracy(style):.3f} < {MIN_PER_STYLE}")
        return problems

    def render(self) -> str:
        lines = ["NLU hold-out evaluation (intent accuracy)"]
        for style in STYLES:
            lines.append(f"  {style:<10} {self.accuracy(style):.3f}  ({self.correct[style]}/{self.total[style]})")
        lines.append(f"  {'overall':<10} {self.accuracy():.3f}  ({sum(self.correct.values())}/{sum(self.total.values())})")
        for style in STYLES:
            for text, expected, got in self.errors.get(style, []):
                lines.append(f"  miss [{style}] {text!r}: expected {expected}, got {got}")
        return "\n".join(lines)


def evaluate(parse: Parse, examples: Dict[str, List[Tuple[str, str]]] | None = None) -> Report:
    report = Report()
    for style, pairs in (examples or load_examples()).items():
        for text, expected in pairs:
            got = parse(text)
            report.total[style] += 1
            if got == expected:
                report.correct[style] += 1
            else:
                report.errors[style].append((text, expected, got))
    return report


def http_parser(base_url: str, timeout: float = 30, token: Optional[str] = None) -> Parse:
    """POST /model/parse of a running server, with its API token (default RASA_API_TOKEN)."""
    def parse(text: str) -> str:
        request = urllib.request.Request(
            with_api_token(f"{base_url.rstrip('/')}/model/parse", token),
            data=json.dumps({"text": text}).encode("utf-8"),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)["intent"]["name"]

    return parse


def model_parser(model_path: str) -> Parse:
    import asyncio

    import logging

    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings

    configure_logging_and_warnings(logging.WARNING)
    agent = Agent.load(model_path)
    loop = asyncio.new_event_loop()

    def parse(text: str) -> str:
        return loop.run_until_complete(agent.parse_message(text))["intent"]["name"]

    return parse
