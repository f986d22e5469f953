"""When a study day starts, for the daily new-fact limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from eurekatutor.scheduling.queue import study_day_start

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def test_the_study_day_starts_at_four_in_the_morning() -> None:
    start = study_day_start(NOW)
    assert start <= NOW < start + timedelta(days=1)
    assert start.astimezone().hour == 4
    assert start.tzinfo == UTC


def test_just_before_four_belongs_to_the_previous_day() -> None:
    start = study_day_start(NOW)
    assert study_day_start(start - timedelta(minutes=1)) == start - timedelta(days=1)
    assert study_day_start(start) == start
