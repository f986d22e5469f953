"""Progress statistics: every figure on hand-built histories, with a frozen clock."""

from __future__ import annotations

import csv
import json
import math
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest

from conftest import DATA, START, FrozenClock
from eurekatutor.bootstrap import bundled_decks
from eurekatutor.cli import main
from eurekatutor.persistence.store import CREDIT_KIND, IMPORTED_KIND
from eurekatutor.scheduling.memory import MemoryModel, MemoryState, Phase
from eurekatutor.scheduling.prediction import (
    CalibrationReport,
    ReliabilityRow,
    calibration_report,
)
from eurekatutor.scheduling.stats import (
    CALENDAR_DAYS,
    FORECAST_DAYS,
    RETENTION_WEEKS,
    ActivitySlot,
    Stats,
    StudiedFact,
    compute_stats,
    day_start,
    study_date,
)
from eurekatutor.stats_text import (
    calendar_weeks,
    change_points,
    format_duration,
    heat_levels,
    month_labels,
)
from eurekatutor.tutor import Tutor

NOTES = DATA / "tutor" / "agents.md"
MODEL = MemoryModel()


def at(day: int, hour: float = 12.0) -> datetime:
    """Return a time in March 2026, UTC."""
    return datetime(2026, 3, day, tzinfo=UTC) + timedelta(hours=hour)


def slot(when: datetime, answers: int = 1, right: int = 1, seconds: float = 10.0) -> ActivitySlot:
    return ActivitySlot(when, answers, right, seconds, 0, 0)


def stats_of(
    activity: list[ActivitySlot] | None = None,
    facts: list[StudiedFact] | None = None,
    sizes: list[tuple[str, int]] | None = None,
    before: dict[int, MemoryState] | None = None,
    predictions: list[tuple[float, bool]] | None = None,
    now: datetime | None = None,
    tz: ZoneInfo | None = None,
) -> Stats:
    return compute_stats(
        activity or [],
        predictions or [],
        facts or [],
        sizes or [],
        before or {},
        MODEL,
        now or at(10),
        tz or UTC,
    )


def new_york() -> ZoneInfo:
    try:
        return ZoneInfo("America/New_York")
    except ZoneInfoNotFoundError:  # pragma: no cover - a system without time zone data
        pytest.skip("no time zone data")


# Study days


def test_a_study_day_starts_at_4_am_local_time() -> None:
    assert study_date(at(3, 3.99), UTC) == date(2026, 3, 2)
    assert study_date(at(3, 4.0), UTC) == date(2026, 3, 3)
    zone = new_york()
    # Summer time starts on 8 March 2026: 4 a.m. is 09:00 UTC the day before, 08:00 after.
    assert day_start(date(2026, 3, 7), zone) == at(7, 9)
    assert day_start(date(2026, 3, 8), zone) == at(8, 8)
    assert study_date(at(8, 7.75), zone) == date(2026, 3, 7)
    assert study_date(at(8, 8.0), zone) == date(2026, 3, 8)


def test_answers_are_counted_on_their_local_study_day() -> None:
    zone = new_york()
    activity = [
        slot(at(7, 8.75), seconds=5),  # 03:45 EST on the 7th: the study day of the 6th
        slot(at(7, 9.0), answers=2, right=1, seconds=30),  # 04:00 EST: the 7th
        slot(at(8, 7.75), seconds=20),  # 03:45 EDT on the 8th: still the 7th
        slot(at(8, 8.0), answers=3, right=3, seconds=60),  # 04:00 EDT: the 8th
    ]
    stats = stats_of(activity, now=at(8, 20), tz=zone)
    days = {day.day: (day.answers, day.correct, day.seconds) for day in stats.days}
    assert days[date(2026, 3, 6)] == (1, 1, 5.0)
    assert days[date(2026, 3, 7)] == (3, 2, 50.0)
    assert days[date(2026, 3, 8)] == (3, 3, 60.0)


def test_the_calendar_is_a_year_of_days_ending_today() -> None:
    stats = stats_of([slot(at(1)), slot(at(1, 13)), slot(at(1) - timedelta(days=400))])
    days = stats.days
    assert len(days) == CALENDAR_DAYS
    assert days[-1].day == date(2026, 3, 10)
    assert days[0].day == date(2026, 3, 10) - timedelta(days=CALENDAR_DAYS - 1)
    assert [day.answers for day in days if day.answers] == [2]
    # An answer older than the calendar still counts in the totals.
    assert stats.answers == 3
    assert stats.study_days == 2


