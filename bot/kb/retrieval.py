"""Lexical ranking of knowledge-base phrases against a question, over folded Vietnamese.

Used where the exact alias matching of bot/kb/matching.py is too strict because people state the
same thing in many ways: the misconception claims ("trung cấp được 150k mỗi tháng đúng không",
"người dân tộc thiểu số thì ai cũng được miễn học phí"). Both sides are compared in one form:
folded words, shorthand expanded (bot/text.py), amounts written one way ("150k", "150 nghìn",
"150.000 đ" -> 150000) and the synonym groups of knowledge_base/retrieval.yml replaced by their
first word. Term weights are scikit-learn's TF-IDF over the knowledge base's own texts (a word
every policy uses weighs little, "150000" or "đều" much), and a phrase scores the share of its
weight the question contains (unigrams and bigrams, so word order counts but is not required).
The threshold above which a phrase counts is chosen on labelled questions by bench/retrieval.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Hashable, Iterable, List, Optional, Sequence, Tuple

from bot.kb.models import KnowledgeBase
from bot.text import fold, normalise

_THOUSANDS = re.compile(r"(?<![\d.])(\d{1,3}(?:[.,]\d{3})+)(?![\d])")
_SHORT_MONEY = re.compile(r"\b(\d+(?:[.,]\d+)?)\s*(k|nghin|ngan|trieu|tr)(?![a-z])")
_GLUED_UNIT = re.compile(r"(?<=\d)(d|dong|vnd)\b")  # "150.000d/thang"
_MONEY_WORDS = {"d", "dong", "vnd", "vn"}
NEGATIONS = {"khong", "chua", "chang", "cha"}
QUESTION_BEFORE_NEGATION = {"dung", "phai", "hay", "co", "duoc"}  # "đúng không", "có ... không" end a question
QUESTION_ENDINGS = {"a", "ha", "nhi", "vay", "the", "ban", "ad", "chi", "anh", "em"}  # "... không ạ"
_UNITS = {"k": 1_000, "nghin": 1_000, "ngan": 1_000, "trieu": 1_000_000, "tr": 1_000_000}


def _amounts(text: str) -> str:
    """'150.000 đ', '150k', '1,5 triệu' -> '150000', '1500000' (text already folded)."""
    text = _GLUED_UNIT.sub(r" \1", text)
    text = _THOUSANDS.sub(lambda m: re.sub(r"[.,]", "", m.group(1)), text)
    return _SHORT_MONEY.sub(lambda m: str(int(float(m.group(1).replace(",", ".")) * _UNITS[m.group(2)])), text)


def stated_amounts(text: str) -> List[int]:
    """The sums of money a message states ("1.800.000", "1,8 triệu", "150k"), in đồng."""
    return [int(n) for n in re.findall(r"\b\d{4,10}\b", _amounts(fold(text)))]


@dataclass(frozen=True)
class Vocabulary:
    """The comparison form of a text: folded, amounts in digits, synonyms replaced."""

    groups: Tuple[Tuple[Tuple[str, ...], str], ...]  # (a synonym's words, its group's first form), longest first

    @classmethod
    def from_synonyms(cls, synonyms: Iterable[Sequence[str]]) -> "Vocabulary":
        pairs = []
        for group in synonyms:
            canonical = "_".join(normalise(group[0]).split())
            for word in group:
                words = tuple(normalise(word).split())
                if words:
                    pairs.append((words, canonical))
        pairs.sort(key=lambda p: -len(p[0]))
        return cls(tuple(pairs))

    def words(self, text: str) -> List[str]:
        tokens = [w for w in normalise(_amounts(fold(text))).split() if w not in _MONEY_WORDS]
        out: List[str] = []
        i = 0
        while i < len(tokens):
            for words, canonical in self.groups:
                if tuple(tokens[i:i + len(words)]) == words:
                    out.append(canonical)
                    i += len(words)
                    break
            else:
                out.append(tokens[i])
                i += 1
        return out

    def terms(self, text: str) -> List[str]:
        return _terms(self.words(text))

    def negated(self, text: str) -> bool:
        return _negated(self.words(text))


def _terms(words: Sequence[str]) -> List[str]:
    """Unigrams and bigrams of compared words."""
    return list(words) + [f"{a} {b}" for a, b in zip(words, words[1:])]


def _negated(words: Sequence[str]) -> bool:
    """Whether the words deny something ("người Kinh không được ..."), as opposed to a question that
    only ends with "không" ("có bị trừ vào học phí không", "đúng không")."""
    for i, w in enumerate(words):
        if w in NEGATIONS and i < len(words) - 1 and not (i and words[i - 1] in QUESTION_BEFORE_NEGATION) \
                and words[i + 1] not in QUESTION_ENDINGS:
            return True
    return False


@dataclass(frozen=True)
class _Phrase:
    """One indexed phrase, compared once: its terms, their total weight, and whether it denies."""

    key: Hashable
    text: str
    terms: frozenset
    total: float
    negated: bool
    # A denial is stated by its own words: "không được" of "người Kinh không được ..." must be in the
    # question, not just some "không" elsewhere ("nhà không phải hộ nghèo ... có được ... không").
    denial: frozenset

    @classmethod
    def of(cls, key: Hashable, text: str, vocabulary: Vocabulary, weight) -> "_Phrase":
        words = vocabulary.words(text)
        terms = frozenset(_terms(words))
        negated = _negated(words)
        denial = frozenset(t for t in terms if " " in t and t.split()[0] in NEGATIONS) if negated else frozenset()
        return cls(key, text, terms, sum(weight(t) for t in terms), negated, denial)


# How many of a phrase's most telling words a question must say (notes' `asks` only), compared on
# tests/retrieval/dev.yml with the threshold: 1 let "khi nào trường khai giảng" reach the note on
# when scholarships are paid (precision 0.94), 2 keeps precision at 1.00.
TELLING = 2
# Words of asking, rare in the knowledge base's statements but not what a question is about.
ASKING_WORDS = {"nao", "may", "gi", "bao", "nhieu", "khong", "phai", "co", "duoc", "the", "sao", "lan", "nhat", "khi",
                "gio", "dau", "ai", "chua", "nhu", "vay", "a", "thi", "la", "nhung", "cac", "moi", "khi_nao", "hay",
                "phan", "tram", "muc"}  # "bao nhiêu phần trăm", "mức nào": asking for an amount


class PhraseIndex:
    """Phrases (each with the key of what it names), scored against a question."""

    def __init__(self, phrases: Sequence[Tuple[Hashable, str]], corpus: Sequence[str], vocabulary: Vocabulary,
                 telling_word: bool = False):
        from sklearn.feature_extraction.text import TfidfVectorizer  # only when an index is first built

        self.vocabulary = vocabulary
        documents = [vocabulary.terms(t) for t in list(corpus) + [p for _, p in phrases]]
        vectorizer = TfidfVectorizer(analyzer=lambda terms: terms, smooth_idf=True)
        vectorizer.fit(documents)
        self._idf: Dict[str, float] = dict(zip(vectorizer.get_feature_names_out(), vectorizer.idf_))
        self._unseen = float(max(vectorizer.idf_)) if len(vectorizer.idf_) else 1.0
        self.phrases = [_Phrase.of(key, text, vocabulary, self._weight) for key, text in phrases]
        # A question a note answers must say the phrase's most telling words ("không biết chữ", "nghề" of
        # "không biết chữ có học nghề được không"), not only its common ones ("học nghề được không").
        self._telling = {id(p): frozenset(sorted((t for t in p.terms if " " not in t and t not in ASKING_WORDS),
                                                 key=self._weight)[-TELLING:])
                         for p in self.phrases} if telling_word else {}

    def _weight(self, term: str) -> float:
        return self._idf.get(term, self._unseen)

    def scores(self, question: str) -> Dict[Hashable, Tuple[float, str]]:
        """The best score of each key's phrases (the share of the phrase's weight the question
        contains), with that phrase."""
        words = self.vocabulary.words(question)
        said, denies = set(_terms(words)), _negated(words)
        best: Dict[Hashable, Tuple[float, str]] = {}
        for phrase in self.phrases:
            key, text, terms = phrase.key, phrase.text, phrase.terms
            if not phrase.total or phrase.negated != denies:  # "người Kinh không được" is not "người Kinh được"
                continue
            if not phrase.denial <= said:
                continue
            if not self._telling.get(id(phrase), frozenset()) <= said:
                continue
            score = sum(self._weight(t) for t in terms & said) / phrase.total
            if score > best.get(key, (-1.0, ""))[0]:
                best[key] = (score, text)
        return best

    def ranked(self, question: str) -> List[Tuple[Hashable, float]]:
        return sorted(((k, s) for k, (s, _) in self.scores(question).items()), key=lambda ks: -ks[1])

    def above(self, question: str, threshold: float) -> List[Hashable]:
        """Keys whose best phrase scores at least `threshold`, best first."""
        return [k for k, s in self.ranked(question) if s >= threshold]


def _corpus(kb: KnowledgeBase) -> List[str]:
    """The knowledge base's own sentences: what tells a common word from a telling one."""
    texts: List[str] = []
    for policy in kb.policies.values():
        texts += [policy.name, policy.summary.text]
        texts += [b.label for b in policy.benefits] + [g.label for g in policy.groups] + [n.text for n in policy.notes]
    texts += [f.question for f in kb.faqs] + [f.answer for f in kb.faqs]
    texts += [p.summary for p in kb.programmes]
    return [t for t in texts if t]


