"""Property-based fuzzing (hypothesis) of the staff console's forms over real HTTP, against a real
console process on a fresh SQLite database (the `console` fixture of tests/test_console.py).

Generated input is mixed with a fixed list of nasty samples: empty and 100 KB strings, invalid
UTF-8 as the raw body, emoji, right-to-left text, Vietnamese (composed and decomposed), HTML/JS,
SQL, NUL characters, huge and non-ASCII numbers, repeated and missing fields. Whatever is sent:

- the answer is never 5xx and shows no stack trace, exception class or database driver;
- error pages are the console's Vietnamese pages (never Sanic's English ones);
- no sent markup comes back as markup: every tag in a page is one the templates write, and no
  attribute is an event handler;
- what is accepted is stored verbatim (surrounding spaces trimmed) and shown HTML-escaped; what
  is refused is not stored at all.
"""

from __future__ import annotations

import builtins
import datetime as dt
import http.client
import io
import itertools
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from typing import Dict, Iterable, List, Optional, Union
from urllib.parse import quote, urlencode, urlsplit

import httpx
import pytest
import yaml
from argon2 import PasswordHasher
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import func, select

from bot.console import auth
from bot.console.leads import MAX_NOTE, MAX_STATUS_NOTE, TRANSITIONS
from bot.devserver import running_console
from bot.kb import get_kb
from bot.kb.schema import FAQ_TOPICS
from bot.leads.export import STATUS_LABELS
from bot.storage.db import migrate, session_scope
from bot.storage.models import Lead, LeadNote, LeadStatusChange, StaffUser, UnansweredQuestion
from tests.test_console import add_lead, client, console, csrf_of, sign_in  # noqa: F401 (console: the fixture)

pytestmark = [pytest.mark.server, pytest.mark.filterwarnings("ignore:Generating overly large repr")]

FUZZ = settings(max_examples=30, deadline=None, derandomize=True, database=None, print_blob=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much, HealthCheck.data_too_large])
BODY_LIMIT = 1_000_000  # the console's REQUEST_MAX_SIZE
HEAD_LIMIT = 8192  # Sanic's REQUEST_MAX_HEADER_SIZE: the address of a GET must fit in it

# --- what is sent ---------------------------------------------------------------------------------

BIG = "x" * 100_000  # 100 KB
MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>',
          "'><iframe src=javascript:alert(1)></iframe>", '" autofocus onfocus="alert(1)', "</textarea><b>x</b>"]
NASTY = [
    "", " ", "\t\r\n ", BIG, "😀" * 25_000, "ạ" * 2000, "Ư" * 2001, "ồ" * 4000, "ồ" * 4001,
    "😀👨‍👩‍👧‍👦🇻🇳", "مرحبا بالعالم", "שָׁלוֹם", "\u202eabc\u202c", "\u200f\u200e\u061c",
    "Nguyễn Thị Ánh Tuyết, Mường Tè", unicodedata.normalize("NFD", "Lò Văn Minh ở Nậm Nhùn"), "ﬁ ǅ İ ß K Å ẞ",
    "\ufeff\u200b\u00ad\u2028", "ｆｕｌｌｗｉｄｔｈ", "Ⅻ ² ١٢٣ ０１２", *MARKUP, "javascript:alert(1)", "{{ 7*7 }} {% raw %}",
    "' OR 1=1 --", "'; DROP TABLE leads; --", "%' OR '%'='", "\\", "%_%", "a\x00b", "\x00", "9" * 400, "-1",
    str(10**30), "1e309", "NaN", "0x1F", "\r\nSet-Cookie: x=1", "../../etc/passwd",
]
NUMBERS = ["", "0", "1", "-1", "+5", " 7 ", "1.5", "1e3", "0x10", "1_000", "abc", "NaN", "²", "١٢", "１", "Ⅻ",
           str(2**31), str(2**63), str(10**30), "9" * 400]
DAYS = ["9999-12-31", "0001-01-01", "2026-02-29", "2026-13-01", "20260101", "2026-1-1", "２０２６-01-01",
        "2026-01-01T00:00", "hôm qua", "-2026-01-01", " 2026-01-01 "]
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ ĐƯƠÂ,."

texts = st.one_of(
    st.sampled_from(NASTY), st.text(max_size=60), st.text(alphabet=VIETNAMESE, max_size=40),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=6), st.integers(1, 4500)),  # long, around the limits
    st.builds(lambda a, b, c: a + b + c, st.text(max_size=8), st.sampled_from(MARKUP), st.text(max_size=8)))
numbers = st.one_of(st.sampled_from(NUMBERS), st.integers(-10**31, 10**31).map(str))
days = st.one_of(st.dates().map(dt.date.isoformat), st.sampled_from(DAYS), texts)
SHAPES = st.sampled_from(["one", "one", "one", "missing", "twice"])  # wrong types: a field missing or repeated


