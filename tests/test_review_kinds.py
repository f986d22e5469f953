"""The review screen with every question kind, answered right and wrong by pressing keys."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, Static

from conftest import DATA, FrozenClock, settle, study_from_home
from eurekatutor.domain.models import FactKind
from eurekatutor.domain.questions import FALSE, TRUE, Question, QuestionKind
from eurekatutor.errors import AnswerError
from eurekatutor.tutor import Tutor
from eurekatutor.ui.app import EurekaApp
from eurekatutor.ui.screens.home import HomeScreen
from eurekatutor.ui.screens.review import ReviewScreen
from eurekatutor.ui.screens.summary import SessionSummaryDialog
from eurekatutor.ui.widgets.footer import KeysFooter
from eurekatutor.ui.widgets.order_list import OrderList

NOTES = DATA / "tutor" / "agents.md"
DECK = Path(__file__).parent.parent / "decks" / "karpathy-dwarkesh-2025.md"
# agents.md: 1 the main claim, 2 a claim, 3 a number ("about 10"), 4 a claim, 5 a quote.
# Five facts give few distractors: the main claim has no choice or true/false question there,
# the second claim does. In the full deck, fact 1 is the same main claim.
MAIN_CLAIM, INTERN_CLAIM, NUMBER, QUOTE = 1, 2, 3, 5


@pytest.fixture
def small(db_path: Path, clock: FrozenClock) -> Iterator[Tutor]:
    """An adaptive tutor on the small notes file."""
    with Tutor.open(db_path, clock=clock, seed=1) as tutor:
        tutor.import_notes(NOTES)
        yield tutor


@pytest.fixture
def deck(db_path: Path, clock: FrozenClock) -> Iterator[Tutor]:
    """An adaptive tutor on the full deck, which has sequences to put in order."""
    with Tutor.open(db_path, clock=clock, seed=1) as tutor:
        tutor.import_notes(DECK)
        yield tutor


def ask(monkeypatch: pytest.MonkeyPatch, tutor: Tutor, *questions: Question) -> None:
    """Make the session ask exactly these questions, in order, then end."""
    queue = list(questions)

    def next_question(now: datetime | None = None, talk_id: int | None = None) -> Question | None:
        return queue.pop(0) if queue else None

    monkeypatch.setattr(tutor, "next_question", next_question)


def question(tutor: Tutor, fact_id: int, kind: QuestionKind, **wanted: object) -> Question:
    """Return a ``kind`` question about a fact, generated until its attributes match."""
    for _ in range(50):
        try:
            made = tutor.question_for(fact_id, kind=kind)
        except AnswerError:  # this draw (of a blank, say) gave too few distractors
            continue
        if all(getattr(made, name) == value for name, value in wanted.items()):
            return made
    raise AssertionError(f"no {kind} question about fact {fact_id} with {wanted}")


async def start(pilot: Pilot[None]) -> ReviewScreen:
    await settle(pilot)
    await study_from_home(pilot)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def text_of(app: EurekaApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def shown(app: EurekaApp, selector: str) -> bool:
    """Whether this part of the screen is shown (a part not needed yet is not built)."""
    return any(widget.display for widget in app.screen.query(selector))


def styled(app: EurekaApp, selector: str, style: str) -> list[str]:
    """Return the pieces of a Static's text drawn with ``style`` (e.g. ``strike``)."""
    content = app.screen.query_one(selector, Static).content
    assert isinstance(content, Text)
    return [
        content.plain[span.start : span.end] for span in content.spans if style in str(span.style)
    ]


def footer_keys(app: EurekaApp) -> dict[str, str]:
    return {
        key: active.binding.description
        for key, active in app.screen.active_bindings.items()
        if active.enabled and active.binding.show
    }


# Multiple choice


