"""The simulation's learner-memory families and its calibration breakdown."""

from __future__ import annotations

import itertools
import json
import math
import random
from datetime import datetime, timedelta

import pytest

from conftest import load_benchmark
from eurekatutor.domain.questions import QuestionKind

sim = load_benchmark("simulate")
START = sim.START
FAMILIES = list(sim.MEMORIES)
MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)


def learner(facts: int = 2) -> object:
    return sim.Learner(seed=0, ability=1.0, forgetting=1.0, speed=1.0, difficulty=(1.0,) * facts)


def studied_once(family: str) -> object:
    """Return a memory of ``family`` whose fact 0 was met once, by a failed flashcard, at START."""
    memory = sim.MEMORIES[family](learner())
    memory.study(0, QuestionKind.FLASHCARD, sim.Attempt(False, 0.02, False), START)
    return memory


def test_the_families_are_the_three_documented_ones() -> None:
    assert FAMILIES == ["exponential", "power", "actr"]
    assert sim.MEMORIES["exponential"] is sim.Memory


@pytest.mark.parametrize("family", FAMILIES)
def test_recall_falls_with_time_and_recognition_is_at_least_recall(family: str) -> None:
    memory = studied_once(family)
    delays = [MINUTE, 10 * MINUTE, HOUR, 3 * HOUR, DAY, 3 * DAY, 14 * DAY]
    recalls = [memory.recall(0, START + delay) for delay in delays]
    assert all(later < earlier for earlier, later in itertools.pairwise(recalls))
    for delay in delays:
        assert memory.recognise(0, START + delay) >= memory.recall(0, START + delay)
    assert memory.recognise(0, START + DAY) > memory.recall(0, START + DAY)
    # A fact never seen: prior knowledge only, the same in every family.
    assert memory.recall(1, START) == sim.PRIOR_RECALL
    assert memory.recognise(1, START) == sim.PRIOR_RECOGNITION


@pytest.mark.parametrize(("family", "at_most"), [("power", 0.95), ("actr", 0.5)])
def test_a_first_exposure_is_not_recalled_with_certainty_minutes_later(
    family: str, at_most: float
) -> None:
    memory = studied_once(family)
    assert 0.05 < memory.recall(0, START + 10 * MINUTE) < at_most
    rng = random.Random(4)
    later = START + 10 * MINUTE
    wrong = sum(
        not memory.attempt(0, QuestionKind.FLASHCARD, later, rng).correct for _ in range(2000)
    )
    assert wrong / 2000 == pytest.approx(1 - memory.recall(0, later), abs=0.03)
    assert wrong > 0.04 * 2000


def test_power_law_forgets_faster_at_first_and_slower_later_than_exponential() -> None:
    power, exponential = studied_once("power"), studied_once("exponential")
    strength = exponential.strength[0]
    assert power.strength[0] == strength == sim.FIRST_STRENGTH_DAYS
    # The strength keeps its meaning: recall e^-1 after S days in both families.
    at_strength = START + timedelta(days=strength)
    assert power.recall(0, at_strength) == pytest.approx(math.exp(-1))
    assert exponential.recall(0, at_strength) == pytest.approx(math.exp(-1))
    assert power.recall(0, START + HOUR) < exponential.recall(0, START + HOUR)
    assert power.recall(0, START + 7 * DAY) > exponential.recall(0, START + 7 * DAY)
    # (1 + t / (c S))^-d, by hand, ten minutes after.
    ratio = (10 / 1440) / sim.FIRST_STRENGTH_DAYS
    expected = (1 + ratio / sim.POWER_SCALE) ** -sim.POWER_DECAY
    assert power.recall(0, START + 10 * MINUTE) == pytest.approx(expected)


def test_power_law_strength_grows_more_with_spaced_than_massed_retrieval() -> None:
    def strength_after(gap: timedelta) -> float:
        memory = studied_once("power")
        later = START + gap
        chance = memory.recall(0, later)
        memory.study(0, QuestionKind.FLASHCARD, sim.Attempt(True, chance, True), later)
        return float(memory.strength[0])

    assert strength_after(DAY) > strength_after(MINUTE) > sim.FIRST_STRENGTH_DAYS


def actr_after(studies: list[datetime]) -> object:
    memory = sim.ActrMemory(learner())
    for when in studies:
        memory.study(0, QuestionKind.FLASHCARD, sim.Attempt(False, 0.0, False), when)
    return memory


def test_actr_activation_follows_pavlik_and_anderson() -> None:
    memory = actr_after([START])
    [(studied, decay)] = memory.traces[0]
    assert (studied, decay) == (0.0, sim.ACTR_DECAY_INTERCEPT)
    # m = ln t^-d, p = 1 / (1 + exp((tau - m) / s)), a minute after one study: about 0.48.
    activation = -sim.ACTR_DECAY_INTERCEPT * math.log(60)
    assert memory.activation(0, START + MINUTE) == pytest.approx(activation)
    expected = 1 / (1 + math.exp((sim.ACTR_THRESHOLD - activation) / sim.ACTR_NOISE))
    assert memory.recall(0, START + MINUTE) == pytest.approx(expected)
    assert expected == pytest.approx(0.48, abs=0.01)


