"""What a person says about themselves, turned into the facts policy conditions test.

"em người Thái, nhà hộ cận nghèo, học xong lớp 9, muốn học trung cấp" ->
Profile(ethnicity='Thái', ethnicity_kind='minority', household='near_poor',
lower_secondary_graduate=True, level='trung_cap').
Facts the person did not mention stay None: the eligibility logic then says
what it would depend on instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Dict, Iterable, List, Optional, Tuple

from bot.kb.matching import LEVEL_NAMES, AliasIndex
from bot.kb.models import LEVEL_LABELS, KnowledgeBase
from bot.text import mentions, normalise

# Ethnic groups of Lai Châu (and neighbours) people name; the first spelling is canonical.
ETHNICITIES: Tuple[Tuple[str, ...], ...] = (
    ("Thái",), ("Mông", "H'Mông", "Hmông", "Hmong", "Mèo"), ("Dao",), ("Hà Nhì",), ("Giáy",),
    ("Lự",), ("Mảng",), ("Cống",), ("La Hủ",), ("Si La",), ("Khơ Mú", "Khơmú", "Khmu"),
    ("Kháng",), ("Lào",), ("Kinh",), ("Tày",), ("Nùng",), ("Phù Lá",), ("Hoa",), ("Mường",),
    ("Lô Lô",), ("Pà Thẻn",), ("Bố Y",), ("Pu Péo",), ("Cờ Lao",), ("La Ha",),
)
# A name counts only after one of these words: "mang" / "cong" are also ordinary words.
ETHNICITY_PREFIXES = ("người", "dân tộc", "tộc", "là", "dtts")
MINORITY_WORDS = ("dân tộc thiểu số", "dtts", "người dân tộc", "con em dân tộc", "đồng bào dân tộc")

FLAG_PHRASES: Dict[str, Tuple[str, ...]] = {
    "disabled": ("khuyết tật", "tàn tật", "bị khuyết tật"),
    "orphan": ("mồ côi cả cha lẫn mẹ", "mồ côi cả cha và mẹ", "mồ côi cả bố lẫn mẹ", "mồ côi cả bố mẹ", "mồ côi cả cha mẹ", "mồ côi cha mẹ", "mồ côi bố mẹ"),
    "meritorious": ("con thương binh", "con liệt sĩ", "con bệnh binh", "người có công", "gia đình có công", "thương binh", "liệt sĩ"),
    "boarding_school_graduate": ("dân tộc nội trú", "ptdt nội trú", "phổ thông dân tộc nội trú", "trường nội trú", "ptdtnt"),
    "lower_secondary_graduate": ("học xong lớp 9", "xong lớp 9", "hết lớp 9", "tốt nghiệp thcs", "tốt nghiệp lớp 9", "tốt nghiệp cấp 2", "học hết cấp 2", "xong cấp 2", "học xong thcs"),
    "upper_secondary_graduate": ("tốt nghiệp thpt", "xong lớp 12", "hết lớp 12", "tốt nghiệp cấp 3", "học hết cấp 3", "xong cấp 3", "tốt nghiệp lớp 12"),
    "parent_work_accident": ("tai nạn lao động", "bệnh nghề nghiệp"),
    "nominated": ("cử tuyển",),
}
PUBLIC_SCHOOL = ("trường công lập", "công lập")
PRIVATE_SCHOOL = ("tư thục", "trường tư", "dân lập", "ngoài công lập")
EXTREMELY_DIFFICULT = ("đặc biệt khó khăn", "đbkk", "khu vực iii", "khu vực 3", "xã khu vực iii", "bản đặc biệt khó khăn", "thôn đặc biệt khó khăn", "vùng 3", "kv3")
DIFFICULT = ("vùng khó khăn", "xã khó khăn", "vùng sâu vùng xa", "vùng sâu", "vùng cao", "biên giới")


@dataclass
class Profile:
    ethnicity: Optional[str] = None
    ethnicity_kind: Optional[str] = None  # minority | very_small | kinh
    household: Optional[str] = None  # poor | near_poor
    residence: Optional[str] = None  # extremely_difficult | difficult
    level: Optional[str] = None
    disabled: Optional[bool] = None
    orphan: Optional[bool] = None
    orphan_partial: Optional[bool] = None  # said "mồ côi" without "cả cha lẫn mẹ"
    meritorious: Optional[bool] = None
    boarding_school_graduate: Optional[bool] = None
    lower_secondary_graduate: Optional[bool] = None
    upper_secondary_graduate: Optional[bool] = None
    parent_work_accident: Optional[bool] = None
    nominated: Optional[bool] = None
    public_school: Optional[bool] = None  # QĐ 53 applies at public (công lập) schools only

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))

    def known(self) -> List[str]:
        return [f.name for f in fields(self) if getattr(self, f.name) is not None]

    def merged(self, other: "Profile") -> "Profile":
        """This profile with `other`'s known facts on top (a later message adds facts)."""
        values = {f.name: getattr(other, f.name) if getattr(other, f.name) is not None else getattr(self, f.name)
                  for f in fields(self)}
        return Profile(**values)

    def as_slot(self) -> Dict[str, object]:
        return {name: getattr(self, name) for name in self.known()}

    @classmethod
    def from_slot(cls, value: Optional[Dict[str, object]]) -> "Profile":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (value or {}).items() if k in names})


