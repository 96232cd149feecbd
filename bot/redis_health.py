"""One place that decides whether Redis is usable right now.

Redis is optional (the default single-machine set-up has none) and may go away in
production. Users of Redis (the Rasa lock store, the rate limiter) ask `usable()`
before a call and report `failed()` when one fails: one clear log line when Redis
goes away, one when it is back, and between the two a retry at most every few
seconds, so a dead Redis costs nothing per message.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Optional

logger = logging.getLogger(__name__)


class RedisHealth:
    def __init__(self, what: str, fallback: str, ping: Callable[[], object], retry_seconds: float = 5.0,
                 clock: Callable[[], float] = time.monotonic):
        self.what, self.fallback = what, fallback
        self.ping, self.retry_seconds, self.clock = ping, retry_seconds, clock
        self._down_since: Optional[float] = None
        self._lock = threading.Lock()

    @property
    def down(self) -> bool:
        return self._down_since is not None

    def usable(self) -> bool:
        """True if Redis should be used now (probing it again once the retry delay has passed)."""
        with self._lock:
            if self._down_since is None:
                return True
            if self.clock() - self._down_since < self.retry_seconds:
                return False
        try:
            self.ping()
        except Exception:
            with self._lock:
                self._down_since = self.clock()
            return False
        with self._lock:
            self._down_since = None
        logger.warning("%s: Redis reachable again; using Redis", self.what)
        return True

    def failed(self, error: BaseException) -> None:
        with self._lock:
            first = self._down_since is None
            self._down_since = self.clock()
        if first:
            logger.error("%s: Redis unreachable (%s); %s until it is back", self.what, error.__class__.__name__,
                         self.fallback)
