"""A database the user cannot write: it is shown (status, stats, questions, browsing, export),
and everything that would write to it is refused up front, saying which file, why and what to
do, with nothing half-written. The files are made unwritable for real (``conftest.unwritable``:
permissions, or the immutable attribute for root), and once on a read-only mount."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static
from textual.widgets._toast import Toast

from conftest import DATA, FrozenClock, settle, unwritable
from eurekatutor.bootstrap import open_tutor
from eurekatutor.cli import main
from eurekatutor.errors import ReadOnlyError, StoreError
from eurekatutor.persistence.store import Store
from eurekatutor.persistence.tables import SCHEMA_VERSION
from eurekatutor.tutor import Tutor
from eurekatutor.ui.app import EurekaApp
from eurekatutor.ui.screens.browser import BrowserScreen
from eurekatutor.ui.screens.home import HomeScreen
from eurekatutor.ui.screens.review import ReviewScreen
from eurekatutor.ui.screens.stats import StatsScreen

NOTES = DATA / "tutor" / "agents.md"
TITLE = "Agents and ghosts"
# What is made unwritable, and the reason the message gives.
WHERE: dict[str, tuple[Callable[[Path], tuple[Path, ...]], Callable[[Path], str]]] = {
    "the file": (lambda db: (db,), lambda db: "you cannot write to the file"),
    "its folder": (
        lambda db: (db.parent,),
        lambda db: f"you cannot write to its folder {db.parent}, where SQLite keeps its journal",
    ),
}


def studied(folder: Path, clock: FrozenClock) -> Path:
    """Return a database in ``folder`` with the agents notes and three answers."""
    folder.mkdir()
    db = folder / "study.db"
    with Tutor.open(db, clock=clock, kinds=["flashcard"], seed=1) as tutor:
        tutor.import_notes(NOTES)
        for rating in (3, 1, 4):
            question = tutor.next_question()
            assert question is not None
            tutor.answer(question, rating)
            clock.advance(minutes=1)
    return db


def digest(db: Path) -> str:
    return hashlib.sha256(db.read_bytes()).hexdigest()


@pytest.mark.parametrize("where", sorted(WHERE))
def test_the_command_line_reads_it_and_refuses_every_write(
    where: str,
    tmp_path: Path,
    clock: FrozenClock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = studied(tmp_path / "data", clock)
    assert main(["--db", str(db), "backup"]) == 0
    backup = next((db.parent / "backups").iterdir())
    log = tmp_path / "log.csv"
    assert main(["--db", str(db), "export", "reviews", str(log)]) == 0
    capsys.readouterr()
    before = digest(db)
    apps: list[EurekaApp] = []
    monkeypatch.setattr(EurekaApp, "run", lambda app: apps.append(app))
    targets, reason = WHERE[where]
    with unwritable(*targets(db)):
        # What reads works, and says nothing of the database being read-only.
        assert main(["--db", str(db), "status"]) == 0
        out, err = capsys.readouterr()
        assert TITLE in out and "learned" in out and err == ""
        assert main(["--db", str(db), "stats"]) == 0
        assert "Your progress on all talks" in capsys.readouterr().out
        assert main(["--db", str(db), "questions"]) == 0
        assert f"{TITLE}: 5 facts" in capsys.readouterr().out
        out_csv = tmp_path / "again.csv"
        assert main(["--db", str(db), "export", "reviews", str(out_csv)]) == 0
        assert out_csv.read_text() == log.read_text()
        # Every command that writes exits 2 at once, naming the file, why, and what to do.
        for command in (
            ["import", str(NOTES)],
            ["import", str(log)],
            ["study"],
            ["quiz"],
            ["restore", str(backup)],
        ):
            assert main(["--db", str(db), *command]) == 2, command
            err = capsys.readouterr().err
            assert f"{db}: the database is read-only ({reason(db)})" in err, command
            assert "--db FILE" in err and "Traceback" not in err
        assert apps == []  # the app never opened on a database it could not save answers to
        assert digest(db) == before
    with Tutor.open(db) as tutor:
        assert len(tutor.reviews()) == 3


def test_the_message_of_a_refused_command(
    tmp_path: Path, clock: FrozenClock, capsys: pytest.CaptureFixture[str]
) -> None:
    db = studied(tmp_path / "data", clock)
    with unwritable(db):
        assert main(["--db", str(db), "import", str(NOTES)]) == 2
    assert capsys.readouterr().err == (
        f"eurekatutor: {db}: the database is read-only (you cannot write to the file): it can "
        "be shown, but nothing can be saved to it. Make it writable (fix the permissions of "
        "the file and its folder), or pass another database with --db FILE\n"
    )


async def test_the_app_browses_it_and_refuses_to_study(tmp_path: Path, clock: FrozenClock) -> None:
    db = studied(tmp_path / "data", clock)
    before = digest(db)
    with unwritable(db):
        tutor, seeded = open_tutor(db, clock=clock, kinds=["flashcard"])
        assert seeded == [] and tutor.read_only
        message = tutor.read_only_message
        assert message is not None
        with tutor:
            app = EurekaApp(tutor)
            async with app.run_test(size=(100, 32), notifications=True) as pilot:
                await settle(pilot)
                assert isinstance(app.screen, HomeScreen)
                note = str(app.screen.query_one("#home-read-only", Static).render())
                assert message in note and "studying does not" in note
                table = app.screen.query_one("#home-talks", DataTable)
                assert str(table.get_row_at(0)[0]) == TITLE
                # Study, quiz and placement are refused with the message: no "Loading…".
                for key in ("enter", "s", "x", "p"):
                    await pilot.press(key)
                    await settle(pilot)
                    assert isinstance(app.screen, HomeScreen), key
                shown = [str(toast.render()) for toast in app.screen.query(Toast)]
                assert sum(message in toast for toast in shown) == 4
                # Browsing works; suspending and flagging are refused, and say so.
                await pilot.press("b")
                await settle(pilot)
                assert isinstance(app.screen, BrowserScreen)
                facts = app.screen.query_one("#browser-table", DataTable)
                assert facts.row_count == 5
                await pilot.press("s", "f")
                await settle(pilot)
                shown = [str(toast.render()) for toast in app.screen.query(Toast)]
                assert sum(message in toast for toast in shown) >= 2
                assert not any("Suspended" in toast or "Flagged" in toast for toast in shown)
                assert str(facts.get_row_at(0)[0]) == ""  # no marks
                await pilot.press("escape")
                await settle(pilot)
                # The stats read the history.
                await pilot.press("t")
                await settle(pilot, rounds=3)
                assert isinstance(app.screen, StatsScreen)
                summary = str(app.screen.query_one("#stats-summary", Static).render())
                assert "Answers         3, 67% right" in summary
        assert not any(entry.suspended or entry.flagged for entry in tutor.browse())
    assert digest(db) == before


async def test_a_question_that_cannot_be_loaded_says_why_instead_of_loading(
    db_path: Path, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Tutor.open(db_path, clock=clock, kinds=["flashcard"]) as tutor:
        tutor.import_notes(NOTES)

        def fail(*_args: object, **_options: object) -> None:
            raise StoreError(f"{db_path}: the database is read-only (a test)")

        monkeypatch.setattr(tutor, "next_question", fail)
        app = EurekaApp(tutor, study=tutor.talks()[0])
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ReviewScreen)
            prompt = str(app.screen.query_one("#review-prompt", Static).render())
            assert (
                prompt
                == f"No question could be loaded: {db_path}: the database is read-only (a test)"
            )
            assert str(app.screen.query_one("#review-hint", Static).render()) == (
                "Press escape to go back."
            )
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)


def test_the_store_refuses_each_write_before_it_starts(tmp_path: Path, clock: FrozenClock) -> None:
    db = studied(tmp_path / "data", clock)
    before = digest(db)
    with unwritable(db):
        store = Store(db)
        try:
            assert store.read_only
            [fact] = store.facts()[:1]
            assert fact.id is not None
            writes: list[Callable[[], object]] = [
                lambda: store.set_meta("key", "value"),
                lambda: store.set_suspended(fact.id or 0, True),
                lambda: store.set_flagged(fact.id or 0, True),
                lambda: store.mark_bad_question(fact.id or 0, "cloze", "v", clock()),
                lambda: store.undo_review(1),
                lambda: store.import_reviews().__enter__(),
            ]
            for write in writes:
                with pytest.raises(ReadOnlyError, match="the database is read-only"):
                    write()
            assert store.backup_if_due(clock()) is None  # what cannot change needs no backup
        finally:
            store.close()
    assert digest(db) == before


def test_a_database_to_make_in_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    with unwritable(folder), pytest.raises(StoreError) as raised:
        Store(folder / "new.db")
    assert str(raised.value) == (
        f"{folder / 'new.db'}: cannot make a database there: you cannot write to its folder "
        f"{folder}, where SQLite keeps its journal. Fix the permissions, or pass another "
        "database with --db FILE"
    )
    assert list(folder.iterdir()) == []


def test_an_older_read_only_database_is_refused_as_it_cannot_be_upgraded(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    old = folder / "v1.db"
    shutil.copyfile(DATA / "schema" / "v1.db", old)
    before = digest(old)
    with (
        unwritable(old),
        pytest.raises(StoreError, match=f"must be upgraded to schema {SCHEMA_VERSION}") as raised,
    ):
        Store(old)
    assert "the database is read-only (you cannot write to the file)" in str(raised.value)
    assert digest(old) == before and not (folder / "backups").exists()


@pytest.mark.skipif(
    sys.platform != "linux" or os.geteuid() != 0 or shutil.which("unshare") is None,
    reason="a read-only bind mount needs root on Linux",
)
def test_on_a_read_only_file_system(tmp_path: Path, clock: FrozenClock) -> None:
    db = studied(tmp_path / "data", clock)
    before = digest(db)
    command = [sys.executable, "-m", "eurekatutor", "--db", str(db)]
    script = (
        f'mount --bind "{db.parent}" "{db.parent}" && '
        f'mount -o remount,ro,bind "{db.parent}" && '
        f'{" ".join(command)} status && {" ".join(command)} import "{NOTES}"'
    )
    done = subprocess.run(
        ["unshare", "--mount", "sh", "-c", script], capture_output=True, text=True, check=False
    )
    if "mount" in done.stderr and "permission denied" in done.stderr.lower():
        pytest.skip(f"no mount namespace here: {done.stderr.strip()}")
    assert TITLE in done.stdout
    assert done.returncode == 2
    assert done.stderr == (
        f"eurekatutor: {db}: the database is read-only (you cannot write to the file): it can "
        "be shown, but nothing can be saved to it. Make it writable (fix the permissions of "
        "the file and its folder), or pass another database with --db FILE\n"
    )
    assert digest(db) == before