@st.composite
def form(draw, **fields: st.SearchStrategy) -> Dict[str, Union[str, List[str]]]:
    data: Dict[str, Union[str, List[str]]] = {}
    for name, values in fields.items():
        shape = draw(SHAPES)
        if shape == "one":
            data[name] = draw(values)
        elif shape == "twice":
            data[name] = [draw(values), draw(values)]
    return data


def seen(data: Dict, name: str, default: str = "") -> str:
    """The value the console reads: the first non-empty one (parse_qs drops blank values)."""
    value = data.get(name)
    values = [v for v in (value if isinstance(value, list) else [value]) if v]
    return values[0] if values else default


def has_nul(data: Dict) -> bool:
    return any("\x00" in v for value in data.values() for v in (value if isinstance(value, list) else [value]))


def sized(data: Dict, want, limit: int = BODY_LIMIT):
    """`want`, unless the request is beyond the size limit (refused before anything else) or too
    near it to tell (None: any answer below 500)."""
    size = len(urlencode(data, doseq=True))
    if size > limit * 1.1:
        return 413 if limit == BODY_LIMIT else range(400, 432)
    return None if size > limit * 0.85 else want


def get(c: httpx.Client, path: str, params: Dict) -> httpx.Response:
    query = urlencode(params, doseq=True)
    if len(query) < 60_000:
        return c.get(path, params=params)
    # httpx refuses addresses over 64 KB; the console must answer them all the same.
    base = urlsplit(str(c.base_url))
    connection = http.client.HTTPConnection(base.hostname, base.port, timeout=20)
    try:
        cookies = "; ".join(f"{k}={v}" for k, v in c.cookies.items())
        connection.request("GET", f"{path}?{query}", headers={"Cookie": cookies})
        answer = connection.getresponse()
        return httpx.Response(answer.status, headers=answer.getheaders(), content=answer.read(),
                              request=httpx.Request("GET", f"{c.base_url}{path}?{query[:150]}..."))
    finally:
        connection.close()


def day(value: str) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


# --- what every answer must look like ---------------------------------------------------------------

LEAKS = ("Traceback", 'File "', "sqlalchemy", "psycopg")
EXCEPTION_NAMES = sorted(
    {name for name, obj in vars(builtins).items() if isinstance(obj, type) and issubclass(obj, BaseException)}
    | {"IntegrityError", "OperationalError", "DataError", "ProgrammingError", "StatementError", "DBAPIError",
       "SanicException", "InvalidUsage", "ServerError", "PayloadTooLarge", "NotFound", "WorkflowError",
       "AccountError", "FaqProblem", "HandoffError", "YAMLError"})
EXCEPTION = re.compile(r"\b(?:%s)\b" % "|".join(EXCEPTION_NAMES))
ENGLISH = re.compile(r"Not Found|Internal Server Error|Bad Request|Method Not Allowed|Too Large|Forbidden|"
                     r"Unauthorized|Request Timeout|Service Unavailable")
