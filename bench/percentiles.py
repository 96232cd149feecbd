"""The percentile every bench script reports (nearest rank on the sorted values)."""

from __future__ import annotations

from typing import List


def pct(values: List[float], q: float) -> float:
    """The q-th percentile of `values` (nan when there are none)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]
