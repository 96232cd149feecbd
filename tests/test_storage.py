"""Unanswered questions in the database: SQLite always, PostgreSQL where it answers."""

from __future__ import annotations

import sqlalchemy as sa

from bot.storage import db, questions


def test_schema_is_created_by_migration_and_rows_round_trip(db_url):
    db.migrate(db_url)
    inspector = sa.inspect(db.engine_for(db_url))
    assert "unanswered_questions" in inspector.get_table_names()
    assert "alembic_version" in inspector.get_table_names()
    qid = questions.record_unanswered("nghề phi công học ở đâu ạ", "rest", "rest:u1", "unknown_programme",
                                      "ask_programme_info", 0.81, url=db_url)
    rows = questions.list_unanswered(url=db_url)
    assert [(r.id, r.text, r.channel, r.reason) for r in rows if r.id == qid] == [
        (qid, "nghề phi công học ở đâu ạ", "rest", "unknown_programme")]
    assert rows[0].asked_at is not None


def test_erasing_a_person_deletes_only_their_questions(db_url, tmp_path, monkeypatch):
    from bot.leads.service import erase_sender

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path))
    questions.record_unanswered("câu 1", "rest", "del:a", "low_confidence", url=db_url)
    questions.record_unanswered("câu 2", "rest", "del:a", "low_confidence", url=db_url)
    questions.record_unanswered("câu 3", "rest", "del:b", "low_confidence", url=db_url)
    assert questions.count_for_sender("del:a", url=db_url) == 2
    assert erase_sender("rest", "del:a", url=db_url).questions_deleted == 2
    assert questions.count_for_sender("del:a", url=db_url) == 0
    assert questions.count_for_sender("del:b", url=db_url) == 1


def test_migration_upgrades_an_existing_database_in_place(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    db.migrate(url, revision="base")  # an empty, unversioned database
    db.migrate(url)
    questions.record_unanswered("x", "rest", "s", "low_confidence", url=url)
    db.migrate(url)  # running again is a no-op and keeps the data
    assert questions.count_for_sender("s", url=url) == 1
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(db.alembic_config(url)).get_current_head()
    with db.engine_for(url).connect() as conn:
        assert conn.execute(sa.text("select version_num from alembic_version")).scalar() == head


def test_long_text_is_truncated_not_rejected(sqlite_url):
    qid = questions.record_unanswered("á" * 5000, "rest", "s", "low_confidence", url=sqlite_url)
    assert len(next(r for r in questions.list_unanswered(url=sqlite_url) if r.id == qid).text) == questions.MAX_TEXT
