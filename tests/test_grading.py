"""Grading answers (right or wrong, and the rating it counts as) and the text helpers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eurekatutor.domain.questions import QuestionKind
from eurekatutor.domain.text import fold_answer, parse_number
from eurekatutor.scheduling.grading import (
    DiffPart,
    Verdict,
    diff_answer,
    lenient_match,
    rating_for,
)
from eurekatutor.scheduling.memory import MemoryModel, MemoryState, Phase, Rating


@pytest.mark.parametrize(
    ("typed", "expected", "verdict"),
    [
        ("decade", "decade", (True, False)),
        ("The Decade!", "decade", (True, False)),
        ("decdae", "decade", (True, True)),  # two letters swapped: one edit
        ("reinforcment lerning", "reinforcement learning", (True, True)),
        ("dec", "decade", (False, False)),
        ("cat", "bat", (False, False)),  # short answers forgive nothing
        ("10", "about 10", (True, False)),
        ("ten", "about 10", (True, False)),
        ("20 billion", "about 20B parameters", (True, False)),
        ("a hundred", "100", (True, False)),
        ("11", "about 10", (False, False)),
        ("Karpathy", "Andrej Karpathy", (False, False)),  # a surname only when told it is one
        ("Academy", "Starfleet Academy", (False, False)),
        ("", "decade", (False, False)),
        ("a", "A", (True, False)),
    ],
)
def test_lenient_match(typed: str, expected: str, verdict: tuple[bool, bool]) -> None:
    assert lenient_match(typed, expected) == verdict


def test_the_diff_shows_extra_and_missing_words() -> None:
    assert diff_answer("the decade of agent", "decade of agents") == [
        DiffPart("extra", "the"),
        DiffPart("same", "decade of"),
        DiffPart("extra", "agent"),
        DiffPart("missing", "agents"),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("about 10", 10),
        ("20B", 20e9),
        ("a billion", 1e9),
        ("1.5 million", 1.5e6),
        ("twenty five", 25),
        ("10x", 10),
        ("within minutes", None),
        ("10 or 20", None),
    ],
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def test_fold_answer_drops_case_punctuation_and_articles() -> None:
    assert fold_answer("  The Ghosts, not an Animal! ") == "ghosts not animal"


def test_the_rating_an_answer_counts_as() -> None:
    model = MemoryModel()
    now = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    new = MemoryState()
    learning = model.review(new, Rating.GOOD, now)
    review = model.review(learning, Rating.GOOD, now + timedelta(minutes=10))
    assert review.phase is Phase.REVIEW
    right, wrong = Verdict(correct=True, response="x"), Verdict(correct=False, response="x")
    typo = Verdict(correct=True, response="x", forgiven=True)
    choice, typed = QuestionKind.CHOICE, QuestionKind.TYPED
    # A flashcard counts as the learner rated it, Hard included (Hard is a right answer).
    hard = Verdict(correct=True, response="2", rating=2)
    assert rating_for(QuestionKind.FLASHCARD, review, hard) is Rating.HARD
    assert rating_for(typed, review, wrong) is Rating.AGAIN
    # Recognising a new fact is an exposure, not a recall; while learning it moves it on.
    assert rating_for(choice, new, right) is Rating.AGAIN
    assert rating_for(choice, learning, right) is Rating.GOOD
    # In review, recognition and a forgiven typo are weaker evidence than recall.
    assert rating_for(choice, review, right) is Rating.HARD
    assert rating_for(typed, review, typo) is Rating.HARD
    assert rating_for(typed, review, right) is Rating.GOOD
