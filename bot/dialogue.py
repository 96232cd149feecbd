"""Turn-level decisions that depend on the conversation so far.

Short answers ("nghề hàn", "trung cấp", "vâng") only make sense against what the
assistant asked before: the slots `pending_question` (a clarifying question the
assistant asked) and `pending_offer` (something it offered to do) carry that.
"""

from __future__ import annotations

import re

import dataclasses
from typing import Callable, List, Optional

from bot.answers import ANSWERS, CORRECTED, answer
from bot.answers.corrections import corrections
from bot.answers.admission import contact_lines
from bot.answers.context import Context
from bot.answers.guidance import QUIZ_FORM, start_quiz
from bot.answers.fit import FIRST_MESSAGE_LIMIT
from bot.answers.format import MONTHLY_WORDS, is_question, is_yes_no
from bot.answers.policies import PAPERS_WORDS, about_the_person, percent_tiers
from bot.answers.programmes import CAN_LEARN_WORDS
from bot.answers.reply import Reply, button
from bot.text import mentions, normalise
from bot import thread

MAIN_MENU = [
    ("Các ngành đào tạo", "ask_programmes"),
    ("Học phí", "ask_tuition"),
    ("Chính sách hỗ trợ", "ask_policy"),
    ("Tư vấn chọn nghề", "ask_career_advice"),
]
# Titles for suggesting an intent as a button (fallback).
INTENT_TITLES = {
    "ask_programmes": "Các ngành đào tạo",
    "ask_programme_info": "Thông tin một nghề",
    "ask_tuition": "Học phí",
    "ask_policy": "Chính sách hỗ trợ",
    "check_eligibility": "Em được hỗ trợ gì?",
    "ask_admission": "Hồ sơ, thủ tục nhập học",
    "ask_career_advice": "Tư vấn chọn nghề",
    "ask_job_prospects": "Việc làm sau khi học",
    "ask_why_vocational": "Vì sao nên học nghề",
    "ask_contact": "Liên hệ tuyển sinh",
    "register_interest": "Đăng ký tư vấn",
    "request_human": "Gặp cán bộ tư vấn",
}


def main_menu() -> List:
    return [button(title, intent) for title, intent in MAIN_MENU]


def handle_inform(ctx: Context) -> Reply:
    """A bare detail: answer the question it completes, or the one it most likely starts."""
    pending = ctx.slots.get("pending_question")
    if pending in ANSWERS:
        return answer(pending, ctx)
    if ctx.programmes_named():
        return answer("ask_programme_info", ctx)
    if ctx.policy(remembered=False):
        return answer("ask_policy", ctx)
    # A fact about the learner before an unknown programme: "trường công lập" is the school type,
    # even when the entity extractor marked it as a programme name.
    if about_the_person(ctx, besides=("level",)):
        return answer("check_eligibility", ctx)
    if ctx.unknown_programme():
        return answer("ask_programme_info", ctx)
    if not ctx.said().is_empty():
        return answer("check_eligibility", ctx)
    if ctx.level_named_now():
        return answer("ask_programmes", ctx)
    return fallback(ctx)


def _states_facts(ctx: Context) -> bool:
    """The message tells something about the learner ("không phải, nhà em cận nghèo")."""
    return not ctx.said().is_empty()


def erased_text(erasure) -> str:
    """Exactly what was erased, and what is erased later (review M5: "nothing is kept" was untrue)."""
    parts = [f"{n} {what}" for n, what in (
        (erasure.leads_anonymised, "đăng ký tư vấn (họ tên, số điện thoại, xã/phường)"),
        (erasure.questions_deleted, "câu hỏi đã gửi cho cán bộ"),
        (erasure.staff_messages_deleted, "tin nhắn của cán bộ")) if n]
    done = ("Đã xóa: " + "; ".join(parts) + ".") if parts else "Không còn thông tin cá nhân nào để xóa."
    # The reply carries ERASE_CONVERSATION: Rasa's store deletes the conversation when it saves this turn.
    return (f"{done} Nội dung cuộc trò chuyện này cũng đã được xóa khỏi máy chủ; "
            "trên trang web, bấm \"Xóa trên máy này\" để xóa cả trên máy của bạn.")