# The two kinds of phrases a note may carry: `claims` (a misconception as people state it) and
# `asks` (a question the note answers, as people ask it); each has its threshold in retrieval.yml.
KINDS = ("claims", "asks")


def phrase_keys(kb: KnowledgeBase, kind: str = "claims") -> List[Tuple[Tuple[str, int], str]]:
    """((policy id, note index), phrase) for every phrase of that kind of every note."""
    return [((policy.id, i), phrase) for policy in kb.policies_in_order() for i, note in enumerate(policy.notes)
            if (kind == "asks" or note.about == "misconception") for phrase in getattr(note, kind)]


def claim_keys(kb: KnowledgeBase) -> List[Tuple[Tuple[str, int], str]]:
    """((policy id, note index), claim) for every claim of every misconception note."""
    return phrase_keys(kb, "claims")


@lru_cache(maxsize=8)
def index_of(kb: KnowledgeBase, kind: str = "claims") -> PhraseIndex:
    return PhraseIndex(phrase_keys(kb, kind), _corpus(kb), Vocabulary.from_synonyms(kb.retrieval.synonyms),
                       telling_word=kind == "asks")


def claims_index(kb: KnowledgeBase) -> PhraseIndex:
    return index_of(kb, "claims")


def claims_in(kb: KnowledgeBase, question: str, threshold: Optional[float] = None) -> List[Tuple[str, int]]:
    """(policy id, note index) of the misconceptions the question states, best first."""
    limit = kb.retrieval.thresholds["claims"] if threshold is None else threshold
    return index_of(kb, "claims").above(question, limit)  # type: ignore[return-value]


