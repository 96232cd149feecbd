"""Answers to each kind of question, as channel-neutral Replies.

`ANSWERS` maps an intent to the function that answers it from the knowledge base;
rasa-sdk actions and tests call them through `answer()`.
"""

from __future__ import annotations

from typing import Callable, Dict

from bot.answers.admission import answer_admission, answer_contact
from bot.answers.context import Context
from bot.answers.guidance import answer_career_advice, answer_job_prospects, answer_why_vocational
from bot.answers.eligibility import answer_eligibility
from bot.answers.policies import answer_policy
from bot.answers.programmes import answer_programme_info, answer_programmes
from bot.answers.reply import Button, Reply, button
from bot.answers.tuition import answer_tuition

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


def answer(intent: str, ctx: Context) -> Reply:
    return ANSWERS[intent](ctx)


__all__ = ["ANSWERS", "Answer", "Button", "Context", "Reply", "answer", "button"]
