"""Answers about the programme catalogue: the list, one programme, its fee, its jobs."""

from __future__ import annotations

from typing import List, Optional

from bot.answers.context import Context
from bot.answers.fit import FIRST_MESSAGE_LIMIT, wants_everything
from bot.answers.format import DRAFT_NOTE, is_yes_no, join_names, million
from bot.answers.reply import Button, Reply, button
from bot.kb.matching import FIELD_NAMES
from bot.kb.models import LEVEL_LABELS, Programme
from bot.profile.reader import stated_age
from bot.text import mentions

POPULAR = ["cong_nghe_o_to", "dien_cong_nghiep", "ky_thuat_che_bien_mon_an", "han", "trong_duoc_lieu", "huong_dan_du_lich"]
FIELD_LABELS = {key: names[0].capitalize() for key, names in FIELD_NAMES.items()}


def programme_buttons(ctx: Context, intent: str, ids: Optional[List[str]] = None, limit: int = 4) -> List[Button]:
    progs = [ctx.kb.programme(i) for i in (ids or POPULAR)]
    return [button(p.name, intent, programme=p.id) for p in progs if p][:limit]


def follow_up_buttons(prog: Programme) -> List[Button]:
    return [
        button(f"Học phí nghề {prog.name}", "ask_tuition", programme=prog.id),
        button("Học xong làm gì?", "ask_job_prospects", programme=prog.id),
        button("Hồ sơ nhập học", "ask_admission"),
        button("Đăng ký tư vấn", "register_interest", programme=prog.id),
    ]


def ask_which_programme(ctx: Context, pending: str, question: str) -> Reply:
    """Which programme? The family the message names ("nghề điện"), the ones the previous answer
    offered ("nghề này" after two suggestions), or popular ones."""
    family = [p.id for p in ctx.programme_family()]
    return Reply(
        f"{question} Bạn gõ tên nghề, hoặc chọn bên dưới:",
        programme_buttons(ctx, "inform", family or ctx.offered or None),
        slots={"pending_question": pending},
    )


def unknown_programme_reply(ctx: Context, name: str) -> Reply:
    return Reply(
        f"Mình chưa có thông tin về nghề \"{name}\" trong danh mục đào tạo. "
        "Mình đã ghi lại câu hỏi để cán bộ tuyển sinh bổ sung. "
        "Bạn có thể xem các nghề đang có hoặc nhờ cán bộ tư vấn:",
        [button("Các ngành đào tạo", "ask_programmes"), button("Gặp cán bộ tư vấn", "request_human"),
         button("Thông tin liên hệ", "ask_contact")],
        unanswered_reason="unknown_programme",
    )


def answer_offered(prog: Programme, ctx: Context) -> Reply:
    """"Trường có dạy nghề may không?": yes with its levels (or the level asked), not the catalogue."""
    level = ctx.level_named_now()
    levels = join_names([LEVEL_LABELS[lv] for lv in prog.levels])
    draft = f" {DRAFT_NOTE}" if prog.is_draft else ""
    if level and level not in prog.levels:
        text = (f"Chưa có: nghề {prog.name} trình độ {LEVEL_LABELS[level]} không có trong danh mục dự kiến{draft}; "
                f"nghề này có ở trình độ {levels}.")
    else:
        text = f"Có, nghề {prog.name} có trong danh mục dự kiến{draft}, trình độ {levels}."
    return Reply(text, [button(f"Nghề {prog.name} học gì?", "ask_programme_info", programme=prog.id)] + follow_up_buttons(prog)[:3],
                 slots={"programme": prog.id})


def answer_family(family: List[Programme], ctx: Context) -> Reply:
    """"Trường có dạy nghề điện không?": yes, with each programme of that family and its levels."""
    level = ctx.level_named_now()
    offered = [p for p in family if level in (None, *p.levels)]
    where = f" trình độ {LEVEL_LABELS[level]}" if level else ""
    if not offered:
        levels = "; ".join(f"{p.name}: {join_names([LEVEL_LABELS[lv] for lv in p.levels])}" for p in family)
        text = f"Chưa có{where} trong danh mục dự kiến {DRAFT_NOTE}; các nghề gần nhất có ở: {levels}."
        offered = family
    else:
        lines = [f"• {p.name}: {join_names([LEVEL_LABELS[lv] for lv in p.levels])}" for p in offered]
        verdict = "Có" if is_yes_no(ctx.text) else "Trường"
        text = "\n".join([f"{verdict}{', trường' if verdict == 'Có' else ''} có {len(offered)} nghề{where} "
                           f"trong danh mục dự kiến {DRAFT_NOTE}:"] + lines + ["Bạn muốn tìm hiểu nghề nào?"])
    buttons = [button(f"Nghề {p.name}", "ask_programme_info", programme=p.id) for p in offered[:3]]
    return Reply(text, buttons + [button("Tất cả các ngành", "ask_programmes")])