def question_not_yes(ctx: Context) -> Optional[Reply]:
    """"còn bây giờ?" after an amount, heard as a yes: the follow-up's answer, whatever was offered
    (the registration stays on its button). None when the message is a yes."""
    if ctx.text and is_question(ctx.text) and ctx.slots.get("pending_offer") != "delete_my_data":
        followed, in_thread = thread.follow("affirm", ctx)
        if followed in ANSWERS:
            return answer(followed, in_thread)
    return None


def handle_affirm(ctx: Context, on_delete: Optional[Callable[[], str]] = None) -> Reply:
    offer = ctx.slots.get("pending_offer")
    followed = question_not_yes(ctx)
    if followed is not None:
        return followed
    if offer is None and _states_facts(ctx):
        return answer("check_eligibility", ctx)  # "vâng, nhà em hộ nghèo": the facts, not a bare yes
    if offer == "delete_my_data" and on_delete is not None:
        return Reply(on_delete(), main_menu(), erases_conversation=True)
    if offer == QUIZ_FORM:
        return start_quiz(ctx)
    if offer in ANSWERS:
        return answer(offer, Context(ctx.kb, "", ctx.today, offer, {}, ctx.slots, ctx.ranking))
    return Reply("Vâng! Bạn cần mình giúp gì tiếp?", main_menu())


KEEP_DATA = Reply("Vâng, mình giữ nguyên thông tin, không xóa gì cả.", main_menu())
# "không xóa nữa", "thôi đừng xóa": naming the erasure, but to refuse it (the NLU hears delete_my_data).
KEEP_WORDS = ("không xóa", "đừng xóa", "khỏi xóa", "không cần xóa", "không muốn xóa")


def keeps_data(ctx: Context) -> bool:
    """A refusal, not a question ("sao không xóa được?" still asks for the erasure)."""
    return bool(ctx.text) and mentions(ctx.text, KEEP_WORDS) and not is_question(ctx.text)


def handle_deny(ctx: Context) -> Reply:
    if ctx.slots.get("pending_offer") == "delete_my_data" or keeps_data(ctx):
        return KEEP_DATA
    if _states_facts(ctx):
        return answer("check_eligibility", ctx)  # "không phải, nhà em cận nghèo": a correction, not a no
    return Reply("Vâng ạ. Bạn còn muốn hỏi gì khác không?", main_menu())


def knowledge_intent(ctx: Context) -> Optional[str]:
    """What the knowledge base recognises in a message the NLU could not place, or placed out of
    scope ("hỗ trợ ăn Tết bao nhiêu?"): a support or policy named, the learner's situation, a
    programme named. None when it recognises nothing."""
    if not ctx.text:
        return None
    if corrections(ctx):
        return "ask_policy"  # "nghe nói chỉ được đầu khóa và cuối khóa thôi": a known mistake, corrected
    if ctx.match.benefits_in(ctx.text) or ctx.policy(remembered=False) or percent_tiers(ctx, None):
        return "ask_policy"  # a support, a policy, or a tier by its percentage ("60% hay 80%?")
    if ctx.programmes_named() and not about_the_person(ctx, besides=("level",)):
        return "ask_programme_info"  # "nghề du lịch có hệ trung cấp không?": a level alone is the programme's
    if not ctx.said().is_empty():
        return "check_eligibility"
    if ctx.programmes_named():
        return "ask_programme_info"
    return None


# Intents whose answer a bare statement of facts does not ask for: in the support-check thread,
# "trường công lập" or "hộ cận nghèo ạ" completes the learner's situation instead.
STATEMENT_INTENTS = ("ask_programme_info", "ask_programmes", "ask_tuition", "ask_admission", "ask_job_prospects",
                     "ask_why_vocational", "ask_career_advice", "ask_contact")


