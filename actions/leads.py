"""Thin rasa-sdk actions for the lead form, human handoff requests and data deletion.

The form's questions, the reading of answers, saving and erasing are in bot/leads;
these actions only move values between the tracker and those functions.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import answer_inside_form, channel_name, context_from, send, utter
from bot import dialogue, handoff, office_hours
from bot.answers.reply import Reply
from bot.kb import get_kb
from bot.leads import form, service
from bot.leads.service import LeadInput
from bot.notify import notify_staff
from bot.storage.models import utcnow
from bot.storage import quiz as quiz_store

logger = logging.getLogger(__name__)
RECENT_MESSAGES = 10


def lead_slots(tracker: Tracker) -> Dict[str, Any]:
    return {name: tracker.get_slot(name) for name in form.LEAD_SLOTS}


def has_lead_answers(tracker: Tracker) -> bool:
    """Whether the person has answered any question of the lead form (kept while it is paused)."""
    return any(tracker.get_slot(name) is not None for name in form.LEAD_SLOTS)


def clear_lead_slots() -> List[Dict[Text, Any]]:
    return [SlotSet(name, None) for name in form.LEAD_SLOTS] + [SlotSet("lead_outcome", None)]


class ValidateLeadForm(Action):
    """Reads every answer through bot.leads.form and decides the next question."""

    def name(self) -> Text:
        return "validate_lead_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        kb = get_kb()
        slots = lead_slots(tracker)
        events: List[Dict[Text, Any]] = []
        for slot, value in tracker.slots_to_validate().items():
            if slot not in form.READERS or value is None or isinstance(value, (list, bool)):
                continue  # pre-filled values (a list of programmes) are already clean
            result = form.validate(slot, str(value), slots, kb)
            if result.cancel == "paused":  # the answers so far stay; "đăng ký" takes the form up again
                return [SlotSet(slot, None), SlotSet("lead_outcome", "paused"), SlotSet("requested_slot", None)]
            if result.cancel:
                return clear_lead_slots() + [SlotSet("lead_outcome", result.cancel), SlotSet("requested_slot", None)]
            took_other = any(v is not None for k, v in result.slots.items() if k != slot)  # "em nhầm, tên em là ..."
            if slot == tracker.get_slot("requested_slot") and result.slots.get(slot) is None and not took_other:
                answered = answer_inside_form(dispatcher, tracker)
                if answered is not None:  # a question, not an answer: answered, and the question is asked again
                    return answered + [SlotSet(slot, None), SlotSet("requested_slot", slot)]
            if result.message:
                utter(dispatcher, result.message)
            slots.update(result.slots)
            events += [SlotSet(name, v) for name, v in result.slots.items()]
        next_slot = next((s for s in form.required_slots(slots) if slots.get(s) is None), None)
        return events + [SlotSet("requested_slot", next_slot)]


async def _ask_for_slot(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
    utter(dispatcher, form.question(self.slot, lead_slots(tracker), get_kb()))
    return []


# action_ask_<slot> for every question of the form (Rasa calls them to ask).
for _slot in form.LEAD_SLOTS:
    globals()[f"Ask_{_slot}"] = type(f"Ask_{_slot}", (Action,), {
        "slot": _slot, "name": lambda self, s=_slot: f"action_ask_{s}", "run": _ask_for_slot})


def conversation_snapshot(tracker: Tracker) -> Dict[str, Any]:
    """The messages that led to the lead (up to the start of the form, whose answers are
    in the lead itself) and the programmes/policies the person asked about."""
    events = list(tracker.events)
    starts = [i for i, e in enumerate(events) if e.get("event") == "action" and e.get("name") == "action_register_interest"]
    before = events[: starts[-1]] if starts else events
    messages = [{"who": "user" if e["event"] == "user" else "bot", "text": e.get("text") or ""}
                for e in before if e.get("event") in ("user", "bot") and e.get("text")]
    asked: Dict[str, List[str]] = {"programme": [], "policy": []}
    for event in tracker.events:
        if event.get("event") == "slot" and event.get("name") in asked and event.get("value"):
            if event["value"] not in asked[event["name"]]:
                asked[event["name"]].append(event["value"])
    return {"last_messages": messages[-RECENT_MESSAGES:], "programmes_asked": asked["programme"],
            "policies_asked": asked["policy"]}


class StartLeadForm(Action):
    """register_interest: explain, pre-fill the programme from the conversation, start the form."""

    def name(self) -> Text:
        return "action_register_interest"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        ctx = context_from(tracker)
        asked = dialogue.not_a_registration(ctx) if tracker.get_slot("lead_outcome") != "paused" else None
        if asked:  # a question the NLU took for "register me": answered, the form offered on a button
            # (not started: the rule's next step is overridden by listening).
            reply = dialogue.answered_not_registered(asked, ctx)
            events = await send(reply, dispatcher, tracker)
            return events + ([] if reply.follow_up else [FollowupAction("action_listen")])
        named = [p.id for p in ctx.programmes_named()] or ([tracker.get_slot("programme")] if tracker.get_slot("programme") else [])
        if tracker.get_slot("lead_outcome") == "paused" and has_lead_answers(tracker):
            dispatcher.utter_message(text="Mình làm tiếp phần đăng ký; các thông tin bạn đã cho vẫn được giữ.")
            events = [SlotSet("lead_outcome", None), SlotSet("lead_offered", True), SlotSet("pending_offer", None)]
            if named and not tracker.get_slot("lead_programmes"):
                events.append(SlotSet("lead_programmes", named))
            if tracker.active_loop.get("name") != "lead_form":
                events.append(FollowupAction("lead_form"))
            return events
        dispatcher.utter_message(text="Mình sẽ ghi lại vài thông tin để cán bộ tuyển sinh liên hệ tư vấn cho bạn (khoảng 1 phút).")
        events = clear_lead_slots() + [SlotSet("lead_offered", True), SlotSet("pending_offer", None)]
        if named:
            events.append(SlotSet("lead_programmes", named))
        if tracker.active_loop.get("name") != "lead_form":
            events.append(FollowupAction("lead_form"))
        return events


class SubmitLead(Action):
    """After the form: save the lead (or say it was cancelled) and give the reference code."""

    def name(self) -> Text:
        return "action_submit_lead"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        outcome = tracker.get_slot("lead_outcome")
        if outcome == "paused":
            given = has_lead_answers(tracker)
            dispatcher.utter_message(text=form.CANCEL_MESSAGES["paused" if given else "paused_empty"])
            return [] if given else clear_lead_slots()
        if outcome in form.CANCEL_MESSAGES:
            dispatcher.utter_message(text=form.CANCEL_MESSAGES[outcome])
            return clear_lead_slots()
        slots = lead_slots(tracker)
        kb = get_kb()
        lead = LeadInput(
            reference=service.new_reference(), channel=channel_name(tracker),
            sender_id=tracker.sender_id, name=slots["lead_name"], phone=slots["lead_phone"], role=slots["lead_role"],
            commune=slots["lead_commune"], programmes=list(slots["lead_programmes"] or []),
            contact_time=slots["lead_contact_time"], is_minor=form.is_minor(slots),
            consent_version=form.CONSENT_VERSION, consent_text=form.CONSENT_TEXT + (
                " " + form.PARENT_CONSENT_TEXT if form.is_minor(slots) else ""),
            parent_consent=bool(slots.get("lead_parent_consent")), **conversation_snapshot(tracker),
        )
        ensure_outbox_flusher()
        result = await asyncio.to_thread(service.submit, lead)
        await link_quiz_result(tracker, result.reference)
        notify_staff("lead", result.reference, lead.channel, lead.name, lead.commune, lead.programmes, lead.phone)
        utter(dispatcher, form.confirmation(result.reference, slots, kb))
        return clear_lead_slots()


async def link_quiz_result(tracker: Tracker, reference: str) -> None:
    """The person's quiz result stops being anonymous once they register."""
    result_id = tracker.get_slot("quiz_result_id")
    if not result_id:
        return
    try:
        await asyncio.to_thread(quiz_store.link_to_lead, int(result_id), reference)
    except Exception:  # the lead is saved; only the link is missing
        logger.exception("could not link a quiz result to lead %s", reference)


