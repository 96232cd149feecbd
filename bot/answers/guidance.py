"""Why vocational education, jobs after a course, and help choosing a trade."""

from __future__ import annotations

from typing import List

from bot.answers.context import Context
from bot.answers.faq import best_faq, faq_text
from bot.answers.programmes import FIELD_LABELS, answer_job_prospects_for, programme_buttons
from bot.answers.reply import Reply, button
from bot.kb.models import Programme
from bot.text import mentions

# Interests people state -> programme fields (the quick path of career advice).
INTEREST_FIELDS = {
    "cong_nghiep": ("sửa xe", "máy móc", "sửa chữa", "điện", "cơ khí", "hàn", "lắp ráp", "xe cộ", "ô tô", "xe máy"),
    "nong_lam_nghiep": ("cây", "trồng", "nông nghiệp", "vật nuôi", "chăn nuôi", "con vật", "rừng", "làm vườn", "dược liệu"),
    "du_lich_dich_vu": ("nấu ăn", "du lịch", "giao tiếp", "khách", "nấu nướng", "đi đây đi đó", "phục vụ", "nhà hàng"),
    "cong_nghe_thong_tin": ("máy tính", "tin học", "công nghệ", "điện thoại", "internet", "lập trình"),
    "kinh_te": ("tính toán", "con số", "sổ sách", "kinh doanh", "buôn bán", "kế toán"),
    "nghe_truyen_thong": ("thêu", "dệt", "thổ cẩm", "thủ công", "làm đồ thủ công", "may vá", "may"),
    "y_te": ("chăm sóc người", "y tá", "bác sĩ", "chăm sóc", "điều dưỡng"),
    "su_pham": ("trẻ em", "trẻ con", "dạy học", "cô giáo", "trông trẻ"),
    "xay_dung": ("xây nhà", "xây dựng", "thợ xây", "công trình"),
    "ngoai_ngu": ("ngoại ngữ", "tiếng hàn", "nước ngoài", "xuất khẩu lao động"),
}


def _faq_reply(ctx: Context, topics: List[str], buttons) -> Reply:
    faqs = [f for f in ctx.kb.faqs if f.topic in topics]
    faq = best_faq(faqs, ctx.text)
    return Reply(faq_text(faq), buttons)


def answer_why_vocational(ctx: Context) -> Reply:
    core = ctx.kb.career.core_message.text
    reply = _faq_reply(ctx, ["why_vocational", "pathways"], [
        button("Các ngành đào tạo", "ask_programmes"),
        button("Học liên thông", "ask_why_vocational"),
        button("Chính sách hỗ trợ", "ask_policy"),
        button("Tư vấn chọn nghề", "ask_career_advice"),
    ])
    if core not in reply.text:
        reply.text += f"\nThông điệp của tỉnh: \"{core}\"."
    return reply


def answer_job_prospects(ctx: Context) -> Reply:
    prog = ctx.programme()
    if prog is not None:
        return answer_job_prospects_for(ctx, prog)
    return _faq_reply(ctx, ["jobs", "labour_export"], programme_buttons(ctx, "ask_job_prospects", limit=3) + [
        button("Tư vấn chọn nghề", "ask_career_advice"),
    ])


def programmes_for_interests(ctx: Context) -> List[Programme]:
    named = ctx.programmes_named()
    fields = [f for f, words in INTEREST_FIELDS.items() if mentions(ctx.text, words)]
    found = list(named)
    for field in fields:
        for prog in ctx.kb.programmes_by(field=field):
            if prog not in found:
                found.append(prog)
    level = ctx.level_named_now()
    if level:
        found = [p for p in found if level in p.levels] or found
    return found


def answer_career_advice(ctx: Context) -> Reply:
    suggestions = programmes_for_interests(ctx)
    if suggestions:
        lines = ["Với sở thích bạn nêu, bạn có thể tham khảo các nghề:"]
        for prog in suggestions[:4]:
            lines.append(f"• {prog.name}: {prog.summary}")
        lines.append("Bạn muốn xem kỹ nghề nào?")
        buttons = [button(p.name, "ask_programme_info", programme=p.id) for p in suggestions[:3]]
        return Reply("\n".join(lines), buttons + [button("Đăng ký tư vấn", "register_interest")])
    faq = best_faq(ctx.kb.faqs_on("career_guidance"), ctx.text)
    lines = [faq_text(faq)] if faq else []
    lines.append("Bạn thích làm việc với gì nhất? Chọn một lĩnh vực để xem các nghề phù hợp:")
    fields = ["cong_nghiep", "nong_lam_nghiep", "du_lich_dich_vu", "cong_nghe_thong_tin"]
    buttons = [button(FIELD_LABELS[f], "ask_programmes", field=f) for f in fields]
    return Reply("\n".join(lines), buttons + [button("Gặp cán bộ tư vấn", "request_human")])
