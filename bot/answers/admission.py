"""How to enrol: papers, steps, timing, where, who can enrol; and the contacts."""

from __future__ import annotations

from typing import List

from bot.answers.context import Context
from bot.answers.faq import best_faq, faq_text
from bot.answers.format import bullets, hedge
from bot.answers.reply import Reply, button
from bot.answers.programmes import age_question
from bot.kb.models import Contacts, LEVEL_LABELS

PAPERS = ("hồ sơ", "giấy tờ", "cần gì", "nộp gì", "chuẩn bị gì", "giấy gì", "những gì")
STEPS = ("thủ tục", "các bước", "quy trình", "làm sao", "như thế nào", "cách đăng ký", "đăng ký thế nào", "nhập học thế nào")
TIMING = ("khi nào", "bao giờ", "thời gian", "lúc nào", "hạn", "hạn nộp", "tháng mấy", "mấy giờ")
WHERE = ("ở đâu", "nộp ở đâu", "chỗ nào", "nơi nộp", "trực tuyến", "online")
EXAM = ("thi", "xét tuyển", "điểm chuẩn", "điểm", "thi đầu vào")
WHO = ("điều kiện", "ai được", "đối tượng", "bao nhiêu tuổi", "yêu cầu", "có được học không", "được học không")

CHANNEL_LABELS = {
    "phone": "Điện thoại", "hotline": "Đường dây nóng", "zalo": "Zalo", "fanpage": "Fanpage",
    "email": "Email", "website": "Website", "address": "Địa chỉ",
}


def contact_lines(contacts: Contacts) -> List[str]:
    """Who to contact, from contacts.yml only: nothing the college has not given is named."""
    unit = contacts.department
    head = contacts.institution + (f" ({hedge(unit.text, unit.source)})" if unit else "")
    lines = [head]
    known = [(k, v) for k, v in contacts.channels.items() if v]
    lines += [f"• {CHANNEL_LABELS[k]}: {v}" for k, v in known]
    hours = contacts.office_hours
    lines.append(f"• Giờ làm việc: {hours.text}" if hours.confirmed else f"• {hours.text}")
    if not contacts.confirmed and contacts.note:
        lines.append(contacts.note)
    return lines


def answer_contact(ctx: Context) -> Reply:
    contacts = ctx.kb.contacts
    lines = contact_lines(contacts)
    if not any(contacts.channels.values()):
        lines.append("Trong lúc chờ, bạn có thể hỏi UBND xã/phường hoặc giáo viên tư vấn hướng nghiệp ở trường THCS, THPT.")
    return Reply("\n".join(lines), [
        button("Đăng ký để được gọi lại", "register_interest"),
        button("Gặp cán bộ tư vấn", "request_human"),
        button("Hồ sơ nhập học", "ask_admission", aspect="papers"),
    ])


def _papers(ctx: Context, buttons: List) -> Reply:
    """The papers everyone brings; those a support needs (documents of a policy) in one line, with
    each policy's papers on its button, unless the person asked for everything."""
    from bot.answers.fit import wants_everything

    adm = ctx.kb.admission
    head = "Hồ sơ nhập học thường gồm (thông tin tham khảo, trường sẽ thông báo chính thức):"
    if wants_everything(ctx):
        return Reply("\n".join([head, bullets(p.text for p in adm.papers)]), buttons)
    by_policy = {p.document.id: p for p in ctx.kb.policies_in_order() if p.papers}
    general = [p for p in adm.papers if p.source.document.id not in by_policy]
    supports = [by_policy[p.source.document.id] for p in adm.papers if p.source.document.id in by_policy]
    lines = [head, bullets(p.text for p in general)]
    policy_buttons = [button(f"Hồ sơ {p.button_title[:1].lower() + p.button_title[1:]}", "ask_policy", policy=p.id,
                             aspect="papers") for p in dict.fromkeys(supports)]
    if supports:
        lines.append("Nếu xin miễn, giảm học phí hoặc chính sách hỗ trợ: thêm đơn theo mẫu và giấy tờ chứng minh "
                     "(xem ở nút bên dưới).")
    return Reply("\n".join(lines), policy_buttons[:2] + buttons[:1] + [button("Đăng ký tư vấn", "register_interest")])


def answer_admission(ctx: Context) -> Reply:
    by_age = age_question(ctx)  # "15 tuổi có vào học được không": the entry age, not every condition
    if by_age is not None:
        return by_age
    adm = ctx.kb.admission
    text = ctx.text
    buttons = [button("Các bước nhập học", "ask_admission", aspect="steps"),
               button("Miễn, giảm học phí", "ask_policy", policy="nd238"),
               button("Đăng ký tư vấn", "register_interest")]
    if ctx.asks("timing", TIMING):
        lines = [hedge(adm.timing.text, adm.timing.source)]
    elif ctx.asks("exam", EXAM):
        lines = [hedge(m.text, m.source) for m in adm.methods[:2]]
    elif ctx.asks("where", WHERE):
        lines = [hedge(adm.where.text, adm.where.source)]
    elif ctx.asks("steps", STEPS) and not ctx.asks("papers", PAPERS):
        lines = ["Các bước nhập học (tham khảo):", bullets(hedge(s.text, s.source) for s in adm.steps)]
    elif ctx.asks("who", WHO) or ctx.level_named_now():
        level = ctx.level_named_now()
        items = [(lvl, e) for lvl, e in adm.eligibility.items() if level in (None, lvl)]
        lines = ["Điều kiện vào học:", bullets(f"{LEVEL_LABELS[lvl].capitalize()}: {hedge(e.text, e.source)}" for lvl, e in items)]
    elif ctx.asks("papers", PAPERS) or ctx.entity("aspect") == "all":
        return _papers(ctx, buttons)
    else:
        faq = best_faq(ctx.kb.faqs_on("admission"), text)
        lines = [hedge(adm.summary.text, adm.summary.source)] + ([faq_text(faq)] if faq else [])
        buttons = [button("Hồ sơ gồm gì?", "ask_admission", aspect="papers"),
                   button("Khi nào tuyển sinh?", "ask_admission", aspect="timing"),
                   button("Đăng ký tư vấn", "register_interest")]
    return Reply("\n".join(lines), buttons)
