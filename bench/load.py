"""Load test of the production topology: many simulated people in realistic conversations.

Usage:
  ./run bench-load                               # the whole matrix below, results to bench/results/
  ./run bench-load --instances 2 --users 100     # one run
  .venv/bin/python bench/load.py --url http://127.0.0.1:8080 --users 20   # against a running topology

For each number of instances (1, 2, 4) it starts the topology (bot/topology.py: nginx,
N Rasa + N action servers, PostgreSQL tracker store and leads, Redis locks) on a fresh
PostgreSQL database, then plays conversations through nginx on loopback from 20 and
then 100 simultaneous simulated people, for a fixed time each. Every person, again and
again until the time is up, starts a new conversation of one kind:
  * questions (45 %): 3-4 questions on programmes, fees, papers, jobs;
  * support check (30 %): describes themselves, gets the supports, then asks one more thing;
  * lead form (25 %): asks to register and answers the form until the reference code.
Between messages a person "types" for a random 2-6 s (a phone user in Vietnamese;
the per-sender rate limit of 8 messages per 10 s is never reached).

Printed per run: messages/s, p50/p95/p99 latency, errors (non-200, transport errors,
an empty reply, a form that did not end with a reference), leads expected vs found in
the database (after the outbox had time to flush), and the peak memory (VmHWM) of
every process. Ratios are against the first run of the same invocation (the baseline:
1 instance, 20 people). Targets at 100 people: 0 errors, 0 lost leads, p95 < 500 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from percentiles import pct  # bench/ is on sys.path when a script here runs

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.devserver import fresh_postgres, next_form_answer  # noqa: E402

RESULTS = ROOT / "bench" / "results"
REFERENCE = re.compile(r"Mã đăng ký của bạn là (LC-[A-Z0-9]{6})")
QUESTIONS = [
    "trường có những ngành gì", "học phí nghề hàn bao nhiêu", "hồ sơ nhập học gồm những gì",
    "học xong điện công nghiệp ra làm gì", "cao đẳng thì học mấy năm", "có ký túc xá không ạ",
    "nghề thú y học ở đâu", "hoc phi trung cap bn", "tuyển sinh đến bao giờ", "có học bổng không",
]
PROFILES = [
    "em người Mông, nhà hộ nghèo, học xong lớp 9, muốn học trung cấp",
    "em là bộ đội xuất ngũ muốn học nghề thì được hỗ trợ gì",
    "con tôi người Thái, hộ cận nghèo, học hết lớp 12, muốn học cao đẳng",
    "em ở xã đặc biệt khó khăn, dân tộc Dao, muốn học sơ cấp",
]


@dataclass
class Stats:
    latencies: List[float] = field(default_factory=list)
    errors: Dict[str, int] = field(default_factory=dict)
    references: List[str] = field(default_factory=list)
    conversations: int = 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


class Person:
    def __init__(self, session: aiohttp.ClientSession, url: str, stats: Stats, rng: random.Random,
                 think: tuple, deadline: float):
        self.session, self.url, self.stats, self.rng = session, url, stats, rng
        self.think, self.deadline = think, deadline

    async def say(self, sender: str, text: str) -> Optional[str]:
        if time.monotonic() >= self.deadline:  # time is up: the conversation ends here, no error
            return None
        start = time.perf_counter()
        try:
            async with self.session.post(self.url + "/webhooks/rest/webhook",
                                         json={"sender": sender, "message": text,
                                               "metadata": {"channel": "webchat"}}) as response:
                body = await response.read()
                elapsed = (time.perf_counter() - start) * 1000
                if response.status != 200:
                    self.stats.error(f"HTTP {response.status}")
                    return None
                replies = json.loads(body)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            self.stats.error(error.__class__.__name__)
            return None
        self.stats.latencies.append(elapsed)
        text = "\n".join(m.get("text") or "" for m in replies)
        if not text.strip():
            self.stats.error("empty reply")
            return None
        return text

    async def pause(self) -> None:
        await asyncio.sleep(self.rng.uniform(*self.think))

    async def questions(self, sender: str) -> None:
        for question in self.rng.sample(QUESTIONS, self.rng.randint(3, 4)):
            if await self.say(sender, question) is None:
                return
            await self.pause()

    async def support_check(self, sender: str) -> None:
        if await self.say(sender, self.rng.choice(PROFILES)) is None:
            return
        await self.pause()
        await self.say(sender, self.rng.choice(QUESTIONS))

    async def lead_form(self, sender: str) -> None:
        reply = await self.say(sender, "em muốn đăng ký học")
        for _ in range(12):
            if reply is None:
                return
            found = REFERENCE.search(reply)
            if found:
                self.stats.references.append(found.group(1))
                return
            answer = next_form_answer(reply, phone="09" + str(self.rng.randrange(10 ** 7, 10 ** 8)))
            if answer is None:
                self.stats.error("unexpected form question")
                return
            await self.pause()
            reply = await self.say(sender, answer)
        if reply is not None:
            self.stats.error("form did not end")

    async def live(self) -> None:
        await asyncio.sleep(self.rng.uniform(0, self.think[1]))  # people do not all start at once
        while time.monotonic() < self.deadline:
            sender = f"load-{uuid.UUID(int=self.rng.getrandbits(128)).hex}"
            kind = self.rng.choices([self.questions, self.support_check, self.lead_form], [45, 30, 25])[0]
            await kind(sender)
            self.stats.conversations += 1
            await self.pause()


async def play(url: str, users: int, seconds: float, think: tuple, seed: int) -> Stats:
    """Conversations until `seconds` have passed (a conversation under way then just stops)."""
    stats = Stats()
    rng = random.Random(seed)
    deadline = time.monotonic() + seconds
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=users)) as session:
        people = [Person(session, url, stats, random.Random(rng.random()), think, deadline) for _ in range(users)]
        await asyncio.gather(*(p.live() for p in people))
    return stats


def leads_found(db_url: str, references: List[str], wait: float = 30) -> int:
    from sqlalchemy import func, select

    from bot.storage.db import session_scope
    from bot.storage.models import Lead

    deadline = time.time() + wait
    while True:
        with session_scope(db_url) as session:
            found = session.scalar(select(func.count()).select_from(Lead).where(Lead.reference.in_(references))) \
                if references else 0
        if found >= len(set(references)) or time.time() > deadline:
            return found
        time.sleep(1)


def peak_memory_mb(pids: Dict[str, int]) -> Dict[str, float]:
    """VmHWM (peak resident memory) of each process, in MB."""
    out = {}
    for name, pid in pids.items():
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    out[name] = round(int(line.split()[1]) / 1024, 1)
        except OSError:
            pass
    return out


@dataclass
class RunResult:
    instances: int
    users: int
    seconds: float
    messages: int
    conversations: int
    per_second: float
    p50: float
    p95: float
    p99: float
    errors: Dict[str, int]
    leads_expected: int
    leads_found: int
    memory_mb: Dict[str, float]


def summarise(instances: int, users: int, seconds: float, stats: Stats, found: int,
              memory: Dict[str, float]) -> RunResult:
    return RunResult(instances, users, seconds, len(stats.latencies), stats.conversations,
                     round(len(stats.latencies) / seconds, 2), round(pct(stats.latencies, 50), 1),
                     round(pct(stats.latencies, 95), 1), round(pct(stats.latencies, 99), 1), stats.errors,
                     len(set(stats.references)), found, memory)


def print_run(r: RunResult, baseline: Optional[RunResult]) -> None:
    ratio = ""
    if baseline and baseline is not r:
        ratio = (f"  (vs baseline: throughput x{r.per_second / baseline.per_second:.2f}, "
                 f"p95 x{r.p95 / baseline.p95:.2f})")
    print(f"{r.instances} instance(s), {r.users:3d} people, {r.seconds:.0f} s: {r.messages} messages "
          f"({r.per_second}/s), {r.conversations} conversations; latency p50 {r.p50} ms, p95 {r.p95} ms, "
          f"p99 {r.p99} ms; errors {sum(r.errors.values())} {r.errors or ''}; leads {r.leads_found}/"
          f"{r.leads_expected} found{ratio}", flush=True)
    mem = ", ".join(f"{k} {v}" for k, v in sorted(r.memory_mb.items()))
    print(f"    peak memory (MB): {mem}", flush=True)


def write_results(results: List[RunResult], train_seconds: Optional[str], think: tuple) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps([asdict(r) for r in results], indent=2, ensure_ascii=False))
    base = results[0]
    lines = [
        "# Load test of the production topology (bench/load.py)",
        "",
        f"Machine: {os.cpu_count()} cores; loopback; think time {think[0]}-{think[1]} s between a person's "
        f"messages. Model training time on this machine: {train_seconds or '?'} s.",
        "",
        "| instances | people | msg/s | p50 ms | p95 ms | p99 ms | errors | leads found/expected | x throughput |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(f"| {r.instances} | {r.users} | {r.per_second} | {r.p50} | {r.p95} | {r.p99} | "
                     f"{sum(r.errors.values())} | {r.leads_found}/{r.leads_expected} | "
                     f"{r.per_second / base.per_second:.2f} |")
    lines += ["", "Peak memory (VmHWM, MB) per process:", ""]
    for r in results:
        if r.users == max(x.users for x in results if x.instances == r.instances):
            lines.append(f"- {r.instances} instance(s): " + ", ".join(f"{k} {v}" for k, v in sorted(r.memory_mb.items())))
    path = RESULTS / "load.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def matrix(args: argparse.Namespace) -> None:
    from bot.topology import running_topology

    think = tuple(float(x) for x in args.think.split(","))
    admin = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    results: List[RunResult] = []
    for instances in [int(x) for x in args.instances.split(",")]:
        work = ROOT / "var" / "bench-load" / f"{instances}-instances"  # logs stay for a look afterwards
        shutil.rmtree(work, ignore_errors=True)
        with fresh_postgres(admin) as db_url:
            with running_topology(work, instances, db_url, redis_url, console=False) as topo:
                asyncio.run(play(topo.url, 2, 8, (0.2, 0.5), 1))  # warm-up: first model calls are slow
                for users in [int(x) for x in args.users.split(",")]:
                    stats = asyncio.run(play(topo.url, users, args.seconds, think, args.seed))
                    found = leads_found(db_url, stats.references)
                    result = summarise(instances, users, args.seconds, stats, found, peak_memory_mb(topo.pids()))
                    results.append(result)
                    print_run(result, results[0])
    train = (ROOT / "models" / ".train_seconds")
    path = write_results(results, train.read_text().strip() if train.exists() else None, think)
    print(f"results written to {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running topology (nginx); without it the matrix starts its own")
    parser.add_argument("--db-url", help="with --url: the database to count leads in")
    parser.add_argument("--instances", default="1,2,4")
    parser.add_argument("--users", default="20,100")
    parser.add_argument("--seconds", type=float, default=90)
    parser.add_argument("--think", default="2,6", help="min,max seconds between a person's messages")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not args.url:
        matrix(args)
        return
    think = tuple(float(x) for x in args.think.split(","))
    results: List[RunResult] = []
    for users in [int(x) for x in args.users.split(",")]:
        stats = asyncio.run(play(args.url, users, args.seconds, think, args.seed))
        found = leads_found(args.db_url, stats.references) if args.db_url else -1
        results.append(summarise(0, users, args.seconds, stats, found, {}))
        print_run(results[-1], results[0])


if __name__ == "__main__":
    main()
