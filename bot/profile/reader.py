"""Reads what a message says about the learner: a Statement.

"nhà mình không thuộc hộ cận nghèo, con tôi người Thái muốn học trung cấp ở trường cao
đẳng của tỉnh" -> learner = the child; household denied (neither); ethnicity Thái; level
trung cấp (the "cao đẳng" names a school, not the level wanted).

How it reads, in order:
1. Words are folded (bot.text: accent-free, shorthand expanded) and the knowledge base's
   phrases are found, longest first: fact values and unclear words (person_facts.yml),
   residence categories and xã/phường names (residence.yml), ethnic groups after a
   prefix ("người Lự"), levels. `*` in a phrase stands for up to three words.
2. The rest is scanned for people ("con tôi", "mẹ em", "bạn em"), negators ("không phải",
   "chẳng", "k", "... đâu"), hesitation ("không biết") and clause boundaries
   (punctuation, "nhưng", "mà là", "à nhầm").
3. Who will study (the learner) is decided: the speaker, their child, a younger sibling,
   or another person who is the subject of "học" / "đăng ký".
4. Each fact mention is given the role of the nearest person before it in its clause (or
   the clause before): a fact is kept only if the knowledge base lets that role state it
   ("mẹ em bị khuyết tật" says nothing about the learner; "nhà em hộ nghèo" does). A
   negated mention gives the fact's negated value or a denial; a hesitant or unclear one
   marks the fact to be asked. Later clauses win, so corrections replace earlier values.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from bot.kb.matching import LEVEL_NAMES, commune_names
from bot.kb.models import KnowledgeBase, PersonFact
from bot.profile import words as W
from bot.profile.model import Statement
from bot.text import fold_token, has_diacritics, lower_nfc, normalise

STUDY_FACTS = ("level", "public_school", "regular_programme")
_WORD = re.compile(r"\w+", re.UNICODE)
_BREAK = re.compile(r"[,.;!?\n()\[\]:/]|\s-\s")
# Accented spelling a kin word must have when the person types with diacritics
# ("bỏ học" is not "bố"); None: the word is too ambiguous without diacritics to count.
ACCENTED_HEADS = {"bo": ("bố", True), "ba": ("ba", True), "ma": ("má", False), "me": ("mẹ", True),
                  "cha": ("cha", True), "co": ("cô", False), "chu": ("chú", False), "di": ("dì", False),
                  "cau": ("cậu", False), "mo": ("mợ", False), "chi": ("chị", False), "ban": ("bạn", True),
                  "ong": ("ông", True), "bac": ("bác", True), "thim": ("thím", False), "con": ("con", True),
                  "nha": ("nhà", True), "no": ("nó", True)}


@dataclass(frozen=True)
class Word:
    norm: str  # folded form (one word of an expansion)
    orig: str  # the token as typed, lower-case
    index: int  # position of the original token


@dataclass(frozen=True)
class Phrase:
    tokens: Tuple[str, ...]  # folded words; "*" = up to three words
    kind: str  # value | unclear | none | category | level | name | kind_word | commune
    fact: str
    value: object = None
    sets: Tuple[Tuple[str, object], ...] = ()


@dataclass
class Mention:
    start: int
    end: int
    phrase: Phrase
    clause: int = 0
    negated: bool = False
    unsure: bool = False
    role: str = "learner"


@dataclass
class Person:
    start: int
    end: int
    kind: str  # child | sibling | parents | parent | grandparent | household | other | third | self
    possessor: Optional[str]  # "self" | "third" | None
    clause: int = 0
    word: str = ""  # the first word ("chau")


# --- tokens --------------------------------------------------------------------------------

def tokenize(text: str) -> Tuple[List[Word], Set[int]]:
    """Folded words of `text`, and the word positions a clause boundary precedes."""
    text = unicodedata.normalize("NFC", text)
    out: List[Word] = []
    breaks: Set[int] = set()
    last_end = 0
    for i, m in enumerate(_WORD.finditer(text)):
        if _BREAK.search(text[last_end:m.start()]):
            breaks.add(len(out))
        last_end = m.end()
        for part in fold_token(m.group()):
            out.append(Word(part, lower_nfc(m.group()), i))
    return out, breaks


def _phrase_tokens(text: str) -> Tuple[str, ...]:
    return tuple(t for t in normalise(text.replace("*", " STAR ")).split() if t) if "*" in text else tuple(normalise(text).split())


def _split(text: str) -> Tuple[str, ...]:
    return tuple("*" if t == "star" else t for t in _phrase_tokens(text))


# --- phrases from the knowledge base -------------------------------------------------------

@lru_cache(maxsize=4)
def phrases_for(kb: KnowledgeBase) -> Tuple[Phrase, ...]:
    found: List[Phrase] = []
    book = kb.facts
    for fact in book.facts.values():
        if fact.id in ("residence", "level", "previous_level"):
            continue
        for value in fact.values:
            for w in value.words:
                found.append(Phrase(_split(w), "value" if fact.id != "ethnicity" else "kind_word", fact.id,
                                    value.value, tuple(value.sets.items())))
        for w in fact.unclear:
            found.append(Phrase(_split(w), "unclear", fact.id))
    ethnicity = book.fact("ethnicity")
    if ethnicity:
        for names in ethnicity.names:
            for name in names:
                for prefix in ethnicity.name_prefixes:
                    found.append(Phrase(_split(f"{prefix} {name}"), "name", "ethnicity", names[0]))
    residence = book.fact("residence")
    for category in kb.residence.categories:
        for w in category.words:
            found.append(Phrase(_split(w), "category", "residence", category.id))
    for w in kb.residence.none_words:
        found.append(Phrase(_split(w), "none", "residence"))
    if residence:
        for w in residence.unclear:
            found.append(Phrase(_split(w), "unclear", "residence"))
    for commune in kb.residence.communes:
        for name in commune_names(commune, kb):  # bot/kb/matching.py: former townships need their prefix
            for before in W.PLACE_BEFORE:
                found.append(Phrase(tuple(before.split()) + _split(name), "commune", "commune", commune.name))
    for level, names in LEVEL_NAMES.items():
        for name in names:
            found.append(Phrase(_split(name), "level", "level", level))
    # Longest first; a phrase with a wildcard after its exact-length equals.
    unique = {(p.tokens, p.kind, p.fact, repr(p.value)): p for p in found if p.tokens}
    return tuple(sorted(unique.values(), key=lambda p: (-len([t for t in p.tokens if t != "*"]), "*" in p.tokens)))


def _match_at(tokens: Sequence[str], words: Sequence[Word], start: int) -> Optional[int]:
    """End index if `tokens` match the words from `start` ("*" = up to three words)."""
    def rec(ti: int, wi: int) -> Optional[int]:
        if ti == len(tokens):
            return wi
        if tokens[ti] == "*":
            for skip in range(0, 4):
                end = rec(ti + 1, wi + skip)
                if end is not None:
                    return end
            return None
        if wi < len(words) and words[wi].norm == tokens[ti]:
            return rec(ti + 1, wi + 1)
        return None

    return rec(0, start)


def find_phrases(words: Sequence[Word], phrases: Iterable[Phrase], taken: Optional[List[bool]] = None) -> List[Mention]:
    taken = taken if taken is not None else [False] * len(words)
    found: List[Mention] = []
    for phrase in phrases:
        first = phrase.tokens[0]
        for i in range(len(words)):
            if taken[i] or words[i].norm != first:
                continue
            end = _match_at(phrase.tokens, words, i)
            if end is None or any(taken[i:end]):
                continue
            for j in range(i, end):
                taken[j] = True
            found.append(Mention(i, end, phrase))
    return sorted(found, key=lambda m: m.start)


# --- people, negation, clauses ---------------------------------------------------------------

def _seq_at(words: Sequence[Word], i: int, phrase: str) -> int:
    """Length in words if `phrase` (folded) starts at i, else 0."""
    parts = phrase.split()
    if i + len(parts) > len(words):
        return 0
    return len(parts) if all(words[i + k].norm == parts[k] for k in range(len(parts))) else 0


def _head_ok(word: Word, accented_text: bool) -> bool:
    rule = ACCENTED_HEADS.get(word.norm)
    if rule is None:
        return True
    spelling, safe_without = rule
    if accented_text:
        return word.orig == spelling or word.orig == word.norm and not has_diacritics(word.orig) and safe_without
    return safe_without


def find_people(words: Sequence[Word], taken: Sequence[bool], accented: bool, breaks: Set[int] = frozenset()) -> List[Person]:  # type: ignore[assignment]
    patterns: List[Tuple[str, str, Optional[str]]] = []
    for pattern, kind in W.PERSON_PATTERNS:
        if "{p}" in pattern:
            for p in W.POSSESSORS:
                owner = "third" if p in ("no", "ban ay", "em ay", "chau ay") else "self" if p in W.SELF else "other"
                patterns.append((pattern.replace("{p}", p), kind, owner))
        else:
            patterns.append((pattern, kind, None))
    patterns.sort(key=lambda p: -len(p[0].split()))
    people: List[Person] = []
    used = list(taken)
    for i in range(len(words)):
        if used[i]:
            continue
        for pattern, kind, owner in patterns:
            n = _seq_at(words, i, pattern)
            if not n or any(used[i:i + n]) or not _head_ok(words[i], accented) or any(j in breaks for j in range(i + 1, i + n)):
                continue
            if i and words[i - 1].norm == "thay" and words[i].norm == "co":
                continue  # "thầy cô": the counsellors addressed
            head = pattern.split()[0]
            if head in W.NEEDS_POSSESSOR and owner is None and not accented and not (i and words[i - 1].norm in ("co", "va")):
                continue
            if kind == "other" and head == "ban" and i and words[i - 1].norm in ("o", "tai", "thon"):
                continue  # "ở bản em" (a village), not "bạn em"
            people.append(Person(i, i + n, kind, owner, word=words[i].norm))
            for j in range(i, i + n):
                used[j] = True
            break
    return people


def _negator_at(words: Sequence[Word], i: int, accented: bool) -> int:
    for neg in W.NEGATORS:
        n = _seq_at(words, i, neg)
        if not n:
            continue
        if neg.startswith("cha") and accented and words[i].orig not in ("chả", "chẳng"):
            continue  # "cha" is a father; only "chả"/"chẳng" negate
        if neg == "k" and words[i].orig != "k":
            continue
        return n
    return 0


def _correction_at(words: Sequence[Word], i: int, breaks: Set[int]) -> int:
    """How many words of a correction ("à nhầm", "sửa lại là") start at `i`; 0 if none does. "à không"
    counts only before a comma or a full stop: "à không, em học trung cấp" is a correction, "à không
    phải hộ nghèo" a negation."""
    for c in W.CORRECTIONS + W.CORRECTIONS_BEFORE_BREAK:
        n = _seq_at(words, i, c)
        if n and (c not in W.CORRECTIONS_BEFORE_BREAK or i + n in breaks):
            return n
    return 0


