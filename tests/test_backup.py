"""Backups: taken daily and on demand, rotated, pointed to when the database is damaged."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import DATA, FrozenClock
from eurekatutor.cli import main
from eurekatutor.errors import StoreError
from eurekatutor.persistence.backup import KEEP_BACKUPS, backups_dir, list_backups
from eurekatutor.tutor import Tutor

NOTES = DATA / "tutor" / "agents.md"


def study(db: Path, clock: FrozenClock, answers: int = 1) -> None:
    """Open the tutor at the clock's time and give some answers (each a minute apart)."""
    with Tutor.open(db, clock=clock, kinds=["flashcard"], seed=1) as tutor:
        if not tutor.talks():
            tutor.import_notes(NOTES)
        for _ in range(answers):
            question = tutor.next_question()
            assert question is not None
            tutor.answer(question, 3)
            clock.advance(minutes=1)


def review_count(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT count(*) FROM review").fetchone()[0])


def test_a_database_with_answers_is_backed_up_once_a_day(db_path: Path, clock: FrozenClock) -> None:
    study(db_path, clock)
    assert list_backups(db_path) == []  # nothing to lose before the first answer
    clock.advance(hours=1)
    study(db_path, clock)
    [first] = list_backups(db_path)
    assert (first.reason, first.taken_at) == ("daily", clock.now - timedelta(minutes=1))
    assert review_count(first.path) == 1
    clock.advance(hours=23)
    study(db_path, clock)
    assert len(list_backups(db_path)) == 1
    clock.advance(hours=1)
    study(db_path, clock)
    assert [b.taken_at for b in list_backups(db_path)] == [
        clock.now - timedelta(minutes=1),
        first.taken_at,
    ]


def test_only_the_newest_backups_are_kept(db_path: Path, clock: FrozenClock) -> None:
    study(db_path, clock)
    for _ in range(KEEP_BACKUPS + 3):
        clock.advance(days=1)
        study(db_path, clock, answers=0)
    backups = list_backups(db_path)
    assert len(backups) == KEEP_BACKUPS
    assert backups[0].taken_at == clock()
    assert backups[-1].taken_at == clock.now.replace(day=clock().day - KEEP_BACKUPS + 1)
    assert sorted(path.name for path in backups_dir(db_path).iterdir()) == sorted(
        backup.path.name for backup in backups
    )


def test_a_backup_taken_while_studying_holds_every_answer(
    db_path: Path, clock: FrozenClock
) -> None:
    with Tutor.open(db_path, clock=clock, kinds=["flashcard"], seed=1) as tutor:
        tutor.import_notes(NOTES)
        for _ in range(3):
            question = tutor.next_question()
            assert question is not None
            tutor.answer(question, 3)
        # The answers sit in the write-ahead log, not yet in the database file itself.
        assert Path(f"{db_path}-wal").stat().st_size > 0
        backup = tutor.backup()
    assert review_count(backup.path) == 3
    with sqlite3.connect(backup.path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_backup_and_restore_from_the_command_line(
    db_path: Path, clock: FrozenClock, capsys: pytest.CaptureFixture[str]
) -> None:
    study(db_path, clock, answers=2)
    assert main(["--db", str(db_path), "backup"]) == 0
    out = capsys.readouterr().out
    [saved] = list_backups(db_path)
    assert f"Backed up {db_path} to {saved.path}" in out
    assert f"{saved.path.name}  (manual)" in out

    clock.advance(minutes=5)
    study(db_path, clock, answers=3)
    assert review_count(db_path) == 5
    assert main(["--db", str(db_path), "restore", saved.path.name]) == 0
    out = capsys.readouterr().out
    assert f"Restored {db_path} from {saved.path}" in out
    with Tutor.open(db_path, clock=clock) as tutor:
        assert len(tutor.reviews()) == 2
    # What was there before the restore is a backup too, and can be restored in turn.
    before = next(b for b in list_backups(db_path) if b.reason == "before-restore")
    assert review_count(before.path) == 5
    assert main(["--db", str(db_path), "restore", str(before.path)]) == 0
    assert review_count(db_path) == 5
    # Two backups taken within the same second both stay.
    reasons = [backup.reason for backup in list_backups(db_path)]
    assert sorted(reasons) == ["before-restore", "before-restore", "manual"]


def test_restoring_a_file_that_is_no_backup_changes_nothing(
    db_path: Path, tmp_path: Path, clock: FrozenClock, capsys: pytest.CaptureFixture[str]
) -> None:
    study(db_path, clock, answers=2)
    bogus = tmp_path / "notes.md"
    bogus.write_text("# Not a database\n")
    assert main(["--db", str(db_path), "restore", str(bogus)]) == 2
    assert "notes.md: not a EurekaTutor database" in capsys.readouterr().err
    assert review_count(db_path) == 2
    assert main(["--db", str(db_path), "restore", "missing.db"]) == 2
    assert "missing.db: no such backup file" in capsys.readouterr().err


def test_a_damaged_database_names_its_newest_backup_and_can_be_restored(
    db_path: Path, clock: FrozenClock, capsys: pytest.CaptureFixture[str]
) -> None:
    study(db_path, clock, answers=2)
    assert main(["--db", str(db_path), "backup"]) == 0
    [saved] = list_backups(db_path)
    capsys.readouterr()
    db_path.write_bytes(b"\x00garbage" * 4096)
    Path(f"{db_path}-wal").unlink(missing_ok=True)

    assert main(["--db", str(db_path), "status"]) == 2
    err = capsys.readouterr().err
    assert f"{db_path}: cannot use the database: file is not a database." in err
    assert f"Its newest backup is {saved.path}" in err
    assert f"eurekatutor --db {db_path} restore FILE" in err

    assert main(["--db", str(db_path), "restore", str(saved.path)]) == 0
    assert ".damaged" in capsys.readouterr().out
    assert review_count(db_path) == 2
    # The damaged file is kept aside, never offered as a backup.
    assert [b.path for b in list_backups(db_path)] == [saved.path]


def test_a_database_damaged_inside_names_its_backups(db_path: Path, clock: FrozenClock) -> None:
    study(db_path, clock, answers=5)
    with sqlite3.connect(db_path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db_path.read_bytes())
    page = 4096
    for start in range(page, len(data), page):  # every page but the header's
        data[start : start + page] = b"\xff" * page
    db_path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=r"malformed.*There are no backups of it in"):
        study(db_path, clock)


def test_a_failed_daily_backup_does_not_stop_studying_and_is_reported(
    db_path: Path, clock: FrozenClock, capsys: pytest.CaptureFixture[str]
) -> None:
    study(db_path, clock)
    backups_dir(db_path).write_text("a file where the backups folder should be")
    with Tutor.open(db_path, clock=clock, kinds=["flashcard"]) as tutor:
        question = tutor.next_question()
        assert question is not None
        tutor.answer(question, 3)
    assert tutor.backup_problem is not None
    assert "cannot back it up" in tutor.backup_problem
    assert review_count(db_path) == 2
    assert main(["--db", str(db_path), "status"]) == 0
    assert "eurekatutor: warning: " in capsys.readouterr().err


def test_restoring_the_oldest_backup_keeps_it_and_the_history(
    db_path: Path, clock: FrozenClock, capsys: pytest.CaptureFixture[str]
) -> None:
    """The before-restore backup's rotation used to delete the very backup being restored."""
    study(db_path, clock, answers=1)
    assert main(["--db", str(db_path), "backup"]) == 0
    study(db_path, clock, answers=2)
    for _ in range(KEEP_BACKUPS - 1):
        assert main(["--db", str(db_path), "backup"]) == 0
    backups = list_backups(db_path)
    assert len(backups) == KEEP_BACKUPS
    oldest = backups[-1]
    oldest_bytes = oldest.path.read_bytes()
    assert review_count(oldest.path) == 1
    capsys.readouterr()

    assert main(["--db", str(db_path), "restore", oldest.path.name]) == 0
    assert review_count(db_path) == 1
    assert oldest.path.read_bytes() == oldest_bytes  # the restored backup is untouched
    before = next(b for b in list_backups(db_path) if b.reason == "before-restore")
    assert review_count(before.path) == 3
    out = capsys.readouterr().out
    assert f"Restored {db_path} from {oldest.path}" in out
    assert f"kept in {before.path}" in out


def test_a_backup_from_a_newer_version_is_refused_before_anything_changes(
    db_path: Path, tmp_path: Path, clock: FrozenClock, capsys: pytest.CaptureFixture[str]
) -> None:
    study(db_path, clock, answers=2)
    newer = tmp_path / "newer.db"
    with sqlite3.connect(db_path) as source, sqlite3.connect(newer) as copy:
        source.backup(copy)
        copy.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    live = db_path.read_bytes()
    assert main(["--db", str(db_path), "restore", str(newer)]) == 2
    err = capsys.readouterr().err
    assert "newer.db: it was written by a newer EurekaTutor (schema 99" in err
    assert db_path.read_bytes() == live
    assert list_backups(db_path) == []  # no before-restore backup either


def test_a_missing_backup_is_never_created_by_restoring_it(
    db_path: Path, clock: FrozenClock, capsys: pytest.CaptureFixture[str]
) -> None:
    study(db_path, clock, answers=2)
    backups_dir(db_path).mkdir()
    gone = backups_dir(db_path) / "gone.db"
    assert main(["--db", str(db_path), "restore", str(gone)]) == 2
    assert "gone.db: no such backup file" in capsys.readouterr().err
    assert not gone.exists()
    assert review_count(db_path) == 2


@pytest.mark.parametrize("source", ["itself", "directory", "device"])
def test_restore_refuses_what_is_not_a_backup_file(
    source: str,
    db_path: Path,
    tmp_path: Path,
    clock: FrozenClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    study(db_path, clock, answers=2)
    path = {"itself": db_path, "directory": tmp_path, "device": Path("/dev/zero")}[source]
    assert main(["--db", str(db_path), "restore", str(path)]) == 2
    err = capsys.readouterr().err
    expected = {
        "itself": "is the database itself",
        "directory": "not a regular file",
        "device": "not a regular file",
    }[source]
    assert expected in err
    assert review_count(db_path) == 2
    assert list_backups(db_path) == []


def test_a_restore_that_fails_half_way_leaves_the_database_as_it_was(
    db_path: Path,
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    study(db_path, clock, answers=2)
    assert main(["--db", str(db_path), "backup"]) == 0
    [saved] = list_backups(db_path)
    clock.advance(minutes=1)
    study(db_path, clock, answers=1)
    from eurekatutor.persistence import backup as backup_module

    def broken_check(connection: sqlite3.Connection, path: Path) -> None:
        if path.suffix == ".restoring":
            raise sqlite3.DatabaseError(f"{path} is damaged: simulated")

    monkeypatch.setattr(backup_module, "_check", broken_check)
    capsys.readouterr()
    assert main(["--db", str(db_path), "restore", str(saved.path)]) == 2
    assert "simulated" in capsys.readouterr().err
    assert review_count(db_path) == 3
    assert saved.path.exists() and review_count(saved.path) == 2
    assert not list(backups_dir(db_path).glob("*.restoring"))


def test_backups_taken_in_one_second_keep_their_order_whatever_their_reason(
    db_path: Path, clock: FrozenClock
) -> None:
    from eurekatutor.persistence.backup import take_backup

    study(db_path, clock)
    for _ in range(3):
        take_backup(db_path, clock(), "manual")
    newest = take_backup(db_path, clock(), "before-restore")
    assert list_backups(db_path)[0] == newest
    # The rotation removes the oldest of them, never the newest.
    take_backup(db_path, clock(), "manual", keep=2)
    assert [b.reason for b in list_backups(db_path)] == ["manual", "before-restore"]


def test_a_half_written_backup_left_by_a_killed_backup_is_removed_by_the_next(
    db_path: Path, clock: FrozenClock
) -> None:
    import os
    import time

    from eurekatutor.persistence.backup import STALE_PARTIAL_SECONDS, take_backup

    study(db_path, clock)
    folder = backups_dir(db_path)
    folder.mkdir(exist_ok=True)
    stale, running = folder / "study-20260101-000000-daily.partial", folder / "x.partial"
    stale.write_bytes(b"half" * 1000)
    running.write_bytes(b"now")
    old = time.time() - STALE_PARTIAL_SECONDS - 60
    os.utime(stale, (old, old))
    take_backup(db_path, clock())
    assert not stale.exists() and running.exists()
