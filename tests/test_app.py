"""The app driven like a user: keys pressed, then the screen and the database checked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, ProgressBar, Static

from conftest import DATA, FrozenClock, run_command, settle, study_from_home
from eurekatutor.bootstrap import open_tutor
from eurekatutor.domain.questions import QuestionKind
from eurekatutor.tutor import Tutor
from eurekatutor.ui.app import EurekaApp
from eurekatutor.ui.screens.home import HomeScreen
from eurekatutor.ui.screens.review import ReviewScreen
from eurekatutor.ui.screens.start import PlacementOfferDialog
from eurekatutor.ui.screens.summary import SessionSummaryDialog

NOTES = DATA / "tutor" / "agents.md"


@pytest.fixture
def small_tutor(db_path: Path, clock: FrozenClock) -> Iterator[Tutor]:
    tutor, _ = open_tutor(db_path, clock=clock, import_bundled=False, kinds=["flashcard"])
    tutor.import_notes(NOTES)
    with tutor:
        yield tutor


def text_of(app: EurekaApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_home_lists_the_talk_with_counts_and_mastery(small_tutor: Tutor) -> None:
    app = EurekaApp(small_tutor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one(DataTable)
        assert [str(cell) for cell in table.get_row_at(0)] == ["Agents and ghosts", "0", "5", "0/5"]
        bars = text_of(app, "#home-mastery")
        assert "The decade of agents" in bars and "Ghosts, not animals" in bars


async def test_a_full_review_session(small_tutor: Tutor, clock: FrozenClock) -> None:
    app = EurekaApp(small_tutor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await study_from_home(pilot)
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert "not the year of agents" not in text_of(app, "#review-prompt")
        assert text_of(app, "#review-prompt").startswith("Complete the claim: “Karpathy calls this")
        assert "The decade of agents · Andrej Karpathy · agents.md:10" in text_of(
            app, "#review-meta"
        )
        assert not app.screen.query_one("#review-answer").display

        await pilot.press("3")  # grading before the answer is shown does nothing
        await settle(pilot)
        assert small_tutor.reviews() == []

        await pilot.press("space")
        assert app.screen.query_one("#review-answer").display
        assert "not the year of agents" in text_of(app, "#review-answer")
        assert "3 Good · 10m" in str(app.screen.query_one("#rate-3").label)

        clock.advance(seconds=6)
        await pilot.press("1")
        await settle(pilot)
        [review] = small_tutor.reviews()
        assert (review.rating, review.correct, review.seconds) == (1, False, 6.0)
        assert app.screen.query_one(ProgressBar).progress == 1

        bar = app.screen.query_one(ProgressBar)
        for _ in range(4):
            await pilot.press("space", "4")
            await settle(pilot)
            assert bar.total is not None and bar.progress < bar.total  # a question is on screen
        # The failed fact comes back once the new ones are done: nothing is due or new, and the
        # bar is still not full (it was, then fell back).
        assert "Karpathy calls this" in text_of(app, "#review-prompt")
        assert bar.progress == 5 and bar.total is not None and bar.progress < bar.total
        await pilot.press("space", "3")
        await settle(pilot)
        assert bar.total is not None and bar.progress < bar.total
        await pilot.press("space", "3")
        await settle(pilot)
        assert bar.progress == bar.total == 7
        assert isinstance(app.screen, SessionSummaryDialog)
        rows = [str(row.render()) for row in app.screen.query(".summary-row")]
        assert rows[0].split() == ["Reviewed", "7"]
        assert rows[1].split() == ["Correct", "6", "(86%)"]
        assert rows[2].split() == ["Time", "0m", "06s"]
        assert rows[3].startswith("Next review")
        assert len(small_tutor.reviews()) == 7

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one(DataTable).get_row_at(0)[2] == "0"


async def test_undo_takes_back_the_answer_and_asks_again(small_tutor: Tutor) -> None:
    app = EurekaApp(small_tutor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await study_from_home(pilot)
        await settle(pilot)
        first_prompt = text_of(app, "#review-prompt")
        await pilot.press("space", "4")
        await settle(pilot)
        assert text_of(app, "#review-prompt") != first_prompt
        assert len(small_tutor.reviews()) == 1
        await pilot.press("u")
        await settle(pilot)
        assert small_tutor.reviews() == []
        assert text_of(app, "#review-prompt") == first_prompt
        assert app.screen.query_one(ProgressBar).progress == 0


async def test_help_escape_and_quit(small_tutor: Tutor) -> None:
    app = EurekaApp(small_tutor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await study_from_home(pilot)
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert "undo the last answer" in str(app.screen.query_one("#help-keys", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_the_command_palette_offers_the_screen_actions(small_tutor: Tutor) -> None:
    app = EurekaApp(small_tutor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Study", "Refresh", "Help"} <= set(titles)
        await run_command(pilot, "study")
        assert isinstance(app.screen, PlacementOfferDialog)  # the talk is new to the learner
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Show answer", "Again", "Hard", "Good", "Easy", "Undo", "Back"} <= set(titles)


async def answer_right(pilot: Pilot[None], app: EurekaApp, screen: ReviewScreen) -> None:
    """Answer the question on screen correctly, with the keys its kind takes."""
    question = screen.question
    assert question is not None
    match question.kind:
        case QuestionKind.FLASHCARD:
            await pilot.press("space", "3")
            return
        case QuestionKind.CHOICE:
            assert question.choices is not None
            await pilot.press(str(question.choices.index(str(question.expected)) + 1))
        case QuestionKind.TRUEFALSE:
            await pilot.press("t" if question.expected == "True" else "f")
        case QuestionKind.CLOZE | QuestionKind.TYPED:
            await pilot.press(*str(question.expected), "enter")
        case QuestionKind.ORDER:
            current = list(question.choices or [])
            for place, item in enumerate(question.expected):
                index = current.index(item)
                await pilot.press(*["down"] * index, *["shift+up"] * (index - place))
                await pilot.press(*["up"] * place)
                current.insert(place, current.pop(index))
            await pilot.press("enter")
    await settle(pilot)
    assert text_of(app, "#verdict-headline").startswith("✓ Right")
    await pilot.press("enter")


async def test_the_adaptive_tutor_asks_more_than_flashcards(
    db_path: Path, clock: FrozenClock
) -> None:
    """As the CLI opens it: every kind allowed, each question answered right by its keys."""
    tutor, _ = open_tutor(db_path, clock=clock, import_bundled=False, seed=1)
    tutor.import_notes(NOTES)
    with tutor:
        app = EurekaApp(tutor)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await study_from_home(pilot)
            await settle(pilot)
            for _ in range(30):
                if not isinstance(app.screen, ReviewScreen):
                    break
                await answer_right(pilot, app, app.screen)
                await settle(pilot)
            assert isinstance(app.screen, SessionSummaryDialog)
        reviews = tutor.reviews()
        assert reviews and all(review.correct for review in reviews)
        assert {review.question_kind for review in reviews} - {"flashcard"}
        assert {review.fact_id for review in reviews} == {fact.id for fact in tutor.facts()}
