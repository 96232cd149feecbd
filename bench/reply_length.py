"""How long the first message of an answer is, as a phone shows it.

Usage: ./run bench-replies   (no model and no server needed)

Every question of the held-out NLU files (accented, accent-free, shorthand) whose labelled
intent is answered from the knowledge base is answered through bot.answers, exactly as the
actions do, and the length of the first message is measured: median, p95, max and the share
over FIRST_MESSAGE_LIMIT (issue 13: at most 600 characters unless everything was asked for).
The same questions answered in full ("Xem đầy đủ", aspect all) are the baseline, so the
ratio says how much the phone-sized first message saves. Results: bench/results/replies.md.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from percentiles import pct, publish  # bench/ is on sys.path when a script here runs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.answers import ANSWERS, Context, answer  # noqa: E402
from bot.answers.fit import FIRST_MESSAGE_LIMIT  # noqa: E402
from bot.kb import get_kb  # noqa: E402

HOLDOUT = ROOT / "tests" / "nlu_holdout"
RESULTS = ROOT / "bench" / "results" / "replies.md"
DAY = dt.date(2026, 12, 2)


def questions() -> List[Tuple[str, str, str]]:
    """(style, intent, text) for every held-out question the knowledge base answers."""
    found = []
    for path in sorted(HOLDOUT.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if block.get("intent") not in ANSWERS:
                continue
            for line in block["examples"].splitlines():
                text = line.strip().lstrip("- ").strip()
                if text:
                    found.append((path.stem, block["intent"], text))
    return found


def lengths(items, everything: bool) -> Dict[str, List[int]]:
    kb = get_kb()
    per: Dict[str, List[int]] = {}
    for _, intent, text in items:
        entities = {"aspect": ["all"]} if everything else {}
        reply = answer(intent, Context(kb, text, DAY, intent, entities, {}, []))
        per.setdefault(intent, []).append(len(reply.text))
    return per


def row(name: str, values: List[int], limit: int = FIRST_MESSAGE_LIMIT) -> str:
    over = sum(1 for v in values if v > limit)
    return (f"| {name} | {len(values)} | {statistics.median(values):.0f} | {pct(values, 95):.0f} | {max(values)} | "
            f"{over} ({100 * over / len(values):.0f} %) |")


def main() -> int:
    items = questions()
    first, full = lengths(items, everything=False), lengths(items, everything=True)
    every_first = [v for vs in first.values() for v in vs]
    every_full = [v for vs in full.values() for v in vs]
    lines = [
        f"# First-message length ({len(items)} held-out questions, answered on {DAY:%d/%m/%Y})",
        "",
        "Command: `./run bench-replies` (bench/reply_length.py). Characters of the first message.",
        "",
        f"| intent | questions | median | p95 | max | over {FIRST_MESSAGE_LIMIT} |",
        "|---|---|---|---|---|---|",
    ]
    lines += [row(intent, values) for intent, values in sorted(first.items())]
    lines += [row("**all, first message**", every_first), row("all, in full (baseline: aspect all)", every_full)]
    ratio = statistics.median(every_first) / statistics.median(every_full)
    lines += ["", f"Median first message / median full answer: {ratio:.2f}."]
    return publish(lines, RESULTS)


if __name__ == "__main__":
    sys.exit(main())