# Streaks and totals


@pytest.mark.parametrize(
    ("studied", "streak", "longest"),
    [
        ([10, 9, 8, 5, 4, 3, 2], 3, 4),  # through today
        ([9, 8, 7], 3, 3),  # through yesterday: today is not over
        ([8, 7, 6, 5], 0, 4),  # broken: nothing yesterday or today
        ([], 0, 0),
    ],
)
def test_the_streak_ends_today_or_yesterday(studied: list[int], streak: int, longest: int) -> None:
    stats = stats_of([slot(at(day, 20)) for day in studied], now=at(10, 21))
    assert (stats.streak, stats.longest_streak) == (streak, longest)


def test_time_studied_and_answers_add_up() -> None:
    stats = stats_of([slot(at(9), 3, 2, 70.5), slot(at(10), 1, 0, 0.0)])
    assert (stats.answers, stats.correct, stats.seconds) == (4, 2, 70.5)
    assert stats.minutes == pytest.approx(70.5 / 60)


# The forecast


def test_the_forecast_counts_due_facts_per_study_day_with_the_overdue_today() -> None:
    now = at(10, 12)

    def due(when: datetime, suspended: bool = False) -> StudiedFact:
        memory = MemoryState(Phase.REVIEW, None, 10.0, 5.0, when, when - timedelta(days=10))
        return StudiedFact(1, "Topic", memory, True, suspended)

    facts = [
        due(now - timedelta(days=3)),  # overdue: today
        due(at(11, 3.99)),  # before 4 a.m. tomorrow: still today's study day
        due(at(11, 4.0)),  # tomorrow
        due(at(11, 4.0), suspended=True),  # suspended: never asked
        due(now + timedelta(days=FORECAST_DAYS - 1)),  # the last day shown
        due(now + timedelta(days=FORECAST_DAYS)),  # past the forecast
    ]
    stats = stats_of(facts=facts, sizes=[("Topic", 6)], now=now)
    forecast = stats.forecast
    assert len(forecast) == FORECAST_DAYS
    assert forecast[0].day == date(2026, 3, 10)
    assert [day.due for day in forecast[:2]] == [2, 1]
    assert forecast[-1].due == 1
    assert sum(day.due for day in forecast) == 4


# True retention


def test_true_retention_counts_answers_on_facts_in_review_by_week() -> None:
    activity = [
        ActivitySlot(at(2), 5, 4, 50.0, 4, 3),  # Monday 2 March
        ActivitySlot(at(8), 2, 2, 20.0, 2, 2),  # Sunday 8 March: the same week
        ActivitySlot(at(9), 3, 0, 30.0, 0, 0),  # Monday 9 March: nothing in review
    ]
    stats = stats_of(activity)
    weeks = stats.retention_by_week
    assert len(weeks) == RETENTION_WEEKS
    assert [week.week for week in weeks[-2:]] == [date(2026, 3, 2), date(2026, 3, 9)]
    assert (weeks[-2].answers, weeks[-2].correct, weeks[-2].retention) == (6, 5, 5 / 6)
    assert (weeks[-1].answers, weeks[-1].retention) == (0, None)
    assert stats.true_retention == 5 / 6
    assert (stats.review_answers, stats.review_correct) == (6, 5)
    assert stats_of().true_retention is None


# Mastery


def reviewed(last: datetime, stability: float, phase: Phase = Phase.REVIEW) -> MemoryState:
    return MemoryState(phase, None, stability, 5.0, last + timedelta(days=stability), last)


