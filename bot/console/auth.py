"""Staff accounts, passwords (argon2id), sign-in with lock-out, server-side sessions and CSRF tokens.

Nothing here has a default password: the first admin is created on the command line
(`python -m bot staff create-admin`). A wrong password counts against the account; from the
fifth failure in a row the account is locked for a time that doubles with each further failure
(1, 2, 4 ... minutes, at most an hour), and the person is told when to try again. Unknown
user names cost the same hashing time as known ones, so they cannot be told apart.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import List, Optional, Tuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select

from bot.storage.db import session_scope
from bot.storage.models import StaffSession, StaffUser, utcnow
from bot.tokens import same_secret

ROLES = {"admin": "Quản trị", "counsellor": "Tư vấn viên", "viewer": "Xem báo cáo"}
FREE_FAILURES = 4
LOCK_BASE_SECONDS = 60
LOCK_MAX_SECONDS = 3600
SESSION_HOURS = 8  # at most, from sign-in
IDLE_MINUTES = 30  # without a request, the session ends
MIN_PASSWORD = 12  # ASVS 2.1.1
# One answer for every failed sign-in (unknown name, wrong password, account locked), after the same
# work, so that nobody learns which names exist (review L1).
WRONG = ("Sai tên đăng nhập hoặc mật khẩu. Sau nhiều lần nhập sai, tài khoản tạm khóa vài phút: bạn đợi rồi "
         "thử lại, hoặc nhờ quản trị viên mở khóa.")
USERNAME = re.compile(r"[a-z0-9._-]{1,64}")  # ASCII only: 'ａｄｍｉｎ' (full-width) must not pass for 'admin'
MAX_NAME = 120

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


class AccountError(ValueError):
    """A Vietnamese message for the person creating an account."""


# Words of this place that make a password easy to guess here, whatever a generic list says.
LOCAL_WORDS = ("laichau", "lai chau", "tuyensinh", "caodang", "cao dang", "truong", "matkhau", "canbo", "tuvan")
MIN_STRENGTH = 3  # zxcvbn's score (0-4): 3 is "safely unguessable" for an online attack


def password_problem(password: str, *personal: str) -> Optional[str]:
    """Why a password is refused (None: it is good enough). Length first, then zxcvbn's estimate,
    which knows the common and breached passwords, keyboard patterns, repeats and dates, and here
    also the account's own name and the college's words (`personal`, LOCAL_WORDS)."""
    if len(password) < MIN_PASSWORD:
        return f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự."
    if not password.strip():
        return "Mật khẩu không được chỉ gồm dấu cách."
    lowered = password.lower()
    if any(len(p) >= 4 and p.strip().lower() in lowered for p in personal if p):
        return "Mật khẩu không được chứa tên đăng nhập hoặc họ tên của bạn."
    from zxcvbn import zxcvbn

    verdict = zxcvbn(password[:100], user_inputs=[p for p in personal if p] + list(LOCAL_WORDS))
    if verdict["score"] < MIN_STRENGTH:
        return ("Mật khẩu này dễ đoán (quá phổ biến, lặp lại, theo thứ tự bàn phím hoặc có tên của bạn). "
                "Bạn chọn mật khẩu dài hơn, ghép vài từ không liên quan, ví dụ: Mây-Núi-Bếp-2026-xanh.")
    return None


def create_user(username: str, display_name: str, role: str, password: str, url: Optional[str] = None,
                chosen_by_admin: bool = False) -> int:
    """A new account. `chosen_by_admin` (the console's user page): its owner must change the
    password at first sign-in; an operator creating their own account on the command line need not."""
    username = username.strip().lower()
    if role not in ROLES:
        raise AccountError(f"Vai trò không hợp lệ: {role}")
    if not USERNAME.fullmatch(username):
        raise AccountError("Tên đăng nhập chỉ gồm chữ không dấu, số và . _ - (tối đa 64 ký tự).")
    display_name = display_name.strip()
    if len(display_name) > MAX_NAME:  # refused rather than cut
        raise AccountError(f"Họ tên dài quá {MAX_NAME} ký tự.")
    problem = password_problem(password, username, display_name)
    if problem:
        raise AccountError(problem)
    with session_scope(url) as session:
        if session.scalar(select(StaffUser.id).where(StaffUser.username == username)):
            raise AccountError(f"Tên đăng nhập '{username}' đã có.")
        user = StaffUser(username=username, display_name=display_name or username, role=role,
                         password_hash=_hasher.hash(password), must_change_password=chosen_by_admin)
        session.add(user)
        session.flush()
        return user.id


def list_users(url: Optional[str] = None) -> List[StaffUser]:
    with session_scope(url) as session:
        return list(session.scalars(select(StaffUser).order_by(StaffUser.username)))


def admin_exists(url: Optional[str] = None) -> bool:
    with session_scope(url) as session:
        return session.scalar(select(StaffUser.id).where(StaffUser.role == "admin", StaffUser.active.is_(True))) is not None


def lock_seconds(failures: int) -> int:
    """How long the account stays locked after `failures` wrong passwords in a row."""
    if failures <= FREE_FAILURES:
        return 0
    return min(LOCK_BASE_SECONDS * 2 ** (failures - FREE_FAILURES - 1), LOCK_MAX_SECONDS)


@dataclass
class SignIn:
    user_id: Optional[int]
    username: str
    message: Optional[str] = None  # why not, in Vietnamese


def authenticate(username: str, password: str, url: Optional[str] = None,
                 now: Optional[dt.datetime] = None) -> SignIn:
    now = now or utcnow()
    username = (username or "").strip().lower()[:64]
    with session_scope(url) as session:
        user = session.scalar(select(StaffUser).where(StaffUser.username == username))
        locked = user is not None and user.locked_until and \
            user.locked_until.replace(tzinfo=user.locked_until.tzinfo or dt.timezone.utc) > now
        if user is None or not user.active or locked:
            try:
                _hasher.verify(_DUMMY_HASH, password or "x")  # the same time as a real check
            except VerificationError:
                pass
            return SignIn(None, username, WRONG)
        try:
            _hasher.verify(user.password_hash, password or "")
        except (VerificationError, InvalidHashError):
            user.failed_logins += 1
            wait = lock_seconds(user.failed_logins)
            if wait:
                user.locked_until = now + dt.timedelta(seconds=wait)
            return SignIn(None, username, WRONG)
        user.failed_logins = 0
        user.locked_until = None
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        return SignIn(user.id, username)


def change_own_password(user_id: int, current: str, new: str, keep_token: Optional[str],
                        url: Optional[str] = None) -> None:
    """A staff member's own change (review M6: only an admin could set a password, so the admin knew
    every one): the current password first, the same rules as any new one, and every other session
    of the account ends."""
    with session_scope(url) as session:
        user = session.get(StaffUser, user_id)
        if user is None or not user.active:
            raise AccountError("Không có tài khoản này.")
        try:
            _hasher.verify(user.password_hash, current or "")
        except (VerificationError, InvalidHashError):
            raise AccountError("Mật khẩu hiện tại chưa đúng.") from None
        if new == current:
            raise AccountError("Mật khẩu mới cần khác mật khẩu hiện tại.")
        problem = password_problem(new, user.username, user.display_name)
        if problem:
            raise AccountError(problem)
        user.password_hash = _hasher.hash(new)
        user.must_change_password = False
        others = StaffSession.user_id == user.id
        if keep_token:
            others = others & (StaffSession.token_hash != _digest(keep_token))
        session.execute(delete(StaffSession).where(others))


def account_exists(username: str, url: Optional[str] = None) -> bool:
    """For the audit log only (never told to the person signing in)."""
    with session_scope(url) as session:
        return session.scalar(select(StaffUser.id).where(StaffUser.username == username.strip().lower())) is not None


def unlock(username: str, url: Optional[str] = None) -> bool:
    """Lift a lock-out (`python -m bot staff unlock NAME`); False when there is no such account."""
    with session_scope(url) as session:
        user = session.scalar(select(StaffUser).where(StaffUser.username == username.strip().lower()))
        if user is None:
            return False
        user.failed_logins, user.locked_until = 0, None
        return True


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(user_id: int, url: Optional[str] = None) -> Tuple[str, str]:
    """(cookie token, CSRF token). Only the token's hash is stored."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with session_scope(url) as session:
        session.execute(delete(StaffSession).where(StaffSession.expires_at < utcnow()))
        session.add(StaffSession(token_hash=_digest(token), user_id=user_id, csrf_token=csrf,
                                 expires_at=utcnow() + dt.timedelta(minutes=IDLE_MINUTES)))
    return token, csrf


