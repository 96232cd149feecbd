"""Vietnamese words the profile reader needs that are language, not law: who is spoken about,
negation, hesitation, corrections. All in the folded form of bot.text.normalise (accent-free,
shorthand expanded: "ko" -> "khong", "e" -> "em"). What each fact is called, and what follows
from it, is in knowledge_base/person_facts.yml and residence.yml.
"""

from __future__ import annotations

# First-person pronouns (the speaker), also possessors ("bố em", "con tôi").
SELF = ("em", "toi", "minh", "to", "tao", "chau", "con", "tui")
POSSESSORS = ("em", "toi", "minh", "to", "chau", "tui", "no", "ban ay", "em ay", "chau ay",
              # kin of the speaker: "nhà bác em" is not the learner's household
              "bac em", "chu em", "co em", "di em", "cau em", "anh em", "chi em", "ban em", "bac", "chu", "ban")

# Who is spoken about -> role. Longer phrases first when matched; "{p}" is any possessor.
# child / sibling / other mark a learner who is not the speaker (see reader.learner_mode).
PERSON_PATTERNS = (
    # the speaker's child or grandchild (a parent asking for them)
    ("con gai {p}", "child"), ("con trai {p}", "child"), ("con {p}", "child"), ("dua con", "child"),
    ("chau {p}", "child"), ("chau nha toi", "child"), ("chau noi", "child"), ("chau ngoai", "child"),
    ("be nha toi", "child"), ("con nha toi", "child"), ("chau nha minh", "child"),
    # a younger sibling
    ("em trai {p}", "sibling"), ("em gai {p}", "sibling"), ("em ruot {p}", "sibling"),
    # parents and grandparents
    ("bo me {p}", "parents"), ("cha me {p}", "parents"), ("ba me {p}", "parents"), ("bo va me {p}", "parents"),
    ("cha va me {p}", "parents"), ("bo me", "parents"), ("cha me", "parents"), ("ca bo va me", "parents"),
    ("phu huynh", "parents"),
    ("ong ba {p}", "grandparent"), ("ong noi", "grandparent"), ("ba noi", "grandparent"),
    ("ong ngoai", "grandparent"), ("ba ngoai", "grandparent"), ("ong {p}", "grandparent"), ("ong ba", "grandparent"),
    ("bo {p}", "parent"), ("me {p}", "parent"), ("cha {p}", "parent"), ("ba {p}", "parent"), ("ma {p}", "parent"),
    ("bo de", "parent"), ("me de", "parent"), ("me", "parent"), ("cha", "parent"), ("bo", "parent"), ("ba", "parent"),
    ("ma", "parent"),
    # the household
    ("gia dinh {p}", "household"), ("nha {p}", "household"), ("ho gia dinh", "household"), ("gia dinh", "household"),
    # other people
    ("bac {p}", "other"), ("chu {p}", "other"), ("co {p}", "other"), ("di {p}", "other"), ("cau {p}", "other"),
    ("mo {p}", "other"), ("thim {p}", "other"), ("anh trai {p}", "other"), ("chi gai {p}", "other"),
    ("anh {p}", "other"), ("chi {p}", "other"), ("ban {p}", "other"), ("ban cua {p}", "other"),
    ("hang xom {p}", "other"), ("nguoi quen {p}", "other"), ("dua ban", "other"), ("ban than", "other"),
    # a third person already introduced
    ("ban ay", "third"), ("em ay", "third"), ("chau ay", "third"), ("no", "third"), ("ban do", "third"),
    # the speaker
    ("em", "self"), ("toi", "self"), ("minh", "self"), ("to", "self"), ("tao", "self"), ("tui", "self"),
    ("chau", "self"),
)
# Bare kin words that need a possessor or "có" before them to count ("bỏ học" is not "bố").
NEEDS_POSSESSOR = ("bo", "ba", "ma")

# Words saying the person will study: their nearest person mention is the learner.
STUDY_VERBS = ("muon hoc", "dinh hoc", "se hoc", "sap hoc", "vao hoc", "hoc", "dang ky", "thi vao", "xin hoc",
               "nhap hoc", "theo hoc")
ASKING_FOR = ("hoi cho", "hoi giup", "hoi ho", "tu van cho", "tim hieu cho")

NEGATORS = ("khong phai la", "khong phai", "khong thuoc", "khong co", "khong con", "khong duoc", "khong",
            "chang phai", "cha phai", "chang", "dau phai", "dau co", "chua bao gio", "chua tung", "chua", "k")
# Hesitation: the fact is mentioned but not decided.
UNSURE = ("khong biet", "chua biet", "khong ro", "chua ro", "khong chac", "chua chac", "khong nho", "hinh nhu",
          "chac la", "co le", "khong biet co", "khong biet la")
# Between a negator and its fact: negation carries over these ("không phải hộ nghèo hay cận nghèo").
COORDINATORS = ("hay", "hoac", "hay la", "hoac la", "lan", "va", "cung", "cung khong", "hay khong", "gi")
# Particles at a clause end ("... đâu ạ").
PARTICLES = ("a", "nhe", "nha", "ma", "day", "dau", "chu", "oi", "ha", "vay", "the")
WHERE_BEFORE_DAU = ("o", "tai", "den", "di", "nop", "cho nao", "ve")

# Clause boundaries besides punctuation; corrections make the later clause win.
CONNECTIVES = ("nhung ma", "nhung", "ma la", "chu khong", "chu", "tuy nhien", "con ve", "ngoai ra")
CORRECTIONS = ("a nham", "em nham", "nham roi", "xin loi nham", "nham", "sua lai", "y em la", "y la", "dung ra la",
               "noi lai", "dinh chinh", "khong phai dau", "em noi nham")
# Corrections only when a comma or a full stop follows ("à không, em học trung cấp").
CORRECTIONS_BEFORE_BREAK = ("a khong", "o khong", "a quen", "a khong phai", "khong khong")
# Words that make a level a past one ("tốt nghiệp trung cấp") or a school's name ("trường cao đẳng").
PAST_LEVEL = ("tot nghiep", "hoc xong", "da hoc", "tung hoc", "hoi hoc", "co bang", "bang", "xong", "het",
              "da co bang", "hoc het")
INSTITUTION_BEFORE = ("truong", "truong day nghe", "o truong", "tai truong")
INSTITUTION_AFTER = ("lai chau", "cua tinh", "tinh", "cong dong", "su pham", "o tinh", "tren tinh", "duoi xuoi",
                     "ha noi", "dien bien")
ALTERNATIVES = ("hay", "hoac", "hay la", "hoac la")
# Before a xã/phường name: it is where the person lives.
PLACE_BEFORE = ("xa", "phuong", "thi tran", "o", "tai", "thuoc", "que", "song o", "nha o", "ban")
NOT_A_COMMUNE_BEFORE = ("huyen",)