class RequestHuman(Action):
    """request_human: a lead waiting for a person, and when staff work."""

    def name(self) -> Text:
        return "action_request_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        ctx = context_from(tracker)
        asked = dialogue.not_a_handoff(ctx)
        if asked:  # "nếu em chuyển sang trường công lập thì sao?": answered, and no ticket opened
            return await send(dialogue.answer_turn(asked, ctx), dispatcher, tracker)
        snapshot = conversation_snapshot(tracker)
        lead = LeadInput(reference=service.new_reference(), channel=channel_name(tracker),
                         sender_id=tracker.sender_id, status=service.STATUS_WAITING_HUMAN,
                         programmes=list(snapshot["programmes_asked"]), **snapshot)
        ensure_outbox_flusher()
        result = await asyncio.to_thread(service.submit, lead)
        await asyncio.to_thread(handoff.request, tracker.sender_id, lead.channel, "request_human", result.reference)
        notify_staff("handoff", result.reference, lead.channel, programmes=lead.programmes)
        after_hours = office_hours.when_we_answer(get_kb().contacts.office_hours, utcnow())
        return await send(dialogue.request_human(ctx, result.reference, after_hours,
                                                 again=result.outcome == "merged"), dispatcher, tracker)


def failed_just_before(tracker: Tracker) -> bool:
    """Whether the assistant's previous answer was also the low-confidence fallback."""
    actions = [e.get("name") for e in tracker.events if e.get("event") == "action"
               and e.get("name") not in ("action_listen", None)]
    return bool(actions) and actions[-1] == "action_fallback"


