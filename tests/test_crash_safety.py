"""Answers survive a killed process: every acknowledged answer is in the database."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import DATA

STUDENT = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timedelta, timezone
    from eurekatutor import Tutor

    tutor = Tutor.open(sys.argv[1])
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    answered = 0
    while True:
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


def test_a_killed_session_loses_no_answered_review(tmp_path: Path) -> None:
    rng = random.Random(20251017)
    db = tmp_path / "crash.db"
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
    acknowledged = 0
    for _run in range(5):
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
        process.send_signal(signal.SIGKILL)
        process.wait()
        acknowledged += last
        with sqlite3.connect(db) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            (count,) = connection.execute("SELECT count(*) FROM review").fetchone()
        # Every answer the student saw acknowledged is stored; one more may have committed
        # between its commit and its print.
        assert acknowledged <= count <= acknowledged + 1
        acknowledged = count
