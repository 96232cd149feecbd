"""The website widget in a real headless Chromium (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS  # the `browser` fixture is in conftest

ROOT = Path(__file__).resolve().parents[1]
WIDGET = ROOT / "bot" / "channels" / "static" / "widget.js"

pytestmark = pytest.mark.server


def test_widget_is_small_and_self_contained():
    source = WIDGET.read_text(encoding="utf-8")
    assert len(gzip.compress(source.encode("utf-8"))) < 50_000
    assert "innerHTML" not in source and "http://" not in source and "https://" not in source.split("*/", 1)[1]


def bot_texts(page):
    return page.locator(".lcw-bot").all_inner_texts()


def open_demo(browser, assistant, **context_options):
    """A fresh browser context on the demo page, the widget open."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.goto(assistant.url + "/webhooks/webchat/")
    page.wait_for_selector(".lcw-panel", state="visible")  # the demo page opens the widget
    return context, page


def test_ask_click_reload_and_see_history(browser, assistant):
    context, page = open_demo(browser, assistant, viewport={"width": 390, "height": 800}, locale="vi-VN")
    assert page.get_by_role("dialog").get_attribute("aria-label").startswith("Tư vấn tuyển sinh")
    page.get_by_label("Câu hỏi của bạn").fill("học phí nghề hàn bao nhiêu")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('.lcw-bot').length >= 2")
    assert bot_texts(page)[-1].startswith("Học phí nghề Hàn")
    page.locator(".lcw-buttons").last.get_by_role("button").first.click()
    page.wait_for_function("document.querySelectorAll('.lcw-bot').length >= 4")  # the support form starts
    assert "hỏi vài câu ngắn" in bot_texts(page)[-2] and "Câu 1" in bot_texts(page)[-1]
    assert "Trung cấp" in page.locator(".lcw-buttons").last.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-mobile.png"), full_page=True)
    before = page.locator(".lcw-msg").all_inner_texts()
    page.reload()
    page.wait_for_selector(".lcw-panel", state="visible")
    assert page.locator(".lcw-msg").all_inner_texts() == before  # the conversation survives a reload
    context.close()


def test_html_in_messages_is_shown_as_text(browser, assistant):
    context = browser.new_context()
    page = context.new_page()
    page.route("**/webhooks/rest/webhook", lambda route: route.fulfill(
        status=200, content_type="application/json",
        body='[{"text": "<img src=x onerror=\\"window.__xss=2\\"><b>đậm</b>", "buttons": '
             '[{"title": "<i onmouseover=alert(1)>nút</i>", "payload": "/greet"}]}]'))
    page.goto(assistant.url + "/webhooks/webchat/")
    page.wait_for_selector(".lcw-panel", state="visible")
    attack = "<img src=x onerror=\"window.__xss=1\">"
    page.get_by_label("Câu hỏi của bạn").fill(attack)
    page.get_by_role("button", name="Gửi").click()
    page.wait_for_function("document.querySelectorAll('.lcw-bot').length >= 2")
    assert page.locator(".lcw-user").last.inner_text() == attack
    assert bot_texts(page)[-1] == "<img src=x onerror=\"window.__xss=2\"><b>đậm</b>"
    assert page.locator(".lcw-log img, .lcw-log b, .lcw-log i").count() == 0
    assert page.evaluate("window.__xss === undefined")
    context.close()


def test_network_drop_keeps_the_text_and_sends_it_when_back(browser, assistant):
    context, page = open_demo(browser, assistant)
    context.set_offline(True)
    page.get_by_label("Câu hỏi của bạn").fill("trường có những ngành gì")
    page.keyboard.press("Enter")
    page.wait_for_selector(".lcw-status:has-text('Mất kết nối')")
    assert page.locator(".lcw-user.lcw-pending").inner_text() == "trường có những ngành gì"
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function("document.querySelectorAll('.lcw-bot').length >= 2", timeout=30000)
    assert bot_texts(page)[-1].startswith("Trường dự kiến đào tạo")
    assert page.locator(".lcw-pending").count() == 0
    context.close()


def test_keyboard_only_use(browser, assistant):
    context, page = open_demo(browser, assistant)
    page.keyboard.press("Escape")
    assert page.locator(".lcw-panel").is_hidden()
    assert page.evaluate("document.activeElement.className") == "lcw-launch"
    page.keyboard.press("Enter")
    assert page.locator(".lcw-panel").is_visible()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Câu hỏi của bạn"
    context.close()


