"""Reading a person's answer to a question with buttons.

Channels send a button's payload as text (Zalo users may type the number shown
before it), and people also type the title or a close wording, with or without
diacritics. One reader serves the support form and the quiz.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from bot.text import mentions, normalise

STOP_WORDS = ("thôi", "dừng", "dừng lại", "tạm dừng", "để sau", "hủy", "huỷ", "thoát", "stop", "nghỉ",
              "không làm nữa", "làm sau", "để lúc khác")
# Pausing: the questionnaire keeps its answers and can be taken up again ("để lúc khác").
PAUSE_WORDS = ("để sau", "để lúc khác", "lúc khác", "làm sau", "tạm dừng", "để mai", "mai làm tiếp", "bận rồi",
               "đang bận", "em đang bận", "tí nữa", "lát nữa", "để lát nữa")
# A whole message that is chit-chat, thanks or an acknowledgement: never the value of a field.
SMALL_TALK = ("cảm ơn", "cám ơn", "cảm ơn bạn", "cảm ơn nhiều", "thanks", "thank you", "thank", "tks", "ok", "oke",
              "okay", "okie", "vâng", "dạ", "dạ vâng", "ừ", "ừm", "uh", "uhm", "hihi", "haha", "hehe", "hi", "hello",
              "alo", "chào", "xin chào", "chào bạn", "chào ad", "bye", "tạm biệt", "tốt", "hay", "hay quá", "tuyệt",
              "được", "được rồi", "rồi", "hiểu rồi", "biết rồi", "ok bạn", "ok ạ", "vâng ạ", "có", "không", "chưa")
SMALL_TALK_STARTS = ("cảm ơn", "cám ơn", "chào", "xin chào", "thank", "hihi", "haha")
SKIP_WORDS = ("không biết", "chưa biết", "không rõ", "chưa rõ", "bỏ qua", "không chắc", "chưa chắc")


@dataclass(frozen=True)
class Choice:
    key: str
    title: str
    # More ways people say it (typed answers); the title itself always counts.
    words: Sequence[str] = ()


def pick(text: str, choices: Sequence[Choice], exact: bool = False) -> Optional[Choice]:
    """The choice `text` names: its key (button payload), its number, its title, or (unless
    `exact`) a known wording inside a longer sentence."""
    said = normalise(text).strip(" .!?")
    if not said:
        return None
    for number, choice in enumerate(choices, start=1):
        if said in (normalise(choice.key), str(number), normalise(choice.title)):
            return choice
    if exact:
        return None
    for choice in choices:
        if choice.words and mentions(text, tuple(choice.words)):
            return choice
    return None


# Polite words around a short command ("dừng lại nhé ạ"), folded.
PARTICLES = {"a", "nhe", "nha", "di", "da", "em", "minh", "to", "cho", "muon", "oi", "ad", "ban"}


def _whole(text: str) -> str:
    """The message folded, without its end punctuation."""
    return normalise(text).strip(" .!?")


def _said(text: str) -> str:
    """The message folded, without the polite words around it."""
    return " ".join(w for w in _whole(text).split() if w not in PARTICLES)


def wants_to_stop(text: str) -> bool:
    """The whole message is a stop command. Only whole messages count: folded, "dừng" is also
    "dựng" ("dựng rạp" is an answer) and "thôi" ends many sentences."""
    said = _said(text)
    return bool(said) and any(said == normalise(w) for w in STOP_WORDS) or wants_to_pause(text)


def wants_to_pause(text: str) -> bool:
    """The whole message asks to go on later ("để lúc khác nhé", "em đang bận")."""
    said, whole = _said(text), _whole(text)
    if not whole:
        return False
    if any(normalise(w) in (said, whole) for w in PAUSE_WORDS):
        return True
    # "để lúc khác em làm tiếp nhé": a short message that starts with the pause, not a question.
    return "?" not in text and len(said.split()) <= 8 and \
        any(said.startswith(normalise(w) + " ") for w in PAUSE_WORDS if len(w.split()) > 1)


PROGRESS_WORDS = ("mấy câu", "bao nhiêu câu", "còn mấy câu", "còn bao nhiêu câu", "câu thứ mấy", "đến câu mấy",
                  "bao giờ xong", "bao lâu nữa", "còn lâu không")


def asks_progress(text: str) -> bool:
    """A question about the questionnaire itself ("bài này có tất cả mấy câu vậy?")."""
    return mentions(text, PROGRESS_WORDS) and len(_said(text).split()) <= 12


def is_small_talk(text: str) -> bool:
    """Thanks, a greeting or an acknowledgement ("cảm ơn ạ", "ok bạn", "hihi"): not an answer's value."""
    whole, bare = _whole(text), _said(text)
    if any(normalise(w) in (whole, bare) for w in SMALL_TALK):
        return True
    return any(whole.startswith(normalise(w) + " ") or whole == normalise(w) for w in SMALL_TALK_STARTS)


def is_skip(text: str) -> bool:
    return mentions(text, SKIP_WORDS)
