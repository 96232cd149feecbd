"""The staff console with many leads: p50/p95 of the leads list, filtered lists, a lead page,
the export and the reports page, with 50,000 leads in PostgreSQL.

Usage: ./run bench-console [--leads 50000] [--requests 60]

Creates a fresh PostgreSQL database on TEST_POSTGRES_URL's server, inserts realistic leads
(20 programmes, 40 xã/phường, 4 channels, all statuses, a year of dates, with status history
and conversations), starts the console (bot.devserver.running_console), signs in as a
counsellor and times each page sequentially over HTTP. GET /console/login (no database work)
is the same-run baseline; the ratio column is page p95 / baseline p95. Target: p95 < 300 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, List

from percentiles import pct  # bench/ is on sys.path when a script here runs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bot.devserver import fresh_postgres, running_console  # noqa: E402

COMMUNES = [f"Xã {n}" for n in ("Bản Lang", "Nậm Tăm", "Tân Phong", "Bình Lư", "Mường Kim", "Pa Tần", "Sìn Hồ",
                                "Dào San", "Khun Há", "Nậm Hàng")] + [f"Xã Thử {i}" for i in range(30)]
CHANNELS = ["telegram", "zalo", "web", "rest"]
STATUSES = ["new"] * 5 + ["waiting_human", "contacted", "contacted", "applied", "enrolled", "dropped"]


def seed(db_url: str, count: int) -> None:
    import sqlalchemy as sa

    from bot.kb import get_kb
    from bot.storage.db import engine_for, migrate
    from bot.storage.models import Conversation, Lead, LeadStatusChange

    migrate(db_url)
    programmes = [p.id for p in get_kb().programmes]
    rng = random.Random(7)
    now = dt.datetime.now(dt.timezone.utc)
    engine = engine_for(db_url)
    batch = 5000
    with engine.begin() as conn:
        for start in range(0, count, batch):
            n = min(batch, count - start)
            conversations = [{"channel": rng.choice(CHANNELS), "sender_id": f"bench:{start + i}", "recorded_at": now,
                              "last_messages": [{"who": "user", "text": "nghề hàn học mấy năm"}],
                              "programmes_asked": [], "policies_asked": []} for i in range(n)]
            ids = conn.execute(sa.insert(Conversation).returning(Conversation.id), conversations).scalars().all()
            leads = []
            for i, conv_id in enumerate(ids):
                created = now - dt.timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
                leads.append({"reference": f"LC-B{start + i:06d}", "created_at": created, "updated_at": created,
                              "status": rng.choice(STATUSES), "name": f"Học sinh {start + i}",
                              "phone": f"09{rng.randrange(10**8):08d}", "role": "hs_thcs",
                              "commune": rng.choice(COMMUNES), "programmes": rng.sample(programmes, rng.choice((1, 1, 2))),
                              "contact_time": "toi", "is_minor": False, "channel": conversations[i]["channel"],
                              "sender_id": conversations[i]["sender_id"], "conversation_id": conv_id})
            lead_ids = conn.execute(sa.insert(Lead).returning(Lead.id), leads).scalars().all()
            conn.execute(sa.insert(LeadStatusChange), [{"lead_id": lid, "at": now, "from_status": None, "to_status": "new",
                                                        "by": "assistant"} for lid in lead_ids])
    with engine.connect() as conn:
        conn.execute(sa.text("ANALYZE"))


def timed(fn: Callable[[], httpx.Response], n: int) -> List[float]:
    fn()  # warm-up
    out = []
    for _ in range(n):
        start = time.perf_counter()
        r = fn()
        out.append((time.perf_counter() - start) * 1000)
        assert r.status_code == 200, (r.status_code, r.text[:300])
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    admin_url = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    from bot.console import auth

    with fresh_postgres(admin_url) as db_url, tempfile.TemporaryDirectory() as work:
        began = time.perf_counter()
        seed(db_url, args.leads)
        print(f"seeded {args.leads} leads in PostgreSQL in {time.perf_counter() - began:.1f} s")
        auth.create_user("bench", "Bench", "counsellor", "Do-thoi-gian-Trang-26", db_url)
        with running_console(Path(work), db_url) as url:
            c = httpx.Client(base_url=url, timeout=60)
            token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/console/login").text).group(1)
            c.post("/console/login", data={"username": "bench", "password": "Do-thoi-gian-Trang-26", "csrf_token": token})
            pages = {
                "GET /console/login (baseline)": lambda: c.get("/console/login"),
                "leads list, page 1": lambda: c.get("/console/leads"),
                "leads list, page 500": lambda: c.get("/console/leads", params={"page": 500}),
                "filtered: xã + trạng thái": lambda: c.get("/console/leads", params={"commune": "Xã Bản Lang", "status": "contacted"}),
                "filtered: nghề + kênh + ngày": lambda: c.get("/console/leads", params={
                    "programme": "han", "channel": "zalo", "date_from": "2026-06-01", "date_to": "2026-09-30"}),
                "search by phone": lambda: c.get("/console/leads", params={"q": "0912345678"}),
                "one lead": lambda: c.get(f"/console/leads/LC-B{args.leads // 2:06d}"),
                "reports dashboard": lambda: c.get("/console/reports"),
            }
            results = {name: timed(fn, args.requests) for name, fn in pages.items()}
            base = pct(results["GET /console/login (baseline)"], 95)
            print(f"{'page':34} {'p50 ms':>8} {'p95 ms':>8} {'ratio p95':>10}")
            for name, values in results.items():
                print(f"{name:34} {pct(values, 50):8.1f} {pct(values, 95):8.1f} {pct(values, 95) / base:10.1f}")
            started = time.perf_counter()
            export = c.get("/console/leads/export", params={"format": "csv"})
            print(f"export of all {args.leads} leads as CSV: {(time.perf_counter() - started):.1f} s, "
                  f"{len(export.content) / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
