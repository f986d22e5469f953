"""The adaptive tutor: question kinds through the API, predictions, placement and quiz."""

from __future__ import annotations

import itertools
import random
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import FrozenClock
from eurekatutor.domain.models import FactKind
from eurekatutor.domain.questions import FALSE, TRUE, Question, QuestionKind
from eurekatutor.errors import AnswerError
from eurekatutor.scheduling.prediction import FORMAT_GUESS
from eurekatutor.scheduling.queue import DEFAULT_NEW_PER_DAY
from eurekatutor.scheduling.selection import INTRODUCE
from eurekatutor.sessions import Placement, Quiz
from eurekatutor.tutor import Tutor

DECK = Path(__file__).parents[1] / "decks" / "karpathy-dwarkesh-2025.md"


@pytest.fixture
def deck(adaptive: Tutor) -> Tutor:
    adaptive.import_notes(DECK)
    return adaptive


def right_answer(question: Question) -> object:
    if question.kind is QuestionKind.FLASHCARD:
        return 3
    return question.expected


def wrong_answer(question: Question) -> object:
    match question.kind:
        case QuestionKind.FLASHCARD:
            return 1
        case QuestionKind.ORDER:
            return list(reversed(question.expected))
        case QuestionKind.CHOICE | QuestionKind.TRUEFALSE:
            assert question.choices is not None
            return next(choice for choice in question.choices if choice != question.expected)
    return "something else entirely"


@pytest.mark.parametrize("kind", list(QuestionKind))
def test_every_kind_answers_right_and_wrong_and_is_logged(deck: Tutor, kind: QuestionKind) -> None:
    fact = next(f for f in deck.facts() if kind in deck.kinds_for(f))
    assert fact.id is not None
    question = deck.question_for(fact.id, kind=kind)
    assert question.kind is kind and 0 < question.predicted < 1
    assert deck.answer(question, right_answer(question)).correct
    second = deck.question_for(fact.id, kind=kind)
    outcome = deck.answer(second, wrong_answer(second))
    assert not outcome.correct and outcome.rating == 1
    log = deck.reviews(fact.id)
    assert [(r.question_kind, r.correct) for r in log] == [(kind.value, True), (kind.value, False)]
    assert log[0].predicted == question.predicted


def test_choice_questions_have_four_unique_options_with_the_answer_once(deck: Tutor) -> None:
    for fact in deck.facts():
        if QuestionKind.CHOICE in deck.kinds_for(fact):
            assert fact.id is not None
            question = deck.question_for(fact.id, kind=QuestionKind.CHOICE)
            assert question.choices is not None and len(question.choices) == 4
            assert len({c.casefold() for c in question.choices}) == 4
            assert question.choices.count(str(question.expected)) == 1


def test_a_false_statement_carries_its_correction(deck: Tutor) -> None:
    seen_false = False
    for fact in deck.facts()[:30]:
        assert fact.id is not None
        if QuestionKind.TRUEFALSE not in deck.kinds_for(fact):
            continue
        question = deck.question_for(fact.id, kind=QuestionKind.TRUEFALSE)
        assert question.choices == [TRUE, FALSE]
        if question.expected == FALSE:
            seen_false = True
            statement = question.prompt.removeprefix("True or false? ")
            assert question.correction and question.correction != statement
            outcome = deck.answer(question, "t")
            assert not outcome.correct and outcome.correction == question.correction
    assert seen_false


def test_typed_answers_are_graded_leniently_with_a_diff(deck: Tutor) -> None:
    number = next(f for f in deck.facts() if f.kind is FactKind.NUMBER and f.text == "100")
    assert number.id is not None
    question = deck.question_for(number.id, kind=QuestionKind.TYPED)
    assert deck.answer(question, "a hundred").correct
    cloze_fact = next(f for f in deck.facts() if "newborn zebra" in f.text)
    assert cloze_fact.id is not None
    cloze = deck.question_for(cloze_fact.id, kind=QuestionKind.CLOZE)
    expected = str(cloze.expected)
    assert len(expected) >= 6
    typo = expected[:-2] + expected[-1] + expected[-2]  # two letters swapped
    outcome = deck.answer(cloze, typo.upper())
    assert outcome.correct and outcome.verdict.forgiven
    wrong = deck.answer(deck.question_for(cloze_fact.id, kind=QuestionKind.CLOZE), "zebra")
    assert not wrong.correct
    assert any(part.kind == "missing" for part in wrong.verdict.diff)


