"""The audit log: who viewed, exported, changed or deleted what."""

from __future__ import annotations

from typing import List, Optional

from sqlalchemy import select

from bot.storage.db import session_scope
from bot.storage.models import AuditEntry


def record(username: str, action: str, target: str, detail: Optional[str] = None, ip: Optional[str] = None,
           url: Optional[str] = None) -> None:
    with session_scope(url) as session:
        session.add(AuditEntry(username=username[:64], action=action[:32], target=target[:120],
                               detail=(detail or None) and detail[:2000], ip=(ip or None) and ip[:64]))


def recent(limit: int = 200, url: Optional[str] = None) -> List[AuditEntry]:
    with session_scope(url) as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
