"""Reading a person: what a real sentence says about the learner (bot/profile/reader.py).

Each row: the sentence, the facts it must give (on the Profile), the facts that must stay
unknown (`absent`), and those it must mark to be asked (`unclear`). Sentences are grouped by
what makes them hard: negation, corrections, other people, levels named in passing, long
stories, and the same things typed without diacritics or in chat shorthand.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.profile import extract_for, read

DAY = dt.date(2026, 12, 2)
T = True
F = False


def S(text, absent=(), unclear=(), **facts):
    return (text, facts, tuple(absent), tuple(unclear))


ROWS = [
    # --- plain statements --------------------------------------------------------------------
    S("em người Thái, nhà hộ cận nghèo ở xã đặc biệt khó khăn, học xong lớp 9, muốn học trung cấp",
      ethnic_group="Thái", ethnicity="minority", household="near_poor", level="trung_cap",
      lower_secondary_graduate=T, upper_secondary_graduate=F, residence={"dbkk": T, "vung_dtts": T}),
    S("em là người Lự, học cao đẳng", ethnic_group="Lự", ethnicity="very_small", level="cao_dang"),
    S("em là người Kinh, nhà hộ nghèo", ethnicity="kinh", household="poor"),
    S("em người Hmông", ethnic_group="Mông", ethnicity="minority"),
    S("em thuộc dân tộc Hà Nhì, gia đình thuộc diện hộ nghèo", ethnic_group="Hà Nhì", household="poor"),
    S("em là người dân tộc thiểu số", ethnicity="minority", absent=["ethnic_group"]),
    S("em mang hồ sơ đến trường công lập", public_school=T, absent=["ethnicity", "ethnic_group"]),
    S("em là con thương binh", meritorious=T),
    S("em học cử tuyển", nominated=T),
    S("em có giấy xác nhận khuyết tật", disabled=T),
    S("em tốt nghiệp trường phổ thông dân tộc nội trú", boarding_school_graduate=T),
    S("em đã tốt nghiệp THPT", upper_secondary_graduate=T, lower_secondary_graduate=T),
    S("em đang học lớp 9", lower_secondary_graduate=T, upper_secondary_graduate=F),
    S("em bỏ học lớp 8", lower_secondary_graduate=F),
    S("em học hệ vừa làm vừa học", regular_programme=F),
    S("em học trường tư thục", public_school=F),
    S("em 17 tuổi", age=17),
    S("em sinh năm 2008", age=18),
    S("em là nữ, muốn học sơ cấp", sex="female", level="so_cap"),
    S("em làm ruộng ở nhà", rural_worker=T),
    S("nhà em ở xã Mù Cả", commune="Mù Cả"),
    S("em ở xã Ka Lăng cũ", commune="Thu Lũm"),
    S("nhà em ở phường Tân Phong", commune="Tân Phong"),
    S("em ở xã biên giới", residence={"bien_gioi": T}),
    S("nhà em ở xã khu vực 2", residence={"vung_dtts": T}),
    S("em mồ côi cả cha lẫn mẹ", orphan=T, absent=["no_guardian"]),
    S("em mồ côi cả cha lẫn mẹ, không nơi nương tựa", orphan=T, no_guardian=T),
    S("em mồ côi cha mẹ, đang ở với bà", orphan=T, no_guardian=F),
    S("bố mẹ em đều mất rồi", orphan=T),
    S("em mồ côi mẹ", orphan=F),
    S("em đã hưởng chính sách nội trú khi học trung cấp", had_boarding_support=T, previous_level="trung_cap",
      absent=["level"]),
    # --- negation ----------------------------------------------------------------------------
    S("nhà mình không thuộc hộ cận nghèo", household="neither"),
    S("nhà em không phải hộ nghèo", household="neither"),
    S("nhà em chẳng phải hộ nghèo", household="neither"),
    S("nhà em có phải hộ nghèo đâu", household="neither"),
    S("nhà em không phải là hộ nghèo hay cận nghèo gì cả", household="neither"),
    S("nhà em không có sổ hộ nghèo", household="neither"),
    S("không phải hộ nghèo mà là hộ cận nghèo", household="near_poor"),
    S("em không phải người Kinh", ethnicity="minority", absent=["ethnic_group"]),
    S("em không phải người dân tộc thiểu số", ethnicity="kinh"),
    S("em không phải người Thái", absent=["ethnic_group", "ethnicity"]),
    S("em không bị khuyết tật", disabled=F),
    S("em không ở vùng khó khăn", residence={"kho_khan": F, "dbkk": F}),
    S("nhà em không thuộc thôn đặc biệt khó khăn", residence={"dbkk": F}),
    S("nhà em không thuộc vùng nào cả", residence={"dbkk": F, "kho_khan": F, "vung_dtts": F, "bien_gioi": F, "hai_dao": F}),
    S("em chưa tốt nghiệp THCS", lower_secondary_graduate=F),
    S("em không học trung cấp, em học cao đẳng", level="cao_dang"),
    S("em không mồ côi", orphan=F),
    S("em chưa hưởng chính sách nội trú lần nào", had_boarding_support=F),
    S("em đã được học bổng QĐ 53 khi học trung cấp rồi, giờ em học tiếp cao đẳng", had_boarding_support=T,
      level="cao_dang"),
    S("em chưa được hưởng qđ 53", had_boarding_support=F),
    S("em không học trường tư", public_school=T),
    S("nhà em hộ nghèo, em người Thái, có được miễn học phí không", household="poor", ethnic_group="Thái"),
    S("em người Thái có được hỗ trợ gì không nhà em hộ nghèo", household="poor", ethnic_group="Thái"),
    # --- hesitation and vague words: asked, not guessed ----------------------------------------
    S("em không biết nhà có thuộc hộ nghèo không", absent=["household"], unclear=["household"]),
    S("nhà em nghèo lắm", absent=["household"], unclear=["household"]),
    S("gia đình em hoàn cảnh khó khăn", absent=["household", "residence"], unclear=["household"]),
    S("hình như nhà em là hộ cận nghèo", absent=["household"], unclear=["household"]),
    S("em ở vùng cao", absent=["residence"], unclear=["residence"]),
    S("em mồ côi", absent=["orphan"], unclear=["orphan"]),
    S("trung cấp hay cao đẳng thì được nhiều hơn", absent=["level"], unclear=["level"]),
    # --- corrections ---------------------------------------------------------------------------
    S("em muốn học cao đẳng, à nhầm, em học trung cấp", level="trung_cap"),
    S("không phải cao đẳng mà là trung cấp", level="trung_cap"),
    S("em học trung cấp chứ không phải cao đẳng", level="trung_cap"),
    S("em người Tày, xin lỗi nhầm, em người Thái", ethnic_group="Thái"),
    S("nhà em hộ nghèo, à không, hộ cận nghèo", household="near_poor"),
    S("em học sơ cấp, sửa lại là trung cấp", level="trung_cap"),
    S("con học trung cấp à không, cao đẳng ạ", level="cao_dang"),
    S("em nhầm, nhà em là hộ cận nghèo chứ không phải hộ nghèo", household="near_poor"),
    S("nhà cháu không phải hộ nghèo mà là hộ cận nghèo", household="near_poor"),
    S("em định học cao đẳng, à quên, sơ cấp thôi", level="so_cap"),
    S("nhà em à không phải hộ nghèo, em học trung cấp", level="trung_cap", household="neither"),
    # --- the speaker and other people ----------------------------------------------------------
    S("nhà bác em không phải hộ nghèo", absent=["household"]),
    S("nhà bác em hộ nghèo, em người Dao", absent=["household"], ethnic_group="Dao"),
    S("mẹ em bị khuyết tật", absent=["disabled"]),
    # A parent who will study is the learner; "mẹ" and "bố" say the sex the working age depends on.
    S("Mẹ chị 57 tuổi cũng muốn học sơ cấp", age=57, sex="female", level="so_cap"),
    S("bố em 58 tuổi muốn học nghề", age=58, sex="male"),
    S("mẹ em bị khuyết tật, em muốn học trung cấp", absent=["disabled", "sex"], level="trung_cap"),
    S("mẹ em người Thái, bố người Kinh", absent=["ethnicity"], unclear=["ethnicity"]),
    S("bố mẹ em đều là người Mông", ethnic_group="Mông"),
    S("bố em là thương binh", meritorious=T),
    S("ông em là liệt sĩ", absent=["meritorious"], unclear=["meritorious"]),
    S("bố em bị tai nạn lao động", parent_work_accident=T),
    S("nhà em hộ nghèo, bố bị tai nạn lao động", household="poor", parent_work_accident=T),
    S("em bị tai nạn lao động", absent=["parent_work_accident"]),
    S("con tôi người Thái muốn học trung cấp", ethnic_group="Thái", level="trung_cap", learner="child"),
    S("con tôi muốn học cao đẳng, nhà tôi hộ cận nghèo", household="near_poor", level="cao_dang", learner="child"),
    S("tôi là thương binh, con tôi học trung cấp", meritorious=T, level="trung_cap", learner="child"),
    S("tôi bị khuyết tật, con tôi muốn học trung cấp", absent=["disabled"], learner="child"),
    S("cháu nhà tôi là người Lự, muốn học sơ cấp", ethnic_group="Lự", level="so_cap", learner="child"),
    S("bạn em người Mảng muốn học sơ cấp", ethnic_group="Mảng", level="so_cap", learner="other"),
    S("em hỏi cho bạn em, bạn ấy là người Si La", ethnic_group="Si La", learner="other"),
    S("em trai em muốn học trung cấp, nhà em hộ nghèo", household="poor", level="trung_cap", learner="sibling"),
    S("cô em là người Thái, em là người Kinh", ethnicity="kinh", ethnic_group="Kinh"),
    S("chị gái em học cao đẳng, em muốn học trung cấp", level="trung_cap"),
    S("bác em là liệt sĩ, em muốn học cao đẳng", absent=["meritorious"], level="cao_dang"),
    # --- a level named in passing is not the level wanted --------------------------------------
    S("em muốn học trung cấp ở trường cao đẳng của tỉnh", level="trung_cap"),
    S("em học ở trường cao đẳng của tỉnh", absent=["level"]),
    S("em muốn vào Trường Cao đẳng Lai Châu học nghề", absent=["level"]),
    S("em tốt nghiệp trung cấp rồi, giờ muốn học lên cao đẳng", previous_level="trung_cap", level="cao_dang"),
    S("em có bằng trung cấp, muốn liên thông lên cao đẳng", previous_level="trung_cap", level="cao_dang"),
    S("em đang học trung cấp", level="trung_cap"),
    # --- long stories ----------------------------------------------------------------------------
    S("Dạ em chào thầy cô, em năm nay 16 tuổi, là người Mông ở xã Pa Tần, nhà em thuộc hộ nghèo, "
      "em vừa học xong lớp 9 và muốn học trung cấp nghề ở trường công lập, cho em hỏi em được hỗ trợ những gì ạ",
      age=16, ethnic_group="Mông", commune="Pa Tần", household="poor", lower_secondary_graduate=T, level="trung_cap",
      public_school=T),
    S("Tôi là mẹ của cháu, nhà tôi ở bản đặc biệt khó khăn, cả nhà là người Dao, nhà không phải hộ nghèo nhưng là hộ "
      "cận nghèo, con tôi muốn học cao đẳng ở trường của tỉnh", learner="child", residence={"dbkk": T},
      ethnic_group="Dao", household="near_poor", level="cao_dang"),
    S("em là bộ đội xuất ngũ, người Kinh, 22 tuổi, nhà ở xã biên giới, gia đình hộ cận nghèo, muốn học trung cấp",
      ethnicity="kinh", age=22, residence={"bien_gioi": T}, household="near_poor", level="trung_cap"),
    S("em mồ côi cả cha lẫn mẹ từ nhỏ, giờ ở với bác, bác em không phải hộ nghèo, em muốn học cao đẳng",
      orphan=T, no_guardian=F, absent=["household"], level="cao_dang"),
    S("em người Thái, bố mẹ em làm nương, nhà em không thuộc hộ nghèo, em học trường dân tộc nội trú, giờ muốn học "
      "trung cấp", ethnic_group="Thái", household="neither", boarding_school_graduate=T, level="trung_cap"),
    # --- without diacritics and in shorthand -------------------------------------------------------
    S("e nguoi mong ho ngheo hoc cao dang", ethnic_group="Mông", household="poor", level="cao_dang"),
    S("e ng thai, nha ho can ngheo, hoc tc", ethnic_group="Thái", household="near_poor", level="trung_cap"),
    S("nha e k phai ho ngheo", household="neither"),
    S("nha e ko phai ho ngheo dau", household="neither"),
    S("e ko bi khuyet tat", disabled=F),
    S("e mo coi ca cha lan me k co ai nuoi", orphan=T, no_guardian=T),
    S("e la nguoi kinh o xa bien gioi", ethnicity="kinh", residence={"bien_gioi": T}),
    S("e o xa dbkk, hoc cd", residence={"dbkk": T}, level="cao_dang"),
    S("me e nguoi thai", absent=["ethnicity"], unclear=["ethnicity"]),
    S("bo e la thuong binh", meritorious=T),
    S("e bo hoc tu lop 8, nha ho ngheo", household="poor", absent=["meritorious", "parent_work_accident"]),
    S("nha bac e ko phai ho ngheo", absent=["household"]),
    S("e hoc he vua lam vua hoc", regular_programme=F),
    S("e muon hoc cao dang, a nham, trung cap", level="trung_cap"),
    S("con toi nguoi dao muon hoc trung cap", ethnic_group="Dao", level="trung_cap", learner="child"),
]


@pytest.mark.parametrize("text, facts, absent, unclear", ROWS, ids=[f"{i:03d} {r[0][:50]}" for i, r in enumerate(ROWS)])
def test_reading(kb, text, facts, absent, unclear):
    profile = extract_for(kb, text, day=DAY)
    got = profile.as_slot()
    for fact, value in facts.items():
        if fact == "residence":
            for cat, v in value.items():
                assert profile.residence.get(cat) is v, (text, got)
        elif fact == "learner":
            assert profile.learner == value, (text, got)
        else:
            assert profile.get(fact) == value, (text, fact, got)
    for fact in absent:
        assert profile.get(fact) is None, (text, fact, got)
    for fact in unclear:
        assert fact in profile.unclear, (text, fact, got)


def test_at_least_a_hundred_sentences():
    assert len(ROWS) >= 100


def test_a_later_message_corrects_an_earlier_one(kb):
    from bot.profile import Profile

    first = Profile().updated(read("em người Thái, nhà hộ nghèo, học cao đẳng", kb, DAY))
    second = first.updated(read("à nhầm, em học trung cấp, nhà em không phải hộ nghèo", kb, DAY))
    assert (second.level, second.household, second.ethnic_group) == ("trung_cap", "neither", "Thái")
    third = second.updated(read("không phải người Thái, em là người Kinh", kb, DAY))
    assert (third.ethnic_group, third.ethnicity) == ("Kinh", "kinh")
    fourth = third.updated(read("em không học trung cấp", kb, DAY))
    assert fourth.level is None