class Fallback(Action):
    """Low confidence: suggest topics; the second time in a row, hand over to a counsellor."""

    def name(self) -> Text:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        ctx = context_from(tracker)
        reply = dialogue.answer_turn("nlu_fallback", ctx, dialogue.fallback)
        if not reply.unanswered or not failed_just_before(tracker):
            return await send(reply, dispatcher, tracker)  # answered from the knowledge base, or a first miss
        channel = channel_name(tracker)
        await asyncio.to_thread(handoff.request, tracker.sender_id, channel, "failed_twice")
        notify_staff("handoff", "(không có mã)", channel)
        return await send(dialogue.handed_over_after_failures(office_hours.when_we_answer(get_kb().contacts.office_hours, utcnow())),
                          dispatcher, tracker)


def erase_and_reply(tracker: Tracker) -> Reply:
    channel = channel_name(tracker)

    def erase() -> str:
        erasure = service.erase_sender(channel, tracker.sender_id)
        return dialogue.erased_text(erasure)

    return dialogue.handle_affirm(context_from(tracker), erase)


class DeleteMyData(Action):
    """delete_my_data: say what is kept and ask to confirm; asked again ("xóa hết đi"), erase."""

    def name(self) -> Text:
        return "action_delete_my_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        if dialogue.keeps_data(context_from(tracker)):  # "không xóa nữa"
            return await send(dialogue.KEEP_DATA, dispatcher, tracker)
        if tracker.get_slot("pending_offer") == "delete_my_data":
            return clear_lead_slots() + await send(await asyncio.to_thread(erase_and_reply, tracker), dispatcher, tracker)
        stored = await asyncio.to_thread(service.stored_count, tracker.sender_id)
        return await send(dialogue.confirm_delete(stored), dispatcher, tracker)


class Affirm(Action):
    """'yes' to what the assistant offered: start the form, erase data, or answer the offered topic."""

    def name(self) -> Text:
        return "action_affirm"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        if tracker.get_slot("pending_offer") == "register_interest":
            followed = dialogue.question_not_yes(context_from(tracker))
            if followed is not None:  # "còn bây giờ?": answered; the offer stays on its button
                return await send(followed, dispatcher, tracker)
            return [SlotSet("pending_offer", None), FollowupAction("action_register_interest")]
        erasing = tracker.get_slot("pending_offer") == "delete_my_data"
        return (clear_lead_slots() if erasing else []) + await send(await asyncio.to_thread(erase_and_reply, tracker),
                                                                    dispatcher, tracker)


_flusher_started = threading.Event()


def ensure_outbox_flusher() -> None:
    """Deliver queued leads in the background once the database answers again."""
    every = float(os.environ.get("OUTBOX_FLUSH_SECONDS", "30"))
    if every <= 0 or _flusher_started.is_set():
        return
    _flusher_started.set()

    def loop() -> None:
        while True:
            threading.Event().wait(every)
            try:
                service.flush_outbox()
            except Exception:  # the flusher must never die
                logger.exception("outbox flush failed")

    threading.Thread(target=loop, name="outbox-flusher", daemon=True).start()