async def test_choice_right_by_number_key(small: Tutor, monkeypatch: pytest.MonkeyPatch) -> None:
    q = question(small, INTERN_CLAIM, QuestionKind.CHOICE)
    ask(monkeypatch, small, q)
    assert q.choices is not None and isinstance(q.expected, str)
    app = EurekaApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        assert "_____" in text_of(app, "#review-prompt")
        for number, choice in enumerate(q.choices, start=1):
            assert text_of(app, f"#option-{number} .option-key") == str(number)
            assert text_of(app, f"#option-{number} .option-text") == choice
        assert {"1", "2", "3", "4"} <= set(footer_keys(app))
        assert "space" not in footer_keys(app)  # nothing to reveal: it is not a flashcard

        right = q.choices.index(q.expected) + 1
        await pilot.press(str(right))
        await settle(pilot)
        assert text_of(app, "#verdict-headline") == "✓ Right."
        assert text_of(app, f"#option-{right} .option-key") == "✓"
        assert not shown(app, "#verdict-answer-row")  # a right choice is already marked
        assert text_of(app, "#verdict-fact") == q.fact.text
        assert text_of(app, "#verdict-source") == "agents.md:12"
        assert "Press enter for the next question" in text_of(app, "#review-hint")
        [review] = small.reviews()
        assert (review.question_kind, review.response, review.correct) == (
            "choice",
            q.expected,
            True,
        )

        # Once answered, the number keys do nothing more.
        await pilot.press(str(right % 4 + 1))
        await settle(pilot)
        assert len(small.reviews()) == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionSummaryDialog)


async def test_choice_wrong_shows_the_answer(small: Tutor, monkeypatch: pytest.MonkeyPatch) -> None:
    q = question(small, NUMBER, QuestionKind.CHOICE)
    ask(monkeypatch, small, q)
    assert q.choices is not None
    wrong = next(n for n, choice in enumerate(q.choices, start=1) if choice != q.expected)
    app = EurekaApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        assert (
            text_of(app, "#review-prompt")
            == "Years Karpathy expects it takes for agents to really work?"
        )
        await pilot.press(str(wrong))
        await settle(pilot)
        assert text_of(app, "#verdict-headline") == "✗ Not quite."
        assert text_of(app, f"#option-{wrong} .option-key") == "✗"
        assert text_of(app, "#verdict-answer") == "about 10"
        assert text_of(app, "#verdict-fact") == (
            "Years Karpathy expects it takes for agents to really work: about 10"
        )
    [review] = small.reviews()
    assert (review.question_kind, review.response, review.correct) == (
        "choice",
        q.choices[wrong - 1],
        False,
    )


async def test_choice_by_clicking_an_option(deck: Tutor, monkeypatch: pytest.MonkeyPatch) -> None:
    quote = next(f for f in deck.facts() if f.text.startswith("Resolving all foundational"))
    q = question(deck, quote.id or 0, QuestionKind.CHOICE)
    ask(monkeypatch, deck, q)
    assert q.choices is not None and q.expected == "~10 years"
    right = q.choices.index(str(q.expected)) + 1
    app = EurekaApp(deck)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.click(f"#option-{right}")
        await settle(pilot)
        assert text_of(app, "#verdict-headline") == "✓ Right."
        assert text_of(app, "#verdict-fact") == (
            "“Resolving all foundational issues will likely take ~10 years, not 1 or 50.” "
            "(Andrej Karpathy)"
        )
    [review] = deck.reviews()
    assert (review.question_kind, review.response, review.correct) == ("choice", q.expected, True)


# True or false