def clauses_of(words: Sequence[Word], breaks: Set[int], taken: Sequence[bool]) -> Tuple[List[int], Set[int]]:
    """Clause number of each word, and the word positions of corrections ("à nhầm")."""
    ids: List[int] = []
    corrected: Set[int] = set()
    clause, i = 0, 0
    while i < len(words):
        if i in breaks and ids:
            clause += 1
        n = 0
        if not taken[i]:
            n = _correction_at(words, i, breaks)
            if n:
                clause += 1 if ids else 0
                corrected.add(i)
            else:
                for c in W.CONNECTIVES:
                    n = _seq_at(words, i, c)
                    if n:
                        clause += 1 if ids else 0
                        break
        for _ in range(max(n, 1)):
            ids.append(clause)
        i += max(n, 1)
    return ids[:len(words)], corrected


# --- the reader -----------------------------------------------------------------------------

_SPEAKER = Person(-1, -1, "self", None)  # nobody named: the speaker

def learner_mode(people: Sequence[Person], words: Sequence[Word], clause_of: Sequence[int]) -> str:
    kinds = {p.kind for p in people}
    if "child" in kinds:
        return "child"
    if "sibling" in kinds:
        return "sibling"

    def studies(p: Person) -> bool:
        for j in range(p.end, len(words)):  # up to the next person named, whatever the clause
            if any(q.start == j and q is not p for q in people):
                return False
            if any(_seq_at(words, j, v) for v in W.STUDY_VERBS):
                return True
        return False

    if any(p.kind == "self" and studies(p) for p in people):
        return "self"  # "chị gái em học cao đẳng, em muốn học trung cấp": the speaker studies
    if any(p.kind == "parent" and p.possessor != "other" and studies(p) for p in people):
        return "parent"  # "mẹ chị 57 tuổi cũng muốn học": the speaker's mother or father studies
    for p in people:
        if p.kind != "other":
            continue
        if p.start >= 2 and " ".join(w.norm for w in words[p.start - 2:p.start]) in W.ASKING_FOR:
            return "other"
        if studies(p):
            return "other"
    return "self"


