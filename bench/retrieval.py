"""Choose the retrieval thresholds on labelled questions, and show how well they separate.

Usage: .venv/bin/python bench/retrieval.py [--write]   (no model and no server needed)

Every question of tests/retrieval/dev.yml (the tuning set; the held-out conversations are never
used here) is scored against every misconception claim, and every question a note answers, of the
knowledge base (bot/kb/retrieval.py); each kind has its own threshold.
The threshold is the one that classifies the labelled scores best, with the widest margin
(`choose_threshold`); `--write` puts it in knowledge_base/retrieval.yml. The report shows each
question's best key and score, and precision and recall at the chosen threshold and at the one
now in the knowledge base. Results: bench/results/retrieval.md.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import List, Optional, Tuple

import yaml

from percentiles import publish  # bench/ is on sys.path when a script here runs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.kb import get_kb, kb_dir  # noqa: E402
from bot.kb.retrieval import KINDS, choose_threshold, dev_scores, index_of  # noqa: E402

DEV = ROOT / "tests" / "retrieval" / "dev.yml"
RESULTS = ROOT / "bench" / "results" / "retrieval.md"


def labelled(kind: str = "claims") -> List[Tuple[str, Optional[Tuple[str, int]]]]:
    out = []
    for item in yaml.safe_load(DEV.read_text(encoding="utf-8"))[kind]:
        key = None if item["key"] == "none" else (item["key"].split(".")[0], int(item["key"].split(".")[1]))
        out.append((item["q"], key))
    return out


def quality(scored, threshold: float) -> Tuple[float, float, int]:
    tp = sum(1 for s, p in scored if p and s >= threshold)
    fp = sum(1 for s, p in scored if not p and s >= threshold)
    fn = sum(1 for s, p in scored if p and s < threshold)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, sum(1 for s, p in scored if (s >= threshold) == p)


TITLES = {"claims": "misconception claims (`notes[].claims`)", "asks": "questions a note answers (`notes[].asks`)"}


def report(kb, kind: str, argv: List[str]) -> List[str]:
    items = labelled(kind)
    scored = dev_scores(kb, items, kind)
    chosen = choose_threshold(scored)
    current = kb.retrieval.thresholds[kind]
    lines = [f"## {TITLES[kind]}: {len(items)} labelled questions", "",
             "| threshold | precision | recall | correct |", "|---|---|---|---|"]
    for name, value in (("chosen", chosen), ("in knowledge_base/retrieval.yml", current)):
        p, r, c = quality(scored, value)
        lines.append(f"| {name}: {value:.2f} | {p:.2f} | {r:.2f} | {c}/{len(scored)} |")
    lines += ["", "| question | expected | best | score |", "|---|---|---|---|"]
    index = index_of(kb, kind)
    for question, key in items:
        ranked = index.ranked(question)
        best, score = ranked[0] if ranked else (None, 0.0)
        shown = lambda k: f"{k[0]}.{k[1]}" if k else "none"  # noqa: E731
        lines.append(f"| {question} | {shown(key)} | {shown(best)} | {score:.2f} |")
    if "--write" in argv and chosen != current:
        path = kb_dir() / "retrieval.yml"
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(rf"(?m)^(\s*{kind}:\s*)[0-9.]+", rf"\g<1>{chosen}", text), encoding="utf-8")
        lines.append(f"\nWrote {kind}: {chosen} to {path.relative_to(ROOT)}.")
    return lines + [""]


def main(argv: List[str]) -> int:
    kb = get_kb()
    lines = ["# Retrieval thresholds", "",
             "Command: `.venv/bin/python bench/retrieval.py --write` (tuning set `tests/retrieval/dev.yml`).", ""]
    for kind in KINDS:
        lines += report(kb, kind, argv)
    return publish(lines, RESULTS)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
