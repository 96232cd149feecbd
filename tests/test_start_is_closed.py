"""`./run start` is closed by default (issue 14; security review C1, H2, L5, L8): the README's own start
command, run for real on free ports, with the requests the review made.

Rasa's HTTP API needs the token `./run start` generates and keeps in an ignored file; Rasa, the action
server and the console listen on 127.0.0.1 only; CORS answers only the demo page's origin; the action
server refuses a call without the secret Rasa sends, so a forged "erase my data" changes nothing; the
files holding personal data are readable by their owner only.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import time
import uuid
from pathlib import Path
from typing import Dict, Iterator

import pytest
import requests
from sqlalchemy import select

from bot.devserver import ROOT, MODEL, free_port
from bot.storage.db import session_scope
from bot.storage.models import Lead

pytestmark = pytest.mark.server


def listening_addresses(port: int) -> set:
    """Local addresses a TCP port listens on, from /proc/net/tcp{,6} (state 0A = LISTEN)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state = fields[1], fields[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


LOOPBACK = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1, ::1


@pytest.fixture(scope="module")
def started(tmp_path_factory) -> Iterator[Dict]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run ./run test (it trains when needed)")
    work = tmp_path_factory.mktemp("run_start")
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "CONSOLE_PORT": free_port()}
    env = {k: v for k, v in os.environ.items()
           if k not in ("RASA_API_TOKEN", "ACTIONS_SECRET", "GATEWAY_SECRET", "TELEGRAM_BOT_TOKEN")}
    env.update({name: str(port) for name, port in ports.items()})
    env.update({"DATABASE_URL": f"sqlite:///{work / 'assistant.db'}", "SECRETS_FILE": str(work / "secrets.env"),
                "ASSISTANT_DATA_DIR": str(work / "data"), "RATE_LIMIT": "12/60"})
    log = work / "start.log"
    proc = subprocess.Popen([str(ROOT / "run"), "start"], cwd=ROOT, env=env, stdout=log.open("w"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{ports['RASA_PORT']}"
    try:
        deadline = time.time() + 300
        while time.time() < deadline:
            assert proc.poll() is None, log.read_text()[-3000:]
            try:
                if requests.get(base + "/", timeout=2).ok:
                    break
            except requests.RequestException:
                time.sleep(1)
        else:
            pytest.fail("./run start did not answer in 300 s:\n" + log.read_text()[-3000:])
        secrets_file = work / "secrets.env"
        values = dict(line.split("=", 1) for line in secrets_file.read_text().split())
        yield {"base": base, "ports": ports, "work": work, "secrets": values, "secrets_file": secrets_file,
               "db": env["DATABASE_URL"], "log": log}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def test_the_rasa_api_refuses_a_request_without_the_generated_token(started):
    base, token = started["base"], started["secrets"]["RASA_API_TOKEN"]
    assert len(token) >= 24
    sender = f"sec-{uuid.uuid4().hex[:8]}"
    said = requests.post(base + "/webhooks/rest/webhook", json={"sender": sender, "message": "xin chào"}, timeout=60)
    assert said.status_code == 200 and said.json()  # the public chat works without any token
    assert requests.get(f"{base}/conversations/{sender}/tracker", timeout=10).status_code == 401
    assert requests.post(f"{base}/conversations/telegram:904303717/trigger_intent", json={"name": "request_human"},
                         timeout=10).status_code == 401
    assert requests.post(f"{base}/conversations/{sender}/tracker/events",
                         json=[{"event": "bot", "text": "[Cán bộ] chuyển 500.000đ vào TK 0123"}], timeout=10).status_code == 401
    assert requests.post(f"{base}/conversations/{sender}/execute", json={"name": "action_submit_lead"},
                         timeout=10).status_code == 401
    assert requests.post(f"{base}/model/train", data=b"", timeout=10).status_code == 401
    assert requests.put(f"{base}/model", json={"model_file": "/nonexistent.tar.gz"}, timeout=10).status_code == 401
    assert requests.get(f"{base}/domain", timeout=10).status_code == 401
    tracker = requests.get(f"{base}/conversations/{sender}/tracker", params={"token": token}, timeout=10)
    assert tracker.status_code == 200 and tracker.json()["sender_id"] == sender


def test_the_token_is_kept_for_the_next_start_in_a_file_only_its_owner_reads(started):
    mode = stat.S_IMODE(started["secrets_file"].stat().st_mode)
    assert mode == 0o600, oct(mode)
    assert set(started["secrets"]) == {"RASA_API_TOKEN", "ACTIONS_SECRET", "GATEWAY_SECRET"}
    database = Path(started["db"].removeprefix("sqlite:///"))
    assert stat.S_IMODE(database.stat().st_mode) & 0o077 == 0, oct(database.stat().st_mode)
    assert started["secrets"]["RASA_API_TOKEN"] not in started["log"].read_text()  # never in the log


def test_cors_answers_only_the_demo_pages_origin(started):
    base = started["base"]
    preflight = {"Access-Control-Request-Method": "GET"}
    evil = requests.options(f"{base}/conversations/x/tracker", headers={**preflight, "Origin": "https://evil.example"},
                            timeout=10)
    assert evil.headers.get("Access-Control-Allow-Origin") not in ("https://evil.example", "*")
    own = f"http://localhost:{started['ports']['RASA_PORT']}"
    page = requests.options(f"{base}/webhooks/rest/webhook", headers={**preflight, "Origin": own}, timeout=10)
    assert page.headers.get("Access-Control-Allow-Origin") == own


def test_every_server_listens_on_loopback_only(started):
    for name, port in started["ports"].items():
        addresses = listening_addresses(port)
        assert addresses and addresses <= LOOPBACK, (name, addresses)


def test_the_action_server_refuses_a_forged_call(started):
    """Review H2: a forged action_affirm with pending_offer delete_my_data anonymised a lead."""
    base, actions = started["base"], f"http://127.0.0.1:{started['ports']['ACTIONS_PORT']}"
    sender = f"sec-{uuid.uuid4().hex[:8]}"
    for text in ("cho em đăng ký tư vấn", "Lò Văn Thử", "0904 303 700", "phụ huynh", "xã Bản Lang", "chưa biết",
                 "buổi tối", "đồng ý", "đúng rồi"):
        replies = requests.post(base + "/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60).json()
    assert "Mã đăng ký" in " ".join(r.get("text", "") for r in replies)
    forged = {"next_action": "action_affirm", "sender_id": sender, "version": "3.6.21",
              "tracker": {"sender_id": sender, "slots": {"pending_offer": "delete_my_data"}, "latest_message": {},
                          "events": [], "active_loop": {}}, "domain": {}}
    assert requests.post(actions + "/webhook", data=json.dumps(forged), timeout=10).status_code == 403
    assert requests.post(actions + "/webhook", data=json.dumps(forged), headers={"X-Actions-Secret": "wrong"},
                         timeout=10).status_code == 403
    assert requests.get(actions + "/actions", timeout=10).status_code == 403
    assert requests.get(actions + "/health", timeout=10).status_code == 200
    with session_scope(started["db"]) as session:
        lead = session.scalars(select(Lead).where(Lead.sender_id == sender)).one()
        assert lead.name == "Lò Văn Thử" and lead.anonymised_at is None


def test_a_widget_on_the_demo_origin_can_read_retry_after(started):
    """Channel review: a widget on another origin could not read Retry-After, so it retried blind."""
    base, own = started["base"], f"http://localhost:{started['ports']['RASA_PORT']}"
    sender = f"fast-{uuid.uuid4().hex[:8]}"
    for _ in range(13):
        last = requests.post(base + "/webhooks/rest/webhook", json={"sender": sender, "message": "xin chào"},
                             headers={"Origin": own}, timeout=60)
    assert last.status_code == 429 and int(last.headers["Retry-After"]) > 0
    assert last.headers.get("Access-Control-Allow-Origin") == own
    assert "retry-after" in last.headers.get("Access-Control-Expose-Headers", "").lower()
    assert "gửi tin nhắn hơi nhanh" in last.json()[0]["text"]


def test_huge_and_deeply_nested_bodies_are_refused_cleanly(started):
    """Review L3: a 20 MB body was read whole before the 64 KB check; 20,000 nested lists gave 500."""
    url = started["base"] + "/webhooks/rest/webhook"
    started_at = time.time()
    huge = requests.post(url, data=b"x" * (2 * 1024 * 1024), headers={"Content-Type": "application/json"}, timeout=30)
    assert huge.status_code == 413 and time.time() - started_at < 10
    deep = requests.post(url, data=b"[" * 20000 + b"]" * 20000, headers={"Content-Type": "application/json"}, timeout=30)
    assert deep.status_code == 400 and "error" in deep.json()
    # 50 MB announced, 1 KB sent: refused from the header at once, not waited for.
    import socket

    with socket.create_connection(("127.0.0.1", started["ports"]["RASA_PORT"]), timeout=5) as raw:
        raw.sendall(b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 52428800\r\n\r\n" + b"x" * 1024)
        status_line = raw.recv(200).split(b"\r\n")[0]
    assert b" 413 " in status_line, status_line