def role_of(person: Person, mode: str, child_is_grandchild: bool) -> str:
    kind, owner = person.kind, person.possessor
    if owner == "other" and kind in ("household", "parent", "parents", "grandparent"):
        return "other"  # "nhà bác em", "bố của bạn": not the learner's family
    if mode == "self":
        return {"self": "learner", "child": "other", "sibling": "other", "third": "other"}.get(kind, kind)
    if mode == "child":
        if kind in ("child", "third") or kind == "self" and person.word in ("chau", "con"):
            return "learner"  # a parent speaks of the child as "cháu" / "con"
        if kind == "self":
            return "grandparent" if child_is_grandchild else "parent"
        if kind in ("parent", "parents") and owner == "self":
            return "grandparent" if not child_is_grandchild else "other"
        return kind
    if mode == "parent":
        if kind == "parent":
            return "learner"
        return "household" if kind == "self" else "other"
    if mode == "sibling":
        if kind in ("sibling", "third"):
            return "learner"
        if kind == "self":
            return "household"  # shares the household, not the personal facts
        return kind
    # another person will study
    if kind in ("other", "third"):
        return "learner" if kind == "third" or person.possessor else "other"
    if kind == "self" or owner == "self":
        return "other"
    return kind


def _accepts(fact: Optional[PersonFact], role: str) -> str:
    """'yes' if the role may state the fact, 'unclear' if it only hints at it, else 'no'."""
    if fact is None:
        return "no"
    if role in fact.roles:
        return "yes"
    if role in fact.unclear_roles:
        return "unclear"
    return "no"


