"""The staff console's web pages (Sanic, server-rendered, Vietnamese, no JavaScript needed).

Every page but the sign-in page needs a session; every POST needs the session's CSRF token;
each route names the roles allowed (viewer: reports only; counsellor: leads; admin: all).
Personal data never leaves the server without a session: exports are built per request.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import io
import ipaddress
import os
import secrets
from functools import wraps
from pathlib import Path
from typing import Any, Callable, Dict, Optional
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.log import error_logger
from sanic.request import Request

import httpx

from bot import clock, handoff, retention
from bot.channels.outbound import DeliveryError, RasaAdmin, deliver
from bot.console import audit, auth, gaps, leads, reports
from bot.console.numbers import MAX_ID, whole_number
from bot.ratelimit import limiter
from bot.kb.schema import FAQ_TOPICS
from bot.kb import get_kb
from bot.leads.export import STATUS_LABELS, rows, write_csv, write_xlsx
from bot.leads.form import CONTACT_TIMES, ROLES as PERSON_ROLES, programme_names
from bot.storage.quiz import interests_by_commune

HERE = Path(__file__).parent
COOKIE = "lc_session"
LOGIN_CSRF_COOKIE = "lc_login_csrf"
ACTIONS = {"sign_in": "Đăng nhập", "sign_in_failed": "Đăng nhập sai", "sign_out": "Đăng xuất", "view": "Xem",
           "export": "Xuất dữ liệu", "change": "Thay đổi", "create": "Tạo",
           retention.AUDIT_ACTION: "Xóa theo thời hạn lưu trữ"}
ALL_ROLES = tuple(auth.ROLES)
# What an account whose password an admin chose may still do (review M6): change it, or sign out.
PASSWORD_CHANGE_PATHS = ("/console/account", "/console/account/password", "/console/logout")
HANDOFF_REASONS = {"request_human": "Người dùng muốn gặp cán bộ", "failed_twice": "Trợ lý không trả lời được 2 lần"}
HANDOFF_STATES = {"waiting": "Đang chờ", "active": "Đang xử lý", "closed": "Đã kết thúc"}
HANDBACK = "Cán bộ tư vấn đã kết thúc trao đổi. Trợ lý tự động tiếp tục hỗ trợ bạn; cần gặp lại cán bộ, bạn cứ nhắn \"gặp cán bộ tư vấn\"."
LEAD_ROLES = ("admin", "counsellor")
# Sanic's own error pages are in English: these replace them.
HTTP_ERRORS = {
    400: ("Yêu cầu không hợp lệ", "Máy chủ không đọc được yêu cầu này. Hãy tải lại trang và thử lại."),
    404: ("Không tìm thấy", "Không có trang này. Hãy kiểm tra lại địa chỉ."),
    405: ("Yêu cầu không hợp lệ", "Trang này không nhận kiểu yêu cầu này."),
    408: ("Hết thời gian chờ", "Yêu cầu gửi đến quá chậm. Hãy thử lại."),
    413: ("Dữ liệu quá lớn", "Nội dung gửi lên quá lớn. Hãy rút gọn rồi gửi lại."),
}
UNEXPECTED = ("Lỗi hệ thống", "Hệ thống gặp lỗi ngoài dự kiến. Hãy thử lại sau; nếu vẫn lỗi, hãy báo quản trị viên.")

_templates = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"]))
_templates.filters["vn"] = clock.local


def _run(fn: Callable, *args, **kwargs):
    return asyncio.to_thread(fn, *args, **kwargs)


def create_app(db_url: Optional[str] = None, secure_cookies: bool = False, name: str = "laichau_console") -> Sanic:
    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = 1_000_000

    def page(template: str, request: Request, status: int = 200, **values: Any) -> response.HTTPResponse:
        values.setdefault("staff", getattr(request.ctx, "staff", None))  # none before routing (unknown page)
        values.setdefault("messages", [])
        values.setdefault("roles", auth.ROLES)
        return response.html(_templates.get_template(template).render(**values), status=status)

    trusted_proxies = [ipaddress.ip_network(n, strict=False)
                       for n in (os.environ.get("CONSOLE_TRUSTED_PROXIES") or "127.0.0.1/32 ::1/128").split()]

    def from_proxy(peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address.version == n.version and address in n for n in trusted_proxies)

    def error(request: Request, status: int, heading: str, text: str) -> response.HTTPResponse:
        return page("error.html", request, status=status, heading=heading, text=text)

    def ip_of(request: Request) -> str:
        """The client's address: the peer's, unless the peer is a trusted proxy (our nginx, on this
        machine by default: CONSOLE_TRUSTED_PROXIES), which appends the address it saw to
        X-Forwarded-For. From anyone else the header is ignored (review L2: a forged header chose the
        address the sign-in limit counted and the audit log recorded)."""
        peer = request.ip or ""
        if from_proxy(peer):
            return request.headers.get("x-forwarded-for", "").split(",")[-1].strip() or peer
        return peer

    def log(request: Request, action: str, target: str, detail: Optional[str] = None):
        staff = request.ctx.staff
        return _run(audit.record, staff.username if staff else "(chưa đăng nhập)", action, target, detail,
                    ip_of(request), db_url)

    def requires(*roles: str):
        """Sign-in, role and (for POST) CSRF checks in front of a handler."""
        def decorate(handler):
            @wraps(handler)
            async def wrapped(request: Request, *args, **kwargs):
                staff = request.ctx.staff
                if staff is None:
                    if request.method == "GET":
                        return response.redirect("/console/login?" + urlencode({"next": request.path}))
                    return error(request, 401, "Cần đăng nhập", "Phiên làm việc đã hết. Vui lòng đăng nhập lại.")
                if staff.role not in roles:
                    return error(request, 403, "Không có quyền", "Tài khoản của bạn không được xem hoặc làm việc này.")
                if staff.must_change_password and request.path not in PASSWORD_CHANGE_PATHS:
                    # An admin chose this password (a reset, a new account): nothing else until it is changed.
                    if request.method == "GET":
                        return response.redirect("/console/account", status=303)
                    return error(request, 403, "Cần đổi mật khẩu", "Mật khẩu này do quản trị viên đặt. "
                                 "Bạn đổi mật khẩu ở trang Tài khoản của tôi trước khi làm việc khác.")
                if request.method == "POST" and not auth.same_token(request.form.get("csrf_token"), staff.csrf_token):
                    return error(request, 403, "Yêu cầu không hợp lệ",
                                 "Biểu mẫu thiếu mã bảo vệ (CSRF) hoặc đã cũ. Hãy tải lại trang và thử lại.")
                return await handler(request, *args, **kwargs)
            wrapped.roles = roles  # type: ignore[attr-defined]
            return wrapped
        return decorate

    @app.listener("before_server_start")
    async def start_retention(app_: Sanic, _loop) -> None:
        # Purges at start-up, then every RETENTION_PURGE_INTERVAL_HOURS (advisory lock on PostgreSQL).
        app_.ctx.retention = asyncio.ensure_future(retention.run_daily(db_url))

    @app.listener("before_server_stop")
    async def stop_retention(app_: Sanic, _loop) -> None:
        task = getattr(app_.ctx, "retention", None)
        if task is not None:
            task.cancel()

    @app.middleware("request")
    async def load_staff(request: Request):
        request.ctx.staff = await _run(auth.staff_for, request.cookies.get(COOKIE), db_url)

    @app.middleware("request")
    async def refuse_odd_input(request: Request):
        # A number in the address beyond any id would overflow the database's integers.
        if any(isinstance(v, int) and not 0 < v <= MAX_ID for v in request.match_info.values()):
            return error(request, 404, "Không tìm thấy", "Không có mục này.")
        # PostgreSQL cannot store the NUL character and no keyboard types it: refused before any query.
        values = [*request.match_info.values(), *(v for vs in request.args.values() for v in vs)]
        if request.method == "POST":
            values += [v for vs in request.form.values() for v in vs]
        if any(isinstance(v, str) and "\x00" in v for v in values):
            return error(request, 400, "Yêu cầu không hợp lệ",
                         "Nội dung gửi lên có ký tự rỗng (NUL) nên không lưu được. Hãy nhập lại nội dung.")

    @app.exception(Exception)
    async def failure(request: Request, exception: Exception):
        if isinstance(exception, SanicException):  # not found, wrong method, too large...
            status = exception.status_code or 500
            heading, text = HTTP_ERRORS.get(status, UNEXPECTED)
        else:
            error_logger.exception("Unexpected error on %s %s", request.method, request.path)
            status, (heading, text) = 500, UNEXPECTED
        return error(request, status, heading, text)

    @app.middleware("response")
    async def security_headers(request: Request, resp):
        resp.headers["Content-Security-Policy"] = ("default-src 'self'; frame-ancestors 'none'; form-action 'self'; "
                                                   "base-uri 'none'; object-src 'none'")
        if secure_cookies:  # served over TLS (production): browsers keep to HTTPS
            resp.headers["Strict-Transport-Security"] = "max-age=31536000"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "same-origin"
        resp.headers["Cache-Control"] = "no-store"

    def set_cookie(resp, name: str, value: str, max_age: int) -> None:
        resp.cookies[name] = value
        cookie = resp.cookies[name]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = "/console"
        cookie["max-age"] = max_age
        if secure_cookies:
            cookie["secure"] = True

    @app.get("/console/static/console.css")
    async def css(request: Request):
        return await response.file(str(HERE / "console.css"), mime_type="text/css")

    @app.get("/console/")
    async def home(request: Request):
        staff = request.ctx.staff
        if staff is None:
            return response.redirect("/console/login")
        return response.redirect("/console/leads" if staff.can_work_leads else "/console/reports")

    @app.get("/console/login")
    async def login_form(request: Request):
        token = secrets.token_urlsafe(24)
        resp = page("login.html", request, csrf_token=token, username="")
        set_cookie(resp, LOGIN_CSRF_COOKIE, token, 3600)
        return resp

    @app.post("/console/login")
    async def login(request: Request):
        username = (request.form.get("username") or "")[:64]
        if not auth.same_token(request.form.get("csrf_token"), request.cookies.get(LOGIN_CSRF_COOKIE) or ""):
            return error(request, 403, "Yêu cầu không hợp lệ", "Biểu mẫu thiếu mã bảo vệ (CSRF). Hãy tải lại trang đăng nhập.")
        verdict = limiter("login").hit(ip_of(request) or "?")
        if not verdict.allowed:  # per address, on top of the per-account lock-out
            return error(request, 429, "Quá nhiều lần đăng nhập",
                         f"Có quá nhiều lần đăng nhập từ địa chỉ này. Bạn thử lại sau khoảng {verdict.retry_after} giây.")
        result = await _run(auth.authenticate, username, request.form.get("password") or "", db_url)
        if result.user_id is None:
            # The name only when it is an account's: a password typed in the name field is not kept (review L12).
            known = result.username and await _run(auth.account_exists, result.username, db_url)
            await _run(audit.record, result.username if known else "(tên không có)", "sign_in_failed", "console", None,
                       ip_of(request), db_url)
            token = secrets.token_urlsafe(24)
            resp = page("login.html", request, status=401, csrf_token=token, username=username,
                        messages=[{"kind": "error", "text": result.message}])
            set_cookie(resp, LOGIN_CSRF_COOKIE, token, 3600)
            return resp
        session_token, _ = await _run(auth.open_session, result.user_id, db_url)
        await _run(audit.record, result.username, "sign_in", "console", None, ip_of(request), db_url)
        target = request.args.get("next") or "/console/"
        resp = response.redirect(target if target.startswith("/console/") else "/console/", status=303)
        set_cookie(resp, COOKIE, session_token, auth.SESSION_HOURS * 3600)
        return resp

    @app.post("/console/logout")
    @requires(*ALL_ROLES)
    async def logout(request: Request):
        await log(request, "sign_out", "console")
        await _run(auth.close_session, request.cookies.get(COOKIE), db_url)
        resp = response.redirect("/console/login", status=303)
        set_cookie(resp, COOKIE, "", 0)
        return resp

    # --- leads -----------------------------------------------------------------------

    def lead_context() -> Dict[str, Any]:
        kb = get_kb()
        return {"statuses": STATUS_LABELS, "programmes": kb.programmes,
                "programme_names": lambda ids: programme_names(ids, kb) if ids else ""}

    @app.get("/console/leads")
    @requires(*LEAD_ROLES)
    async def lead_list(request: Request):
        f = leads.LeadFilter.from_args({k: request.args.get(k) for k in request.args})
        problems = f.problems()
        number = request.args.get("page", "1")
        result = await _run(leads.list_leads, f, whole_number(number) or 1, leads.PER_PAGE, db_url)
        choices = await _run(leads.filter_choices, db_url)
        staff_list = await _run(leads.staff_who_work_leads, db_url)
        await log(request, "view", "leads", urlencode(f.as_query()) or None)
        return page("leads.html", request, status=400 if problems else 200, page=result, f=f, choices=choices,
                    staff_list=staff_list, query=urlencode(f.as_query()),
                    messages=[{"kind": "error", "text": p} for p in problems], **lead_context())

    @app.get("/console/leads/export")
    @requires(*LEAD_ROLES)
    async def lead_export(request: Request):
        fmt = request.args.get("format", "csv")
        if fmt not in ("csv", "xlsx"):
            return error(request, 400, "Định dạng không hỗ trợ", "Chỉ xuất được CSV hoặc XLSX.")
        f = leads.LeadFilter.from_args({k: request.args.get(k) for k in request.args})
        if f.problems():
            return error(request, 400, "Bộ lọc không hợp lệ", " ".join(f.problems()))
        data = rows(await _run(leads.all_matching, f, db_url))
        await log(request, "export", "leads", f"{fmt}, {len(data)} dòng, lọc: {urlencode(f.as_query()) or 'không'}")
        if fmt == "csv":
            buffer = io.StringIO()
            write_csv(data, buffer)
            body, mime = buffer.getvalue().encode("utf-8"), "text/csv; charset=utf-8"
        else:
            binary = io.BytesIO()
            write_xlsx(data, binary)  # type: ignore[arg-type]
            body, mime = binary.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return response.raw(body, content_type=mime,
                            headers={"Content-Disposition": f'attachment; filename="dang-ky-tuyen-sinh.{fmt}"'})

    async def show_lead(request: Request, reference: str, messages=None, status: int = 200):
        lead = await _run(leads.get_lead, reference, db_url)
        if lead is None:
            return error(request, 404, "Không tìm thấy", "Không có đăng ký với mã này.")
        staff_list = await _run(leads.staff_who_work_leads, db_url)
        await log(request, "view", f"lead {reference}")
        return page("lead.html", request, status=status, lead=lead, staff_list=staff_list,
                    next_statuses=leads.TRANSITIONS.get(lead.status, ()), roles_of_person=PERSON_ROLES,
                    contact_time=CONTACT_TIMES.get(lead.contact_time or "", ("",))[0], messages=messages or [],
                    **lead_context())

    @app.get("/console/leads/<reference:str>")
    @requires(*LEAD_ROLES)
    async def lead_page(request: Request, reference: str):
        return await show_lead(request, reference)

    async def lead_change(request: Request, reference: str, change: Callable[[], Any], done: str):
        try:
            detail = await _run(change)
        except leads.WorkflowError as problem:
            return await show_lead(request, reference, [{"kind": "error", "text": str(problem)}], status=400)
        await log(request, "change", f"lead {reference}", detail)
        return response.redirect(f"/console/leads/{reference}?" + urlencode({"ok": done}), status=303)

    @app.post("/console/leads/<reference:str>/status")
    @requires(*LEAD_ROLES)
    async def lead_status(request: Request, reference: str):
        to_status = request.form.get("to_status") or ""
        note = request.form.get("note") or ""

        def change():
            before = leads.change_status(reference, to_status, request.ctx.staff.username, note, db_url)
            return f"trạng thái {before} -> {to_status}"
        return await lead_change(request, reference, change, "status")

    @app.post("/console/leads/<reference:str>/note")
    @requires(*LEAD_ROLES)
    async def lead_note(request: Request, reference: str):
        text = request.form.get("text") or ""

        def change():
            leads.add_note(reference, request.ctx.staff.username, text, db_url)
            return "thêm ghi chú"
        return await lead_change(request, reference, change, "note")

    @app.post("/console/leads/<reference:str>/assign")
    @requires(*LEAD_ROLES)
    async def lead_assign(request: Request, reference: str):
        chosen = request.form.get("assignee") or ""  # empty: nobody

        def change():
            user_id = whole_number(chosen)
            if chosen and user_id is None:
                raise leads.WorkflowError("Người được giao không hợp lệ.")
            username = leads.assign(reference, user_id, db_url)
            return f"giao cho {username or '(không ai)'}"
        return await lead_change(request, reference, change, "assign")

    # --- live handoff ------------------------------------------------------------------

    rasa = RasaAdmin()

    @app.get("/console/handoffs")
    @requires(*LEAD_ROLES)
    async def handoff_inbox(request: Request):
        rows = await _run(handoff.inbox, db_url)
        await log(request, "view", "handoffs")
        return page("handoffs.html", request, rows=rows, reasons=HANDOFF_REASONS, states=HANDOFF_STATES)

    async def show_handoff(request: Request, hid: int, messages=None, status: int = 200):
        row = await _run(handoff.get, hid, db_url)
        if row is None:
            return error(request, 404, "Không tìm thấy", "Không có cuộc trò chuyện này.")
        notes = list(messages or [])
        try:
            history = await rasa.history(row.sender_id)
        except httpx.HTTPError:
            history = []
            notes.append({"kind": "error", "text": "Không đọc được lịch sử từ trợ lý (máy chủ Rasa không trả lời)."})
        await log(request, "view", f"handoff {hid}")
        return page("handoff.html", request, status=status, h=row, history=history, reasons=HANDOFF_REASONS,
                    states=HANDOFF_STATES, messages=notes)

    @app.get("/console/handoffs/<hid:int>")
    @requires(*LEAD_ROLES)
    async def handoff_page(request: Request, hid: int):
        return await show_handoff(request, hid)

    async def handoff_step(request: Request, hid: int, step) -> response.HTTPResponse:
        try:
            detail = await step(request.ctx.staff.username)
        except handoff.HandoffError as problem:
            return await show_handoff(request, hid, [{"kind": "error", "text": str(problem)}], status=409)
        except (httpx.HTTPError, DeliveryError) as problem:
            return await show_handoff(request, hid, [{"kind": "error", "text": f"Chưa thực hiện được: {problem}"}], status=502)
        await log(request, "change", f"handoff {hid}", detail)
        return response.redirect(f"/console/handoffs/{hid}", status=303)

    @app.post("/console/handoffs/<hid:int>/take")
    @requires(*LEAD_ROLES)
    async def handoff_take(request: Request, hid: int):
        async def step(username: str) -> str:
            row = await _run(handoff.take, hid, username, db_url)
            await rasa.pause(row.sender_id)  # the assistant stays silent while a person answers
            return "nhận xử lý, tạm dừng trợ lý"
        return await handoff_step(request, hid, step)

    @app.post("/console/handoffs/<hid:int>/reply")
    @requires(*LEAD_ROLES)
    async def handoff_reply(request: Request, hid: int):
        text = (request.form.get("text") or "").strip()[:4000]

        async def step(username: str) -> str:
            if not text:
                raise handoff.HandoffError("Tin nhắn đang trống.")
            row = await _run(handoff.check_writer, hid, username, db_url)
            try:
                await deliver(row.sender_id, text)
            except DeliveryError as problem:
                await _run(handoff.record_message, hid, row.sender_id, username, text, False, str(problem), db_url)
                raise
            await _run(handoff.record_message, hid, row.sender_id, username, text, True, None, db_url)
            await rasa.log_staff_message(row.sender_id, text, username)
            return f"trả lời ({len(text)} ký tự)"
        return await handoff_step(request, hid, step)

    @app.post("/console/handoffs/<hid:int>/close")
    @requires(*LEAD_ROLES)
    async def handoff_close(request: Request, hid: int):
        async def step(username: str) -> str:
            row = await _run(handoff.close, hid, username, db_url)
            await rasa.resume(row.sender_id)
            if row.taken_by:
                try:
                    await deliver(row.sender_id, HANDBACK)
                    await _run(handoff.record_message, hid, row.sender_id, username, HANDBACK, True, None, db_url)
                except DeliveryError:
                    pass  # the conversation is handed back all the same
            return "kết thúc, trợ lý tiếp tục"
        return await handoff_step(request, hid, step)

    # --- unanswered questions -------------------------------------------------------------

    def gaps_page(request: Request, messages=None, status: int = 200, form=None):
        kb = get_kb()
        return page("questions.html", request, status=status, gaps=gaps.open_gaps(db_url), messages=messages or [],
                    topics=FAQ_TOPICS, documents=sorted(kb.documents.values(), key=lambda d: d.short), form=form or {})

    @app.get("/console/questions")
    @requires(*LEAD_ROLES)
    async def questions_page(request: Request):
        await log(request, "view", "unanswered questions")
        return await _run(gaps_page, request)

    @app.post("/console/questions/dismiss")
    @requires("admin")
    async def questions_dismiss(request: Request):
        ids = gaps.parse_ids(request.form.get("ids") or "")
        changed = await _run(gaps.set_status, ids, "dismissed", db_url)
        await log(request, "change", "unanswered questions", f"bỏ qua {changed} câu")
        return response.redirect("/console/questions", status=303)

    @app.post("/console/questions/faq")
    @requires("admin")
    async def questions_to_faq(request: Request):
        form = {k: (request.form.get(k) or "").strip() for k in
                ("ids", "id", "topic", "question", "keywords", "answer", "document", "verification")}
        entry = {"id": form["id"], "topic": form["topic"], "question": form["question"],
                 "keywords": [k.strip() for k in form["keywords"].split(",") if k.strip()],
                 "answer": form["answer"],
                 "source": {"document": form["document"], "verification": form["verification"] or "unverified",
                            "note": f"Thêm từ trang quản lý bởi {request.ctx.staff.username}"}}
        try:
            await _run(gaps.add_faq, entry)
        except gaps.FaqProblem as problem:
            return await _run(gaps_page, request, [{"kind": "error", "text": f"Chưa thêm được: {problem}"}], 400, form)
        ids = gaps.parse_ids(form["ids"])
        await _run(gaps.set_status, ids, "answered", db_url)
        await log(request, "change", f"faq {form['id']}", f"thêm FAQ từ {len(ids)} câu hỏi")
        return await _run(gaps_page, request, [{"kind": "ok", "text": f"Đã thêm câu hỏi thường gặp \"{form['id']}\"; "
                                                "trợ lý dùng ngay câu trả lời mới."}])

    # --- reports, accounts, audit ---------------------------------------------------

    @app.get("/console/reports")
    @requires(*ALL_ROLES)
    async def report_page(request: Request):
        summary = await _run(reports.summary, db_url)
        kb = get_kb()
        interests = reports.interests_by_place(await _run(interests_by_commune, None, None, db_url), kb)
        await log(request, "view", "reports")
        today = clock.today()
        return page("reports.html", request, r=summary, statuses=STATUS_LABELS,
                    default_start=dt.date(today.year - 1, 12, 16), default_end=today, interests=interests[:30],
                    riasec={c: label for c, (label, _) in kb.career.riasec_types.items()},
                    programme_name=lambda pid: kb.programme(pid).name if kb.programme(pid) else pid)

    @app.get("/console/reports/yearly")
    @requires(*ALL_ROLES)
    async def yearly_report(request: Request):
        fmt = request.args.get("format", "xlsx")
        start, end = _day(request.args.get("start")), _day(request.args.get("end"))
        if fmt not in ("xlsx", "pdf") or start is None or end is None or start > end:
            return error(request, 400, "Khoảng thời gian không hợp lệ",
                         "Chọn ngày bắt đầu và ngày kết thúc (bắt đầu không sau kết thúc) và định dạng XLSX hoặc PDF.")
        out = await _run(reports.summary, db_url, start=start, end=end, limit=None)
        body = await _run(reports.yearly_xlsx if fmt == "xlsx" else reports.yearly_pdf, out, start, end)
        await log(request, "export", "yearly report", f"{fmt}, {start} - {end}")
        mime = "application/pdf" if fmt == "pdf" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return response.raw(body, content_type=mime, headers={
            "Content-Disposition": f'attachment; filename="bao-cao-tuyen-sinh-{start}-{end}.{fmt}"'})

    @app.get("/console/users")
    @requires("admin")
    async def users(request: Request, messages=None, status: int = 200):
        accounts = await _run(auth.list_users, db_url)
        return page("users.html", request, status=status, users=accounts, messages=messages or [])

    @app.post("/console/users")
    @requires("admin")
    async def create_user(request: Request):
        form = {k: (request.form.get(k) or "") for k in ("username", "display_name", "role", "password")}
        try:
            await _run(auth.create_user, form["username"], form["display_name"], form["role"], form["password"], db_url,
                       chosen_by_admin=True)
        except auth.AccountError as problem:
            return await users(request, [{"kind": "error", "text": str(problem)}], status=400)
        await log(request, "create", f"account {form['username'].strip().lower()}", f"vai trò {form['role']}")
        return await users(request, [{"kind": "ok", "text": f"Đã tạo tài khoản {form['username'].strip().lower()}."}])

    async def account_change(request: Request, change: Callable[[], str], what: str):
        try:
            username = await _run(change)
        except auth.AccountError as problem:
            return await users(request, [{"kind": "error", "text": str(problem)}], status=400)
        await log(request, "change", f"account {username}", what)
        return await users(request, [{"kind": "ok", "text": f"Đã cập nhật tài khoản {username}: {what}."}])

    @app.post("/console/users/<uid:int>/active")
    @requires("admin")
    async def user_active(request: Request, uid: int):
        active = request.form.get("active") == "1"
        return await account_change(request, lambda: auth.set_active(uid, active, request.ctx.staff.id, db_url),
                                    "mở khóa" if active else "khóa")

    @app.post("/console/users/<uid:int>/password")
    @requires("admin")
    async def user_password(request: Request, uid: int):
        password = request.form.get("password") or ""
        return await account_change(request, lambda: auth.reset_password(uid, password, db_url), "đặt lại mật khẩu")

    @app.get("/console/account")
    @requires(*ALL_ROLES)
    async def own_account(request: Request, messages=None, status: int = 200):
        return page("account.html", request, status=status, messages=messages or [])

    @app.post("/console/account/password")
    @requires(*ALL_ROLES)
    async def own_password(request: Request):
        staff = request.ctx.staff
        try:
            await _run(auth.change_own_password, staff.id, request.form.get("current") or "",
                       request.form.get("password") or "", request.cookies.get(COOKIE), db_url)
        except auth.AccountError as problem:
            return await own_account(request, [{"kind": "error", "text": str(problem)}], status=400)
        request.ctx.staff = dataclasses.replace(staff, must_change_password=False)  # the page shown next
        await log(request, "change", f"account {staff.username}", "tự đổi mật khẩu")
        return await own_account(request, [{"kind": "ok", "text": "Đã đổi mật khẩu. Các phiên đăng nhập khác của "
                                                                  "tài khoản này đã kết thúc."}])

    @app.get("/console/audit")
    @requires("admin")
    async def audit_page(request: Request):
        return page("audit.html", request, entries=await _run(audit.recent, 300, db_url), actions=ACTIONS)

    return app


def _day(value: Optional[str]) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


def protected_routes(app: Sanic) -> Dict[str, tuple]:
    """path -> (method, roles) of every route behind a sign-in (the security test walks them)."""
    found = {}
    for route in app.router.routes:
        roles = getattr(route.handler, "roles", None)
        if roles:
            found[route.path] = (sorted(route.methods)[0], roles)
    return found
