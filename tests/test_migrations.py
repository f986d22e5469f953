"""Schema versions: an older database is upgraded in place, after a backup, or left as it was."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from conftest import DATA, FrozenClock
from eurekatutor.errors import StoreError
from eurekatutor.persistence import migrations
from eurekatutor.persistence.backup import backup_schema_version, list_backups
from eurekatutor.persistence.store import Store
from eurekatutor.persistence.tables import SCHEMA_VERSION
from eurekatutor.tutor import Tutor

# Written by EurekaTutor 0.1.0 (schema 1): tests/data/tutor/agents.md imported and 23 flashcard
# answers over four days.
SCHEMA_1 = DATA / "schema" / "v1.db"


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    path = tmp_path / "old.db"
    shutil.copy(SCHEMA_1, path)
    return path


def rows(path: Path, query: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(query).fetchall()


def shape(path: Path) -> dict[str, Any]:
    """Return each table's columns (name, type, nullable) and its indexes."""
    inspector = sa.inspect(sa.create_engine(f"sqlite:///{path}"))
    return {
        table: (
            [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
            sorted((i["name"], tuple(i["column_names"])) for i in inspector.get_indexes(table)),
        )
        for table in inspector.get_table_names()
    }


def test_every_version_has_its_upgrade_step() -> None:
    assert sorted(migrations.STEPS) == list(range(2, SCHEMA_VERSION + 1))


def test_an_old_database_is_upgraded_and_keeps_its_history(
    old_db: Path, tmp_path: Path, clock: FrozenClock
) -> None:
    reviews = (
        "SELECT id, fact_id, reviewed_at, rating, correct, card_before FROM review ORDER BY id"
    )
    cards = "SELECT fact_id, phase, stability, difficulty, due, reps, lapses FROM card"
    before_reviews, before_cards = rows(old_db, reviews), rows(old_db, cards)
    assert len(before_reviews) == 23

    with Tutor.open(old_db, clock=clock) as tutor:
        assert len(tutor.reviews()) == 23
        assert [talk.title for talk in tutor.talks()] == ["Agents and ghosts"]
        assert tutor.counts(None).learned == 5

    assert rows(old_db, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(SCHEMA_VERSION),)
    ]
    assert rows(old_db, reviews) == before_reviews
    assert rows(old_db, cards) == before_cards
    assert rows(old_db, "SELECT DISTINCT suspended, flagged FROM card") == [(0, 0)]
    assert rows(old_db, "SELECT DISTINCT authored FROM fact") == [("",)]
    assert rows(old_db, "SELECT DISTINCT overruled FROM review") == [(0,)]
    assert rows(old_db, "PRAGMA integrity_check") == [("ok",)]
    # The upgraded database has exactly the shape of a new one.
    fresh = tmp_path / "fresh.db"
    Store(fresh).close()
    assert shape(old_db) == shape(fresh)


def test_the_old_database_is_backed_up_before_the_upgrade(old_db: Path, clock: FrozenClock) -> None:
    Store(old_db, now=clock()).close()
    [backup] = list_backups(old_db)
    assert backup.reason == f"before-schema-{SCHEMA_VERSION}"
    assert backup.taken_at == clock()
    assert backup_schema_version(backup.path) == 1
    assert rows(backup.path, "SELECT count(*) FROM review") == [(23,)]
    # Opening it again finds nothing to upgrade and takes no second copy.
    Store(old_db, now=clock.advance(minutes=1)).close()
    assert len(list_backups(old_db)) == 1


def test_a_failed_upgrade_leaves_the_database_as_it_was(
    old_db: Path, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def half_done(operations: Any) -> None:
        with operations.batch_alter_table("card") as card:
            card.add_column(sa.Column("suspended", sa.Boolean(), server_default="0"))
        raise RuntimeError("disk trouble")

    monkeypatch.setitem(migrations.STEPS, 2, half_done)
    with pytest.raises(
        StoreError, match=rf"cannot upgrade it from schema 1 to {SCHEMA_VERSION}: disk trouble"
    ):
        Store(old_db, now=clock())
    columns = [row[1] for row in rows(old_db, "PRAGMA table_info(card)")]
    assert "suspended" not in columns
    assert rows(old_db, "SELECT value FROM meta WHERE key = 'schema_version'") == [("1",)]
    # Once the cause is gone, the upgrade goes through.
    monkeypatch.undo()
    store = Store(old_db, now=clock())
    assert store.review_count() == 23
    store.close()


def test_another_programs_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE recipe (name TEXT)")
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"other\.db: not a EurekaTutor database"):
        Store(path)
    assert rows(path, "SELECT name FROM sqlite_master") == [("recipe",)]
    # Untouched: not even switched to write-ahead logging on the way to refusing it.
    assert path.read_bytes() == before
    assert rows(path, "PRAGMA journal_mode") == [("delete",)]
    assert not Path(f"{path}-wal").exists()
