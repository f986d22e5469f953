"""Limits of the study queue: new facts per study day, learn-ahead, and when a day starts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

DEFAULT_NEW_PER_DAY = 20
DEFAULT_LEARN_AHEAD = timedelta(minutes=20)
# As in Anki, a study day starts at 4 a.m. local time, so a late-night session counts as "today".
DAY_ROLLOVER = time(hour=4)


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