def _age_mentions(text: str, words: Sequence[Word], day: dt.date) -> List[Tuple[int, int]]:
    """(word index, age) for "17 tuổi", "năm nay 16t", "sinh năm 2009"."""
    found = []
    for i, w in enumerate(words):
        if not w.norm.isdigit():
            continue
        nxt = words[i + 1].norm if i + 1 < len(words) else ""
        prev = " ".join(x.norm for x in words[max(0, i - 2):i])
        value = int(w.norm)
        if nxt in ("tuoi", "t") and 5 <= value <= 99:
            found.append((i, value))
        elif w.norm.endswith("t") and w.norm[:-1].isdigit():
            found.append((i, int(w.norm[:-1])))
        elif prev.endswith("sinh nam") and 1940 <= value <= day.year:
            found.append((i, day.year - value))
    for i, w in enumerate(words):  # "16t" is one token
        if re.fullmatch(r"\d{1,2}t", w.norm):
            found.append((i, int(w.norm[:-1])))
    return sorted(set(found))


_DENIAL_TAIL = re.compile(r"(?i)[,;]?\s*(?:chứ|chu|chứ không|chu khong|chứ ko|chu ko)?\s*(?:không phải|khong phai|ko phai|k phai)\b[^,;.?!]*")


def without_denials(text: str) -> str:
    """The text without what it denies: "kế toán chứ không phải điện công nghiệp" -> "kế toán";
    "mức 80% chứ không phải 60%" -> "mức 80%". A message that only denies is kept whole."""
    kept = _DENIAL_TAIL.sub(" ", unicodedata.normalize("NFC", text)).strip(" ,;")
    return kept if kept else text


def after_correction(text: str) -> str:
    """What a message says after its last correction ("Lò Văn Hùng, à nhầm, Lò Văn Hưng" -> "Lò Văn
    Hưng"; "năm ngoái, à không, tháng 8 năm nay" -> "tháng 8 năm nay"); the whole text without one."""
    words, breaks = tokenize(text)
    spans = [m for m in _WORD.finditer(unicodedata.normalize("NFC", text))]
    cut = None
    i = 0
    while i < len(words):
        n = _correction_at(words, i, breaks)
        if n:
            cut = words[i + n - 1].index
        i += max(n, 1)
    if cut is None or cut + 1 >= len(spans):
        return text
    return unicodedata.normalize("NFC", text)[spans[cut + 1].start():].strip(" ,.;:")


