"""The career interest quiz: questions, reading answers, RIASEC scores and matching programmes.

State (kept by the chat layer in the `quiz_state` slot, so a stopped quiz resumes where it
stopped) is a plain dict: {"answers": {question id: option key}, "commune": str|None,
"commune_asked": bool}. Interest questions come from knowledge_base/career_quiz.yml; each
option scores one Holland type. After them come the person's constraints (level they can
enter, where they want to work) and an optional xã/phường for the staff's statistics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple, Union

from bot.advisors.choices import Choice, is_skip, pick, wants_to_stop
from bot.answers.format import DRAFT_NOTE, join_names, million
from bot.answers.reply import Button, Reply, button
from bot.kb.models import LEVEL_LABELS, CareerQuiz, KnowledgeBase, Programme, QuizQuestion
from bot.text import commune_name

TYPES = "RIASEC"
NONE_KEY = "khong"  # "none of these" on an interest question: no points
PAUSE = Choice("tam_dung", "Tạm dừng")
COMMUNE = "commune"  # the optional last step
# Weight of a programme's 1st, 2nd and 3rd Holland code.
CODE_WEIGHTS = (1.0, 0.6, 0.3)
# The province's local economic fields: work near home (KH hướng nghiệp 2026-2030).
LOCAL_FIELDS = {"nong_nghiep_hang_hoa", "duoc_lieu", "du_lich_cong_dong", "nghe_truyen_thong"}
EXPORT_FIELD = "xuat_khau_lao_dong"
PLACE_BONUS = 0.15
MIN_RESULTS, MAX_RESULTS = 3, 5

Step = Union[QuizQuestion, str]


def new_state() -> Dict[str, object]:
    return {"answers": {}, "commune": None, "commune_asked": False}


def answers_of(state: Optional[Dict]) -> Dict[str, str]:
    return dict((state or {}).get("answers") or {})


def total_steps(quiz: CareerQuiz) -> int:
    return len(quiz.questions) + 1


def next_step(quiz: CareerQuiz, state: Dict) -> Optional[Step]:
    answers = answers_of(state)
    for question in quiz.questions:
        if question.id not in answers:
            return question
    return None if state.get("commune_asked") else COMMUNE


def in_progress(quiz: CareerQuiz, state: Optional[Dict]) -> bool:
    return bool(state) and bool(answers_of(state)) and next_step(quiz, state) is not None  # type: ignore[arg-type]


def _choices(question: QuizQuestion) -> List[Choice]:
    choices = [Choice(o.key, o.title) for o in question.options]
    if not question.constraint:
        choices.append(Choice(NONE_KEY, "Không thích cái nào", ("không thích", "không cái nào", "không có")))
    return choices


def ask(quiz: CareerQuiz, state: Dict) -> Reply:
    """The next question, numbered, with its options as buttons."""
    step = next_step(quiz, state)
    number = len(answers_of(state)) + 1
    head = f"Câu {number}/{total_steps(quiz)}"
    if step == COMMUNE or step is None:
        return Reply(f"{head} (không bắt buộc): Bạn ở xã/phường nào? Nhà trường chỉ dùng để thống kê nhu cầu học nghề "
                     "từng địa phương, không kèm tên hay số điện thoại của bạn.", [Button("Bỏ qua", "bỏ qua")])
    assert isinstance(step, QuizQuestion)
    options = "\n".join(f"{i}. {c.title}" for i, c in enumerate(_choices(step), start=1))
    return Reply(f"{head}: {step.text}\n{options}",
                 [Button(c.title, c.key) for c in _choices(step)] + [Button(PAUSE.title, PAUSE.key)])


def progress(quiz: CareerQuiz, state: Dict) -> str:
    """"Bài này có mấy câu?": how many there are and where the person is."""
    done, total = len(answers_of(state)), total_steps(quiz)
    return f"Bài có {total} câu, bạn đang ở câu {done + 1}; còn {total - done} câu, mỗi câu chỉ cần bấm một đáp án."


def is_exact_answer(quiz: CareerQuiz, state: Dict, text: str) -> bool:
    """A button press (or its number or title typed) for the current question."""
    step = next_step(quiz, state)
    if not isinstance(step, QuizQuestion):
        return False
    return pick(text, _choices(step) + [PAUSE], exact=True) is not None


@dataclass
class QuizReading:
    state: Dict
    stop: bool = False
    understood: bool = True


def read(quiz: CareerQuiz, state: Dict, text: str) -> QuizReading:
    """Record the answer to the current step. Unclear answers leave the state unchanged."""
    state = {**new_state(), **(state or {}), "answers": answers_of(state)}
    if pick(text, [PAUSE]) or wants_to_stop(text):
        return QuizReading(state, stop=True)
    step = next_step(quiz, state)
    if step == COMMUNE:
        state["commune_asked"] = True
        if text.strip() and not is_skip(text):
            state["commune"] = commune_name(text)
        return QuizReading(state)
    if not isinstance(step, QuizQuestion):
        return QuizReading(state)
    choice = pick(text, _choices(step))
    if choice is None:
        return QuizReading(state, understood=False)
    state["answers"][step.id] = choice.key
    return QuizReading(state)


# --- scoring ------------------------------------------------------------------------

def scores(quiz: CareerQuiz, answers: Dict[str, str]) -> Dict[str, int]:
    """Points per Holland type: one for each chosen option of that type."""
    points = {t: 0 for t in TYPES}
    for question in quiz.interest_questions:
        option = question.option(answers.get(question.id, ""))
        if option is not None and option.type:
            points[option.type] += 1
    return points


def top_types(points: Dict[str, int], limit: int = 2) -> List[str]:
    """The strongest types, best first; a type tied with the last one kept is kept too."""
    ranked = sorted((t for t in TYPES if points.get(t, 0) > 0), key=lambda t: (-points[t], TYPES.index(t)))
    if len(ranked) <= limit:
        return ranked
    cut = points[ranked[limit - 1]]
    return [t for t in ranked if points[t] >= cut][: limit + 1]


@dataclass
class Constraints:
    levels: Tuple[str, ...] = tuple(LEVEL_LABELS)
    place: str = "anywhere"


def constraints_of(quiz: CareerQuiz, answers: Dict[str, str]) -> Constraints:
    result = Constraints()
    for question in quiz.questions:
        if not question.constraint:
            continue
        option = question.option(answers.get(question.id, ""))
        if option is None:
            continue
        if option.levels:
            result.levels = option.levels
        if option.place:
            result.place = option.place
    return result


@dataclass
class Match:
    programme: Programme
    fit: float
    types: List[str] = field(default_factory=list)  # the person's types this programme fits


def fit(programme: Programme, shares: Dict[str, float]) -> float:
    weights = CODE_WEIGHTS[: len(programme.riasec)]
    return sum(w * shares.get(c, 0.0) for w, c in zip(weights, programme.riasec)) / sum(weights) if weights else 0.0


def recommend(kb: KnowledgeBase, points: Dict[str, int], constraints: Constraints) -> List[Match]:
    """3-5 programmes: the closest RIASEC fit among those the person can enter, adjusted for
    where they want to work (local economic fields near home, labour export abroad)."""
    shares = {t: points.get(t, 0) / max(kb.quiz.max_score(t), 1) for t in TYPES}
    strong = set(top_types(points))
    matches = []
    for prog in kb.programmes:
        if not set(prog.levels) & set(constraints.levels):
            continue
        economic = set(prog.economic_fields)
        if constraints.place == "near_home" and economic == {EXPORT_FIELD} and prog.field == "ngoai_ngu":
            continue  # a course that only prepares for work abroad
        score = fit(prog, shares)
        if constraints.place == "near_home" and economic & LOCAL_FIELDS:
            score += PLACE_BONUS
        if constraints.place == "abroad" and EXPORT_FIELD in economic:
            score += PLACE_BONUS
        matches.append(Match(prog, round(score, 4), [c for c in prog.riasec if c in strong]))
    matches.sort(key=lambda m: (-m.fit, m.programme.name))
    if not matches:
        return []
    best = matches[0].fit
    chosen = matches[:MIN_RESULTS] + [m for m in matches[MIN_RESULTS:MAX_RESULTS] if m.fit >= 0.75 * best]
    return chosen


# --- the result -----------------------------------------------------------------------

def programme_line(prog: Programme, kb: KnowledgeBase, levels: Sequence[str] = tuple(LEVEL_LABELS),
                   types: Sequence[str] = ()) -> str:
    """'Hàn (sơ cấp 3 tháng; trung cấp 1,5 - 2 năm): hợp nhóm kỹ thuật - thực hành. Việc làm: ...'"""
    offered = "; ".join(f"{LEVEL_LABELS[o.level]} {o.duration}" for o in prog.offerings if o.level in levels)
    line = f"{prog.name} ({offered})"
    if types:
        line += ": hợp nhóm " + join_names(kb.career.riasec_types[t][0].lower() for t in types)
    local = [kb.career.economic_fields[f][0] for f in prog.economic_fields if f in kb.career.economic_fields]
    if local:
        line += f". Lĩnh vực tỉnh ưu tiên: {', '.join(local)}"
    if prog.jobs:
        line += ". Việc làm: " + ", ".join(j[:1].lower() + j[1:] for j in prog.jobs[:2])
    return line + f". Thu nhập tham khảo khoảng {million(prog.income_min)} - {million(prog.income_max)} đồng/tháng."


@dataclass
class Outcome:
    """A finished quiz, scored once: what the person is shown and what is stored."""

    points: Dict[str, int]
    top: List[str]
    constraints: Constraints
    matches: List[Match]


def outcome(kb: KnowledgeBase, state: Dict) -> Outcome:
    answers = answers_of(state)
    points = scores(kb.quiz, answers)
    constraints = constraints_of(kb.quiz, answers)
    return Outcome(points, top_types(points), constraints, recommend(kb, points, constraints))


def result_reply(kb: KnowledgeBase, state: Dict) -> Reply:
    """Top types in plain Vietnamese and 3-5 matching programmes; offers registration."""
    result = outcome(kb, state)
    points, top, constraints, matches = result.points, result.top, result.constraints, result.matches
    lines = ["Kết quả trắc nghiệm sở thích của bạn:"]
    if top:
        for code in top:
            label, description = kb.career.riasec_types[code]
            lines.append(f"• {label} ({points[code]}/{kb.quiz.max_score(code)} câu): {description}")
    else:
        lines.append("Bạn chưa chọn hoạt động nào nên mình chưa thấy rõ sở thích. Các nghề dưới đây hợp với "
                     "trình độ bạn có thể học; cán bộ tư vấn có thể trò chuyện thêm với bạn.")
    if matches:
        lines.append(f"Các nghề nên tham khảo {DRAFT_NOTE}:")
        lines += [f"{i}. {programme_line(m.programme, kb, constraints.levels, m.types)}" for i, m in enumerate(matches, start=1)]
    lines.append("Thu nhập là ước tính tham khảo, không phải cam kết. "
                 "Bạn có muốn để lại thông tin để cán bộ tuyển sinh tư vấn kỹ hơn về các nghề này không?")
    buttons = [button("Có, đăng ký tư vấn", "register_interest")]
    buttons += [button(m.programme.name, "ask_programme_info", programme=m.programme.id) for m in matches[:2]]
    buttons.append(button("Làm lại trắc nghiệm", "ask_career_advice", advisor="restart"))
    return Reply("\n".join(lines), buttons, slots={"pending_offer": "register_interest", "lead_offered": True})


def summary(kb: KnowledgeBase, state: Dict) -> Dict[str, object]:
    """What is stored (anonymously) for the staff's statistics."""
    result = outcome(kb, state)
    return {
        "scores": result.points,
        "top_types": "".join(result.top),
        "levels": list(result.constraints.levels),
        "place": result.constraints.place,
        "programmes": [m.programme.id for m in result.matches],
        "commune": state.get("commune"),
    }
