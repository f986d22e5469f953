"""The command line: import, status, bundled deck seeding, and exit code 2 on bad input."""

from __future__ import annotations

import gc
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from conftest import DATA
from eurekatutor.__main__ import run
from eurekatutor.bootstrap import DB_ENV_VAR, bundled_decks, default_db_path, open_tutor
from eurekatutor.cli import main
from eurekatutor.domain.models import FactKind, ImportReport
from eurekatutor.domain.questions import QuestionKind
from eurekatutor.tutor import Tutor
from eurekatutor.ui.app import EurekaApp

NOTES = DATA / "tutor" / "agents.md"


def test_import_prints_what_it_did(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db_path), "import", str(NOTES)]) == 0
    out = capsys.readouterr().out
    assert "Agents and ghosts: 5 added, 0 updated, 0 retired, 0 unchanged" in out
    assert main(["--db", str(db_path), "import", str(NOTES)]) == 0
    assert "0 added, 0 updated, 0 retired, 5 unchanged" in capsys.readouterr().out


def test_a_bad_file_exits_2_names_file_and_line_and_writes_nothing(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "broken.md"
    bad.write_text("---\ntitle: [unclosed\n---\n\n- A claim that is long enough to keep.\n")
    assert main(["--db", str(db_path), "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert re.search(r"broken\.md:[23]: the front matter is not valid YAML", err)
    with Tutor.open(db_path) as tutor:
        assert [t.slug for t in tutor.talks()] == [
            "karpathy-dwarkesh-2025"
        ]  # only the bundled deck seeded on first start


def test_a_missing_file_exits_2(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db_path), "import", "no-such-notes.md"]) == 2
    assert "no-such-notes.md" in capsys.readouterr().err


def test_an_unusable_database_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"not a database at all" * 200)
    assert main(["--db", str(bogus), "status"]) == 2
    assert "bogus.db: cannot use the database: file is not a database" in capsys.readouterr().err


def test_status_lists_talks_counts_and_mastery(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db_path), "status"]) == 0
    out = capsys.readouterr().out
    assert "We're summoning ghosts, not building animals" in out
    assert "due 0, new " in out
    assert "0%  The decade of agents" in out


def test_status_says_the_next_review_is_now_while_reviews_are_due(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tutor, _ = open_tutor(db_path)
    with tutor:
        past = tutor.now() - timedelta(days=3)
        for _ in range(3):
            question = tutor.next_question(now=past)
            assert question is not None
            tutor.answer(
                question,
                3 if question.kind is QuestionKind.FLASHCARD else question.expected,
                now=past,
            )
        assert tutor.counts(None).due > 0
    assert main(["--db", str(db_path), "status"]) == 0
    out = capsys.readouterr().out
    # Before, it named when the next fact not yet due falls due: "next review in <1m".
    assert "next review: now" in out and "next review in" not in out


def test_the_first_start_imports_the_bundled_deck(db_path: Path) -> None:
    assert [path.name for path in bundled_decks()] == ["karpathy-dwarkesh-2025.md"]
    tutor, reports = open_tutor(db_path)
    with tutor:
        assert len(reports) == 1 and reports[0].added > 50
        facts = tutor.facts()
        assert sum(f.kind is FactKind.CLAIM for f in facts) >= 40
        assert sum(f.kind is FactKind.QUOTE for f in facts) >= 12
    again, reports = open_tutor(db_path)
    with again:
        assert reports == []


def test_the_environment_variable_chooses_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DB_ENV_VAR, str(tmp_path / "from-env.db"))
    assert default_db_path() == tmp_path / "from-env.db"
    monkeypatch.delenv(DB_ENV_VAR)
    assert default_db_path().name == "eurekatutor.db"


def test_python_m_and_the_console_script_run(db_path: Path) -> None:
    env = {**os.environ, DB_ENV_VAR: str(db_path)}
    module = subprocess.run(
        [sys.executable, "-m", "eurekatutor", "status"], capture_output=True, text=True, env=env
    )
    assert module.returncode == 0, module.stderr
    assert "summoning ghosts" in module.stdout
    script = Path(sys.executable).with_name("eurekatutor")
    if script.exists():
        result = subprocess.run([script, "--version"], capture_output=True, text=True)
        assert result.stdout.startswith("eurekatutor ")


def test_calibration_reports_log_loss_and_deciles(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db_path), "calibration"]) == 0
    assert "No answers yet" in capsys.readouterr().out
    with Tutor.open(db_path, kinds=["flashcard"], seed=3) as tutor:
        for rating in (3, 1, 4, 3, 1):
            question = tutor.next_question()
            assert question is not None
            tutor.answer(question, rating)
    assert main(["--db", str(db_path), "calibration"]) == 0
    out = capsys.readouterr().out
    assert "5 answers, 60% right (target 85%)" in out
    assert "log loss" in out and "for always predicting 60%" in out
    assert "20%-30%" in out  # new flashcards are predicted at 30%, less a slip: 29%
    assert "FSRS parameters: defaults (need 400)" in out


