"""The thread of the conversation: short follow-ups read against what the previous answer was about.

`Context.topic` is the question the assistant answered last (the intent of the answer, kept in
the `topic` slot: it lasts through a form, the quiz or a handoff), `Context.offered` the
programmes on the buttons of the previous answer, and the remembered slots say which
programme, level, policy and profile it was about. A follow-up that names nothing new
("còn hệ cao đẳng?", "nghề này học mấy năm?", "vậy hồ sơ gồm gì?", "tổng cả khóa được bao nhiêu?")
is answered for that; a message that names a programme, a policy or the learner's situation is
a new topic and is answered as it is: the thread never overrides what the person just said.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Dict, List, Optional, Tuple

from bot.answers import DATED
from bot.answers.context import Context
from bot.answers.dates import asked_day
from bot.answers.format import is_question, is_yes_no
from bot.answers.policies import PAPERS_WORDS, about_the_person, percent_tiers
from bot.text import mentions, normalise

# Answers about a programme or the catalogue that a level alone ("còn hệ cao đẳng?") continues.
LEVEL_TOPICS = ("ask_programme_info", "ask_tuition", "ask_programmes", "ask_job_prospects")
# "nghề này", "ngành đó": the programme the previous answer was about.
THIS_PROGRAMME = ("nghề này", "nghề đó", "nghề ấy", "ngành này", "ngành đó", "ngành ấy", "nghề trên", "nghề kia")
PROGRAMME_INTENTS = ("ask_programme_info", "ask_tuition", "ask_job_prospects", "ask_admission", "register_interest")
TOTAL_WORDS = ("cả khóa", "tổng cộng", "tổng tiền", "tổng cả", "toàn khóa", "tất cả được bao nhiêu", "cả thảy")
THIS_SUPPORT = ("khoản đó", "khoản này", "khoản ấy", "mức đó", "mức này", "mức ấy", "tiền đó", "tiền này",
                "chính sách đó", "chính sách này", "chính sách ấy", "nghị định đó", "nghị định này", "quyết định đó",
                "khoản hỗ trợ đó", "mức hỗ trợ đó", "hỗ trợ đó", "học bổng đó", "học bổng này")
NOW_WORDS = ("bây giờ", "hiện nay", "hiện tại", "hôm nay", "bây h", "giờ thì", "năm nay")
# Answers about one programme, and the words of a short question about its durations and entry.
PROGRAMME_TOPICS = ("ask_programme_info", "ask_tuition", "ask_job_prospects", "ask_programmes", "check_eligibility", "quiz")
PROGRAMME_ASPECT_WORDS = ("bao lâu", "mấy năm", "mấy tháng", "bao nhiêu tuổi", "mấy tuổi", "đầu vào", "học gì",
                          "học những gì", "học ở đâu", "bao nhiêu năm", "bao nhiêu tháng")
MONTHS_PER_YEAR = ("mỗi năm mấy tháng", "một năm mấy tháng", "một năm được mấy tháng", "mỗi năm được mấy tháng",
                   "năm được mấy tháng", "1 năm mấy tháng", "1 năm được mấy tháng", "mấy tháng một năm",
                   "mấy tháng mỗi năm", "bao nhiêu tháng một năm", "được mấy tháng một năm")
AMOUNT_WORDS = ("mức bao nhiêu", "mức hỗ trợ", "bao nhiêu tiền", "được bao nhiêu", "là bao nhiêu")
# Intents a short question about the support just answered may get from the NLU.
BENEFIT_FOLLOW_INTENTS = ("ask_policy", "out_of_scope", "nlu_fallback", "inform", "ask_tuition")
CORRECTION_STARTS = ("khong phai", "a nham", "nham", "toi nham", "em nham", "minh nham", "xin loi nham")  # folded
RESIDENCE_WORDS = ("xã nào", "ở đâu", "hộ khẩu", "thường trú", "cư trú", "nơi ở", "vùng nào", "ở xã")
FOLLOW_UP_WORDS = 9  # a follow-up is short; a longer message states a new question in full


def _with(ctx: Context, intent: str, **entities: str) -> Context:
    merged: Dict[str, List[str]] = {**ctx.entities, **{k: [v] for k, v in entities.items()}}
    return dataclasses.replace(ctx, intent=intent, entities=merged)


def _short(ctx: Context) -> bool:
    return len(ctx.text.split()) <= FOLLOW_UP_WORDS


def _names_something_new(ctx: Context) -> bool:
    """A programme, a policy, or a support of another policy, by its name ("tiền mua chăn màn được bao
    nhiêu?" after NĐ 238) or its percentage ("giảm 70% học phí cho ai" after the QĐ 53 Tết support)."""
    remembered = ctx.slots.get("policy")
    other_support = any(pid != remembered for pid, _ in percent_tiers(ctx, None) + ctx.match.benefits_in(ctx.text))
    return bool(ctx.programmes_named() or ctx.policy(remembered=False) or ctx.unknown_programme() or other_support)


def follow(intent: str, ctx: Context) -> Tuple[str, Context]:
    """The intent and context to answer this turn with, the thread of the conversation applied."""
    # "khoản đó", "không phải tháng 9 năm ngoái, tháng 9 năm nay": a follow-up however long the sentence.
    pointing = mentions(ctx.text, THIS_SUPPORT) or normalise(ctx.text).startswith(CORRECTION_STARTS)
    if not ctx.text or not (_short(ctx) or pointing) or _names_something_new(ctx):
        return intent, ctx
    topic = ctx.topic
    # "còn hệ cao đẳng?" after a programme, its fee or the catalogue: the same question, that level.
    level = ctx.level_named_now()
    # "còn sơ cấp?" after "có dạy nghề du lịch không?" (one programme offered): that programme.
    if level and topic == "ask_programmes" and len(ctx.offered) == 1 and not about_the_person(ctx, besides=("level",)):
        return "ask_programme_info", _with(ctx, "ask_programme_info", programme=ctx.offered[0], level=level)
    if level and topic in LEVEL_TOPICS and not about_the_person(ctx, besides=("level",)):
        return topic, _with(ctx, topic, level=level)
    # "một năm được mấy tháng?" after a policy or a support check: the months of that policy's
    # monthly support (the scholarship when none is remembered), not a programme's duration.
    if mentions(ctx.text, MONTHS_PER_YEAR) and ctx.slots.get("policy") and topic in ("ask_policy", "check_eligibility"):
        return "ask_policy", _with(ctx, "ask_policy", policy=str(ctx.slots["policy"]))
    # "mức hỗ trợ là bao nhiêu?" after a support check about a policy named: that policy.
    if topic == "check_eligibility" and ctx.slots.get("policy") and mentions(ctx.text, AMOUNT_WORDS) \
            and intent in BENEFIT_FOLLOW_INTENTS and not about_the_person(ctx):
        return "ask_policy", _with(ctx, "ask_policy", policy=str(ctx.slots["policy"]))
    # "học bao lâu?", "phải bao nhiêu tuổi mới học được?" after a programme (the NLU may call it out of
    # scope): that programme's durations and entry.
    programme = ctx.slots.get("programme")
    if programme and topic in PROGRAMME_TOPICS and intent not in PROGRAMME_INTENTS + ("ask_policy", "check_eligibility") \
            and is_question(ctx.text) and mentions(ctx.text, PROGRAMME_ASPECT_WORDS) and not about_the_person(ctx):
        return "ask_programme_info", _with(ctx, "ask_programme_info", programme=str(programme))
    # "nghề này học mấy năm?": the programme of the previous answer (one, or the one to choose).
    if mentions(ctx.text, THIS_PROGRAMME):
        offered = list(ctx.offered) or ([ctx.slots["programme"]] if ctx.slots.get("programme") else [])
        wanted = intent if intent in PROGRAMME_INTENTS else "ask_programme_info"
        if len(offered) == 1:
            return wanted, _with(ctx, wanted, programme=offered[0])
        return wanted, dataclasses.replace(ctx, intent=wanted, offered=offered)
    profile = ctx.slots.get("profile")
    # "tháng 8 thì bao nhiêu?", "còn bây giờ?" after an amount: the same question on that day.
    if topic in DATED and (asked_day(ctx.text, ctx.today) or mentions(ctx.text, NOW_WORDS)) \
            and not about_the_person(ctx):
        if topic == "ask_policy" and ctx.slots.get("policy"):
            followed = _with(ctx, topic, policy=str(ctx.slots["policy"]))
            if ctx.slots.get("benefit") and not ctx.match.benefits_in(ctx.text):  # "còn bây giờ?" after the 80% tier
                followed.entities["benefit"] = list(ctx.slots["benefit"])  # type: ignore[arg-type]
            return topic, followed
        if topic == "check_eligibility" and profile or topic == "ask_tuition":
            return topic, _with(ctx, topic)
    # "có phải ở xã nào cũng được không?" after a support check: where the person must live, as far as known.
    if topic == "check_eligibility" and profile and is_yes_no(ctx.text) and mentions(ctx.text, RESIDENCE_WORDS) \
            and not ctx.match.communes_in(ctx.text):
        return "check_eligibility", _with(ctx, "check_eligibility", aspect="residence")
    # "vậy hồ sơ gồm gì?" after a support check (the person's papers) or a policy (its papers).
    if ctx.asks("papers", PAPERS_WORDS) and not about_the_person(ctx):
        if topic == "check_eligibility" and profile:
            return "check_eligibility", _with(ctx, "check_eligibility", aspect="papers")
        if topic == "ask_policy" and ctx.slots.get("policy"):
            return "ask_policy", _with(ctx, "ask_policy", policy=str(ctx.slots["policy"]), aspect="papers")
    # "tổng cả khóa được bao nhiêu?" after a support check (or a question about one of its
    # supports): the course totals for that person.
    if topic in ("check_eligibility", "ask_policy") and profile and mentions(ctx.text, TOTAL_WORDS):
        return "check_eligibility", _with(ctx, "check_eligibility", aspect="totals")
    # "mức hỗ trợ đó là bao nhiêu?", "mức hỗ trợ là bao nhiêu?", "một năm được mấy tháng?" after a
    # policy: that policy. A programme question with no programme in a policy thread ("mấy tháng")
    # is about the policy too, not "which programme?".
    # "Mua những thứ gì?", "ai được?" after an answer about one support: that support.
    remembered = ctx.slots.get("policy")
    covered = ctx.kb.policies[str(remembered)].scope_levels if str(remembered) in ctx.kb.policies else ()
    if topic == "ask_policy" and remembered and level and level not in covered and not about_the_person(ctx):
        # "thế sơ cấp được hỗ trợ gì?" after QĐ 53: that level's policies, not QĐ 53 again
        return topic, dataclasses.replace(ctx, intent=topic, slots={**ctx.slots, "policy": None, "benefit": None})
    benefit = ctx.slots.get("benefit")
    if topic == "ask_policy" and benefit and intent in BENEFIT_FOLLOW_INTENTS and is_question(ctx.text) \
            and not ctx.match.benefits_in(ctx.text) and not about_the_person(ctx) \
            and (intent not in ("out_of_scope", "nlu_fallback") or _shares_words_with(ctx, benefit)):
        followed = _with(ctx, "ask_policy", **({"policy": str(ctx.slots["policy"])} if ctx.slots.get("policy") else {}))
        return "ask_policy", dataclasses.replace(followed, entities={**followed.entities, "benefit": list(benefit)})
    about_policy = intent == "ask_policy" or pointing or (
        intent in ("ask_programme_info", "ask_tuition") and not ctx.slots.get("programme"))
    if topic == "ask_policy" and remembered and about_policy and not about_the_person(ctx):
        return topic, _with(ctx, topic, policy=str(remembered))
    return intent, ctx


def _shares_words_with(ctx: Context, benefit_keys) -> bool:
    """Whether a message the NLU put out of scope speaks of the support ("Mua những thứ gì?" after
    "mua đồ dùng cá nhân"), not of something else ("ngày mai xem bóng đá ở đâu")."""
    said = set(normalise(ctx.text).split())
    for key in benefit_keys:
        pid, _, bid = str(key).partition(":")
        b = ctx.kb.policies[pid].benefit(bid) if pid in ctx.kb.policies else None
        if b and said & {w for w in normalise(f"{b.label} {b.short_label}").split() if len(w) > 2}:
            return True
    return False


def offered_since(messages: List[List[Dict]]) -> List[str]:
    """The programmes on the buttons of the previous answer's messages (newest first)."""
    offered: List[str] = []
    for buttons in messages:
        for b in buttons:
            programme = _programme_of(b.get("payload") or "")
            if programme and programme not in offered:
                offered.append(programme)
    return offered


def _programme_of(payload: str) -> Optional[str]:
    if not payload.startswith("/") or "{" not in payload:
        return None
    try:
        value = json.loads(payload[payload.index("{"):]).get("programme")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None
