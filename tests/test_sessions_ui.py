"""Quiz and placement in the app: started from the home screen, answered by keys, reported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from conftest import DATA, FrozenClock, settle
from eurekatutor.bootstrap import bundled_decks
from eurekatutor.cli import main
from eurekatutor.domain.models import Talk
from eurekatutor.domain.questions import QuestionKind
from eurekatutor.sessions import Study
from eurekatutor.tutor import Tutor
from eurekatutor.ui.app import EurekaApp
from eurekatutor.ui.screens.home import HomeScreen
from eurekatutor.ui.screens.review import ReviewScreen
from eurekatutor.ui.screens.start import PlacementOfferDialog, QuizDialog
from eurekatutor.ui.screens.summary import SessionSummaryDialog

NOTES = DATA / "tutor" / "agents.md"


@pytest.fixture
def tutor(db_path: Path, clock: FrozenClock) -> Iterator[Tutor]:
    with Tutor.open(db_path, clock=clock, seed=4) as opened:
        opened.import_notes(NOTES)
        yield opened


async def answer_wrong(pilot: Pilot[None], screen: ReviewScreen) -> None:
    """Answer the question on screen wrongly, whatever its kind, then go on."""
    question = screen.question
    assert question is not None
    match question.kind:
        case QuestionKind.FLASHCARD:
            await pilot.press("space", "1")
        case QuestionKind.CHOICE:
            assert question.choices is not None
            wrong = next(i for i, c in enumerate(question.choices, 1) if c != question.expected)
            await pilot.press(str(wrong))
        case QuestionKind.TRUEFALSE:
            await pilot.press("f" if question.expected == "True" else "t")
        case QuestionKind.CLOZE | QuestionKind.TYPED:
            await pilot.press(*"zebra", "enter")
        case QuestionKind.ORDER:
            await pilot.press("enter", "enter")
    await settle(pilot)
    if question.kind is not QuestionKind.FLASHCARD:
        await pilot.press("enter")
        await settle(pilot)


def summary_text(app: EurekaApp) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


async def test_a_quiz_from_the_home_screen_ends_with_a_report_by_topic(
    tutor: Tutor, clock: FrozenClock
) -> None:
    app = EurekaApp(tutor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, QuizDialog)
        assert app.screen.query_one(Input).value == "15"
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.sub_title == "Quiz, 15 minutes"
        enabled = {key for key, active in screen.active_bindings.items() if active.enabled}
        assert "u" not in enabled  # a quiz cannot be undone answer by answer
        for _ in range(5):
            assert isinstance(app.screen, ReviewScreen)
            await answer_wrong(pilot, screen)
            clock.advance(minutes=1)
        assert isinstance(app.screen, SessionSummaryDialog)
        text = summary_text(app)
        assert "Quiz, 15 minutes: session complete" in text
        assert "Quiz: 0 of 5 right" in text
        assert "The decade of agents: 0/3 right" in text
        assert "missed (agents.md:10)" in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert {r.mode for r in tutor.reviews()} == {"quiz"}
    assert len(tutor.reviews()) == 5


async def test_the_quiz_ends_when_its_time_is_up(tutor: Tutor, clock: FrozenClock) -> None:
    app = EurekaApp(tutor, quiz_minutes=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.sub_title == "Quiz, 2 minutes"
        clock.advance(minutes=3)
        await answer_wrong(pilot, screen)
        assert isinstance(app.screen, SessionSummaryDialog)
        assert "Quiz: 0 of 1 right" in summary_text(app)


async def test_a_quiz_counts_down_and_escape_keeps_its_partial_report(
    tutor: Tutor, clock: FrozenClock
) -> None:
    talk = tutor.talks()[0]
    app = EurekaApp(tutor, quiz_minutes=1, study=talk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.sub_title == "Quiz, 1 minute"
        clock_line = screen.query_one("#review-clock", Static)
        assert str(clock_line.render()) == "1:00 left"
        clock.advance(seconds=25)
        await pilot.pause(1.2)  # the clock ticks once a second
        assert str(clock_line.render()) == "0:35 left"
        for _ in range(2):
            await answer_wrong(pilot, screen)
        await pilot.press("escape")
        await settle(pilot)
        # Leaving early shows what the quiz found so far, then the talks.
        assert isinstance(app.screen, SessionSummaryDialog)
        assert "Quiz: 0 of 2 right" in summary_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert len(tutor.reviews()) == 2


async def test_escape_before_any_answer_leaves_a_quiz_without_a_report(tutor: Tutor) -> None:
    app = EurekaApp(tutor, quiz_minutes=5, study=tutor.talks()[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_a_new_talk_offers_placement_which_credits_known_topics(
    tutor: Tutor, clock: FrozenClock
) -> None:
    app = EurekaApp(tutor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlacementOfferDialog)
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.sub_title == "Placement"
        asked = 0
        while isinstance(app.screen, ReviewScreen) and asked < 10:
            await answer_wrong(pilot, screen)
            asked += 1
        assert isinstance(app.screen, SessionSummaryDialog)
        text = summary_text(app)
        assert "The decade of agents: unknown" in text
        assert "0 facts of known topics credited as known." in text
    assert asked <= 4  # two wrong answers settle each of the two topics
    assert {r.mode for r in tutor.reviews()} == {"placement"}


async def test_placement_credits_a_topic_answered_right(tutor: Tutor) -> None:
    talk = tutor.talks()[0]
    from eurekatutor.sessions import Placement

    placement = Placement(tutor, talk.id)
    while (question := placement.next_question()) is not None:
        right = question.expected if question.kind is not QuestionKind.FLASHCARD else 3
        placement.answer(question, right)
    lines = placement.finish()
    assert "The decade of agents: known" in lines
    assert any(line.endswith("credited as known.") and not line.startswith("0 ") for line in lines)


def test_the_quiz_command_refuses_a_bad_length(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db_path), "quiz", "--minutes", "0"]) == 2
    assert "a quiz lasts from 1 to 180 minutes, not 0" in capsys.readouterr().err
    assert main(["--db", str(db_path), "quiz", "--talk", "no such talk"]) == 2
    assert "no such talk" in capsys.readouterr().err


async def test_the_app_opened_on_studying_lists_the_talks_after_the_session(
    tutor: Tutor,
) -> None:
    talk = tutor.talks()[0]
    app = EurekaApp(tutor, study=talk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.sub_title == "Study"
        assert screen.question is not None
        assert str(screen.query_one("#review-talk", Static).render()) == talk.title
        await answer_wrong(pilot, screen)
        assert [review.mode for review in tutor.reviews()] == ["study"]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        row = app.screen.query_one(DataTable).get_row_at(0)
        assert str(row[0]) == talk.title and row[3] == "0/5"


def test_the_study_command_picks_the_talk_with_the_most_due(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    opened: list[Talk | None] = []
    monkeypatch.setattr(EurekaApp, "run", lambda app: opened.append(app.study))
    with Tutor.open(db_path, clock=FrozenClock(), seed=4) as tutor:
        for deck in bundled_decks():
            tutor.import_notes(deck)
        tutor.import_notes(NOTES)
        talks = tutor.talks()
        first = talks[0]
        agents = next(talk for talk in talks if talk.title == "Agents and ghosts")
    assert first != agents
    # Nothing due anywhere: the first talk with new facts; no command: the talks.
    assert main(["--db", str(db_path), "study"]) == 0
    assert main(["--db", str(db_path)]) == 0
    assert opened == [first, None]
    with Tutor.open(db_path, clock=FrozenClock(), seed=4) as tutor:
        # Answered months before today: due now.
        session = Study(tutor, agents.id)
        question = session.next_question()
        assert question is not None
        right = 3 if question.kind is QuestionKind.FLASHCARD else question.expected
        session.answer(question, right)
    assert main(["--db", str(db_path), "study"]) == 0
    assert main(["--db", str(db_path), "study", first.title.upper()]) == 0
    assert opened[2:] == [agents, first]
    assert main(["--db", str(db_path), "study", "no such talk"]) == 2
    assert "no talk 'no such talk'; the talks are: " in capsys.readouterr().err
    assert len(opened) == 4


async def test_the_calibration_saved_last_time_is_refitted_once_a_question_is_shown(
    db_path: Path, clock: FrozenClock
) -> None:
    with Tutor.open(db_path, clock=clock, seed=4) as tutor:
        tutor.import_notes(NOTES)
        tutor.defer_refits = True
        tutor.refit_calibration()  # kept for the next start
    with Tutor.open(db_path, clock=clock, seed=4) as tutor:
        app = EurekaApp(tutor, study=tutor.talks()[0])
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ReviewScreen) and screen.question is not None
            assert not tutor.refit_due
