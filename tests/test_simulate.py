"""The learning simulation: its learner's memory model, answers, queues and a tiny run."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import timedelta

import fsrs
import pytest

from conftest import load_benchmark
from eurekatutor.domain.models import FactKind
from eurekatutor.domain.questions import QuestionKind
from eurekatutor.scheduling.grading import check_answer
from eurekatutor.tutor import Tutor

sim = load_benchmark("simulate")
START = sim.START


def learner(facts: int = 3, difficulty: float = 1.0) -> object:
    return sim.Learner(
        seed=0, ability=1.0, forgetting=1.0, speed=1.0, difficulty=(difficulty,) * facts
    )


def test_learners_are_drawn_reproducibly_and_differ() -> None:
    kinds = [FactKind.CLAIM, FactKind.QUOTE, FactKind.SEQUENCE]
    first, again, other = (sim.Learner.draw(seed, kinds) for seed in (1, 1, 2))
    assert first == again
    assert first != other
    assert len(first.difficulty) == 3


def test_recall_decays_exponentially_and_recognition_is_easier() -> None:
    memory = sim.Memory(learner())
    assert memory.recall(0, START) == sim.PRIOR_RECALL
    assert memory.recognise(0, START) == sim.PRIOR_RECOGNITION
    memory.study(0, QuestionKind.FLASHCARD, sim.Attempt(False, 0.0, False), START)
    strength = memory.strength[0]
    assert strength == sim.FIRST_STRENGTH_DAYS
    later = START + timedelta(days=strength)
    assert memory.recall(0, later) == pytest.approx(0.3679, abs=1e-4)
    assert memory.recall(0, START + timedelta(days=2 * strength)) == pytest.approx(0.1353, abs=1e-4)
    assert memory.recognise(0, later) > memory.recall(0, later)


def _strength_after(kind: QuestionKind, chance: float) -> float:
    memory = sim.Memory(learner())
    memory.study(0, kind, sim.Attempt(False, 0.0, False), START)
    memory.study(0, kind, sim.Attempt(True, chance, True), START + timedelta(days=1))
    strength = memory.strength[0]
    assert strength is not None
    return float(strength)


def test_recall_strengthens_more_than_recognition_and_spacing_helps() -> None:
    assert _strength_after(QuestionKind.TYPED, 0.6) > _strength_after(QuestionKind.CHOICE, 0.6)
    assert _strength_after(QuestionKind.CHOICE, 0.6) > _strength_after(QuestionKind.TRUEFALSE, 0.6)
    # Retrieving what was nearly forgotten strengthens it more than retrieving it at once.
    assert _strength_after(QuestionKind.FLASHCARD, 0.5) > _strength_after(
        QuestionKind.FLASHCARD, 0.99
    )


def test_a_failed_retrieval_halves_the_strength_but_not_below_the_first() -> None:
    memory = sim.Memory(learner())
    memory.strength[0], memory.last[0] = 10.0, START
    memory.study(0, QuestionKind.FLASHCARD, sim.Attempt(False, 0.1, False), START)
    assert memory.strength[0] == 5.0
    memory.strength[0] = 1.2
    memory.study(0, QuestionKind.FLASHCARD, sim.Attempt(False, 0.1, False), START)
    assert memory.strength[0] == sim.FIRST_STRENGTH_DAYS


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (QuestionKind.CHOICE, 0.25 + 0.75 * 0.15),
        (QuestionKind.TRUEFALSE, 0.5 + 0.5 * 0.15),
        (QuestionKind.FLASHCARD, 0.02),
    ],
)
def test_answers_on_an_unseen_fact_follow_the_format(kind: QuestionKind, expected: float) -> None:
    memory = sim.Memory(learner())
    rng = random.Random(3)
    right = sum(memory.attempt(0, kind, START, rng).correct for _ in range(4000))
    assert right / 4000 == pytest.approx(expected, abs=0.025)


def test_questions_take_longer_when_wrong_and_typing_takes_longest() -> None:
    one = learner()
    assert sim.seconds_for(QuestionKind.FLASHCARD, True, one) == 8.0
    assert sim.seconds_for(QuestionKind.FLASHCARD, False, one) == 12.0
    assert sim.seconds_for(QuestionKind.TYPED, True, one) > sim.seconds_for(
        QuestionKind.CHOICE, True, one
    )


@pytest.fixture(scope="module")
def tutor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tutor]:
    path = tmp_path_factory.mktemp("simulate") / "study.db"
    with Tutor.open(path, clock=lambda: START, seed=5) as opened:
        opened.import_notes(sim.DECK, now=START)
        yield opened


def test_the_learners_responses_are_graded_as_intended(tutor: Tutor) -> None:
    seen: set[QuestionKind] = set()
    for fact in tutor.facts():
        for kind in tutor.kinds_for(fact):
            question = tutor.question_for(fact.id or 0, now=START, kind=kind)
            for correct in (True, False):
                verdict = check_answer(question, sim.response_for(question, correct))
                assert verdict.correct is correct, (kind, question.prompt)
            seen.add(kind)
    assert seen == set(QuestionKind)


def test_anki_queue_order() -> None:
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    cards = [fsrs.Card(card_id=number + 1, due=START) for number in range(4)]
    # Card 0 is in review and due, card 1 in learning and due a minute later.
    cards[0], _ = scheduler.review_card(cards[0], fsrs.Rating.Easy, START - timedelta(days=30))
    cards[1], _ = scheduler.review_card(cards[1], fsrs.Rating.Again, START)
    later = START + timedelta(minutes=1)
    assert sim._anki_next(cards, [0, 1], [2, 3], later, True) == 1
    assert sim._anki_next(cards, [0], [2, 3], later, True) == 0
    cards[0], _ = scheduler.review_card(cards[0], fsrs.Rating.Good, later)
    assert sim._anki_next(cards, [0], [2, 3], later, True) == 2
    # No new cards left for today: a learning card due within 20 minutes comes early.
    assert sim._anki_next(cards, [0, 1], [2, 3], START, False) == 1
    assert sim._anki_next(cards, [0], [2, 3], START, False) is None


def test_plain_flashcards_respect_the_daily_limits() -> None:
    one = sim.Learner.draw(7, [fact.kind for fact in sim.deck_facts()])
    result = sim.run_flashcards(one, days=2, minutes=4)
    assert len(result.reviews_per_day) == 2
    assert 0 < result.introduced <= 2 * sim.ANKI_NEW_PER_DAY
    # A day's last question may run over the budget, by one question at most.
    assert result.study_seconds <= 2 * (4 * 60 + 30)
    assert set(result.kinds) == {"flashcard"}
    assert 0.0 < result.exam_recall < 1.0


def test_a_tiny_simulation_runs_both_arms_and_reports(capsys: pytest.CaptureFixture[str]) -> None:
    sim.main(["--learners", "1", "--days", "2", "--minutes", "3", "--jobs", "1", "--json"])
    figures = json.loads(capsys.readouterr().out)
    tutor, cards = figures["tutor"], figures["flashcards"]
    assert tutor["grader_disagreements"] == 0
    assert len(tutor["questions_by_day"]) == 2
    assert tutor["facts_introduced"] > 0 and cards["facts_introduced"] > 0
    assert 0.0 < tutor["exam_recall"]["mean"] < 1.0
    assert figures["calibration"]["answers"] == round(tutor["questions_per_day"] * 2)
    assert figures["difference"]["mean"] == pytest.approx(
        tutor["exam_recall"]["mean"] - cards["exam_recall"]["mean"]
    )
    summary = sim.Summary.of(
        sim.Settings(learners=1, days=2, minutes=3),
        [sim.run_learner(sim.Settings(learners=1, days=2, minutes=3), 10_000)],
    )
    table = sim.format_table(summary)
    assert "exam-day recall" in table and "calibration of q.predicted" in table


@pytest.mark.parametrize("option", [["--days", "0"], ["--target", "1.2"], ["--learners", "0"]])
def test_bad_options_are_refused(option: list[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        sim.main(option)
    assert raised.value.code == 2
