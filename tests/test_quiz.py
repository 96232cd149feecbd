"""The career interest quiz: data balance, scoring, constraints, recommendations, reading
answers, pausing, and the anonymous per-commune statistics in SQLite and PostgreSQL."""

from __future__ import annotations

import shutil

import pytest

from bot.advisors import quiz
from bot.kb.loader import load
from bot.kb.validate import validate_dir
from bot.storage import quiz as store
from bot.storage.db import migrate



def answer_all(kb, interest_key="a", level="lop12", place="dau_cung_duoc", commune="bỏ qua"):
    state = quiz.new_state()
    for question in kb.quiz.questions:
        key = level if question.id == "level" else place if question.id == "place" else interest_key
        state = quiz.read(kb.quiz, state, key).state
    return quiz.read(kb.quiz, state, commune).state


def choose(kb, wanted):
    """Answers picking, in every question, the option of the first type in `wanted` offered."""
    answers = {}
    for q in kb.quiz.interest_questions:
        for code in wanted:
            option = next((o for o in q.options if o.type == code), None)
            if option:
                answers[q.id] = option.key
                break
        else:
            answers[q.id] = quiz.NONE_KEY
    return answers


def test_quiz_has_10_to_15_steps_and_balanced_types(kb):
    assert 10 <= quiz.total_steps(kb.quiz) <= 15
    assert {kb.quiz.max_score(t) for t in "RIASEC"} == {6}


def test_unbalanced_quiz_file_is_reported(tmp_path):
    shutil.copytree("knowledge_base", tmp_path / "knowledge_base")
    path = tmp_path / "knowledge_base" / "career_quiz.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("{key: c, type: A, title: \"Vẽ, hát",
                                                               "{key: c, type: R, title: \"Vẽ, hát"), encoding="utf-8")
    _, problems = validate_dir(tmp_path / "knowledge_base")
    messages = [str(p) for p in problems]
    assert any("q01" in m and "type 'R' offered twice" in m for m in messages)
    assert any("each RIASEC type must appear equally often" in m for m in messages)


def test_scores_count_one_point_per_chosen_type(kb):
    answers = choose(kb, "RC")
    points = quiz.scores(kb.quiz, answers)
    assert points["R"] == 6          # R is offered in 6 questions and always chosen there
    assert points["C"] == 3          # the 6 C questions minus q05, q09, q11, which also offer R
    assert points["I"] == points["A"] == points["S"] == points["E"] == 0
    assert quiz.top_types(points) == ["R", "C"]


def test_none_of_these_scores_nothing(kb):
    answers = {q.id: quiz.NONE_KEY for q in kb.quiz.interest_questions}
    assert sum(quiz.scores(kb.quiz, answers).values()) == 0
    assert quiz.top_types(quiz.scores(kb.quiz, answers)) == []


def test_top_types_keep_ties(kb):
    assert quiz.top_types({"R": 4, "I": 3, "A": 3, "S": 0, "E": 0, "C": 1}) == ["R", "I", "A"]
    assert quiz.top_types({"R": 0, "I": 0, "A": 0, "S": 5, "E": 0, "C": 0}) == ["S"]


def test_fit_weights_the_first_code_most(kb):
    shares = {"R": 1.0, "I": 0.0, "C": 0.5}
    han = kb.programme("han")  # riasec R, C
    assert quiz.fit(han, shares) == pytest.approx((1.0 + 0.6 * 0.5) / 1.6)


def test_social_person_gets_social_programmes(kb):
    points = quiz.scores(kb.quiz, choose(kb, "SA"))
    matches = quiz.recommend(kb, points, quiz.Constraints())
    assert 3 <= len(matches) <= 5
    assert matches[0].programme.riasec[0] == "S"
    assert {m.programme.id for m in matches[:3]} & {"giao_duc_mam_non", "dieu_duong", "huong_dan_du_lich"}


def test_level_constraint_excludes_programmes_they_cannot_enter(kb):
    points = quiz.scores(kb.quiz, choose(kb, "RI"))
    short_only = quiz.recommend(kb, points, quiz.Constraints(levels=("so_cap",)))
    assert short_only and all("so_cap" in m.programme.levels for m in short_only)


def test_place_constraint(kb):
    points = quiz.scores(kb.quiz, choose(kb, "CS"))
    abroad = [m.programme.id for m in quiz.recommend(kb, points, quiz.Constraints(place="abroad"))]
    home = [m.programme.id for m in quiz.recommend(kb, points, quiz.Constraints(place="near_home"))]
    assert abroad[0] == "tieng_han_xkld"           # labour export is what they want
    assert "tieng_han_xkld" not in home             # a course only for work abroad


