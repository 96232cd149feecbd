"""Finding knowledge-base items named in free text or in NLU entity values.

Two comparison modes, because accent-free Vietnamese is ambiguous ("han" is hàn,
hạn or hán; "may" is may or máy): text typed with diacritics is matched against
the aliases with their diacritics; text typed without is matched in the folded
form (accents removed, shorthand expanded). Longer aliases win over shorter ones
("tiếng Hàn" before "hàn").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, TypeVar

from bot.kb.models import Commune, KnowledgeBase, Policy, Programme
from bot.text import fold, has_diacritics, lower_nfc, normalise

T = TypeVar("T")


def _accented_form(text: str) -> str:
    return " ".join(re.findall(r"\w+", lower_nfc(text)))


# Folded, these aliases are also everyday words: "may" is mấy (how many) or máy, "han" is hạn.
AMBIGUOUS_FOLDED = {"may", "han"}
_UNITS = ("thang", "nam", "lan", "tuoi", "ngay", "gio", "tuan", "buoi", "tieng", "phan", "nguoi", "mon", "ky", "dot")


# "sang Hàn", "đi Hàn", "nước Hàn": the country (Korea), not the welding trade (folded words before it).
_COUNTRY_BEFORE = {"han": ("sang", "di", "qua", "nuoc", "ben", "o")}


def names_a_country(alias: str, before: str) -> bool:
    words = normalise(before).split()[-1:]
    return bool(words) and words[0] in _COUNTRY_BEFORE.get(normalise(alias), ())


def _counts_something(after: str) -> bool:
    """Whether the words after a match make it "mấy ..." ("mấy tháng", "mấy năm")."""
    nxt = after.split()[:1]
    return bool(nxt) and nxt[0] in _UNITS


# "nghề điện", "ngành kỹ thuật", "học sửa chữa": the words after these name a family of programmes.
_FAMILY_CUE = re.compile(r"\b(?=(?:nghe|nganh|hoc|day)\s+(?P<words>\w+(?:\s+\w+)?))")  # overlapping: "dạy nghề điện"
# Words that start no programme family however the names begin ("nghề gì", "học nghề", "ngành nào").
_NOT_A_HEAD = {"ky", "gi", "nao", "nay", "do", "nghe", "nganh", "hoc", "khong", "co", "o", "tai", "xong", "the", "thi",
               "duoc", "gi", "ve", "va", "hay", "voi", "cho", "mot", "may", "bao", "truong", "he", "lop", "trung", "cao",
               "so", "ngan", "dai"}


@dataclass(frozen=True)
class AliasIndex:
    """Alias -> item, in both comparison modes, longest alias first."""

    accented: Tuple[Tuple[str, object], ...]
    folded: Tuple[Tuple[str, object], ...]

    @classmethod
    def build(cls, named: Iterable[Tuple[object, Sequence[str]]]) -> "AliasIndex":
        accented: Dict[str, object] = {}
        folded: Dict[str, object] = {}
        for item, names in named:
            for name in names:
                accented.setdefault(_accented_form(name), item)
                folded.setdefault(normalise(name), item)
        order = lambda pairs: tuple(sorted(pairs.items(), key=lambda kv: -len(kv[0])))  # noqa: E731
        return cls(order(accented), order(folded))

    def find_all(self, text: str) -> List[object]:
        """Items named in `text`, in order of appearance, without overlaps."""
        accented = has_diacritics(text)
        if accented:
            haystack, pairs = _accented_form(text), self.accented
        else:
            haystack, pairs = normalise(text), self.folded
        taken: List[Tuple[int, int]] = []
        found: List[Tuple[int, object]] = []
        for alias, item in pairs:
            if not alias:
                continue
            # "qd 53" in an accented sentence: đ is the letter phones make hardest to type.
            pattern = re.escape(alias).replace("đ", "[đd]") if accented else re.escape(alias)
            for m in re.finditer(rf"(?<!\w){pattern}(?!\w)", haystack):
                span = (m.start(), m.end())
                if not accented and alias in AMBIGUOUS_FOLDED and _counts_something(haystack[m.end():]):
                    continue  # "hoc may thang": mấy (how many), not may (sewing)
                if names_a_country(alias, haystack[:m.start()]):
                    continue  # "sang Hàn làm việc": Korea
                if any(s < span[1] and span[0] < e for s, e in taken):
                    continue
                taken.append(span)
                found.append((m.start(), item))
        ordered: List[object] = []
        for _, item in sorted(found, key=lambda f: f[0]):
            if item not in ordered:
                ordered.append(item)
        return ordered

    def find(self, text: str) -> Optional[object]:
        items = self.find_all(text)
        return items[0] if items else None


LEVEL_NAMES = {
    "so_cap": ["sơ cấp", "hệ sơ cấp", "ngắn hạn", "học nghề ngắn hạn"],
    "trung_cap": ["trung cấp", "hệ trung cấp", "trung cấp nghề", "tc"],
    "cao_dang": ["cao đẳng", "hệ cao đẳng", "cao đẳng nghề", "cđ"],
}

FIELD_NAMES = {
    "nong_lam_nghiep": ["nông nghiệp", "nông lâm", "lâm nghiệp", "trồng trọt", "chăn nuôi", "nông lâm nghiệp"],
    "cong_nghiep": ["công nghiệp", "kỹ thuật", "cơ khí", "điện", "máy móc"],
    "du_lich_dich_vu": ["du lịch", "dịch vụ", "nhà hàng", "khách sạn"],
    "y_te": ["y tế", "sức khỏe", "y dược"],
    "cong_nghe_thong_tin": ["công nghệ thông tin", "tin học", "máy tính", "cntt"],
    "kinh_te": ["kinh tế", "kế toán", "kinh doanh"],
    "xay_dung": ["xây dựng"],
    "nghe_truyen_thong": ["nghề truyền thống", "thủ công", "thổ cẩm"],
    "ngoai_ngu": ["ngoại ngữ", "tiếng nước ngoài"],
    "su_pham": ["sư phạm", "giáo viên", "mầm non"],
}


def commune_names(commune: Commune, kb: KnowledgeBase) -> List[str]:
    """How a person may name a commune: its name, and the units it was formed from in 2025. A former
    township is named with its prefix only ("thị trấn Tam Đường"): "Tam Đường" alone is as likely the
    former district, which became several communes. A former name that is a current commune's is
    that commune."""
    current = {normalise(c.name) for c in kb.residence.communes}
    names = [commune.name]
    for former in commune.formed_from:
        town = re.match(r"^(?:TT|thị trấn)\s+(.+)$", former)
        if town:
            names += [f"thị trấn {town.group(1)}", f"TT {town.group(1)}"]
        else:
            bare = re.sub(r"^(xã|phường)\s+", "", former)
            if normalise(bare) not in current:
                names.append(bare)
    return names


class Matcher:
    """Resolves programmes, policies, levels and fields for one knowledge base."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.programmes = AliasIndex.build((p, (p.name,) + p.aliases + (p.id.replace("_", " "),)) for p in kb.programmes)
        self.policies = AliasIndex.build((p, p.aliases + (p.id, p.document.short)) for p in kb.policies.values())
        self.levels = AliasIndex.build(LEVEL_NAMES.items())
        self.communes = AliasIndex.build((c, commune_names(c, kb)) for c in kb.residence.communes)
        self.fields = AliasIndex.build(FIELD_NAMES.items())
        # A benefit named in a question ("tiền xe", "học bổng"): (policy id, short label); the
        # tiers of one support (học bổng 100/80/60%) share it.
        # A group named in a question ("học nghề nặng nhọc, độc hại được giảm bao nhiêu"): (policy, group).
        self.groups = AliasIndex.build(((p.id, g.id), (g.short_label,)) for p in kb.policies.values() for g in p.groups
                                       if g.short_label and len(g.short_label.split()) >= 3)
        self.benefits = AliasIndex.build(
            ((p.id, b.short_label), b.aliases) for p in kb.policies.values() for b in p.benefits if b.aliases)

    def communes_in(self, text: str) -> List[Commune]:
        """The province's xã/phường named in `text` (a former name gives the commune it is now part
        of), in order of appearance; one named after "không phải" ("ở Mường Than chứ không phải
        Than Uyên") comes last."""
        # Place names are often typed without their accents inside an accented sentence ("em ở xã Binh Lu").
        found = self.communes.find_all(text) or self.communes.find_all(fold(text))
        folded = f" {normalise(text)} "

        def denied(commune: Commune) -> bool:
            return any(f" khong phai {n} " in folded or f" khong phai xa {n} " in folded
                       for n in map(normalise, commune_names(commune, self.kb)))
        return sorted(found, key=denied)  # type: ignore[arg-type]

    def programmes_in(self, text: str) -> List[Programme]:
        return self.programmes.find_all(text)  # type: ignore[return-value]

    def programme_family(self, text: str) -> List[Programme]:
        """"nghề điện", "ngành kỹ thuật": the programmes whose names begin with the words said after
        nghề/ngành/học/dạy, when the text names none of them in full (Điện công nghiệp and Điện dân
        dụng for "nghề điện"). Derived from the catalogue's names, so a programme staff add joins its
        family without code."""
        folded = normalise(text)
        found: List[Programme] = []
        for m in _FAMILY_CUE.finditer(folded):
            words = m.group("words").split()
            for n in (2, 1):
                head = " ".join(words[:n])
                if len(words) < n or set(head.split()) & _NOT_A_HEAD:
                    continue
                found = [p for p in self.kb.programmes if normalise(p.name).startswith(head + " ")]
                if found:
                    return found
        return found

    def programme(self, text: Optional[str]) -> Optional[Programme]:
        """A programme id, entity value or free text -> programme."""
        if not text:
            return None
        return self.kb.programme(text) or self.programmes.find(text)  # type: ignore[return-value]

    def policy(self, text: Optional[str]) -> Optional[Policy]:
        if not text:
            return None
        return self.kb.policies.get(text) or self.policies.find(text)  # type: ignore[return-value]

    def groups_in(self, text: str) -> List[Tuple[str, str]]:
        """(policy id, group id) of every group of people named in `text` by its short label."""
        return self.groups.find_all(text)  # type: ignore[return-value]

    def benefits_in(self, text: str) -> List[Tuple[str, str]]:
        """(policy id, benefit id) of every benefit named in `text`, all tiers of a support."""
        named = self.benefits.find_all(text)
        out: List[Tuple[str, str]] = []
        for policy_id, short in named:  # type: ignore[misc]
            policy = self.kb.policies[policy_id]
            out += [(policy_id, b.id) for b in policy.benefits if b.short_label == short and (policy_id, b.id) not in out]
        return out

    def level(self, text: Optional[str]) -> Optional[str]:
        if not text:
            return None
        return text if text in LEVEL_NAMES else self.levels.find(text)  # type: ignore[return-value]

    def field(self, text: Optional[str]) -> Optional[str]:
        if not text:
            return None
        return self.fields.find(text)  # type: ignore[return-value]


@lru_cache(maxsize=4)
def matcher_for(kb: KnowledgeBase) -> Matcher:
    return Matcher(kb)
