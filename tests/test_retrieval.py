"""Misconceptions found however a question words them (bot/kb/retrieval.py), with the threshold
chosen on the tuning set tests/retrieval/dev.yml, never by hand."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from bot.kb.loader import load
from bot.kb.retrieval import Vocabulary, choose_threshold, claims_in, dev_scores

ROOT = Path(__file__).resolve().parents[1]


def _labelled(kind: str = "claims"):
    sys.path.insert(0, str(ROOT / "bench"))
    import retrieval as bench  # bench/retrieval.py: the script that writes the threshold

    return bench.labelled(kind)


@pytest.mark.parametrize("kind", ["claims", "asks"])
def test_the_threshold_in_the_knowledge_base_is_the_one_the_tuning_set_chooses(kb, kind):
    chosen = choose_threshold(dev_scores(kb, _labelled(kind), kind))
    assert kb.retrieval.thresholds[kind] == chosen, "run: .venv/bin/python bench/retrieval.py --write"


def test_choose_threshold_takes_the_widest_gap_that_classifies_best():
    assert choose_threshold([(1.0, True), (0.9, True), (0.3, False), (0.5, False)]) == 0.7
    assert choose_threshold([(0.8, True), (0.6, False), (0.2, False)]) == 0.7


@pytest.mark.parametrize("question", [
    "nghe bảo học trung cấp mỗi tháng có 150 nghìn hả",
    "Hoc trung cap duoc nha nuoc cho 150.000d/thang phai khong",
])
def test_the_150k_belief_is_found_however_it_is_worded(kb, question):
    assert claims_in(kb, question) == [("nd238", 0)]


@pytest.mark.parametrize("question", [
    "người dân tộc nào cũng được miễn học phí phải không",
    "dan toc thieu so tat ca deu dc mien hoc phi a",
])
def test_everyone_minority_is_exempt_is_found_however_it_is_worded(kb, question):
    assert claims_in(kb, question) == [("nd238", 1)]


@pytest.mark.parametrize("question", [
    "tiền đi lại 300.000 một năm đúng không",
    "người dân tộc thiểu số thuộc hộ nghèo học trung cấp có được miễn học phí không",
    "học bổng chính sách tháng này bao nhiêu",
])
def test_a_true_question_with_the_same_words_is_not_corrected(kb, question):
    assert claims_in(kb, question) == []


def test_the_correction_comes_first_in_the_answer(ask):
    text = ask("ask_policy", "nghe bảo học trung cấp mỗi tháng có 150 nghìn hả").text
    assert text.startswith("Không. Hỗ trợ chi phí học tập 150.000 đ/tháng là chính sách cho học sinh phổ thông")


def test_amounts_and_synonyms_are_compared_in_one_form(kb):
    words = Vocabulary.from_synonyms(kb.retrieval.synonyms).words
    assert words("150k mỗi tháng") == words("150.000 đ/tháng") == words("150 nghìn 1 tháng") == ["150000", "thang"]
    assert words("1,5 triệu") == ["1500000"]
    assert words("ai cũng được") == words("đều dc")


def test_a_claim_or_synonym_staff_add_is_found_without_retraining(tmp_path):
    copy = tmp_path / "knowledge_base"
    shutil.copytree(ROOT / "knowledge_base", copy)
    question = "học cao đẳng thì chắc chắn được ở ký túc xá free đúng không"
    assert claims_in(load(copy), question) == []
    policy_file = copy / "policies" / "qd53_2015.yml"
    data = yaml.safe_load(policy_file.read_text(encoding="utf-8"))
    data["policy"].setdefault("notes", []).append({
        "text": "Chỗ ở ký túc xá tùy từng trường; chính sách nội trú không quy định miễn tiền ký túc xá.",
        "source": {"document": "qd53_2015", "verification": "unverified"},
        "about": "misconception", "claims": ["được ở ký túc xá miễn phí"]})
    policy_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    retrieval = copy / "retrieval.yml"
    text = retrieval.read_text(encoding="utf-8").replace("[miễn, miễn phí,", "[miễn, free, miễn phí,")
    retrieval.write_text(text, encoding="utf-8")
    found = claims_in(load(copy), question)
    assert found == [("qd53", len(data["policy"]["notes"]) - 1)]


@pytest.mark.parametrize("question, starts", [
    ("học bổng có bị trừ vào học phí không", "Không trừ vào học phí: trường công lập chi trả học bổng chính sách trực tiếp bằng tiền mặt"),
    ("nghe đâu người Kinh không được hưởng chính sách nội trú hả", "Không. Người Kinh cũng có thể được hưởng chính sách nội trú"),
    ("người khuyết tật chỉ được giảm 50% học phí thôi à", "Không. Người khuyết tật được miễn học phí"),
    ("tiền xe chỉ được đầu khóa với cuối khóa à", "Không. Tiền đi lại được hỗ trợ mỗi năm một lần"),
    ("học bổng chính sách chắc chắn 12 tháng một năm phải không", "Chưa xác nhận: học bổng chính sách được 10 hay 12 tháng"),
])
def test_each_known_misconception_is_corrected_first(ask, question, starts):
    assert ask("ask_policy", question).text.startswith(starts)


def test_a_statement_with_other_denials_is_not_taken_for_a_denying_claim(kb):
    question = ("em người Kinh, nhà không phải hộ nghèo, không khuyết tật, học cao đẳng, "
                "có được học bổng chính sách không")
    assert ("qd53", 3) not in claims_in(kb, question)


def test_a_note_is_answered_by_the_ways_people_ask_it_and_a_new_one_without_retraining(kb, tmp_path, ask):
    """qd53's note on how the school pays: answered first, with its source, for a question worded
    otherwise than its `asks`; a note staff add with its `asks` is answered the same way."""
    text = ask("ask_policy", "nhận học bổng nội trú bằng tiền mặt hay qua chuyển khoản?").text
    assert text.startswith("Trường công lập chi trả trực tiếp bằng tiền mặt và thông báo cho HSSV trong 30 ngày làm việc")
    assert "TTLT 12/2016" in text.split("\n")[0]
    assert not ask("ask_policy", "học bổng chính sách bao nhiêu một tháng").text.startswith("Trường công lập chi trả")
    copy = tmp_path / "kb"
    shutil.copytree(ROOT / "knowledge_base", copy)
    path = copy / "policies" / "qd46_2015.yml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["policy"]["notes"].append({"text": "Lớp sơ cấp mở khi đủ 20 học viên.", "about": "general",
                                   "source": {"document": "qd46_2015", "verification": "unverified"},
                                   "asks": ["bao nhiêu người thì mở lớp sơ cấp"]})
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    from bot.kb.retrieval import notes_asked
    edited = load(copy)
    index = len(raw["policy"]["notes"]) - 1
    assert notes_asked(edited, "cần bao nhiêu học viên thì mở được lớp sơ cấp") == [("qd46", index)]
