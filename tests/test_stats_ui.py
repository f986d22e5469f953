"""The stats screen driven like a user: opened from the talks, read, narrowed, left."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Select, Static

from conftest import FrozenClock, run_command, settle
from eurekatutor.tutor import Tutor
from eurekatutor.ui.app import EurekaApp
from eurekatutor.ui.screens.help import HelpDialog
from eurekatutor.ui.screens.home import HomeScreen
from eurekatutor.ui.screens.stats import StatsScreen
from eurekatutor.ui.widgets.charts import StatsChart
from test_stats import known_history

SIZE = (100, 35)


pytestmark = pytest.mark.usefixtures("utc_local_time")


@pytest.fixture
def tutor(tmp_path: Path, clock: FrozenClock) -> Iterator[Tutor]:
    with known_history(tmp_path / "known.db", clock) as opened:
        yield opened


def text_of(app: EurekaApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def chart(app: EurekaApp, selector: str) -> tuple[str, tuple[float, ...]]:
    return app.screen.query_one(selector, StatsChart).plotted


async def test_t_opens_the_stats_of_the_highlighted_talk(tutor: Tutor) -> None:
    app = EurekaApp(tutor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        assert app.screen.query_one("#stats-talk", Select).value == tutor.talks()[0].id
        assert text_of(app, "#stats-status") == "as of Fri 6 Mar 2026"
        summary = text_of(app, "#stats-summary").splitlines()
        assert summary == [
            "Streak          2 days (longest 2)",
            "Time studied    1m 49s on 3 days",
            "Answers         6, 67% right",
            "True retention  50% of 2 answers on facts in review",
            "Mastered        2 of 5 facts (30 days ago: 0)",
            "Eurekas         1, 0.55 per minute studied",
            summary[6],
        ]
        assert summary[6].startswith("Calibration     log loss ")
        assert summary[6].endswith(" over 5 answers")
        calendar = text_of(app, "#stats-calendar")
        assert "6 answers on 3 days in the last year" in calendar
        assert calendar.splitlines()[1].startswith("Mon ")
        # Mastery now, and its rise from nothing thirty days ago, in points (a fact still in
        # its learning steps counts at most 85%).
        assert text_of(app, "#stats-topics").splitlines() == [
            "The decade of agents ██████████████████░░░░░░  76%  +76",
            "Ghosts, not animals  █████████████████████░░░  88%  +88",
        ]

        # The charts: answers and minutes over the last 30 days, ending today.
        title, values = chart(app, "#stats-reviews")
        assert title == "Reviews per day, last 30 days"
        assert values[-5:] == (3, 0, 2, 1, 0) and sum(values) == 6
        title, values = chart(app, "#stats-time")
        assert title == "Minutes studied per day, last 30 days"
        assert values[-5:] == (1.2, 0, 0.5, 0.1, 0)
        title, values = chart(app, "#stats-forecast")
        assert title == "Due in the next 30 days (today: 3)" and len(values) == 30
        title, values = chart(app, "#stats-retention")
        assert (title, values) == ("True retention by week (overall 50%)", (50,))
        title, values = chart(app, "#stats-reliability")
        assert title == "Predicted chance against share right" and values
        assert "over 5 predicted answers" in text_of(app, "#stats-calibration")


async def test_choosing_all_talks_and_going_back(tutor: Tutor, clock: FrozenClock) -> None:
    from eurekatutor.bootstrap import bundled_decks

    tutor.import_notes(bundled_decks()[0])
    fact = tutor.facts(tutor.talks()[1].id)[0]
    assert fact.id is not None
    tutor.answer(tutor.question_for(fact.id, kind="flashcard"), 4, seconds=30)
    app = EurekaApp(tutor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert "Answers         6, 67% right" in text_of(app, "#stats-summary")
        # tab to the talk selector, open it, choose "All talks" at the top.
        await pilot.press("tab")
        assert app.focused is app.screen.query_one("#stats-talk", Select)
        await pilot.press("enter", "up", "enter")
        await settle(pilot)
        assert "Answers         7, 71% right" in text_of(app, "#stats-summary")
        assert "Time studied    2m 19s on 4 days" in text_of(app, "#stats-summary")
        topics = text_of(app, "#stats-topics")
        assert "Memory and the cognitive core" in topics
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_the_screen_scrolls_and_has_help(tutor: Tutor) -> None:
    app = EurekaApp(tutor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        body = app.screen.query_one("#stats-body", VerticalScroll)
        assert app.focused is body
        assert body.max_scroll_y > 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpDialog)
        assert "True retention" in str(app.screen.query_one("#help-intro", Static).render())
        await pilot.press("escape")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_the_command_palette_opens_the_stats(tutor: Tutor) -> None:
    app = EurekaApp(tutor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_command(pilot, "stats")
        assert isinstance(app.screen, StatsScreen)
        assert "Streak          2 days" in text_of(app, "#stats-summary")


async def test_home_help_names_the_stats_key(tutor: Tutor) -> None:
    app = EurekaApp(tutor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        keys = str(app.screen.query_one("#help-keys", Static).render())
        assert "stats: your progress" in keys


async def test_the_stats_of_no_history_at_all(tmp_path: Path, clock: FrozenClock) -> None:
    with Tutor.open(tmp_path / "empty.db", clock=clock) as empty:
        app = EurekaApp(empty)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("t")
            await settle(pilot)
            assert isinstance(app.screen, StatsScreen)
            summary = text_of(app, "#stats-summary")
            assert "Streak          0 days (longest 0)" in summary
            assert "Eurekas         0, – per minute studied" in summary
            assert "Calibration     no predicted answers yet" in summary
            assert text_of(app, "#stats-topics") == "No topics yet: import a talk-notes file."
            assert "0 answers on 0 days in the last year" in text_of(app, "#stats-calendar")
            assert chart(app, "#stats-reviews")[1] == (0,) * 30
            assert chart(app, "#stats-retention") == ("True retention by week: no reviews yet", ())
            assert text_of(app, "#stats-calibration").startswith("No predicted answers yet")
