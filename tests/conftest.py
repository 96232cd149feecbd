"""Shared fixtures: the knowledge base, databases (SQLite always, PostgreSQL where it
answers), and a running assistant (Rasa + action server) for end-to-end tests."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "assistant.tar.gz"
VENV_BIN = Path(sys.executable).parent
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
ARTIFACTS = ROOT / "test-artifacts"

os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")


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
    import sqlalchemy as sa

    name = f"laichau_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        from bot.storage.db import engine_for

        engine_for.cache_clear()
        with admin.connect() as conn:
            conn.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n AND pid <> pg_backend_pid()"
            ), {"n": name})
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


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

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited early ({proc.returncode}); log:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer in {timeout}s; log:\n{log.read_text()[-3000:]}")


class Assistant:
    def __init__(self, url: str, db_url: str):
        self.url = url
        self.db_url = db_url

    def post(self, path: str, payload, timeout: float = 30):
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def say(self, sender: str, message: str) -> List[Dict]:
        status, body = self.post("/webhooks/rest/webhook", {"sender": sender, "message": message})
        assert status == 200, body
        return body

    def text(self, sender: str, message: str) -> str:
        return "\n".join(m.get("text", "") for m in self.say(sender, message))

    def get(self, path: str):
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return response.status, response.read().decode("utf-8")

    def get_json(self, path: str):
        status, body = self.get(path)
        return status, json.loads(body)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory) -> Iterator[Assistant]:
    """Rasa (REST, socket.io, web chat, --enable-api) + action server on a fresh SQLite file."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run ./run test (it trains when needed)")
    work = tmp_path_factory.mktemp("assistant")
    rasa_port, actions_port = free_port(), free_port()
    db_url = f"sqlite:///{work / 'assistant.db'}"
    endpoints = work / "endpoints.yml"
    endpoints.write_text(f"action_endpoint:\n  url: http://127.0.0.1:{actions_port}/webhook\n")
    env = {**os.environ, "DATABASE_URL": db_url, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false",
           "TF_CPP_MIN_LOG_LEVEL": "2"}
    actions_log, rasa_log = work / "actions.log", work / "rasa.log"
    actions = subprocess.Popen(
        [str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(actions_port)],
        cwd=ROOT, env=env, stdout=actions_log.open("w"), stderr=subprocess.STDOUT,
    )
    rasa = subprocess.Popen(
        [str(VENV_BIN / "rasa"), "run", "--model", str(MODEL), "--port", str(rasa_port), "--enable-api",
         "--credentials", "credentials.yml", "--endpoints", str(endpoints)],
        cwd=ROOT, env=env, stdout=rasa_log.open("w"), stderr=subprocess.STDOUT,
    )
    try:
        wait_http(f"http://127.0.0.1:{actions_port}/health", 120, actions, actions_log)
        wait_http(f"http://127.0.0.1:{rasa_port}/status", 240, rasa, rasa_log)
        yield Assistant(f"http://127.0.0.1:{rasa_port}", db_url)
    finally:
        for proc in (rasa, actions):
            proc.terminate()
        for proc in (rasa, actions):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