def test_a_response_that_does_not_fit_is_refused_and_not_logged(deck: Tutor) -> None:
    fact = next(f for f in deck.facts() if f.kind is FactKind.SEQUENCE)
    assert fact.id is not None
    order = deck.question_for(fact.id, kind=QuestionKind.ORDER)
    with pytest.raises(AnswerError, match="each item exactly once"):
        deck.answer(order, ["not an item"])
    asked = next(f for f in deck.facts() if QuestionKind.CHOICE in deck.kinds_for(f))
    choice = deck.question_for(asked.id or 0, kind=QuestionKind.CHOICE)
    with pytest.raises(AnswerError, match="one of the options"):
        deck.answer(choice, "none of these")
    assert deck.reviews() == []


def test_new_facts_start_with_recognition_and_main_claims_first(deck: Tutor) -> None:
    question = deck.next_question()
    assert question is not None
    assert question.kind in INTRODUCE
    assert question.fact.main
    assert question.predicted > FORMAT_GUESS[question.kind]


def test_seeded_tutors_ask_the_same_questions(tmp_path: Path, clock: FrozenClock) -> None:
    prompts = []
    for name in ("a", "b"):
        with Tutor.open(tmp_path / f"{name}.db", clock=clock, seed=42) as tutor:
            tutor.import_notes(DECK)
            asked = []
            for _ in range(6):
                question = tutor.next_question()
                assert question is not None
                asked.append((question.prompt, question.choices))
                tutor.answer(question, right_answer(question))
            prompts.append(asked)
    assert prompts[0] == prompts[1]


def test_study_tracks_the_target_and_topics_interleave(deck: Tutor, clock: FrozenClock) -> None:
    rng = random.Random(3)
    topics = []
    for _ in range(60):
        question = deck.next_question()
        if question is None:
            clock.advance(hours=8)
            continue
        topics.append(question.topic)
        answer = (
            right_answer(question) if rng.random() < question.predicted else wrong_answer(question)
        )
        deck.answer(question, answer)
        clock.advance(seconds=20)
    repeats = sum(a == b for a, b in itertools.pairwise(topics))
    assert repeats < len(topics) / 3
    predicted = [r.predicted for r in deck.reviews()]
    assert abs(sum(predicted) / len(predicted) - deck.target) < 0.15


def test_the_calibration_report_compares_with_a_constant_predictor(
    deck: Tutor, clock: FrozenClock
) -> None:
    rng = random.Random(5)
    for _ in range(80):
        question = deck.next_question()
        if question is None:
            clock.advance(days=1)
            continue
        correct = rng.random() < question.predicted
        deck.answer(question, right_answer(question) if correct else wrong_answer(question))
        clock.advance(minutes=1)
    report = deck.calibration()
    assert report.answers == len(deck.reviews())
    assert sum(row.count for row in report.rows) == report.answers
    assert report.baseline_log_loss > 0 and report.log_loss > 0
    assert all(0 <= row.actual <= 1 and row.low <= row.predicted <= row.high for row in report.rows)


def test_placement_credits_known_topics_and_stops_early(deck: Tutor, clock: FrozenClock) -> None:
    talk = deck.talks()[0]
    placement = Placement(deck, talk.id)
    knows = {"Ghosts, not animals", "Model collapse"}
    asked = 0
    while (question := placement.next_question()) is not None:
        asked += 1
        good = question.topic in knows
        placement.answer(question, right_answer(question) if good else wrong_answer(question))
        clock.advance(seconds=15)
    result = placement.place()
    assert asked < 3 * len(result.topics)
    assert {t for t, v in result.topics.items() if v == "known"} == knows
    assert result.topics["The decade of agents"] == "unknown"
    topic_of = {fact.id: fact.topic for fact in deck.facts()}
    credits = [r for r in deck.reviews() if r.question_kind == "credit"]
    assert len(credits) == result.credited > 0
    assert {topic_of[r.fact_id] for r in credits} == knows
    asked_ids = {r.fact_id for r in deck.reviews() if r.question_kind != "credit"}
    unstudied_known = [f for f in deck.facts() if f.topic in knows and f.id not in asked_ids]
    assert result.credited == len(unstudied_known)
    mastery = deck.mastery()
    # Facts answered wrong were just shown, so only they have any recall in that topic.
    assert mastery["Model collapse"] > 0.9 and mastery["The decade of agents"] < 0.5
    # Credits do not use up the day's new facts.
    assert deck.next_question() is not None


