"""The FSRS wrapper: transitions, fractional-day recall, previews and lapses."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import UTC, datetime, timedelta

import pytest

from eurekatutor.scheduling.memory import (
    SHORT_TERM_RECALL,
    MemoryModel,
    MemoryState,
    Phase,
    Rating,
    format_interval,
)

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def graduated(model: MemoryModel) -> MemoryState:
    memory = model.review(MemoryState(), Rating.GOOD, NOW)
    memory = model.review(memory, Rating.GOOD, NOW + timedelta(minutes=10))
    assert memory.phase is Phase.REVIEW
    return memory


def test_first_review_leaves_the_new_state_and_counts_a_rep() -> None:
    model = MemoryModel()
    memory = model.review(MemoryState(), Rating.GOOD, NOW)
    assert memory.phase is Phase.LEARNING
    assert memory.reps == 1
    assert memory.last_review == NOW
    assert memory.due is not None and memory.due > NOW


def test_transitions_return_new_values() -> None:
    model = MemoryModel()
    start = MemoryState()
    model.review(start, Rating.EASY, NOW)
    assert start.is_new and start.reps == 0
    with pytest.raises(FrozenInstanceError):
        start.reps = 3  # type: ignore[misc]


def test_recall_probability_uses_fractional_days() -> None:
    model = MemoryModel()
    memory = graduated(model)
    assert memory.last_review is not None
    six_hours = model.recall_probability(memory, memory.last_review + timedelta(hours=6))
    twelve_hours = model.recall_probability(memory, memory.last_review + timedelta(hours=12))
    # py-fsrs's own helper rounds to whole days and would say 1.0 for both.
    assert 0.5 < twelve_hours < six_hours < 1.0


def test_a_fact_in_its_learning_steps_is_not_held_with_certainty() -> None:
    model = MemoryModel()
    learning = model.review(MemoryState(), Rating.GOOD, NOW)
    assert learning.phase is Phase.LEARNING
    # Minutes after a first study, FSRS's curve reads 0.99; a learner gets about four in five.
    soon = model.recall_probability(learning, NOW + timedelta(minutes=5))
    assert soon == pytest.approx(SHORT_TERM_RECALL, abs=0.01)
    memory = graduated(model)
    assert memory.last_review is not None
    assert model.recall_probability(memory, memory.last_review + timedelta(minutes=5)) > 0.99


def test_recall_probability_at_due_is_the_desired_retention() -> None:
    model = MemoryModel(desired_retention=0.9)
    memory = graduated(model)
    assert memory.due is not None
    assert model.recall_probability(memory, memory.due) == pytest.approx(0.9, abs=0.02)


def test_a_new_fact_has_no_recall() -> None:
    assert MemoryModel().recall_probability(MemoryState(), NOW) == 0.0


def test_preview_intervals_grow_with_the_grade_and_match_the_review() -> None:
    model = MemoryModel()
    memory = graduated(model)
    assert memory.due is not None
    later = memory.due
    preview = model.preview(memory, later)
    assert (
        preview[Rating.AGAIN] < preview[Rating.HARD] < preview[Rating.GOOD] < preview[Rating.EASY]
    )
    good = model.review(memory, Rating.GOOD, later)
    assert good.due_in(later) == preview[Rating.GOOD]


def test_lapses_count_forgetting_in_review_only() -> None:
    model = MemoryModel()
    learning = model.review(MemoryState(), Rating.AGAIN, NOW)
    assert learning.lapses == 0
    memory = graduated(model)
    assert memory.due is not None
    lapsed = model.review(memory, Rating.AGAIN, memory.due)
    assert lapsed.lapses == 1
    assert lapsed.phase is Phase.RELEARNING


def test_higher_desired_retention_gives_shorter_intervals() -> None:
    relaxed, strict = MemoryModel(0.8), MemoryModel(0.95)
    a, b = graduated(relaxed), graduated(strict)
    assert a.due is not None and b.due is not None
    assert relaxed.preview(a, a.due)[Rating.GOOD] > strict.preview(b, b.due)[Rating.GOOD]


def test_invalid_retention_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        MemoryModel(desired_retention=1.5)


def test_a_naive_time_is_refused_by_fsrs() -> None:
    with pytest.raises(ValueError):
        MemoryModel().review(MemoryState(), Rating.GOOD, NOW.replace(tzinfo=None))


@pytest.mark.parametrize(
    ("interval", "text"),
    [
        (timedelta(seconds=20), "<1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=3), "3d"),
        (timedelta(days=60), "2mo"),
        (timedelta(days=730), "2y"),
    ],
)
def test_format_interval(interval: timedelta, text: str) -> None:
    assert format_interval(interval) == text


def test_easy_is_always_due_after_good() -> None:
    model = MemoryModel()
    # Forgotten at first, then recalled: in its learning steps, the card graduates to one day
    # with Good and, by FSRS alone, with Easy too; the buttons read "1d" twice.
    memory = model.review(MemoryState(), Rating.AGAIN, NOW)
    memory = model.review(memory, Rating.GOOD, NOW + timedelta(minutes=1))
    assert memory.phase is Phase.LEARNING
    intervals = model.preview(memory, NOW + timedelta(minutes=11))
    assert intervals[Rating.GOOD] == timedelta(days=1)
    assert intervals[Rating.EASY] == timedelta(days=2)
