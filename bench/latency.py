"""Latency of a running assistant: /model/parse and a REST-webhook turn (with custom action).

Usage: ./run start   (in another shell), then   ./run bench [--url http://localhost:5005] [--n 260]

Plays real questions (the held-out NLU files: accented, accent-free, shorthand)
one at a time, and prints p50/p95/p99 for
  * GET  /status                 baseline: an HTTP round trip that does no NLU work
  * POST /model/parse            NLU only
  * POST /webhooks/rest/webhook  a whole turn: NLU, policies, custom action, reply
with each figure's ratio to the baseline measured in the same run, and the
training time of the current model (written by ./run train).
Target (issue #2): webhook p95 < 150 ms on the 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Callable, List

from percentiles import pct  # bench/ is on sys.path when a script here runs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.nlu.evaluate import load_examples  # noqa: E402


def post(url: str, payload: dict) -> int:
    request = urllib.request.Request(with_api_token(url), data=json.dumps(payload).encode("utf-8"),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        return response.status


def get(url: str) -> int:
    with urllib.request.urlopen(with_api_token(url), timeout=30) as response:
        response.read()
        return response.status


def timed(calls: List[Callable[[], int]]) -> tuple[List[float], int]:
    times, errors = [], 0
    for call in calls:
        start = time.perf_counter()
        try:
            if call() != 200:
                errors += 1
        except Exception:
            errors += 1
        times.append((time.perf_counter() - start) * 1000)
    return times, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("--n", type=int, default=260, help="questions per endpoint (>= 200)")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    questions = [text for pairs in load_examples().values() for text, _ in pairs]
    while len(questions) < args.n:
        questions += questions
    questions = questions[: args.n]

    try:
        get(f"{base}/status")
    except Exception as exc:
        print(f"no assistant at {base} ({exc}); start it with ./run start", file=sys.stderr)
        return 2
    for text in questions[:10]:  # warm-up
        post(f"{base}/model/parse", {"text": text})
        post(f"{base}/webhooks/rest/webhook", {"sender": "bench-warmup", "message": text})

    runs = {
        "GET /status (baseline)": [lambda: get(f"{base}/status") for _ in questions],
        "POST /model/parse": [lambda t=t: post(f"{base}/model/parse", {"text": t}) for t in questions],
        # A new sender per turn, so every turn is a first turn of its own conversation.
        "POST /webhooks/rest/webhook": [
            lambda t=t: post(f"{base}/webhooks/rest/webhook", {"sender": f"bench-{uuid.uuid4().hex[:8]}", "message": t})
            for t in questions
        ],
    }
    results = {name: timed(calls) for name, calls in runs.items()}
    baseline_p50 = pct(results["GET /status (baseline)"][0], 50)
    print(f"{len(questions)} real questions per endpoint, sequential, {base}")
    print(f"{'endpoint':<30} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'mean':>8} {'errors':>6} {'p50/baseline':>13}")
    for name, (times, errors) in results.items():
        print(f"{name:<30} {pct(times, 50):>8.1f} {pct(times, 95):>8.1f} {pct(times, 99):>8.1f} "
              f"{statistics.mean(times):>8.1f} {errors:>6} {pct(times, 50) / baseline_p50:>12.1f}x")
    train_file = ROOT / "models" / ".train_seconds"
    if train_file.exists():
        print(f"training time of the current model: {train_file.read_text().strip()} s (./run train)")
    webhook_p95 = pct(results["POST /webhooks/rest/webhook"][0], 95)
    print(f"webhook p95 {webhook_p95:.1f} ms: target < 150 ms {'MET' if webhook_p95 < 150 else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
