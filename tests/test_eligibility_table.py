"""Thirty-one realistic profiles, each with the supports and monthly amounts worked out by hand
from the documents in knowledge_base/policies (QĐ 53/2015 Điều 2-3, NĐ 238/2025 Điều 15-16,
NĐ 57/2017) and the dated lương cơ sở (2.340.000 đ to 30/6/2026, 2.530.000 đ from 01/7/2026).

Only supports the person is certainly entitled to are listed; supports that depend on a fact
they did not give are "possible" (tested elsewhere). Tuition: only the highest exemption.
QĐ 53 scholarship: one tier, the highest. Travel: 300.000 đ/năm if residence is đặc biệt khó
khăn, otherwise 200.000 đ/năm.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.eligibility import evaluate
from bot.profile import extract

NOV, JUN = dt.date(2026, 11, 22), dt.date(2026, 6, 30)
QD53_REST = {"ho_tro_mot_lan": None, "ho_tro_tet": None}
FAR = {"tien_di_lai_dbkk": None}     # 300.000 đ/năm
NEAR = {"tien_di_lai_khac": None}    # 200.000 đ/năm
MIEN = {"mien_hoc_phi": None}

PROFILES = [
    (NOV, "em người Thái, hộ cận nghèo, học trung cấp",
     {**MIEN, "hoc_bong_100": 2_530_000, **QD53_REST, **NEAR}),
    (NOV, "em người Mông hộ nghèo ở xã đặc biệt khó khăn học cao đẳng",
     {**MIEN, "hoc_bong_100": 2_530_000, **QD53_REST, **FAR}),
    (NOV, "em người Kinh hộ nghèo ở xã đặc biệt khó khăn học trung cấp",
     {"hoc_bong_60": 1_518_000, **QD53_REST, **FAR}),
    (NOV, "em người Kinh hộ nghèo học trung cấp", {}),
    (NOV, "em người Dao bị khuyết tật học cao đẳng",
     {**MIEN, "hoc_bong_100": 2_530_000, **QD53_REST, **NEAR}),
    (NOV, "em người Kinh bị khuyết tật ở vùng đặc biệt khó khăn học trung cấp",
     {**MIEN, "hoc_bong_80": 2_024_000, **QD53_REST, **FAR}),
    (NOV, "em tốt nghiệp trường phổ thông dân tộc nội trú, học cao đẳng",
     {"hoc_bong_80": 2_024_000, **QD53_REST, **NEAR}),
    (NOV, "em người Thái tốt nghiệp trường dân tộc nội trú, nhà hộ nghèo, học trung cấp",
     {**MIEN, "hoc_bong_100": 2_530_000, **QD53_REST, **NEAR}),
    (NOV, "em là người La Hủ ở vùng đặc biệt khó khăn học cao đẳng",
     {**MIEN, "ho_tro_hoc_tap_gdnn": 2_530_000}),
    (NOV, "em là người Mảng học sơ cấp", {"ho_tro_hoc_tap_gdnn": 2_530_000}),
    (NOV, "em là người Si La, nhà hộ nghèo, học trung cấp",
     {**MIEN, "ho_tro_hoc_tap_gdnn": 2_530_000, "hoc_bong_100": 2_530_000, **QD53_REST, **NEAR}),
    (NOV, "em mồ côi cả cha lẫn mẹ, học trung cấp", MIEN),
    (NOV, "em mồ côi cả cha lẫn mẹ, học sơ cấp", {}),
    (NOV, "em là con thương binh, học cao đẳng", MIEN),
    (NOV, "bố em bị tai nạn lao động đang hưởng trợ cấp, em học trung cấp", {"giam_50": None}),
    (NOV, "em học xong lớp 9, muốn học trung cấp", MIEN),
    (NOV, "em tốt nghiệp THCS, muốn học cao đẳng", {}),
    (NOV, "em người Tày ở thôn đặc biệt khó khăn học cao đẳng", {"giam_70": None}),
    (NOV, "em người Thái ở bản đặc biệt khó khăn, nhà cận nghèo, học trung cấp",
     {**MIEN, "hoc_bong_100": 2_530_000, **QD53_REST, **FAR}),
    (NOV, "em người Kinh học cao đẳng", {}),
    (NOV, "em người Hà Nhì hộ nghèo học sơ cấp", MIEN),
    (NOV, "em học cử tuyển, học cao đẳng", MIEN),
    (NOV, "em người Giáy hộ cận nghèo, bị khuyết tật, học cao đẳng",
     {**MIEN, "hoc_bong_100": 2_530_000, **QD53_REST, **NEAR}),
    (NOV, "em bị khuyết tật", MIEN),
    (NOV, "em người Lự ở xã khó khăn", {**MIEN, "ho_tro_hoc_tap_gdnn": 2_530_000}),
    (NOV, "nhà em hộ nghèo, em học trung cấp", {}),
    (JUN, "em người Thái hộ cận nghèo học trung cấp",
     {**MIEN, "hoc_bong_100": 2_340_000, **QD53_REST, **NEAR}),
    (JUN, "em người Kinh khuyết tật ở xã đặc biệt khó khăn học cao đẳng",
     {**MIEN, "hoc_bong_80": 1_872_000, **QD53_REST, **FAR}),
    (JUN, "em người Kinh hộ nghèo ở vùng đặc biệt khó khăn học cao đẳng",
     {"hoc_bong_60": 1_404_000, **QD53_REST, **FAR}),
    (JUN, "em là người Cống, học cao đẳng", {"ho_tro_hoc_tap_gdnn": 2_340_000}),
    (NOV, "em người Mông hộ nghèo, bố bị tai nạn lao động, học trung cấp",
     {**MIEN, "hoc_bong_100": 2_530_000, **QD53_REST, **NEAR}),
]


@pytest.mark.parametrize("day, text, expected", PROFILES, ids=[p[1] for p in PROFILES])
def test_profile(kb, day, text, expected):
    profile = extract(text, kb.policies["nd57"].ethnic_groups)
    result = evaluate(profile, kb, day)
    assert {e.benefit.id: e.monthly_amount for e in result.entitled} == expected


def test_at_least_thirty_profiles():
    assert len(PROFILES) >= 30