def test_a_reader_that_stops_early_gets_no_traceback(db_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "eurekatutor", "--db", str(db_path), "status"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # as `eurekatutor status | head -0` would
    err = process.stderr.read().decode()
    process.wait()
    assert "Imported the bundled deck" in err
    assert "Traceback" not in err


def collector_state(moment: str) -> tuple[str, bool, bool]:
    """Return, at a moment of a command, whether the garbage collector is on and whether
    anything is frozen out of its passes."""
    return (moment, gc.isenabled(), gc.get_freeze_count() > 0)


@pytest.fixture
def collector(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, bool, bool]]]:
    """Record the collector's state as the command line opens the tutor, and leave the
    collector as it was, whatever the test does to it."""
    enabled = gc.isenabled()
    seen: list[tuple[str, bool, bool]] = []

    def opening(db: Path) -> tuple[Tutor, list[ImportReport]]:
        seen.append(collector_state("opening"))
        return open_tutor(db)

    monkeypatch.setattr("eurekatutor.cli.open_tutor", opening)
    yield seen
    gc.unfreeze()
    (gc.enable if enabled else gc.disable)()


def test_the_command_holds_the_collector_off_only_while_the_app_starts(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, collector: list[tuple[str, bool, bool]]
) -> None:
    (script,) = entry_points(group="console_scripts", name="eurekatutor")
    assert script.value == "eurekatutor.__main__:run"
    monkeypatch.setattr(EurekaApp, "run", lambda app: collector.append(collector_state("app")))
    assert run(["--db", str(db_path), "study"]) == 0
    # Off while the tutor opens; on, with what starting built frozen out of its passes, for
    # as long as the app runs.
    assert collector == [("opening", False, False), ("app", True, True)]
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_command_without_the_app_takes_the_collector_up_at_once(
    db_path: Path, collector: list[tuple[str, bool, bool]]
) -> None:
    assert run(["--db", str(db_path), "status"]) == 0
    assert collector == [("opening", True, True)]
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_questions_prints_every_facts_questions_and_what_was_turned_down(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db_path), "import", str(NOTES)]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "questions", "Agents and ghosts"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Agents and ghosts: 5 facts; can be asked as ")
    # The intern claim, with the author's wrong options and the answer.
    assert "  choice: [The decade of agents · Andrej Karpathy] Which words fill the blank? " in out
    assert "a junior engineer" in out and "      answer: a human intern" in out
    assert "      answer: about 10" in out
    assert main(["--db", str(db_path), "questions", "no-such-talk"]) == 2
    assert "no talk 'no-such-talk'" in capsys.readouterr().err
    # Escapes are removed at import; whatever is stored is printed as text, never obeyed.
    hostile = tmp_path / "hostile.md"
    hostile.write_text("---\ntitle: Hostile\n---\n## T\n- A claim about \x1b]0;PWNED\x07 titles.\n")
    assert main(["--db", str(db_path), "import", str(hostile)]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "questions", "hostile"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "A claim about titles." in out


@pytest.mark.parametrize("suffix", [".md", ".csv"])
def test_importing_what_is_not_a_file_exits_2_without_reading_it(
    suffix: str, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / f"pipe{suffix}"
    os.mkfifo(fifo)  # opening it would wait for a writer forever
    device = Path("/dev/zero")  # reading it would never end
    for path in (fifo, device, tmp_path):
        assert main(["--db", str(db_path), "import", str(path)]) == 2
        err = capsys.readouterr().err
        assert str(path) in err
        assert "not a regular file" in err or "is a directory" in err


def test_a_crash_of_the_app_makes_the_command_fail(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(app: EurekaApp) -> None:
        raise RuntimeError("a bug")

    run_app = EurekaApp.run
    monkeypatch.setattr(EurekaApp, "on_mount", crash, raising=False)
    monkeypatch.setattr(EurekaApp, "run", lambda app: run_app(app, headless=True))
    assert main(["--db", str(db_path), "study"]) == 1


def test_notes_that_reuse_another_talks_slug_are_refused_unless_replacing(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "one" / "notes.md", tmp_path / "two" / "notes.md"
    for path, title in ((first, "Reefs"), (second, "Canals")):
        path.parent.mkdir()
        path.write_text(f"---\ntitle: {title}\n---\n## T\n- {title} are older than they look.\n")
    assert main(["--db", str(db_path), "import", str(first)]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "import", str(second)]) == 2
    err = capsys.readouterr().err
    assert str(second) in err and str(first) in err
    assert "its slug 'notes' is already the talk “Reefs”" in err and "--replace" in err
    with Tutor.open(db_path) as tutor:
        [notes] = [talk for talk in tutor.talks() if talk.slug == "notes"]
        assert [f.text for f in tutor.facts(notes.id)] == ["Reefs are older than they look."]
    # Re-importing the same file with an edited title is the same talk, and --replace is
    # replacing on purpose.
    first.write_text(first.read_text().replace("title: Reefs", "title: Coral reefs"))
    assert main(["--db", str(db_path), "import", str(first)]) == 0
    assert main(["--db", str(db_path), "import", "--replace", str(second)]) == 0
    with Tutor.open(db_path) as tutor:
        [notes] = [talk for talk in tutor.talks() if talk.slug == "notes"]
        assert [f.text for f in tutor.facts(notes.id)] == ["Canals are older than they look."]


def test_export_anki_replaces_an_existing_file_only_with_force(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "deck.apkg"
    out.write_bytes(b"mine")
    assert main(["--db", str(db_path), "export", "anki", str(out)]) == 2
    assert f"{out} exists already; choose another file, or replace it: add --force" in (
        capsys.readouterr().err
    )
    assert out.read_bytes() == b"mine"
    assert main(["--db", str(db_path), "export", "anki", "--force", str(out)]) == 0
    assert out.read_bytes() != b"mine"
