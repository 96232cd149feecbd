"""Per-sender rate limits for every public entry point (web chat, REST, Zalo, Telegram).

Rules are "COUNT/SECONDS" windows, e.g. RATE_LIMIT="8/10,40/300": at most 8 messages
in 10 s and 40 in 5 minutes per sender. A person typing never reaches that; a script
or a stuck client does, and gets one polite Vietnamese message instead of answers.

Counters live in Redis when REDIS_URL is set, so every Rasa instance sees the same
counts; otherwise, or while Redis is down, in this process (behind nginx, which sends
a sender to one instance, that is still per sender).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Dict, List, Optional, Tuple

from bot.redis_health import RedisHealth

logger = logging.getLogger(__name__)

DEFAULT_RULES = {
    "messages": "8/10,40/300",  # chat messages per sender
    "inbox": "30/60",  # the widget polls its inbox every 5 s
    "inbox_client": "600/60",  # all the widgets behind one address (a school's network)
    "login": "10/60",  # console sign-in attempts per IP address (the account lock-out is separate)
}


def polite_message(retry_after: int) -> str:
    return (f"Bạn gửi tin nhắn hơi nhanh nên mình chưa kịp trả lời. Bạn đợi khoảng {retry_after} giây "
            "rồi gửi tiếp giúp mình nhé.")


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0
    first_refusal: bool = False  # the first refused message of this window: say the polite message once


def parse_rules(text: str) -> List[Tuple[int, int]]:
    """'8/10,40/300' -> [(8, 10), (40, 300)]; raises ValueError with the bad part."""
    rules = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        count, _, seconds = part.partition("/")
        if not (count.isdigit() and seconds.isdigit() and int(count) > 0 and int(seconds) > 0):
            raise ValueError(f"rate limit rule {part!r} is not COUNT/SECONDS with positive integers")
        rules.append((int(count), int(seconds)))
    return rules


class RateLimiter:
    """Fixed-window counters per (rule, key); Redis when available, else in memory."""

    def __init__(self, rules: List[Tuple[int, int]], redis_url: Optional[str] = None, prefix: str = "rl",
                 clock: Callable[[], float] = time.time):
        self.rules, self.prefix, self.clock = rules, prefix, clock
        self._memory: Dict[Tuple[int, int, str], int] = {}
        self._lock = threading.Lock()
        self._last_sweep = 0.0
        self.redis = None
        self.health: Optional[RedisHealth] = None
        if redis_url:
            import redis

            self.redis = redis.Redis.from_url(redis_url, socket_timeout=0.5, socket_connect_timeout=0.5)
            self.health = RedisHealth("rate limiter", "counting in this process", self.redis.ping)

    def _keys(self, key: str, now: float) -> List[Tuple[Tuple[int, int, str], int, int, int]]:
        """Per rule: ((window, slot, key), limit, window, seconds until the slot ends)."""
        out = []
        for limit, window in self.rules:
            out.append(((window, int(now // window), key), limit, window, window - int(now % window)))
        return out

    def _count_redis(self, keys) -> List[int]:
        pipe = self.redis.pipeline()
        for (window, slot, key), _, _, _ in keys:
            name = f"{self.prefix}:{window}:{slot}:{key}"
            pipe.incr(name)
            pipe.expire(name, window + 1)
        return pipe.execute()[0::2]

    def _count_memory(self, keys, now: float) -> List[int]:
        with self._lock:
            if now - self._last_sweep > 60:  # forget finished windows
                self._memory = {k: v for k, v in self._memory.items() if (k[1] + 1) * k[0] > now}
                self._last_sweep = now
            counts = []
            for name, *_ in keys:
                self._memory[name] = self._memory.get(name, 0) + 1
                counts.append(self._memory[name])
            return counts

    def hit(self, key: str) -> Verdict:
        """Count one message from `key`; say whether it may be answered."""
        now = self.clock()
        keys = self._keys(key, now)
        counts = None
        if self.redis is not None and self.health.usable():
            try:
                counts = self._count_redis(keys)
            except Exception as error:  # redis.exceptions.RedisError
                self.health.failed(error)
        if counts is None:
            counts = self._count_memory(keys, now)
        refused = [(count, limit, wait) for count, (_, limit, _, wait) in zip(counts, keys) if count > limit]
        if not refused:
            return Verdict(True)
        return Verdict(False, max(wait for _, _, wait in refused), any(c == limit + 1 for c, limit, _ in refused))


@lru_cache(maxsize=None)
def limiter(name: str = "messages") -> RateLimiter:
    """The process-wide limiter for one kind of entry point (env RATE_LIMIT_<NAME>; RATE_LIMIT for messages)."""
    rules = os.environ.get(f"RATE_LIMIT_{name.upper()}") or (os.environ.get("RATE_LIMIT") if name == "messages" else None) \
        or DEFAULT_RULES[name]
    return RateLimiter(parse_rules(rules), os.environ.get("REDIS_URL") or None, prefix=f"rl:{name}")
