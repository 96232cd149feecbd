"""Answers to each kind of question, as channel-neutral Replies.

`ANSWERS` maps an intent to the function that answers it from the knowledge base;
rasa-sdk actions and tests call them through `answer()`.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Dict

from bot.answers.admission import answer_admission, answer_contact
from bot.answers.context import Context
from bot.answers.corrections import corrections, notes_answering
from bot.answers.dates import asked_day
from bot.answers.fit import fit
from bot.answers.format import DRAFT_NOTE, YES_NO_WORDS, day, is_question, is_yes_no, join_names, lead_with
from bot.answers.groups import answer_very_small
from bot.answers.guidance import answer_career_advice, answer_job_prospects, answer_why_vocational
from bot.answers.eligibility import answer_eligibility
from bot.answers.policies import answer_policy
from bot.answers.programmes import answer_programme_info, answer_programmes
from bot.answers.reply import Button, Reply, button
from bot.answers.tuition import answer_tuition
from bot.kb.models import LEVEL_LABELS

Answer = Callable[[Context], Reply]

ANSWERS: Dict[str, Answer] = {
    "ask_programmes": answer_programmes,
    "ask_programme_info": answer_programme_info,
    "ask_tuition": answer_tuition,
    "ask_policy": answer_policy,
    "check_eligibility": lambda ctx: answer_eligibility(ctx, ctx.slots.get("profile")),  # type: ignore[arg-type]
    "ask_admission": answer_admission,
    "ask_career_advice": answer_career_advice,
    "ask_job_prospects": answer_job_prospects,
    "ask_why_vocational": answer_why_vocational,
    "ask_contact": answer_contact,
}



# Answers that may rest on a replaced document or a known misconception: the correction comes first.
CORRECTED = ("ask_policy", "ask_tuition", "check_eligibility", "ask_admission")


# Answers a note may answer first (bot/kb/retrieval.py `asks`); a support check states the person's
# situation ("ở xã đặc biệt khó khăn"), which is not a question about the list of communes.
NOTE_ANSWERED = ("ask_policy", "ask_tuition", "ask_admission")


# Answers whose amounts follow lương cơ sở: computed for the day the question is about.
DATED = ("ask_policy", "check_eligibility", "ask_tuition")
DATED_NOTE = "(Tính cho ngày {}.)"


def remember_what_was_named(reply: Reply, ctx: Context) -> None:
    """The programme and level a message names are what the conversation is about from now on,
    whatever the answer was ("con tôi muốn học nghề may" answered with the support, then "học
    trung cấp bao lâu?" is about May thời trang)."""
    named = ctx.programmes_named()
    if len(named) == 1:
        reply.slots.setdefault("programme", named[0].id)
    level = ctx.level_named_now()
    if level:
        reply.slots.setdefault("level", level)
    policy = ctx.policy(remembered=False)
    if policy is not None:
        reply.slots.setdefault("policy", policy.id)  # "Người Lự có được NĐ 57 không?" then "Mức bao nhiêu?"


def mention_the_wanted_trade(reply: Reply, ctx: Context) -> None:
    """A support answer to someone who also said the trade they want ends with that trade's levels
    and a button to it: what they said is not dropped."""
    named = ctx.programmes_named()
    if len(named) != 1 or named[0].name.lower() in reply.text.lower():
        return
    prog = named[0]
    levels = join_names([LEVEL_LABELS[lv] for lv in prog.levels])
    line = f"Nghề {prog.name} có ở trình độ {levels}{' ' + DRAFT_NOTE if prog.is_draft else ''}."
    lines = reply.text.split("\n")
    at = len(lines) - 1 if len(lines) > 1 and lines[-1].endswith("?") else len(lines)  # an offer stays last
    reply.text = "\n".join(lines[:at] + [line] + lines[at:])
    reply.buttons = [button(f"Nghề {prog.name} học bao lâu?", "ask_programme_info", programme=prog.id)] + \
        [b for b in reply.buttons][:3]


def answer(intent: str, ctx: Context) -> Reply:
    on = asked_day(ctx.text, ctx.today) if intent in DATED and not ctx.dated else None
    if on is not None:
        if on < ctx.kb.salary.periods[0].effective_from:
            first = ctx.kb.salary.periods[0].effective_from
            return Reply(f"Mình chỉ có mức lương cơ sở từ {day(first)}, nên chưa tính được số tiền cho ngày {day(on)}. "
                         "Bạn hỏi cán bộ tuyển sinh giúp nhé.", [button("Gặp cán bộ tư vấn", "request_human")])
        note = DATED_NOTE.format(day(on))
        dated = dataclasses.replace(ctx, today=on, dated=True, reserve=ctx.reserve + len(note) + 1)  # room for the note
        reply = answer(intent, dated)
        reply.text = lead_with(reply.text, note, keep_verdict=True)  # a yes/no keeps its answer word first
        return reply
    reply = ANSWERS[intent](ctx)
    listed = answer_very_small(ctx) if intent in CORRECTED else None
    if listed:  # "người Mảng có phải dân tộc rất ít người không?": the list answers it, first
        reply.text = lead_with(reply.text, listed)
    reply.slots.setdefault("topic", intent)  # what the conversation is now about (bot/thread.py)
    reply.slots.setdefault("benefit", None)  # one support, only while the answer is about it
    remember_what_was_named(reply, ctx)
    if intent == "check_eligibility":
        mention_the_wanted_trade(reply, ctx)
    asked = [n for n in notes_answering(ctx) if n not in reply.text] \
        if intent in NOTE_ANSWERED and ctx.text and is_question(ctx.text) and reply.aspect != "months" else []
    # (The months of a monthly support are the question's answer already: "học bổng phát mấy tháng một năm".)
    if asked:  # "học bổng phát tiền mặt hay chuyển khoản?": the note that says it is the answer;
        # the policy it belongs to stays one button away.
        reply.text = "\n".join(asked)
    fixes = [f for f in corrections(ctx) if f not in reply.text] if intent in CORRECTED and ctx.text else []
    if fixes:
        # The question rests on a wrong premise: "Không." first, unless the correction says it itself.
        lead = "Không. " if is_yes_no(ctx.text) and not fixes[0].startswith(YES_NO_WORDS) else ""
        reply.text = lead + lead_with(reply.text, "\n".join(fixes))
    return fit(reply, intent, ctx)


__all__ = ["ANSWERS", "Answer", "Button", "Context", "Reply", "answer", "button"]
