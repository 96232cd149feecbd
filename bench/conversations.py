"""Answer quality on held-out multi-turn conversations (issue 13, item 5).

Usage: ./run conversations         (starts its own assistant on free ports with the trained model)
       ./run conversations --dev   (the development set bench/conversations_dev.yml instead: the one
                                    to work against; results are printed, not written)

Plays every conversation of tests/conversations/*.yml (heldout.yml, and heldout_more.yml written
later by a separate author who never saw the code) through the REST webhook, each with a
new sender, and checks every turn: all `expect` phrases in that turn's replies, no `forbid`
phrase, and the first reply starting with one of `starts` (case-insensitive). Prints the share of
turns correct per category, every failed turn with what it got, and the length of the first
message of each turn (median, p95). The set is never used to tune matching or thresholds.
Results: bench/results/conversations.md.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Dict, List

import yaml

from percentiles import pct, publish  # bench/ is on sys.path when a script here runs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.devserver import running_assistant  # noqa: E402

SETS = ROOT / "tests" / "conversations"
DEV_SET = ROOT / "bench" / "conversations_dev.yml"
RESULTS = ROOT / "bench" / "results" / "conversations.md"


def check(turn: Dict, replies: List[Dict]) -> List[str]:
    """What is wrong with the replies to one turn (nothing: the turn is correct)."""
    texts = [r.get("text") or "" for r in replies]
    joined = "\n".join(texts).lower()
    problems = [f"missing {p!r}" for p in turn.get("expect") or [] if p.lower() not in joined]
    problems += [f"forbidden {p!r}" for p in turn.get("forbid") or [] if p.lower() in joined]
    starts = turn.get("starts")
    if starts and not any((texts[0] if texts else "").lower().startswith(s.lower()) for s in starts):
        problems.append(f"does not start with {' / '.join(starts)}")
    return problems


def main(argv: List[str]) -> int:
    os.environ.setdefault("RATE_LIMIT", "1000/10")  # one person typing fast is not what is measured
    dev = "--dev" in argv
    paths = [DEV_SET] if dev else sorted(SETS.glob("*.yml"))
    conversations = [c for path in paths for c in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]]
    correct: Dict[str, List[bool]] = defaultdict(list)
    failures: List[str] = []
    first_lengths: List[int] = []
    with tempfile.TemporaryDirectory() as work, \
            running_assistant(Path(work), f"sqlite:///{work}/conversations.db") as bot:
        for conversation in conversations:
            sender = f"heldout-{uuid.uuid4().hex[:8]}"
            for turn in conversation["turns"]:
                replies = bot.say(sender, turn["user"])
                if replies:
                    first_lengths.append(len(replies[0].get("text") or ""))
                problems = check(turn, replies)
                correct[turn["category"]].append(not problems)
                if problems:
                    got = " | ".join((r.get("text") or "")[:160].replace("\n", " / ") for r in replies)
                    failures.append(f"- [{turn['category']}] {conversation['persona']}: \"{turn['user']}\": "
                                    f"{'; '.join(problems)}. Got: {got}")
    turns = sum(len(v) for v in correct.values())
    title = "Development conversations" if dev else "Held-out conversations"
    lines = [f"# {title}: {len(conversations)} conversations, {turns} user turns", "",
             "Command: `./run conversations` (bench/conversations.py, REST webhook, trained model).", "",
             "| category | turns | correct |", "|---|---|---|"]
    for category, results in sorted(correct.items()):
        lines.append(f"| {category} | {len(results)} | {sum(results) / len(results):.2f} |")
    everything = [r for results in correct.values() for r in results]
    lines += [f"| **all** | {len(everything)} | {sum(everything) / len(everything):.2f} |", "",
              f"First message of each turn: median {statistics.median(first_lengths):.0f}, "
              f"p95 {pct(first_lengths, 95):.0f}, max {max(first_lengths)} characters.", "",
              "Failed turns:" if failures else "No turn failed."] + failures
    if dev:
        print("\n".join(lines))
        return 0
    return publish(lines, RESULTS)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
