"""The knowledge base: schema, sources on every fact, money computed for a date."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.kb.loader import load
from bot.kb.validate import _walk_sources, validate_dir

ROOT = Path(__file__).resolve().parents[1]
KB = ROOT / "knowledge_base"


def test_real_knowledge_base_is_valid(kb):
    _, problems = validate_dir(KB)
    assert problems == []
    assert len(kb.programmes) >= 15
    assert {"nd238", "qd53", "nd57", "nq72"} <= set(kb.policies)


def test_every_policy_group_benefit_paper_and_note_names_its_source(kb):
    for policy in kb.policies.values():
        items = list(policy.groups) + list(policy.benefits) + list(policy.papers) + list(policy.notes)
        for item in items:
            assert item.source.document.id in kb.documents, (policy.id, item)
            assert item.source.verification in ("verified", "secondary", "unverified")


def test_every_fact_in_every_file_has_a_known_source_document():
    documents = {d["id"] for d in yaml.safe_load((KB / "sources.yml").read_text())["documents"]}
    counted = 0
    for path in KB.rglob("*.yml"):
        if path.name == "sources.yml":
            continue
        for _, source in _walk_sources(yaml.safe_load(path.read_text())):
            assert source["document"] in documents, (path, source)
            counted += 1
    assert counted > 100


def test_programmes_are_draft_until_confirmed(kb):
    assert all(p.status in ("draft", "confirmed") for p in kb.programmes)
    assert all(p.is_draft for p in kb.programmes), "the catalogue is not confirmed by the college yet"


def test_unverified_policy_carries_no_amounts(kb):
    nq72 = kb.policies["nq72"]
    assert nq72.benefits == () and nq72.groups == ()
    assert nq72.open_questions


def test_replaced_decrees_are_not_cited_as_current(kb):
    for policy in kb.policies.values():
        assert policy.document.status != "replaced"
    texts = " ".join(p.summary.text for p in kb.policies.values())
    assert "NĐ 81/2021" in texts  # named only as what NĐ 238 replaced
    assert "thay thế NĐ 81/2021" in kb.policies["nd238"].summary.text


@pytest.mark.parametrize(
    "day, amount",
    [
        (dt.date(2024, 7, 1), 2_340_000),
        (dt.date(2026, 6, 30), 2_340_000),
        (dt.date(2026, 7, 1), 2_530_000),
        (dt.date(2026, 11, 22), 2_530_000),
    ],
)
def test_base_salary_by_date(kb, day, amount):
    assert kb.salary.on(day).amount == amount


def test_no_base_salary_known_before_the_table_starts(kb):
    with pytest.raises(LookupError):
        kb.salary.on(dt.date(2020, 1, 1))


@pytest.mark.parametrize(
    "day, expected",
    [
        (dt.date(2026, 6, 30), {100: 2_340_000, 80: 1_872_000, 60: 1_404_000}),
        (dt.date(2026, 7, 1), {100: 2_530_000, 80: 2_024_000, 60: 1_518_000}),
    ],
)
def test_scholarship_tiers_are_computed_from_the_dated_table(kb, day, expected):
    tiers = {b.percent: b.monthly_amount(kb.salary, day) for b in kb.policies["qd53"].benefits
             if b.kind == "percent_of_base_salary"}
    assert tiers == expected


def test_nd57_vocational_support_is_100_percent(kb):
    benefit = kb.policies["nd57"].benefits[0]
    assert benefit.monthly_amount(kb.salary, dt.date(2026, 8, 1)) == 2_530_000


# --- the validator rejects bad entries, naming file, entry and field ------------------

@pytest.fixture
def kb_copy(tmp_path) -> Path:
    target = tmp_path / "knowledge_base"
    shutil.copytree(KB, target)
    return target


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def _messages(root: Path):
    return [str(p) for p in validate_dir(root)[1]]


def test_benefit_without_source_is_rejected(kb_copy):
    _edit(kb_copy / "policies" / "qd53_2015.yml", lambda d: d["policy"]["benefits"][0].pop("source"))
    assert "knowledge_base/policies/qd53_2015.yml: entry 'hoc_bong_100', field 'source': is required" in _messages(kb_copy)


def test_unknown_source_document_is_rejected(kb_copy):
    def change(d):
        d["programmes"][0]["source"]["document"] = "tin_don"
    _edit(kb_copy / "programmes.yml", change)
    first_id = yaml.safe_load((kb_copy / "programmes.yml").read_text())["programmes"][0]["id"]
    assert any(m.startswith(f"knowledge_base/programmes.yml: entry '{first_id}', field 'source.document': unknown document 'tin_don'")
               for m in _messages(kb_copy))


def test_bad_verification_value_is_rejected(kb_copy):
    def change(d):
        d["policy"]["groups"][0]["source"]["verification"] = "chắc chắn"
    _edit(kb_copy / "policies" / "nd57_2017.yml", change)
    messages = _messages(kb_copy)
    assert any("entry 'dtts_rat_it_nguoi', field 'source.verification'" in m for m in messages), messages


def test_percentage_benefit_typed_as_money_is_rejected(kb_copy):
    def change(d):
        benefit = d["policy"]["benefits"][0]
        benefit.pop("percent")
        benefit["amount"] = 2530000
    _edit(kb_copy / "policies" / "qd53_2015.yml", change)
    messages = _messages(kb_copy)
    assert any("entry 'hoc_bong_100', field 'percent': is required" in m for m in messages), messages


def test_benefit_for_unknown_group_is_rejected(kb_copy):
    _edit(kb_copy / "policies" / "qd53_2015.yml", lambda d: d["policy"]["benefits"][0]["groups"].append("ma_nhom_sai"))
    assert "knowledge_base/policies/qd53_2015.yml: entry 'hoc_bong_100', field 'groups': unknown group 'ma_nhom_sai'" in _messages(kb_copy)


def test_condition_on_an_unknown_fact_or_value_is_rejected(kb_copy):
    def change(d):
        d["policy"]["groups"][0]["conditions"]["thu_nhap"] = "thap"
        d["policy"]["groups"][1]["conditions"]["household"] = ["rat_ngheo"]
    _edit(kb_copy / "policies" / "qd53_2015.yml", change)
    messages = _messages(kb_copy)
    assert ("knowledge_base/policies/qd53_2015.yml: entry 'dtts_ngheo', field 'conditions.thu_nhap': "
            "unknown fact 'thu_nhap' (not in person_facts.yml)") in messages
    assert ("knowledge_base/policies/qd53_2015.yml: entry 'dtts_khuyet_tat', field 'conditions.household': "
            "'rat_ngheo' is not a value of fact 'household'") in messages


def test_residence_category_must_exist(kb_copy):
    def change(d):
        d["policy"]["groups"][3]["conditions"]["residence"] = ["vung_sau"]
    _edit(kb_copy / "policies" / "qd53_2015.yml", change)
    assert ("knowledge_base/policies/qd53_2015.yml: entry 'kinh_ngheo_vung', field 'conditions.residence': "
            "'vung_sau' is not a value of fact 'residence'") in _messages(kb_copy)


def test_doubt_and_exclusion_conditions_are_checked(kb_copy):
    def change(d):
        d["policy"]["scope"]["doubts"][0]["when"] = {"truong": "tu"}
        d["policy"]["scope"]["exclusions"][0]["ask_when"] = {"previous_level": ["dai_hoc"]}
        d["policy"]["benefits"][2]["doubts"][0]["groups"] = ["dtts_ngheo"]
    _edit(kb_copy / "policies" / "qd53_2015.yml", change)
    messages = _messages(kb_copy)
    assert any("entry 'private_school', field 'scope.doubts.when.truong': unknown fact 'truong'" in m for m in messages), messages
    assert any("entry 'once_only', field 'scope.exclusions.ask_when.previous_level': 'dai_hoc' is not a value" in m
               for m in messages), messages
    assert any("entry 'hoc_bong_60', field 'doubts.groups': group 'dtts_ngheo' is not a group of this benefit" in m
               for m in messages), messages


def test_unknown_months_per_year_need_their_options(kb_copy):
    _edit(kb_copy / "policies" / "qd53_2015.yml", lambda d: d["policy"]["benefits"][0].pop("months_per_year_options"))
    assert any("entry 'hoc_bong_100', field 'months_per_year_options': months per year unknown" in m for m in _messages(kb_copy))


def test_stacking_rule_naming_an_unknown_benefit_is_rejected(kb_copy):
    _edit(kb_copy / "stacking.yml", lambda d: d["rules"][0]["benefits"].append("nd238.mien_tat_ca"))
    assert "knowledge_base/stacking.yml: entry 'nd238_one_level', field 'benefits': unknown benefit 'nd238.mien_tat_ca'" \
        in _messages(kb_copy)


def test_question_and_commune_vocabulary_is_checked(kb_copy):
    def questions(d):
        d["questions"][2]["choices"][0]["sets"] = {"household": "rat_ngheo"}
    _edit(kb_copy / "support_questions.yml", questions)

    def communes(d):
        d["communes"][0]["categories"][0]["category"] = "vung_sau"
        d["communes"][1]["name"] = d["communes"][0]["name"]
    _edit(kb_copy / "residence.yml", communes)
    messages = _messages(kb_copy)
    assert any("support_questions.yml: entry 'household', field 'choices.ho_ngheo.sets': 'rat_ngheo' is not a value" in m
               for m in messages), messages
    assert any("residence.yml: entry 'Mường Kim', field 'categories': unknown residence category 'vung_sau'" in m
               for m in messages), messages
    assert any("residence.yml: entry 'Mường Kim', field 'name': duplicate commune name" in m for m in messages), messages


def test_unconfirmed_office_hours_promise_no_time(kb):
    import datetime as dt

    from bot import office_hours
    from bot.clock import VIETNAM

    hours = kb.contacts.office_hours
    assert not hours.confirmed
    sunday_night = dt.datetime(2026, 12, 6, 22, 0, tzinfo=VIETNAM)
    text = office_hours.when_we_answer(hours, sunday_night)
    assert "đang chờ trường xác nhận" in text and ":" not in text.split(";")[0]


def test_confirmed_office_hours_skip_days_off(kb):
    import dataclasses
    import datetime as dt

    from bot import office_hours
    from bot.clock import VIETNAM

    hours = dataclasses.replace(kb.contacts.office_hours, schedule="mon-fri 07:30-11:30,13:30-17:00",
                                verification="verified", closed=(dt.date(2026, 12, 7),))
    sunday_night = dt.datetime(2026, 12, 6, 22, 0, tzinfo=VIETNAM)
    assert office_hours.when_we_answer(hours, sunday_night).startswith(
        "Hiện đang ngoài giờ làm việc; cán bộ tư vấn sẽ trả lời bạn từ 07:30 thứ Ba (08/12)")
    monday_morning = dt.datetime(2026, 12, 8, 9, 0, tzinfo=VIETNAM)
    assert office_hours.when_we_answer(hours, monday_morning) == ""


def test_the_admissions_unit_comes_from_the_plan(kb):
    unit = kb.contacts.department
    assert unit.text == "bộ phận tuyển sinh" and unit.source.verification == "verified"
    assert "Phòng Đào tạo" not in (KB / "contacts.yml").read_text(encoding="utf-8").split("department:")[1].split("\n")[0]


def test_the_seeds_are_drafts_and_communes_are_the_38_of_2025(kb):
    assert kb.documents["kh_truyen_thong_gdnn_2026"].status == "draft"
    assert kb.documents["kh_huong_nghiep_2026_2030"].status == "draft"
    assert len(kb.residence.communes) == 38
    border = {c.name for c in kb.residence.communes if "bien_gioi" in c.categories}
    assert border == {"Thu Lũm", "Pa Tần", "Bum Nưa", "Hua Bum", "Dào San"}  # only those a source names
    assert sum(1 for c in kb.residence.communes if "dbkk" in c.categories) == 32


def test_alias_shared_by_two_programmes_is_rejected(kb_copy):
    def change(d):
        d["programmes"][1]["aliases"].append(d["programmes"][0]["name"].upper())
    _edit(kb_copy / "programmes.yml", change)
    assert any("field 'aliases': " in m and "is also a name of" in m for m in _messages(kb_copy))


def test_citing_a_replaced_decree_is_rejected(kb_copy):
    def change(d):
        d["policy"]["benefits"][0]["source"]["document"] = "nd73_2024"
    _edit(kb_copy / "policies" / "qd53_2015.yml", change)
    assert any("has been replaced" in m for m in _messages(kb_copy))


def test_yaml_syntax_error_names_the_line(kb_copy):
    (kb_copy / "faqs.yml").write_text("faqs:\n  - id: x\n    topic: [unclosed\n")
    messages = _messages(kb_copy)
    assert any(m.startswith("knowledge_base/faqs.yml: entry '(file)', field 'line ") for m in messages), messages


def test_cli_validate_exit_codes(kb_copy):
    ok = subprocess.run([sys.executable, "-m", "bot", "kb", "validate", "--dir", str(KB)],
                        capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0 and "knowledge base OK" in ok.stdout
    _edit(kb_copy / "policies" / "qd53_2015.yml", lambda d: d["policy"]["benefits"][0].pop("source"))
    bad = subprocess.run([sys.executable, "-m", "bot", "kb", "validate", "--dir", str(kb_copy)],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 1
    assert "entry 'hoc_bong_100', field 'source': is required" in bad.stderr


def test_loader_refuses_an_invalid_folder(kb_copy):
    from bot.kb.validate import KBInvalid

    _edit(kb_copy / "base_salary.yml", lambda d: d["base_salary"].reverse())
    with pytest.raises(KBInvalid, match="increasing date order"):
        load(kb_copy)


def test_generated_nlu_lookups_are_up_to_date(kb):
    from bot.nlu.lookups import OUTPUT, render

    assert OUTPUT.read_text(encoding="utf-8") == render(kb), "run: python -m bot nlu generate"


def test_knowledge_base_reloads_when_a_file_changes(tmp_path, monkeypatch):
    import os
    import shutil

    from bot.kb import get_kb

    copy = tmp_path / "knowledge_base"
    shutil.copytree("knowledge_base", copy)
    monkeypatch.setenv("KB_DIR", str(copy))
    before = len(get_kb().faqs)
    faqs = copy / "faqs.yml"
    faqs.write_text(faqs.read_text(encoding="utf-8") + """
  - id: them_moi
    topic: student_life
    question: "Câu hỏi thêm?"
    keywords: [câu hỏi thêm]
    answer: "Trả lời."
    source: {document: college_catalogue_draft, verification: unverified}
""", encoding="utf-8")
    os.utime(faqs, (faqs.stat().st_atime, faqs.stat().st_mtime + 5))
    assert len(get_kb().faqs) == before + 1


@pytest.mark.parametrize("typed, named", [
    ("hoc may thang", []), ("nop may lan", []), ("hoc may nam thi xong", []),  # mấy, not may
    ("hoc nghe may", ["May thời trang"]), ("truong co day may khong", ["May thời trang"]),
])
def test_accent_free_may_is_the_trade_only_when_it_does_not_count_something(kb, typed, named):
    from bot.kb.matching import matcher_for

    assert [p.name for p in matcher_for(kb).programmes_in(typed)] == named
