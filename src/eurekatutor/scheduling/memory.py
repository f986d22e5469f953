"""The FSRS memory model: immutable memory states, review transitions and recall probability."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum

import fsrs

DEFAULT_RETENTION = 0.9
# FSRS's curve reads almost 1 minutes after a review, but a fact still in its learning (or
# relearning) steps is not yet held: 26 answers given minutes after learning were predicted at
# 1.00 and 19% of them were wrong. Recall in those steps is the curve's times this.
SHORT_TERM_RECALL = 0.85


class Rating(IntEnum):
    """The four flashcard grades, as in Anki and FSRS."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


class Phase(StrEnum):
    """Where a memory stands: FSRS's three states, plus ``new`` for a fact never studied."""

    NEW = "new"
    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"


_TO_FSRS = {
    Phase.NEW: fsrs.State.Learning,
    Phase.LEARNING: fsrs.State.Learning,
    Phase.REVIEW: fsrs.State.Review,
    Phase.RELEARNING: fsrs.State.Relearning,
}
_FROM_FSRS = {
    fsrs.State.Learning: Phase.LEARNING,
    fsrs.State.Review: Phase.REVIEW,
    fsrs.State.Relearning: Phase.RELEARNING,
}


@dataclass(frozen=True)
class MemoryState:
    """What the learner's memory of one fact looks like after its last review.

    ``lapses`` counts the times a fact in review was forgotten (py-fsrs keeps no such count).
    """

    phase: Phase = Phase.NEW
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    @property
    def is_new(self) -> bool:
        """Return whether the fact has never been studied."""
        return self.phase is Phase.NEW

    def due_in(self, now: datetime) -> timedelta:
        """Return the time from ``now`` until the fact is due (zero if it already is)."""
        if self.due is None:
            return timedelta(0)
        return max(timedelta(0), self.due - now)


class MemoryModel:
    """Wraps ``fsrs.Scheduler``: review transitions, interval previews and recall probability.

    Fuzzing is off, so the interval shown for a grade is exactly the one the grade gives.
    """

    def __init__(
        self,
        desired_retention: float = DEFAULT_RETENTION,
        parameters: Sequence[float] | None = None,
    ) -> None:
        if not 0.0 < desired_retention < 1.0:
            raise ValueError(f"desired retention must be between 0 and 1, not {desired_retention}")
        self._scheduler = fsrs.Scheduler(
            parameters=tuple(parameters) if parameters else fsrs.scheduler.DEFAULT_PARAMETERS,
            desired_retention=desired_retention,
            enable_fuzzing=False,
        )
        decay = -self._scheduler.parameters[20]
        self._decay = decay
        self._factor = 0.9 ** (1 / decay) - 1

    @property
    def parameters(self) -> tuple[float, ...]:
        """Return the FSRS parameters in use."""
        return tuple(self._scheduler.parameters)

    @property
    def desired_retention(self) -> float:
        """Return the retention the schedule aims for."""
        return float(self._scheduler.desired_retention)

    def review(self, memory: MemoryState, rating: Rating, now: datetime) -> MemoryState:
        """Return the memory state after answering with ``rating`` at ``now`` (UTC-aware).

        As in Anki, Easy is always due at least a day after Good: FSRS alone graduates a card
        in its learning steps to one day either way, and the buttons read "1d" twice.
        """
        after = self._review(memory, rating, now)
        if rating is Rating.EASY and after.phase is Phase.REVIEW and after.due is not None:
            good = self._review(memory, Rating.GOOD, now)
            if good.phase is Phase.REVIEW and good.due is not None and after.due <= good.due:
                after = replace(after, due=good.due + timedelta(days=1))
        return after

    def _review(self, memory: MemoryState, rating: Rating, now: datetime) -> MemoryState:
        card, _log = self._scheduler.review_card(
            _to_card(memory, now), fsrs.Rating(int(rating)), review_datetime=now
        )
        lapsed = memory.phase is Phase.REVIEW and rating is Rating.AGAIN
        return MemoryState(
            phase=_FROM_FSRS[card.state],
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            due=card.due,
            last_review=card.last_review,
            reps=memory.reps + 1,
            lapses=memory.lapses + int(lapsed),
        )

    def preview(self, memory: MemoryState, now: datetime) -> dict[Rating, timedelta]:
        """Return, for each rating, how long until the fact would be due again."""
        return {rating: self.review(memory, rating, now).due_in(now) for rating in Rating}

    def recall_probability(self, memory: MemoryState, now: datetime) -> float:
        """Return the probability of recalling the fact at ``now``, on fractional days.

        py-fsrs's own helper rounds elapsed time down to whole days, so it reads 1.0 for
        anything reviewed today; this uses the same forgetting curve on exact elapsed time,
        times ``SHORT_TERM_RECALL`` while the fact is in its learning or relearning steps.
        """
        if memory.is_new or memory.stability is None or memory.last_review is None:
            return 0.0
        elapsed_days = max(0.0, (now - memory.last_review).total_seconds() / 86400.0)
        recall = float((1 + self._factor * elapsed_days / memory.stability) ** self._decay)
        learning = memory.phase in (Phase.LEARNING, Phase.RELEARNING)
        return recall * SHORT_TERM_RECALL if learning else recall


def _to_card(memory: MemoryState, now: datetime) -> fsrs.Card:
    # card_id is fixed: without one py-fsrs sleeps a millisecond to make a unique id.
    return fsrs.Card(
        card_id=1,
        state=_TO_FSRS[memory.phase],
        step=memory.step if memory.phase is not Phase.REVIEW else None,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=memory.due or now,
        last_review=memory.last_review,
    )


def format_interval(interval: timedelta) -> str:
    """Return a short human form of an interval: ``"<1m"``, ``"10m"``, ``"5h"``, ``"3d"``."""
    minutes = interval.total_seconds() / 60
    if minutes < 1:
        return "<1m"
    if minutes < 60:
        return f"{math.floor(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{math.floor(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")
