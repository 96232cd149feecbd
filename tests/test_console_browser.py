"""The staff console in a real headless Chromium: a counsellor signs in, filters the leads,
changes a status with a note, exports the filtered list, and signs out; a viewer reads the
reports. Screenshots of the main pages go to test-artifacts/ (not committed)."""

from __future__ import annotations

from typing import Iterator

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.console import auth
from bot.devserver import running_console
from bot.storage.db import migrate, session_scope
from bot.storage.models import Lead
from tests.conftest import ARTIFACTS
from tests.test_console import add_lead

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[dict]:
    work = tmp_path_factory.mktemp("console_browser")
    db_url = f"sqlite:///{work}/console.db"
    migrate(db_url)
    auth.create_user("hoa", "Cô Lò Thị Hoa", "counsellor", "Hoaban-Doi-Nuoc-26", db_url)
    auth.create_user("so", "Sở GD&ĐT", "viewer", "Xembaocao2026", db_url)
    refs = [add_lead(db_url, name=f"Học sinh {i}", phone=f"09120000{i:02d}", commune=commune, channel=channel,
                     programmes=[programme])
            for i, (commune, channel, programme) in enumerate([
                ("Bản Lang", "telegram", "han"), ("Nậm Tăm", "zalo", "dieu_duong"), ("Bản Lang", "web", "trong_trot"),
                ("Tân Phong", "telegram", "ky_thuat_che_bien_mon_an"), ("Bản Lang", "zalo", "han")])]
    with running_console(work, db_url) as url:
        yield {"url": url, "db": db_url, "refs": refs, "work": work}


def sign_in(page, site, username, password):
    page.goto(site["url"] + "/console/")
    assert page.url.endswith("/console/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_counsellor_filters_changes_a_status_exports_and_signs_out(browser, site):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    sign_in(page, site, "hoa", "Hoaban-Doi-Nuoc-26")
    page.wait_for_url("**/console/leads")
    assert page.get_by_role("heading", name="Danh sách đăng ký (5)").is_visible()
    page.screenshot(path=str(ARTIFACTS / "console-leads.png"), full_page=True)

    page.get_by_label("Xã/phường").select_option("Bản Lang")
    page.get_by_label("Kênh").select_option("zalo")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**commune=*")
    rows = page.locator("tbody tr")
    assert rows.count() == 1 and "Học sinh 4" in rows.first.inner_text()

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename == "dang-ky-tuyen-sinh.xlsx"
    saved = site["work"] / "download.xlsx"
    download.value.save_as(saved)
    sheet = load_workbook(saved).active
    assert sheet.max_row == 2 and sheet["D2"].value == "Học sinh 4"

    rows.first.get_by_role("link").click()
    page.wait_for_url("**/console/leads/LC-*")
    page.get_by_label("Chuyển trạng thái").select_option("contacted")
    page.get_by_label("Ghi chú (không bắt buộc)").fill("Đã gọi, phụ huynh đồng ý cho đi học")
    page.get_by_role("button", name="Cập nhật trạng thái").click()
    page.wait_for_url("**ok=status")
    assert "Đã gọi, phụ huynh đồng ý cho đi học" in page.locator(".history").inner_text()
    page.screenshot(path=str(ARTIFACTS / "console-lead.png"), full_page=True)
    with session_scope(site["db"]) as session:
        assert session.scalar(select(Lead.status).where(Lead.reference == site["refs"][4])) == "contacted"

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/console/login")
    page.goto(site["url"] + "/console/leads")
    assert page.url.split("?")[0].endswith("/console/login")
    context.close()


def test_viewer_on_a_phone_sees_reports_but_not_leads(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True)
    page = context.new_page()
    sign_in(page, site, "so", "Xembaocao2026")
    page.wait_for_url("**/console/reports")
    assert page.get_by_role("heading", name="Báo cáo tuyển sinh").is_visible()
    assert page.locator("nav").get_by_role("link", name="Đăng ký").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling
    page.screenshot(path=str(ARTIFACTS / "console-reports-mobile.png"), full_page=True)
    response = page.goto(site["url"] + "/console/leads")
    assert response.status == 403 and "Không có quyền" in page.content()
    context.close()
