"""Rasa stores: conversations erased on request, and production stores that survive an outage.

Erasure (review M5): when the person confirms "xóa thông tin của tôi", the reply carries
ERASE_CONVERSATION in its metadata (bot/channels/common.py); when Rasa saves that turn, these stores
delete the whole stored conversation instead of appending to it, so Rasa's API, the console and a
later retrieve find nothing of it. ./run start and the test assistant use ErasingInMemoryTrackerStore
(endpoints.yml); production uses ResilientSQLTrackerStore, which erases the same way, and, while the
database is down, keeps the erasure pending and performs it before writing anything else.

Configured in the production endpoints file (see bot/topology.py and deploy/):

  tracker_store:
    type: bot.rasa_stores.ResilientSQLTrackerStore   # PostgreSQL, as Rasa's SQLTrackerStore
  lock_store:
    type: bot.rasa_stores.ResilientRedisLockStore    # Redis, as Rasa's RedisLockStore

Why not Rasa's own stores alone:
* Rasa wraps every tracker store in FailSafeTrackerStore, which, when the database
  fails, returns *no* tracker: a person in the middle of the lead form would start
  again from nothing on every message. ResilientSQLTrackerStore keeps the trackers of
  recently active conversations in memory; while PostgreSQL is unreachable it serves
  and updates those, and writes the missing events once the database is back (Rasa's
  SQLTrackerStore only appends the events it has not stored yet, so this is exact).
* RedisLockStore raises on every message while Redis is down (no replies at all).
  ResilientRedisLockStore logs one clear line and uses in-process locks until Redis
  answers again. That is safe because nginx sends every sender to the same Rasa
  instance (hash on the sender id), so one process sees all of a sender's messages.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Any, Dict, Optional, Text

from rasa.core.lock import TicketLock
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import delete
from sqlalchemy.exc import SQLAlchemyError

from bot.channels.common import ERASE_CONVERSATION
from bot.redis_health import RedisHealth

logger = logging.getLogger(__name__)

DEFAULT_CACHE_SIZE = 500  # conversations per instance; a tracker is ~10-100 KB


def erasure_requested(tracker: DialogueStateTracker) -> bool:
    """This turn's replies include the one that confirms an erasure (only this turn is read: an
    erased conversation is gone, so an older request cannot be found again)."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and (event.metadata or {}).get(ERASE_CONVERSATION):
            return True
    return False


class ErasingInMemoryTrackerStore(InMemoryTrackerStore):
    """Rasa's in-memory store (./run start, tests) that drops a conversation erased by its person."""

    async def save(self, tracker: DialogueStateTracker) -> None:
        if erasure_requested(tracker):
            self.store.pop(tracker.sender_id, None)
            logger.info("tracker store: a conversation was erased at its person's request")
            return
        await super().save(tracker)


class ResilientSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that survives a database outage for conversations already under way."""

    def __init__(self, *args: Any, cache_size: int = DEFAULT_CACHE_SIZE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cache_size = int(cache_size)
        self._recent: "OrderedDict[str, DialogueStateTracker]" = OrderedDict()
        self._unsaved: set = set()  # senders whose newest events are only in memory
        self._erase: set = set()  # senders whose stored events must be deleted (erasure while down)
        self._down = False

    # -- memory -----------------------------------------------------------------------
    def _remember(self, tracker: DialogueStateTracker) -> None:
        self._recent[tracker.sender_id] = tracker
        self._recent.move_to_end(tracker.sender_id)
        if len(self._recent) > self.cache_size:
            for sender in list(self._recent):  # oldest first; unsaved events are never dropped
                if len(self._recent) <= self.cache_size:
                    break
                if sender not in self._unsaved:
                    del self._recent[sender]

    def _outage(self, error: Exception) -> None:
        if not self._down:
            logger.error("tracker store: database unreachable (%s); conversations continue from memory and "
                         "are written when it is back", error.__class__.__name__)
        self._down = True

    def _recovered(self) -> None:
        if self._down:
            logger.warning("tracker store: database reachable again; %d conversation(s) written from memory",
                           len(self._unsaved))
        self._down = False

    def _delete_stored(self, sender: str) -> None:
        with self.session_scope() as session:
            session.execute(delete(self.SQLEvent).where(self.SQLEvent.sender_id == sender))
            session.commit()
        self._erase.discard(sender)

    async def _write_unsaved(self) -> None:
        for sender in list(self._erase):  # first: a new conversation after an erasure is written after it
            self._delete_stored(sender)
        for sender in list(self._unsaved):
            tracker = self._recent.get(sender)
            if tracker is not None:
                await super().save(tracker)
            self._unsaved.discard(sender)

    # -- TrackerStore -----------------------------------------------------------------
    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        try:
            await self._write_unsaved()
            tracker = await super().retrieve(sender_id)
        except SQLAlchemyError as error:
            self._outage(error)
            return self._recent.get(sender_id)
        self._recovered()
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        if erasure_requested(tracker):
            await self._erase_conversation(tracker.sender_id)
            return
        self._remember(tracker)
        try:
            await self._write_unsaved()
            await super().save(tracker)
        except SQLAlchemyError as error:
            self._outage(error)
            self._unsaved.add(tracker.sender_id)
            return
        self._recovered()

    async def _erase_conversation(self, sender: str) -> None:
        self._recent.pop(sender, None)
        self._unsaved.discard(sender)
        self._erase.add(sender)
        try:
            await self._write_unsaved()
        except SQLAlchemyError as error:
            self._outage(error)  # kept in self._erase: deleted before anything else is written
            return
        self._recovered()
        logger.info("tracker store: a conversation was erased at its person's request")

    async def retrieve_full_tracker(self, conversation_id: Text) -> Optional[DialogueStateTracker]:
        try:
            return await super().retrieve_full_tracker(conversation_id)
        except SQLAlchemyError as error:
            self._outage(error)
            return self._recent.get(conversation_id)


class ResilientRedisLockStore(LockStore):
    """Rasa's Redis ticket locks, falling back to in-process locks while Redis is down."""

    def __init__(self, endpoint_config: Any = None) -> None:
        kwargs: Dict[str, Any] = dict(getattr(endpoint_config, "kwargs", {}) or {})
        kwargs.setdefault("socket_timeout", 2)
        host = getattr(endpoint_config, "url", None) or kwargs.pop("host", "localhost")
        self.redis = RedisLockStore(host=host, **kwargs)
        self.memory = InMemoryLockStore()
        self.health = RedisHealth("lock store", "using in-process locks (safe: nginx routes each sender to "
                                                "one instance)", self.redis.red.ping)
        self._where: Dict[str, LockStore] = {}  # the store that holds each live lock
        self._guard = threading.Lock()
        super().__init__()

    def _store_for(self, conversation_id: Text) -> LockStore:
        """Where this conversation's lock lives: pinned when it was saved, else the usable store."""
        with self._guard:
            pinned = self._where.get(conversation_id)
        if pinned is not None:
            return pinned
        return self.redis if self.health.usable() else self.memory

    def _call(self, conversation_id: Text, method: str, *args: Any, pin: bool = False) -> Any:
        store = self._store_for(conversation_id)
        if store is self.redis:
            try:
                result = getattr(store, method)(*args)
            except Exception as error:  # redis.exceptions.RedisError and socket errors
                self.health.failed(error)
                store = self.memory
                result = getattr(store, method)(*args)
        else:
            result = getattr(store, method)(*args)
        if pin:
            with self._guard:
                self._where[conversation_id] = store
        return result

    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        return self._call(conversation_id, "get_lock", conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self._call(lock.conversation_id, "save_lock", lock, pin=True)

    def delete_lock(self, conversation_id: Text) -> None:
        try:
            self._call(conversation_id, "delete_lock", conversation_id)
        finally:
            with self._guard:
                self._where.pop(conversation_id, None)
