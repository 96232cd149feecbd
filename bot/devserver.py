"""Start the whole assistant (Rasa + action server), or the staff console, as child processes on free ports.

Used by the end-to-end tests and the bench scripts, so both run the real servers
exactly as `./run start` does, on a database and data folder of their own.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Optional

from bot.channels.common import GATEWAY_HEADER, with_api_token

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "assistant.tar.gz"
BIN = Path(sys.executable).parent


# How a simulated person answers the lead form (tests and bench/load.py): the form's
# question (a fragment of it) -> the answer.
FORM_ANSWERS = [("Bạn đồng ý", "đồng ý"), ("họ và tên", "Lò Văn Minh"), ("Số điện thoại", None),
                ("Bạn là", "phu_huynh"), ("xã/phường", "xã Bản Lang"), ("nghề nào", "chưa biết"),
                ("phải không", "đúng vậy"), ("gọi cho bạn lúc nào", "toi"), ("kiểm tra lại", "đúng rồi")]


def next_form_answer(reply: str, phone: str) -> Optional[str]:
    """The answer to the form's last question in `reply` (None if it asks something unknown)."""
    question = next((line for line in reversed(reply.split("\n")) if not line.startswith("•")), reply)
    answer = next((a for q, a in FORM_ANSWERS if q in question), "")
    return phone if answer is None else (answer or None)


# Rasa's Sanic, as every launcher starts it: a body over 1 MB is refused before it is read, one slower
# than 15 s to arrive is dropped (review L3). Rasa only: the action server receives whole trackers.
RASA_LIMITS = {"SANIC_REQUEST_MAX_SIZE": "1048576", "SANIC_REQUEST_TIMEOUT": "15"}


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
    """A running assistant: its URL, database, and work folder (logs, outbox)."""

    def __init__(self, url: str, db_url: str, work: Path, token: str = "", actions_url: str = ""):
        self.url = url
        self.db_url = db_url
        self.work = work
        self.token = token  # Rasa's HTTP API token (the webhooks do not take it)
        self.actions_url = actions_url

    def _with_token(self, path: str) -> str:
        return with_api_token(path, self.token)

    def post(self, path: str, payload, timeout: float = 30):
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
        headers = {"Content-Type": "application/json", GATEWAY_HEADER: os.environ.get("GATEWAY_SECRET", "")}
        request = urllib.request.Request(self.url + self._with_token(path), data=data, headers=headers)
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
        with urllib.request.urlopen(self.url + self._with_token(path), timeout=10) as response:
            return response.status, response.read().decode("utf-8")

    def get_json(self, path: str):
        status, body = self.get(path)
        return status, json.loads(body)


@contextmanager
def running_assistant(work: Path, db_url: str, extra_env: Optional[Dict[str, str]] = None,
                      model: Path = MODEL) -> Iterator[Assistant]:
    if not model.exists():
        raise FileNotFoundError(f"no trained model at {model}: run ./run train")
    work.mkdir(parents=True, exist_ok=True)
    # Tests and their gateways (in this process or its children) act as our own gateways.
    os.environ.setdefault("GATEWAY_SECRET", secrets.token_urlsafe(24))
    rasa_port, actions_port = free_port(), free_port()
    # The same closed defaults as ./run start: the repository's endpoints.yml, a Rasa API token, the
    # action server's secret, both servers on 127.0.0.1, CORS for the demo page's origin only.
    env = {**os.environ, "DATABASE_URL": db_url, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false",
           "TF_CPP_MIN_LOG_LEVEL": "2", "ASSISTANT_DATA_DIR": str(work / "data"),
           "RASA_API_TOKEN": secrets.token_urlsafe(24), "ACTIONS_SECRET": secrets.token_urlsafe(24),
           "ACTIONS_URL": f"http://127.0.0.1:{actions_port}/webhook", **(extra_env or {})}
    actions_log, rasa_log = work / "actions.log", work / "rasa.log"
    actions = subprocess.Popen(
        [sys.executable, "-m", "bot.action_server", "--port", str(actions_port)],
        cwd=ROOT, env=env, stdout=actions_log.open("w"), stderr=subprocess.STDOUT,
    )
    rasa = subprocess.Popen(
        [str(BIN / "rasa"), "run", "--model", str(model), "--interface", "127.0.0.1", "--port", str(rasa_port),
         "--enable-api", f"--auth-token={env['RASA_API_TOKEN']}", "--cors", f"http://127.0.0.1:{rasa_port}",
         "--credentials", "credentials.yml", "--endpoints", str(ROOT / "endpoints.yml")],
        cwd=ROOT, env={**env, **RASA_LIMITS}, stdout=rasa_log.open("w"), stderr=subprocess.STDOUT,
    )
    try:
        wait_http(f"http://127.0.0.1:{actions_port}/health", 120, actions, actions_log)
        wait_http(f"http://127.0.0.1:{rasa_port}/", 240, rasa, rasa_log)
        yield Assistant(f"http://127.0.0.1:{rasa_port}", db_url, work, env["RASA_API_TOKEN"], env["ACTIONS_URL"])
    finally:
        for proc in (rasa, actions):
            proc.terminate()
        for proc in (rasa, actions):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def running_console(work: Path, db_url: str, extra_env: Optional[Dict[str, str]] = None) -> Iterator[str]:
    """The staff console on a free port; yields its base URL."""
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": db_url, "PYTHONPATH": str(ROOT), **(extra_env or {})}
    log = work / "console.log"
    proc = subprocess.Popen([sys.executable, "-m", "bot", "console", "serve", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        wait_http(f"http://127.0.0.1:{port}/console/login", 60, proc, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def fresh_postgres(admin_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database (dropped afterwards)."""
    import uuid

    import sqlalchemy as sa

    name = f"laichau_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    finally:
        from bot.storage.db import engine_for

        engine_for.cache_clear()
        with admin.connect() as conn:
            conn.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n AND pid <> pg_backend_pid()"
            ), {"n": name})
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
