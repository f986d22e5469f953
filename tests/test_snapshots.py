"""One snapshot per screen at 80x24 with a frozen clock."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from conftest import DATA, FrozenClock, settle, study_from_home
from eurekatutor.bootstrap import open_tutor
from eurekatutor.domain.questions import Question, QuestionKind
from eurekatutor.tutor import Tutor
from eurekatutor.ui.app import EurekaApp

SIZE = (80, 24)


def make_app(db_path: Path, seed: bool = True) -> EurekaApp:
    tutor, _ = open_tutor(db_path, clock=FrozenClock(), import_bundled=seed, kinds=["flashcard"])
    if not seed:
        tutor.import_notes(DATA / "tutor" / "agents.md")
    return EurekaApp(tutor)


def asking(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, fact_id: int, kind: QuestionKind
) -> EurekaApp:
    """Return an app on the small notes whose session asks one ``kind`` question, then ends."""
    tutor = Tutor.open(db_path, clock=FrozenClock(), seed=1)
    tutor.import_notes(DATA / "tutor" / "agents.md")
    queue = [tutor.question_for(fact_id, kind=kind)]

    def next_question(now: datetime | None = None, talk_id: int | None = None) -> Question | None:
        return queue.pop() if queue else None

    monkeypatch.setattr(tutor, "next_question", next_question)
    return EurekaApp(tutor)


def test_home_screen(snap_compare: Any, db_path: Path) -> None:
    assert snap_compare(make_app(db_path), terminal_size=SIZE, run_before=settle)


def test_review_screen_with_the_answer_shown(snap_compare: Any, db_path: Path) -> None:
    async def reveal(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await study_from_home(pilot)
        await settle(pilot)
        await pilot.press("space")
        await pilot.pause()

    assert snap_compare(make_app(db_path), terminal_size=SIZE, run_before=reveal)


def test_session_summary(snap_compare: Any, db_path: Path) -> None:
    async def finish(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await study_from_home(pilot)
        await settle(pilot)
        for _ in range(5):
            await pilot.press("space", "4")
            await settle(pilot)

    assert snap_compare(
        make_app(db_path, seed=False),
        terminal_size=SIZE,
        run_before=finish,
    )


def test_help_dialog(snap_compare: Any, db_path: Path) -> None:
    async def help_(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(
        make_app(db_path, seed=False),
        terminal_size=SIZE,
        run_before=help_,
    )


def test_choice_question(snap_compare: Any, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def study(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await study_from_home(pilot)
        await settle(pilot)

    # Fact 3 is the number "about 10": its options are other values of the same shape.
    app = asking(db_path, monkeypatch, 3, QuestionKind.CHOICE)
    assert snap_compare(app, terminal_size=SIZE, run_before=study)


def test_typed_answer_with_its_diff(
    snap_compare: Any, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def answer(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await study_from_home(pilot)
        await settle(pilot)
        await pilot.press(*"about 20", "enter")
        await settle(pilot)

    app = asking(db_path, monkeypatch, 3, QuestionKind.TYPED)
    assert snap_compare(app, terminal_size=SIZE, run_before=answer)


@pytest.mark.usefixtures("utc_local_time")
def test_stats_screen(snap_compare: Any, db_path: Path) -> None:
    from test_stats import known_history

    tutor = known_history(db_path, FrozenClock())

    async def open_stats(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)

    assert snap_compare(EurekaApp(tutor), terminal_size=(100, 35), run_before=open_stats)


def test_browser_screen(snap_compare: Any, db_path: Path) -> None:
    from eurekatutor.scheduling.browse import LEECH_LAPSES
    from eurekatutor.scheduling.memory import Rating

    clock = FrozenClock()
    tutor = Tutor.open(db_path, clock=clock, kinds=["flashcard"], seed=1)
    tutor.import_notes(DATA / "tutor" / "agents.md")
    # Fact 3 becomes a leech (flagged), fact 5 is suspended, fact 4 is mastered.
    for _ in range(LEECH_LAPSES):
        tutor.answer(tutor.question_for(3, kind="flashcard"), int(Rating.EASY))
        clock.advance(days=30)
        tutor.answer(tutor.question_for(3, kind="flashcard"), int(Rating.AGAIN))
        clock.advance(days=1)
    tutor.answer(tutor.question_for(4, kind="flashcard"), int(Rating.EASY))
    tutor.suspend(5)

    async def browse(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot, rounds=3)
        await pilot.press("down", "down")
        await settle(pilot)

    assert snap_compare(EurekaApp(tutor), terminal_size=(100, 30), run_before=browse)