def _ethnicity_index() -> AliasIndex:
    named = []
    for names in ETHNICITIES:
        aliases = [f"{prefix} {name}" for name in names for prefix in ETHNICITY_PREFIXES]
        named.append((names[0], aliases))
    return AliasIndex.build(named)


_ETHNICITY_INDEX = _ethnicity_index()
_LEVEL_INDEX = AliasIndex.build(LEVEL_NAMES.items())


def find_ethnicity(text: str, entity: Optional[str] = None) -> Optional[str]:
    if entity:
        found = _ETHNICITY_INDEX.find(f"người {entity}")
        if found:
            return found  # type: ignore[return-value]
    return _ETHNICITY_INDEX.find(text)  # type: ignore[return-value]


def extract(text: str, very_small_groups: Iterable[str] = (), entities: Optional[Dict[str, List[str]]] = None) -> Profile:
    """Facts stated in `text` (and NLU entities) about the person."""
    entities = entities or {}
    profile = Profile()
    ethnicity = find_ethnicity(text, (entities.get("ethnicity") or [None])[0])
    if ethnicity:
        profile.ethnicity = ethnicity
        profile.ethnicity_kind = (
            "kinh" if ethnicity == "Kinh" else "very_small" if ethnicity in set(very_small_groups) else "minority"
        )
    elif mentions(text, MINORITY_WORDS):
        profile.ethnicity_kind = "minority"
    norm = f" {normalise(text)} "
    if " can ngheo " in norm:
        profile.household = "near_poor"
    elif re.search(r" (ho|nha|gia dinh|dien|thuoc|la) ngheo ", norm) or " ho ngheo " in norm:
        profile.household = "poor"
    for flag, phrases in FLAG_PHRASES.items():
        if mentions(text, phrases):
            setattr(profile, flag, True)
    if profile.orphan is None and mentions(text, ("mồ côi",)):
        profile.orphan_partial = True
    if mentions(text, EXTREMELY_DIFFICULT):
        profile.residence = "extremely_difficult"
    elif mentions(text, DIFFICULT):
        profile.residence = "difficult"
    if mentions(text, PRIVATE_SCHOOL):
        profile.public_school = False
    elif mentions(text, PUBLIC_SCHOOL):
        profile.public_school = True
    level = (entities.get("level") or [None])[0]
    profile.level = _LEVEL_INDEX.find(level) if level else None  # type: ignore[assignment]
    profile.level = profile.level or _LEVEL_INDEX.find(text)  # type: ignore[assignment]
    return profile


def extract_for(kb: KnowledgeBase, text: str, entities: Optional[Dict[str, List[str]]] = None) -> Profile:
    """`extract` with the knowledge base's list of very small ethnic groups (NĐ 57)."""
    nd57 = kb.policies.get("nd57")
    return extract(text, nd57.ethnic_groups if nd57 else (), entities)


HOUSEHOLD_WORDS = {"poor": "hộ nghèo", "near_poor": "hộ cận nghèo", "neither": "không thuộc hộ nghèo, cận nghèo"}
RESIDENCE_WORDS = {"extremely_difficult": "thường trú ở thôn/xã đặc biệt khó khăn",
                   "difficult": "thường trú ở vùng khó khăn", "neither": "không ở vùng khó khăn"}
FLAG_WORDS = {
    "disabled": ("khuyết tật", "không khuyết tật"),
    "orphan": ("mồ côi cả cha lẫn mẹ", None),
    "meritorious": ("con người có công", None),
    "parent_work_accident": ("cha/mẹ bị tai nạn lao động", None),
    "boarding_school_graduate": ("tốt nghiệp trường PTDT nội trú", None),
    "upper_secondary_graduate": ("đã tốt nghiệp THPT", None),
    "lower_secondary_graduate": ("đã tốt nghiệp THCS", "chưa tốt nghiệp THCS"),
    "nominated": ("học cử tuyển", None),
    "public_school": ("học trường công lập", "học trường tư thục"),
}


def describe(profile: Profile) -> str:
    """The facts the answer is based on, in the person's words ("người Thái, hộ cận nghèo, học trung cấp")."""
    parts: List[str] = []
    if profile.ethnicity:
        parts.append(f"người {profile.ethnicity}")
    elif profile.ethnicity_kind == "minority":
        parts.append("người dân tộc thiểu số")
    if profile.household:
        parts.append(HOUSEHOLD_WORDS[profile.household])
    if profile.residence:
        parts.append(RESIDENCE_WORDS[profile.residence])
    for flag, (yes, no) in FLAG_WORDS.items():
        value = getattr(profile, flag)
        if value is True or (value is False and no):
            parts.append(yes if value else no)  # type: ignore[arg-type]
    if profile.level:
        parts.append(f"học {LEVEL_LABELS.get(profile.level, profile.level)}")
    return ", ".join(parts)
