"""Shared fixtures: the knowledge base, databases (SQLite always, PostgreSQL where it
answers), and a running assistant (Rasa + action server) for end-to-end tests."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import Dict, Iterator, Optional

import pytest

from bot.devserver import MODEL, Assistant, fresh_postgres, running_assistant

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
ARTIFACTS = ROOT / "test-artifacts"

os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
# Functional tests play many turns per second for one sender; the per-sender limit itself
# is tested with its real rules in tests/test_faults.py and tests/test_ratelimit.py.
os.environ.setdefault("RATE_LIMIT", "1000/10")
os.environ.setdefault("RATE_LIMIT_LOGIN", "1000/60")


@pytest.fixture(scope="session")
def kb():
    from bot.kb import get_kb

    return get_kb()


@pytest.fixture
def today() -> dt.date:
    return dt.date(2026, 11, 22)


@pytest.fixture
def ask(kb, today):
    """ask(intent, text, **slots) -> Reply, through the same code the actions use."""
    from bot.answers import ANSWERS, Context, answer
    from bot import dialogue

    def _ask(intent: str, text: str, day: Optional[dt.date] = None, entities=None, ranking=None, **slots):
        ctx = Context(kb, text, day or today, intent, entities or {}, slots, ranking or [])
        if intent in ANSWERS:
            return answer(intent, ctx)
        return {"inform": dialogue.handle_inform, "fallback": dialogue.fallback,
                "deny": dialogue.handle_deny, "affirm": dialogue.handle_affirm}[intent](ctx)

    return _ask


# --- databases ---------------------------------------------------------------------

def _postgres_available() -> Optional[str]:
    try:
        import sqlalchemy as sa

        engine = sa.create_engine(PG_ADMIN_URL, future=True, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return None
    except Exception as exc:  # pragma: no cover - depends on the machine
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc.__class__.__name__}"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session (dropped afterwards)."""
    reason = _postgres_available()
    if reason:
        print(f"\nSKIP PostgreSQL tests: {reason}")
        pytest.skip(reason)
    with fresh_postgres(PG_ADMIN_URL) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'assistant.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """Each test using this runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'assistant.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def use_db(db_url, monkeypatch) -> str:
    """Point the application (DATABASE_URL) at the test database."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    return db_url


# --- a running assistant ------------------------------------------------------------

def start_assistant(work: Path, db_url: str, extra_env: Optional[Dict[str, str]] = None) -> Iterator[Assistant]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run ./run test (it trains when needed)")
    with running_assistant(work, db_url, extra_env) as running:
        yield running


@pytest.fixture(scope="session")
def assistant(tmp_path_factory) -> Iterator[Assistant]:
    """The assistant (REST, socket.io, web chat, --enable-api + action server) on a fresh SQLite file."""
    work = tmp_path_factory.mktemp("assistant")
    yield from start_assistant(work, f"sqlite:///{work / 'assistant.db'}")


# --- a real headless Chromium (Debian's package, driven by Playwright) -------------------

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"  # screenshots, not committed
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")  # not session: Playwright's loop would block asyncio.run() in other modules
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (./run test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()