def stated_age(text: str, day: dt.date) -> Optional[int]:
    """The age a message states ("em 17 tuổi", "16t", "sinh năm 2009"), or None."""
    words, _ = tokenize(text)
    found = _age_mentions(text, words, day)
    return found[0][1] if found else None


def read(text: str, kb: KnowledgeBase, day: Optional[dt.date] = None,
         entities: Optional[Dict[str, List[str]]] = None) -> Statement:
    """What `text` says about the learner."""
    day = day or dt.date.today()
    said = Statement()
    words, breaks = tokenize(text)
    if not words:
        return said
    accented = has_diacritics(text)
    taken = [False] * len(words)
    mentions = find_phrases(words, phrases_for(kb), taken)
    if entities and not any(m.phrase.kind == "name" for m in mentions):
        mentions = sorted(mentions + _entity_names(words, kb, entities, taken), key=lambda m: m.start)
    for i, age in _age_mentions(text, words, day):
        if not taken[i]:
            taken[i] = True
            mentions.append(Mention(i, i + 1, Phrase(("#",), "age", "age", age)))
    mentions.sort(key=lambda m: m.start)
    clause_of, corrected = clauses_of(words, breaks, taken)
    people = find_people(words, taken, accented, breaks)
    for p in people:
        p.clause = clause_of[p.start]
    for m in mentions:
        m.clause = clause_of[m.start]
    mode = learner_mode(people, words, clause_of)
    said.learner = mode
    grandchild = any(p.kind == "child" and words[p.start].norm == "chau" for p in people)
    _mark_negation(words, mentions, people, clause_of, taken, accented)
    # Roles: the nearest person before a mention in its clause, else the last one before it
    # (Vietnamese drops repeated subjects: "bố em là thương binh, bị tai nạn lao động").
    for m in mentions:
        before = [p for p in people if p.end <= m.start]
        same_clause = [p for p in before if p.clause == m.clause]
        role = role_of(before[-1], mode, grandchild) if before else role_of(_SPEAKER, mode, grandchild)
        if m.phrase.fact in STUDY_FACTS:
            # What is studied is the learner's, unless this very clause is about someone else.
            role = "other" if same_clause and role == "other" else "learner"
        m.role = role
    _apply(said, mentions, words, kb, corrected)
    if mode == "parent" and "sex" not in said.facts:
        word = next(p.word for p in people if p.kind == "parent")
        sex = PARENT_SEX.get(word)
        if sex:
            said.facts["sex"] = sex  # "mẹ" is a woman, "bố" a man: the working age depends on it
            said.learner = "mother" if sex == "female" else "father"
    return said


# The sex a parent word says (folded first words of bo/me/cha/ba/ma people).
PARENT_SEX = {"me": "female", "ma": "female", "bo": "male", "cha": "male", "ba": "male"}


def _entity_names(words: Sequence[Word], kb: KnowledgeBase, entities: Dict[str, List[str]], taken: List[bool]) -> List[Mention]:
    """An ethnic group the NLU marked without a prefix ("e thai"): found where it was typed."""
    ethnicity = kb.facts.fact("ethnicity")
    if not ethnicity:
        return []
    canonical = {normalise(n): names[0] for names in ethnicity.names for n in names}
    found: List[Mention] = []
    for value in entities.get("ethnicity", []):
        name = canonical.get(normalise(value))
        parts = normalise(value).split()
        if not name or not parts:
            continue
        for i in range(len(words)):
            if not any(taken[i:i + len(parts)]) and _seq_at(words, i, " ".join(parts)):
                for j in range(i, i + len(parts)):
                    taken[j] = True
                found.append(Mention(i, i + len(parts), Phrase(tuple(parts), "name", "ethnicity", name)))
                break
    return found