def test_placement_credits_nothing_in_a_topic_it_could_not_ask(
    db_path: Path, clock: FrozenClock
) -> None:
    notes = db_path.parent / "untestable.md"
    notes.write_text(
        "---\ntitle: Untestable\n---\n## Asked\n"
        "- Number: Locks on the canal :: 29\n"
        "## Never asked\n- Ghosts are never asked.\n- Nor are ghosts here.\n"
    )
    with Tutor.open(db_path, clock=clock, seed=1) as tutor:
        tutor.import_notes(notes)
        talk = tutor.talks()[0]
        placement = Placement(tutor, talk.id)
        answered = 0
        while (question := placement.next_question()) is not None:
            assert question.topic == "Asked"
            placement.answer(question, right_answer(question))
            answered += 1
        result = placement.place()
        # Before, a topic with no question to ask was judged known on no evidence at all, and
        # counted as asked to the maximum.
        assert result.topics == {"Asked": "known", "Never asked": "unsure"}
        assert result.asked == answered == 1
        topic_of = {fact.id: fact.topic for fact in tutor.facts()}
        credited = {topic_of[r.fact_id] for r in tutor.reviews() if r.question_kind == "credit"}
        assert credited <= {"Asked"}


def test_a_quiz_covers_every_topic_reports_misses_and_keeps_the_schedule(
    deck: Tutor, clock: FrozenClock
) -> None:
    talk = deck.talks()[0]
    # A fact learned well before the quiz: a correct quiz answer must not move its schedule.
    learned = deck.facts()[0]
    assert learned.id is not None
    deck.answer(deck.question_for(learned.id, kind=QuestionKind.FLASHCARD), 4)
    schedule = deck.fact_states()[0][1]
    clock.advance(hours=1)

    quiz = Quiz(deck, minutes=10, talk_id=talk.id)
    asked = []
    while (question := quiz.next_question()) is not None and len(asked) < 60:
        asked.append(question)
        good = question.fact_id == learned.id or len(asked) % 3 != 0
        quiz.answer(question, right_answer(question) if good else wrong_answer(question))
        clock.advance(seconds=20)
    assert question is None and len(asked) == 30  # 30 questions at 20 s fill 10 minutes
    assert {q.topic for q in asked} == set(deck.mastery())
    assert len({q.fact_id for q in asked}) == len(asked)
    assert all(q.kind is not QuestionKind.FLASHCARD for q in asked)
    report = quiz.report()
    assert report.asked == len(asked) and report.correct == len(asked) - len(asked) // 3
    missed = [fact for result in report.topics for fact in result.missed]
    assert len(missed) == len(asked) // 3
    assert any(f"missed ({missed[0].source})" in line for line in report.lines())
    if learned.id in {q.fact_id for q in asked}:
        assert deck.fact_states()[0][1] == schedule
    assert all(r.mode == "quiz" for r in deck.reviews()[1:])


def test_a_quiz_puts_no_more_new_facts_into_the_schedule_than_a_day_allows(
    deck: Tutor, clock: FrozenClock
) -> None:
    talk = deck.talks()[0]
    quiz = Quiz(deck, minutes=30, talk_id=talk.id)
    answered = 0
    while (question := quiz.next_question()) is not None and answered < 40:
        quiz.answer(question, right_answer(question))
        answered += 1
        clock.advance(seconds=20)
    assert answered == 40 and len(deck.reviews()) == 40
    # Before, every fact a quiz asked entered the long-term schedule (50 new facts to 7 in a
    # minute); past the day's 20 the answers are logged and the facts stay new.
    studied = [memory for _, memory, _ in deck.fact_states(talk.id) if not memory.is_new]
    assert len(studied) == DEFAULT_NEW_PER_DAY


def test_quiz_time_is_up_after_the_minutes(deck: Tutor, clock: FrozenClock) -> None:
    quiz = Quiz(deck, minutes=1)
    assert quiz.time_left() == timedelta(minutes=1)
    clock.advance(seconds=61)
    assert quiz.next_question() is None and quiz.time_left() == timedelta(0)
