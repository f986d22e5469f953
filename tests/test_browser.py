"""The fact browser driven like a user, and flagging a fact from the review screen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static
from textual.widgets._toast import Toast

from conftest import DATA, FrozenClock, run_command, settle, study_from_home
from eurekatutor.domain.questions import Question, QuestionKind
from eurekatutor.scheduling.browse import LEECH_LAPSES
from eurekatutor.scheduling.memory import Rating
from eurekatutor.tutor import Tutor
from eurekatutor.ui.app import EurekaApp
from eurekatutor.ui.screens.browser import BrowserScreen
from eurekatutor.ui.screens.home import HomeScreen
from eurekatutor.ui.screens.review import ReviewScreen

SIZE = (110, 36)
# agents.md: 1 the main claim, 2 a claim, 3 a number ("about 10"), 4 a claim about ghosts,
# 5 a quote about ghosts; topics "The decade of agents" (1-3) and "Ghosts, not animals" (4-5).
MAIN_CLAIM, INTERN_CLAIM, NUMBER, GHOSTS_CLAIM, QUOTE = 1, 2, 3, 4, 5


@pytest.fixture
def small(db_path: Path, clock: FrozenClock) -> Iterator[Tutor]:
    """A flashcard tutor on the small notes file."""
    with Tutor.open(db_path, clock=clock, kinds=["flashcard"], seed=1) as tutor:
        tutor.import_notes(DATA / "tutor" / "agents.md")
        yield tutor


def flashcard(tutor: Tutor, fact_id: int, rating: Rating) -> None:
    tutor.answer(tutor.question_for(fact_id, kind="flashcard"), int(rating))


def rows(app: EurekaApp) -> list[int]:
    """Return the fact ids of the browser's rows, top to bottom."""
    table = app.screen.query_one("#browser-table", DataTable)
    keys = [table.coordinate_to_cell_key((row, 0)).row_key for row in range(table.row_count)]
    return [int(str(key.value)) for key in keys]


def cell(app: EurekaApp, fact_id: int, column: str) -> str:
    table = app.screen.query_one("#browser-table", DataTable)
    return str(table.get_cell(str(fact_id), column))


def text_of(app: EurekaApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def toasts(app: EurekaApp) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query(Toast)]


async def open_browser(pilot: Pilot[None]) -> BrowserScreen:
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot, rounds=3)
    screen = pilot.app.screen
    assert isinstance(screen, BrowserScreen)
    return screen


async def choose(pilot: Pilot[None], tabs: int, downs: int) -> None:
    """From the search field, tab to a filter, open it and move ``downs`` options down."""
    await pilot.press("slash", *["tab"] * tabs, "enter")
    await pilot.pause()
    await pilot.press(*(["down"] * downs if downs >= 0 else ["up"] * -downs), "enter")
    await settle(pilot)


async def test_b_opens_the_browser_to_search_filter_sort_and_suspend(
    small: Tutor, clock: FrozenClock
) -> None:
    flashcard(small, MAIN_CLAIM, Rating.AGAIN)  # learning, and an hour ago: recalled less
    clock.advance(hours=1)
    flashcard(small, GHOSTS_CLAIM, Rating.EASY)  # review, recalled well now
    talk = small.talks()[0]
    app = EurekaApp(small)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_browser(pilot)
        assert rows(app) == [1, 2, 3, 4, 5]
        assert text_of(app, "#browser-status") == "5 of 5 facts · notes order"
        assert cell(app, MAIN_CLAIM, "state") == "learning"
        assert cell(app, GHOSTS_CLAIM, "state") == "mastered"
        assert cell(app, NUMBER, "text").startswith("Years Karpathy expects")
        # The highlighted fact's details: its text, source line and history.
        details = text_of(app, "#browser-fact")
        assert "Karpathy calls this the decade of agents" in details
        assert "The decade of agents · claim · agents.md:" in details
        assert "History (1 answer, latest first)" in details
        assert "flashcard" in details and "Again" in details and "wrong" in details

        # Search as you type, any case, in the text.
        await pilot.press("slash", *"GHOSTS")
        await settle(pilot)
        assert app.screen.query_one("#browser-search", Input).value == "GHOSTS"
        assert rows(app) == [GHOSTS_CLAIM, QUOTE]
        await pilot.press(*["backspace"] * 6, "enter")
        await settle(pilot)
        assert rows(app) == [1, 2, 3, 4, 5]

        # Filters: the kind "quote" (All kinds, claim, quote, ...), then the topic.
        await choose(pilot, tabs=2, downs=2)
        assert app.screen.query_one("#browser-kind", Select).value == "quote"
        assert rows(app) == [QUOTE]
        await choose(pilot, tabs=2, downs=-2)
        await choose(pilot, tabs=1, downs=2)
        assert app.screen.query_one("#browser-topic", Select).value == "Ghosts, not animals"
        assert rows(app) == [GHOSTS_CLAIM, QUOTE]
        await choose(pilot, tabs=1, downs=-2)
        # The state filter: mastered (All states, new, learning, review, mastered).
        await choose(pilot, tabs=3, downs=4)
        assert rows(app) == [GHOSTS_CLAIM]
        await choose(pilot, tabs=3, downs=-4)
        assert rows(app) == [1, 2, 3, 4, 5]

        # Sort by recall: lowest first, highest first, then notes order again.
        await pilot.press("slash", "enter")
        await pilot.press("r")
        await settle(pilot)
        assert rows(app)[-1] == GHOSTS_CLAIM and rows(app)[-2] == MAIN_CLAIM
        assert "recall, lowest first" in text_of(app, "#browser-status")
        await pilot.press("r")
        await settle(pilot)
        assert rows(app)[:2] == [GHOSTS_CLAIM, MAIN_CLAIM]
        table = app.screen.query_one("#browser-table", DataTable)
        assert str(table.columns[table.ordered_columns[5].key].label) == "Recall ▼"
        await pilot.press("r")
        await settle(pilot)
        assert rows(app) == [1, 2, 3, 4, 5]

        # Suspend the highlighted fact (the second one): it leaves the queue.
        assert small.counts(talk.id).new == 3
        await pilot.press("down", "s")
        await settle(pilot)
        assert cell(app, INTERN_CLAIM, "marks") == "S"
        assert "Suspended: it leaves the study queue." in toasts(app)
        assert "Suspended: not in the study queue" in text_of(app, "#browser-fact")
        [entry] = [e for e in small.browse() if e.fact.id == INTERN_CLAIM]
        assert entry.suspended and not entry.flagged
        assert small.counts(talk.id).new == 2
        asked = set()
        while (question := small.next_question()) is not None:
            asked.add(question.fact_id)
            small.answer(question, int(Rating.EASY))
        assert INTERN_CLAIM not in asked and {NUMBER, QUOTE} <= asked

        # And back in: unsuspend with the same key.
        await pilot.press("s")
        await settle(pilot)
        assert cell(app, INTERN_CLAIM, "marks") == ""
        assert not next(e for e in small.browse() if e.fact.id == INTERN_CLAIM).suspended
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_the_command_palette_and_the_header_open_and_sort(small: Tutor) -> None:
    flashcard(small, QUOTE, Rating.EASY)
    app = EurekaApp(small)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_command(pilot, "browse", rounds=3)
        assert isinstance(app.screen, BrowserScreen)
        assert rows(app) == [1, 2, 3, 4, 5]
        # Clicking the recall column's header sorts by it, lowest first.
        table = app.screen.query_one("#browser-table", DataTable)
        left = sum(column.get_render_width(table) for column in table.ordered_columns[:5])
        await pilot.click("#browser-table", offset=(left + 2, 0))
        await settle(pilot)
        assert rows(app) == [1, 2, 3, 4, QUOTE]
        assert "recall, lowest first" in text_of(app, "#browser-status")
        # Flag the fact highlighted (the first), and clear the flag again.
        await pilot.press("f")
        await settle(pilot)
        assert [e.flagged for e in small.browse()] == [True, False, False, False, False]
        assert cell(app, MAIN_CLAIM, "marks") == "⚑"
        await pilot.press("f")
        await settle(pilot)
        assert not any(e.flagged for e in small.browse())