def answer_turn(intent: str, ctx: Context, otherwise: Optional[Callable[[Context], Reply]] = None) -> Reply:
    """This turn's answer: a short follow-up continues the thread of the conversation
    (bot.thread); otherwise the intent's answer (or `otherwise`, for inform / out of scope)."""
    followed, in_thread = thread.follow(intent, ctx)
    if followed in ANSWERS and (followed != intent or in_thread is not ctx):
        return answer(followed, in_thread)
    if otherwise is not None:
        return otherwise(ctx)
    return answer(redirect(intent, ctx), ctx)


def redirect(intent: str, ctx: Context) -> str:
    """The intent to answer: a bare statement about the learner, in a conversation that is checking
    supports (a profile is remembered), goes to the support check whatever the NLU thought."""
    if intent in STATEMENT_INTENTS and ctx.slots.get("profile") and not is_question(ctx.text) \
            and not ctx.programmes_named() and about_the_person(ctx, besides=("level",)):
        return "check_eligibility"
    if intent == "ask_policy" and ctx.slots.get("profile") and is_yes_no(ctx.text) and \
            re.match(ABOUT_ME, normalise(ctx.text)) and not ctx.programmes_named():
        return "check_eligibility"  # "anh có được học bổng không?" after telling about himself: his case
    if intent in ("ask_policy", "ask_tuition") and ctx.topic == "check_eligibility" and ctx.slots.get("profile") \
            and is_yes_no(ctx.text) and re.match(NO_SUBJECT, normalise(ctx.text)) and not ctx.programmes_named():
        return "check_eligibility"  # "vậy có được miễn học phí không?" in a support check: the same person
    if intent in ("check_eligibility", "ask_policy") and is_yes_no(ctx.text) and _only_the_age(ctx):
        return "ask_admission"  # "e 15 tuoi co hoc nghe dc ko": the entry age, not the supports
    if intent in ANSWERS and intent not in CORRECTED and ctx.text and corrections(ctx):
        return "ask_policy"  # "giấy cận nghèo nộp một lần là xong cả khóa à?": a known mistake, corrected
    if intent in PROGRAMME_QUESTIONS and mentions(ctx.text, thread.MONTHS_PER_YEAR) and \
            (ctx.policy(remembered=False) or mentions(ctx.text, ("học bổng", "hỗ trợ"))):
        return "ask_policy"  # "học bổng này mỗi năm mấy tháng": months of a support, not a course's length
    if intent == "ask_tuition" and mentions(ctx.text, MONTHLY_WORDS) and not mentions(ctx.text, ("học phí", "tiền học")):
        # "tốt nghiệp PTDT nội trú, năm học 2026-2027 được bao nhiêu một tháng?": a monthly support
        return "check_eligibility" if about_the_person(ctx) else "ask_policy"
    if intent == "ask_admission" and ctx.asks("papers", PAPERS_WORDS) and not mentions(ctx.text, ENROLMENT_WORDS) \
            and (ctx.match.benefits_in(ctx.text) or ctx.policy(remembered=False)):
        return "ask_policy"  # "hồ sơ miễn học phí cần giấy gì?": that support's papers, not the enrolment file
    if intent in GUIDANCE_INTENTS and percent_tiers(ctx, None) and mentions(ctx.text, ("bao nhiêu", "mức", "được")):
        return "ask_policy"  # "năm học này thì mức 80% là bao nhiêu?": a tier of a support, whatever the NLU heard
    if intent == "ask_tuition" and _names_other_support(ctx):
        return "ask_policy"  # "tiền đi lại một năm bao nhiêu?" is about that support, not about fees
    return intent


# "em có được ...", "anh có được ...", "con tôi có được ...": a yes/no about the speaker's own case (folded).
ABOUT_ME = r"^(?:vay |the |thi )?(?:em|e|anh|a|chi|toi|minh|chau|con|con toi|con em|nha toi|nha em)(?: (?:co|thi|cung))? (?:duoc|dc|co duoc)\b"
# "vậy có được ... không", "thế được ... không": a yes/no with no subject, which continues the person's case.
NO_SUBJECT = r"^(?:vay |the |thi |con |va |vay thi |the thi )?(?:co )?(?:duoc|dc)\b"
ENROLMENT_WORDS = ("nhập học", "xét tuyển", "tuyển sinh", "dự tuyển", "đăng ký học")
GUIDANCE_INTENTS = ("ask_why_vocational", "ask_career_advice", "ask_job_prospects", "ask_contact")
PROGRAMME_QUESTIONS = ("ask_programme_info", "ask_programmes", "ask_tuition", "ask_admission")


