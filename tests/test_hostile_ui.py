"""User text is shown as text on every screen: markup in titles, topics, facts and speakers
neither crashes the app nor runs an action (tests/data/hostile/markup.md)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from textual.widgets import DataTable, Select, Static

from conftest import DATA, HOSTILE_TEXT, FrozenClock, settle
from eurekatutor.domain.questions import Question, QuestionKind
from eurekatutor.errors import AnswerError, NotesError
from eurekatutor.tutor import Tutor
from eurekatutor.ui.app import EurekaApp
from eurekatutor.ui.screens.browser import BrowserScreen
from eurekatutor.ui.screens.export import ExportDialog
from eurekatutor.ui.screens.review import ReviewScreen
from eurekatutor.ui.screens.stats import StatsScreen

HOSTILE = DATA / "hostile" / "markup.md"
TITLE = "[/] Ghosts [@click=app.quit]read more[/] a[/b"
TOPIC = "[link=https://example.com]Links[/link] and [sic] topics"
SIZE = (160, 50)


@pytest.fixture
def tutor(db_path: Path, clock: FrozenClock) -> Iterator[Tutor]:
    with Tutor.open(db_path, clock=clock, seed=1) as tutor:
        tutor.import_notes(HOSTILE)
        yield tutor


def shown(app: EurekaApp) -> str:
    """Everything the screen's text widgets and tables show, as plain text."""
    parts = [str(widget.render()) for widget in app.screen.query(Static)]
    for table in app.screen.query(DataTable):
        for row in range(table.row_count):
            parts += [str(cell) for cell in table.get_row_at(row)]
    return "\n".join(parts)


def every_question(tutor: Tutor) -> list[Question]:
    found = []
    for fact in tutor.facts():
        for kind in QuestionKind:
            try:
                found.append(tutor.question_for(fact.id or 0, kind=kind))
            except AnswerError:
                continue
    return found


async def test_home_lists_a_title_full_of_markup_as_it_is(tutor: Tutor) -> None:
    app = EurekaApp(tutor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert TITLE in shown(app)
        assert TOPIC in shown(app)  # the mastery bars' topic names
        await pilot.click("#home-talks")
        await settle(pilot)
        assert app.is_running  # a click on "read more" runs no action


async def test_every_question_kind_shows_its_text_and_answers_as_written(
    tutor: Tutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    questions = every_question(tutor)
    assert {q.kind for q in questions} >= {QuestionKind.FLASHCARD, QuestionKind.CLOZE}
    queue = list(questions)

    def next_question(now: datetime | None = None, talk_id: int | None = None) -> Question | None:
        return queue.pop(0) if queue else None

    monkeypatch.setattr(tutor, "next_question", next_question)
    app = EurekaApp(tutor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        if not isinstance(app.screen, ReviewScreen):
            await pilot.press("s")  # study from zero rather than placement
            await settle(pilot)
        for question in questions:
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            assert question.prompt in shown(app)
            if question.kind is QuestionKind.CHOICE:
                for choice in question.choices or []:
                    assert choice in shown(app)
            match question.kind:
                case QuestionKind.FLASHCARD:
                    await pilot.press("space")
                    await settle(pilot)
                    assert str(question.expected).split("\n")[0] in shown(app)
                    await pilot.press("3")
                case QuestionKind.CHOICE:
                    await pilot.press("1", "enter")
                case QuestionKind.TRUEFALSE:
                    await pilot.press("f")
                    await settle(pilot)
                    assert question.fact.text in shown(app)
                    await pilot.press("enter")
                case QuestionKind.ORDER:
                    await pilot.press("enter", "enter")
                case _:
                    await pilot.press(*"[/] x", "enter")
                    await settle(pilot)
                    assert "[/] x" in shown(app)
                    await pilot.press("enter")
            await settle(pilot)
        assert app.is_running


async def test_browser_stats_export_and_help_show_user_text_as_text(tutor: Tutor) -> None:
    app = EurekaApp(tutor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
        text = shown(app)
        assert "The model said [/INST] and then a[/b happened" in text
        assert "[citation needed] Reefs grow back" in text
        topics = app.screen.query_one("#browser-topic", Select)
        topics.value = TOPIC
        await settle(pilot)
        assert "[citation needed] Reefs grow back" in shown(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        assert TITLE in shown(app) or TOPIC in shown(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        assert TITLE in shown(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running


async def test_a_title_of_two_thousand_characters_keeps_the_question_and_buttons_on_screen(
    db_path: Path, clock: FrozenClock, tmp_path: Path
) -> None:
    notes = tmp_path / "long.md"
    title = "A very long title " * 120
    notes.write_text(
        f"---\ntitle: {title.strip()}\n---\n## T\n- Reefs grow back within a decade.\n"
    )
    with Tutor.open(db_path, clock=clock, seed=1) as tutor:
        tutor.import_notes(notes)
        app = EurekaApp(tutor)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            if not isinstance(app.screen, ReviewScreen):
                await pilot.press("s")
                await settle(pilot)
            assert isinstance(app.screen, ReviewScreen)
            talk = app.screen.query_one("#review-talk", Static)
            prompt = app.screen.query_one("#review-prompt", Static)
            assert talk.region.height == 1
            assert prompt.region.y > 0 and prompt.region.bottom <= 24
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("e")
            await settle(pilot)
            assert isinstance(app.screen, ExportDialog)
            assert app.screen.query_one("#export-talk", Static).region.height == 1
            for button in app.screen.query("#export-buttons Button"):
                assert button.region.bottom <= 24 and button.region.height > 0


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=HOSTILE_TEXT, topic=HOSTILE_TEXT, claim=HOSTILE_TEXT)
def test_any_markup_or_control_characters_pass_through_every_screen(
    tmp_path_factory: pytest.TempPathFactory, title: str, topic: str, claim: str
) -> None:
    notes = tmp_path_factory.mktemp("hostile") / "notes.md"
    notes.write_text(
        f"# {title}\n\n## {topic}\n\n- The claim about {claim} is long enough to keep.\n"
        f"- Another claim about {claim} says the reef grows 20 cm a year.\n",
        encoding="utf-8",
    )
    with Tutor.open(notes.parent / "hostile.db", seed=1) as tutor:
        try:
            tutor.import_notes(notes)
        except NotesError:
            return  # refused whole, with its reasons: nothing to show
        talk = next(talk for talk in tutor.talks() if talk.slug != "karpathy-dwarkesh-2025")

        async def visit() -> None:
            app = EurekaApp(tutor, study=talk)
            async with app.run_test(size=(100, 30)) as pilot:
                await settle(pilot)
                assert isinstance(app.screen, ReviewScreen)
                await pilot.press("escape")
                await settle(pilot)
                for key in ("b", "t", "e", "question_mark"):
                    await pilot.press(key)
                    await settle(pilot)
                    assert "\x1b" not in shown(app)
                    await pilot.press("escape")
                    await settle(pilot)
                assert app.is_running

        asyncio.run(visit())
