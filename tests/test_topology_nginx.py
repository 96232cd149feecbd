"""The generated nginx configuration, with Debian's nginx in front of stand-in servers:
each sender sticks to one Rasa instance whatever the entry point, the Rasa API is not
public, a dead action server gives a graceful reply, a dead instance's senders move on."""

from __future__ import annotations

import json
import subprocess
import threading
import time
import uuid
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from bot.devserver import free_port
from bot.topology import GRACEFUL_ACTION_DOWN, render_nginx

try:
    from bot.topology import nginx_binary

    NGINX = nginx_binary()
except RuntimeError as exc:  # pragma: no cover - depends on the machine
    NGINX = None
    WHY = str(exc)

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx not installed (./run test installs Debian's nginx-light)")


class StandIn(BaseHTTPRequestHandler):
    """Answers with its own name and the sender key nginx hashed on."""

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = json.dumps({"server": self.server.name, "key": self.headers.get("X-Sender-Key", "")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


def stand_in(name: str):
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    server.name = name
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def nginx_in_front(prefix: Path, servers, ip_rate: int):
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    public, internal, actions = free_port(), free_port(), free_port()
    dead = free_port()  # no action server listens here
    conf = prefix / "nginx.conf"
    conf.write_text(render_nginx([f"127.0.0.1:{s.server_port}" for s in servers.values()], [f"127.0.0.1:{dead}"],
                                 f"127.0.0.1:{dead}", f"127.0.0.1:{public}", f"127.0.0.1:{internal}",
                                 f"127.0.0.1:{actions}", prefix, ip_rate=ip_rate, user_root=True))
    check = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(prefix)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(prefix), "-g", "daemon off;"])
    client = httpx.Client(timeout=10)
    for _ in range(100):
        try:
            client.get(f"http://127.0.0.1:{public}/health")
            break
        except httpx.TransportError:
            time.sleep(0.1)
    try:
        yield {"public": f"http://127.0.0.1:{public}", "internal": f"http://127.0.0.1:{internal}",
               "actions": f"http://127.0.0.1:{actions}", "servers": servers, "client": client, "prefix": prefix}
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    servers = {"a": stand_in("a"), "b": stand_in("b")}
    with nginx_in_front(tmp_path_factory.mktemp("nginx"), servers, ip_rate=1000) as running:
        yield running
    for server in servers.values():
        server.shutdown()


def test_a_sender_always_reaches_the_same_instance_and_senders_spread(proxy):
    client, url = proxy["client"], proxy["public"] + "/webhooks/rest/webhook"
    chosen = {}
    for i in range(40):
        sender = f"web-{uuid.uuid4().hex}"
        seen = {client.post(url, json={"sender": sender, "message": f"câu {n}"}).json()["server"] for n in range(3)}
        assert len(seen) == 1, sender
        chosen[sender] = seen.pop()
    assert set(chosen.values()) == {"a", "b"}
    # The key is the sender, wherever it is in the body.
    reply = client.post(url, content=json.dumps({"message": "x", "metadata": {}, "sender": "web-1"})).json()
    assert reply["key"] == "web-1"


def test_zalo_webhook_widget_inbox_and_console_api_use_the_same_key(proxy):
    client = proxy["client"]
    zalo = {"app_id": "1", "event_name": "user_send_text", "sender": {"id": "884422"},
            "recipient": {"id": "oa"}, "message": {"text": "học phí?", "msg_id": "m1"}, "timestamp": "1"}
    via_zalo = client.post(proxy["public"] + "/webhooks/zalo/webhook", json=zalo).json()
    via_api = client.get(proxy["internal"] + "/conversations/zalo:884422/tracker").json()
    assert via_zalo["key"] == via_api["key"] == "zalo:884422" and via_zalo["server"] == via_api["server"]
    sender = "web-" + uuid.uuid4().hex
    via_rest = client.post(proxy["public"] + "/webhooks/rest/webhook", json={"sender": sender, "message": "a"}).json()
    via_inbox = client.get(proxy["public"] + f"/webhooks/webchat/inbox?sender={sender}&after=0").json()
    assert via_inbox["server"] == via_rest["server"]


def test_the_rasa_api_is_not_public(proxy):
    client = proxy["client"]
    for path in ("/model/parse", "/conversations/x/tracker", "/status", "/"):
        assert client.get(proxy["public"] + path).status_code == 404
    assert client.get(proxy["internal"] + "/status").status_code == 200


def test_no_action_server_gives_a_graceful_reply_in_rasa_format(proxy):
    # A long conversation's tracker (found by bench/load.py: 66 KB was refused with 413).
    tracker = {"events": [{"event": "user", "text": "câu hỏi " * 20}] * 1000}
    reply = proxy["client"].post(proxy["actions"] + "/webhook", json={"next_action": "action_answer",
                                                                      "tracker": tracker})
    assert reply.status_code == 200
    assert reply.json() == {"events": [], "responses": [{"text": GRACEFUL_ACTION_DOWN}]}


def test_public_bodies_are_small_but_the_rasa_api_takes_a_tracker(proxy):
    big = {"sender": "web-big", "message": "a" * 70_000}
    assert proxy["client"].post(proxy["public"] + "/webhooks/rest/webhook", json=big).status_code == 413
    assert proxy["client"].post(proxy["internal"] + "/conversations/web-big/tracker/events",
                                json=[{"event": "user", "text": "a" * 200_000}]).status_code == 200


def test_a_dead_instance_s_senders_move_to_another(proxy):
    client, url = proxy["client"], proxy["public"] + "/webhooks/rest/webhook"
    senders = [f"web-{uuid.uuid4().hex}" for _ in range(20)]
    on_b = [s for s in senders if client.post(url, json={"sender": s, "message": "a"}).json()["server"] == "b"]
    assert on_b
    b = proxy["servers"]["b"]
    b.shutdown()
    b.server_close()
    try:
        for sender in on_b:
            reply = client.post(url, json={"sender": sender, "message": "a"})
            assert reply.status_code == 200 and reply.json()["server"] == "a"
    finally:
        proxy["servers"]["b"] = stand_in("b-restarted")  # not on the old port: the fixture only shuts it down


def test_one_address_flooding_gets_429(tmp_path):
    servers = {"a": stand_in("a")}
    with nginx_in_front(tmp_path, servers, ip_rate=5) as running:
        codes = [running["client"].post(running["public"] + "/webhooks/rest/webhook",
                                        json={"sender": f"flood-{i}", "message": "a"}).status_code for i in range(40)]
    servers["a"].shutdown()
    assert codes[0] == 200 and codes.count(429) >= 20


def test_deploy_nginx_conf_is_what_the_generator_writes():
    import subprocess as sp
    import sys

    from bot.devserver import ROOT

    generated = sp.run([sys.executable, "-m", "bot.topology", "nginx-conf", "--compose", "--instances", "2"],
                       cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8") == generated, \
        "deploy/nginx.conf is stale: regenerate it (command in its header)"


def test_the_api_token_never_reaches_the_access_log(proxy):
    """Review L10: the console's ?token= was written to nginx's access log."""
    proxy["client"].get(proxy["internal"] + "/conversations/web-x/tracker", params={"token": "s3cret-token-value"})
    time.sleep(0.3)
    log = (proxy["prefix"] / "access.log").read_text()
    assert "/conversations/web-x/tracker" in log and "s3cret-token-value" not in log
