"""The production topology on one machine: nginx in front of several Rasa instances and
action servers, PostgreSQL (tracker store + leads), Redis (lock store, rate limits).

    ./run topology --instances 2         # starts everything, prints the URLs, Ctrl-C stops
    python -m bot.topology nginx-conf    # the nginx configuration it would use (--compose: deploy/)

What runs (ports are the defaults; PUBLIC_PORT etc. change them):

  nginx :8080  public: /webhooks/* (chat, widget, Zalo) -> Rasa, hashed on the sender id;
               /console/* -> staff console; nothing else (the Rasa HTTP API is not public)
  nginx 127.0.0.1:8081  internal: Rasa's HTTP API for the console (pause/resume/history),
               hashed on the conversation id in the path; the Telegram gateway's REST calls
  nginx 127.0.0.1:8082  action servers, round robin; if none answers, a graceful reply
  rasa 127.0.0.1:5105.. N instances, one model file shared by all
  actions 127.0.0.1:5155.. N action servers (stateless; leads go to PostgreSQL or the outbox)
  console 127.0.0.1:5106  staff console (one instance; it runs the retention purge)

Every sender goes to the same Rasa instance because Rasa's Redis lock is not atomic
across servers: nginx hashes on the sender id, read from the JSON body ("sender": "…"
for REST, "sender": {"id": "…"} for Zalo), the query string (?sender=) or the path
(/conversations/<id>/…). If that instance is down, nginx picks the next one, which
continues the conversation from the tracker store.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence
from urllib.parse import urlsplit

from bot.channels.turns import GRACEFUL_ACTION_DOWN
from bot.devserver import MODEL, RASA_LIMITS, ROOT, wait_http

BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/laichau"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass
class Ports:
    public: int = 8080
    internal: int = 8081
    actions_lb: int = 8082
    console: int = 5106
    rasa: List[int] = field(default_factory=list)
    actions: List[int] = field(default_factory=list)

    @classmethod
    def for_instances(cls, n: int, base: Optional["Ports"] = None) -> "Ports":
        ports = base or cls()
        ports.rasa = [5105 + 100 * i for i in range(n)] if not ports.rasa else ports.rasa
        ports.actions = [5155 + 100 * i for i in range(n)] if not ports.actions else ports.actions
        return ports


def nginx_conf(ports: Ports, prefix: Path, ip_rate: int = 100, user_root: bool = False,
               rasa: Optional[List[str]] = None, actions: Optional[List[str]] = None, console: Optional[str] = None,
               **options: Sequence[str]) -> str:
    """The nginx configuration of the topology on this machine (upstreams may be replaced)."""
    return render_nginx(rasa or [f"127.0.0.1:{p}" for p in ports.rasa],
                        actions or [f"127.0.0.1:{p}" for p in ports.actions],
                        console or f"127.0.0.1:{ports.console}", str(ports.public), f"127.0.0.1:{ports.internal}",
                        f"127.0.0.1:{ports.actions_lb}", prefix, ip_rate, user_root, **options)


# Who reaches /console/ when the operator names nobody: this machine and the private ranges (the
# college's network), never the whole Internet (review L11). `--console-allow 0.0.0.0/0` opens it.
PRIVATE_NETWORKS = ("127.0.0.1/32", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")


def render_nginx(rasa: List[str], actions: List[str], console: str, public_listen: str, internal_listen: str,
                 actions_listen: str, prefix: Path, ip_rate: int = 100, user_root: bool = False,
                 console_allow: Sequence[str] = PRIVATE_NETWORKS, real_ip_from: Sequence[str] = ()) -> str:
    """`console_allow`: only these addresses reach /console/. `real_ip_from`: trusted proxies in
    front (TLS) whose X-Forwarded-For gives the client's address to the per-IP limit and to
    `console_allow`."""
    real_ip = ""
    if real_ip_from:
        real_ip = ("  # The proxy in front (TLS) passes the client's address: per-IP limits and /console/ rules "
                   "use it.\n" + "".join(f"  set_real_ip_from {cidr};\n" for cidr in real_ip_from)
                   + "  real_ip_header X-Forwarded-For;\n  real_ip_recursive on;\n")
    allow = "".join(f"      allow {cidr};\n" for cidr in console_allow) + ("      deny all;\n" if console_allow else "")
    rasa_servers = "\n".join(f"    server {s} max_fails=1 fail_timeout=5s;" for s in rasa)
    # Never marked down: a refused connection costs nothing, and a restarted server is used at once.
    action_servers = "\n".join(f"    server {s} max_fails=0;" for s in actions)
    graceful = '{"events":[],"responses":[{"text":"' + GRACEFUL_ACTION_DOWN + '"}]}'
    return f"""# Generated by bot/topology.py: edit there, not here.
{"user root;" if user_root else ""}
worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}

