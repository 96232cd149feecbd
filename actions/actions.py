"""Thin rasa-sdk actions: turn the tracker into a Context, ask bot/ for the Reply, send it.

Every answer's content lives in bot/; these classes only translate between Rasa
and that package, so other channels and tests share the same logic.
"""

from __future__ import annotations

import abc
import asyncio
import logging
from typing import Any, Callable, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import clock, dialogue, thread
from bot.channels.common import ERASE_CONVERSATION, channel_of
from bot.answers import ANSWERS, Context, Reply, answer
from bot.kb import get_kb
from bot.storage import questions

logger = logging.getLogger(__name__)

# Slots an answer may set; anything else in Reply.slots is a programming error.
REMEMBERED_SLOTS = ("programme", "level", "policy", "benefit", "profile", "pending_question", "pending_offer", "lead_offered",
                    "quiz_state", "topic")


def channel_name(tracker: Tracker) -> str:
    """The user's channel: gateways (Telegram, Zalo) namespace sender ids as 'telegram:123'."""
    return channel_of(tracker.sender_id, default=tracker.get_latest_input_channel() or "unknown")


def earlier_turns(tracker: Tracker) -> List[List[Dict[str, Any]]]:
    """The buttons of the assistant's messages since the person's previous message, newest first."""
    events = list(tracker.events)
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    since = users[-2] if len(users) >= 2 else 0
    until = users[-1] if users else len(events)
    return [(e.get("data") or {}).get("buttons") or [] for e in reversed(events[since:until]) if e.get("event") == "bot"]


def context_from(tracker: Tracker) -> Context:
    message = tracker.latest_message or {}
    text = message.get("text") or ""
    if text.startswith("/"):
        text = ""  # a button payload: its meaning is in the intent and entities
    entities: Dict[str, List[str]] = {}
    for entity in message.get("entities") or []:
        value = entity.get("value")
        if isinstance(value, str) and value:
            entities.setdefault(entity.get("entity", ""), []).append(value)
    ranking = [r.get("name") for r in message.get("intent_ranking") or [] if r.get("name")]
    offered = thread.offered_since(earlier_turns(tracker))
    return Context(
        kb=get_kb(),
        text=text,
        today=clock.today(),
        intent=(message.get("intent") or {}).get("name"),
        entities=entities,
        slots={name: tracker.get_slot(name) for name in REMEMBERED_SLOTS},
        ranking=[r for r in ranking if r not in ("nlu_fallback", (message.get("intent") or {}).get("name"))],
        topic=tracker.get_slot("topic"),
        offered=offered,
    )


def utter(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    marks = {ERASE_CONVERSATION: True} if reply.erases_conversation else {}
    dispatcher.utter_message(text=reply.text, buttons=[b.as_dict() for b in reply.buttons], **marks)


async def send(reply: Reply, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
    utter(dispatcher, reply)
    if reply.unanswered:
        message = tracker.latest_message or {}
        try:
            await asyncio.to_thread(
                questions.record_unanswered,
                message.get("text") or "", channel_name(tracker), tracker.sender_id,
                reply.unanswered_reason, (message.get("intent") or {}).get("name"),
                (message.get("intent") or {}).get("confidence"),
            )
        except Exception:  # storing must never break the chat
            logger.exception("could not store an unanswered question")
    elif ((tracker.latest_message or {}).get("intent") or {}).get("name") in ANSWERS:
        try:
            await asyncio.to_thread(questions.count_answered, clock.today())
        except Exception:  # statistics must never break the chat
            logger.exception("could not count an answered question")
    slots = {"pending_question": None, "pending_offer": None, **reply.slots}
    events: List[Dict[Text, Any]] = [SlotSet(name, value) for name, value in slots.items() if name in REMEMBERED_SLOTS]
    if reply.follow_up:
        events.append(FollowupAction(reply.follow_up))
    return events


def answer_inside_form(dispatcher: CollectingDispatcher, tracker: Tracker):
    """When a form's answer is a question (bot.dialogue decides), answer it and return the slots
    it sets; None when it is not one. The form then asks its own question again."""
    message = tracker.latest_message or {}
    ctx = context_from(tracker)
    intent = dialogue.question_inside_form(ctx, (message.get("intent") or {}).get("confidence"),
                                           is_payload=(message.get("text") or "").startswith("/"))
    if intent is None:
        return None
    reply = dialogue.answer_inside_form(intent, ctx)
    utter(dispatcher, reply)
    return [SlotSet(name, value) for name, value in reply.slots.items()]


class ReplyAction(Action, metaclass=abc.ABCMeta):
    """An action whose whole job is: build the context, get a Reply from bot/, send it.
    Abstract, so that rasa-sdk registers only the concrete actions defined below."""

    action_name = ""

    def name(self) -> Text:
        return self.action_name

    @staticmethod
    @abc.abstractmethod
    def respond(ctx: Context, tracker: Tracker) -> Reply:
        ...

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        return await send(self.respond(context_from(tracker), tracker), dispatcher, tracker)


def action_name(intent: str) -> str:
    """ask_tuition -> action_answer_tuition; check_eligibility -> action_check_eligibility."""
    return "action_" + intent.replace("ask_", "answer_", 1)


def _define(name: str, respond: Callable[[Context, Tracker], Reply]) -> None:
    cls_name = "".join(part.capitalize() for part in name.split("_"))
    globals()[cls_name] = type(cls_name, (ReplyAction,), {"action_name": name, "respond": staticmethod(respond)})


# One action per knowledge-base intent: answer it from bot.answers.
def answered_before(tracker: Tracker) -> int:
    names = {action_name(intent) for intent in ANSWERS}
    return sum(1 for e in tracker.events if e.get("event") == "action" and e.get("name") in names)


for _intent in ANSWERS:
    _define(action_name(_intent), lambda ctx, tracker, intent=_intent: dialogue.maybe_offer_registration(
        dialogue.answer_turn(intent, ctx), answered_before(tracker), bool(tracker.get_slot("lead_offered"))))

# Turns that depend on the conversation so far, or on stored data (bot.dialogue).
_define("action_inform", lambda ctx, tracker: dialogue.answer_turn("inform", ctx, dialogue.handle_inform))
_define("action_out_of_scope", lambda ctx, tracker: dialogue.answer_turn("out_of_scope", ctx, dialogue.out_of_scope))
_define("action_deny", lambda ctx, tracker: dialogue.handle_deny(ctx))
# The lead form, handoff requests, deletion and "yes" to an offer: actions/leads.py.
