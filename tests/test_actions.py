"""The rasa-sdk actions with real Tracker and CollectingDispatcher objects."""

from __future__ import annotations

import asyncio
from typing import Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

import actions.actions as acts
from bot.storage import questions


def tracker(text: str, intent: str, entities: Optional[List[Dict]] = None, sender: str = "rest:test-user",
            ranking: Optional[List[str]] = None, **slots) -> Tracker:
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": entities or [],
        "intent_ranking": [{"name": n, "confidence": 0.1} for n in (ranking or [intent])],
    }
    events = [{"event": "user", "text": text, "input_channel": "rest", "parse_data": message}]
    return Tracker(sender, slots, message, events, False, None, {}, "action_listen")


def _executor():
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")  # what `rasa run actions` registers
    return executor


EXECUTOR = _executor()


def run(name: str, t: Tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(EXECUTOR.actions[name](dispatcher, t, {}))
    return dispatcher.messages, events


def action(name: str) -> str:
    assert name in EXECUTOR.actions, name
    return name


def test_every_domain_action_is_implemented():
    import yaml
    from pathlib import Path

    domain = yaml.safe_load((Path(__file__).resolve().parents[1] / "domain.yml").read_text())
    assert sorted(domain["actions"]) == sorted(EXECUTOR.actions)


def test_policy_action_replies_with_amounts_and_remembers_the_policy(use_db):
    messages, events = run(action("action_answer_policy"),
                           tracker("Học bổng chính sách theo QĐ 53 bao nhiêu một tháng?", "ask_policy",
                                   [{"entity": "policy", "value": "QĐ 53"}]))
    assert len(messages) == 1
    assert "100% lương cơ sở = 2.530.000 đ/tháng" in messages[0]["text"]
    assert "Theo Điều 3 QĐ 53/2015/QĐ-TTg" in messages[0]["text"]
    assert {"title": "Em được hỗ trợ gì?", "payload": "/check_eligibility"} in messages[0]["buttons"]
    assert SlotSet("policy", "qd53") in events
    assert SlotSet("pending_question", None) in events


def test_tuition_action_uses_the_remembered_programme(use_db):
    messages, events = run(action("action_answer_tuition"),
                           tracker("thế học phí bao nhiêu", "ask_tuition", programme="han"))
    assert messages[0]["text"].startswith("Học phí nghề Hàn")
    assert SlotSet("pending_offer", "check_eligibility") in events


def test_button_payload_text_is_not_read_as_words(use_db):
    messages, _ = run(action("action_answer_admission"),
                      tracker('/ask_admission{"aspect": "papers"}', "ask_admission", [{"entity": "aspect", "value": "papers"}]))
    assert "Bản sao giấy khai sinh" in messages[0]["text"]


def test_unknown_programme_is_stored_with_channel_and_time(use_db):
    messages, _ = run(action("action_answer_programme_info"),
                      tracker("nghề lái máy bay học mấy năm", "ask_programme_info",
                              [{"entity": "programme", "value": "lái máy bay"}], sender="rest:asker"))
    assert "chưa có thông tin" in messages[0]["text"]
    stored = [q for q in questions.list_unanswered(url=use_db) if q.sender_id == "rest:asker"]
    assert [(q.text, q.channel, q.reason, q.intent) for q in stored] == [
        ("nghề lái máy bay học mấy năm", "rest", "unknown_programme", "ask_programme_info")]


def test_fallback_action_stores_the_question(use_db):
    messages, _ = run(action("action_fallback"),
                      tracker("ờ cái vụ hôm bữa ấy", "nlu_fallback", sender="rest:fb", ranking=["nlu_fallback", "ask_tuition", "ask_policy"]))
    assert messages[0]["buttons"][0]["payload"] == "/ask_tuition"
    assert questions.count_for_sender("rest:fb", url=use_db) == 1


def test_delete_my_data_asks_then_erases_on_yes(use_db):
    questions.record_unanswered("câu hỏi cũ", "rest", "rest:del", "low_confidence", url=use_db)
    messages, events = run(action("action_delete_my_data"), tracker("xóa thông tin của tôi", "delete_my_data", sender="rest:del"))
    assert "1 mục thông tin" in messages[0]["text"]
    assert SlotSet("pending_offer", "delete_my_data") in events
    messages, _ = run(action("action_affirm"), tracker("vâng", "affirm", sender="rest:del", pending_offer="delete_my_data"))
    assert messages[0]["text"].startswith("Đã xóa")
    assert questions.count_for_sender("rest:del", url=use_db) == 0


def test_delete_my_data_keeps_data_on_no(use_db):
    questions.record_unanswered("câu hỏi cũ", "rest", "rest:keep", "low_confidence", url=use_db)
    messages, _ = run(action("action_deny"), tracker("thôi không", "deny", sender="rest:keep", pending_offer="delete_my_data"))
    assert "không xóa" in messages[0]["text"]
    assert questions.count_for_sender("rest:keep", url=use_db) == 1
    # The NLU hears the erasure in "thôi không xóa nữa": kept, and said so.
    messages, events = run(action("action_delete_my_data"), tracker("thôi không xóa nữa", "delete_my_data", sender="rest:keep"))
    assert messages[0]["text"].startswith("Vâng, mình giữ nguyên thông tin") and questions.count_for_sender("rest:keep", url=use_db) == 1
    messages, _ = run(action("action_delete_my_data"), tracker("sao không xóa được?", "delete_my_data", sender="rest:keep"))
    assert "1 mục thông tin" in messages[0]["text"]  # a complaint still asks for the erasure


def test_storage_failure_does_not_break_the_reply(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    messages, _ = run(action("action_fallback"), tracker("???", "nlu_fallback"))
    assert messages[0]["text"].startswith("Xin lỗi")


@pytest.mark.parametrize("intent", sorted(acts.ANSWERS))
def test_every_answer_action_replies_in_vietnamese(intent, use_db):
    messages, _ = run(action(acts.action_name(intent)), tracker("", intent))
    assert messages and messages[0]["text"]


def test_registration_is_offered_once_after_three_answers(use_db):
    t = tracker("học phí bao nhiêu", "ask_tuition")
    t.events += [{"event": "action", "name": "action_answer_programmes"}, {"event": "action", "name": "action_answer_policy"}]
    messages, events = run("action_answer_admission", t)
    assert "để lại thông tin" in messages[0]["text"]
    assert SlotSet("pending_offer", "register_interest") in events and SlotSet("lead_offered", True) in events
    # Self-describing: pressed later (after another button reset the offer) it still registers.
    assert messages[0]["buttons"][0] == {"title": "Có, gọi lại cho em", "payload": "/register_interest"}
    messages, _ = run("action_answer_policy", Tracker("rest:offer", {"lead_offered": True}, t.latest_message, t.events,
                                                        False, None, {}, "action_listen"))
    assert "để lại thông tin" not in messages[0]["text"]


def test_yes_to_the_registration_offer_starts_the_form(use_db):
    from rasa_sdk.events import FollowupAction

    _, events = run("action_affirm", tracker("vâng", "affirm", pending_offer="register_interest"))
    assert FollowupAction("action_register_interest") in events


def test_asking_twice_to_delete_is_the_confirmation(use_db):
    questions.record_unanswered("câu hỏi cũ", "rest", "rest:twice", "low_confidence", url=use_db)
    messages, _ = run("action_delete_my_data", tracker("xóa hết đi", "delete_my_data", sender="rest:twice",
                                                       pending_offer="delete_my_data"))
    assert messages[0]["text"].startswith("Đã xóa")
    assert questions.count_for_sender("rest:twice", url=use_db) == 0


def test_second_failure_in_a_row_hands_the_conversation_to_a_counsellor(use_db):
    from sqlalchemy import select

    from bot.storage.db import session_scope
    from bot.storage.models import Handoff

    once, _ = run(action("action_fallback"), tracker("ờ cái vụ hôm bữa ấy", "nlu_fallback", sender="rest:fail-once"))
    assert once[0]["text"].startswith("Xin lỗi, mình chưa hiểu rõ")
    again = tracker("thì cái đó đó", "nlu_fallback", sender="rest:fail-twice")
    again.events.insert(0, {"event": "action", "name": "action_fallback"})
    twice, _ = run(action("action_fallback"), again)
    assert "chuyển cuộc trò chuyện cho cán bộ tư vấn" in twice[0]["text"]
    with session_scope(use_db) as session:
        rows = {h.sender_id: h for h in session.scalars(select(Handoff))}
    assert "rest:fail-once" not in rows
    assert (rows["rest:fail-twice"].reason, rows["rest:fail-twice"].status) == ("failed_twice", "waiting")


def test_answered_questions_are_counted_per_day_and_unanswered_ones_are_not(use_db):
    from bot import clock
    from bot.storage.questions import answered_between

    today = clock.today()
    before = answered_between(today, today, url=use_db)
    run(action("action_answer_tuition"), tracker("học phí nghề hàn bao nhiêu", "ask_tuition", sender="rest:count"))
    run(action("action_answer_policy"), tracker("QĐ 53 hỗ trợ gì", "ask_policy", sender="rest:count"))
    run(action("action_fallback"), tracker("ờ cái vụ kia", "nlu_fallback", sender="rest:count"))
    assert answered_between(today, today, url=use_db) == before + 2
