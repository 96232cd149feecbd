"""A durable local outbox for leads the database could not take.

Writing a lead must never block or break the chat: when the database is
unreachable the lead is appended here (a SQLite file next to the application,
fsync'd by SQLite on commit) and delivered later, exactly once, because the
lead's reference code is its idempotency key in both places.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from typing import Callable, List, Optional, Tuple

from bot.storage.db import ROOT

logger = logging.getLogger(__name__)
_lock = threading.Lock()


def outbox_path() -> Path:
    path = Path(os.environ.get("ASSISTANT_DATA_DIR", ROOT / "var")) / "outbox.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _connect(path: Optional[Path] = None) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path or outbox_path()), timeout=10, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS outbox (reference TEXT PRIMARY KEY, payload TEXT NOT NULL,"
        " sender_id TEXT NOT NULL, queued_at TEXT DEFAULT CURRENT_TIMESTAMP, attempts INTEGER DEFAULT 0,"
        " last_error TEXT)"
    )
    return conn


def put(reference: str, sender_id: str, payload: dict, path: Optional[Path] = None) -> None:
    """Keep a lead for later delivery (a second put of the same reference is ignored)."""
    with _lock, closing(_connect(path)) as conn:
        conn.execute("INSERT OR IGNORE INTO outbox (reference, sender_id, payload) VALUES (?, ?, ?)",
                     (reference, sender_id, json.dumps(payload, ensure_ascii=False, default=str)))


def pending(path: Optional[Path] = None) -> List[Tuple[str, dict]]:
    with _lock, closing(_connect(path)) as conn:
        rows = conn.execute("SELECT reference, payload FROM outbox ORDER BY queued_at, reference").fetchall()
    return [(ref, json.loads(payload)) for ref, payload in rows]


def count(path: Optional[Path] = None) -> int:
    with _lock, closing(_connect(path)) as conn:
        return conn.execute("SELECT count(*) FROM outbox").fetchone()[0]


def flush(deliver: Callable[[dict], object], path: Optional[Path] = None) -> int:
    """Deliver every pending lead with `deliver(payload)`; delivered ones are removed.
    Stops at the first failure (the database is still down). Returns how many were delivered."""
    delivered = 0
    for reference, payload in pending(path):
        try:
            deliver(payload)
        except Exception as exc:  # still unreachable: try again later
            with _lock, closing(_connect(path)) as conn:
                conn.execute("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE reference = ?",
                             (exc.__class__.__name__, reference))
            logger.warning("outbox: database still unavailable (%s); %d lead(s) waiting",
                           exc.__class__.__name__, count(path))
            break
        with _lock, closing(_connect(path)) as conn:
            conn.execute("DELETE FROM outbox WHERE reference = ?", (reference,))
        delivered += 1
    if delivered:
        logger.info("outbox: delivered %d lead(s)", delivered)
    return delivered


def drop_for_sender(sender_id: str, path: Optional[Path] = None) -> int:
    """Erase queued leads of one person (their deletion request)."""
    with _lock, closing(_connect(path)) as conn:
        return conn.execute("DELETE FROM outbox WHERE sender_id = ?", (sender_id,)).rowcount


