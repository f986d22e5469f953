"""Answers survive a killed process and a second instance: every acknowledged answer stays."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import DATA
from eurekatutor.errors import StoreError
from eurekatutor.persistence import db as db_module
from eurekatutor.tutor import Tutor

STUDENT = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timedelta, timezone
    from eurekatutor import Tutor

    tutor = Tutor.open(sys.argv[1], kinds=["flashcard"])
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    answered = 0
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else None
    while answered != limit:
        question = tutor.next_question(now=now)
        if question is None:
            now += timedelta(days=1)
            continue
        tutor.answer(question, 1 + answered % 4, now=now, seconds=1.0)
        answered += 1
        print(answered, flush=True)
        now += timedelta(minutes=3)
    """
)


KILLS = 25


def import_notes(db: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "eurekatutor",
            "--db",
            str(db),
            "import",
            str(DATA / "tutor" / "agents.md"),
        ],
        check=True,
        capture_output=True,
    )


def integrity_and_reviews(db: Path) -> tuple[str, int]:
    with sqlite3.connect(db) as connection:
        (integrity,) = connection.execute("PRAGMA integrity_check").fetchone()
        (count,) = connection.execute("SELECT count(*) FROM review").fetchone()
    return integrity, count


def test_a_killed_session_loses_no_answered_review(tmp_path: Path) -> None:
    rng = random.Random(20251017)
    db = tmp_path / "crash.db"
    import_notes(db)
    acknowledged = 0
    for _run in range(KILLS):
        process = subprocess.Popen(
            [sys.executable, "-c", STUDENT, str(db)], stdout=subprocess.PIPE, text=True
        )
        assert process.stdout is not None
        stop_after = rng.randint(1, 25)
        last = 0
        for line in process.stdout:
            last = int(line)
            if last >= stop_after:
                break
        # Kill it a random moment later: mid-question, mid-answer or mid-commit.
        time.sleep(rng.uniform(0, 0.02))
        assert process.poll() is None, "the student stopped before it was killed"
        process.send_signal(signal.SIGKILL)
        process.wait()
        # What it acknowledged between the read and the kill is still in the pipe.
        for line in process.stdout:
            if line.endswith("\n"):
                last = int(line)
        acknowledged += last
        integrity, count = integrity_and_reviews(db)
        assert integrity == "ok"
        # Every answer the student saw acknowledged is stored; one more may have committed
        # between its commit and its print.
        assert acknowledged <= count <= acknowledged + 1
        acknowledged = count


def test_two_instances_on_one_database_both_keep_every_answer(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    import_notes(db)
    students = [
        subprocess.Popen(
            [sys.executable, "-c", STUDENT, str(db), "60"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for student in students:
        out, err = student.communicate(timeout=300)
        assert student.returncode == 0, err
        assert out.split()[-1] == "60"
    assert integrity_and_reviews(db) == ("ok", 120)


def test_a_database_held_too_long_by_another_instance_gives_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 200)
    db = tmp_path / "busy.db"
    import_notes(db)
    with Tutor.open(db, kinds=["flashcard"]) as tutor:
        question = tutor.next_question()
        assert question is not None
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another instance in the middle of a long write
        with pytest.raises(
            StoreError, match=r"busy\.db: the database is busy: another EurekaTutor"
        ):
            tutor.answer(question, 3)
        other.execute("ROLLBACK")
        other.close()
        assert tutor.reviews() == []
        tutor.answer(question, 3)  # once the other is done, answering works again
        assert len(tutor.reviews()) == 1