def test_college_name_colour_and_greeting_come_from_the_tag(browser, assistant):
    context = browser.new_context()
    page = context.new_page()
    page.route("**/college-site.html", lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=(
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"></head><body><h1>Trang của trường</h1>'
        f'<script src="{assistant.url}/webhooks/webchat/widget.js" data-title="Phòng tuyển sinh CĐ Lai Châu" '
        'data-color="#aa3300" data-greeting="Chào bạn, hỏi gì cũng được!"></script></body></html>')))
    page.goto(assistant.url + "/college-site.html")
    launch = page.get_by_role("button", name="Mở cửa sổ tư vấn tuyển sinh")
    assert launch.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(170, 51, 0)"
    launch.click()
    assert page.locator(".lcw-head h2").inner_text() == "Phòng tuyển sinh CĐ Lai Châu"
    assert bot_texts(page)[0] == "Chào bạn, hỏi gì cũng được!"
    context.close()


def test_counsellor_message_reaches_the_widget_during_a_handoff(browser, assistant):
    from bot import handoff

    context, page = open_demo(browser, assistant, locale="vi-VN")
    sender = page.evaluate("JSON.parse(localStorage.getItem('laichau-widget:' + location.origin)).sender")
    hid = handoff.request(sender, "rest", "request_human", url=assistant.db_url)
    handoff.record_message(hid, sender, "hoa", "Chào em, cô là cán bộ tuyển sinh <b>đây</b>.", True, url=assistant.db_url)
    page.wait_for_function("[...document.querySelectorAll('.lcw-bot')].some(n => n.textContent.includes('cán bộ tuyển sinh'))",
                           timeout=15000)
    assert bot_texts(page)[-1] == "Chào em, cô là cán bộ tuyển sinh <b>đây</b>."  # shown as text, not HTML
    page.reload()
    page.wait_for_selector(".lcw-panel", state="visible")
    page.wait_for_timeout(6000)  # another poll: the same message is not shown twice
    assert sum("cán bộ tuyển sinh" in t for t in bot_texts(page)) == 1
    context.close()


def test_widget_is_served_compressed(assistant):
    import urllib.request

    request = urllib.request.Request(assistant.url + "/webhooks/webchat/widget.js", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in response.headers["Vary"]
        body = response.read()
    assert gzip.decompress(body) == WIDGET.read_bytes() and len(body) < WIDGET.stat().st_size / 2
    with urllib.request.urlopen(assistant.url + "/webhooks/webchat/widget.js", timeout=10) as plain:
        assert plain.headers.get("Content-Encoding") is None and plain.read() == WIDGET.read_bytes()


def test_the_conversation_can_be_cleared_from_this_computer(browser, assistant):
    """A shared school computer: name and phone stayed in localStorage with no way to clear them."""
    context, page = open_demo(browser, assistant, locale="vi-VN")
    key = "'laichau-widget:' + location.origin"
    before = page.evaluate(f"JSON.parse(localStorage.getItem({key})).sender")
    page.get_by_label("Câu hỏi của bạn").fill("em tên Lò Thị Hoa, số 0912 345 678")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('.lcw-bot').length >= 2")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Xóa trên máy này").click()
    page.wait_for_selector(".lcw-status:has-text('Đã xóa cuộc trò chuyện trên máy này')")
    stored = page.evaluate(f"localStorage.getItem({key})")
    assert "0912 345 678" not in stored and "Lò Thị Hoa" not in stored
    assert page.evaluate(f"JSON.parse(localStorage.getItem({key})).sender") != before  # a new conversation
    page.reload()
    page.wait_for_selector(".lcw-panel", state="visible")
    assert page.locator(".lcw-user").count() == 0 and len(bot_texts(page)) == 1  # only the greeting
    context.close()


def test_a_long_answer_opens_at_its_start(browser, assistant):
    context, page = open_demo(browser, assistant, viewport={"width": 360, "height": 520}, locale="vi-VN")
    page.get_by_label("Câu hỏi của bạn").fill("em người Mông, nhà hộ nghèo, học trung cấp trường công lập")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('.lcw-bot').length >= 2")
    page.wait_for_timeout(300)
    top, log_top, height = page.evaluate("""() => {
        const bots = document.querySelectorAll('.lcw-bot'); const reply = bots[1];
        const log = document.querySelector('.lcw-log');
        return [reply.getBoundingClientRect().top, log.getBoundingClientRect().top, reply.offsetHeight]; }""")
    assert height > 200  # a long answer on this screen
    assert log_top - 1 <= top <= log_top + 60  # its first line at the top of the view, not scrolled past
    context.close()
