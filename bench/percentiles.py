"""What every bench script shares: the percentile it reports (nearest rank) and how it publishes."""

from __future__ import annotations

from typing import List


def pct(values: List[float], q: float) -> float:
    """The q-th percentile of `values` (nan when there are none)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def publish(lines: List[str], path) -> int:
    """Print a bench script's Markdown report and keep it in bench/results/ (exit status 0)."""
    text = "\n".join(lines) + "\n"
    print(text)
    path.write_text(text, encoding="utf-8")
    return 0
