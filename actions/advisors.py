"""Thin rasa-sdk actions for the two questionnaires: the support check and the career quiz.

Each is a Rasa form with one slot (`eligibility_answer`, `quiz_answer`) filled from the
user's text and asked again until bot/advisors says the questionnaire is over. The
questions, the reading of answers and the results are in bot/; the state lives in slots
(`profile` + `eligibility_asked`, `quiz_state`), so a stopped questionnaire resumes.

A question typed instead of an answer ("học phí bao nhiêu?") is answered and the pending
question is asked again; another request ("đăng ký", "gặp cán bộ") ends the questionnaire
(its answers are kept) and is handled by the action its rule names.
"""

from __future__ import annotations

import abc
import asyncio
import inspect
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import answer_inside_form, channel_name, context_from, send, utter
from bot import dialogue
from bot.advisors import quiz, support_form
from bot.advisors.choices import asks_progress, wants_to_stop
from bot.answers.format import is_question
from bot.answers.eligibility import result_reply
from bot.answers.reply import Reply, button
from bot.clock import today
from bot.kb import get_kb
from bot.profile import Profile
from bot.storage import quiz as quiz_store

logger = logging.getLogger(__name__)
RULES_FILE = Path(__file__).resolve().parents[1] / "data" / "rules.yml"
DONE, STOPPED, INTERRUPTED = "done", "stopped", "interrupted"
CONFIDENT = 0.8


@lru_cache(maxsize=1)
def rule_actions() -> Dict[str, str]:
    """intent -> the first action its rule runs (data/rules.yml is the one place for this)."""
    rules = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))["rules"]
    mapping: Dict[str, str] = {}
    for rule in rules:
        steps = rule.get("steps") or []
        if len(steps) >= 2 and "intent" in steps[0] and "action" in steps[1] and not rule.get("condition"):
            mapping.setdefault(steps[0]["intent"], steps[1]["action"])
    return mapping


def latest_intent(tracker: Tracker) -> tuple:
    intent = (tracker.latest_message or {}).get("intent") or {}
    return intent.get("name"), intent.get("confidence")