def test_actr_studying_what_is_active_leaves_a_trace_that_fades_faster() -> None:
    massed = actr_after([START, START + timedelta(seconds=10)])
    spaced = actr_after([START, START + DAY])
    assert massed.traces[0][1][1] > spaced.traces[0][1][1] > sim.ACTR_DECAY_INTERCEPT


def test_actr_spacing_helps() -> None:
    # Two studies ten seconds apart, or a day apart; recall a week after the second.
    massed = actr_after([START, START + timedelta(seconds=10)])
    spaced = actr_after([START, START + DAY])
    assert spaced.recall(0, START + 8 * DAY) > massed.recall(0, START + 7 * DAY)
    # And two studies beat one.
    once = actr_after([START + DAY])
    assert spaced.recall(0, START + 8 * DAY) > once.recall(0, START + 8 * DAY)


def test_actr_time_between_sessions_counts_at_h_past_the_session_break() -> None:
    memory = actr_after([START])
    assert memory.clock(START + 30 * MINUTE) == 1800.0
    hour = sim.ACTR_SESSION_BREAK.total_seconds()
    day = memory.clock(START + DAY)
    assert day == pytest.approx(hour + (86400 - hour) * sim.ACTR_BETWEEN_SESSIONS)
    # Continuous at the break: recall never rises with time.
    just_before = memory.recall(0, START + sim.ACTR_SESSION_BREAK - MINUTE)
    just_after = memory.recall(0, START + sim.ACTR_SESSION_BREAK + MINUTE)
    assert just_after < just_before


@pytest.mark.parametrize(
    ("seconds", "bucket"),
    [
        (None, "first time"),
        (0.0, "under 1 hour"),
        (3599.0, "under 1 hour"),
        (3600.0, "1 hour to 1 day"),
        (86399.0, "1 hour to 1 day"),
        (86400.0, "over 1 day"),
        (30 * 86400.0, "over 1 day"),
    ],
)
def test_answers_fall_in_buckets_by_time_since_the_fact_was_last_seen(
    seconds: float | None, bucket: str
) -> None:
    assert sim.elapsed_bucket(seconds) == bucket


def test_the_breakdown_reports_answers_predicted_actual_and_log_loss() -> None:
    predictions = [
        sim.Prediction(60.0, "flashcard", 0.9, True),
        sim.Prediction(120.0, "flashcard", 0.9, False),
        sim.Prediction(7200.0, "choice", 0.6, True),
        sim.Prediction(None, "choice", 0.3, False),
        sim.Prediction(None, "typed", 0.2, False),
    ]
    by_elapsed, by_kind = sim.breakdown(predictions)
    assert [row.name for row in by_elapsed] == ["first time", "under 1 hour", "1 hour to 1 day"]
    assert [row.name for row in by_kind] == ["flashcard", "choice", "typed"]
    minutes = by_elapsed[1]
    assert (minutes.answers, minutes.predicted, minutes.actual) == (2, pytest.approx(0.9), 0.5)
    assert minutes.log_loss == pytest.approx(-(math.log(0.9) + math.log(0.1)) / 2)
    first = by_elapsed[0]
    assert first.actual == 0.0
    assert first.log_loss == pytest.approx(-(math.log(0.7) + math.log(0.8)) / 2)
    assert sum(row.answers for row in by_kind) == len(predictions)


def tiny(*options: str) -> list[str]:
    return ["--learners", "1", "--days", "1", "--minutes", "2", "--jobs", "1", *options]


def test_exponential_memory_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert sim.Settings().memory == "exponential"
    figures = []
    for options in ([], ["--memory", "exponential"]):
        sim.main(tiny("--json", *options))
        found = json.loads(capsys.readouterr().out)
        del found["elapsed_seconds"]
        figures.append(found)
    assert figures[0] == figures[1]
    assert figures[0]["settings"]["memory"] == "exponential"


@pytest.mark.parametrize("family", ["power", "actr"])
def test_each_family_runs_and_reports_the_breakdown(
    family: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sim.main(tiny("--json", "--memory", family))
    figures = json.loads(capsys.readouterr().out)
    calibration = figures["calibration"]
    assert figures["settings"]["memory"] == family
    assert calibration["answers"] > 0
    assert sum(row["answers"] for row in calibration["by_elapsed"]) == calibration["answers"]
    assert sum(row["answers"] for row in calibration["by_kind"]) == calibration["answers"]
    assert calibration["by_elapsed"][0]["name"] == "first time"
    sim.main(tiny("--memory", family))
    table = capsys.readouterr().out
    assert sim.MEMORY_NAMES[family] in table
    assert "last seen" in table and "under 1 hour" in table


def test_an_unknown_memory_family_is_refused() -> None:
    with pytest.raises(SystemExit) as raised:
        sim.main(["--memory", "fsrs"])
    assert raised.value.code == 2