async def test_truefalse_false_statement_answered_false_shows_the_correction(
    deck: Tutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    q = question(deck, MAIN_CLAIM, QuestionKind.TRUEFALSE, expected=FALSE)
    ask(monkeypatch, deck, q)
    app = EurekaApp(deck)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        assert {"t": "True", "f": "False"}.items() <= footer_keys(app).items()
        assert shown(app, "#review-truefalse")
        await pilot.press("f")
        await settle(pilot)
        assert text_of(app, "#verdict-headline") == "✓ Right: the statement is false."
        assert text_of(app, "#verdict-correction") == q.correction == q.fact.text
        assert not shown(app, "#review-truefalse")
    [review] = deck.reviews()
    assert (review.question_kind, review.response, review.correct) == ("truefalse", FALSE, True)


async def test_truefalse_true_statement_answered_false_is_wrong(
    small: Tutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    q = question(small, MAIN_CLAIM, QuestionKind.TRUEFALSE, expected=TRUE)
    ask(monkeypatch, small, q)
    app = EurekaApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.click("#truefalse-f")
        await settle(pilot)
        assert text_of(app, "#verdict-headline") == "✗ Wrong: the statement is true."
        assert not shown(app, "#verdict-correction-row")
        assert "the decade of agents, not the year" in text_of(app, "#verdict-fact")
        assert text_of(app, "#verdict-source") == "agents.md:10"
    [review] = small.reviews()
    assert (review.question_kind, review.response, review.correct) == ("truefalse", FALSE, False)


async def test_truefalse_t_key_answers_true(small: Tutor, monkeypatch: pytest.MonkeyPatch) -> None:
    q = question(small, MAIN_CLAIM, QuestionKind.TRUEFALSE, expected=TRUE)
    ask(monkeypatch, small, q)
    app = EurekaApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert text_of(app, "#verdict-headline") == "✓ Right: the statement is true."
    [review] = small.reviews()
    assert (review.response, review.correct) == (TRUE, True)


# Typed answers and clozes


async def test_typed_number_is_compared_as_a_number(
    small: Tutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    ask(monkeypatch, small, question(small, NUMBER, QuestionKind.TYPED))
    app = EurekaApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        assert app.screen.focused is app.screen.query_one("#review-input", Input)
        await pilot.press("1", "0", "enter")
        await settle(pilot)
        assert text_of(app, "#verdict-headline") == "✓ Right."
        assert text_of(app, "#verdict-typed") == "10"
        assert text_of(app, "#verdict-answer") == "about 10"
        assert not shown(app, "#review-input")
    [review] = small.reviews()
    assert (review.question_kind, review.response, review.correct) == ("typed", "10", True)


async def test_typed_wrong_answer_shows_a_diff(
    small: Tutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    ask(monkeypatch, small, question(small, NUMBER, QuestionKind.TYPED))
    app = EurekaApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press(*"about 20", "enter")
        await settle(pilot)
        assert text_of(app, "#verdict-headline") == "✗ Not quite."
        assert text_of(app, "#verdict-typed") == "about 20"
        assert text_of(app, "#verdict-answer") == "about 10"
        assert styled(app, "#verdict-typed", "strike") == ["20"]
        assert styled(app, "#verdict-answer", "underline") == ["10"]
        assert shown(app, "#verdict-legend")
    [review] = small.reviews()
    assert (review.question_kind, review.response, review.correct) == ("typed", "about 20", False)


async def test_o_overrules_the_check_and_the_schedule_follows(
    small: Tutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    ask(monkeypatch, small, question(small, NUMBER, QuestionKind.TYPED))
    app = EurekaApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press(*"roughly ten, give or take", "enter")
        await settle(pilot)
        assert text_of(app, "#verdict-headline") == "✗ Not quite."
        [wrong] = small.reviews()
        due_if_wrong = small.memory(wrong.fact_id).due
        await pilot.press("o")  # "I was right"
        await settle(pilot)
        assert text_of(app, "#verdict-headline").startswith("✓")
        [review] = small.reviews()
        assert (review.correct, review.overruled, review.rating) == (True, True, 3)
        due = small.memory(review.fact_id).due
        assert due is not None and due_if_wrong is not None and due > due_if_wrong
        await pilot.press("o")  # and back: "I was wrong"
        await settle(pilot)
        assert text_of(app, "#verdict-headline") == "✗ Not quite."
        [review] = small.reviews()
        assert (review.correct, review.overruled, review.rating) == (False, True, 1)
        assert small.memory(review.fact_id).due == due_if_wrong


async def test_cloze_typo_is_accepted_and_said_so(
    small: Tutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    q = question(small, INTERN_CLAIM, QuestionKind.CLOZE, expected="a human intern")
    ask(monkeypatch, small, q)
    app = EurekaApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        prompt = text_of(app, "#review-prompt")
        assert prompt.endswith("but cannot yet replace _____.")
        await pilot.press(*"a humna intern", "enter")
        await settle(pilot)
        assert text_of(app, "#verdict-headline") == "✓ Right, accepted despite a typo."
        assert styled(app, "#verdict-typed", "strike") == ["humna"]
        assert styled(app, "#verdict-answer", "underline") == ["human"]
        assert text_of(app, "#verdict-fact") == q.fact.text
    [review] = small.reviews()
    assert (review.question_kind, review.response, review.correct) == (
        "cloze",
        "a humna intern",
        True,
    )


async def test_keys_type_into_the_answer_and_empty_enter_asks_before_giving_up(
    small: Tutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    ask(monkeypatch, small, question(small, NUMBER, QuestionKind.TYPED))
    app = EurekaApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        field = app.screen.query_one("#review-input", Input)
        # Every one of these is a binding elsewhere; here it is just a character.
        await pilot.press("q", "u", "t", "f", "1", "space", "question_mark")
        await settle(pilot)
        assert field.value == "qutf1 ?"
        assert isinstance(app.screen, ReviewScreen) and small.reviews() == []

        field.value = ""
        await pilot.press("enter")
        await settle(pilot)
        assert small.reviews() == []
        assert shown(app, "#review-input") and not shown(app, "#review-verdict")
        await pilot.press("enter")  # a second enter gives up
        await settle(pilot)
        assert text_of(app, "#verdict-headline") == "✗ Not quite."
        assert text_of(app, "#verdict-typed") == "(nothing)"
    [review] = small.reviews()
    assert (review.response, review.correct) == ("", False)


async def test_escape_while_typing_goes_back_without_answering(
    small: Tutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    ask(monkeypatch, small, question(small, NUMBER, QuestionKind.TYPED))
    app = EurekaApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("1", "escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert small.reviews() == []


# Putting a sequence in order


def sequence_id(tutor: Tutor, cue: str) -> int:
    [fact] = [f for f in tutor.facts() if f.kind is FactKind.SEQUENCE and f.cue == cue]
    assert fact.id is not None
    return fact.id


async def test_order_sorted_by_moving_items(deck: Tutor, monkeypatch: pytest.MonkeyPatch) -> None:
    q = question(deck, sequence_id(deck, "Karpathy's career, in order"), QuestionKind.ORDER)
    ask(monkeypatch, deck, q)
    assert q.choices is not None and isinstance(q.expected, list)
    app = EurekaApp(deck)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)
        order = screen.query_one(OrderList)
        assert screen.focused is order
        assert list(order.items) == q.choices
        # Selection sort with the keys: highlight the item that belongs at each place and
        # move it up there, with shift+up and with [ alike.
        current, cursor = list(q.choices), 0
        for place, item in enumerate(q.expected):
            index = current.index(item)
            await pilot.press(*(["down"] * (index - cursor) or ["up"] * (cursor - index)))
            for step in range(index - place):
                await pilot.press("shift+up" if step % 2 == 0 else "left_square_bracket")
            current.insert(place, current.pop(index))
            cursor = place
            await pilot.pause()
            assert list(order.items) == current
        assert list(order.items) == q.expected
        await pilot.press("enter")
        await settle(pilot)
        assert text_of(app, "#verdict-headline") == "✓ Right."
        assert [text_of(app, f"#order-{n} .order-number") for n in (1, 2, 3)] == [
            "✓ 1.",
            "✓ 2.",
            "✓ 3.",
        ]
        assert text_of(app, "#verdict-fact") == (
            "Karpathy's career, in order:\n"
            "1. Early neural network work at the University of Toronto, in the Geoff Hinton era\n"
            "2. Co-founder of OpenAI\n"
            "3. Head of Tesla Autopilot"
        )
    [review] = deck.reviews()
    assert (review.question_kind, review.response, review.correct) == (
        "order",
        " → ".join(q.expected),
        True,
    )


async def test_order_moved_wrong_is_marked_per_place(
    deck: Tutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    cue = "The seismic shifts in AI that Karpathy lived through, in order"
    q = question(deck, sequence_id(deck, cue), QuestionKind.ORDER)
    ask(monkeypatch, deck, q)
    assert q.choices is not None and isinstance(q.expected, list)
    app = EurekaApp(deck)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("right_square_bracket")  # move the first item down one place
        await pilot.pause()
        moved = [q.choices[1], q.choices[0], *q.choices[2:]]
        assert list(app.screen.query_one(OrderList).items) == moved
        await pilot.press("enter")
        await settle(pilot)
        marks = [text_of(app, f"#order-{n} .order-number")[0] for n in (1, 2, 3)]
        assert marks == ["✓" if a == b else "✗" for a, b in zip(moved, q.expected, strict=True)]
        correct = moved == q.expected
        assert text_of(app, "#verdict-headline") == ("✓ Right." if correct else "✗ Not quite.")
    [review] = deck.reviews()
    assert (review.question_kind, review.response, review.correct) == (
        "order",
        " → ".join(moved),
        moved == q.expected,
    )


async def test_order_left_shuffled_asks_before_giving_up(
    deck: Tutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    q = question(deck, sequence_id(deck, "Karpathy's career, in order"), QuestionKind.ORDER)
    ask(monkeypatch, deck, q)
    app = EurekaApp(deck)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert deck.reviews() == []
        await pilot.press("enter")
        await settle(pilot)
        assert text_of(app, "#verdict-headline") == "✗ Not quite."
    [review] = deck.reviews()
    assert (review.question_kind, review.correct) == ("order", False)


# Around the answers


async def test_undo_after_a_verdict_asks_the_fact_again(
    small: Tutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    q = question(small, NUMBER, QuestionKind.CHOICE)
    ask(monkeypatch, small, q)
    assert q.choices is not None
    app = EurekaApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press(str(q.choices.index(str(q.expected)) + 1))
        await settle(pilot)
        assert len(small.reviews()) == 1
        await pilot.press("u")
        await settle(pilot)
        assert small.reviews() == []
        assert "agents.md:14" in text_of(app, "#review-meta")
        assert not shown(app, "#review-verdict")


async def test_a_mixed_session_ends_with_its_summary(
    small: Tutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    choice = question(small, INTERN_CLAIM, QuestionKind.CHOICE)
    truefalse = question(small, MAIN_CLAIM, QuestionKind.TRUEFALSE, expected=TRUE)
    flashcard = question(small, NUMBER, QuestionKind.FLASHCARD)
    ask(monkeypatch, small, choice, truefalse, flashcard)
    assert choice.choices is not None
    app = EurekaApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press(str(choice.choices.index(str(choice.expected)) + 1), "enter")
        await settle(pilot)
        await pilot.press("f", "enter")
        await settle(pilot)
        assert not shown(app, "#review-answer")
        await pilot.press("space")
        assert text_of(app, "#review-answer") == "about 10"
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, SessionSummaryDialog)
        rows = [str(row.render()).split() for row in app.screen.query(".summary-row")]
        assert rows[0] == ["Reviewed", "3"]
        assert rows[1] == ["Correct", "2", "(67%)"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    kinds = [(r.question_kind, r.correct) for r in small.reviews()]
    assert kinds == [("choice", True), ("truefalse", False), ("flashcard", True)]


async def test_the_command_palette_offers_every_kind_of_answer(small: Tutor) -> None:
    app = EurekaApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Choose option 1", "True", "False", "Next question", "Show answer"} <= titles


async def test_the_footer_shows_each_steps_keys_and_a_click_presses_one(
    small: Tutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    flashcard = question(small, NUMBER, QuestionKind.FLASHCARD)
    choice = question(small, INTERN_CLAIM, QuestionKind.CHOICE)
    ask(monkeypatch, small, flashcard, choice)
    app = EurekaApp(small)
    async with app.run_test(size=(100, 24)) as pilot:
        await start(pilot)
        footer = app.screen.query_one(KeysFooter)

        def line() -> str:
            return footer.render().plain

        # Nothing to undo before the session's first answer: no undo key.
        assert line().startswith(" space Show answer  ^f Flag  ? Help  esc Back  q Quit")
        assert line().endswith("▏^p Commands ") and len(line()) == 100
        reveal = next(spot for spot in footer.spots if spot.key == "space")
        assert line()[reveal.start : reveal.end] == " space Show answer "
        await pilot.click(KeysFooter, offset=(reveal.start + 2, 0))
        await settle(pilot)
        assert text_of(app, "#review-answer") == "about 10"
        assert line().startswith(" 1 Again  2 Hard  3 Good  4 Easy  ^f Flag ")
        good = next(spot for spot in footer.spots if spot.key == "3")
        await pilot.click(KeysFooter, offset=(good.start + 1, 0))
        await settle(pilot)
        assert app.screen.question == choice
        # The keys of a group share its description.
        assert line().startswith(" 1 2 3 4 Choose  u Undo ")
        # Keys change without building widgets: the footer is one line of text.
        assert not footer.children
    assert [(r.question_kind, r.rating) for r in small.reviews()] == [("flashcard", 3)]


async def test_a_question_marked_bad_is_never_asked_again(
    small: Tutor, monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    q = question(small, INTERN_CLAIM, QuestionKind.CHOICE)
    flash = question(small, NUMBER, QuestionKind.FLASHCARD)
    ask(monkeypatch, small, q, flash)
    notes: list[str] = []
    app = EurekaApp(small)
    async with app.run_test(size=(100, 24)) as pilot:
        monkeypatch.setattr(app, "notify", lambda message, **_: notes.append(str(message)))
        await start(pilot)
        assert footer_keys(app)["ctrl+x"] == "Bad question"
        await pilot.press("ctrl+x")
        await settle(pilot)
        assert notes == ["Marked as a bad question: this version will not be asked again."]
        # Marked before answering: no answer is logged, and the next question is on screen.
        assert small.reviews() == []
        assert "Show answer" in footer_keys(app).values()
    # Kept in the database: a new tutor on it never builds that version again.
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute("SELECT fact_id, kind, version FROM bad_question").fetchall()
    assert rows == [(INTERN_CLAIM, "choice", q.version)]
    fact = next(f for f in small.facts() if f.id == INTERN_CLAIM)
    assert QuestionKind.CHOICE not in small.kinds_for(fact)
    with Tutor.open(db_path, seed=1) as again:
        assert QuestionKind.CHOICE not in again.kinds_for(fact)
        assert QuestionKind.CLOZE in again.kinds_for(fact)


async def test_undo_takes_back_this_sessions_answers_only_and_says_which(
    db_path: Path, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Tutor.open(db_path, clock=clock, seed=1) as before:
        before.import_notes(NOTES)
        before.answer(before.question_for(NUMBER, kind=QuestionKind.FLASHCARD), 3)
    clock.advance(days=1)
    with Tutor.open(db_path, clock=clock, seed=1) as tutor:
        flash = question(tutor, MAIN_CLAIM, QuestionKind.FLASHCARD)
        ask(monkeypatch, tutor, flash, question(tutor, INTERN_CLAIM, QuestionKind.FLASHCARD))
        notes: list[str] = []
        app = EurekaApp(tutor)
        async with app.run_test(size=(100, 24)) as pilot:
            monkeypatch.setattr(app, "notify", lambda message, **_: notes.append(str(message)))
            await start(pilot)
            # Yesterday's answer is not this session's: u does nothing and is not offered.
            assert "u" not in footer_keys(app)
            await pilot.press("u")
            await settle(pilot)
            assert len(tutor.reviews()) == 1
            await pilot.press("space", "4")
            await settle(pilot)
            assert footer_keys(app)["u"] == "Undo"
            await pilot.press("u")
            await settle(pilot)
            assert notes == [f"Undid your answer to “{flash.fact.text}”: Easy"]
            assert [r.fact_id for r in tutor.reviews()] == [NUMBER]