REGISTER_WORDS = ("đăng ký", "đăng kí", "dang ki", "để lại", "gọi lại", "gọi cho", "liên hệ", "ghi danh", "ghi tên",
                  "tư vấn", "gặp cán bộ", "số điện thoại", "nhập học", "xin học", "cho em học", "cho tôi học")


def not_a_registration(ctx: Context) -> Optional[str]:
    """A question the NLU took for "register me" ("muốn học sơ cấp dệt thổ cẩm có được không?"):
    the knowledge-base intent that answers it, or None when the message does ask to register."""
    if not ctx.text or not is_question(ctx.text) or mentions(ctx.text, REGISTER_WORDS):
        return None
    if ctx.programmes_named() and mentions(ctx.text, CAN_LEARN_WORDS):
        return "ask_programme_info"  # "can I learn it?": yes, with its levels and entry
    return knowledge_intent(ctx)


# Words of someone who does want a person ("cho em gặp cán bộ", "nói chuyện với người thật").
HUMAN_WORDS = ("cán bộ", "người thật", "nhân viên", "tư vấn viên", "thầy cô", "thầy", "cô giáo", "gặp người",
               "nói chuyện", "gọi điện", "gọi cho", "gọi lại", "liên hệ", "admin", "người tư vấn", "gặp trực tiếp")
# "nếu ... thì sao": a hypothetical about the person's own case, however the NLU heard "chuyển".
HYPOTHETICAL = r"^(?:vay |the |con )?(?:neu|gia su|lo nhu|trong truong hop)\b"


def not_a_handoff(ctx: Context) -> Optional[str]:
    """A question the NLU took for "let me talk to a person" ("nếu em chuyển sang trường công lập thì
    sao?"): the knowledge-base intent that answers it, or None when the message asks for a person."""
    if not ctx.text or mentions(ctx.text, HUMAN_WORDS):
        return None
    if not (re.match(HYPOTHETICAL, normalise(ctx.text)) and is_question(ctx.text)):
        return None
    return knowledge_intent(ctx)


def answered_not_registered(intent: str, ctx: Context) -> Reply:
    """The answer to a question the NLU took for "register me", with the registration one button
    away: the person did not ask for the form, so it is offered, not started."""
    reply = answer_turn(intent, ctx)
    if not any(b.payload.startswith("/register_interest") for b in reply.buttons):
        reply.buttons = [button("Đăng ký tư vấn", "register_interest")] + reply.buttons[:3]
    reply.slots.update({"pending_offer": "register_interest"})
    return reply


def _only_the_age(ctx: Context) -> bool:
    """The message states an age (and perhaps a level) and names no support."""
    said = ctx.said()
    return "age" in said.facts and set(said.facts) <= {"age", "level"} and not said.denied \
        and not ctx.match.benefits_in(ctx.text) and not ctx.policy(remembered=False)


def _names_other_support(ctx: Context) -> bool:
    """The message names a support that is not a tuition exemption (tiền đi lại, học bổng, Tết...)."""
    named = [ctx.kb.policies[p].benefit(b) for p, b in ctx.match.benefits_in(ctx.text)] or \
        [b for p, g in ctx.match.groups_in(ctx.text) for b in ctx.kb.policies[p].benefits if g in b.groups]
    if named:
        return not any(b.is_tuition for b in named if b)
    return bool(percent_tiers(ctx, None)) and not mentions(ctx.text, ("học phí",))  # "mức 80% là bao nhiêu?"