def test_mastery_by_topic_now_and_thirty_days_ago() -> None:
    now = at(31, 12)
    then = now - timedelta(days=30)
    strong = reviewed(now - timedelta(days=1), 100.0)  # recalled at ~99.9%: mastered
    weak = reviewed(now - timedelta(days=60), 2.0)  # long overdue
    learning = reviewed(now - timedelta(hours=1), 0.5, Phase.LEARNING)
    facts = [
        StudiedFact(1, "A", strong),
        StudiedFact(2, "A", weak),
        StudiedFact(3, "B", learning),
        StudiedFact(4, "B", strong, answered=False),  # credited by placement only
    ]
    # Thirty days ago fact 1 was new and fact 3 strong; the others were as they are now.
    before = {1: MemoryState(), 3: reviewed(then - timedelta(days=1), 100.0)}
    stats = stats_of(facts=facts, sizes=[("A", 3), ("B", 2)], before=before, now=now)
    recall = MODEL.recall_probability
    a, b = stats.topics
    assert (a.topic, a.facts, b.topic, b.facts) == ("A", 3, "B", 2)
    assert a.mastery == (recall(strong, now) + recall(weak, now)) / 3
    assert a.mastery_before == recall(weak, then) / 3
    assert b.mastery == (recall(learning, now) + recall(strong, now)) / 2
    assert b.mastery_before == (recall(before[3], then) + recall(strong, then)) / 2
    assert a.change == a.mastery - a.mastery_before
    # Mastered: in review with recall at least the desired retention (0.9).
    assert (a.mastered, a.mastered_before, b.mastered, b.mastered_before) == (1, 0, 1, 2)
    assert (stats.mastered, stats.mastered_before, stats.facts) == (2, 2, 5)
    # A eureka is a mastered fact that was answered: not fact 4, credited only.
    assert stats.eurekas == 1
    total = recall(strong, now) * 2 + recall(weak, now) + recall(learning, now)
    assert stats.mastery == pytest.approx(total / 5)


def test_eurekas_per_minute_studied() -> None:
    now = at(10)
    facts = [StudiedFact(n, "A", reviewed(now - timedelta(days=1), 100.0)) for n in range(3)]
    stats = stats_of([slot(at(9), 10, 8, 90.0)], facts=facts, sizes=[("A", 3)], now=now)
    assert stats.eurekas == 3
    assert stats.eurekas_per_minute == 2.0
    assert stats_of(facts=facts, sizes=[("A", 3)]).eurekas_per_minute is None


def test_a_topic_named_twice_adds_up_and_keeps_its_first_place() -> None:
    stats = stats_of(sizes=[("A", 2), ("B", 1), ("A", 3)])
    assert [(t.topic, t.facts) for t in stats.topics] == [("A", 5), ("B", 1)]


# Calibration


def reference_calibration(history: list[tuple[float, bool]]) -> CalibrationReport:
    """The calibration report computed the plain way, answer by answer."""
    if not history:
        return CalibrationReport(0, 0.0, 0.0, 0.0, ())
    rate = sum(correct for _, correct in history) / len(history)

    def loss(p: float, correct: bool) -> float:
        p = min(1 - 1e-4, max(1e-4, p))
        return -math.log(p if correct else 1 - p)

    model = sum(loss(p, c) for p, c in history) / len(history)
    baseline = sum(loss(rate, c) for _, c in history) / len(history)
    rows = []
    for decile in range(10):
        low, high = decile / 10, (decile + 1) / 10
        inside = [(p, c) for p, c in history if low <= p < high or (decile == 9 and p == 1.0)]
        if inside:
            rows.append(
                ReliabilityRow(
                    low=low,
                    high=high,
                    count=len(inside),
                    predicted=sum(p for p, _ in inside) / len(inside),
                    actual=sum(c for _, c in inside) / len(inside),
                )
            )
    return CalibrationReport(len(history), model, baseline, rate, tuple(rows))


def test_the_one_pass_calibration_matches_the_plain_computation() -> None:
    rng = random.Random(7)
    history = [(rng.random(), rng.random() < 0.7) for _ in range(2_000)]
    # Decile edges, the ends and a prediction of exactly 1 are where a pass could slip.
    history += [(edge / 10, edge % 2 == 0) for edge in range(11)] + [(0.0, False), (1.0, True)]
    # Just below an edge, p * 10 can round up to the edge (0.8999999999999999 * 10 == 9.0).
    history += [(math.nextafter(edge / 10, 0), edge % 3 == 0) for edge in range(1, 11)]
    fast, slow = calibration_report(history), reference_calibration(history)
    assert (fast.answers, fast.success_rate) == (slow.answers, slow.success_rate)
    assert fast.log_loss == pytest.approx(slow.log_loss, rel=1e-12)
    assert fast.baseline_log_loss == pytest.approx(slow.baseline_log_loss, rel=1e-12)
    assert [(r.low, r.high, r.count) for r in fast.rows] == [
        (r.low, r.high, r.count) for r in slow.rows
    ]
    for mine, theirs in zip(fast.rows, slow.rows, strict=True):
        assert mine.predicted == pytest.approx(theirs.predicted, rel=1e-12)
        assert mine.actual == theirs.actual
    assert calibration_report([]) == reference_calibration([])


