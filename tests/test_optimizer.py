"""Refitting FSRS to the learner's own reviews (fsrs-rs-python)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs

from conftest import FrozenClock
from eurekatutor.scheduling.optimizer import (
    MIN_REVIEWS_TO_FIT,
    ReviewPoint,
    fit_parameters,
    fsrs_items,
)
from eurekatutor.tutor import Tutor

DECK = Path(__file__).parents[1] / "decks" / "karpathy-dwarkesh-2025.md"
START = datetime(2026, 1, 1, 12, tzinfo=UTC)


def synthetic_history(reviews_per_fact: int, facts: int, seed: int = 1) -> list[ReviewPoint]:
    rng = random.Random(seed)
    history = []
    for fact_id in range(facts):
        when, interval = START, 1.0
        for _ in range(reviews_per_fact):
            rating = 3 if rng.random() < 0.85 else 1
            history.append(ReviewPoint(fact_id, when, rating))
            interval = interval * 2.5 if rating == 3 else 1.0
            when += timedelta(days=interval)
    return history


def test_items_are_prefixes_ending_on_a_later_day() -> None:
    history = [
        ReviewPoint(1, START, 3),
        ReviewPoint(1, START + timedelta(minutes=10), 3),  # same day: no item of its own
        ReviewPoint(1, START + timedelta(days=3), 3),
        ReviewPoint(2, START, 1),
    ]
    items = fsrs_items(history)
    assert len(items) == 1
    assert [repr(r) for r in items[0].reviews] == [
        "FSRSReview { rating: 3, delta_t: 0 }",
        "FSRSReview { rating: 3, delta_t: 0 }",
        "FSRSReview { rating: 3, delta_t: 3 }",
    ]


def test_too_few_reviews_keep_the_defaults() -> None:
    assert fit_parameters(synthetic_history(3, 10)) is None


def test_a_long_history_gives_valid_parameters_that_differ_from_the_defaults() -> None:
    history = synthetic_history(6, 100)
    assert len(history) >= MIN_REVIEWS_TO_FIT
    parameters = fit_parameters(history)
    assert parameters is not None and len(parameters) == 21
    assert parameters != tuple(fsrs.scheduler.DEFAULT_PARAMETERS)
    fsrs.Scheduler(parameters=parameters)  # within py-fsrs's bounds


def answer_until(tutor: Tutor, clock: FrozenClock, answers: int, rng: random.Random) -> None:
    """Study flashcards, right about 85% of the time, until the log holds ``answers``."""
    while len(tutor.reviews()) < answers:
        question = tutor.next_question()
        if question is None:
            clock.advance(days=1)
            continue
        tutor.answer(question, 3 if rng.random() < 0.85 else 1)
        clock.advance(seconds=30)


def flashcards(db: Path, clock: FrozenClock) -> Tutor:
    """Open a tutor on ``db`` that asks flashcards only, up to 90 new facts a day."""
    return Tutor.open(db, clock=clock, kinds=["flashcard"], new_per_day=90)


def test_the_tutor_refits_from_its_log_and_keeps_the_fit(tmp_path: Path) -> None:
    clock, db, rng = FrozenClock(START), tmp_path / "fit.db", random.Random(2)
    with flashcards(db, clock) as tutor:
        tutor.import_notes(DECK)
        defaults = tutor.parameters
        answer_until(tutor, clock, MIN_REVIEWS_TO_FIT, rng)
        assert tutor.parameters == defaults
        fitted = tutor.optimize()
        assert fitted is not None and tutor.parameters == fitted != defaults
        assert tutor.optimize() is None  # not enough new reviews since
    with Tutor.open(db, clock=clock) as reopened:
        assert reopened.parameters == fitted


def test_opening_a_log_that_reached_a_refit_fits_fsrs_to_it(tmp_path: Path) -> None:
    clock, db, rng = FrozenClock(START), tmp_path / "fit.db", random.Random(2)
    with flashcards(db, clock) as tutor:
        tutor.import_notes(DECK)
        defaults = tutor.parameters
        answer_until(tutor, clock, MIN_REVIEWS_TO_FIT - 1, rng)
        # One more answer, undone: the log has as many entries as a refit needs, but not as
        # many answers.
        answer_until(tutor, clock, MIN_REVIEWS_TO_FIT, rng)
        tutor.undo()
    with flashcards(db, clock) as reopened:
        assert reopened.parameters == defaults
        answer_until(reopened, clock, MIN_REVIEWS_TO_FIT, rng)
    with Tutor.open(db, clock=clock) as refitted:
        fitted = refitted.parameters
        assert fitted != defaults
    with Tutor.open(db, clock=clock) as again:
        assert again.parameters == fitted