class Questionnaire(Action, metaclass=abc.ABCMeta):
    """validate_<form>: read one answer, then ask again or finish (with an outcome)."""

    answer_slot = ""
    # Intents that are expected as answers here (free text describing oneself, interests).
    own_intents: tuple = ()

    def finish(self, outcome: str, extra: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
        return extra + [SlotSet(self.answer_slot, outcome), SlotSet("advisor_outcome", outcome),
                        SlotSet("requested_slot", None)]

    def again(self, extra: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
        return extra + [SlotSet(self.answer_slot, None), SlotSet("requested_slot", self.answer_slot)]

    @abc.abstractmethod
    def apply(self, text: str, tracker: Tracker) -> tuple:
        """(events, stop, understood, finished, said) after reading `text`; `said` is what to tell
        the person first ("Mình đã sửa: học trung cấp."), or None."""

    @abc.abstractmethod
    def exact(self, text: str, tracker: Tracker) -> bool:
        """Whether `text` is a button of the current question (or its number or title)."""

    def other_request(self, text: str, tracker: Tracker) -> bool:
        """A confident, different request ("trường có những khóa sơ cấp nào?") is not an answer,
        even if it contains an answer's words ("sơ cấp")."""
        intent, confidence = latest_intent(tracker)
        return (intent not in self.own_intents and dialogue.interrupts(intent, confidence)
                and (confidence or 0) >= CONFIDENT and not self.exact(text, tracker))

    def progress(self, tracker: Tracker) -> Optional[str]:
        """How far the questionnaire is ("bài này có mấy câu?"), when it can say."""
        return None

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        value = tracker.slots_to_validate().get(self.answer_slot)
        if value is None:
            return []
        progress = self.progress(tracker) if asks_progress(str(value)) else None
        if progress:  # a question about the questionnaire itself: answered, and it goes on
            utter(dispatcher, Reply(progress))
            return self.again([])
        if not wants_to_stop(str(value)) and self.other_request(str(value), tracker):
            answered = answer_inside_form(dispatcher, tracker)
            if answered is not None:  # a question: answered here, then the pending question again
                return self.again(answered)
            return self.finish(INTERRUPTED, [])  # ("thôi" may look like goodbye: it stops, it is not a request)
        events, stop, understood, finished, said = self.apply(str(value), tracker)
        if said:
            utter(dispatcher, Reply(said))
        if stop:
            return self.finish(STOPPED, events)
        if not understood:
            answered = answer_inside_form(dispatcher, tracker) if is_question(str(value)) else None
            if answered is not None:  # a question the NLU was not sure of, that the knowledge base answers
                return self.again(events + answered)
            if dialogue.interrupts(*latest_intent(tracker)):
                return self.finish(INTERRUPTED, events)
            utter(dispatcher, Reply(dialogue.NOT_UNDERSTOOD))
            return self.again(events)
        return self.finish(DONE, events) if finished else self.again(events)


def asked_of(tracker: Tracker) -> List[str]:
    return list(tracker.get_slot("eligibility_asked") or [])


class ValidateEligibilityForm(Questionnaire):
    answer_slot = "eligibility_answer"
    own_intents = ("check_eligibility",)

    def other_request(self, text: str, tracker: Tracker) -> bool:
        """Facts about the learner ("đã tốt nghiệp THCS", "nhà em ở xã Mù Cả") answer the form, even
        typed for another question than the one asked; only a question is another request."""
        from bot.profile import read

        ctx = context_from(tracker)
        if not read(text, ctx.kb, ctx.today, ctx.entities).is_empty() and not is_question(text):
            return False
        return super().other_request(text, tracker)

    def exact(self, text: str, tracker: Tracker) -> bool:
        question = support_form.by_id(get_kb(), tracker.get_slot("eligibility_asking"))
        return question is not None and support_form.is_exact_answer(question, text)

    def name(self) -> Text:
        return "validate_eligibility_form"

    def apply(self, text: str, tracker: Tracker) -> tuple:
        kb, day = get_kb(), today()
        profile = Profile.from_slot(tracker.get_slot("profile"))
        asked = asked_of(tracker)
        question = support_form.by_id(kb, tracker.get_slot("eligibility_asking")) or \
            support_form.next_question(profile, asked, kb, day)
        if question is None:
            return [], False, True, True, None
        reading = support_form.read(question, text, profile, kb, context_from(tracker).entities, day)
        if reading.answered:
            asked.append(question.id)
        events = [SlotSet("profile", reading.profile.as_slot() or None), SlotSet("eligibility_asked", asked)]
        finished = support_form.next_question(reading.profile, asked, kb, day) is None
        return events, reading.stop, reading.understood, finished, reading.corrected


class AskEligibilityAnswer(Action):
    def name(self) -> Text:
        return "action_ask_eligibility_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        kb, day = get_kb(), today()
        profile, asked = Profile.from_slot(tracker.get_slot("profile")), asked_of(tracker)
        remaining = support_form.open_questions(profile, asked, kb, day)
        if not remaining:
            return []
        utter(dispatcher, support_form.ask(remaining[0], len(asked) + 1, len(remaining) - 1))
        return [SlotSet("eligibility_asking", remaining[0].id)]


def _subclasses(cls: type) -> List[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub] + _subclasses(sub)
    return found


def action_named(name: str) -> Optional[Action]:
    for cls in _subclasses(Action):
        if inspect.isabstract(cls):
            continue
        action = cls()
        try:
            if action.name() == name:
                return action
        except NotImplementedError:  # rasa-sdk's own base classes
            continue
    return None


async def handed_over(tracker: Tracker, dispatcher: CollectingDispatcher, domain: Dict[Text, Any],
                      note: str) -> Optional[List[Dict[Text, Any]]]:
    """After an interruption: say what was kept and handle the new request right here, with the
    action its rule names (run in this action, so Rasa's rules stay as they are)."""
    if tracker.get_slot("advisor_outcome") != INTERRUPTED:
        return None
    dispatcher.utter_message(text=note)
    intent, _ = latest_intent(tracker)
    name = rule_actions().get(intent or "")
    if name and name.startswith("utter_"):
        dispatcher.utter_message(response=name)
        return []
    action = action_named(name) if name else None
    return list(await action.run(dispatcher, tracker, domain)) if action else []


class EligibilityResult(Action):
    """After the support form: the result for what is known (or hand over to another request)."""

    def name(self) -> Text:
        return "action_eligibility_result"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        reset = [SlotSet("eligibility_answer", None), SlotSet("eligibility_asking", None), SlotSet("advisor_outcome", None)]
        other = await handed_over(tracker, dispatcher, domain,
                                  "(Mình tạm dừng phần hỏi hoàn cảnh; các câu bạn đã trả lời vẫn được giữ.)")
        if other is not None:
            return reset + other
        reply = result_reply(context_from(tracker), Profile.from_slot(tracker.get_slot("profile")), asked_of(tracker))
        reply.slots.setdefault("topic", "check_eligibility")
        return reset + await send(reply, dispatcher, tracker)


class ValidateCareerQuizForm(Questionnaire):
    answer_slot = "quiz_answer"
    own_intents = ("ask_career_advice",)

    def exact(self, text: str, tracker: Tracker) -> bool:
        return quiz.is_exact_answer(get_kb().quiz, tracker.get_slot("quiz_state") or quiz.new_state(), text)

    def name(self) -> Text:
        return "validate_career_quiz_form"

    def progress(self, tracker: Tracker) -> Optional[str]:
        return quiz.progress(get_kb().quiz, tracker.get_slot("quiz_state") or quiz.new_state())

    def apply(self, text: str, tracker: Tracker) -> tuple:
        kb = get_kb()
        reading = quiz.read(kb.quiz, tracker.get_slot("quiz_state") or quiz.new_state(), text)
        finished = quiz.next_step(kb.quiz, reading.state) is None
        return [SlotSet("quiz_state", reading.state)], reading.stop, reading.understood, finished, None


class AskQuizAnswer(Action):
    def name(self) -> Text:
        return "action_ask_quiz_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        utter(dispatcher, quiz.ask(get_kb().quiz, tracker.get_slot("quiz_state") or quiz.new_state()))
        return []


RESUME_BUTTON = button("Làm tiếp trắc nghiệm", "ask_career_advice", advisor="start")


class QuizResultAction(Action):
    """After the quiz: the result (stored anonymously), or where it stopped."""

    def name(self) -> Text:
        return "action_quiz_result"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        kb = get_kb()
        state = tracker.get_slot("quiz_state") or quiz.new_state()
        reset = [SlotSet("quiz_answer", None), SlotSet("advisor_outcome", None)]
        done = len(quiz.answers_of(state))
        other = await handed_over(tracker, dispatcher, domain, f"(Mình tạm dừng bài trắc nghiệm ở câu {done + 1}; "
                                                               "nhắn \"làm tiếp trắc nghiệm\" để làm tiếp.)")
        if other is not None:
            return reset + other
        if tracker.get_slot("advisor_outcome") == STOPPED:
            text = (f"Đã tạm dừng bài trắc nghiệm (đã trả lời {done}/{quiz.total_steps(kb.quiz)} câu). "
                    "Khi muốn làm tiếp, bấm nút bên dưới hoặc nhắn \"làm tiếp trắc nghiệm\".")
            return reset + await send(Reply(text, [RESUME_BUTTON] + dialogue.main_menu()), dispatcher, tracker)
        events = reset + [SlotSet("quiz_state", None)]
        try:
            result_id = await asyncio.to_thread(quiz_store.record_result, quiz.summary(kb, state), channel_name(tracker))
            events.append(SlotSet("quiz_result_id", result_id))
        except Exception:  # the person still gets their result
            logger.exception("could not store a quiz result")
        reply = quiz.result_reply(kb, state)
        reply.slots.setdefault("topic", "quiz")
        return events + await send(reply, dispatcher, tracker)