http {{
  # No query strings in the log: Rasa 3.6 takes its API token only as ?token= (review L10).
  log_format no_query '$remote_addr - [$time_local] "$request_method $uri $server_protocol" $status $body_bytes_sent';
  access_log {prefix}/access.log no_query;
  client_body_temp_path {prefix}/tmp/body;
  proxy_temp_path {prefix}/tmp/proxy;
  fastcgi_temp_path {prefix}/tmp/fastcgi;
  uwsgi_temp_path {prefix}/tmp/uwsgi;
  scgi_temp_path {prefix}/tmp/scgi;
  server_tokens off;
  # A chat message is small (public server: 64 KB); the whole body stays in memory so the
  # sender can be read from it. Rasa -> action server requests carry the conversation's
  # tracker (tens of KB after a lead form), so the internal servers accept more.
  client_max_body_size 64k;
  client_body_buffer_size 64k;
  limit_req_zone $binary_remote_addr zone=per_ip:10m rate={ip_rate}r/s;
  limit_req_status 429;
{real_ip}
  # The sender id that picks the Rasa instance (see bot/topology.py).
  map $request_body $body_sender {{
    "~\\"sender\\"\\s*:\\s*\\{{\\s*\\"id\\"\\s*:\\s*\\"(?<zalo_id>[^\\"]{{1,128}})\\"" "zalo:$zalo_id";
    "~\\"sender\\"\\s*:\\s*\\"(?<rest_id>[^\\"]{{1,128}})\\"" $rest_id;
    default "";
  }}
  map $uri $path_sender {{
    "~^/conversations/(?<conversation_id>[^/]+)/" $conversation_id;
    default "";
  }}
  map $path_sender $sender_from_path_or_body {{
    "" $body_sender;
    default $path_sender;
  }}
  map $arg_sender $sender_key {{
    "" $sender_from_path_or_body;
    default $arg_sender;
  }}

  upstream rasa {{
    hash $sender_key consistent;
{rasa_servers}
    keepalive 64;
  }}
  upstream actions {{
{action_servers}
    keepalive 64;
  }}
  upstream console {{
    server {console};
  }}

  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host $host;
  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
  proxy_set_header X-Sender-Key $sender_key;
  proxy_read_timeout 60s;
  # Only when the request never reached the instance (refused, down): never a double answer.
  proxy_next_upstream error timeout;
  proxy_next_upstream_tries 3;

  server {{
    listen {public_listen};
    location /webhooks/ {{
      limit_req zone=per_ip burst={ip_rate * 2} nodelay;
      proxy_pass http://rasa;
    }}
    location /console/ {{
{allow}      limit_req zone=per_ip burst=50 nodelay;
      proxy_pass http://console;
    }}
    location = /health {{ default_type text/plain; return 200 "ok\\n"; }}
    location / {{ return 404; }}
  }}

  server {{
    listen {internal_listen};
    client_max_body_size 16m;
    client_body_buffer_size 1m;
    location / {{ proxy_pass http://rasa; }}
  }}

  server {{
    listen {actions_listen};
    client_max_body_size 16m;
    client_body_buffer_size 1m;
    location / {{
      proxy_pass http://actions;
      error_page 502 503 504 = @actions_down;
    }}
    # No action server answers: the person is told; bot/channels/turns.py takes the turn back.
    location @actions_down {{
      default_type application/json;
      return 200 '{graceful}';
    }}
  }}
}}
"""


def endpoints_yml(actions_url: str, db_url: str, redis_url: str) -> str:
    """Rasa endpoints for production: PostgreSQL tracker store, Redis lock store."""
    db = urlsplit(db_url)
    redis = urlsplit(redis_url)
    dialect = db.scheme.split("+")[0]
    lines = [
        "# Generated by bot/topology.py for the production topology.",
        "action_endpoint:",
        f"  url: {actions_url}",
        "  headers:",
        "    X-Actions-Secret: ${ACTIONS_SECRET}",
        "tracker_store:",
        "  type: bot.rasa_stores.ResilientSQLTrackerStore",
        f"  dialect: {dialect}",
        f"  url: {db.hostname or '127.0.0.1'}",
        f"  port: {db.port or 5432}",
        f"  db: {db.path.lstrip('/')}",
        f"  username: {db.username or 'postgres'}",
        "  password: ${TRACKER_DB_PASSWORD}" if db.password else "",
        "  query:",
        "    connect_timeout: \"3\"",
        "lock_store:",
        "  type: bot.rasa_stores.ResilientRedisLockStore",
        f"  url: {redis.hostname or '127.0.0.1'}",
        f"  port: {redis.port or 6379}",
        f"  db: {int((redis.path or '/0').lstrip('/') or 0) + 1}",
        "  key_prefix: laichau",
    ]
    return "\n".join(line for line in lines if line) + "\n"


def _tcp_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def ensure_database(db_url: str) -> None:
    """Create the database of `db_url` if the server is up but the database is missing."""
    import sqlalchemy as sa

    name = urlsplit(db_url).path.lstrip("/")
    admin = sa.create_engine(db_url.rsplit("/", 1)[0] + "/postgres", future=True, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise RuntimeError("nginx is not installed: ./run topology installs Debian's nginx (apt-get install nginx-light)")
    return found


class Topology:
    """The running processes; tests stop and start parts of it to check fault handling."""

    def __init__(self, work: Path, instances: int, db_url: str, redis_url: str, ports: Ports,
                 extra_env: Optional[Dict[str, str]] = None, model: Path = MODEL):
        self.work, self.instances, self.db_url, self.redis_url = work, instances, db_url, redis_url
        self.ports, self.model = ports, model
        self.procs: Dict[str, subprocess.Popen] = {}
        self.env = {**os.environ, "DATABASE_URL": db_url, "REDIS_URL": redis_url, "PYTHONPATH": str(ROOT),
                    "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
                    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                    "RASA_URL": f"http://127.0.0.1:{ports.internal}",
                    "GATEWAY_SECRET": os.environ.get("GATEWAY_SECRET") or secrets.token_urlsafe(24),
                    "RASA_API_TOKEN": os.environ.get("RASA_API_TOKEN") or secrets.token_urlsafe(24),
                    "ACTIONS_SECRET": os.environ.get("ACTIONS_SECRET") or secrets.token_urlsafe(24),
                    **(extra_env or {})}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports.public}"

    @property
    def widget_origins(self) -> List[str]:
        """The sites allowed to call the assistant from a browser (WIDGET_ORIGINS, space-separated):
        by default the demo page behind nginx."""
        return (self.env.get("WIDGET_ORIGINS") or f"{self.url} http://localhost:{self.ports.public}").split()

    @property
    def internal_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.internal}"

    def log(self, name: str) -> Path:
        return self.work / f"{name}.log"

    def _spawn(self, name: str, args: List[str], env: Optional[Dict[str, str]] = None) -> subprocess.Popen:
        proc = subprocess.Popen(args, cwd=ROOT, env={**self.env, **(env or {})},
                                stdout=self.log(name).open("a"), stderr=subprocess.STDOUT, start_new_session=True)
        self.procs[name] = proc
        return proc

    # -- the parts --------------------------------------------------------------------
    def start_actions(self, i: int, wait: bool = True) -> None:
        self._spawn(f"actions{i}", [sys.executable, "-m", "bot.action_server", "--port", str(self.ports.actions[i])],
                    {"ASSISTANT_DATA_DIR": str(self.work / f"actions{i}")})
        if wait:
            self.wait_actions(i)

    def wait_actions(self, i: int) -> None:
        wait_http(f"http://127.0.0.1:{self.ports.actions[i]}/health", 120, self.procs[f"actions{i}"],
                  self.log(f"actions{i}"))

    def start_rasa(self, i: int, wait: bool = True) -> None:
        port = self.ports.rasa[i]
        self._spawn(f"rasa{i}", [
            str(BIN / "rasa"), "run", "--model", str(self.model), "--port", str(port), "--interface", "127.0.0.1",
            # "=": a generated token may start with "-", which argparse would take for an option.
            "--enable-api", f"--auth-token={self.env['RASA_API_TOKEN']}", "--cors", *self.widget_origins,
            "--credentials", str(ROOT / "credentials.yml"), "--endpoints", str(self.work / "endpoints.yml")],
            RASA_LIMITS)
        if wait:
            self.wait_rasa(i)

    def wait_rasa(self, i: int) -> None:
        wait_http(f"http://127.0.0.1:{self.ports.rasa[i]}/webhooks/rest/", 300, self.procs[f"rasa{i}"],
                  self.log(f"rasa{i}"))

    def start_console(self) -> None:
        self._spawn("console", [sys.executable, "-m", "bot", "console", "serve", "--host", "127.0.0.1",
                                "--port", str(self.ports.console)])
        wait_http(f"http://127.0.0.1:{self.ports.console}/console/login", 60, self.procs["console"],
                  self.log("console"))

    def start_nginx(self) -> None:
        prefix = self.work / "nginx"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (prefix / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        conf = prefix / "nginx.conf"
        conf.write_text(nginx_conf(self.ports, prefix, user_root=os.geteuid() == 0), encoding="utf-8")
        nginx = nginx_binary()
        check = subprocess.run([nginx, "-t", "-c", str(conf), "-p", str(prefix)], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx configuration refused:\n{check.stderr}")
        proc = self._spawn("nginx", [nginx, "-c", str(conf), "-p", str(prefix), "-g", "daemon off;"])
        wait_http(f"{self.url}/health", 20, proc, prefix / "error.log")

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def pids(self) -> Dict[str, int]:
        return {name: proc.pid for name, proc in self.procs.items() if proc.poll() is None}

    # -- all of it --------------------------------------------------------------------
    def start(self, console: bool = True) -> None:
        if not self.model.exists():
            raise FileNotFoundError(f"no trained model at {self.model}: run ./run train")
        self.work.mkdir(parents=True, exist_ok=True)
        (self.work / "endpoints.yml").write_text(endpoints_yml(
            f"http://127.0.0.1:{self.ports.actions_lb}/webhook", self.db_url, self.redis_url), encoding="utf-8")
        subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], cwd=ROOT, env=self.env, check=True,
                       stdout=subprocess.DEVNULL)
        for i in range(self.instances):
            self.start_actions(i, wait=False)
        for i in range(self.instances):
            self.start_rasa(i, wait=False)
        self.start_nginx()
        if console:
            self.start_console()
        for i in range(self.instances):
            self.wait_actions(i)
        for i in range(self.instances):
            self.wait_rasa(i)
        if self.env.get("TELEGRAM_BOT_TOKEN"):
            self._spawn("telegram", [sys.executable, "-m", "bot.channels.telegram"])

    def stop_all(self) -> None:
        for name in ["nginx", "telegram", "console"] + [n for n in list(self.procs) if n.startswith("rasa")] + \
                list(self.procs):
            self.stop(name)


@contextmanager
def running_topology(work: Path, instances: int, db_url: str, redis_url: str, ports: Optional[Ports] = None,
                     extra_env: Optional[Dict[str, str]] = None, console: bool = True) -> Iterator[Topology]:
    topology = Topology(work, instances, db_url, redis_url, Ports.for_instances(instances, ports), extra_env)
    try:
        topology.start(console=console)
        yield topology
    finally:
        topology.stop_all()


def _nginx_conf_command(args: argparse.Namespace, ports: Ports, argv: List[str]) -> str:
    """`nginx-conf`: this machine's configuration, or with --compose the one of deploy/docker-compose.yml."""
    options = dict(console_allow=args.console_allow or PRIVATE_NETWORKS, real_ip_from=args.real_ip_from or ())
    if not args.compose:
        return nginx_conf(ports, ROOT / "var" / "topology" / "nginx", rasa=args.rasa, actions=args.actions,
                          console=args.console, **options)
    n = args.instances
    text = render_nginx(args.rasa or [f"rasa{i + 1}:5005" for i in range(n)],
                        args.actions or [f"actions{i + 1}:5055" for i in range(n)],
                        args.console or "console:5006", "80", "8081", "8082", Path("/var/cache/nginx"), **options)
    return ("# deploy/nginx.conf: the nginx of deploy/docker-compose.yml (image deploy/nginx.Dockerfile).\n"
            "# Do not edit by hand; regenerate from the repository root with\n"
            f"#   .venv/bin/python -m bot.topology {' '.join(shlex.quote(a) for a in argv)} > deploy/nginx.conf\n"
            "# then reload nginx: docker compose -f deploy/docker-compose.yml exec nginx nginx -s reload\n"
            + text)


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.topology", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start the topology on this machine (Ctrl-C stops it)")
    up.add_argument("--instances", type=int, default=int(os.environ.get("INSTANCES", "2")))
    up.add_argument("--work", type=Path, default=ROOT / "var" / "topology")
    conf = sub.add_parser("nginx-conf", help="print the nginx configuration")
    conf.add_argument("--instances", type=int, default=2)
    conf.add_argument("--compose", action="store_true",
                      help="for deploy/docker-compose.yml: upstreams rasa1:5005…, actions1:5055…, console:5006; "
                           "listen 80 (public), 8081 (internal), 8082 (actions); prefix /var/cache/nginx")
    conf.add_argument("--rasa", action="append", metavar="HOST:PORT",
                      help="a Rasa instance, repeated for each (replaces the default list)")
    conf.add_argument("--actions", action="append", metavar="HOST:PORT",
                      help="an action server, repeated for each (replaces the default list)")
    conf.add_argument("--console", metavar="HOST:PORT", help="the staff console (replaces the default)")
    conf.add_argument("--console-allow", action="append", metavar="CIDR",
                      help="only these addresses reach /console/ (repeat; everyone else gets 403)")
    conf.add_argument("--real-ip-from", action="append", metavar="CIDR",
                      help="a trusted proxy in front of nginx (TLS): the client's address is taken from its "
                           "X-Forwarded-For, for the per-IP limit and --console-allow (repeat)")
    args = parser.parse_args(argv)
    ports = Ports.for_instances(args.instances, Ports(public=int(os.environ.get("PUBLIC_PORT", "8080"))))
    if args.command == "nginx-conf":
        print(_nginx_conf_command(args, ports, sys.argv[1:] if argv is None else argv), end="")
        return
    db_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    if db_url.startswith("postgresql"):
        ensure_database(db_url)
    topology = Topology(args.work, args.instances, db_url, redis_url, ports)
    try:
        topology.start()
        print(f"\nassistant (nginx): {topology.url}/webhooks/webchat/   staff console: {topology.url}/console/\n"
              f"{args.instances} Rasa instance(s) {ports.rasa}, action servers {ports.actions}; "
              f"logs in {args.work}\nCtrl-C stops everything.", flush=True)
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    finally:
        topology.stop_all()


if __name__ == "__main__":
    main()
