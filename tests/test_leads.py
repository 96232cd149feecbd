"""Leads: phone numbers, the form's reading of answers, saving, merging, the outbox, erasing, export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.leads import form, outbox, service
from bot.leads.phone import find_phone, mask_phone, normalise_phone
from bot.leads.service import LeadInput
from bot.storage.db import session_scope
from bot.storage.models import DeletionRequest, Lead

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("typed, stored", [
    ("0912345678", "0912345678"), ("0912 345 678", "0912345678"), ("0912.345.678", "0912345678"),
    ("+84 912 345 678", "0912345678"), ("84912345678", "0912345678"), ("912345678", "0912345678"),
    ("0387-654-321", "0387654321"), ("0123456789", None), ("091234567", None), ("02133876543", None),
    ("abc", None), ("", None),
])
def test_vietnamese_mobile_numbers_normalise_to_one_form(typed, stored):
    assert normalise_phone(typed) == stored


def test_phone_found_inside_a_sentence_and_masked_for_logs():
    assert find_phone("số của em là 098-765-4321 ạ") == "0987654321"
    assert mask_phone("0987654321") == "098****321"


# --- reading the form's answers ------------------------------------------------------

@pytest.mark.parametrize("typed, name", [
    ("Lò Văn Minh", "Lò Văn Minh"), ("em tên là lò thị hoa ạ", "Lò Thị Hoa"), ("tôi là Nguyễn Văn An", "Nguyễn Văn An"),
    ("GIÀNG A DÌNH", "Giàng A Dình"), ("Tên em là Lường Thị Hoa ạ", "Lường Thị Hoa"), ("Họ tên: Lò Văn Minh", "Lò Văn Minh"),
    # Names that hold words of a question: capitalised as names, they stay names.
    ("Lò Thị Mây", "Lò Thị Mây"), ("Khổng Văn Được", "Khổng Văn Được"), ("Vàng A Chưa", "Vàng A Chưa"),
    ("Lo Thi May", "Lo Thi May"),  # without diacritics, capitalised: a name
])
def test_names(kb, typed, name):
    assert form.validate("lead_name", typed, {}, kb).slots == {"lead_name": name}


@pytest.mark.parametrize("typed", ["cảm ơn", "cảm ơn bạn nhiều ạ", "ok bạn", "hihi", "chào bạn", "vâng ạ"])
def test_thanks_and_chit_chat_are_never_stored_as_a_name_and_the_question_is_asked_again(kb, typed):
    result = form.validate("lead_name", typed, {"lead_programmes": ["han"]}, kb)
    assert result.slots == {"lead_name": None} and result.message is None  # no scolding for a thanks


@pytest.mark.parametrize("typed", ["học phí nghề may bao nhiêu?", "tên mình là gì nhỉ", "trường ở đâu",
                                   "co ho tro gi khong", "hoc phi bao nhieu"])
def test_questions_are_never_stored_as_a_name(kb, typed):
    result = form.validate("lead_name", typed, {"lead_programmes": ["han"]}, kb)
    assert result.slots == {"lead_name": None} and "họ tên" in result.message.text


@pytest.mark.parametrize("typed", ["cảm ơn", "ok", "xã nào cũng được à?"])
def test_thanks_or_a_question_is_not_a_commune(kb, typed):
    assert form.validate("lead_commune", typed, {}, kb).slots == {"lead_commune": None}


@pytest.mark.parametrize("slot, typed, field, value", [
    ("lead_confirm", "em nhầm số, số đúng là 0987 654 321", "lead_phone", "0987654321"),
    ("lead_commune", "à nhầm, số điện thoại là 0987654321", "lead_phone", "0987654321"),
    ("lead_confirm", "sửa tên thành Lò Thị Mai", "lead_name", "Lò Thị Mai"),
    ("lead_confirm", "sửa nghề thành hàn", "lead_programmes", ["han"]),
    ("lead_contact_time", "em nhầm tên, tên đúng là Giàng Thị Sua", "lead_name", "Giàng Thị Sua"),
])
def test_a_correction_that_gives_the_new_value_takes_it_and_keeps_the_rest(kb, slot, typed, field, value):
    before = {"lead_name": "Lò Văn Minh", "lead_phone": "0912345678", "lead_role": "hs_thpt", "lead_programmes": ["may_thoi_trang"]}
    result = form.validate(slot, typed, dict(before), kb)
    assert result.slots == {field: value, "lead_confirm": None, slot: None}  # nothing else; the question asked stays open
    assert result.message.text.startswith("Mình đã sửa ") and " thành " in result.message.text
    after = {**before, **result.slots}
    assert form.required_slots(after)[0] == "lead_name" and all(after[k] for k in before if k != field)


@pytest.mark.parametrize("typed", ["để lúc khác", "để lúc khác nhé", "em đang bận", "lát nữa nhé ạ", "để sau",
                                   "để mai em làm tiếp ạ", "để lúc khác mình trả lời tiếp nhé"])
def test_pausing_words_pause_the_form_at_any_question(kb, typed):
    for slot in ("lead_name", "lead_role", "lead_commune", "lead_confirm"):
        assert form.validate(slot, typed, {"lead_name": "Lò Văn Minh"}, kb).cancel == "paused"


def test_name_with_phone_fills_both(kb):
    result = form.validate("lead_name", "Lò Văn Minh, sđt 0912 345 678", {}, kb)
    assert result.slots == {"lead_name": "Lò Văn Minh", "lead_phone": "0912345678"}


def test_wrong_phone_is_asked_again_and_keeps_the_rest(kb):
    result = form.validate("lead_phone", "0912", {"lead_name": "Lò Văn Minh"}, kb)
    assert result.slots == {"lead_phone": None}
    assert "chưa đúng" in result.message.text and "vẫn được giữ" in result.message.text


@pytest.mark.parametrize("typed, role", [
    ("hs_thcs", "hs_thcs"), ("em học lớp 9", "hs_thcs"), ("Học sinh THPT", "hs_thpt"), ("tôi là phụ huynh", "phu_huynh"),
    ("anh mới ra quân", "bo_doi_xuat_ngu"), ("công nhân", "nguoi_lao_dong"),
    ("bo doi xuat ngu", "bo_doi_xuat_ngu"), ("toi la bo cua chau", "phu_huynh"),
])
def test_roles(kb, typed, role):
    assert form.validate("lead_role", typed, {}, kb).slots == {"lead_role": role}


def test_a_name_corrected_in_the_sentence_and_a_number_given_first_are_taken(kb):
    assert form.validate("lead_name", "Em tên Lò Văn Hùng, à nhầm, Lò Văn Hưng", {}, kb).slots == {"lead_name": "Lò Văn Hưng"}
    early = form.validate("lead_name", "0977 001 122", {}, kb)
    assert early.slots == {"lead_name": None, "lead_phone": "0977001122"}
    assert early.message.text == "Mình đã ghi số điện thoại 0977001122. Bạn cho mình xin thêm họ và tên nhé."
    assert form.validate("lead_role", "phụ huynh, à không, em là học sinh lớp 11", {}, kb).slots == {"lead_role": "hs_thpt"}


def test_a_pupil_who_does_not_say_which_school_is_taken_and_asked_the_age(kb):
    result = form.validate("lead_role", "hoc sinh", {}, kb)
    assert result.slots == {"lead_role": "hoc_sinh"} and result.message is None
    assert form.required_slots({"lead_role": "hoc_sinh"})[3] == "lead_age16"
    assert "Học sinh (chưa rõ cấp)" not in [b.title for b in form.question("lead_role", {}, kb).buttons]


def test_a_thank_you_where_the_phone_is_asked_is_not_a_wrong_number(kb):
    result = form.validate("lead_phone", "cam on a", {"lead_name": "Ly Mi Ca"}, kb)
    assert result.slots == {"lead_phone": None} and result.message is None


def test_minor_needs_a_parent_and_every_pupil_is_asked_the_age(kb):
    # A grade-9 pupil may be 16 or older (late start, a repeated year): the age decides, not the class.
    assert "lead_age16" in form.required_slots({"lead_role": "hs_thcs"})
    assert "lead_parent_consent" in form.required_slots({"lead_role": "hs_thcs", "lead_age16": False})
    assert "lead_parent_consent" not in form.required_slots({"lead_role": "hs_thcs", "lead_age16": True})
    under = form.validate("lead_age16", "chua, e moi 15 tuoi", {"lead_role": "hs_thcs"}, kb)
    assert under.slots == {"lead_age16": False} and "phụ huynh" in under.message.text
    assert "lead_age16" in form.required_slots({"lead_role": "hs_thpt"})
    assert "lead_parent_consent" in form.required_slots({"lead_role": "hs_thpt", "lead_age16": False})
    assert "lead_parent_consent" not in form.required_slots({"lead_role": "hs_thpt", "lead_age16": True})
    assert "lead_age16" not in form.required_slots({"lead_role": "phu_huynh"})


@pytest.mark.parametrize("typed, of_age", [
    ("đủ rồi", True), ("rồi ạ", True), ("em đủ rồi", True), ("du roi", True), ("em 17 tuổi", True), ("18", True),
    ("em sinh năm 2009", True), ("hơn 16 rồi", True),
    ("chưa", False), ("chưa đủ ạ", False), ("em mới 15 tuổi", False), ("dưới 16", False), ("em sinh năm 2012", False),
])
def test_the_age_question_understands_how_people_answer_it(kb, typed, of_age):
    assert form.age16_answer(typed, dt.date(2026, 12, 3)) is of_age


def test_an_answer_that_is_not_an_age_asks_again_and_says_how_to_answer(kb):
    result = form.validate("lead_age16", "không biết nữa", {"lead_name": "Lò Thị Ngọc"}, kb)
    assert result.slots == {"lead_age16": None} and "17 tuổi" in result.message.text


@pytest.mark.parametrize("typed, commune, note", [
    ("xã Tả Lèng", "Tả Lèng", None),
    ("em ở xã Na Sang", None, None),  # not a commune of the list (Điện Biên): kept as typed, below
    ("nha em o Pa Tan", "Pa Tần", None),
    ("em sống ở xã Binh Lu ạ", "Bình Lư", None),
    ("à nhầm, nhà em ở Dào San chứ không phải Mù Cả", "Dào San", None),
    ("em ở Bản Lang", "Khổng Lào", "nay thuộc xã Khổng Lào"),
    ("thị trấn Tam Đường", "Bình Lư", "nay thuộc xã Bình Lư"),
])
def test_a_commune_of_the_province_is_stored_as_the_list_names_it(kb, typed, commune, note):
    result = form.validate("lead_commune", typed, {}, kb)
    if commune is None:
        assert result.slots == {"lead_commune": "Na Sang"}
        # "Tam Đường" alone is as likely the former district (several communes now): kept as typed.
        assert form.validate("lead_commune", "Tam Đường", {}, kb).slots == {"lead_commune": "Tam Đường"}
        return
    assert result.slots == {"lead_commune": commune}
    assert (note in result.message.text) if note else result.message is None


@pytest.mark.parametrize("slot", ["lead_name", "lead_phone", "lead_commune", "lead_confirm"])
def test_cancel_at_any_question(kb, slot):
    assert form.validate(slot, "thôi", {}, kb).cancel == "cancelled"
    assert form.validate(slot, "hủy", {}, kb).cancel == "cancelled"


def test_refusing_consent_ends_without_saving(kb):
    assert form.validate("lead_consent", "không đồng ý", {}, kb).cancel == "no_consent"
    assert form.validate("lead_parent_consent", "chưa", {}, kb).cancel == "no_parent_consent"
    assert form.validate("lead_consent", "đồng ý", {}, kb).slots == {"lead_consent": True}


def test_correction_from_the_summary(kb):
    assert form.validate("lead_confirm", "sửa số điện thoại", {}, kb).slots == {"lead_phone": None, "lead_confirm": None}
    assert form.validate("lead_confirm", "đúng rồi", {}, kb).slots == {"lead_confirm": True}


def test_programmes_and_not_yet(kb):
    assert form.validate("lead_programmes", "điện dân dụng với hàn", {}, kb).slots == {"lead_programmes": ["dien_dan_dung", "han"]}
    assert form.validate("lead_programmes", "chưa biết", {}, kb).slots == {"lead_programmes": []}
    assert form.validate("lead_programmes", "nghề phi công", {}, kb).slots == {"lead_programmes": None}


# --- saving ----------------------------------------------------------------------

@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def make_lead(**kw) -> LeadInput:
    base = dict(reference=service.new_reference(), channel="rest", sender_id="rest:u1", name="Lò Văn Minh",
                phone="098" + str(uuid.uuid4().int)[:7], role="hs_thcs", commune="Bản Lang", programmes=["han"], contact_time="toi",
                is_minor=True, consent_version=form.CONSENT_VERSION, consent_text=form.CONSENT_TEXT, parent_consent=True,
                last_messages=[{"who": "user", "text": "nghề hàn học mấy năm"}], programmes_asked=["han"])
    base.update(kw)
    return LeadInput(**base)


def count(url, model) -> int:
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_lead_rows_with_conversation_history_and_consent(db_url, data_dir):
    lead = make_lead()
    result = service.save(lead, url=db_url)
    assert result.outcome == "created" and result.reference == lead.reference
    with session_scope(db_url) as session:
        row = session.scalar(select(Lead).where(Lead.reference == lead.reference))
        assert (row.name, row.phone, row.role, row.commune, row.programmes, row.status, row.is_minor) == (
            "Lò Văn Minh", lead.phone, "hs_thcs", "Bản Lang", ["han"], "new", True)
        assert row.conversation.last_messages == [{"who": "user", "text": "nghề hàn học mấy năm"}]
        assert [h.to_status for h in row.history] == ["new"]
        assert row.consents[0].text_version == form.CONSENT_VERSION and row.consents[0].parent_consent


def test_saving_the_same_reference_twice_is_a_no_op(db_url, data_dir):
    lead = make_lead(phone="0911111111")
    service.save(lead, url=db_url)
    assert service.save(lead, url=db_url).outcome == "already_saved"
    with session_scope(db_url) as session:
        assert session.scalar(select(func.count()).select_from(Lead).where(Lead.phone == "0911111111")) == 1


def test_same_phone_same_programme_updates_the_existing_lead(db_url, data_dir):
    first = service.save(make_lead(phone="0922222222", commune="Bản Lang"), url=db_url)
    second = service.save(make_lead(phone="0922222222", commune="Hồng Thu", programmes=["han", "dien_dan_dung"]), url=db_url)
    other = service.save(make_lead(phone="0922222222", programmes=["ke_toan"]), url=db_url)
    assert second.outcome == "merged" and second.reference == first.reference
    assert other.outcome == "created"
    with session_scope(db_url) as session:
        merged = session.scalar(select(Lead).where(Lead.reference == first.reference))
        assert merged.commune == "Hồng Thu" and merged.programmes == ["dien_dan_dung", "han"]
        assert len(merged.history) == 2 and len(merged.consents) == 2


def test_another_conversation_with_the_same_phone_never_overwrites_or_learns_the_lead(db_url, data_dir):
    """Review M3: someone who typed another person's phone number was told their reference and
    overwrote their name and xã."""
    victim = service.save(make_lead(sender_id="rest:victim", name="Lò Thị Hoa", phone="0944444444",
                                    commune="Bản Lang", programmes=["dien_cong_nghiep"]), url=db_url)
    forger = service.save(make_lead(sender_id="rest:forger", name="Kẻ Giả Mạo", phone="0944444444",
                                    commune="Giả Mạo", programmes=["dien_cong_nghiep"]), url=db_url)
    assert forger.outcome == "created" and forger.reference != victim.reference
    with session_scope(db_url) as session:
        kept = session.scalar(select(Lead).where(Lead.reference == victim.reference))
        assert (kept.name, kept.commune, len(kept.history)) == ("Lò Thị Hoa", "Bản Lang", 1)
        new = session.scalar(select(Lead).where(Lead.reference == forger.reference))
        assert new.history[0].note == f"Có thể trùng với {victim.reference} (cùng số điện thoại, từ cuộc trò chuyện khác)"


def test_asking_for_a_person_again_while_waiting_adds_to_the_same_ticket(db_url, data_dir):
    me = f"rest:{uuid.uuid4().hex[:8]}"
    waiting = dict(sender_id=me, name=None, phone=None, role=None, commune=None, contact_time=None, is_minor=False,
                   consent_version=None, status=service.STATUS_WAITING_HUMAN)
    first = service.save(make_lead(**waiting, last_messages=[{"who": "user", "text": "cho em gặp cán bộ"}]), url=db_url)
    again = service.save(make_lead(**waiting, last_messages=[{"who": "user", "text": "cho em gặp cán bộ"},
                                                             {"who": "user", "text": "sao chưa ai trả lời ạ"}]), url=db_url)
    other_person = service.save(make_lead(**{**waiting, "sender_id": me + "x"}), url=db_url)
    assert (first.outcome, again.outcome, again.reference) == ("created", "merged", first.reference)
    assert other_person.outcome == "created"
    with session_scope(db_url) as session:
        [row] = session.scalars(select(Lead).where(Lead.sender_id == me))
        assert row.conversation.last_messages[-1]["text"] == "sao chưa ai trả lời ạ"  # the newest messages
        assert [h.note for h in row.history][-1] == "Người học yêu cầu gặp cán bộ thêm lần nữa"
        row.status = "contacted"  # once staff took it up, a new request is a new ticket
    assert service.save(make_lead(**waiting), url=db_url).outcome == "created"


def test_old_lead_outside_the_window_is_not_merged(db_url, data_dir, monkeypatch):
    monkeypatch.setenv("LEAD_DEDUPE_DAYS", "30")
    old = make_lead(phone="0933333333", submitted_at=(dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=40)).isoformat())
    service.save(old, url=db_url)
    assert service.save(make_lead(phone="0933333333"), url=db_url).outcome == "created"


def test_outbox_delivers_every_lead_exactly_once(data_dir):
    attempts = []

    def deliver(payload):
        attempts.append(payload["reference"])
        if len(attempts) == 2:
            raise ConnectionError("database down")

    for i in range(3):
        outbox.put(f"LC-TEST{i}", "s", {"reference": f"LC-TEST{i}"})
    outbox.put("LC-TEST0", "s", {"reference": "LC-TEST0"})  # a retry of the same lead is ignored
    assert outbox.count() == 3
    assert outbox.flush(deliver) == 1 and outbox.count() == 2
    assert outbox.flush(deliver) == 2 and outbox.count() == 0
    assert attempts == ["LC-TEST0", "LC-TEST1", "LC-TEST1", "LC-TEST2"]


def test_submit_queues_when_the_database_is_down_and_delivers_later(data_dir, monkeypatch, sqlite_url):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    down = [service.submit(make_lead(phone=f"09444444{i:02d}")) for i in range(3)]
    assert [r.outcome for r in down] == ["queued"] * 3 and outbox.count() == 3
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    after = service.submit(make_lead(phone="0944444499"))
    assert after.outcome == "created" and outbox.count() == 0
    with session_scope(sqlite_url) as session:
        refs = set(session.scalars(select(Lead.reference)))
    assert {r.reference for r in down} | {after.reference} == refs


def test_erasing_a_person_anonymises_leads_and_deletes_questions(db_url, data_dir):
    from bot.storage import questions

    lead = make_lead(sender_id="rest:erase-me", phone="0955555555")
    service.save(lead, url=db_url)
    questions.record_unanswered("câu hỏi", "rest", "rest:erase-me", "low_confidence", url=db_url)
    assert service.stored_count("rest:erase-me", url=db_url) == 2
    request = service.erase_sender("rest", "rest:erase-me", url=db_url)
    assert (request.leads_anonymised, request.questions_deleted) == (1, 1)
    with session_scope(db_url) as session:
        row = session.scalar(select(Lead).where(Lead.reference == lead.reference))
        assert (row.name, row.phone, row.commune) == (None, None, None) and row.anonymised_at is not None
        assert row.conversation.last_messages == []
    assert service.stored_count("rest:erase-me", url=db_url) == 0
    assert count(db_url, DeletionRequest) >= 1


def test_erasing_reaches_notes_audit_searches_and_counsellor_messages_and_says_so(db_url, data_dir):
    """Review M5: notes, the audit entry of a search for the phone and handoff messages stayed, while
    the bot said nothing was kept."""
    from bot import dialogue, handoff
    from bot.storage.models import AuditEntry, Handoff, HandoffMessage, LeadNote

    me = "rest:erase-all"
    saved = service.save(make_lead(sender_id=me, phone="0977777777"), url=db_url)
    with session_scope(db_url) as session:
        lead = session.scalar(select(Lead).where(Lead.reference == saved.reference))
        session.add(LeadNote(lead_id=lead.id, author="hoa", text="Mẹ em tên Lò Thị Hoa, gọi 0977777777 buổi tối"))
        session.add(AuditEntry(username="hoa", action="search", target="leads", detail="q=0977777777"))
        session.add(AuditEntry(username="hoa", action="search", target="leads", detail="q=Bản Lang"))
    hid = handoff.request(me, "rest", "request_human", url=db_url)
    handoff.record_message(hid, me, "hoa", "Chào em, cô gọi lại nhé.", True, url=db_url)
    erasure = service.erase_sender("rest", me, url=db_url)
    assert (erasure.leads_anonymised, erasure.staff_messages_deleted, erasure.notes_deleted) == (1, 1, 1)
    with session_scope(db_url) as session:
        assert not session.scalars(select(LeadNote.text)).all() or "0977777777" not in " ".join(session.scalars(select(LeadNote.text)))
        details = list(session.scalars(select(AuditEntry.detail)))
        assert "q=0977777777" not in details and "q=Bản Lang" in details
        assert session.scalar(select(func.count()).select_from(HandoffMessage).where(HandoffMessage.sender_id == me)) == 0
        assert session.scalar(select(func.count()).select_from(Handoff).where(Handoff.sender_id == me)) == 0
    text = dialogue.erased_text(erasure)
    assert text.startswith("Đã xóa: 1 đăng ký tư vấn (họ tên, số điện thoại, xã/phường); 1 tin nhắn của cán bộ.")
    assert "cuộc trò chuyện này cũng đã được xóa khỏi máy chủ" in text and "không còn lưu gì" not in text


def test_erasing_a_person_unlinks_their_quiz_result_but_keeps_the_statistics(db_url, data_dir):
    from bot.storage import quiz as quiz_store
    from bot.storage.models import QuizResult

    lead = make_lead(sender_id="rest:quiz-erase", phone="0966666666")
    service.save(lead, url=db_url)
    summary = {"scores": {"R": 5}, "top_types": "R", "levels": ["so_cap"], "place": "near_home",
               "programmes": ["han"], "commune": "Bản Lang"}
    result_id = quiz_store.record_result(summary, "rest", db_url)
    quiz_store.link_to_lead(result_id, lead.reference, db_url)
    service.erase_sender("rest", "rest:quiz-erase", url=db_url)
    with session_scope(db_url) as session:
        row = session.get(QuizResult, result_id)
        assert row.lead_reference is None and row.commune == "Bản Lang" and row.top_types == "R"


def test_export_csv_and_xlsx(sqlite_url, data_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    service.save(make_lead(name="Lò Thị Hoa", phone="0966666666", commune="Bản Lang"), url=sqlite_url)
    env = {"DATABASE_URL": sqlite_url, "ASSISTANT_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "bot", "leads", "export", "--format", "csv"], cwd=ROOT, env=env,
                         capture_output=True)
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert table[0][:5] == ["Mã đăng ký", "Ngày đăng ký", "Trạng thái", "Họ tên", "Số điện thoại"]
    assert table[1][2:7] == ["Mới", "Lò Thị Hoa", "0966666666", "Học sinh THCS", "Bản Lang"]
    assert table[1][7] == "Hàn"
    xlsx = tmp_path / "leads.xlsx"
    done = subprocess.run([sys.executable, "-m", "bot", "leads", "export", "--format", "xlsx", "--output", str(xlsx),
                           "--since", "2020-01-01"], cwd=ROOT, env=env, capture_output=True)
    assert done.returncode == 0, done.stderr
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    assert sheet["A1"].value == "Mã đăng ký" and sheet["D2"].value == "Lò Thị Hoa"
    future = subprocess.run([sys.executable, "-m", "bot", "leads", "export", "--since", "2999-01-01"], cwd=ROOT,
                            env=env, capture_output=True)
    assert len(list(csv.reader(io.StringIO(future.stdout.decode("utf-8").lstrip("\ufeff"))))) == 1
    bad = subprocess.run([sys.executable, "-m", "bot", "leads", "export", "--since", "hôm qua"], cwd=ROOT, env=env,
                         capture_output=True)
    assert bad.returncode == 2 and "Ngày không hợp lệ" in bad.stderr.decode("utf-8")


def test_a_correction_typed_without_accents_and_a_denied_trade_are_read(kb):
    name = form.validate("lead_phone", "e nham, ten e la Vang Thi May", {"lead_name": "Vang Thi Mai"}, kb)
    assert name.slots == {"lead_name": "Vang Thi May", "lead_confirm": None, "lead_phone": None}
    assert name.message.text == "Mình đã sửa họ tên thành Vang Thi May."
    trade = form.validate("lead_confirm", "em nhầm nghề, em muốn học kế toán chứ không phải điện công nghiệp",
                          {"lead_programmes": ["dien_cong_nghiep"]}, kb)
    assert trade.slots["lead_programmes"] == ["ke_toan"]
