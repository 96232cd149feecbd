"""Leads through the whole assistant: throughput and the latency of the form's last turn.

Usage: ./run bench-leads [--conversations 40] [--workers 1,4]

For SQLite and for PostgreSQL (a fresh database on TEST_POSTGRES_URL's server) it
starts Rasa + the action server (bot.devserver), plays complete lead-form
conversations from several simulated people at once over the REST webhook, and
prints: leads written per second, p50/p95 of the last turn (the one that saves
the lead; target p95 < 200 ms), and, as a same-run baseline, p50/p95 of the turn
before it (the summary, which writes nothing). Rows are counted at the end.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import List, Tuple

from percentiles import pct  # bench/ is on sys.path when a script here runs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.devserver import Assistant, fresh_postgres, running_assistant  # noqa: E402

ANSWERS = ["Lò Văn Minh", None, "phu_huynh", "xã Bản Lang", "điện dân dụng", "toi", "đồng ý"]


def conversation(bot: Assistant, i: int) -> Tuple[float, float]:
    me = f"bench-{uuid.uuid4().hex[:10]}"
    bot.say(me, "em muốn đăng ký học")
    for answer in ANSWERS[:-1]:
        bot.say(me, answer or "091" + str(uuid.uuid4().int)[:7])
    start = time.perf_counter()
    bot.say(me, ANSWERS[-1])  # -> the summary (no write)
    summary_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    reply = bot.text(me, "đúng rồi")  # -> the lead is saved
    last_ms = (time.perf_counter() - start) * 1000
    assert "Mã đăng ký" in reply, reply
    return summary_ms, last_ms


def count_leads(db_url: str) -> int:
    from sqlalchemy import func, select

    from bot.storage.db import session_scope
    from bot.storage.models import Lead

    with session_scope(db_url) as session:
        return session.scalar(select(func.count()).select_from(Lead))


def run(name: str, db_url: str, work: Path, conversations: int, worker_counts: List[int]) -> None:
    with running_assistant(work, db_url) as bot:
        conversation(bot, -1)  # warm-up
        for workers in worker_counts:
            before = count_leads(db_url)
            start = time.perf_counter()
            with ThreadPoolExecutor(workers) as pool:
                results = list(pool.map(lambda i: conversation(bot, i), range(conversations)))
            wall = time.perf_counter() - start
            written = count_leads(db_url) - before
            summary = [r[0] for r in results]
            last = [r[1] for r in results]
            print(f"{name:<11} {workers:>7} {written:>5} {written / wall:>8.1f} {pct(last, 50):>9.1f} {pct(last, 95):>9.1f} "
                  f"{pct(summary, 50):>12.1f} {pct(summary, 95):>12.1f} {pct(last, 95) / pct(summary, 95):>9.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=40)
    parser.add_argument("--workers", default="1,4", help="people talking at the same time (comma-separated runs)")
    args = parser.parse_args()
    pg_admin = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    workers = [int(w) for w in args.workers.split(",")]
    print(f"{args.conversations} complete lead forms per run, through the REST webhook; 2-core machine")
    print(f"{'database':<11} {'at once':>7} {'leads':>5} {'leads/s':>8} {'last p50':>9} {'last p95':>9} "
          f"{'summary p50':>12} {'summary p95':>12} {'last/summ':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", f"sqlite:///{tmp}/bench.db", Path(tmp) / "sqlite", args.conversations, workers)
        try:
            with fresh_postgres(pg_admin) as pg_url:
                run("PostgreSQL", pg_url, Path(tmp) / "pg", args.conversations, workers)
        except Exception as exc:  # noqa: BLE001 - report, do not hide
            print(f"PostgreSQL     skipped: {exc.__class__.__name__}: {exc}")
    print("target: last-turn p95 < 200 ms (milliseconds; 'last' saves the lead, 'summary' writes nothing)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
