"""Corrections said before an answer: a question built on a replaced document ("NĐ 81 còn áp dụng
không?") or on a known misconception ("trung cấp được 150.000 đ/tháng phải không?"); and the notes
a question asks for on their own ("học bổng phát tiền mặt hay chuyển khoản?").

Both are data: replaced documents are `status: replaced` / `replaces:` in knowledge_base/sources.yml;
misconceptions are policy notes with `about: misconception` and the `claims` that state them, found
however the question words them by bot/kb/retrieval.py.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import List, Tuple

from bot.answers.context import Context
from bot.answers.format import WHEN_WORDS, cite, day, is_yes_no, lower_first
from bot.kb.models import KnowledgeBase
from bot.kb.retrieval import claims_in, notes_asked
from bot.text import mentions


# Abbreviations in the names of laws, as people say them.
LAW_WORDS = {"GDNN": "giáo dục nghề nghiệp", "GD": "giáo dục"}


def _law_names(short: str) -> List[str]:
    """'Luật GDNN 74/2014/QH13' -> its number and 'luật giáo dục nghề nghiệp (năm) 2014'."""
    match = re.match(r"Luật\s+(?:(\w+)\s+)?(?:số\s+)?(\d+)/(\d{4})", short)
    if not match:
        return [short]
    abbr, number, year = match.groups()
    out = [short, f"luật {number}/{year}"]
    for words in filter(None, [abbr, LAW_WORDS.get(abbr or "")]):
        out += [f"luật {words} {year}", f"luật {words} năm {year}", f"luật {words} số {number}"]
    return out


def _names(short: str) -> List[str]:
    """'NĐ 81/2021/NĐ-CP' -> ['NĐ 81/2021/NĐ-CP', 'NĐ 81/2021', 'NĐ 81', 'nghị định 81']."""
    if short.startswith("Luật"):
        return _law_names(short)
    match = re.match(r"(NĐ|QĐ|TT|NQ)\s*(\d+)(?:/(\d{4}))?", short)
    if not match:
        return [short]
    kind, number, year = match.groups()
    words = {"NĐ": "nghị định", "QĐ": "quyết định", "TT": "thông tư", "NQ": "nghị quyết"}[kind]
    out = [short, f"{kind} {number}", f"{words} {number}"]
    if year:
        out += [f"{kind} {number}/{year}", f"{words} {number}/{year}"]
    return out


@lru_cache(maxsize=4)
def replaced_documents(kb: KnowledgeBase) -> Tuple[Tuple[Tuple[str, ...], str], ...]:
    """(ways to name an old document, the correction) for every document the KB says is replaced."""
    out = []
    for doc in kb.documents.values():
        for old in doc.replaces:
            when = f" từ {day(doc.effective)}" if doc.effective else ""
            out.append((tuple(_names(old)), f"{old} đã được thay thế bởi {doc.short}{when}."))
    for doc in kb.documents.values():
        if doc.status == "replaced" and doc.replaced_by and doc.replaced_by in kb.documents:
            new = kb.documents[doc.replaced_by]
            when = f" từ {day(new.effective)}" if new.effective else ""
            out.append((tuple(_names(doc.short)), f"{doc.short} đã được thay thế bởi {new.short}{when}."))
    return tuple(out)


REPLACED_WORDS = ("thay thế", "hết hiệu lực", "bãi bỏ", "không còn hiệu lực", "hết hạn")


STILL_WORDS = ("còn hiệu lực", "còn áp dụng", "vẫn áp dụng", "đang áp dụng", "còn dùng", "có hiệu lực")


def document_status(ctx: Context) -> List[str]:
    """Whether a document named is in force, from its `status` in sources.yml: "NĐ 238 bị nghị định
    66 thay thế rồi à?" (in force: no such replacement known), "QĐ 46 còn áp dụng không?" (status
    unknown: being confirmed). Replaced documents are said by `replaced_documents`."""
    replaced, still = mentions(ctx.text, REPLACED_WORDS), mentions(ctx.text, STILL_WORDS)
    since = mentions(ctx.text, ("hiệu lực", "áp dụng")) and mentions(ctx.text, WHEN_WORDS)  # "có hiệu lực từ ngày nào?"
    if not (replaced or since or still and is_yes_no(ctx.text)):
        return []
    for doc in ctx.kb.documents.values():
        if doc.status not in ("in_force", "unknown") or not mentions(ctx.text, _names(doc.short)):
            continue
        when = f" từ {day(doc.effective)}" if doc.effective else ""
        if since and not replaced and doc.effective:
            return [f"{doc.short} có hiệu lực{when}" + (" và đang được áp dụng." if doc.status == "in_force" else
                                                       "; còn hiệu lực hay không đang được xác nhận.")]
        if doc.status == "unknown":
            return [f"Chưa xác nhận: {doc.short} còn hiệu lực hay không đang được xác nhận."]
        if replaced:
            return [f"Chưa có thông tin như vậy: {doc.short} đang có hiệu lực{when}; "
                    "mình chưa có văn bản nào thay thế văn bản này."]
        return [f"Có, {doc.short} đang có hiệu lực{when}."]
    return []


def document_scope(ctx: Context) -> List[str]:
    """"Con tôi học trung cấp có được QĐ 66/2013 không?": a document applied to learners it does not
    cover (`not_for` in sources.yml), with the one that does."""
    level = ctx.level()
    out = []
    for doc in ctx.kb.documents.values():
        if not doc.not_for_text or not mentions(ctx.text, _names(doc.short)):
            continue
        if level in doc.not_for_levels or (level is None and mentions(ctx.text, ("nghề", "học nghề"))):
            out.append(f"{doc.not_for_text.rstrip('.')}.")  # the text names both documents
    return out


STACK_WORDS = ("cộng thêm", "cộng cả", "cộng dồn", "cộng với", "cộng lại", "gộp", "cả hai", "hưởng cùng lúc",
               "hưởng cả", "được cả", "cùng lúc")


def stacking_claims(ctx: Context) -> List[str]:
    """"được giảm 70% cộng thêm 50% nữa đúng không?", "được cộng cả NĐ 57 với QĐ 53?": how those
    supports combine, from stacking.yml (one level only; or not known yet)."""
    if not mentions(ctx.text, STACK_WORDS):
        return []
    named = set(ctx.match.benefits_in(ctx.text))
    policies = {p.id for p in ctx.kb.policies.values() if mentions(ctx.text, _names(p.document.short))}
    percents = {int(p) for p in re.findall(r"(\d{2,3})\s*%", ctx.text)}
    for rule in ctx.kb.stacking:
        members = set(rule.benefits) or {k for side in rule.sides for k in side}
        hit = {k for k in members if k in named or (ctx.kb.policies[k[0]].benefit(k[1]) and
                                                   ctx.kb.policies[k[0]].benefit(k[1]).percent in percents)}
        sides_named = [side for side in rule.sides if {p for p, _ in side} & policies]
        if rule.rule == "highest_only" and len(hit) >= 2:
            return [f"Không: {lower_first(rule.text.rstrip('.'))} ({cite(rule.source)})."]
        if rule.rule == "unknown" and len(sides_named) >= 2:
            return [f"Chưa xác nhận: {lower_first(rule.text.rstrip('.'))} ({cite(rule.source)})."]
    return []


def corrections(ctx: Context) -> List[str]:
    """What must be corrected in the question, in the person's words, each with its source."""
    lines = []
    for names, text in replaced_documents(ctx.kb):
        if mentions(ctx.text, names):
            lines.append(text)
    lines += document_scope(ctx)
    if not lines:
        lines += document_status(ctx)
    lines += stacking_claims(ctx)
    for policy_id, index in claims_in(ctx.kb, ctx.text):  # ranked over folded words and synonyms
        note = ctx.kb.policies[policy_id].notes[index]
        lines.append(f"{note.text} ({cite(note.source)})")
    return list(dict.fromkeys(lines))


def notes_answering(ctx: Context) -> List[str]:
    """The notes that answer the question by the ways people ask them (`asks`), with their source;
    misconceptions are said by `corrections`, so they are left to it."""
    out = []
    for policy_id, index in notes_asked(ctx.kb, ctx.text)[:1]:  # the best one: one fact, first
        note = ctx.kb.policies[policy_id].notes[index]
        if note.about != "misconception":
            out.append(f"{note.text} ({cite(note.source)})")
    return out
