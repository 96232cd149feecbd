"""Tell the admissions team's Telegram group about a new lead or a request for a person.

Optional: only when TELEGRAM_STAFF_CHAT_ID (the group's chat id) and TELEGRAM_BOT_TOKEN are
set. The phone number is included only if the group is marked private
(TELEGRAM_STAFF_CHAT_PRIVATE=1); otherwise staff open the lead in the console by its reference.
Sending never blocks or breaks the conversation: it runs in a thread and failures are logged.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Optional, Sequence

import httpx

from bot.kb import get_kb
from bot.leads.form import programme_names

logger = logging.getLogger(__name__)
TELEGRAM_API = "https://api.telegram.org/bot"


def staff_message(kind: str, reference: str, channel: str, name: Optional[str], commune: Optional[str],
                  programmes: Sequence[str], phone: Optional[str], private: bool) -> str:
    head = "Yêu cầu gặp cán bộ tư vấn" if kind == "handoff" else "Đăng ký tư vấn mới"
    parts = [f"{head} {reference} (kênh {channel})"]
    if name:
        parts.append(f"Họ tên: {name}")
    if commune:
        parts.append(f"Xã/phường: {commune}")
    if programmes:
        parts.append(f"Nghề: {programme_names(list(programmes), get_kb())}")
    if phone and private:
        parts.append(f"SĐT: {phone}")
    parts.append("Xem và xử lý trong trang quản lý tuyển sinh.")
    return "\n".join(parts)


def configured() -> bool:
    return bool(os.environ.get("TELEGRAM_STAFF_CHAT_ID") and os.environ.get("TELEGRAM_BOT_TOKEN"))


def send_to_staff(text: str) -> bool:
    chat, token = os.environ.get("TELEGRAM_STAFF_CHAT_ID"), os.environ.get("TELEGRAM_BOT_TOKEN")
    if not (chat and token):
        return False
    base = os.environ.get("TELEGRAM_API_BASE_URL") or TELEGRAM_API
    try:
        response = httpx.post(f"{base}{token}/sendMessage", json={"chat_id": chat, "text": text}, timeout=10)
        response.raise_for_status()
        return True
    except httpx.HTTPError as problem:
        logger.warning("staff notification not sent: %s", type(problem).__name__)
        return False


def notify_staff(kind: str, reference: str, channel: str, name: Optional[str] = None, commune: Optional[str] = None,
                 programmes: Sequence[str] = (), phone: Optional[str] = None) -> Optional[threading.Thread]:
    """Post to the staff group in the background (if configured); returns the thread (tests join it)."""
    if not configured():
        return None
    private = os.environ.get("TELEGRAM_STAFF_CHAT_PRIVATE", "0") == "1"
    text = staff_message(kind, reference, channel, name, commune, programmes, phone, private)
    thread = threading.Thread(target=send_to_staff, args=(text,), name="staff-notify", daemon=True)
    thread.start()
    return thread
