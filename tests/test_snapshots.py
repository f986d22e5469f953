"""One snapshot per screen at 80x24 with a frozen clock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from conftest import DATA, FrozenClock
from eurekatutor.bootstrap import open_tutor
from eurekatutor.ui.app import EurekaApp

SIZE = (80, 24)


def make_app(db_path: Path, seed: bool = True) -> EurekaApp:
    tutor, _ = open_tutor(db_path, clock=FrozenClock(), import_bundled=seed, kinds=["flashcard"])
    if not seed:
        tutor.import_notes(DATA / "tutor" / "agents.md")
    return EurekaApp(tutor)


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def test_home_screen(snap_compare: Any, db_path: Path) -> None:
    assert snap_compare(make_app(db_path), terminal_size=SIZE, run_before=settle)


def test_review_screen_with_the_answer_shown(snap_compare: Any, db_path: Path) -> None:
    async def reveal(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("space")
        await pilot.pause()

    assert snap_compare(make_app(db_path), terminal_size=SIZE, run_before=reveal)


def test_session_summary(snap_compare: Any, db_path: Path) -> None:
    async def finish(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("enter")
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
