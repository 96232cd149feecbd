"""The held-out conversation set is well formed: every scored turn says what it checks.
(Its scores are measured by ./run conversations, not asserted here: it must not be tuned on.)"""

from __future__ import annotations

from pathlib import Path

import yaml

SET = Path(__file__).resolve().parent / "conversations" / "heldout.yml"
CATEGORIES = {"first", "sub_question", "yes_no", "follow_up", "in_form", "correction", "date", "misconception"}


def test_every_turn_has_a_category_and_a_check():
    conversations = yaml.safe_load(SET.read_text(encoding="utf-8"))["conversations"]
    assert conversations
    for conversation in conversations:
        assert conversation["persona"] and conversation["turns"]
        for turn in conversation["turns"]:
            assert turn["user"].strip() and turn["category"] in CATEGORIES, turn
            assert turn.get("expect") or turn.get("forbid") or turn.get("starts"), turn
            assert set(turn) <= {"user", "category", "expect", "forbid", "starts"}, turn
