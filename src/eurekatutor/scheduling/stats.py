"""Progress statistics: every figure of the stats screen and ``eurekatutor stats``, computed
from plain inputs (the review log summed by quarter hour, the predictions, the facts' memory
states now and 30 days ago, the memory model and ``now``); no I/O.

Terms, as the README's "Your progress" defines them:

- An **answer studied** is a logged answer that was not undone and is not a placement credit
  (a credit marks a fact as known; no question was asked). Imported answers count.
- A **study day** starts at 4 a.m. local time, as in Anki (``DAY_ROLLOVER``).
- **Time studied** is the sum of the answers' seconds, each capped at ``ANSWER_SECONDS_CAP``
  (as Anki caps an answer's time): a question left on screen while the learner was away
  does not count as an hour of study.
- **Mastery** of a topic is the mean recall probability of its facts (a fact never studied
  counts as 0), as on the home screen; a fact is **mastered** when it is in long-term review
  and its recall probability is at least the desired retention (as ``export --weak-only``
  reads it).
- **True retention** is the share of answers right among the answers on facts that were in
  long-term review when asked (not new, learning or relearning), like Anki's true retention.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, NamedTuple

from eurekatutor.scheduling.memory import MemoryModel, MemoryState, Phase
from eurekatutor.scheduling.prediction import CalibrationReport, calibration_report
from eurekatutor.scheduling.queue import DAY_ROLLOVER

# An answer counts for at most this many seconds of study.
ANSWER_SECONDS_CAP = 60.0
# Mastery "before" is mastery this many days before now.
CHANGE_DAYS = 30
# The calendar covers this many study days, ending today.
CALENDAR_DAYS = 365
# The forecast covers this many study days, starting today.
FORECAST_DAYS = 30
# True retention is given for this many weeks, ending with this week.
RETENTION_WEEKS = 26
# The review log is summed by quarter hour: every time zone's 4 a.m. starts one.
SLOT_SECONDS = 900

_ROLLOVER = timedelta(hours=DAY_ROLLOVER.hour, minutes=DAY_ROLLOVER.minute)


class ActivitySlot(NamedTuple):
    """The answers studied in one quarter hour (UTC), from ``start``: how many, how many
    right, the seconds studied (each answer's capped at ``ANSWER_SECONDS_CAP``), and the
    answers on facts in long-term review when asked, and how many of those were right.

    Summed by quarter hour, the log still gives every study day in every time zone, and
    comes many times quicker than hundreds of thousands of answers one by one.
    """

    start: datetime
    answers: int
    correct: int
    seconds: float
    review_answers: int
    review_correct: int


class StudiedFact(NamedTuple):
    """An active fact studied at least once: its topic, its memory now, whether it was
    ever answered (not only credited by placement), and whether it is suspended (then it
    is not asked, so it is not in the forecast)."""

    fact_id: int
    topic: str
    memory: MemoryState
    answered: bool = True
    suspended: bool = False


@dataclass(frozen=True)
class DayActivity:
    """One study day: answers studied, how many were right, and seconds studied (capped)."""

    day: date
    answers: int
    correct: int
    seconds: float


@dataclass(frozen=True)
class DueDay:
    """How many facts fall due on a study day (on the first day, overdue ones too)."""

    day: date
    due: int


@dataclass(frozen=True)
class WeekRetention:
    """True retention in one week (Monday to Sunday, of study days): answers on facts in
    review, and how many were right."""

    week: date
    answers: int
    correct: int

    @property
    def retention(self) -> float | None:
        """Return the share right, or ``None`` for a week with no such answers."""
        return self.correct / self.answers if self.answers else None


@dataclass(frozen=True)
class TopicProgress:
    """A topic's mastery and mastered facts now and ``CHANGE_DAYS`` days ago."""

    topic: str
    facts: int
    mastery: float
    mastery_before: float
    mastered: int
    mastered_before: int

    @property
    def change(self) -> float:
        """Return how much mastery rose (or fell, below 0) since ``CHANGE_DAYS`` days ago."""
        return self.mastery - self.mastery_before


@dataclass(frozen=True)
class Stats:
    """The learner's progress at ``now``; see the module docstring for the terms.

    ``days`` holds the ``CALENDAR_DAYS`` study days ending ``today``, oldest first;
    ``forecast`` the ``FORECAST_DAYS`` days starting ``today``; ``retention_by_week`` the
    ``RETENTION_WEEKS`` weeks ending with this week. ``streak`` counts the consecutive study
    days with answers ending today, or yesterday when today has none yet. ``eurekas`` are the
    facts mastered now that were answered at least once (not only credited by placement).
    """

    now: datetime
    today: date
    answers: int
    correct: int
    seconds: float
    study_days: int
    streak: int
    longest_streak: int
    review_answers: int
    review_correct: int
    facts: int
    mastery: float
    mastery_before: float
    mastered: int
    mastered_before: int
    eurekas: int
    topics: tuple[TopicProgress, ...]
    days: tuple[DayActivity, ...]
    forecast: tuple[DueDay, ...]
    retention_by_week: tuple[WeekRetention, ...]
    calibration: CalibrationReport

    @property
    def minutes(self) -> float:
        """Return the time studied in minutes."""
        return self.seconds / 60

    @property
    def true_retention(self) -> float | None:
        """Return the share right of the answers on facts in review, or ``None`` if none."""
        return self.review_correct / self.review_answers if self.review_answers else None

    @property
    def eurekas_per_minute(self) -> float | None:
        """Return eurekas per minute studied, or ``None`` before any time was studied."""
        return self.eurekas / self.minutes if self.seconds > 0 else None

    def to_json(self) -> dict[str, Any]:
        """Return every figure as JSON-ready values: dates in ISO form, keys as documented
        in the README ("Your progress")."""
        report = self.calibration
        return {
            "generated_at": self.now.isoformat(),
            "today": self.today.isoformat(),
            "answers": self.answers,
            "correct": self.correct,
            "seconds_studied": round(self.seconds, 3),
            "answer_seconds_cap": ANSWER_SECONDS_CAP,
            "study_days": self.study_days,
            "streak": self.streak,
            "longest_streak": self.longest_streak,
            "true_retention": self.true_retention,
            "review_answers": self.review_answers,
            "review_correct": self.review_correct,
            "facts": self.facts,
            "mastery": self.mastery,
            "mastery_30_days_ago": self.mastery_before,
            "mastered": self.mastered,
            "mastered_30_days_ago": self.mastered_before,
            "eurekas": self.eurekas,
            "eurekas_per_minute": self.eurekas_per_minute,
            "topics": [
                {
                    "topic": topic.topic,
                    "facts": topic.facts,
                    "mastery": topic.mastery,
                    "mastery_30_days_ago": topic.mastery_before,
                    "change": topic.change,
                    "mastered": topic.mastered,
                    "mastered_30_days_ago": topic.mastered_before,
                }
                for topic in self.topics
            ],
            "days": [
                {
                    "date": day.day.isoformat(),
                    "answers": day.answers,
                    "correct": day.correct,
                    "seconds": round(day.seconds, 3),
                }
                for day in self.days
            ],
            "forecast": [{"date": day.day.isoformat(), "due": day.due} for day in self.forecast],
            "retention_by_week": [
                {
                    "week": week.week.isoformat(),
                    "answers": week.answers,
                    "correct": week.correct,
                    "retention": week.retention,
                }
                for week in self.retention_by_week
            ],
            "calibration": {
                "answers": report.answers,
                "log_loss": report.log_loss,
                "baseline_log_loss": report.baseline_log_loss,
                "skill": report.skill,
                "success_rate": report.success_rate,
                "rows": [
                    {
                        "low": row.low,
                        "high": row.high,
                        "count": row.count,
                        "predicted": row.predicted,
                        "actual": row.actual,
                    }
                    for row in report.rows
                ],
            },
        }


def study_date(at: datetime, tz: tzinfo | None = None) -> date:
    """Return the study day that ``at`` falls in: its date in ``tz`` (``None``: local time)
    on a day that starts at 4 a.m."""
    return (at.astimezone(tz) - _ROLLOVER).date()


def day_start(day: date, tz: tzinfo | None = None) -> datetime:
    """Return when study day ``day`` starts (4 a.m. in ``tz``, ``None``: local time), in UTC."""
    start = datetime.combine(day, DAY_ROLLOVER)
    local = start.astimezone() if tz is None else start.replace(tzinfo=tz)
    return local.astimezone(UTC)


def week_of(day: date) -> date:
    """Return the Monday of the week that ``day`` is in."""
    return day - timedelta(days=day.weekday())


def compute_stats(
    activity: Iterable[ActivitySlot],
    predictions: Iterable[tuple[float, bool]],
    facts: Iterable[StudiedFact],
    topic_sizes: Iterable[tuple[str, int]],
    before: Mapping[int, MemoryState],
    model: MemoryModel,
    now: datetime,
    tz: tzinfo | None = None,
) -> Stats:
    """Return every figure of the learner's progress at ``now`` (UTC-aware).

    ``activity`` is the review log summed by quarter hour (answers studied only: not undone,
    not placement credits), in any order; ``predictions`` the (predicted, right) of every
    answer the tutor predicted (not imported, not credits); ``facts`` the active facts
    studied at least once; ``topic_sizes`` each topic's number of active facts, in the order
    to show them (a name given twice adds up); ``before`` the memory state ``CHANGE_DAYS``
    days before ``now`` of each fact answered since then (any other fact's memory then is
    its memory now). Study days are local to ``tz`` (``None``: the system's local time).
    Raises ``ValueError`` for a naive ``now``.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"naive datetime {now!r}: pass a timezone-aware time")
    today = study_date(now, tz)
    by_day = _by_day(activity, tz)
    sizes: dict[str, int] = {}
    for topic, size in topic_sizes:
        sizes[topic] = sizes.get(topic, 0) + size
    topics, eurekas, due_counts = _progress(facts, sizes, before, model, now, tz)
    total = sum(sizes.values())

    days = tuple(
        DayActivity(day, *by_day.get(day, (0, 0, 0.0))[:3])
        for day in (today - timedelta(days=back) for back in range(CALENDAR_DAYS - 1, -1, -1))
    )
    forecast = tuple(
        DueDay(today + timedelta(days=ahead), due_counts[ahead]) for ahead in range(FORECAST_DAYS)
    )
    this_week = week_of(today)
    weeks = {
        this_week - timedelta(weeks=back): [0, 0] for back in range(RETENTION_WEEKS - 1, -1, -1)
    }
    for day, (_, _, _, asked, right) in by_day.items():
        week = weeks.get(week_of(day))
        if week is not None:
            week[0] += asked
            week[1] += right
    streak, longest = _streaks(by_day.keys(), today)
    return Stats(
        now=now,
        today=today,
        answers=sum(day[0] for day in by_day.values()),
        correct=sum(day[1] for day in by_day.values()),
        seconds=sum(day[2] for day in by_day.values()),
        study_days=sum(1 for day in by_day.values() if day[0]),
        streak=streak,
        longest_streak=longest,
        review_answers=sum(day[3] for day in by_day.values()),
        review_correct=sum(day[4] for day in by_day.values()),
        facts=total,
        mastery=sum(t.mastery * t.facts for t in topics) / total if total else 0.0,
        mastery_before=sum(t.mastery_before * t.facts for t in topics) / total if total else 0.0,
        mastered=sum(t.mastered for t in topics),
        mastered_before=sum(t.mastered_before for t in topics),
        eurekas=eurekas,
        topics=topics,
        days=days,
        forecast=forecast,
        retention_by_week=tuple(
            WeekRetention(week, asked, right) for week, (asked, right) in weeks.items()
        ),
        calibration=calibration_report(predictions),
    )


def _by_day(
    activity: Iterable[ActivitySlot], tz: tzinfo | None
) -> dict[date, tuple[int, int, float, int, int]]:
    """Return the activity summed by study day, oldest first: answers, right, seconds,
    answers on facts in review, right of those."""
    days: dict[date, list[Any]] = {}
    # The study day of the slot before, and when it starts and ends: the slots come in time
    # order, and converting each one's time to local time would cost more than the rest.
    start = end = datetime.max.replace(tzinfo=UTC)
    sums: list[Any] = []
    for at, answers, right, seconds, asked, kept in activity:
        if not start <= at < end:
            day = study_date(at, tz)
            start, end = day_start(day, tz), day_start(day + timedelta(days=1), tz)
            sums = days.setdefault(day, [0, 0, 0.0, 0, 0])
        sums[0] += answers
        sums[1] += right
        sums[2] += seconds
        sums[3] += asked
        sums[4] += kept
    return {
        day: (int(a), int(b), float(c), int(d), int(e))
        for day, (a, b, c, d, e) in sorted(days.items())
        if a
    }


def _progress(
    facts: Iterable[StudiedFact],
    sizes: Mapping[str, int],
    before: Mapping[int, MemoryState],
    model: MemoryModel,
    now: datetime,
    tz: tzinfo | None,
) -> tuple[tuple[TopicProgress, ...], int, list[int]]:
    """Return each topic's progress, the eurekas and the due counts of the forecast's days."""
    then = now - timedelta(days=CHANGE_DAYS)
    retention = model.desired_retention
    recall = model.recall_probability
    review = Phase.REVIEW
    # Per topic: recall now, recall then, mastered now, mastered then.
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0, 0])
    eurekas = 0
    today = study_date(now, tz)
    # A fact due before the start of day k + 1 of the forecast is due on day k (or overdue).
    ends = [day_start(today + timedelta(days=ahead), tz) for ahead in range(1, FORECAST_DAYS + 1)]
    due_counts = [0] * (FORECAST_DAYS + 1)
    for fact_id, topic, memory, answered, suspended in facts:
        sums_of = sums[topic]
        now_recall = recall(memory, now)
        sums_of[0] += now_recall
        if memory.phase is review and now_recall >= retention:
            sums_of[2] += 1
            eurekas += answered
        past = before.get(fact_id, memory)
        then_recall = recall(past, then)
        sums_of[1] += then_recall
        if past.phase is review and then_recall >= retention:
            sums_of[3] += 1
        if memory.due is not None and not suspended:
            due_counts[bisect_right(ends, memory.due)] += 1
    topics = tuple(
        TopicProgress(
            topic=topic,
            facts=size,
            mastery=sums[topic][0] / size if size else 0.0,
            mastery_before=sums[topic][1] / size if size else 0.0,
            mastered=int(sums[topic][2]),
            mastered_before=int(sums[topic][3]),
        )
        for topic, size in sizes.items()
    )
    return topics, eurekas, due_counts[:FORECAST_DAYS]


def _streaks(days: Iterable[date], today: date) -> tuple[int, int]:
    """Return the current streak (ending today, or yesterday) and the longest one."""
    studied = set(days)
    day = today if today in studied else today - timedelta(days=1)
    streak = 0
    while day in studied:
        streak += 1
        day -= timedelta(days=1)
    longest = run = 0
    previous: date | None = None
    for day in sorted(studied):
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day
    return streak, longest
