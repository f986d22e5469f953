"""The study queue's order: due first, then new within the daily limit, then learn-ahead."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from eurekatutor.scheduling.queue import QueuePolicy, next_fact, study_day_start

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


@dataclass
class FakeSource:
    due: dict[int, datetime] = field(default_factory=dict)
    new: list[int] = field(default_factory=list)
    introduced: int = 0

    def earliest_due(self, talk_id: int | None, until: datetime) -> int | None:
        ready = [(when, fact) for fact, when in self.due.items() if when <= until]
        return min(ready)[1] if ready else None

    def first_new(self, talk_id: int | None) -> int | None:
        return self.new[0] if self.new else None

    def introduced_since(self, talk_id: int | None, since: datetime) -> int:
        return self.introduced


def test_due_facts_come_before_new_ones_earliest_first() -> None:
    source = FakeSource(due={1: NOW - timedelta(hours=1), 2: NOW - timedelta(days=2)}, new=[7])
    assert next_fact(source, NOW) == 2


def test_new_facts_come_when_nothing_is_due() -> None:
    source = FakeSource(due={1: NOW + timedelta(days=3)}, new=[7, 8])
    assert next_fact(source, NOW) == 7


def test_the_daily_new_limit_stops_new_facts() -> None:
    source = FakeSource(new=[7], introduced=5)
    assert next_fact(source, NOW, policy=QueuePolicy(new_per_day=5)) is None
    assert next_fact(source, NOW, policy=QueuePolicy(new_per_day=6)) == 7


def test_learning_steps_are_pulled_ahead_within_the_window() -> None:
    source = FakeSource(due={3: NOW + timedelta(minutes=10)})
    assert next_fact(source, NOW) == 3
    far = FakeSource(due={3: NOW + timedelta(minutes=45)})
    assert next_fact(far, NOW) is None


def test_the_study_day_starts_at_four_in_the_morning() -> None:
    start = study_day_start(NOW)
    assert start <= NOW < start + timedelta(days=1)
    assert start.astimezone().hour == 4
