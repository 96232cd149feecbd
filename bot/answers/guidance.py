"""Why vocational education, jobs after a course, and help choosing a trade."""

from __future__ import annotations

from typing import List, Optional

from bot.advisors import quiz
from bot.answers.context import Context
from bot.answers.format import DRAFT_NOTE, is_yes_no
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


# "có chắc chắn được ... không": a question about a guarantee, answered by the FAQ's `if_guaranteed`.
GUARANTEE_WORDS = ("chắc chắn", "đảm bảo", "bảo đảm", "cam kết", "chắc có", "chắc được", "100%")


def guarantee_answer(ctx: Context) -> Optional[str]:
    """"Học xong có chắc chắn được sang Hàn làm việc không?": "Không chắc chắn: …", from the FAQ."""
    if not is_yes_no(ctx.text) or not mentions(ctx.text, GUARANTEE_WORDS):
        return None
    faq = best_faq([f for f in ctx.kb.faqs if f.if_guaranteed], ctx.text)
    # Not hedged: that nothing is guaranteed holds whatever the draft facts turn out to be.
    return faq.if_guaranteed if faq else None


def answer_job_prospects(ctx: Context) -> Reply:
    prog = ctx.programme()
    guarantee = guarantee_answer(ctx)
    if prog is not None:
        reply = answer_job_prospects_for(ctx, prog)
        if guarantee:
            reply.text = f"{guarantee}\n{reply.text}"
        return reply
    if guarantee:
        return Reply(guarantee, programme_buttons(ctx, "ask_job_prospects", limit=3))
    return _faq_reply(ctx, ["jobs", "labour_export"], programme_buttons(ctx, "ask_job_prospects", limit=3) + [
        button("Tư vấn chọn nghề", "ask_career_advice"),
    ])


def programmes_for_interests(ctx: Context) -> List[Programme]:
    named = ctx.programmes_named() or ctx.programme_family()  # "muốn học nghề điện": both Điện first
    said = [w for words in INTEREST_FIELDS.values() for w in words if mentions(ctx.text, (w,))]
    fields = [f for f, words in INTEREST_FIELDS.items() if set(words) & set(said)]
    in_fields = [p for field in fields for p in ctx.kb.programmes_by(field=field) if p not in named]
    # "em thích sửa xe": within the field, trades that speak of what was said come first.
    in_fields.sort(key=lambda p: -sum(mentions(" ".join((p.name,) + p.aliases + (p.summary,)), (w,)) for w in said))
    found = list(named) + in_fields
    level = ctx.level_named_now()
    if level:
        found = [p for p in found if level in p.levels] or found
    return found


QUIZ_FORM = "career_quiz_form"
QUIZ_WORDS = ("trắc nghiệm", "bài test", "làm test", "câu hỏi sở thích", "bài kiểm tra sở thích", "làm tiếp")


def start_quiz(ctx: Context, restart: bool = False) -> Reply:
    state = ctx.slots.get("quiz_state")
    if restart or not quiz.in_progress(ctx.kb.quiz, state):  # type: ignore[arg-type]
        intro = (f"Bắt đầu trắc nghiệm sở thích nghề nghiệp: {quiz.total_steps(ctx.kb.quiz)} câu, khoảng 3 phút. "
                 "Bấm chọn điều đúng với bạn nhất; gõ \"dừng\" để tạm dừng, lúc khác làm tiếp.")
        return Reply(intro, slots={"quiz_state": quiz.new_state()}, follow_up=QUIZ_FORM)
    done = len(quiz.answers_of(state))  # type: ignore[arg-type]
    return Reply(f"Làm tiếp trắc nghiệm từ câu {done + 1}.", follow_up=QUIZ_FORM)


def offer_quiz(ctx: Context, lead: List[str]) -> Reply:
    state = ctx.slots.get("quiz_state")
    if quiz.in_progress(ctx.kb.quiz, state):  # type: ignore[arg-type]
        done = len(quiz.answers_of(state))  # type: ignore[arg-type]
        lead.append(f"Bạn đang làm dở bài trắc nghiệm sở thích (đã trả lời {done}/{quiz.total_steps(ctx.kb.quiz)} câu). Làm tiếp nhé?")
        buttons = [button("Làm tiếp trắc nghiệm", "ask_career_advice", advisor="start"), button("Làm lại từ đầu", "ask_career_advice", advisor="restart")]
    else:
        lead.append(f"Bạn có muốn làm bài trắc nghiệm sở thích ({quiz.total_steps(ctx.kb.quiz)} câu, khoảng 3 phút) "
                    "để mình gợi ý nghề hợp với bạn không? Hoặc chọn ngay một lĩnh vực bạn thích:")
        buttons = [button("Làm trắc nghiệm", "ask_career_advice", advisor="start")]
    fields = ["cong_nghiep", "nong_lam_nghiep", "du_lich_dich_vu"]
    buttons += [button(FIELD_LABELS[f], "ask_programmes", field=f) for f in fields]
    return Reply("\n".join(lead), buttons, slots={"pending_offer": QUIZ_FORM})


def answer_career_advice(ctx: Context) -> Reply:
    advisor = ctx.entity("advisor")
    if advisor in ("start", "restart") or mentions(ctx.text, QUIZ_WORDS):
        return start_quiz(ctx, restart=advisor == "restart")
    suggestions = programmes_for_interests(ctx)
    if suggestions:
        lines = ["Với sở thích bạn nêu, bạn có thể tham khảo các nghề " + DRAFT_NOTE + ":"]
        lines += [f"{i}. {quiz.programme_line(p, ctx.kb)}" for i, p in enumerate(suggestions[:4], start=1)]
        lines.append("Bạn muốn xem kỹ nghề nào? Muốn gợi ý kỹ hơn, bạn có thể làm bài trắc nghiệm sở thích.")
        buttons = [button(p.name, "ask_programme_info", programme=p.id) for p in suggestions[:2]]
        return Reply("\n".join(lines), buttons + [button("Làm trắc nghiệm", "ask_career_advice", advisor="start"),
                                                  button("Đăng ký tư vấn", "register_interest")])
    faq = best_faq(ctx.kb.faqs_on("career_guidance"), ctx.text)
    return offer_quiz(ctx, [faq_text(faq)] if faq else [])