def answer_programmes(ctx: Context) -> Reply:
    named = ctx.programmes_named()
    if len(named) == 1 and is_yes_no(ctx.text):
        return answer_offered(named[0], ctx)
    family = ctx.programme_family()
    if len(family) == 1 and is_yes_no(ctx.text):
        return answer_offered(family[0], ctx)
    if len(family) > 1:
        return answer_family(family, ctx)
    if ctx.unknown_programme() and is_yes_no(ctx.text):
        reply = unknown_programme_reply(ctx, ctx.unknown_programme())  # type: ignore[arg-type]
        reply.text = "Chưa có. " + reply.text
        return reply
    level = ctx.level_named_now()
    field = ctx.field()
    progs = ctx.kb.programmes_by(level=level, field=field)
    by_age = age_question(ctx)
    if by_age is not None:
        return by_age
    if is_yes_no(ctx.text):
        if progs and (level or field):  # "có khóa ngắn hạn nào không": yes, then the list
            reply = _listing(ctx, level, field, progs)
            reply.text = "Có. " + reply.text
            return reply
    return _listing(ctx, level, field, progs)


def _listing(ctx: Context, level: Optional[str], field: Optional[str], progs: List[Programme]) -> Reply:
    if not progs:
        wanted = join_names([FIELD_LABELS.get(field or "", ""), LEVEL_LABELS.get(level or "", "")])
        return Reply(
            f"Hiện chưa có nghề nào thuộc {wanted or 'nhóm này'} trong danh mục dự kiến. "
            "Bạn xem toàn bộ danh mục nhé:",
            [button("Tất cả các ngành", "ask_programmes"), button("Gặp cán bộ tư vấn", "request_human")],
        )
    scope = []
    if field:
        scope.append(f"lĩnh vực {FIELD_LABELS[field].lower()}")
    if level:
        scope.append(f"trình độ {LEVEL_LABELS[level]}")
    head = "Các ngành, nghề " + (" ".join(scope) + " " if scope else "") + f"dự kiến đào tạo {DRAFT_NOTE}:"
    lines = []
    for lvl in ([level] if level else list(LEVEL_LABELS)):
        names = [p.name for p in progs if lvl in p.levels]
        if names:
            lines.append(f"• {LEVEL_LABELS[lvl].capitalize()}: {', '.join(names)}")
    text = "\n".join([head] + lines + ["Bạn muốn tìm hiểu nghề nào?"])
    if len(text) > FIRST_MESSAGE_LIMIT and not level and not wants_everything(ctx):
        return _catalogue_briefly(ctx, progs, field)
    ids = [p.id for p in progs if p.id in POPULAR] or [p.id for p in progs]
    return Reply(text, programme_buttons(ctx, "ask_programme_info", ids, limit=3) + [button("Chính sách hỗ trợ", "ask_policy")],
                 slots={"level": level} if level else {})


def age_question(ctx: Context) -> Optional[Reply]:
    """"15 tuổi có học sơ cấp được không": answered from the entry ages, whichever intent it came as."""
    if not is_yes_no(ctx.text):
        return None
    age = stated_age(ctx.text, ctx.today)
    return _answer_age(ctx, age, ctx.level_named_now()) if age is not None else None


def _answer_age(ctx: Context, age: int, level: Optional[str]) -> Reply:
    """"15 tuổi có học sơ cấp được không": the entry ages of the offerings (of the level asked)."""
    offerings = [o for p in ctx.kb.programmes for o in p.offerings if level in (None, o.level)]
    ages = sorted({o.min_age for o in offerings if o.min_age is not None})
    where = f"trình độ {LEVEL_LABELS[level]}" if level else "các nghề"
    if not ages:
        return Reply(f"Chưa xác nhận được: danh mục dự kiến chưa ghi tuổi tối thiểu của {where}. "
                     "Bạn hỏi cán bộ tư vấn giúp nhé.", [button("Gặp cán bộ tư vấn", "request_human")])
    open_to = [o for o in offerings if o.min_age is not None and o.min_age <= age]
    lowest = ages[0]
    if not open_to:
        text = f"Chưa: {where} nhận người từ {lowest} tuổi trở lên {DRAFT_NOTE}. Bạn {age} tuổi có thể hỏi trước và đăng ký khi đủ tuổi."
    elif len(open_to) == len(offerings):
        text = f"Có: {where} nhận người từ {lowest} tuổi trở lên {DRAFT_NOTE}, nên {age} tuổi học được, nếu sức khỏe phù hợp với nghề."
    else:
        older = join_names(sorted({p.name for p in ctx.kb.programmes for o in p.offerings
                                   if level in (None, o.level) and (o.min_age or 0) > age}))
        text = (f"Có, với phần lớn các nghề: {where} nhận người từ {lowest} tuổi trở lên {DRAFT_NOTE}; "
                f"riêng {older} cần từ {ages[-1]} tuổi.")
    if not level and any(o.entry and "tốt nghiệp" in o.entry.lower() for o in offerings):
        text += " Trung cấp, cao đẳng cần bằng tốt nghiệp THCS hoặc THPT."
    buttons = [button("Các nghề sơ cấp", "ask_programmes", level="so_cap"), button("Tư vấn chọn nghề", "ask_career_advice"),
               button("Đăng ký tư vấn", "register_interest")]
    return Reply(text, buttons)


