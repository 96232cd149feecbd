"""Replies that fit a phone: the first message of an answer is at most FIRST_MESSAGE_LIMIT
characters unless the person asked for everything; the rest comes on a button.

Answers are written short where they are built (a policy in brief, the papers in brief...);
`fit()` is the one safety net for every answer: it keeps whole lines, always keeps a line that
says what is being confirmed (shortened to its first item), and offers "Xem đầy đủ", whose
payload asks the same question again with `aspect: all`.
"""

from __future__ import annotations

import json
from typing import List

from bot.answers.context import Context
from bot.answers.reply import Button, Reply
from bot.text import mentions

FIRST_MESSAGE_LIMIT = 600
# Asking for the whole answer. Not "tất cả" alone: "áp dụng cho tất cả người dân tộc?" asks about a group.
EVERYTHING_WORDS = ("xem tất cả", "cho xem tất cả", "kể tất cả", "nói tất cả", "liệt kê tất cả", "tất cả các khoản",
                    "tất cả các nghề", "tất cả các ngành", "tất cả thông tin", "đầy đủ", "chi tiết", "toàn bộ",
                    "liệt kê hết", "kể hết", "cụ thể hết", "xem hết")
CAVEAT_START = "Đang được xác nhận: "
MORE_TITLE = "Xem đầy đủ"


def wants_everything(ctx: Context) -> bool:
    return ctx.aspect_in_full() or mentions(ctx.text, EVERYTHING_WORDS)


def _brief_caveat(line: str) -> str:
    items = line[len(CAVEAT_START):].rstrip(".").split("; ")
    return line if len(items) == 1 else f"{CAVEAT_START}{items[0]} (và {len(items) - 1} điều khác)."


def _is_caveat(line: str) -> bool:
    return line.startswith(CAVEAT_START) or "đang được xác nhận" in line or "đang xác nhận" in line


def _size(lines, indexes) -> int:
    return sum(len(lines[i]) + 1 for i in indexes)


def _more_button(intent: str, ctx: Context, reply: Reply) -> Button:
    entities = {k: v[0] for k, v in ctx.entities.items() if v and k != "aspect"}
    for slot in ("policy", "programme", "level"):
        value = reply.slots.get(slot) or ctx.slots.get(slot)
        if value and slot not in entities:
            entities[slot] = value
    aspect = reply.aspect or ctx.aspect()
    entities["aspect"] = f"{aspect}:all" if aspect and aspect != "all" else "all"
    return Button(MORE_TITLE, f"/{intent}{json.dumps(entities, ensure_ascii=False)}")


def fit(reply: Reply, intent: str, ctx: Context) -> Reply:
    """`reply` cut to whole lines that fit the first message, with "Xem đầy đủ" for the rest."""
    limit = FIRST_MESSAGE_LIMIT - ctx.reserve
    if len(reply.text) <= limit or wants_everything(ctx):
        return reply
    note = "(Còn nữa: bấm \"Xem đầy đủ\".)"
    budget = limit - len(note) - 1
    lines = reply.text.split("\n")
    # What must stay: the first line, every line saying what is not confirmed, and a closing
    # question (the offer the buttons answer).
    must = {0} | {i for i, l in enumerate(lines) if _is_caveat(l)}
    if len(lines) > 1 and lines[-1].rstrip().endswith("?"):
        must.add(len(lines) - 1)
    if _size(lines, must) > budget:
        lines = [_brief_caveat(l) if l.startswith(CAVEAT_START) else l for l in lines]
    while len(must) > 1 and _size(lines, must) > budget:
        must.discard(max(must))
    kept = set(must)
    for i in range(len(lines)):  # then the other lines, in order, while they fit
        if i in kept:
            continue
        if _size(lines, kept | {i}) > budget:
            break
        kept.add(i)
    text = [lines[i] for i in sorted(kept)]
    if _size(text, range(len(text))) > budget:  # one very long line: cut it at a word
        text = [text[0][: max(budget - 1, 0)].rsplit(" ", 1)[0] + "…"]
    reply.text = "\n".join(text + [note])
    reply.buttons = [_more_button(intent, ctx, reply)] + [b for b in reply.buttons if b.title != MORE_TITLE][:3]
    return reply
