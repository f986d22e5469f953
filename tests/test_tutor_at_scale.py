"""What keeps the tutor quick on a large collection gives the same answers as before."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from conftest import FrozenClock
from eurekatutor import tutor as tutor_module
from eurekatutor.bootstrap import bundled_decks
from eurekatutor.domain.questions import RECOGNITION, Question, QuestionKind
from eurekatutor.scheduling.grading import Response
from eurekatutor.scheduling.memory import MemoryModel, Rating
from eurekatutor.scheduling.prediction import Calibration
from eurekatutor.sessions import Quiz
from eurekatutor.tutor import REFIT_EVERY, Tutor, fsrs_refit_due

DECK = bundled_decks()[0]


def response(question: Question, right: bool) -> Response:
    """Return the right answer to a question, or a wrong one."""
    if question.kind is QuestionKind.FLASHCARD:
        return 3 if right else 1
    if question.kind is QuestionKind.ORDER:
        return list(question.expected)[:: 1 if right else -1]
    if question.kind in RECOGNITION:
        wrong = [choice for choice in question.choices or [] if choice != question.expected]
        return question.expected if right else wrong[0]
    return question.expected if right else "no idea at all"


def study(tutor: Tutor, clock: FrozenClock, answers: int, seed: int = 3) -> None:
    """Answer ``answers`` questions, right about three times in four."""
    rng = random.Random(seed)
    for _ in range(answers):
        question = tutor.next_question()
        if question is None:
            clock.advance(hours=6)
            continue
        tutor.answer(question, response(question, rng.random() < 0.75))
        clock.advance(seconds=20)


def test_mastery_by_talk_is_the_mean_recall_of_every_fact(
    adaptive: Tutor, clock: FrozenClock
) -> None:
    adaptive.import_notes(DECK)
    study(adaptive, clock, 60)
    clock.advance(days=2)
    [talk] = adaptive.talks()

    expected: dict[str, list[float]] = {}
    for fact, _memory, recall in adaptive.fact_states(talk.id):
        expected.setdefault(fact.topic, []).append(recall)
    by_topic = {topic: sum(values) / len(values) for topic, values in expected.items()}

    assert adaptive.mastery(talk_id=talk.id) == by_topic
    assert list(adaptive.mastery(talk_id=talk.id)) == list(by_topic)
    assert adaptive.mastery() == by_topic
    assert adaptive.mastery_by_talk() == {talk.id: by_topic, None: by_topic}
    assert 0 < min(by_topic.values()) <= max(by_topic.values()) < 1


def test_counts_by_talk_and_remaining_match_their_parts(
    adaptive: Tutor, clock: FrozenClock
) -> None:
    adaptive.import_notes(DECK)
    study(adaptive, clock, 30)
    clock.advance(hours=1)
    [talk] = adaptive.talks()
    counts = adaptive.counts(talk.id)
    assert adaptive.counts_by_talk() == {talk.id: counts}
    introduced = len({review.fact_id for review in adaptive.reviews()})
    assert adaptive.remaining(talk.id) == counts.due + min(counts.new, 20 - introduced)


def test_the_calibration_is_fitted_to_the_latest_answers_of_each_group(
    adaptive: Tutor, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    adaptive.import_notes(DECK)
    study(adaptive, clock, 150)
    history = [
        (QuestionKind(review.question_kind), review.model_predicted, review.correct)
        for review in adaptive.reviews()
        if review.model_predicted is not None
    ]
    assert adaptive.refit_calibration() == Calibration.fit(history)

    monkeypatch.setattr(tutor_module, "CALIBRATION_WINDOW", 60)
    recognition = [entry for entry in history if entry[0] in RECOGNITION]
    recall = [entry for entry in history if entry[0] not in RECOGNITION]
    assert len(recognition) > 60
    recognition, recall = recognition[-60:], recall[-60:]
    windowed = adaptive.refit_calibration()
    assert windowed == Calibration.fit(recognition + recall)
    assert windowed != Calibration.fit(history)


def test_deferred_refits_wait_for_the_caller_and_the_fit_is_kept(
    db_path: object, clock: FrozenClock
) -> None:
    with Tutor.open(db_path, clock=clock, seed=1) as tutor:  # type: ignore[arg-type]
        tutor.import_notes(DECK)
        tutor.defer_refits = True
        study(tutor, clock, 2 * REFIT_EVERY + 5)
        # The first fit was needed at once; since then the refits wait.
        assert tutor.refit_due
        before = tutor.calibration_model()
        refitted = tutor.refit_calibration()
        assert not tutor.refit_due and tutor.calibration_model() is refitted
        assert refitted != before

    with Tutor.open(db_path, clock=clock, seed=1) as reopened:  # type: ignore[arg-type]
        reopened.defer_refits = True
        assert reopened.calibration_model() == refitted
        assert reopened.refit_due  # the saved fit is used at once and refitted soon after

    with Tutor.open(db_path, clock=clock, seed=1) as plain:  # type: ignore[arg-type]
        assert not plain.refit_due
        assert plain.calibration_model() == refitted  # no answers since: the same fit


def test_a_tutor_that_does_not_defer_refits_after_every_twenty_answers(
    adaptive: Tutor, clock: FrozenClock
) -> None:
    adaptive.import_notes(DECK)
    study(adaptive, clock, REFIT_EVERY - 1)
    first = adaptive.calibration_model()
    assert not adaptive.refit_due
    study(adaptive, clock, 1, seed=9)
    assert adaptive.refit_due
    assert adaptive.calibration_model() is not first
    assert not adaptive.refit_due


def test_a_quiz_counts_the_facts_left_to_ask(adaptive: Tutor, clock: FrozenClock) -> None:
    adaptive.import_notes(DECK)
    [talk] = adaptive.talks()
    quiz = Quiz(adaptive, 10, talk.id)
    total = adaptive.counts(talk.id).total
    assert quiz.remaining() == total
    question = quiz.next_question()
    assert question is not None
    quiz.answer(question, question.expected)
    clock.advance(seconds=30)
    assert quiz.remaining() == total - 1
    clock.advance(minutes=15)
    assert quiz.next_question() is None
    assert timedelta(0) == quiz.time_left()


def test_a_long_log_is_refitted_after_a_tenth_more_reviews() -> None:
    assert not fsrs_refit_due(499, 400) and fsrs_refit_due(500, 400)
    assert not fsrs_refit_due(1099, 1000) and fsrs_refit_due(1100, 1000)
    assert not fsrs_refit_due(2000 + 199, 2000) and fsrs_refit_due(2000 + 200, 2000)
    assert not fsrs_refit_due(219_999, 200_000) and fsrs_refit_due(220_000, 200_000)


def test_the_preview_and_what_is_left_match_fresh_reads(
    adaptive: Tutor, clock: FrozenClock
) -> None:
    adaptive.import_notes(DECK)
    study(adaptive, clock, 25)
    [talk] = adaptive.talks()

    def left() -> int:
        counts = adaptive.counts(talk.id)
        introduced = len({review.fact_id for review in adaptive.reviews()})
        return counts.due + min(counts.new, 20 - introduced)

    def fresh_preview(fact_id: int) -> dict[Rating, timedelta]:
        memory = adaptive._store.memory(fact_id)
        return MemoryModel(parameters=adaptive.parameters).preview(memory, clock())

    question = adaptive.next_question(talk_id=talk.id)
    # A fact met before: a right answer moves it a step on (a new one's first recognition
    # counts as Again and leaves it where a new card starts).
    for _ in range(50):
        assert question is not None
        if not adaptive.memory(question.fact_id).is_new:
            break
        adaptive.answer(question, response(question, right=True))
        question = adaptive.next_question(talk_id=talk.id)
    assert question is not None
    before = fresh_preview(question.fact_id)
    assert adaptive.preview(question) == before
    assert adaptive.remaining(talk.id) == left()
    adaptive.answer(question, response(question, right=True))
    assert adaptive.preview(question) == fresh_preview(question.fact_id) != before
    assert adaptive.remaining(talk.id) == left()