def _catalogue_briefly(ctx: Context, progs: List[Programme], field: Optional[str]) -> Reply:
    """The whole catalogue in one screen: how many trades per level, a few of them, and a button
    per level for its list."""
    counts = [(lvl, sum(1 for p in progs if lvl in p.levels)) for lvl in LEVEL_LABELS]
    counts = [(lvl, n) for lvl, n in counts if n]
    where = f" lĩnh vực {FIELD_LABELS[field].lower()}" if field else ""
    popular = [p.name for p in progs if p.id in POPULAR] or [p.name for p in progs[:5]]
    text = "\n".join([
        f"Trường dự kiến đào tạo {len(progs)} nghề{where} {DRAFT_NOTE}: "
        + ", ".join(f"{n} nghề {LEVEL_LABELS[lvl]}" for lvl, n in counts) + ".",
        f"Ví dụ: {', '.join(popular)}.",
        "Bạn chọn trình độ để xem danh sách, hoặc gõ tên nghề bạn quan tâm.",
    ])
    buttons = [button(f"Các nghề {LEVEL_LABELS[lvl]}", "ask_programmes", level=lvl, **({"field": field} if field else {}))
               for lvl, _ in counts]
    return Reply(text, buttons + [button("Tư vấn chọn nghề", "ask_career_advice")])


def _offering_lines(prog: Programme, level: Optional[str]) -> List[str]:
    offerings = [o for o in prog.offerings if level in (None, o.level)] or list(prog.offerings)
    return [
        f"• {o.level_label.capitalize()}: {o.duration}; đầu vào: {o.entry}; {o.certificate.lower()}."
        for o in offerings
    ]


# "Can I learn it?" asked as a yes/no: answered "Có" with the levels and their entry requirements.
CAN_LEARN_WORDS = ("có được không", "được không", "có được ko", "co dc ko", "dc ko", "đc không", "học được không",
                   "có học được", "có thể học", "được học không")


def answer_programme_info(ctx: Context) -> Reply:
    prog = ctx.programme()
    if prog is None:
        unknown = ctx.unknown_programme()
        if unknown:
            return unknown_programme_reply(ctx, unknown)
        return ask_which_programme(ctx, "ask_programme_info", "Bạn muốn hỏi về nghề nào?")
    level = ctx.level()
    lines = [f"Nghề {prog.name} {DRAFT_NOTE if prog.is_draft else ''}".rstrip() + ":", prog.summary]
    asked = ctx.level_named_now()
    yes_no = is_yes_no(ctx.text)
    if asked and asked not in prog.levels:  # "còn hệ cao đẳng?": answered first, then what there is
        levels = join_names([LEVEL_LABELS[lv] for lv in prog.levels])
        lines = [f"{'Không: nghề' if yes_no else 'Nghề'} {prog.name} không có trình độ {LEVEL_LABELS[asked]} trong danh mục dự kiến; "
                 f"nghề này có ở trình độ {levels}{' ' + DRAFT_NOTE if prog.is_draft else ''}:"]
        level = None
    elif asked and yes_no:  # "nghề đó có hệ cao đẳng không": yes, then that level's details
        lines[0] = f"Có, nghề {prog.name} có trình độ {LEVEL_LABELS[asked]} {DRAFT_NOTE if prog.is_draft else ''}".rstrip() + ":"
    elif yes_no and mentions(ctx.text, CAN_LEARN_WORDS):  # "muốn học nghề sửa xe máy có được không": yes, and the entry
        levels = join_names([LEVEL_LABELS[lv] for lv in prog.levels])
        lines = [f"Có, nghề {prog.name} có ở trình độ {levels} {DRAFT_NOTE if prog.is_draft else ''}".rstrip()
                 + "; thời gian học và đầu vào của từng trình độ:"]
    lines += _offering_lines(prog, level)
    lines.append(f"• Học: {join_names(prog.taught[:4])}.")
    lines.append(f"• Nơi học{' (dự kiến)' if prog.is_draft else ''}: {join_names(prog.locations)}.")
    return Reply("\n".join(lines), follow_up_buttons(prog), slots={"programme": prog.id})


def answer_job_prospects_for(ctx: Context, prog: Programme) -> Reply:
    text = "\n".join([
        f"Học xong nghề {prog.name}, bạn có thể làm:",
        *(f"• {job}" for job in prog.jobs[:5]),
        f"Thu nhập tham khảo: khoảng {million(prog.income_min)} - {million(prog.income_max)} đồng/tháng "
        f"({prog.income_note[:1].lower()}{prog.income_note[1:].rstrip('.')}; {DRAFT_NOTE[1:-1]}).",
    ])
    return Reply(text, follow_up_buttons(prog)[:1] + [button("Đăng ký tư vấn", "register_interest", programme=prog.id),
                                                    button("Vì sao nên học nghề?", "ask_why_vocational")],
                 slots={"programme": prog.id})