@dataclass(frozen=True)
class Staff:
    """The signed-in person, as the web layer needs it."""

    id: int
    username: str
    display_name: str
    role: str
    csrf_token: str
    must_change_password: bool = False

    @property
    def can_work_leads(self) -> bool:
        return self.role in ("admin", "counsellor")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def staff_for(token: Optional[str], url: Optional[str] = None) -> Optional[Staff]:
    if not token:
        return None
    with session_scope(url) as session:
        row = session.get(StaffSession, _digest(token))
        if row is None:
            return None
        expires = row.expires_at.replace(tzinfo=row.expires_at.tzinfo or dt.timezone.utc)
        if expires < utcnow() or not row.user.active:
            session.delete(row)
            return None
        # Idle for IDLE_MINUTES ends the session; activity extends it, never past SESSION_HOURS after
        # sign-in (review: there was no idle timeout).
        created = row.created_at.replace(tzinfo=row.created_at.tzinfo or dt.timezone.utc)
        row.expires_at = min(created + dt.timedelta(hours=SESSION_HOURS), utcnow() + dt.timedelta(minutes=IDLE_MINUTES))
        return Staff(row.user.id, row.user.username, row.user.display_name, row.user.role, row.csrf_token,
                     row.user.must_change_password)


def close_session(token: Optional[str], url: Optional[str] = None) -> None:
    if token:
        with session_scope(url) as session:
            session.execute(delete(StaffSession).where(StaffSession.token_hash == _digest(token)))


def same_token(given: Optional[str], expected: str) -> bool:
    return same_secret(given, expected)


def set_active(user_id: int, active: bool, acting_user_id: int, url: Optional[str] = None) -> str:
    """Lock or unlock an account (its sessions end at once: staff_for checks `active`)."""
    if user_id == acting_user_id and not active:
        raise AccountError("Không thể tự khóa tài khoản của chính mình.")
    with session_scope(url) as session:
        user = session.get(StaffUser, user_id)
        if user is None:
            raise AccountError("Không có tài khoản này.")
        user.active = active
        if active:
            user.failed_logins, user.locked_until = 0, None
        return user.username


def reset_password(user_id: int, password: str, url: Optional[str] = None) -> str:
    """A new password set by an admin; also lifts a lock-out. The owner must change it before doing
    anything else in the console (the admin knows it: review M6)."""
    with session_scope(url) as session:
        user = session.get(StaffUser, user_id)
        if user is None:
            raise AccountError("Không có tài khoản này.")
        problem = password_problem(password, user.username, user.display_name)
        if problem:
            raise AccountError(problem)
        user.password_hash = _hasher.hash(password)
        user.failed_logins, user.locked_until = 0, None
        user.must_change_password = True
        session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
        return user.username