def _mark_negation(words: Sequence[Word], mentions: List[Mention], people: Sequence[Person],
                   clause_of: Sequence[int], taken: Sequence[bool], accented: bool) -> None:
    person_starts = {p.start for p in people}
    negators: List[Tuple[int, int]] = []
    unsure: List[Tuple[int, int]] = []
    i = 0
    while i < len(words):
        if taken[i]:
            i += 1
            continue
        n = next((_seq_at(words, i, u) for u in W.UNSURE if _seq_at(words, i, u)), 0)
        if n:
            unsure.append((i, i + n))
            i += n
            continue
        n = _negator_at(words, i, accented)
        if n:
            negators.append((i, i + n))
            i += n
            continue
        i += 1
    for m in mentions:
        for a, b in unsure:
            if clause_of[a] == m.clause and b <= m.start and m.start - b <= 6:
                m.unsure = True
        for a, b in negators:
            if clause_of[a] != m.clause or b > m.start:
                continue
            between = range(b, m.start)
            if any(j in person_starts for j in between):
                continue
            gap = [words[j].norm for j in between if not taken[j]]
            others = [x for x in mentions if b <= x.start < m.start]
            if len(gap) > 4:
                continue
            if others and not all(words[j].norm in W.COORDINATORS or taken[j] for j in between):
                continue
            m.negated = True
    # "... có phải hộ nghèo đâu": a clause ending in "đâu" negates what it says.
    by_clause: Dict[int, List[int]] = {}
    for j, c in enumerate(clause_of):
        by_clause.setdefault(c, []).append(j)
    for c, idx in by_clause.items():
        tail = [j for j in idx if words[j].norm not in ("a", "nhe", "nha", "day", "ma", "chu")]
        if not tail or words[tail[-1]].norm != "dau":
            continue
        last = tail[-1]
        if last and any(_seq_at(words, last - len(x.split()), x) for x in W.WHERE_BEFORE_DAU):
            continue
        for m in mentions:
            if m.clause == c and m.end <= last:
                m.negated = True  # "có phải X đâu", "không phải X đâu": not X


def _implied_categories(kb: KnowledgeBase, category: str) -> Set[str]:
    seen, todo = set(), [category]
    while todo:
        c = todo.pop()
        if c in seen:
            continue
        seen.add(c)
        cat = kb.residence.category(c)
        todo += list(cat.implies) if cat else []
    return seen


def _denied_categories(kb: KnowledgeBase, category: str) -> Set[str]:
    """Not living in `category` rules out what it negates and every category implying it."""
    out = {category}
    cat = kb.residence.category(category)
    out |= set(cat.negates) if cat else set()
    changed = True
    while changed:
        changed = False
        for c in kb.residence.categories:
            if c.id not in out and (set(c.implies) & out):
                out.add(c.id)
                changed = True
    return out


def _kind_of(kb: KnowledgeBase, name: str) -> str:
    if name == "Kinh":
        return "kinh"
    very_small = {g for p in kb.policies.values() for g in p.ethnic_groups}
    return "very_small" if name in very_small else "minority"


