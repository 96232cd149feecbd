"""Comparing a secret someone sent with the one we hold: in constant time, and as UTF-8 bytes
(`hmac.compare_digest` raises TypeError on a str with non-ASCII characters, which would turn a
forged header into a 500). One place for the console's CSRF tokens, the gateways' secret, the action
server's secret and Zalo's signature."""

from __future__ import annotations

import hmac
from typing import Optional


def same_secret(given: Optional[str], expected: Optional[str]) -> bool:
    """Whether `given` is `expected`; never when either is empty."""
    if not given or not expected:
        return False
    return hmac.compare_digest(str(given).encode("utf-8", "replace"), expected.encode("utf-8"))