def test_reading_buttons_numbers_and_words(kb):
    state = quiz.new_state()
    state = quiz.read(kb.quiz, state, "b").state                  # button payload
    state = quiz.read(kb.quiz, state, "3").state                  # its number
    state = quiz.read(kb.quiz, state, "dung rap, lap loa, keo dien").state  # the title, typed without accents
    assert quiz.answers_of(state) == {"q01": "b", "q02": "c", "q03": "a"}
    unclear = quiz.read(kb.quiz, state, "học phí bao nhiêu")
    assert not unclear.understood and quiz.answers_of(unclear.state) == quiz.answers_of(state)


def test_pause_keeps_answers_and_resume_continues(kb):
    state = quiz.new_state()
    for key in "abc":
        state = quiz.read(kb.quiz, state, key).state
    paused = quiz.read(kb.quiz, state, "dừng")
    assert paused.stop and quiz.in_progress(kb.quiz, paused.state)
    assert quiz.ask(kb.quiz, paused.state).text.startswith("Câu 4/15: ")


def test_result_explains_types_and_recommends_programmes(kb):
    state = answer_all(kb, "a", level="lop9", place="gan_nha", commune="xã Bản Lang")
    reply = quiz.result_reply(kb, state)
    assert "Kỹ thuật - thực hành (6/6 câu): Thích làm việc bằng tay" in reply.text
    assert "Thu nhập tham khảo khoảng" in reply.text and "Việc làm:" in reply.text
    assert "cao đẳng" not in reply.text.split("Các nghề nên tham khảo")[1].split("Thu nhập là")[0].split("Việc làm")[0]
    assert reply.slots["pending_offer"] == "register_interest"
    summary = quiz.summary(kb, state)
    assert summary["commune"] == "Bản Lang" and summary["top_types"].startswith("R")
    assert 3 <= len(summary["programmes"]) <= 5


def test_results_are_stored_anonymously_and_counted_per_commune(kb, db_url):
    import uuid

    migrate(db_url)
    tag = uuid.uuid4().hex[:6]  # the PostgreSQL test database is shared by the session's tests
    for commune in (f"xã Bản Lang {tag}", f"ban lang {tag}", f"Bản Lang {tag}"):
        store.record_result(quiz.summary(kb, answer_all(kb, "a", commune=commune)), "telegram", db_url)
    first = store.record_result(quiz.summary(kb, answer_all(kb, "c", commune=f"phường Tân Phong {tag}")), "web", db_url)
    store.record_result(quiz.summary(kb, answer_all(kb, "b")), "zalo", db_url)
    store.link_to_lead(first, f"LC-{tag.upper()}", db_url)
    rows = {r.commune: r for r in store.interests_by_commune(url=db_url)}
    assert rows[f"Bản Lang {tag}"].people == 3 and rows[f"Bản Lang {tag}"].types["R"] == 3
    assert rows[f"Tân Phong {tag}"].people == 1 and rows[store.UNKNOWN_COMMUNE].people >= 1
    assert rows[f"Bản Lang {tag}"].top_programmes()
    from sqlalchemy import inspect, select
    from bot.storage.db import engine_for, session_scope
    from bot.storage.models import QuizResult
    columns = {c["name"] for c in inspect(engine_for(db_url)).get_columns("quiz_results")}
    assert not columns & {"sender_id", "name", "phone"}
    with session_scope(db_url) as session:
        linked = session.scalars(select(QuizResult.lead_reference).where(QuizResult.id == first)).all()
    assert linked == [f"LC-{tag.upper()}"]


def test_knowledge_base_loads_quiz_questions(kb):
    fresh = load("knowledge_base")
    assert fresh.quiz.question("q01").option("a").type == "R"
    assert fresh.quiz.question("level").option("lop9").levels == ("so_cap", "trung_cap")


def test_quiz_report_command_prints_interests_per_commune(kb, sqlite_url, monkeypatch, capsys):
    from bot.__main__ import main

    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    migrate(sqlite_url)
    assert main(["quiz", "report"]) == 0
    assert "Chưa có kết quả" in capsys.readouterr().out
    for _ in range(2):
        store.record_result(quiz.summary(kb, answer_all(kb, "a", commune="xã Nậm Tăm")), "web", sqlite_url)
    assert main(["quiz", "report", "--since", "2026-01-01"]) == 0
    out = capsys.readouterr().out
    assert "Nậm Tăm: 2 người | nhóm sở thích: Kỹ thuật - thực hành 2" in out
    with pytest.raises(SystemExit) as stopped:
        main(["quiz", "report", "--since", "hôm qua"])
    assert stopped.value.code == 2 and "Ngày không hợp lệ" in capsys.readouterr().err