async def test_flag_with_ctrl_f_during_a_flashcard(small: Tutor) -> None:
    app = EurekaApp(small)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await study_from_home(pilot)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.question is not None
        fact_id = screen.question.fact_id
        footer = {a.binding.description for a in screen.active_bindings.values() if a.enabled}
        assert "Flag" in footer
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert "Flagged for later." in toasts(app)
        assert [e.flagged for e in small.browse() if e.fact.id == fact_id] == [True]
        assert small.reviews() == []  # flagging is no answer
        # The card goes on as before.
        await pilot.press("space", "3")
        await settle(pilot)
        [review] = small.reviews()
        assert review.fact_id == fact_id and review.rating == int(Rating.GOOD)


@pytest.mark.parametrize("kind", [QuestionKind.TYPED, QuestionKind.CLOZE])
async def test_flag_while_typing_types_nothing(
    db_path: Path, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch, kind: QuestionKind
) -> None:
    with Tutor.open(db_path, clock=clock, seed=1) as tutor:
        tutor.import_notes(DATA / "tutor" / "agents.md")
        fact_id = NUMBER if kind is QuestionKind.TYPED else INTERN_CLAIM
        queue = [tutor.question_for(fact_id, kind=kind)]

        def next_question(
            now: datetime | None = None, talk_id: int | None = None
        ) -> Question | None:
            return queue.pop() if queue else None

        monkeypatch.setattr(tutor, "next_question", next_question)
        app = EurekaApp(tutor)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await settle(pilot)
            await study_from_home(pilot)
            await settle(pilot)
            field = app.screen.query_one("#review-input", Input)
            assert app.focused is field
            await pilot.press("a", "b", "ctrl+f", "c")
            await settle(pilot)
            assert field.value == "abc"
            assert "Flagged for later." in toasts(app)
            assert [e.flagged for e in tutor.browse() if e.fact.id == fact_id] == [True]
            assert tutor.reviews() == []


async def test_a_leech_is_flagged_and_shown(small: Tutor, clock: FrozenClock) -> None:
    for _ in range(LEECH_LAPSES):
        flashcard(small, NUMBER, Rating.EASY)
        clock.advance(days=30)
        flashcard(small, NUMBER, Rating.AGAIN)
        clock.advance(days=1)
    assert small.memory(NUMBER).lapses == LEECH_LAPSES
    app = EurekaApp(small)
    async with app.run_test(size=SIZE) as pilot:
        await open_browser(pilot)
        assert cell(app, NUMBER, "marks") == "L⚑"
        assert cell(app, NUMBER, "lapses") == str(LEECH_LAPSES)
        assert cell(app, MAIN_CLAIM, "marks") == ""
        assert text_of(app, "#browser-status") == "5 of 5 facts · notes order · 1 leech (L)"
        # The state filter "leech" (All states, new, learning, review, mastered, leech).
        await choose(pilot, tabs=3, downs=5)
        assert rows(app) == [NUMBER]
        details = text_of(app, "#browser-fact")
        assert f"Leech ({LEECH_LAPSES}+ lapses) · flagged to revisit" in details
        assert f"History ({2 * LEECH_LAPSES} answers, latest first)" in details
