"""Yes/no questions about which list an ethnic group is on: "người Mảng có phải dân tộc rất ít người
không?", "người Si La với người Thái đều là dân tộc rất ít người đúng không?".

The list is data: the `ethnic_groups` of the policies (NĐ 57/2017's 16 dân tộc rất ít người), and
the names people use for each group are the ethnicity fact's `names` in person_facts.yml.
"""

from __future__ import annotations

from typing import List, Optional

from bot.answers.context import Context
from bot.answers.format import cite, is_yes_no, join_names
from bot.kb.models import KnowledgeBase, Policy
from bot.text import normalise

VERY_SMALL_WORDS = ("rat it nguoi",)  # folded: "dân tộc rất ít người"


def _policy_with_list(kb: KnowledgeBase) -> Optional[Policy]:
    return next((p for p in kb.policies_in_order() if p.ethnic_groups), None)


def groups_named(kb: KnowledgeBase, text: str) -> List[str]:
    """The ethnic groups a message names after a prefix ("người Mảng", "dân tộc Si La"), in order."""
    fact = kb.facts.fact("ethnicity")
    said = f" {normalise(text)} "
    prefixes = [normalise(p) for p in fact.name_prefixes] + ["nguoi"]
    found = []
    for spellings in fact.names:
        for name in spellings:
            at = min((said.find(f" {p} {normalise(name)} ") for p in prefixes if f" {p} {normalise(name)} " in said),
                     default=-1)
            if at >= 0:
                found.append((at, spellings[0]))
                break
    return [name for _, name in sorted(found)]


def answer_very_small(ctx: Context) -> Optional[str]:
    """"Có, người Mảng là một trong 16 dân tộc thiểu số rất ít người (...)." for a yes/no that asks
    whether named groups are on the list; None when the message asks something else."""
    if not is_yes_no(ctx.text) or not any(w in normalise(ctx.text) for w in VERY_SMALL_WORDS):
        return None
    policy = _policy_with_list(ctx.kb)
    names = [n for n in groups_named(ctx.kb, ctx.text) if n != "Kinh"] if policy else []
    if not names or policy is None:
        return None
    on = [n for n in names if n in policy.ethnic_groups]
    off = [n for n in names if n not in policy.ethnic_groups]
    listed = f"{len(policy.ethnic_groups)} dân tộc thiểu số rất ít người"
    where = f"({cite(policy.ethnic_groups_source)})" if policy.ethnic_groups_source else f"({policy.document.short})"
    people = lambda ns: join_names([f"người {n}" for n in ns])  # noqa: E731
    if not off:
        return f"Có, {people(on)} thuộc {listed} {where}."
    if not on:
        return f"Không, {people(off)} không thuộc {listed} {where}."
    return f"Không: {people(on)} thuộc {listed}, còn {people(off)} thì không {where}."