OUT_OF_SCOPE = Reply("Xin lỗi, mình chỉ tư vấn về học nghề, tuyển sinh, chính sách hỗ trợ và việc làm. "
                     "Bạn có thể hỏi mình về các nội dung này nhé.",
                     [button("Các ngành đào tạo", "ask_programmes"), button("Chính sách hỗ trợ", "ask_policy"),
                      button("Tư vấn chọn nghề", "ask_career_advice")])


def out_of_scope(ctx: Context) -> Reply:
    """Out of scope for the NLU, unless the knowledge base recognises what is asked."""
    intent = knowledge_intent(ctx)
    if intent:
        return answer(intent, ctx)
    return Reply(OUT_OF_SCOPE.text, list(OUT_OF_SCOPE.buttons))


def fallback(ctx: Context) -> Reply:
    """Low confidence: answer what the knowledge base recognises; otherwise say so, and offer the
    likeliest topics."""
    intent = knowledge_intent(ctx)
    if intent:
        return answer(intent, ctx)
    suggestions = [i for i in ctx.ranking if i in INTENT_TITLES][:3] or [i for _, i in MAIN_MENU[:3]]
    return Reply(
        "Xin lỗi, mình chưa hiểu rõ câu hỏi. Có phải bạn muốn hỏi về:",
        [button(INTENT_TITLES[i], i) for i in suggestions] + [button("Gặp cán bộ tư vấn", "request_human")],
        unanswered_reason="low_confidence",
    )


def request_human(ctx: Context, reference: str, after_hours: str = "", again: bool = False) -> Reply:
    """The handoff request was recorded as a lead waiting for a person (`reference`); `again`: the
    person asked once more while that request was waiting, and it was added to.
    `after_hours`: what to expect when counsellors are not at work or their hours are not
    confirmed (bot.office_hours); the contact channels are listed only where the college gave them."""
    contacts = ctx.kb.contacts
    if again:
        lines = [f"Yêu cầu gặp cán bộ tư vấn của bạn (mã {reference}) vẫn đang chờ; mình đã ghi thêm các tin nhắn "
                 "mới của bạn vào yêu cầu này, không cần gửi lại."]
    else:
        lines = [f"Mình đã chuyển yêu cầu của bạn tới cán bộ tư vấn (mã {reference}); cán bộ sẽ nhắn cho bạn ngay "
                 "trong cuộc trò chuyện này."]
    if after_hours:
        lines.append(after_hours)
    elif contacts.office_hours.confirmed:
        lines.append(f"Giờ làm việc: {contacts.office_hours.text}")
    if any(contacts.channels.values()):
        lines += ["Bạn cũng có thể liên hệ trực tiếp:"] + contact_lines(contacts)
    return Reply("\n".join(lines), [button("Hồ sơ nhập học", "ask_admission", aspect="papers"), button("Học phí", "ask_tuition")])


def handed_over_after_failures(after_hours: str = "") -> Reply:
    """The assistant failed twice in a row: a counsellor takes over."""
    text = ("Xin lỗi, mình chưa trả lời được câu này. Mình đã chuyển cuộc trò chuyện cho cán bộ tư vấn; "
            "cán bộ sẽ nhắn cho bạn ngay tại đây.")
    return Reply(text + ("\n" + after_hours if after_hours else ""), main_menu()[:2], unanswered_reason="low_confidence")


def confirm_delete(stored: int) -> Reply:
    if stored == 0:
        return Reply("Hiện mình không lưu thông tin cá nhân nào của bạn, nên không có gì cần xóa.", main_menu())
    return Reply(f"Mình đang lưu {stored} mục thông tin của bạn (đăng ký tư vấn, câu hỏi đã gửi). "
                 "Bạn chắc chắn muốn xóa toàn bộ không?",
                 [button("Có, xóa hết", "delete_my_data"), button("Không xóa", "deny")],
                 slots={"pending_offer": "delete_my_data"})


OFFER_AFTER_ANSWERS = 3
OFFER_TEXT = "Bạn có muốn để lại thông tin để cán bộ tuyển sinh gọi lại tư vấn không?"


