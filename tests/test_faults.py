"""Faults in the production topology, with real processes: nginx, two Rasa instances and
two action servers, PostgreSQL (tracker store + leads) and Redis (locks, rate limits) of
the test's own, so stopping them does not touch anything else."""

from __future__ import annotations

import signal
import time
import uuid
from typing import Iterator, List

import httpx
import pytest
from sqlalchemy import select

from bot.channels.turns import GRACEFUL_ACTION_DOWN
from bot.devserver import MODEL, next_form_answer
from bot.storage.db import engine_for, session_scope
from bot.storage.models import Lead
from tests.services import PrivatePostgres, PrivateRedis, why_no_private_postgres

pytestmark = pytest.mark.server
RULES = "15/10,300/300"  # a person answering the form quickly stays under it; a script does not

try:
    from bot.topology import Topology, ensure_database, nginx_binary, running_topology

    nginx_binary()
    NO_NGINX = None
except RuntimeError as exc:  # pragma: no cover - depends on the machine
    NO_NGINX = str(exc)


@pytest.fixture(scope="module")
def services() -> Iterator[dict]:
    reason = NO_NGINX or why_no_private_postgres()
    if reason:
        print(f"\nSKIP fault tests: {reason}")
        pytest.skip(reason)
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run ./run test (it trains when needed)")
    pg, redis = PrivatePostgres(), PrivateRedis()
    pg.start()
    redis.start()
    db_url = pg.url.rsplit("/", 1)[0] + "/laichau"
    ensure_database(db_url)
    try:
        yield {"pg": pg, "redis": redis, "db_url": db_url}
    finally:
        redis.stop()
        pg.remove()


@pytest.fixture(scope="module")
def topo(services, tmp_path_factory) -> Iterator[Topology]:
    with running_topology(tmp_path_factory.mktemp("topology"), 2, services["db_url"], services["redis"].url,
                          extra_env={"OUTBOX_FLUSH_SECONDS": "1", "RATE_LIMIT": RULES}, console=False) as running:
        yield running


def say(topo: Topology, sender: str, text: str, timeout: float = 60) -> str:
    reply = httpx.post(topo.url + "/webhooks/rest/webhook", json={"sender": sender, "message": text},
                       timeout=timeout)
    assert reply.status_code == 200, reply.text
    return "\n".join(m.get("text") or "" for m in reply.json())


def phone() -> str:
    return "091" + str(uuid.uuid4().int)[:7]


def form_until(topo: Topology, sender: str, stop_at: str, number: str) -> str:
    """Start the lead form and answer until the question containing `stop_at`."""
    reply = say(topo, sender, "em muốn đăng ký học")
    for _ in range(12):
        if stop_at in reply.split("\n")[-1] or stop_at in reply:
            return reply
        reply = say(topo, sender, next_form_answer(reply, number))
    raise AssertionError(f"never asked {stop_at!r}: {reply!r}")


def finish_form(topo: Topology, sender: str, reply: str, number: str) -> str:
    for _ in range(12):
        if "Mã đăng ký của bạn là" in reply:
            return reply
        answer = next_form_answer(reply, number)
        assert answer, reply
        reply = say(topo, sender, answer)
    raise AssertionError(reply)


def leads_of(db_url: str, senders: List[str]) -> List[Lead]:
    engine_for.cache_clear()
    with session_scope(db_url) as session:
        return list(session.scalars(select(Lead).where(Lead.sender_id.in_(senders))))


def test_killed_action_servers_give_a_graceful_message_and_the_form_resumes(topo, services):
    me, number = f"web-{uuid.uuid4().hex}", phone()
    form_until(topo, me, "Số điện thoại", number)
    for i in range(2):
        topo.stop(f"actions{i}", signal.SIGKILL)
    assert say(topo, me, number) == GRACEFUL_ACTION_DOWN  # said once, however many actions failed
    for i in range(2):
        topo.start_actions(i)
    reply = say(topo, me, number)  # sent again: the turn that failed was taken back
    assert "Số điện thoại" not in reply and GRACEFUL_ACTION_DOWN not in reply
    final = finish_form(topo, me, reply, number)
    [lead] = leads_of(services["db_url"], [me])
    assert lead.reference in final and lead.phone == number


def test_a_rasa_instance_dies_and_restarts_conversations_continue_from_the_tracker_store(topo, services):
    people = {f"web-{uuid.uuid4().hex}": phone() for _ in range(6)}
    replies = {me: form_until(topo, me, "Số điện thoại", number) for me, number in people.items()}
    topo.stop("rasa0", signal.SIGKILL)  # a crash, not a clean stop
    for me, number in people.items():  # rasa0's people move to rasa1, which reads their tracker
        replies[me] = say(topo, me, number)
        assert "Số điện thoại" not in replies[me] and "đăng ký" not in replies[me].split("\n")[0].lower()
    topo.start_rasa(0)
    finals = {me: finish_form(topo, me, replies[me], number) for me, number in people.items()}
    leads = leads_of(services["db_url"], list(people))
    assert sorted(l.sender_id for l in leads) == sorted(people)
    assert all(l.reference in finals[l.sender_id] and l.phone == people[l.sender_id] for l in leads)


