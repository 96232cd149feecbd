"""The short support-check form: ask only the questions whose answer could change the result.

State is the Profile (facts known so far) plus the list of questions already asked.
`next_question` picks, in a fixed order, the first question not yet asked whose fact is
unknown and still matters (bot.eligibility.matters: some support would be gained, lost
or changed by the answer). `read` turns an answer (a button, a number, or free text such
as "em người Lự, nhà cận nghèo") into facts; free text may settle several questions at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Dict, List, Optional, Sequence, Tuple

from bot.advisors.choices import Choice, is_skip, pick, wants_to_stop
from bot.answers.reply import Button, Reply
from bot.eligibility import open_facts
from bot.kb.models import KnowledgeBase
from bot.profile import Profile, extract_for


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    facts: Tuple[str, ...]  # Profile fields it settles (asked while any of them matters)
    choices: Tuple[Choice, ...]
    # Facts each choice sets; a choice without an entry is read by the free-text extractor.
    sets: Dict[str, Dict[str, object]]


def _q(id: str, text: str, facts: Tuple[str, ...], choices: Sequence[Tuple[str, str, Dict[str, object], Sequence[str]]]) -> Question:
    return Question(id, text, facts, tuple(Choice(key, title, words) for key, title, _, words in choices),
                    {key: sets for key, _, sets, _ in choices if sets is not None})


# In the order asked: the level and who the person is first, rarer situations last.
QUESTIONS: Tuple[Question, ...] = (
    _q("level", "Bạn muốn học trình độ nào?", ("level",), [
        ("so_cap", "Sơ cấp (3-12 tháng)", {"level": "so_cap"}, ("sơ cấp", "ngắn hạn")),
        ("trung_cap", "Trung cấp", {"level": "trung_cap"}, ("trung cấp",)),
        ("cao_dang", "Cao đẳng", {"level": "cao_dang"}, ("cao đẳng",)),
    ]),
    _q("ethnicity", "Bạn là người dân tộc nào? (chọn hoặc gõ tên dân tộc, ví dụ: Lự, Mảng, Cống, La Hủ)",
       ("ethnicity_kind",), [
        ("người Thái", "Thái", None, ()), ("người Mông", "Mông", None, ()), ("người Dao", "Dao", None, ()),
        ("người Hà Nhì", "Hà Nhì", None, ()), ("người Giáy", "Giáy", None, ()), ("người Kinh", "Kinh", None, ()),
        ("dan_toc_khac", "Dân tộc thiểu số khác", {"ethnicity_kind": "minority"}, ("dân tộc khác",)),
    ]),
    _q("household", "Gia đình bạn có thuộc hộ nghèo hoặc hộ cận nghèo (có giấy chứng nhận của xã) không?", ("household",), [
        ("ho_ngheo", "Hộ nghèo", {"household": "poor"}, ()),
        ("ho_can_ngheo", "Hộ cận nghèo", {"household": "near_poor"}, ("cận nghèo",)),
        ("khong_ngheo", "Không thuộc", {"household": "neither"}, ("không", "không thuộc", "không phải")),
    ]),
    _q("residence", "Nơi thường trú của bạn có thuộc thôn/bản đặc biệt khó khăn hoặc xã khu vực III không?", ("residence",), [
        ("dbkk", "Có, thôn/xã đặc biệt khó khăn", {"residence": "extremely_difficult"}, ("có", "đặc biệt khó khăn")),
        ("kho_khan", "Vùng khó khăn (không phải đặc biệt)", {"residence": "difficult"}, ("vùng khó khăn", "khó khăn")),
        ("khong_kho_khan", "Không", {"residence": "neither"}, ("không", "không thuộc", "thị trấn", "thành phố")),
    ]),
    _q("graduated", "Bạn đã tốt nghiệp THCS (lớp 9) hay THPT (lớp 12) chưa?", ("lower_secondary_graduate",), [
        ("tn_thpt", "Đã tốt nghiệp THPT", {"lower_secondary_graduate": True, "upper_secondary_graduate": True},
         ("tốt nghiệp thpt", "lớp 12", "cấp 3")),
        ("tn_thcs", "Đã tốt nghiệp THCS", {"lower_secondary_graduate": True}, ("tốt nghiệp thcs", "lớp 9", "cấp 2")),
        ("chua_tn", "Chưa tốt nghiệp THCS", {"lower_secondary_graduate": False}, ("chưa",)),
    ]),
    _q("boarding", "Bạn có tốt nghiệp trường phổ thông dân tộc nội trú không?", ("boarding_school_graduate",), [
        ("co", "Có", {"boarding_school_graduate": True}, ("có", "rồi", "vâng")),
        ("khong", "Không", {"boarding_school_graduate": False}, ("không",)),
    ]),
    _q("disabled", "Bạn có giấy xác nhận khuyết tật không?", ("disabled",), [
        ("co", "Có", {"disabled": True}, ("có", "vâng")),
        ("khong", "Không", {"disabled": False}, ("không",)),
    ]),
    _q("orphan", "Bạn có mồ côi cả cha lẫn mẹ không?", ("orphan",), [
        ("co", "Có", {"orphan": True}, ("có", "vâng")),
        ("khong", "Không", {"orphan": False}, ("không",)),
    ]),
    _q("family", "Bạn có phải con của người có công (thương binh, liệt sĩ...) hoặc có cha/mẹ bị tai nạn lao động, "
       "bệnh nghề nghiệp đang hưởng trợ cấp không?", ("meritorious", "parent_work_accident"), [
        ("co_cong", "Con người có công", {"meritorious": True}, ("người có công", "thương binh", "liệt sĩ")),
        ("tai_nan", "Cha/mẹ bị tai nạn lao động", {"parent_work_accident": True, "meritorious": False},
         ("tai nạn", "bệnh nghề nghiệp")),
        ("khong", "Không", {"meritorious": False, "parent_work_accident": False}, ("không",)),
    ]),
    _q("public_school", "Bạn định học ở trường công lập hay trường tư thục?", ("public_school",), [
        ("cong_lap", "Trường công lập", {"public_school": True}, ("công lập",)),
        ("tu_thuc", "Trường tư thục", {"public_school": False}, ("tư thục", "trường tư")),
    ]),
)
BY_ID = {q.id: q for q in QUESTIONS}
SKIP = Choice("khong_ro", "Không rõ")
SHOW_NOW = Choice("xem_ket_qua", "Xem kết quả luôn")


def open_questions(profile: Profile, asked: Sequence[str], kb: KnowledgeBase, day: dt.date) -> List[Question]:
    """Questions still worth asking, in order."""
    facts = open_facts(profile, kb, day)  # evaluated once for all questions
    return [q for q in QUESTIONS if q.id not in asked and facts & set(q.facts)]


def next_question(profile: Profile, asked: Sequence[str], kb: KnowledgeBase, day: dt.date) -> Optional[Question]:
    remaining = open_questions(profile, asked, kb, day)
    return remaining[0] if remaining else None


def ask(question: Question, number: int, remaining: int) -> Reply:
    """The question with its buttons ("Câu 2 (còn 3 câu):")."""
    head = f"Câu {number}" + (f" (còn {remaining} câu sau câu này)" if remaining else " (câu cuối)")
    buttons = [Button(c.title, c.key) for c in question.choices] + [Button(SKIP.title, SKIP.key), Button(SHOW_NOW.title, SHOW_NOW.key)]
    return Reply(f"{head}: {question.text}", buttons)


def is_exact_answer(question: Question, text: str) -> bool:
    """A button press (or its number or title typed): certainly an answer, whatever NLU thinks."""
    return pick(text, list(question.choices) + [SKIP, SHOW_NOW], exact=True) is not None


@dataclass
class Reading:
    profile: Profile
    answered: bool  # the asked question is settled (or skipped)
    stop: bool = False  # show the result now
    understood: bool = True  # False: not an answer (the caller may let another intent handle it)


def read(question: Question, text: str, profile: Profile, kb: KnowledgeBase,
         entities: Optional[Dict[str, List[str]]] = None) -> Reading:
    """Apply an answer to `question` (plus any other facts the text states) to `profile`."""
    if pick(text, [SHOW_NOW]) or wants_to_stop(text):
        return Reading(profile, answered=False, stop=True)
    if pick(text, [SKIP]) or is_skip(text):
        return Reading(profile, answered=True)
    stated = extract_for(kb, text, entities)
    choice = pick(text, question.choices)
    if choice is not None:
        chosen = question.sets.get(choice.key)
        if chosen is None:  # an ethnic group: its kind depends on the knowledge base
            stated = extract_for(kb, choice.key)
        else:
            stated = replace(stated, **chosen)
    updated = profile.merged(stated)
    settled = choice is not None or any(getattr(stated, f) is not None for f in question.facts)
    if settled:
        return Reading(updated, answered=True)
    if not stated.is_empty():
        return Reading(updated, answered=False)  # other facts: ask this question again
    return Reading(profile, answered=False, understood=False)
