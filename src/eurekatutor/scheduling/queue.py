"""The study queue: which fact to ask next, Anki-style (due first, then new, then learn-ahead)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Protocol

DEFAULT_NEW_PER_DAY = 20
DEFAULT_LEARN_AHEAD = timedelta(minutes=20)
# As in Anki, a study day starts at 4 a.m. local time, so a late-night session counts as "today".
DAY_ROLLOVER = time(hour=4)


class CardSource(Protocol):
    """What the queue needs to know about the stored cards (implemented by the store)."""

    def earliest_due(self, talk_id: int | None, until: datetime) -> int | None:
        """Return the id of the studied, active fact due earliest at or before ``until``."""
        ...

    def first_new(self, talk_id: int | None) -> int | None:
        """Return the id of the next never-studied active fact in notes order (main first)."""
        ...

    def introduced_since(self, talk_id: int | None, since: datetime) -> int:
        """Return how many facts were studied for the first time at or after ``since``."""
        ...


@dataclass(frozen=True)
class QueuePolicy:
    """Limits of the queue: new facts per study day, and how far ahead learning steps may come."""

    new_per_day: int = DEFAULT_NEW_PER_DAY
    learn_ahead: timedelta = DEFAULT_LEARN_AHEAD


def study_day_start(now: datetime) -> datetime:
    """Return the UTC start of the study day that contains ``now`` (4 a.m. local time)."""
    local = now.astimezone()
    start = datetime.combine(local.date(), DAY_ROLLOVER, tzinfo=local.tzinfo)
    if local < start:
        start -= timedelta(days=1)
    return start.astimezone(UTC)


def next_fact(
    source: CardSource, now: datetime, talk_id: int | None = None, policy: QueuePolicy | None = None
) -> int | None:
    """Return the id of the fact to study next at ``now``, or ``None`` when nothing is worth it.

    Facts due now come first (earliest due first); then a new fact while today's new-fact limit
    allows; then a learning step due within the learn-ahead window, so a session does not stall
    on a one-minute step.
    """
    policy = policy or QueuePolicy()
    due = source.earliest_due(talk_id, now)
    if due is not None:
        return due
    if source.introduced_since(talk_id, study_day_start(now)) < policy.new_per_day:
        new = source.first_new(talk_id)
        if new is not None:
            return new
    return source.earliest_due(talk_id, now + policy.learn_ahead)
