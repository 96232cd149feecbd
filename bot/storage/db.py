"""Database access: one engine per URL, sessions, and schema migrations (Alembic).

SQLite file by default (no set-up); PostgreSQL in production through DATABASE_URL.
The schema is created and upgraded only by migrations, never by create_all.
Code is written in SQLAlchemy 2.0 style (select(), Session, future engine) on 1.4.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_migrated: set = set()
_lock = threading.Lock()


def normalise_url(url: str) -> str:
    """Heroku-style URLs name the dialect "postgres"; SQLAlchemy wants "postgresql"."""
    return "postgresql://" + url[len("postgres://"):] if url.startswith("postgres://") else url


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return normalise_url(url)
    path = Path(os.environ.get("ASSISTANT_DATA_DIR", ROOT / "var")) / "assistant.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, future=True, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, future=True, pool_pre_ping=True, pool_size=5, max_overflow=5,
                               connect_args={"connect_timeout": 5})
    return engine


def alembic_config(url: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(url: str | None = None, revision: str = "head") -> None:
    """Bring the database schema to `revision` (creates it on an empty database)."""
    from alembic import command

    url = url or database_url()
    with _lock:
        command.upgrade(alembic_config(url), revision)
        _migrated.add(url)


def get_engine(url: str | None = None) -> Engine:
    """The engine for the configured database, migrated to the latest schema on first use."""
    url = url or database_url()
    if url not in _migrated:
        migrate(url)
    return engine_for(url)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    factory = sessionmaker(bind=get_engine(url), future=True, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


def affected_rows(session: Session, statement) -> int:
    """Run a bulk UPDATE or DELETE in `session` (objects already loaded are not synchronised) and
    return how many rows it changed."""
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0