# As JSON, and the text helpers


def test_every_figure_is_in_the_json_with_iso_dates() -> None:
    facts = [StudiedFact(1, "A", reviewed(at(9), 100.0))]
    stats = stats_of(
        [ActivitySlot(at(9), 2, 1, 30.0, 1, 1)],
        facts=facts,
        sizes=[("A", 2)],
        predictions=[(0.8, True), (0.4, False)],
    )
    data = json.loads(json.dumps(stats.to_json()))
    assert list(data) == [
        "generated_at",
        "today",
        "answers",
        "correct",
        "seconds_studied",
        "answer_seconds_cap",
        "study_days",
        "streak",
        "longest_streak",
        "true_retention",
        "review_answers",
        "review_correct",
        "facts",
        "mastery",
        "mastery_30_days_ago",
        "mastered",
        "mastered_30_days_ago",
        "eurekas",
        "eurekas_per_minute",
        "topics",
        "days",
        "forecast",
        "retention_by_week",
        "calibration",
    ]
    assert data["generated_at"] == "2026-03-10T12:00:00+00:00"
    assert (data["today"], data["answers"], data["streak"], data["eurekas"]) == (
        "2026-03-10",
        2,
        1,
        1,
    )
    assert data["days"][-2] == {"date": "2026-03-09", "answers": 2, "correct": 1, "seconds": 30.0}
    assert data["forecast"][0]["date"] == "2026-03-10"
    assert data["retention_by_week"][-1] == {
        "week": "2026-03-09",
        "answers": 1,
        "correct": 1,
        "retention": 1.0,
    }
    assert set(data["topics"][0]) == {
        "topic",
        "facts",
        "mastery",
        "mastery_30_days_ago",
        "change",
        "mastered",
        "mastered_30_days_ago",
    }
    assert data["calibration"]["answers"] == 2
    assert data["calibration"]["rows"][0] == {
        "low": 0.4,
        "high": 0.5,
        "count": 1,
        "predicted": 0.4,
        "actual": 0.0,
    }


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        stats_of(now=datetime(2026, 3, 10, 12))


def test_text_helpers() -> None:
    assert [format_duration(s) for s in (0, 45.4, 60, 725, 3600, 8040)] == [
        "0s",
        "45s",
        "1m 00s",
        "12m 05s",
        "1h 00m",
        "2h 14m",
    ]
    assert heat_levels([0, 1, 2, 3, 4, 8]) == [0, 1, 1, 2, 2, 4]
    assert [change_points(c) for c in (0.12, -0.031, 0.004)] == ["+12", "-3", "±0"]


def test_the_calendar_grid_puts_weeks_in_columns_and_weekdays_in_rows() -> None:
    stats = stats_of([slot(at(2))])  # Monday 2 March; today is Tuesday 10 March
    mondays, grid = calendar_weeks(stats.days, 3)
    assert mondays == [date(2026, 2, 23), date(2026, 3, 2), date(2026, 3, 9)]
    assert grid[0][1] is not None and grid[0][1].answers == 1
    assert grid[1][2] is not None and grid[1][2].day == date(2026, 3, 10)  # today
    assert grid[2][2] is None  # tomorrow
    assert month_labels(mondays) == " Mar"
    # The first column is named only when its week starts the month.
    assert month_labels([date(2026, 1, 26), date(2026, 2, 2), date(2026, 2, 9)]) == " Feb"
    assert month_labels([date(2026, 6, 1), date(2026, 6, 8), date(2026, 6, 29)]) == "Jun"


# Through the tutor, on a known history


