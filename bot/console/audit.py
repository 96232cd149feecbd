"""The audit log: who viewed, exported, changed or deleted what."""

from __future__ import annotations

import re
from typing import List, Optional

from sqlalchemy import select

from bot.leads.phone import mask_phone
from bot.storage.db import session_scope
from bot.storage.models import AuditEntry


# A phone number in what is recorded (a counsellor's search "q=0904303700", "0904 303 700"): the audit
# log outlives the leads (AUDIT_RETENTION_DAYS), so it keeps a masked number (review L12).
_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.+-]?\d){8,10}(?!\d)")


def without_phones(text: Optional[str]) -> Optional[str]:
    if not text:
        return text
    return _PHONE.sub(lambda m: mask_phone(re.sub(r"\D", "", m.group())), text)


def record(username: str, action: str, target: str, detail: Optional[str] = None, ip: Optional[str] = None,
           url: Optional[str] = None) -> None:
    with session_scope(url) as session:
        session.add(AuditEntry(username=username[:64], action=action[:32], target=without_phones(target)[:120],
                               detail=(detail or None) and without_phones(detail)[:2000], ip=(ip or None) and ip[:64]))


def recent(limit: int = 200, url: Optional[str] = None) -> List[AuditEntry]:
    with session_scope(url) as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
