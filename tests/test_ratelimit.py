"""Rate limits (memory and Redis, Redis going away and back), the payload guard, the
resilient Redis lock store, and the console's sign-in limit per address."""

from __future__ import annotations

import logging
import re
import time

import httpx
import pytest

from bot.channels.guard import clean_text, guard_payload, too_long
from bot.ratelimit import RateLimiter, parse_rules
from tests.services import PrivateRedis


class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_rules_are_parsed_and_bad_ones_named():
    assert parse_rules("8/10, 40/300") == [(8, 10), (40, 300)]
    with pytest.raises(ValueError, match="'8/x'"):
        parse_rules("8/x")
    with pytest.raises(ValueError):
        parse_rules("0/10")


def test_memory_limiter_refuses_over_the_limit_says_it_once_and_forgets_old_windows():
    clock = Clock()
    limiter = RateLimiter([(3, 10), (5, 300)], clock=clock)
    assert [limiter.hit("a").allowed for _ in range(3)] == [True] * 3
    fourth, fifth = limiter.hit("a"), limiter.hit("a")
    assert not fourth.allowed and fourth.first_refusal and 1 <= fourth.retry_after <= 10
    assert not fifth.allowed and not fifth.first_refusal
    assert limiter.hit("b").allowed  # per sender
    clock.now += 10
    assert limiter.hit("a").allowed is False  # the 5-minute window is full now (6 > 5)
    clock.now += 300
    assert limiter.hit("a").allowed
    assert all(slot_end > clock.now for (window, slot, _), slot_end in
               (((w, s, k), (s + 1) * w) for (w, s, k) in limiter._memory))  # old windows were forgotten


def test_the_named_process_limiter_survives_its_cleanup(monkeypatch):
    from bot import ratelimit

    ratelimit.limiter.cache_clear()
    monkeypatch.setenv("RATE_LIMIT", "5/10")
    clock = Clock()
    named = ratelimit.limiter("messages")
    named.clock = clock
    for _ in range(3):
        assert named.hit("web-1").allowed
        clock.now += 61  # each hit after a minute: the cleanup runs
    ratelimit.limiter.cache_clear()


@pytest.fixture(scope="module")
def redis_server():
    server = PrivateRedis()
    try:
        server.start()
    except (OSError, RuntimeError) as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"redis-server not available: {exc}")
    yield server
    server.stop()


def test_redis_counts_are_shared_between_processes_and_survive_an_outage(redis_server, caplog):
    clock = Clock()
    one = RateLimiter([(4, 60)], redis_server.url, prefix="t1", clock=clock)
    two = RateLimiter([(4, 60)], redis_server.url, prefix="t1", clock=clock)  # another Rasa instance
    assert [one.hit("s").allowed, two.hit("s").allowed, one.hit("s").allowed, two.hit("s").allowed] == [True] * 4
    assert not one.hit("s").allowed and not two.hit("s").allowed
    caplog.set_level(logging.WARNING, logger="bot.redis_health")
    redis_server.stop()
    try:
        verdicts = [one.hit("t").allowed for _ in range(5)]  # counted in this process meanwhile
        assert verdicts == [True] * 4 + [False]
        assert sum("rate limiter: Redis unreachable" in r.getMessage() for r in caplog.records) == 1
    finally:
        redis_server.start()
    one.health.clock = lambda: 10 ** 9  # the retry delay has passed
    assert one.hit("u").allowed
    assert any("Redis reachable again" in r.getMessage() for r in caplog.records)


def test_resilient_lock_store_uses_memory_while_redis_is_down(redis_server, caplog):
    import asyncio

    from rasa.utils.endpoints import EndpointConfig

    from bot.rasa_stores import ResilientRedisLockStore

    store = ResilientRedisLockStore(EndpointConfig(url="127.0.0.1", port=redis_server.port, db=3))

    async def one_turn(sender: str):
        async with store.lock(sender):
            return True

    assert asyncio.run(one_turn("a"))
    redis_server.stop()
    try:
        caplog.set_level(logging.ERROR, logger="bot.redis_health")
        assert asyncio.run(one_turn("b")) and asyncio.run(one_turn("b"))
        assert any("lock store: Redis unreachable" in r.getMessage() for r in caplog.records)
        assert store.memory.conversation_locks == {}  # locks are released
    finally:
        redis_server.start()