def test_postgres_stopped_during_lead_forms_every_lead_arrives_exactly_once(topo, services):
    people = {f"web-{uuid.uuid4().hex}": phone() for _ in range(3)}
    for me, number in people.items():
        form_until(topo, me, "Số điện thoại", number)
    services["pg"].stop()
    try:
        finals = {me: finish_form(topo, me, say(topo, me, number), number) for me, number in people.items()}
        newcomer = f"web-{uuid.uuid4().hex}"
        assert "học phí" in say(topo, newcomer, "học phí nghề hàn bao nhiêu").lower()  # still answering
    finally:
        services["pg"].start()
    deadline = time.time() + 60
    while time.time() < deadline and len(leads_of(services["db_url"], list(people))) < len(people):
        time.sleep(1)
    leads = leads_of(services["db_url"], list(people))
    assert sorted(l.sender_id for l in leads) == sorted(people)
    assert all(l.reference in finals[l.sender_id] for l in leads)
    time.sleep(3)  # the flushers keep running: still exactly once
    assert len(leads_of(services["db_url"], list(people))) == len(people)
    # The conversations written from memory are in the tracker store again.
    me = next(iter(people))
    say(topo, me, "cảm ơn")
    tracker = httpx.get(f"{topo.internal_url}/conversations/{me}/tracker",
                        params={"token": topo.env["RASA_API_TOKEN"]}, timeout=30).json()
    texts = [e.get("text") or "" for e in tracker["events"] if e.get("event") == "bot"]
    assert any("Mã đăng ký của bạn là" in t for t in texts)


def test_redis_stopped_the_assistant_degrades_with_a_clear_log_line_and_recovers(topo, services):
    me = f"web-{uuid.uuid4().hex}"
    services["redis"].stop()
    try:
        assert "học phí" in say(topo, me, "học phí nghề hàn bao nhiêu").lower()
        assert say(topo, me, "hồ sơ nhập học gồm những gì")
    finally:
        services["redis"].start()
    logs = "".join(topo.log(f"rasa{i}").read_text(errors="replace") for i in range(2))
    assert "lock store: Redis unreachable" in logs and "using in-process locks" in logs
    time.sleep(6)  # the retry delay
    assert say(topo, me, "trường có những ngành gì")
    logs = "".join(topo.log(f"rasa{i}").read_text(errors="replace") for i in range(2))
    assert "Redis reachable again" in logs


def test_a_sender_flooding_gets_a_polite_429_counted_across_instances(topo):
    me = f"web-{uuid.uuid4().hex}"
    direct = [f"http://127.0.0.1:{port}/webhooks/rest/webhook" for port in topo.ports.rasa]
    codes = []
    while not 0.1 < time.time() % 10 < 1.0:  # counts are per fixed 10 s window: start at the beginning of one
        time.sleep(0.05)
    for i in range(16):  # alternating between the two instances: one count in Redis
        codes.append(httpx.post(direct[i % 2], json={"sender": me, "message": "học phí bao nhiêu"}, timeout=60))
    assert [r.status_code for r in codes[:15]] == [200] * 15
    refused = codes[15]
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 10
    assert "gửi tin nhắn hơi nhanh" in refused.json()[0]["text"]
    assert say(topo, f"web-{uuid.uuid4().hex}", "học phí nghề hàn bao nhiêu")  # others are not affected


def test_erasure_deletes_the_conversation_from_the_postgresql_tracker_store(topo, services):
    """Review M5: after "xóa thông tin của tôi", Rasa's API (what the console reads) and the
    tracker table hold nothing of the conversation, name and phone included."""
    me, number = f"web-{uuid.uuid4().hex}", phone()
    finish_form(topo, me, form_until(topo, me, "Số điện thoại", number), number)
    assert "Bạn chắc chắn muốn xóa" in say(topo, me, "xóa thông tin của tôi")
    assert say(topo, me, "có").startswith("Đã xóa: 1 đăng ký tư vấn")
    tracker = httpx.get(f"{topo.internal_url}/conversations/{me}/tracker",
                        params={"token": topo.env["RASA_API_TOKEN"]}, timeout=30).json()
    assert number not in str(tracker) and [e for e in tracker["events"] if e["event"] in ("user", "bot")] == []
    engine = engine_for(services["db_url"])
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT count(*) FROM events WHERE sender_id = %s", (me,)).scalar()
    assert rows == 0
    assert "học phí" in say(topo, me, "học phí nghề hàn bao nhiêu").lower()  # a new conversation goes on
