"""Replies that fit a phone (bot/answers/fit.py and the answers written short where they are built):
the first message is at most 600 characters unless the person asked for everything, nothing that
is being confirmed is cut, and "Xem đầy đủ" gives the rest."""

from __future__ import annotations

import json

import pytest

from bot.answers import Context, Reply
from bot.answers.fit import FIRST_MESSAGE_LIMIT, fit

QUESTIONS = [
    ("ask_policy", "chính sách nội trú là gì"), ("ask_policy", "qđ 53 là gì"), ("ask_policy", "NĐ 57 ai được hưởng"),
    ("ask_policy", "nghị định 57 hỗ trợ bao nhiêu"), ("ask_policy", "qđ 46 hỗ trợ học sơ cấp"),
    ("ask_policy", "nd238 ai được miễn giảm"), ("ask_policy", "qđ 53 ai được hưởng"),
    ("ask_policy", "hồ sơ xin miễn học phí gồm những gì"), ("ask_policy", "Học bổng chính sách theo QĐ 53 bao nhiêu một tháng?"),
    ("ask_tuition", "học phí bao nhiêu"), ("ask_tuition", "học phí nghề hàn"), ("ask_tuition", "học phí trung cấp"),
    ("ask_tuition", "học phí sơ cấp"), ("ask_tuition", "học phí nghề nấu ăn bao nhiêu"),
    ("ask_admission", "hồ sơ nhập học gồm những gì"), ("ask_programmes", "trường có những nghề nào"),
    ("ask_programmes", "các nghề trung cấp"), ("ask_programme_info", "nghề may học mấy năm"),
    ("check_eligibility", "em người Lự, hộ nghèo, học trung cấp ở trường công lập"),
]


@pytest.mark.parametrize("intent, text", QUESTIONS)
def test_the_first_message_fits_a_phone(ask, intent, text):
    reply = ask(intent, text)
    assert len(reply.text) <= FIRST_MESSAGE_LIMIT, reply.text


def test_a_policy_in_brief_names_every_support_its_amount_and_the_first_open_point(ask):
    reply = ask("ask_policy", "chính sách nội trú là gì")
    assert reply.text.splitlines()[0] == "Chính sách nội trú (QĐ 53/2015/QĐ-TTg), cho người học trung cấp và cao đẳng:"
    for line in ("• học bổng chính sách: 1.518.000 đ - 2.530.000 đ/tháng (60-100% lương cơ sở, tùy đối tượng)",
                 "• mua đồ dùng cá nhân: 1.000.000 đ (một lần)", "• ở lại trường dịp Tết: 150.000 đ/năm",
                 "• tiền đi lại: 200.000 đ/năm hoặc 300.000 đ/năm, tùy đối tượng",
                 "Số tiền tính theo lương cơ sở 2.530.000 đ/tháng từ 01/07/2026."):
        assert line in reply.text.splitlines()
    titles = [b.title for b in reply.buttons]
    assert titles[:3] == ["Ai được hưởng?", "Đang xác nhận gì?", "Hồ sơ cần nộp"]
    who = ask("ask_policy", "", entities={"policy": ["qd53"], "aspect": ["who"]}).text
    assert "học bổng chính sách 2.024.000 đ/tháng: tốt nghiệp trường PTDT nội trú" in who and len(who) <= 600
    open_points = ask("ask_policy", "", entities={"policy": ["qd53"], "aspect": ["open"]}).text
    assert "• có hỗ trợ chỗ ở, ký túc xá hay không" in open_points


def test_the_papers_everyone_brings_and_the_support_papers_on_their_buttons(ask):
    reply = ask("ask_admission", "hồ sơ nhập học gồm những gì")
    assert "• Bản sao giấy khai sinh" in reply.text and "thêm đơn theo mẫu" in reply.text
    payloads = {b.title: b.payload for b in reply.buttons}
    assert payloads["Hồ sơ miễn, giảm học phí"] == '/ask_policy{"policy": "nd238", "aspect": "papers"}'
    assert payloads["Hồ sơ chính sách nội trú"] == '/ask_policy{"policy": "qd53", "aspect": "papers"}'
    everything = ask("ask_admission", "hồ sơ nhập học gồm những gì, liệt kê đầy đủ").text
    assert "Phụ lục IV NĐ 238/2025/NĐ-CP" in everything  # asked for everything: the whole list


def test_the_catalogue_in_one_screen_with_a_button_per_level(ask):
    reply = ask("ask_programmes", "trường có những nghề nào")
    assert reply.text.startswith("Trường dự kiến đào tạo 20 nghề (thông tin tham khảo")
    assert [b.title for b in reply.buttons][:3] == ["Các nghề sơ cấp", "Các nghề trung cấp", "Các nghề cao đẳng"]


def test_fit_keeps_the_first_line_every_caveat_and_the_closing_question(kb, today):
    lines = ["Câu trả lời mở đầu."] + [f"• chi tiết số {i} " + "x" * 80 for i in range(10)] + [
        "Số tháng mỗi năm đang được xác nhận.", "Đang được xác nhận: điều một; điều hai; điều ba.", "Bạn muốn kiểm tra không?"]
    ctx = Context(kb, "học phí nghề hàn", today, "ask_tuition", {"programme": ["han"]}, {}, [])
    reply = fit(Reply("\n".join(lines), []), "ask_tuition", ctx)
    assert len(reply.text) <= FIRST_MESSAGE_LIMIT
    kept = reply.text.splitlines()
    assert kept[0] == "Câu trả lời mở đầu." and "Số tháng mỗi năm đang được xác nhận." in kept
    assert "Đang được xác nhận: điều một; điều hai; điều ba." in kept and "Bạn muốn kiểm tra không?" in kept
    assert kept[-1] == "(Còn nữa: bấm \"Xem đầy đủ\".)" and "• chi tiết số 0 " in reply.text
    more = reply.buttons[0]
    assert more.title == "Xem đầy đủ"
    assert json.loads(more.payload[len("/ask_tuition"):]) == {"programme": "han", "aspect": "all"}
    asked_all = Context(kb, "học phí nghề hàn, chi tiết", today, "ask_tuition", {}, {}, [])
    assert fit(Reply("\n".join(lines), []), "ask_tuition", asked_all).text == "\n".join(lines)