@pytest.mark.parametrize("text, expected", [
    ("/ask_tuition", "/ask_tuition"),
    ('/ask_tuition{"programme": "han"}', '/ask_tuition{"programme": "han"}'),
    ('/inform{"lead_status": "enrolled", "programme": "han"}', '/inform{"programme": "han"}'),
    ('/inform{"programme": ["a", "b"]}', "/inform"),
    ("/not_an_intent", "not_an_intent"),
    ("/restart", "restart"),
    ('/ask_tuition{not json', 'ask_tuition{not json'),
    ("học phí bao nhiêu", "học phí bao nhiêu"),
])
def test_payload_guard(text, expected):
    assert guard_payload(text) == expected


def test_text_is_cleaned_and_length_capped():
    assert clean_text(" học\x00 phí\u200b\r ") == "học phí\u200b"
    assert clean_text("e\u0301") == "é"  # NFC
    assert too_long("a" * 2001) and not too_long("a" * 2000)


def five_sign_ins(client, headers=lambda i: {}):
    """Five wrong sign-ins in one fixed 60 s window of the limiter (SECURITY.md): the status codes,
    and the last reply."""
    while not 0.5 < time.time() % 60 < 40:  # five sign-ins must not straddle two windows
        time.sleep(0.2)
    codes = []
    for i in range(5):
        form = client.get("/console/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        reply = client.post("/console/login", data={"csrf_token": token, "username": "ai", "password": "x"},
                            headers=headers(i))
        codes.append(reply.status_code)
    return codes, reply


def test_console_sign_in_is_limited_per_address(tmp_path):
    from bot.devserver import running_console

    with running_console(tmp_path, f"sqlite:///{tmp_path / 'c.db'}", {"RATE_LIMIT_LOGIN": "3/60"}) as url:
        with httpx.Client(base_url=url, timeout=10) as client:
            codes, reply = five_sign_ins(client)
            assert codes[:3] == [401, 401, 401] and codes[3:] == [429, 429]
            assert "Có quá nhiều lần đăng nhập từ địa chỉ này" in reply.text


def test_rasa_action_response_check_is_the_same_with_the_validator_built_once():
    from jsonschema import ValidationError, validate
    from rasa.core.actions.action import RemoteAction

    from bot.rasa_speedups import validate_action_result

    schema = RemoteAction.action_response_format_spec()
    good = {"events": [{"event": "slot", "name": "programme", "value": "han"}], "responses": [{"text": "x"}]}
    bad = [{"events": "not a list"}, {"events": [{"event": 3}]}, {"events": [{"no_event": 1}]}, {"responses": "x"}]
    assert validate_action_result(None, good) is True
    validate(good, schema)
    for result in bad:
        with pytest.raises(ValidationError) as ours:
            validate_action_result(None, result)
        with pytest.raises(ValidationError) as theirs:
            validate(result, schema)
        assert ours.value.message.startswith(theirs.value.message)
        assert "Failed to validate Action server response" in ours.value.message


def test_a_forged_forwarded_for_from_an_untrusted_peer_changes_nothing(tmp_path):
    """Review L2: a client reaching the console directly chose, with X-Forwarded-For, the address the
    sign-in limit counted and the audit log recorded."""
    from sqlalchemy import select

    from bot.devserver import running_console
    from bot.storage.db import session_scope
    from bot.storage.models import AuditEntry

    db = f"sqlite:///{tmp_path / 'c.db'}"
    env = {"RATE_LIMIT_LOGIN": "3/60", "CONSOLE_TRUSTED_PROXIES": "10.9.9.9/32"}  # this test is no proxy
    with running_console(tmp_path, db, env) as url:
        with httpx.Client(base_url=url, timeout=10) as client:
            codes, _ = five_sign_ins(client, lambda i: {"X-Forwarded-For": f"203.0.113.{70 + i}"})
            assert codes[3:] == [429, 429]  # counted for the real peer, whatever the header said
    with session_scope(db) as session:
        addresses = set(session.scalars(select(AuditEntry.ip)))
    assert addresses and not any(a and a.startswith("203.0.113.") for a in addresses)