def maybe_offer_registration(reply: Reply, answered_before: int, offered: bool) -> Reply:
    """After a few answered questions, offer once to pass the person to the admissions team."""
    if (offered or answered_before + 1 < OFFER_AFTER_ANSWERS or reply.unanswered
            or reply.slots.get("pending_offer") or reply.slots.get("pending_question")
            or len(reply.text) + 1 + len(OFFER_TEXT) > FIRST_MESSAGE_LIMIT):  # a long answer: offer after a shorter one
        return reply
    reply.text += "\n" + OFFER_TEXT
    # The button names its request: pressed later, after other buttons, it still starts the form.
    reply.buttons = [button("Có, gọi lại cho em", "register_interest"), button("Để sau", "deny")] + reply.buttons[:2]
    reply.slots.update({"pending_offer": "register_interest", "lead_offered": True})
    return reply


# While a questionnaire (support check, quiz) waits for an answer, a message that is not
# an answer but clearly another request ends the questionnaire and is handled as usual.
# Intents that do not take a person out of a questionnaire: answers, and what the NLU could not place
# ("bỏ qua" may look out of scope: inside the quiz it is an answer; a real aside gets "chưa hiểu").
NOT_INTERRUPTING = {None, "inform", "affirm", "deny", "nlu_fallback", "out_of_scope"}
INTERRUPT_CONFIDENCE = 0.5


def interrupts(intent: Optional[str], confidence: Optional[float]) -> bool:
    return intent not in NOT_INTERRUPTING and (confidence or 0.0) >= INTERRUPT_CONFIDENCE


# A question typed inside a form is answered there (the form then asks its question again) when
# the NLU is this sure it is that question, or the knowledge base recognises what it asks.
# Starting another questionnaire is not answering: the support check is asked for on its own.
IN_FORM_CONFIDENCE = 0.8
NOT_ANSWERED_IN_FORM = {"check_eligibility"}
BACK_TO_FORM = "(Mình vẫn giữ các câu bạn đã trả lời; mình hỏi tiếp nhé.)"


def question_inside_form(ctx: Context, confidence: Optional[float], is_payload: bool = False) -> Optional[str]:
    """The knowledge-base intent to answer when a form's answer is a question ("học phí bao nhiêu?"
    where the name was asked, a topic button pressed during the quiz), or None. The caller only
    asks when the text is not a usable answer, so a real answer is never taken for a question."""
    intent = ctx.intent
    if intent in ANSWERS and intent not in NOT_ANSWERED_IN_FORM and \
            (is_payload or ((confidence or 0.0) >= IN_FORM_CONFIDENCE and is_question(ctx.text))):
        return intent
    if ctx.text and is_question(ctx.text):
        found = knowledge_intent(ctx)
        return found if found not in NOT_ANSWERED_IN_FORM else None
    return None


# Buttons that would start something else while a form waits (another form, an offer's yes/no).
NOT_INSIDE_A_FORM = ("/check_eligibility", "/register_interest", "/request_human", "/affirm", "/deny")


def answer_inside_form(intent: str, ctx: Context) -> Reply:
    """The answer to a question asked inside a form, followed by the form's question again. Its
    offer ("Bạn muốn kiểm tra...?") and the buttons that would start another flow are left out:
    the person is in the middle of something."""
    reply = answer(intent, dataclasses.replace(ctx, reserve=len(BACK_TO_FORM) + 1))
    lines = reply.text.split("\n")
    if reply.slots.get("pending_offer"):
        offers = [i for i in range(max(1, len(lines) - 2), len(lines)) if lines[i].rstrip().endswith("?")]
        lines = [l for i, l in enumerate(lines) if i not in offers]
    buttons = [b for b in reply.buttons if not b.payload.startswith(NOT_INSIDE_A_FORM)]
    return Reply("\n".join(lines) + "\n" + BACK_TO_FORM, buttons[:3],
                 slots={k: v for k, v in reply.slots.items() if k in ("programme", "level", "policy", "topic")})


NOT_UNDERSTOOD = ("Mình chưa hiểu câu trả lời. Bạn bấm chọn một đáp án (hoặc gõ số thứ tự của đáp án), "
                  "hoặc gõ \"dừng\" để tạm dừng.")