def _apply(said: Statement, mentions: Sequence[Mention], words: Sequence[Word], kb: KnowledgeBase,
           corrected: Set[int]) -> None:
    book = kb.facts
    wanted: List[Mention] = []
    for m in mentions:
        p = m.phrase
        if p.kind == "level":
            _level(m, words, said, wanted)
            continue
        fact = book.fact("ethnicity" if p.kind in ("name", "kind_word") else
                         "residence" if p.kind in ("category", "none", "commune") else p.fact)
        if p.kind == "age":
            fact = book.fact("age")
        verdict = _accepts(fact, m.role)
        if verdict == "no":
            continue
        fid = fact.id if fact else p.fact
        if p.kind == "unclear" and m.negated and fact is not None and fact.negated is not None and verdict == "yes":
            said.facts[fid] = fact.negated  # "em không mồ côi"
            continue
        if verdict == "unclear" or m.unsure or p.kind == "unclear":
            said.unclear.add(fid)
            continue
        if p.kind == "age":
            if not m.negated:
                said.facts["age"] = p.value
        elif p.kind == "commune":
            if not m.negated:
                said.facts["commune"] = p.value
        elif p.kind == "none":
            said.facts.setdefault("residence", {}).update({c.id: False for c in kb.residence.categories})
        elif p.kind == "category":
            cats = _denied_categories(kb, str(p.value)) if m.negated else _implied_categories(kb, str(p.value))
            said.facts.setdefault("residence", {}).update({c: not m.negated for c in cats})
        elif p.kind == "name":
            kind = _kind_of(kb, str(p.value))
            if m.negated:
                said.denied.setdefault("ethnic_group", set()).add(p.value)
                if kind in (fact.negated_values if fact else {}) and kind == "kinh":
                    said.facts["ethnicity"] = fact.negated_values[kind]  # type: ignore[union-attr]
            else:
                said.facts["ethnic_group"] = p.value
                said.facts["ethnicity"] = kind
                said.denied.pop("ethnic_group", None)
        elif p.kind == "kind_word":
            if m.negated:
                mapped = fact.negated_values.get(p.value) if fact else None
                if mapped is not None:
                    said.facts["ethnicity"] = mapped
                    said.facts.pop("ethnic_group", None)
            elif not said.facts.get("ethnic_group"):  # a group named decides its kind from the list
                if said.facts.get("ethnicity") not in ("very_small",) or p.value == "very_small":  # ("người Mông là dân tộc rất ít người?" is Mông)
                    said.facts["ethnicity"] = p.value
        else:
            _value(fact, p, m.negated, said)
    _levels(wanted, words, said, corrected)
    said.unclear = {f for f in said.unclear if f not in said.facts}


def _value(fact: Optional[PersonFact], p: Phrase, negated: bool, said: Statement) -> None:
    if fact is None:
        return
    if not negated:
        said.facts[fact.id] = p.value
        for k, v in p.sets:
            said.facts.setdefault(k, v)
        said.denied.pop(fact.id, None)
        return
    if fact.id in said.facts and said.facts[fact.id] not in (p.value, fact.negated):
        return  # "hộ cận nghèo chứ không phải hộ nghèo": the denial agrees with what was just said
    if fact.negated is not None and p.value != fact.negated:
        said.facts[fact.id] = fact.negated
    elif isinstance(p.value, bool):
        said.facts[fact.id] = not p.value
    else:
        said.denied.setdefault(fact.id, set()).add(p.value)


def _level(m: Mention, words: Sequence[Word], said: Statement, wanted: List[Mention]) -> None:
    before = " ".join(w.norm for w in words[max(0, m.start - 3):m.start])
    right_before = words[m.start - 1].norm if m.start else ""
    after = " ".join(w.norm for w in words[m.end:m.end + 2])
    if right_before in ("truong",) or any(before.endswith(x) for x in W.INSTITUTION_BEFORE) or \
            any(after.startswith(x) for x in W.INSTITUTION_AFTER):
        return  # a school's name ("trường cao đẳng của tỉnh"), not the level wanted
    if m.role == "other":
        return
    message_words = {w.norm for w in words}
    past_when = before.endswith("khi hoc") and ({"da", "tung", "hoi", "truoc"} & message_words)
    if (any(before.endswith(x) or f" {x} " in f" {before} " for x in W.PAST_LEVEL) or past_when) and not m.negated:
        said.facts["previous_level"] = m.phrase.value
        return
    if m.negated:
        said.denied.setdefault("level", set()).add(m.phrase.value)
        return
    wanted.append(m)


def _levels(wanted: Sequence[Mention], words: Sequence[Word], said: Statement, corrected: Set[int]) -> None:
    values = [m.phrase.value for m in wanted]
    if not values:
        return
    distinct = list(dict.fromkeys(values))
    if len(distinct) == 1:
        said.facts["level"] = distinct[0]
        return
    # Several levels: a correction makes the last one count; "trung cấp hay cao đẳng" is a doubt.
    if any(wanted[0].start < c < wanted[-1].start for c in corrected):
        said.facts["level"] = values[-1]
        return
    first, second = wanted[0], wanted[1]
    gap = {w.norm for w in words[first.end:second.start]}
    if gap & set(W.ALTERNATIVES):
        said.unclear.add("level")
        return
    target = [m for m in wanted if m.start and words[m.start - 1].norm == "len"]  # "học lên cao đẳng"
    said.facts["level"] = target[-1].phrase.value if target else values[0]
