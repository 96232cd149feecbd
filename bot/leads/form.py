"""The lead form: which questions to ask, how to read each answer, and the summary.

Channel-neutral and pure: `validate(slot, text, slots)` returns the slot values
to set (possibly several: a name typed with a phone number fills both), a message
when the answer is not usable (the question is asked again, nothing already given
is lost), or a cancel/correction decision. The Rasa form (actions/) only relays.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from bot import clock
from bot.advisors.choices import is_small_talk, wants_to_pause
from bot.answers.reply import Button, Reply
from bot.kb.models import KnowledgeBase
from bot.kb.matching import matcher_for
from bot.leads.phone import find_phone
from bot.profile.reader import after_correction, stated_age, without_denials
from bot.text import commune_name, has_diacritics, mentions, normalise, strip_diacritics

# The consent text is versioned: the version is stored with every consent record.
CONSENT_VERSION = "2026-11-v1"
CONSENT_TEXT = (
    "Theo quy định về bảo vệ dữ liệu cá nhân, mình cần bạn đồng ý: Trường Cao đẳng Lai Châu lưu họ tên, "
    "số điện thoại và nhu cầu học của bạn để cán bộ tuyển sinh liên hệ tư vấn (chỉ dùng cho tuyển sinh, "
    "bạn có thể yêu cầu xóa bất cứ lúc nào). Bạn đồng ý chứ?"
)
PARENT_CONSENT_TEXT = (
    "Vì bạn dưới 16 tuổi, cần cha, mẹ hoặc người giám hộ đồng ý cho trường lưu thông tin và liên hệ. "
    "Cha/mẹ bạn đã đồng ý chưa?"
)

ROLES = {
    "hs_thcs": "Học sinh THCS",
    "hs_thpt": "Học sinh THPT",
    "hoc_sinh": "Học sinh (chưa rõ cấp)",
    "phu_huynh": "Phụ huynh",
    "nguoi_lao_dong": "Người lao động",
    "bo_doi_xuat_ngu": "Bộ đội xuất ngũ",
    "khac": "Khác",
}
ROLE_WORDS = {
    "hs_thcs": ("thcs", "cấp 2", "lớp 6", "lớp 7", "lớp 8", "lớp 9", "học sinh thcs", "trung học cơ sở"),
    "hs_thpt": ("thpt", "cấp 3", "lớp 10", "lớp 11", "lớp 12", "trung học phổ thông"),
    "phu_huynh": ("phụ huynh", "bố", "mẹ", "cha", "con tôi", "con em", "cho con", "ông bà", "người nhà"),
    "bo_doi_xuat_ngu": ("bộ đội", "xuất ngũ", "ra quân", "nghĩa vụ quân sự", "công an nghĩa vụ"),
    "nguoi_lao_dong": ("người lao động", "công nhân", "đi làm", "lao động", "làm nông", "làm ruộng", "thanh niên"),
    "khac": ("khác", "đối tượng khác"),
}
CONTACT_TIMES = {
    "sang": ("Buổi sáng", ("sáng", "buổi sáng")),
    "chieu": ("Buổi chiều", ("chiều", "buổi chiều", "trưa")),
    "toi": ("Buổi tối", ("tối", "buổi tối", "đêm")),
    "bat_ky": ("Lúc nào cũng được", ("lúc nào cũng được", "giờ nào cũng được", "bất kỳ", "lúc nào", "bất cứ lúc nào", "tùy")),
}
YES = ("có", "vâng", "dạ có", "đồng ý", "ok", "được", "ừ", "đúng", "đúng rồi", "chính xác", "rồi", "đã đồng ý",
       "gửi", "gửi đi", "xác nhận", "đủ", "đủ 16", "trên 16", "chuẩn", "oke", "yes", "uh", "dạ", "dạ vâng")
NO = ("không", "chưa", "không đồng ý", "ko", "không muốn", "chưa đồng ý", "dưới 16", "chưa đủ", "no", "sai")
CANCEL = ("thôi", "hủy", "huỷ", "hủy bỏ", "dừng", "dừng lại", "không đăng ký nữa", "thôi không đăng ký",
          "bỏ qua", "thoát", "cancel", "stop")
NOT_YET = ("chưa biết", "chưa chọn", "chưa quyết định", "chưa rõ", "không biết", "tư vấn giúp", "nhờ tư vấn")
CORRECTABLE = {
    "lead_name": ("tên", "họ tên"),
    "lead_phone": ("số điện thoại", "sđt", "số đt", "điện thoại", "số"),
    "lead_role": ("đối tượng", "là ai"),
    "lead_commune": ("xã", "phường", "địa chỉ", "nơi ở"),
    "lead_programmes": ("nghề", "ngành", "nghề học"),
    "lead_contact_time": ("giờ gọi", "thời gian", "giờ liên hệ", "lúc gọi", "giờ"),
}
CORRECTION_WORDS = ("sửa", "đổi", "nhầm", "sai", "chỉnh")

LEAD_SLOTS = ("lead_name", "lead_phone", "lead_role", "lead_age16", "lead_commune", "lead_programmes",
              "lead_contact_time", "lead_consent", "lead_parent_consent", "lead_confirm")


@dataclass
class Validation:
    """Outcome of reading one answer."""

    slots: Dict[str, object] = field(default_factory=dict)
    message: Optional[Reply] = None  # said before the next question (e.g. why an answer was refused)
    cancel: Optional[str] = None  # reason, when the form ends without saving


def _is(text: str, phrases) -> bool:
    norm = normalise(text)
    return any(norm == normalise(p) for p in phrases)


# Every pupil is asked the age: in the mountains many start school late or repeat a year, so a
# grade-9 pupil may be 16 or older and the class alone does not say whether a parent must agree.
STUDENT_ROLES = ("hs_thcs", "hs_thpt", "hoc_sinh")
# The role buttons: the specific ones (a pupil who only says "học sinh" is still taken, see _read_role).
ROLE_CHOICES = tuple(r for r in ROLES if r != "hoc_sinh")


def is_minor(slots: Dict[str, object]) -> bool:
    return slots.get("lead_role") in STUDENT_ROLES and slots.get("lead_age16") is False


def required_slots(slots: Dict[str, object]) -> List[str]:
    """The questions this person must answer, in order."""
    order = ["lead_name", "lead_phone", "lead_role"]
    if slots.get("lead_role") in STUDENT_ROLES:
        order.append("lead_age16")
    order += ["lead_commune", "lead_programmes", "lead_contact_time", "lead_consent"]
    if is_minor(slots):
        order.append("lead_parent_consent")
    order.append("lead_confirm")
    return order


def _correction(text: str) -> Optional[str]:
    if not mentions(text, CORRECTION_WORDS):
        return None
    for slot, words in CORRECTABLE.items():
        if mentions(text, words):
            return slot
    return None


# Words of a question, not of a name. Several-word phrases are compared folded; single words only
# as typed in lower case with their diacritics, because names carry them too ("Khổng", "Được").
QUESTION_PHRASES = ("bao nhiêu", "thế nào", "ở đâu", "học phí", "tại sao", "làm sao", "như thế nào", "được không",
                    "có không", "là gì", "mấy năm", "mấy tháng", "bao lâu", "khi nào")
QUESTION_WORDS = ("gì", "không", "sao", "hỏi", "muốn", "được", "mấy", "nào", "chưa", "hả", "nhỉ")


def looks_like_question(text: str) -> bool:
    """A question, not a name. Single question words count as typed in lower case: with their
    diacritics, or folded when the whole message has none ("co ho tro gi khong")."""
    words = re.findall(r"[^\W\d_]+", text)
    wanted = set(QUESTION_WORDS) | (set() if has_diacritics(text) else {normalise(w) for w in QUESTION_WORDS})
    return "?" in text or mentions(text, QUESTION_PHRASES) or any(w in wanted for w in words)


_LEAD_IN_WORDS = ("tên em là", "em tên là", "tôi tên là", "mình tên là", "tên tôi là", "tên mình là", "cháu tên là",
                  "tên cháu là", "con tên là", "tên con là", "họ và tên", "họ tên", "tên là", "em là", "tôi là", "mình là",
                  "cháu là", "con là", "em", "tôi", "mình", "cháu", "con", "tên", "là")
_NAME_LEAD_IN = re.compile(r"(?i)^(?:" + "|".join(sorted(_LEAD_IN_WORDS, key=len, reverse=True)) + r")(?=[\s:,]|$)[\s:,]*")


def _name(text: str) -> Optional[str]:
    if looks_like_question(text) or is_small_talk(text):
        return None  # a question, thanks or chit-chat typed where the name was asked is not a name
    cleaned = re.sub(r"\+?\d[\d\s.\-()]{7,16}\d", " ", text)
    cleaned = re.sub(r"(?i)[,;]?\s*(sđt|sdt|số điện thoại|số đt|điện thoại|số)\s*(là|:)?\s*$", "", cleaned.strip())
    cleaned = cleaned.strip()
    while True:  # "Tên em là ...", "em tên là ...", "họ tên: ...": the longest lead-in first
        shorter = _NAME_LEAD_IN.sub("", cleaned, count=1).strip()
        if shorter == cleaned:
            break
        cleaned = shorter
    cleaned = re.sub(r"[,.;!?]+\s*$", "", cleaned).strip(" ,.;:-")
    cleaned = re.sub(r"(?i)\s+(ạ|nhé|nha|ah)$", "", cleaned).strip()
    words = cleaned.split()
    if not 1 <= len(words) <= 6 or any(ch.isdigit() for ch in cleaned) or len(cleaned) > 60:
        return None
    if not all(re.fullmatch(r"[^\W\d_]+(['-][^\W\d_]+)?", w) for w in words):
        return None
    return " ".join(w[:1].upper() + w[1:].lower() for w in words)


def validate(slot: str, text: str, slots: Dict[str, object], kb: KnowledgeBase) -> Validation:
    """Read the answer `text` to the question for `slot`."""
    text = (text or "").strip()
    if _is(text, CANCEL) or mentions(text, ("hủy đăng ký", "không đăng ký nữa", "thôi không đăng ký")):
        return Validation(cancel="cancelled")
    if wants_to_pause(text):
        return Validation(cancel="paused")
    corrected = _correction(text)
    if corrected and slot != corrected:
        result = _corrected(corrected, text, slots, kb)
        result.slots.setdefault(slot, None)  # the question asked stays unanswered (it is asked again)
        return result
    reader = READERS[slot]
    if slot != "lead_confirm":
        text = after_correction(text)  # "Lò Văn Hùng, à nhầm, Lò Văn Hưng": what was meant
    return reader(text, slots, kb)


# What follows the correction words: "sửa tên thành Lò Thị Mai", "số đúng là 0987...", "xã: Bản Lang".
_NEW_VALUE = re.compile(r"(?i)(?:\bthanh\b|\bdung la\b|\bla\b|:)\s*(.+)$")  # matched on the text without accents


def _corrected(slot: str, text: str, slots: Dict[str, object], kb: KnowledgeBase) -> Validation:
    """A correction of an earlier answer. When the sentence gives the new value ("em nhầm số, số
    đúng là 0987 654 321") it is taken at once; otherwise that question is asked again. Every other
    answer is kept; the summary is shown again before anything is sent."""
    tail = _NEW_VALUE.search(strip_diacritics(text))  # "ten e la Vang Thi May" typed without accents too
    for candidate in ([text[tail.start(1):]] if tail else []) + [text]:
        reading = READERS[slot](candidate.strip(), slots, kb)
        if reading.message is None and reading.cancel is None and reading.slots.get(slot) not in (None, []):
            value = {slot: reading.slots[slot]}
            return Validation({**value, "lead_confirm": None}, Reply(_field_changed(slot, value, kb)))
    return Validation({slot: None, "lead_confirm": None})


def _field_changed(slot: str, value: Dict[str, object], kb: KnowledgeBase) -> str:
    """'Mình đã sửa số điện thoại thành 0987654321.'"""
    label, _, shown = summary(value, kb, only=slot).lstrip("• ").partition(": ")
    return f"Mình đã sửa {label[:1].lower() + label[1:]} thành {shown}."


def _read_name(text, slots, kb) -> Validation:
    if is_small_talk(text):  # "cảm ơn ạ", "ok": nothing to refuse, the question is simply asked again
        return Validation({"lead_name": None})
    name = _name(text)
    phone = find_phone(text)
    if not name and phone:  # the number first: kept, and the name asked again
        return Validation({"lead_name": None, "lead_phone": phone},
                          Reply(f"Mình đã ghi số điện thoại {phone}. Bạn cho mình xin thêm họ và tên nhé."))
    if not name:
        return Validation({"lead_name": None}, Reply("Mình chưa nhận ra họ tên. Bạn gõ họ và tên, ví dụ: Lò Văn Minh."))
    found = {"lead_name": name}
    if phone:
        found["lead_phone"] = phone
    return Validation(found)


def _read_phone(text, slots, kb) -> Validation:
    phone = find_phone(text)
    if not phone and is_small_talk(text):  # "cảm ơn ạ": not a wrong number, the question is asked again
        return Validation({"lead_phone": None})
    if not phone:
        return Validation({"lead_phone": None}, Reply(
            "Số điện thoại chưa đúng. Bạn nhập số di động Việt Nam 10 chữ số, ví dụ 0912 345 678 "
            "(các thông tin bạn đã cho vẫn được giữ)."))
    return Validation({"lead_phone": phone})


def _read_role(text, slots, kb) -> Validation:
    if text in ROLES:
        return Validation({"lead_role": text})
    for role in ROLES:
        if _is(text, [ROLES[role]]):
            return Validation({"lead_role": role})
    # The longest phrase said decides: accent-free "bo doi xuat ngu" also contains "bo" (bố).
    said = [(len(normalise(w)), role) for role, words in ROLE_WORDS.items() for w in words if mentions(text, [w])]
    if said:
        return Validation({"lead_role": max(said)[1]})
    if mentions(text, ("học sinh", "hs", "đang đi học", "còn đi học")):  # a pupil; the age question follows
        return Validation({"lead_role": "hoc_sinh"})
    return Validation({"lead_role": None}, Reply("Bạn chọn một trong các mục bên dưới nhé."))


def _yes_no(slot: str, text: str, again: str) -> Validation:
    if _is(text, YES) or mentions(text, ("đồng ý", "đủ 16", "trên 16")) and not mentions(text, ("không đồng ý", "chưa đồng ý")):
        return Validation({slot: True})
    if _is(text, NO) or mentions(text, ("không đồng ý", "chưa đồng ý", "dưới 16", "chưa đủ")):
        return Validation({slot: False})
    return Validation({slot: None}, Reply(again))


AGE_AGAIN = "Bạn trả lời giúp mình: đã đủ 16 tuổi chưa (có / chưa), hoặc gõ tuổi, ví dụ 17 tuổi?"


def age16_answer(text: str, today: Optional[dt.date] = None) -> Optional[bool]:
    """Whether an answer to "đã đủ 16 tuổi chưa?" says 16 or older: a yes/no ("đủ rồi", "chưa đủ"),
    an age ("em 17 tuổi") or a birth year ("em sinh năm 2010", counted as reached this year, the way
    people count their age). None when the text says neither."""
    words = normalise(text).split()
    if words and words[0] in ("chua", "duoi") or mentions(text, ("chưa đủ", "dưới 16", "không đủ", "ko du")):
        return False
    age = stated_age(text, today or clock.today())
    if age is None and len(words) <= 3 and any(w.isdigit() and 5 <= int(w) <= 99 for w in words):
        age = int(next(w for w in words if w.isdigit()))  # "17", "em 17": the number alone answers the question
    if age is not None:
        return age >= 16
    if mentions(text, ("đủ rồi", "đủ", "rồi", "trên 16", "hơn 16", "qua 16")):
        return True
    return _yes_no("lead_age16", text, AGE_AGAIN).slots["lead_age16"]


UNDER_16_NOTE = ("Bạn dưới 16 tuổi nên cuối phần đăng ký sẽ cần cha, mẹ (phụ huynh) hoặc người giám hộ đồng ý; "
                 "mình hỏi tiếp nhé.")


def _read_age16(text, slots, kb) -> Validation:
    answer = age16_answer(text)
    if answer is None:
        return Validation({"lead_age16": None}, Reply(AGE_AGAIN))
    return Validation({"lead_age16": answer}, None if answer else Reply(UNDER_16_NOTE))


def _read_commune(text, slots, kb) -> Validation:
    if is_small_talk(text):
        return Validation({"lead_commune": None})
    named = matcher_for(kb).communes_in(text)
    if named and "?" not in text:  # one of the province's xã/phường: its name as the list writes it
        commune = named[0]
        said_now = f" {normalise(commune.name)} " in f" {normalise(text)} "
        note = None if said_now else Reply(f"(Nơi bạn ở nay thuộc {commune.full_name}, sau sắp xếp đơn vị hành chính năm 2025.)")
        return Validation({"lead_commune": commune.name}, note)
    name = None if "?" in text else commune_name(text)
    if name is None:
        return Validation({"lead_commune": None}, Reply("Bạn gõ tên xã/phường nơi bạn ở, ví dụ: xã Bản Lang."))
    return Validation({"lead_commune": name})


def _read_programmes(text, slots, kb) -> Validation:
    if _is(text, NOT_YET) or mentions(text, NOT_YET):
        return Validation({"lead_programmes": []})
    if _is(text, YES) and slots.get("lead_programmes"):
        return Validation({"lead_programmes": slots["lead_programmes"]})
    found = [p.id for p in matcher_for(kb).programmes_in(without_denials(text))]  # "chứ không phải điện ..."
    if not found:
        return Validation({"lead_programmes": None}, Reply(
            "Mình chưa nhận ra nghề bạn muốn học. Bạn gõ tên nghề (ví dụ: điện dân dụng), hoặc \"chưa biết\"."))
    return Validation({"lead_programmes": found})


def _read_contact_time(text, slots, kb) -> Validation:
    if text in CONTACT_TIMES:
        return Validation({"lead_contact_time": text})
    for key, (label, words) in CONTACT_TIMES.items():
        if _is(text, [label]) or mentions(text, words):
            return Validation({"lead_contact_time": key})
    return Validation({"lead_contact_time": None}, Reply("Bạn chọn thời gian thuận tiện bên dưới nhé."))


def _read_consent(text, slots, kb) -> Validation:
    result = _yes_no("lead_consent", text, "Bạn trả lời \"đồng ý\" hoặc \"không\" giúp mình nhé.")
    if result.slots.get("lead_consent") is False:
        return Validation(cancel="no_consent")
    return result


def _read_parent_consent(text, slots, kb) -> Validation:
    result = _yes_no("lead_parent_consent", text, "Cha/mẹ bạn đã đồng ý chưa (có / chưa)?")
    if result.slots.get("lead_parent_consent") is False:
        return Validation(cancel="no_parent_consent")
    return result


def _read_confirm(text, slots, kb) -> Validation:
    corrected = _correction(text)
    if corrected:
        return _corrected(corrected, text, slots, kb)
    if _is(text, YES) or mentions(text, ("gửi đi", "đúng rồi", "xác nhận")):
        return Validation({"lead_confirm": True})
    if _is(text, NO):
        return Validation({"lead_confirm": None}, Reply(
            "Bạn muốn sửa mục nào? Gõ ví dụ \"sửa số điện thoại\", hoặc \"hủy\" để không gửi."))
    return Validation({"lead_confirm": None}, Reply("Bạn bấm \"Đúng, gửi đi\" hoặc chọn mục cần sửa nhé."))


READERS = {
    "lead_name": _read_name,
    "lead_phone": _read_phone,
    "lead_role": _read_role,
    "lead_age16": _read_age16,
    "lead_commune": _read_commune,
    "lead_programmes": _read_programmes,
    "lead_contact_time": _read_contact_time,
    "lead_consent": _read_consent,
    "lead_parent_consent": _read_parent_consent,
    "lead_confirm": _read_confirm,
}


def programme_names(ids, kb: KnowledgeBase) -> str:
    names = [kb.programme(i).name for i in ids or [] if kb.programme(i)]
    return ", ".join(names) if names else "chưa chọn"


def summary(slots: Dict[str, object], kb: KnowledgeBase, only: Optional[str] = None) -> str:
    """The answers as the person reads them before sending (`only`: one field's line)."""
    lines = {
        "lead_name": f"• Họ tên: {slots.get('lead_name')}",
        "lead_phone": f"• Số điện thoại: {slots.get('lead_phone')}",
        "lead_role": f"• Bạn là: {ROLES.get(str(slots.get('lead_role')), '')}",
        "lead_commune": f"• Xã/phường: {slots.get('lead_commune')}",
        "lead_programmes": f"• Nghề quan tâm: {programme_names(slots.get('lead_programmes'), kb)}",
        "lead_contact_time": f"• Liên hệ: {CONTACT_TIMES.get(str(slots.get('lead_contact_time')), ('',))[0]}",
    }
    return lines[only] if only else "\n".join(lines.values())


def question(slot: str, slots: Dict[str, object], kb: KnowledgeBase) -> Reply:
    """The question that asks for `slot`."""
    if slot == "lead_name":
        return Reply("Bạn cho mình xin họ và tên nhé (gõ \"hủy\" bất cứ lúc nào để dừng).")
    if slot == "lead_phone":
        return Reply("Số điện thoại di động để cán bộ tuyển sinh gọi lại (ví dụ 0912 345 678)?")
    if slot == "lead_role":
        return Reply("Bạn là:", [Button(ROLES[key], key) for key in ROLE_CHOICES])
    if slot == "lead_age16":
        return Reply("Bạn đã đủ 16 tuổi chưa?", [Button("Đã đủ 16 tuổi", "có"), Button("Chưa đủ 16 tuổi", "chưa")])
    if slot == "lead_commune":
        return Reply("Bạn đang ở xã/phường nào?")
    if slot == "lead_programmes":
        chosen = slots.get("lead_programmes")
        if chosen:
            return Reply(f"Bạn quan tâm nghề {programme_names(chosen, kb)} phải không? Bạn có thể gõ thêm hoặc gõ nghề khác.",
                         [Button("Đúng vậy", "có"), Button("Chưa biết, cần tư vấn", "chưa biết")])
        return Reply("Bạn quan tâm nghề nào? Gõ tên nghề, hoặc chọn:",
                     [Button("Chưa biết, cần tư vấn", "chưa biết")])
    if slot == "lead_contact_time":
        return Reply("Cán bộ nên gọi cho bạn lúc nào?", [Button(label, key) for key, (label, _) in CONTACT_TIMES.items()])
    if slot == "lead_consent":
        return Reply(CONSENT_TEXT, [Button("Đồng ý", "đồng ý"), Button("Không đồng ý", "không đồng ý")])
    if slot == "lead_parent_consent":
        return Reply(PARENT_CONSENT_TEXT, [Button("Cha/mẹ đã đồng ý", "có"), Button("Chưa", "chưa")])
    if slot == "lead_confirm":
        return Reply("Bạn kiểm tra lại thông tin:\n" + summary(slots, kb),
                     [Button("Đúng, gửi đi", "đúng rồi"), Button("Sửa số điện thoại", "sửa số điện thoại"),
                      Button("Sửa tên", "sửa tên"), Button("Sửa nghề", "sửa nghề"), Button("Hủy", "hủy")])
    raise KeyError(slot)


def confirmation(reference: str, slots: Dict[str, object], kb: KnowledgeBase) -> Reply:
    """What the person reads once the lead is saved (or queued): their code and what happens next."""
    return Reply(
        f"Cảm ơn bạn! Mã đăng ký của bạn là {reference}.\n{summary(slots, kb)}\n"
        f"Cán bộ tuyển sinh {kb.contacts.institution} sẽ liên hệ với bạn. "
        "Muốn xóa thông tin này, bạn nhắn \"xóa thông tin của tôi\".",
        [Button("Hồ sơ nhập học", '/ask_admission{"aspect": "papers"}'), Button("Em được hỗ trợ gì?", "/check_eligibility")],
    )


CANCEL_MESSAGES = {
    "paused": "Vâng, mình tạm dừng phần đăng ký; các thông tin bạn đã nhập vẫn được giữ trong cuộc trò chuyện này "
              "(chưa gửi cho trường). Khi tiện, bạn nhắn \"đăng ký\" để làm tiếp.",
    "paused_empty": "Vâng, để lúc khác nhé. Khi tiện, bạn nhắn \"đăng ký\" để để lại thông tin.",
    "cancelled": "Đã hủy đăng ký, mình không lưu thông tin nào bạn vừa nhập. Khi cần, bạn cứ nhắn \"đăng ký\" nhé.",
    "no_consent": "Mình tôn trọng lựa chọn của bạn: thông tin vừa nhập sẽ không được lưu. Bạn vẫn có thể hỏi mình mọi điều về học nghề.",
    "no_parent_consent": "Bạn nhờ cha/mẹ đồng ý rồi đăng ký lại nhé (hoặc cha/mẹ có thể tự đăng ký). Thông tin vừa nhập chưa được lưu.",
}
