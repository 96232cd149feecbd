"""Review M5: "xóa thông tin của tôi" deletes Rasa's stored conversation at once, in the store
./run start uses (in memory, through the running assistant) and in production's PostgreSQL store,
including when the database is away at the moment of the erasure."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
import sqlalchemy as sa
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.common import ERASE_CONVERSATION
from bot.rasa_stores import ResilientSQLTrackerStore, erasure_requested
from tests.tcp_proxy import CuttableProxy
from tests.test_lead_conversations import fill_form


def turn(text: str, reply: str, erase: bool = False):
    return [ActionExecuted("action_listen"), UserUttered(text),
            BotUttered(reply, metadata={ERASE_CONVERSATION: True} if erase else {})]


def test_only_this_turns_reply_asks_for_erasure():
    tracker = DialogueStateTracker.from_events("rest:x", turn("xóa", "Đã xóa", erase=True))
    assert erasure_requested(tracker)
    tracker.update(UserUttered("học phí?"))
    assert not erasure_requested(tracker)


@pytest.mark.server
def test_erased_conversation_is_gone_from_rasas_api(assistant):
    me = f"erase-{uuid.uuid4().hex[:8]}"
    fill_form(assistant, me, phone="0977123789", last_reply=assistant.text(me, "em muốn đăng ký học"))
    _, before = assistant.get_json(f"/conversations/{me}/tracker")
    assert "0977123789" in str(before)
    assistant.text(me, "xóa thông tin của tôi")
    erased = assistant.text(me, "có")
    assert erased.startswith("Đã xóa: 1 đăng ký tư vấn") and "cuộc trò chuyện này cũng đã được xóa" in erased
    status, after = assistant.get_json(f"/conversations/{me}/tracker")
    # Rasa answers with a new, empty conversation (its session start only).
    assert status == 200 and "0977123789" not in str(after)
    assert [e for e in after["events"] if e["event"] in ("user", "bot")] == [] and not after["slots"].get("phone")
    assert "học phí" in assistant.text(me, "học phí nghề hàn bao nhiêu").lower()


@pytest.fixture
def store_through_proxy(postgres_url):
    proxy = CuttableProxy(("127.0.0.1", 5432)).start()
    parts = sa.engine.make_url(postgres_url)
    store = ResilientSQLTrackerStore(dialect="postgresql", host="127.0.0.1", port=proxy.port, db=parts.database,
                                     username=parts.username, password=parts.password,
                                     query={"connect_timeout": "2"})
    yield store, proxy, postgres_url
    store.engine.dispose()
    proxy.cut()


def stored(url: str, sender: str) -> list:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})
        data = [json.dumps(json.loads(row[0]), ensure_ascii=False) for row in rows]
    engine.dispose()
    return data


def test_postgresql_store_erases_at_once(store_through_proxy):
    store, _, url = store_through_proxy
    me = f"rest:{uuid.uuid4().hex[:8]}"
    tracker = DialogueStateTracker.from_events(me, turn("tên em là Lò Văn Páo", "Số điện thoại?"))
    asyncio.run(store.save(tracker))
    assert any("Lò Văn Páo" in row for row in stored(url, me))
    for event in turn("có", "Đã xóa", erase=True):
        tracker.update(event)
    asyncio.run(store.save(tracker))
    assert stored(url, me) == [] and asyncio.run(store.retrieve(me)) is None


def test_postgresql_store_erasure_while_the_database_is_away_happens_when_it_is_back(store_through_proxy):
    store, proxy, url = store_through_proxy
    me = f"rest:{uuid.uuid4().hex[:8]}"
    tracker = DialogueStateTracker.from_events(me, turn("số em là 0912345678", "Cảm ơn"))
    asyncio.run(store.save(tracker))
    proxy.cut()
    for event in turn("có", "Đã xóa", erase=True):
        tracker.update(event)
    asyncio.run(store.save(tracker))  # the database is away: pending, and not served from memory
    assert asyncio.run(store.retrieve(me)) is None
    fresh = DialogueStateTracker.from_events(me, turn("học phí nghề hàn?", "Học phí ..."))
    asyncio.run(store.save(fresh))  # a new conversation while still away: kept in memory
    proxy.restore()
    kept = asyncio.run(store.retrieve(me))  # back: the erasure first, then the new conversation
    assert [e.text for e in kept.events if isinstance(e, UserUttered)] == ["học phí nghề hàn?"]
    rows = stored(url, me)
    assert rows and not any("0912345678" in row for row in rows)