VIETNAMESE_LETTER = re.compile(r"[ăâđêôơưạ-ỹ]", re.IGNORECASE)
TEMPLATES = Path(__file__).resolve().parents[1] / "bot" / "console" / "templates"
TEMPLATE_TAGS = {tag.lower() for page in TEMPLATES.glob("*.html")
                 for tag in re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", page.read_text(encoding="utf-8"))}
URL_ATTRIBUTES = {"href", "src", "action", "formaction"}


class _Tags(HTMLParser):
    """Tags and attributes that no template writes: sent markup that came back as markup."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.foreign: List[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in TEMPLATE_TAGS:
            self.foreign.append(f"<{tag}>")
        for name, value in attrs:
            script_url = name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:")
            if name.startswith("on") or script_url:
                self.foreign.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def look(r: httpx.Response, want: Union[None, int, Iterable[int]] = None) -> str:
    """The checks every answer passes; returns the HTML (empty for downloads and redirects)."""
    where = f"{r.request.method} {str(r.request.url)[:200]} -> {r.status_code}"
    assert r.status_code < 500, f"{where}\n{r.text[:1500]}"
    if want is not None:
        allowed = {want} if isinstance(want, int) else set(want)
        assert r.status_code in allowed, f"{where}, expected {sorted(allowed)}\n{r.text[:1500]}"
    assert "default-src 'self'" in r.headers.get("content-security-policy", ""), f"{where}: no CSP header"
    kind = r.headers.get("content-type", "")
    if r.status_code >= 400:
        assert kind.startswith("text/html"), f"{where}: error answer as {kind!r}"
    if not kind.startswith("text/html"):
        return ""
    body = r.text
    for leak in LEAKS:
        assert leak not in body, f"{where}: {leak!r} in the page"
    named = EXCEPTION.search(body)
    assert not named, f"{where}: exception name {named.group(0)!r} in the page"
    assert "<script" not in body.lower(), f"{where}: a <script> tag in the page"
    parser = _Tags()
    parser.feed(body)
    parser.close()
    assert not parser.foreign, f"{where}: markup that no template writes: {parser.foreign[:5]}"
    if r.status_code >= 400:
        assert '<html lang="vi">' in body and VIETNAMESE_LETTER.search(body), f"{where}: not Vietnamese\n{body[:800]}"
        assert not ENGLISH.search(body), f"{where}: English error page\n{body[:800]}"
    return body


def shown(value: str, page: str) -> bool:
    """`value` appears in the page exactly as Jinja escapes it."""
    return str(escape(value)) in page


# --- the console and its data ---------------------------------------------------------------------

PROTECTED_QUESTIONS = {424242: "<script>alert('hỏi')</script> học phí nghề hàn bao nhiêu",
                       424243: "<img src=x onerror=alert(1)> ký túc xá ' OR 1=1 --",
                       424244: "مرحبا \u202eđiều dưỡng học mấy năm"}  # never dismissed: read back on every page
QUESTION_DAYS = [dt.date(2001, 3, 4), dt.date(2021, 6, 1), dt.date(2021, 6, 2), dt.date(2024, 12, 15),
                 dt.date(2025, 12, 31), dt.date(2026, 1, 1), dt.date(2026, 3, 1)]
OTHER_PASSWORD = "Doithong-Hoaban-2026"
_phones = itertools.count(10_000_000)


def new_lead(db: str, name: str) -> str:
    """A lead of its own (one with an earlier lead's phone number would be merged into it)."""
    return add_lead(db, name=name, phone=f"09{next(_phones)}")


def one(db: str, stmt):
    with session_scope(db) as session:
        return session.execute(stmt).first()


@pytest.fixture(scope="module")
def site(console):
    db = console["db"]
    for name in ("datlai", "vaodi"):  # datlai: locked and reset by the fuzzer; vaodi: signs in
        auth.create_user(name, f"Cán bộ {name}", "counsellor", OTHER_PASSWORD, db)
    with session_scope(db) as session:
        ids = {u.username: u.id for u in session.scalars(select(StaffUser))}
        # Asked at 05:00 UTC, the same day in Vietnam: a period's count is known exactly.
        rows = [(None, f"câu hỏi thử số {i}") for i in range(1, 5)] + list(PROTECTED_QUESTIONS.items())
        for (qid, text), when in zip(rows, QUESTION_DAYS):
            session.add(UnansweredQuestion(id=qid, text=text, channel="zalo", sender_id="zalo:fuzz",
                                           reason="low_confidence",
                                           asked_at=dt.datetime.combine(when, dt.time(5), dt.timezone.utc)))
    admin, counsellor = sign_in(console, "admin"), sign_in(console, "tuvan")
    return SimpleNamespace(
        console=console, db=db, ids=ids, admin=admin, counsellor=counsellor,
        refs={"notes": new_lead(db, "<b>Ghi chú</b>"), "assign": new_lead(db, "Giao việc")},
        admin_token=csrf_of(admin.get("/console/reports").text),
        counsellor_token=csrf_of(counsellor.get("/console/reports").text))


# --- sign-in -----------------------------------------------------------------------------------------

@FUZZ
@given(fields=form(username=texts, password=texts), csrf=st.sampled_from(["valid", "missing", "wrong", "no_cookie"]),
       wrong=texts)
@example(fields={"username": "khongco", "password": "x"}, csrf="wrong", wrong="mã-sai").via("non-ASCII CSRF token")
@example(fields={"username": "ad\x00min", "password": "x"}, csrf="valid", wrong="").via("NUL in the user name")
def test_sign_in_form(site, fields, csrf, wrong):
    assume(seen(fields, "username").strip().lower()[:64] not in site.ids)  # never lock a real account out
    c = client(site.console)
    data = dict(fields)
    if csrf == "no_cookie":
        data["csrf_token"] = "a" * 32
    else:
        token = csrf_of(look(c.get("/console/login"), 200))
        if csrf != "missing":
            data["csrf_token"] = token if csrf == "valid" else wrong
    want = 400 if has_nul(data) else 401 if csrf == "valid" else 403
    r = c.post("/console/login", data=data)
    page = look(r, sized(data, want))
    assert "lc_session" not in c.cookies
    if r.status_code == 401:
        assert "Sai tên đăng nhập hoặc mật khẩu." in page and shown(seen(fields, "username")[:64], page)


NEXT = ["//evil.example/", "https://evil.example/console/", "/console/../../etc", "/console//evil.example",
        "/console/\\\\evil.example", "javascript:alert(1)", "/console/\r\nSet-Cookie: a=b", "/console/leads?q=<b>"]


@settings(FUZZ, max_examples=12)
@given(target=st.one_of(st.sampled_from(NEXT), texts))
def test_sign_in_only_goes_on_to_console_pages(site, target):
    assume(len(quote(target)) < 60_000)  # httpx's limit (the lead list sends longer addresses)
    c = client(site.console)
    params = {"next": target}
    data = {"username": "vaodi", "password": OTHER_PASSWORD, "csrf_token": csrf_of(c.get("/console/login").text)}
    r = c.post("/console/login", params=params, data=data)
    look(r, sized(params, 400 if "\x00" in target else 303, HEAD_LIMIT))
    if r.status_code == 303:
        location = r.headers["location"]
        assert location.startswith("/console/") and not urlsplit(location).netloc
        assert "\r" not in location and "\n" not in location


# --- leads: list, export, note, status, assignee ---------------------------------------------------------

LIST_FIELDS = dict(q=texts, status=st.one_of(st.sampled_from(sorted(STATUS_LABELS)), texts),
                   programme=st.one_of(st.sampled_from(["han", "dieu_duong", '"han"', "%"]), texts),
                   commune=st.one_of(st.sampled_from(["Bản Lang", "bản lang", "BẢN LANG"]), texts),
                   channel=st.one_of(st.sampled_from(["web", "zalo", "telegram"]), texts),
                   assignee=st.one_of(st.just("none"), numbers, texts), date_from=days, date_to=days)


@st.composite
def filters(draw, **more: st.SearchStrategy):
    """Half the time well-formed dates and status around hostile text, else anything anywhere."""
    fields = dict(LIST_FIELDS, **more)
    if draw(st.booleans()):
        fields.update(status=st.sampled_from(sorted(STATUS_LABELS)), date_from=st.dates().map(dt.date.isoformat),
                      date_to=st.dates().map(dt.date.isoformat))
    return draw(form(**fields))


def filter_is_valid(params: Dict) -> bool:
    """As LeadFilter.problems: dates must be YYYY-MM-DD, the status one of the statuses."""
    for name in ("date_from", "date_to"):
        value = seen(params, name).strip()[:120]
        if value and day(value) is None:
            return False
    status = seen(params, "status").strip()[:120]
    return not status or status in STATUS_LABELS


@FUZZ
@given(params=filters(page=numbers))
@example(params={"page": "²"}).via("a page number that str.isdigit() accepts and int() refuses")
@example(params={"assignee": str(10**30)}).via("an assignee beyond SQLite's integers")
@example(params={"assignee": "²"}).via("an assignee that str.isdigit() accepts and int() refuses")
@example(params={"date_to": "9999-12-31"}).via("the day after the last date")
@example(params={"q": BIG}).via("a 100 KB address")
def test_lead_list_filters(site, params):
    want = 400 if has_nul(params) or not filter_is_valid(params) else 200
    r = get(site.counsellor, "/console/leads", params)
    page = look(r, sized(params, want, HEAD_LIMIT))
    if r.status_code == 200:
        assert "Danh sách đăng ký" in page and shown(seen(params, "q").strip()[:120], page)
    elif r.status_code == 400:
        assert "không hợp lệ" in page


@settings(FUZZ, max_examples=25)
@given(params=filters(format=st.one_of(st.sampled_from(["csv", "xlsx"]), st.sampled_from(["pdf", "CSV", " csv"]),
                                       texts)))
@example(params={"format": "csv", "date_to": "9999-12-31"}).via("the day after the last date")
@example(params={"format": "xlsx", "assignee": str(10**30)}).via("an assignee beyond SQLite's integers")
def test_export_with_odd_filters(site, params):
    fmt = seen(params, "format", "csv")
    ok = not has_nul(params) and fmt in ("csv", "xlsx") and filter_is_valid(params)
    r = get(site.counsellor, "/console/leads/export", params)
    look(r, sized(params, 200 if ok else 400, HEAD_LIMIT))
    if r.status_code == 200:
        assert r.headers["content-disposition"].startswith("attachment")
        if fmt == "csv":
            assert r.content.decode("utf-8").startswith("\ufeffMã đăng ký")
        else:
            assert r.content.startswith(b"PK")


@FUZZ
@given(fields=form(text=texts))
@example(fields={"text": BIG}).via("a 100 KB note: refused, not cut")
@example(fields={"text": "<img src=x onerror=alert(1)> ' OR 1=1 --"}).via("markup and SQL")
def test_lead_note_form(site, fields):
    ref = site.refs["notes"]
    notes = select(LeadNote.text).join(Lead).where(Lead.reference == ref).order_by(LeadNote.id.desc())
    count = select(func.count(LeadNote.id)).join(Lead).where(Lead.reference == ref)
    before = one(site.db, count)[0]
    text = seen(fields, "text").strip()
    data = {**fields, "csrf_token": site.counsellor_token}
    want = 400 if has_nul(data) else 303 if text and len(text) <= MAX_NOTE else 400
    r = site.counsellor.post(f"/console/leads/{ref}/note", data=data)
    page = look(r, sized(data, want))
    if r.status_code == 303:
        assert one(site.db, notes)[0] == text
        assert shown(text, look(site.counsellor.get(f"/console/leads/{ref}"), 200))
    else:
        assert one(site.db, count)[0] == before
        if r.status_code == 400 and not has_nul(data):
            assert "Ghi chú đang trống." in page or f"Ghi chú dài quá {MAX_NOTE} ký tự" in page


@FUZZ
@given(fields=form(note=texts, to_status=st.one_of(st.sampled_from(TRANSITIONS["new"]),
                                                   st.sampled_from(sorted(TRANSITIONS)), texts)))
@example(fields={"to_status": "contacted", "note": "😀" * 3000}).via("a status note over the limit: refused, not cut")
def test_lead_status_form(site, fields):
    ref = new_lead(site.db, "Trạng thái")
    changes = select(LeadStatusChange.to_status, LeadStatusChange.note).join(Lead).where(Lead.reference == ref)
    before = len(session_rows(site.db, changes))
    to_status, note = seen(fields, "to_status"), seen(fields, "note").strip()
    data = {**fields, "csrf_token": site.counsellor_token}
    want = 303 if not has_nul(data) and to_status in TRANSITIONS["new"] and len(note) <= MAX_STATUS_NOTE else 400
    r = site.counsellor.post(f"/console/leads/{ref}/status", data=data)
    look(r, sized(data, want))
    status = one(site.db, select(Lead.status).where(Lead.reference == ref))[0]
    history = session_rows(site.db, changes)
    if r.status_code == 303:
        assert status == to_status and history[-1] == (to_status, note or None)
        if note:
            assert shown(note, look(site.counsellor.get(f"/console/leads/{ref}"), 200))
    else:
        assert status == "new" and len(history) == before


def session_rows(db: str, stmt) -> list:
    with session_scope(db) as session:
        return [tuple(row) for row in session.execute(stmt)]


@settings(FUZZ, max_examples=25)
@given(fields=form(assignee=st.one_of(st.sampled_from(["tuvan", "admin", "xem", "datlai"]), numbers, texts)))
@example(fields={"assignee": "²"}).via("a number that str.isdigit() accepts and int() refuses")
@example(fields={"assignee": str(10**30)}).via("an id beyond SQLite's integers")
@example(fields={"assignee": "abc"}).via("garbage does not silently unassign")
def test_lead_assignee_form(site, fields):
    ref = site.refs["assign"]
    as_id = lambda v: str(site.ids[v]) if v in ("tuvan", "admin", "xem", "datlai") else v  # noqa: E731
    fields = {k: [as_id(x) for x in v] if isinstance(v, list) else as_id(v) for k, v in fields.items()}
    chosen = seen(fields, "assignee")
    assignee = select(Lead.assignee_id).where(Lead.reference == ref)
    before = one(site.db, assignee)[0]
    workers = {site.ids[name] for name in ("admin", "tuvan", "datlai", "vaodi")}  # not xem: a viewer
    valid = not chosen or re.fullmatch(r"[0-9]{1,10}", chosen) and int(chosen) in workers
    data = {**fields, "csrf_token": site.counsellor_token}
    r = site.counsellor.post(f"/console/leads/{ref}/assign", data=data)
    look(r, sized(data, 303 if valid and not has_nul(data) else 400))
    after = one(site.db, assignee)[0]
    assert after == ((int(chosen) if chosen else None) if r.status_code == 303 else before)


# --- accounts --------------------------------------------------------------------------------------------

usernames = st.one_of(st.from_regex(r"[a-z0-9._-]{1,12}", fullmatch=True), texts,
                      st.sampled_from(["ａｄｍｉｎ", "người", "ADMIN", " admin ", "\u212aelvin", "a" * 65, "ß", "ǅ", "١٢٣"]))
passwords = st.one_of(st.sampled_from([OTHER_PASSWORD, "Mật khẩu 2026 😀", "1234567890", "abcdefghij"]), texts,
                      st.text(min_size=10, max_size=30))
GOOD_PASSWORDS = [OTHER_PASSWORD, "Mật khẩu 2026 😀", "\u202eMatkhau2026", "<script>2026</script>", "' OR 1=1 -- 2026"]


@st.composite
def accounts(draw):
    """Half the time a valid user name, role and password around a hostile full name, else anything."""
    if draw(st.booleans()):
        return {"username": draw(st.from_regex(r"[a-z0-9._-]{1,20}", fullmatch=True)), "display_name": draw(texts),
                "role": draw(st.sampled_from(sorted(auth.ROLES))), "password": draw(st.sampled_from(GOOD_PASSWORDS))}
    return draw(form(username=usernames, display_name=texts, password=passwords,
                     role=st.one_of(st.sampled_from(sorted(auth.ROLES)), texts)))


@FUZZ
@given(fields=accounts())
@example(fields={"username": "ａｄｍｉｎ", "display_name": "Giả mạo", "role": "admin", "password": OTHER_PASSWORD}
         ).via("a full-width user name that looks like admin")
@example(fields={"username": "ten.dai", "display_name": "Đ" * 121, "role": "viewer", "password": OTHER_PASSWORD}
         ).via("a full name over 120 characters: refused, not cut")
@example(fields={"username": "mau", "display_name": '"><svg onload=alert(1)>', "role": "viewer",
                 "password": OTHER_PASSWORD}).via("markup in the full name")
def test_account_creation_form(site, fields):
    username = seen(fields, "username").strip().lower()
    name, role, password = seen(fields, "display_name").strip(), seen(fields, "role"), seen(fields, "password")
    count = select(func.count(StaffUser.id))
    before = one(site.db, count)[0]
    exists = one(site.db, select(StaffUser.id).where(StaffUser.username == username)) is not None
    valid = (re.fullmatch(r"[a-z0-9._-]{1,64}", username) and role in auth.ROLES and not exists
             and auth.password_problem(password, username, name) is None and len(name) <= auth.MAX_NAME)
    data = {**fields, "csrf_token": site.admin_token}
    r = site.admin.post("/console/users", data=data)
    page = look(r, sized(data, 200 if valid and not has_nul(data) else 400))
    if r.status_code == 200:
        assert f"Đã tạo tài khoản {username}." in page and shown(name or username, page)
        stored = one(site.db, select(StaffUser.display_name, StaffUser.role, StaffUser.password_hash)
                     .where(StaffUser.username == username))
        assert stored[:2] == (name or username, role) and PasswordHasher().verify(stored[2], password)
    else:
        assert one(site.db, count)[0] == before


@FUZZ
@given(uid=st.one_of(st.just("datlai"), st.sampled_from(["me", "999999", "0", "-1", str(10**30), "²", "١", "abc", ""]),
                     numbers),
       action=st.sampled_from(["password", "active"]),
       fields=form(password=passwords, active=st.one_of(st.sampled_from(["0", "1"]), texts)))
@example(uid=str(10**30), action="password", fields={"password": OTHER_PASSWORD}).via("an id beyond SQLite's integers")
@example(uid=str(10**30), action="active", fields={"active": "1"}).via("an id beyond SQLite's integers")
def test_account_password_and_lock_forms(site, uid, action, fields):
    uid = {"datlai": str(site.ids["datlai"]), "me": str(site.ids["admin"])}.get(uid, uid)
    number = int(uid) if re.fullmatch(r"-?[0-9]+", uid) else None  # Sanic's <uid:int>, on the percent-encoded path
    others = {site.ids[name] for name in ("admin", "tuvan", "xem", "vaodi")}
    assume(number not in others or (action == "active" and number == site.ids["admin"]))  # keep the fuzzers' sessions
    data = {**fields, "csrf_token": site.admin_token}
    active, password = seen(fields, "active"), seen(fields, "password")
    if number is None:
        want = {404, 405}
    elif has_nul(data):
        want = 400
    elif number == site.ids["datlai"]:
        want = 200 if action == "active" or auth.password_problem(password, "datlai", "Cán bộ datlai") is None else 400
    elif number == site.ids["admin"]:
        want = 200 if active == "1" else 400  # nobody locks themselves out
    else:
        want = {400, 404}  # no such account
    r = site.admin.post(f"/console/users/{quote(uid, safe='')}/{action}", data=data)
    look(r, sized(data, want))
    if r.status_code == 200 and number == site.ids["datlai"]:
        stored = one(site.db, select(StaffUser.active, StaffUser.password_hash).where(StaffUser.id == number))
        assert stored[0] == (active == "1") if action == "active" else PasswordHasher().verify(stored[1], password)


# --- unanswered questions: to a FAQ, or dismissed ----------------------------------------------------------

def mentioned(ids: str) -> set:
    """Question ids that an `ids` value names (ASCII whole numbers between commas)."""
    return {int(p.strip()) for p in ids.split(",") if re.fullmatch(r"[0-9]{1,10}", p.strip())}


id_lists = st.one_of(st.lists(st.integers(-3, 10**30), max_size=5).map(lambda xs: ",".join(map(str, xs))), numbers,
                     texts, st.sampled_from(["²,1", ",,,", " 1 , 2 ", "1," * 3000]))
FAQ_IDS = st.from_regex(r"[a-z][a-z0-9_]{2,20}", fullmatch=True)
VERIFICATIONS = ["unverified", "secondary", "verified"]


def documents() -> List[str]:
    """Documents an FAQ may cite: a replaced one is refused (bot.kb.validate)."""
    return sorted(d for d, doc in get_kb().documents.items() if doc.status != "replaced")


def faqs_on_disk(site) -> Dict[str, Dict]:
    data = yaml.safe_load((site.console["kb"] / "faqs.yml").read_text(encoding="utf-8"))
    return {f["id"]: f for f in data["faqs"]}


@st.composite
def faq_forms(draw):
    """Half the time a well-formed FAQ around hostile text, else garbage in any field."""
    valid = draw(st.booleans())
    pick = lambda good: draw(st.sampled_from(good) if valid else st.one_of(st.sampled_from(good), texts))  # noqa: E731
    fields = {"id": draw(FAQ_IDS if valid else st.one_of(FAQ_IDS, texts)), "topic": pick(FAQ_TOPICS),
              "document": pick(documents()), "verification": pick(VERIFICATIONS)}
    fields.update(draw(form(ids=id_lists, question=texts, keywords=texts, answer=texts)))
    return fields


@settings(FUZZ, max_examples=20)
@given(fields=faq_forms())
@example(fields={"id": "hoc_phi_xss", "topic": "admission", "document": "college_catalogue_draft",
                 "verification": "unverified", "ids": "1,²", "question": "<script>alert(1)</script> học phí?",
                 "keywords": "học phí, ' OR 1=1 --, 😀", "answer": "\u202eĐang xác nhận\n<img src=x onerror=alert(1)>"}
         ).via("hostile FAQ text, and a digit that int() refuses among the ids")
def test_unanswered_question_to_faq_form(site, fields):
    assume(not mentioned(seen(fields, "ids")) & set(PROTECTED_QUESTIONS))
    before = faqs_on_disk(site)
    clean = {k: seen(fields, k).strip() for k in ("id", "topic", "question", "keywords", "answer", "document",
                                                  "verification")}
    keywords = [k.strip() for k in clean["keywords"].split(",") if k.strip()]
    valid = (re.fullmatch(r"[a-z][a-z0-9_]*", clean["id"]) and clean["id"] not in before and clean["question"]
             and clean["answer"] and clean["topic"] in FAQ_TOPICS and clean["document"] in documents()
             and clean["verification"] in ["", *VERIFICATIONS])
    data = {**fields, "csrf_token": site.admin_token}
    r = site.admin.post("/console/questions/faq", data=data)
    page = look(r, sized(data, 400 if has_nul(data) else 200 if valid else {200, 400}))
    after = faqs_on_disk(site)
    if r.status_code == 200 and "Đã thêm câu hỏi thường gặp" in page:
        entry = after[clean["id"]]
        assert (entry["question"], entry["answer"], entry["keywords"], entry["topic"], entry["source"]["document"]) \
            == (clean["question"], clean["answer"], keywords, clean["topic"], clean["document"])
        look(site.admin.get("/console/questions"), 200)  # the knowledge base still loads
    else:
        assert after == before
        if r.status_code == 400 and not has_nul(data):
            assert "Chưa thêm được" in page


@settings(FUZZ, max_examples=25)
@given(fields=form(ids=id_lists))
@example(fields={"ids": str(10**30)}).via("an id beyond SQLite's integers")
@example(fields={"ids": "²,1"}).via("a digit that str.isdigit() accepts and int() refuses")
def test_dismiss_form(site, fields):
    ids = seen(fields, "ids")
    assume(not mentioned(ids) & set(PROTECTED_QUESTIONS))
    data = {**fields, "csrf_token": site.admin_token}
    r = site.admin.post("/console/questions/dismiss", data=data)
    look(r, sized(data, 400 if has_nul(data) else 303))
    status = dict(session_rows(site.db, select(UnansweredQuestion.id, UnansweredQuestion.status)))
    if r.status_code == 303:
        assert all(status[q] == "dismissed" for q in mentioned(ids) & set(status)), ids
    assert all(status[q] == "new" for q in PROTECTED_QUESTIONS)
    page = look(site.counsellor.get("/console/questions"), 200)
    assert all(shown(text, page) for text in PROTECTED_QUESTIONS.values())


# --- the yearly report ---------------------------------------------------------------------------------

@st.composite
def periods(draw):
    if draw(st.booleans()):
        first, last = sorted(draw(st.dates(dt.date(1995, 1, 1), dt.date(2035, 12, 31))) for _ in range(2))
        return {"start": first.isoformat(), "end": last.isoformat(),
                **draw(st.sampled_from([{}, {"format": "xlsx"}, {"format": "pdf"}]))}
    return draw(form(start=days, end=days, format=st.one_of(st.sampled_from(["xlsx", "pdf"]), texts)))


@FUZZ
@given(params=periods())
@example(params={"start": "0001-01-01", "end": "9999-12-31", "format": "xlsx"}).via("the widest period")
@example(params={"start": "2020-01-01", "end": "2026-06-30", "format": "xlsx"}).via("a period over 12 weeks")
def test_yearly_report_period(site, params):
    from openpyxl import load_workbook

    fmt = seen(params, "format", "xlsx")
    start, end = day(seen(params, "start")), day(seen(params, "end"))
    ok = not has_nul(params) and fmt in ("xlsx", "pdf") and start and end and start <= end
    r = get(site.counsellor, "/console/reports/yearly", params)
    look(r, sized(params, 200 if ok else 400, HEAD_LIMIT))
    if r.status_code == 200 and fmt == "pdf":
        assert r.content.startswith(b"%PDF")
    elif r.status_code == 200:
        sheet = load_workbook(io.BytesIO(r.content)).active
        values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
        asked = sum(start <= d <= end for d in QUESTION_DAYS)  # the period's own days, not the last 12 weeks
        assert values["Câu hỏi trợ lý chưa trả lời được"] == asked, (start, end)


# --- raw bodies, odd addresses and methods -------------------------------------------------------------

RAW = [b"", b"\xff\xfe\x00\x00", b"\xc3\x28", b"\xed\xa0\x80", b"%ff%fe=%c3%28", b"text=%00", b"=" * 1000, b"&" * 1000,
       b"a" * 1_100_000, "\ufeffchữ".encode("utf-16"), b"\x00" * 100, b'{"text": "json"}',
       b"--xyz\r\nbroken\r\n--xyz--",
       b'--xyz\r\nContent-Disposition: form-data; name="text"\r\n\r\n<script>alert(1)</script>\r\n--xyz--\r\n']
CONTENT_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "multipart/form-data",
                 "text/plain", "application/json", "application/x-www-form-urlencoded; charset=latin-1", None]


@FUZZ
@given(target=st.sampled_from(["login", "note", "status", "assign", "faq", "dismiss", "users", "password"]),
       body=st.one_of(st.sampled_from(RAW), st.binary(max_size=400)), kind=st.sampled_from(CONTENT_TYPES),
       with_token=st.booleans())
@example(target="note", body=b"&text=\xff\xfe", kind=CONTENT_TYPES[0], with_token=True).via("invalid UTF-8")
@example(target="note", body=b"a" * 1_100_000, kind=CONTENT_TYPES[0], with_token=False).via("over 1 MB")
def test_raw_bodies(site, target, body, kind, with_token):
    ref = site.refs["notes"]
    path = {"login": "/console/login", "note": f"/console/leads/{ref}/note", "status": f"/console/leads/{ref}/status",
            "assign": f"/console/leads/{site.refs['assign']}/assign", "faq": "/console/questions/faq",
            "dismiss": "/console/questions/dismiss", "users": "/console/users",
            "password": f"/console/users/{site.ids['datlai']}/password"}[target]
    assume(not (target == "dismiss" and mentioned(body.decode("utf-8", "replace")) & set(PROTECTED_QUESTIONS)))
    if with_token:  # a valid CSRF token first, then the bytes
        body = b"csrf_token=" + site.admin_token.encode() + b"&" + body
    look(site.admin.post(path, content=body, headers={"content-type": kind} if kind else {}))


ODD_PATHS = ["/console/nope", "/console/leads/%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/console/leads/%00",
             "/console/leads/" + quote("'; DROP TABLE leads; --", safe=""), "/console/leads/" + "A" * 5000,
             "/console/handoffs/" + str(10**30), "/console/handoffs/-1", "/console/handoffs/%C2%B2",
             "/console/users/abc/password", "/console/static/../../README.md", "/console/%FF%FE"]


@pytest.mark.parametrize("method,path", [("GET", p) for p in ODD_PATHS] + [
    ("PUT", "/console/leads"), ("DELETE", "/console/users"), ("PATCH", "/console/login"),
    ("POST", f"/console/handoffs/{10**30}/take"), ("POST", f"/console/handoffs/{10**30}/close")])
def test_odd_addresses_and_methods(site, method, path):
    for who in (site.admin, client(site.console)):
        look(who.request(method, path, data={"csrf_token": site.admin_token} if method == "POST" else None))


# --- PostgreSQL refuses what SQLite stores: the NUL character --------------------------------------------

def test_nul_characters_on_postgresql(postgres_url, tmp_path):
    migrate(postgres_url)
    auth.create_user("fuzzpg", "Thử PostgreSQL", "admin", OTHER_PASSWORD, postgres_url)
    ref = new_lead(postgres_url, "Lò Văn Minh")
    with running_console(tmp_path, postgres_url) as url:
        anonymous = client({"url": url})
        token = csrf_of(anonymous.get("/console/login").text)
        look(anonymous.post("/console/login", data={"username": "fuzz\x00pg", "password": "x", "csrf_token": token}),
             400)
        c = sign_in({"url": url}, "fuzzpg", OTHER_PASSWORD)
        token = csrf_of(c.get("/console/reports").text)
        for params in ({"q": "a\x00"}, {"commune": "\x00"}, {"date_from": "2026\x00"}):
            look(c.get("/console/leads", params=params), 400)
            look(c.get("/console/leads/export", params=params), 400)
        look(c.get("/console/leads/a%00b"), {400, 404})
        for path, data in ((f"/console/leads/{ref}/note", {"text": "ghi\x00chú"}),
                           (f"/console/leads/{ref}/status", {"to_status": "contacted", "note": "\x00"}),
                           ("/console/users", {"username": "nul", "display_name": "Tên\x00", "role": "viewer",
                                               "password": OTHER_PASSWORD}),
                           ("/console/questions/dismiss", {"ids": "1,\x00"})):
            look(c.post(path, data={**data, "csrf_token": token}), 400)
        with session_scope(postgres_url) as session:
            lead = session.scalar(select(Lead).where(Lead.reference == ref))
            assert lead.status == "new" and not lead.notes


# --- last: the console came through all of it ------------------------------------------------------------

def test_console_is_still_alive(site):
    assert client(site.console).get("/console/login").status_code == 200
    assert look(site.admin.get("/console/leads"), 200)
    log = (site.console["work"] / "console.log").read_text(encoding="utf-8", errors="replace")
    assert "Unexpected error" not in log and "Exception occurred while handling uri" not in log