def one_answer_log(path: Path, fact_key: str, when: datetime) -> Path:
    """Write a review log of one answer (Good, 12 s) about a fact of the agents notes."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "card_id",
                "review_time",
                "review_rating",
                "review_state",
                "review_duration",
                "talk",
                "fact_key",
            ]
        )
        millis = int(when.timestamp() * 1000)
        writer.writerow(["0", millis, 3, 0, 12000, "agents", fact_key])
    return path


@pytest.fixture
def history(tmp_path: Path, clock: FrozenClock) -> Tutor:
    """A tutor with a known history on the agents notes (five facts, two topics)."""
    return known_history(tmp_path / "known.db", clock)


def known_history(db: Path, clock: FrozenClock) -> Tutor:
    """Return a tutor on ``db`` with the agents notes (five facts, two topics) and a known
    history from Monday 2 March 2026; its clock is left on Friday 6 March, 10:00 UTC."""
    tutor = Tutor.open(db, clock=clock, seed=1)
    tutor.import_notes(NOTES)
    ids = [fact.id for fact in tutor.facts()]
    assert len(ids) == 5
    one, two, three, four, five = ids

    def answer(fact_id: int | None, rating: int, when: datetime, seconds: float | None) -> None:
        assert fact_id is not None
        question = tutor.question_for(fact_id, when, kind="flashcard")
        tutor.answer(question, rating, when, seconds)

    # Monday 2 March, 09:00 UTC: fact one Easy (to review), fact two Again, 200 s (capped).
    answer(one, 4, START, 10)
    answer(two, 1, START + timedelta(minutes=1), 200)
    # An answer taken back does not count.
    answer(three, 4, START + timedelta(minutes=2), 5)
    assert tutor.undo() is not None
    # Placement credits are not answers.
    assert tutor.credit_known([three, five], 0.9, START + timedelta(minutes=3)) == 2
    # 03:30 on Tuesday is still Monday's study day; no time was measured.
    answer(two, 3, at(3, 3.5), None)
    # Wednesday 4 March: an imported answer (12 s), then fact five, in review, right.
    fact_four = next(fact for fact in tutor.facts() if fact.id == four)
    log = one_answer_log(tutor_path(tutor).with_suffix(".csv"), fact_four.key, at(4, 8))
    clock.now = at(4, 9)  # imported later that morning: no answer may come from the future
    assert tutor.import_review_log(log).added == 1
    answer(five, 3, at(4, 10), 20)
    # Thursday 5 March: fact one, in review, forgotten.
    answer(one, 1, at(5, 12), 7)
    clock.now = at(6, 10)
    return tutor


def tutor_path(tutor: Tutor) -> Path:
    path = tutor._store.path
    assert path is not None
    return path


def test_the_figures_of_a_known_history(history: Tutor) -> None:
    stats = history.stats(tz=UTC)
    assert stats.today == date(2026, 3, 6)
    # Six answers: two and a late one on Monday, the imported one and one on Wednesday, one on
    # Thursday; the undone answer and the two credits left out.
    assert (stats.answers, stats.correct) == (6, 4)
    assert stats.seconds == 10 + 60 + 0 + 12 + 20 + 7
    days = {day.day: (day.answers, day.correct, day.seconds) for day in stats.days[-5:]}
    assert days == {
        date(2026, 3, 2): (3, 2, 70.0),
        date(2026, 3, 3): (0, 0, 0.0),
        date(2026, 3, 4): (2, 2, 32.0),
        date(2026, 3, 5): (1, 0, 7.0),
        date(2026, 3, 6): (0, 0, 0.0),
    }
    assert (stats.study_days, stats.streak, stats.longest_streak) == (3, 2, 2)
    # In review when asked: fact five (right, after its credit) and fact one (forgotten).
    assert (stats.review_answers, stats.review_correct, stats.true_retention) == (2, 1, 0.5)
    assert stats.retention_by_week[-1].week == date(2026, 3, 2)
    assert stats.retention_by_week[-1].retention == 0.5
    # The tutor predicted five of the answers: not the imported one.
    report = history.calibration()
    assert stats.calibration.answers == report.answers == 5
    assert stats.calibration.log_loss == pytest.approx(report.log_loss, rel=1e-12)
    assert stats.calibration.baseline_log_loss == pytest.approx(report.baseline_log_loss)
    assert [row.count for row in stats.calibration.rows] == [row.count for row in report.rows]
    # Mastery is the home screen's; facts three and five are mastered (credited, then
    # answered Good for five), and only five was ever answered: one eureka.
    assert {t.topic: t.mastery for t in stats.topics} == pytest.approx(history.mastery())
    assert (stats.mastered, stats.eurekas) == (2, 1)
    assert stats.eurekas_per_minute == 1 / (109 / 60)
    # Nothing was studied thirty days ago.
    assert (stats.mastery_before, stats.mastered_before) == (0.0, 0)
    # Facts one, two and four are in (re)learning steps, overdue: due today.
    assert stats.forecast[0].due == 3
    due_later = sum(
        1
        for _, memory, _ in history.fact_states()
        if memory.due is not None and at(7, 4) <= memory.due < at(6, 4) + timedelta(days=30)
    )
    assert sum(day.due for day in stats.forecast) == 3 + due_later


def test_the_store_leaves_credits_out_as_the_module_expects() -> None:
    # The store and the module name the kinds of placement credits and imported answers alike.
    assert (CREDIT_KIND, IMPORTED_KIND) == ("credit", "imported")


def test_one_talk_s_progress_leaves_the_others_out(history: Tutor, clock: FrozenClock) -> None:
    history.import_notes(bundled_decks()[0])
    agents, bundled = history.talks()
    fact = history.facts(bundled.id)[0]
    assert fact.id is not None
    history.answer(history.question_for(fact.id, kind="flashcard"), 4, seconds=30)
    assert history.stats(talk_id=agents.id, tz=UTC).answers == 6
    assert history.stats(talk_id=bundled.id, tz=UTC).answers == 1
    everything = history.stats(tz=UTC)
    assert (everything.answers, everything.seconds) == (7, 139.0)
    assert everything.facts == len(history.facts())


def test_mastery_thirty_days_ago_is_what_it_was_then(clock: FrozenClock) -> None:
    tutor = Tutor.open("sqlite://", clock=clock, kinds=["flashcard"], seed=2)
    tutor.import_notes(bundled_decks()[0])
    rng = random.Random(11)

    def study(answers: int) -> None:
        for _ in range(answers):
            question = tutor.next_question()
            if question is None:
                break
            tutor.answer(question, 3 if rng.random() < 0.8 else 1, seconds=9)
            clock.advance(seconds=30)

    for _ in range(8):
        study(15)
        clock.advance(days=1)
    then = clock.now
    mastery_then = tutor.mastery(then)
    mastered_then = sum(
        memory.phase is Phase.REVIEW and recall >= 0.9
        for _, memory, recall in tutor.fact_states(now=then)
    )
    assert mastered_then > 0
    # Twenty-nine more days of study, all before thirty days after then.
    for _ in range(29):
        clock.advance(hours=20)
        study(6)
        clock.advance(hours=4)
    clock.now = then + timedelta(days=30)
    stats = tutor.stats(tz=UTC)
    assert {t.topic: t.mastery_before for t in stats.topics} == pytest.approx(mastery_then)
    assert stats.mastered_before == mastered_then
    assert {t.topic: t.mastery for t in stats.topics} == pytest.approx(tutor.mastery())
    assert stats.mastery > stats.mastery_before
    tutor.close()


# The command line


@pytest.mark.usefixtures("utc_local_time")
def test_stats_prints_the_figures(
    history: Tutor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tutor_path(history))
    history.close()
    assert main(["--db", db, "stats", "--talk", "agents"]) == 0
    out = capsys.readouterr().out
    assert "Your progress on “Agents and ghosts”" in out
    # The command line runs on the real clock, long after March 2026: no streak.
    assert "Streak           0 days (longest 2)" in out
    assert "Time studied     1m 49s on 3 days" in out
    assert "Answers          6, 67% right" in out
    assert "True retention   50% of 2 answers on facts in review" in out
    assert "The decade of agents" in out and "Ghosts, not animals" in out


@pytest.mark.usefixtures("utc_local_time")
def test_stats_json_has_every_figure(history: Tutor, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tutor_path(history))
    history.close()
    assert main(["--db", db, "stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["talk"] is None
    assert (data["answers"], data["correct"], data["seconds_studied"]) == (6, 4, 109.0)
    assert (data["review_answers"], data["review_correct"]) == (2, 1)
    assert data["calibration"]["answers"] == 5
    assert [t["topic"] for t in data["topics"]] == ["The decade of agents", "Ghosts, not animals"]
    assert len(data["days"]) == CALENDAR_DAYS and len(data["forecast"]) == FORECAST_DAYS


def test_stats_of_an_unknown_talk_exits_2(
    history: Tutor, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tutor_path(history))
    history.close()
    assert main(["--db", db, "stats", "--talk", "no-such-talk"]) == 2
    captured = capsys.readouterr()
    assert "eurekatutor: no talk 'no-such-talk'; the talks are: agents" in captured.err
    assert captured.out == ""