def notes_asked(kb: KnowledgeBase, question: str, threshold: Optional[float] = None) -> List[Tuple[str, int]]:
    """(policy id, note index) of the notes that answer the question by their `asks`, best first:
    a fact staff add to a note with the ways people ask it is answerable without retraining."""
    limit = kb.retrieval.thresholds["asks"] if threshold is None else threshold
    return index_of(kb, "asks").above(question, limit)  # type: ignore[return-value]


def choose_threshold(scored: Sequence[Tuple[float, bool]]) -> float:
    """The threshold that classifies labelled scores best: (score of the expected key or of the best
    wrong one, whether it should count). Most correct first, then the widest margin: the midpoint of
    the best gap between two neighbouring scores, rounded to 0.01."""
    values = sorted({round(s, 6) for s, _ in scored} | {0.0, 1.0001})
    best: Tuple[int, float, float] = (-1, 0.0, 0.0)
    for low, high in zip(values, values[1:]):
        cut = (low + high) / 2
        correct = sum(1 for s, positive in scored if (s >= cut) == positive)
        candidate = (correct, high - low, cut)
        if candidate[:2] > best[:2]:
            best = candidate
    return round(min(best[2], 1.0), 2)


def dev_scores(kb: KnowledgeBase, labelled: Iterable[Tuple[str, Optional[Tuple[str, int]]]],
               kind: str = "claims") -> List[Tuple[float, bool]]:
    """For each labelled question: the expected key's score (should count), and the best score of
    any other key (should not)."""
    index = index_of(kb, kind)
    out: List[Tuple[float, bool]] = []
    for question, key in labelled:
        scores = {k: s for k, (s, _) in index.scores(question).items()}
        if key is not None:
            out.append((scores.get(key, 0.0), True))
        others = [s for k, s in scores.items() if k != key]
        if others:
            out.append((max(others), False))
    return out
