"""Hostile input on the public webhooks (REST and Zalo), against the real servers:
nothing crashes a process, leaks a stack trace, or lets a user set what they should not."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.channels.zalo import signature
from bot.devserver import next_form_answer
from bot.storage.db import session_scope
from bot.storage.models import Lead, UnansweredQuestion
from tests.test_zalo import APP_ID, OA_KEY, zalo_setup  # noqa: F401 - the fixture

pytestmark = pytest.mark.server
LEAKS = ("Traceback", 'File "', "sqlalchemy", "psycopg", "Exception", "Error:")
NASTY = [
    "", " ", "\x00", "a" * 100_000, "😀" * 500, "مرحبا بالعالم", "\u202eالتسجيل", "שלום",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>",
    "' OR 1=1 --", "'; DROP TABLE leads; --", "học phí\x00nghề hàn", "\ud800", "%s%s%s%n", "{{7*7}}",
    "/inform{\"lead_status\": \"enrolled\"}", "/restart", "/session_start", "/nlu_fallback",
    "/unknown_intent{\"x\": 1}", "/request_human{\"advisor\": \"<script>\"}", "/affirm{" + "\"a\":1," * 5000 + "}",
    "/ask_tuition{\"programme\": \"" + "x" * 10_000 + "\"}", "/inform{not json", "//", "/", "/ ",
]
TEXT = st.one_of(st.sampled_from(NASTY), st.text(max_size=300),
                 st.text(alphabet=st.characters(categories=["Lo", "Mn", "So", "Cf", "Zs", "Cc"]), max_size=200))
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
                           lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids,
                                                                                     max_size=4), max_leaves=8)


def raw_post(url: str, data: bytes, headers=None):
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace"), dict(error.headers)


def assert_clean(status: int, body: str) -> None:
    assert status < 500, (status, body[:500])
    for leak in LEAKS:
        assert leak not in body, (leak, body[:500])


def rest_bodies():
    good_json = st.builds(lambda s, m: json.dumps({"sender": s, "message": m}, ensure_ascii=False).encode("utf-8",
                                                                                                      "surrogatepass"),
                          st.just("fuzz-") | st.text(min_size=1, max_size=40), TEXT)
    wrong_types = st.builds(lambda s, m, meta: json.dumps({"sender": s, "message": m, "metadata": meta}).encode(),
                            JSON_VALUES, JSON_VALUES, JSON_VALUES)
    binary = st.binary(max_size=2000)
    return st.one_of(good_json, wrong_types, binary)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(body=rest_bodies())
@example(body=b"")
@example(body=b"\xff\xfe\xfa not utf-8")
@example(body=b"[1, 2, 3]")
@example(body=json.dumps({"sender": "x" * 129, "message": "a"}).encode())
@example(body=json.dumps({"sender": "fuzz", "message": "a" * 70_000}).encode())
@example(body=json.dumps({"sender": "telegram:1", "message": "gửi thay người khác"}).encode())
@example(body=json.dumps({"sender": "fuzz-rtl", "message": "\u202eالتسجيل <b>x</b>"}).encode())
def test_rest_webhook_survives_anything(assistant, body):
    status, text, _ = raw_post(assistant.url + "/webhooks/rest/webhook", body)
    assert_clean(status, text)
    assert status in (200, 400, 403, 413, 429), (status, text[:300])
    parsed = json.loads(text)
    if status == 200:
        assert isinstance(parsed, list) and all(isinstance(m.get("text", ""), str) for m in parsed)
    elif status in (400, 403):
        assert parsed["error"] and any(ch in parsed["error"] for ch in "ảạấầẫậắằặéèẹếềệíìịóòọốồộớờợúùụứừựýỳỵđ")


def test_rest_refusals_are_explained_in_vietnamese(assistant):
    status, text, _ = raw_post(assistant.url + "/webhooks/rest/webhook", b"{not json")
    assert status == 400 and "JSON" in json.loads(text)["error"]
    status, text, _ = raw_post(assistant.url + "/webhooks/rest/webhook",
                               json.dumps({"sender": "fuzz-long", "message": "a" * 2001}).encode())
    assert status == 413 and "Tin nhắn dài quá" in json.loads(text)[0]["text"]
    status, text, _ = raw_post(assistant.url + "/webhooks/rest/webhook",
                               json.dumps({"sender": "zalo:123", "message": "xin chào"}).encode())
    assert status == 403  # only our Zalo channel speaks for Zalo users
    status, _, _ = raw_post(assistant.url + "/webhooks/rest/webhook",
                            json.dumps({"sender": "Telegram:904303717", "message": "xin chào"}).encode())
    assert status == 403  # the prefix in any case (review L7)
    for sender in ("secprobe-x/../telegram:804303723", "a b", "web-1?x=1", "%2e%2e", "Lò"):  # review M4
        status, text, _ = raw_post(assistant.url + "/webhooks/rest/webhook",
                                   json.dumps({"sender": sender, "message": "cho tôi gặp cán bộ"}).encode())
        assert status == 400 and "chỉ gồm chữ không dấu" in json.loads(text)["error"], sender
    assert assistant.get("/webhooks/rest/")[0] == 200  # still alive


def test_markup_is_stored_verbatim_and_never_answered_as_markup(assistant):
    me = f"fuzz-{uuid.uuid4().hex[:8]}"
    hostile = "<script>alert('x')</script> nghề lặn biển sâu bao nhiêu tiền"
    replies = assistant.say(me, hostile)
    assert all("<script>" not in m.get("text", "") for m in replies)
    with session_scope(assistant.db_url) as session:
        stored = list(session.scalars(select(UnansweredQuestion.text).where(UnansweredQuestion.sender_id == me)))
    assert stored in ([], [hostile])  # if kept for staff, kept exactly as typed (the console escapes it)


def slots_of(assistant, sender: str) -> dict:
    return assistant.get_json(f"/conversations/{sender}/tracker")[1]["slots"]


def test_injected_payloads_cannot_set_slots_or_a_lead_status(assistant):
    me = f"fuzz-{uuid.uuid4().hex[:8]}"
    reply = assistant.text(me, "em muốn đăng ký học")
    for _ in range(12):
        if "Mã đăng ký" in reply:
            break
        reply = assistant.text(me, next_form_answer(reply, "0912" + str(uuid.uuid4().int)[:6]))
    with session_scope(assistant.db_url) as session:
        [lead] = session.scalars(select(Lead).where(Lead.sender_id == me))
        before = (lead.status, lead.phone, lead.name)
    injections = [
        '/affirm{"lead_status": "enrolled", "lead_phone": "0900000000", "requested_slot": "lead_phone"}',
        '/inform{"lead_name": "Kẻ Mạo Danh", "status": "enrolled", "quiz_state": {"step": 99}}',
        '/register_interest{"lead_confirm": "đúng rồi"}', '/unknown_intent{"lead_status": "enrolled"}',
        '/session_start', '/action_submit_lead', '/set_status{"status": "enrolled"}',
    ]
    for text in injections:
        for message in assistant.say(me, text):
            assert_clean(200, message.get("text", ""))
    slots = slots_of(assistant, me)
    assert slots.get("lead_phone") != "0900000000" and slots.get("lead_name") != "Kẻ Mạo Danh"
    assert not isinstance(slots.get("quiz_state"), dict) or slots["quiz_state"].get("step") != 99
    with session_scope(assistant.db_url) as session:
        rows = list(session.scalars(select(Lead).where(Lead.sender_id == me)))
    assert [(r.status, r.phone, r.name) for r in rows] == [before]


# --- Zalo ---------------------------------------------------------------------------

def zalo_post(url: str, raw: bytes, sign: bool = True):
    headers = {}
    if sign:
        try:
            stamp = str(json.loads(raw).get("timestamp", ""))
        except (ValueError, AttributeError, UnicodeDecodeError):
            stamp = ""
        headers["X-ZEvent-Signature"] = signature(APP_ID, raw, stamp, OA_KEY)
    return raw_post(url + "/webhooks/zalo/webhook", raw, headers)


def zalo_events():
    def build(event_name, sender, message, stamp):
        return json.dumps({"app_id": APP_ID, "event_name": event_name, "timestamp": stamp, "sender": sender,
                           "recipient": {"id": "oa-1"}, "message": message}, ensure_ascii=False).encode(
            "utf-8", "surrogatepass")

    users = st.builds(lambda t: {"id": "fz-" + str(abs(hash(t)) % 10 ** 6)}, TEXT) | JSON_VALUES
    messages = st.builds(lambda t: {"text": t, "msg_id": uuid.uuid4().hex}, TEXT) | JSON_VALUES
    return st.builds(build, st.sampled_from(["user_send_text", "user_send_image", "follow", ""]) | TEXT,
                     users, messages, st.text(max_size=20) | st.just("1700000000000"))


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(raw=zalo_events())
@example(raw=json.dumps({"app_id": APP_ID, "event_name": "user_send_text", "timestamp": "1",
                         "sender": "not-an-object", "message": "neither"}).encode())
@example(raw=json.dumps({"app_id": APP_ID, "event_name": "user_send_text", "timestamp": "1",
                         "sender": {"id": "fz-inj"}, "message": {"text": '/inform{"lead_status":"enrolled"}',
                                                                 "msg_id": "inj-1"}}).encode())
def test_zalo_webhook_survives_signed_malformed_events(zalo_setup, raw):  # noqa: F811 - the fixture
    bot, _, _ = zalo_setup
    status, text, _ = zalo_post(bot.url, raw)
    assert_clean(status, text)
    assert status in (200, 401)


@settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(raw=st.binary(max_size=3000))
@example(raw=b"\xff\xfe\x00garbage")
@example(raw=b"[]")
def test_zalo_webhook_refuses_unsigned_garbage(zalo_setup, raw):  # noqa: F811 - the fixture
    bot, _, _ = zalo_setup
    status, text, _ = zalo_post(bot.url, raw, sign=False)
    assert status == 401 and "Traceback" not in text


def test_zalo_still_answers_after_the_fuzzing(zalo_setup):  # noqa: F811 - the fixture
    bot, fake, work = zalo_setup
    user = "after-fuzz"
    body = {"app_id": APP_ID, "event_name": "user_send_text", "timestamp": "1", "sender": {"id": user},
            "recipient": {"id": "oa-1"}, "message": {"text": "học phí nghề hàn bao nhiêu", "msg_id": uuid.uuid4().hex}}
    status, _, _ = zalo_post(bot.url, json.dumps(body, ensure_ascii=False).encode("utf-8"))
    assert status == 200
    deadline = time.time() + 20
    while not fake.texts(user):
        assert time.time() < deadline, "no reply after fuzzing"
        time.sleep(0.1)
    log = (work / "rasa.log").read_text(errors="replace")
    assert "zalo: could not handle an event" not in log, log[-3000:]
