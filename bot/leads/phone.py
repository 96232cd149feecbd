"""Vietnamese mobile numbers: many ways of typing, one stored form (0XXXXXXXXX)."""

from __future__ import annotations

import re
from typing import Optional

# Mobile prefixes in use since the 2018 renumbering (Viettel, Vinaphone, MobiFone,
# Vietnamobile, Gmobile, Itelecom, Reddi...): 03x, 05x, 07x, 08x, 09x.
MOBILE = re.compile(r"^0(3[2-9]|5[25689]|7[06-9]|8[1-9]|9\d)\d{7}$")


def normalise_phone(text: str) -> Optional[str]:
    """'+84 912.345.678', '84912345678', '0912 345 678' -> '0912345678'; None if not a VN mobile."""
    digits = re.sub(r"[\s.\-()]", "", text or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    elif len(digits) == 9 and digits[0] in "35789":
        digits = "0" + digits
    return digits if MOBILE.match(digits) else None


def find_phone(text: str) -> Optional[str]:
    """The first Vietnamese mobile number written anywhere in `text`."""
    for candidate in re.findall(r"\+?\d[\d\s.\-()]{7,16}\d", text or ""):
        phone = normalise_phone(candidate)
        if phone:
            return phone
    return None


def mask_phone(phone: str) -> str:
    """'0912345678' -> '091****678' (for logs and places where the number must not show)."""
    return phone[:3] + "*" * (len(phone) - 6) + phone[-3:] if len(phone) > 6 else "***"
