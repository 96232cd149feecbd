"""The held-out conversation set is well formed: every scored turn says what it checks.
(Its scores are measured by ./run conversations, not asserted here: it must not be tuned on.)"""

from __future__ import annotations

from pathlib import Path

import yaml

SETS = sorted((Path(__file__).resolve().parent / "conversations").glob("*.yml"))
CATEGORIES = {"first", "sub_question", "yes_no", "follow_up", "in_form", "correction", "date", "misconception"}


def _conversations():
    return [c for path in SETS for c in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]]


def test_the_set_is_as_large_as_issue_13_asks():
    conversations = _conversations()
    assert len(conversations) >= 60 and sum(len(c["turns"]) for c in conversations) >= 250


def test_every_turn_has_a_category_and_a_check():
    conversations = _conversations()
    assert conversations
    for conversation in conversations:
        assert conversation["persona"] and conversation["turns"]
        for turn in conversation["turns"]:
            assert turn["user"].strip() and turn["category"] in CATEGORIES, turn
            assert turn.get("expect") or turn.get("forbid") or turn.get("starts"), turn
            assert set(turn) <= {"user", "category", "expect", "forbid", "starts"}, turn
