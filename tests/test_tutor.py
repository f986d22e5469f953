"""The headless API, end to end on a temporary database with a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import DATA, FrozenClock
from eurekatutor.domain import questions
from eurekatutor.domain.models import FactKind
from eurekatutor.domain.questions import QuestionKind
from eurekatutor.errors import NotesError
from eurekatutor.scheduling.prediction import NEW_FACT_RECALL, SLIP
from eurekatutor.tutor import AnswerError, Tutor

NOTES = DATA / "tutor" / "agents.md"
EDITED = DATA / "tutor" / "agents_edited.md"


def test_a_new_database_is_empty_until_an_import(tutor: Tutor) -> None:
    assert tutor.talks() == []
    assert tutor.facts() == []
    assert tutor.next_question() is None


def test_import_reports_counts_and_facts_carry_their_source(tutor: Tutor) -> None:
    report = tutor.import_notes(NOTES)
    assert (report.added, report.updated, report.retired) == (5, 0, 0)
    facts = tutor.facts()
    assert [f.kind for f in facts] == [
        FactKind.CLAIM,
        FactKind.CLAIM,
        FactKind.NUMBER,
        FactKind.CLAIM,
        FactKind.QUOTE,
    ]
    quote = facts[-1]
    assert quote.text == "We're not actually building animals. We're building ghosts."
    assert quote.speaker == "Andrej Karpathy"
    assert quote.topic == "Ghosts, not animals"
    assert quote.source.line == 20
    assert all(f.id is not None for f in facts)


def test_reimport_of_an_edited_file_updates_in_place_and_retires(
    tutor: Tutor, clock: FrozenClock
) -> None:
    tutor.import_notes(NOTES)
    intern = next(f for f in tutor.facts() if "intern" in f.text)
    quote = next(f for f in tutor.facts() if f.kind is FactKind.QUOTE)
    for fact_id in (intern.id, quote.id):
        assert fact_id is not None
        tutor.answer(tutor.question_for(fact_id), 3)

    report = tutor.import_notes(EDITED)
    assert (report.added, report.updated, report.retired, report.unchanged) == (1, 1, 1, 3)
    edited = next(f for f in tutor.facts() if f.id == intern.id)
    assert edited.text.endswith("replace a human employee.")
    assert len(tutor.reviews(intern.id)) == 1
    assert quote.id not in {f.id for f in tutor.facts()}
    assert len(tutor.reviews(quote.id)) == 1

    again = tutor.import_notes(EDITED)
    assert (again.added, again.updated, again.retired, again.unchanged) == (0, 0, 0, 5)


def test_a_bad_notes_file_writes_nothing(tutor: Tutor, tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("   \n")
    with pytest.raises(NotesError, match=r"empty\.md"):
        tutor.import_notes(empty)
    assert tutor.talks() == [] and tutor.facts() == []


def test_a_session_asks_main_claims_first_then_stops_when_nothing_is_left(
    tutor: Tutor, clock: FrozenClock
) -> None:
    tutor.import_notes(NOTES)
    first = tutor.next_question()
    assert first is not None
    assert first.kind == "flashcard" and first.choices is None
    assert first.fact.main and first.topic == "The decade of agents"
    assert first.predicted == pytest.approx(NEW_FACT_RECALL * (1 - SLIP))
    asked = []
    question = first
    while question is not None and len(asked) < 50:
        asked.append(question.fact_id)
        tutor.answer(question, 4, seconds=2.5)  # Easy graduates a fact at once
        question = tutor.next_question()
    assert len(asked) == 5
    assert tutor.remaining() == 0
    assert tutor.mastery() == {"The decade of agents": 1.0, "Ghosts, not animals": 1.0}


def test_answer_records_rating_correctness_time_and_prediction(
    tutor: Tutor, clock: FrozenClock
) -> None:
    tutor.import_notes(NOTES)
    question = tutor.next_question()
    assert question is not None
    outcome = tutor.answer(question, 1, seconds=7.0)
    assert not outcome.correct
    assert outcome.interval == timedelta(minutes=1)
    [review] = tutor.reviews()
    assert (review.rating, review.correct, review.seconds) == (1, False, 7.0)
    assert review.predicted == question.predicted == pytest.approx(NEW_FACT_RECALL * (1 - SLIP))
    assert review.reviewed_at == clock.now


def test_a_failed_fact_comes_back_within_the_session(tutor: Tutor, clock: FrozenClock) -> None:
    tutor.import_notes(NOTES)
    question = tutor.next_question()
    assert question is not None
    tutor.answer(question, 1)
    for _ in range(4):
        other = tutor.next_question()
        assert other is not None and other.fact_id != question.fact_id
        tutor.answer(other, 4)
    back = tutor.next_question()
    assert back is not None and back.fact_id == question.fact_id


def test_undo_takes_back_the_last_answer(tutor: Tutor) -> None:
    tutor.import_notes(NOTES)
    question = tutor.next_question()
    assert question is not None
    tutor.answer(question, 4)
    undone = tutor.undo()
    assert undone is not None and undone.fact.id == question.fact_id
    said = str(undone)
    assert said.startswith(f"Undid your answer to “{question.fact.text[:40]}") and said.endswith(
        "”: Easy"
    )
    assert tutor.reviews() == []
    assert tutor.recall_probability(question.fact_id) == 0.0
    assert tutor.remaining() == 5
    assert tutor.undo() is None


def test_overrule_takes_the_learners_word_and_reschedules_from_before_the_answer(
    tutor: Tutor, clock: FrozenClock
) -> None:
    tutor.import_notes(NOTES)
    question = None
    for fact in tutor.facts():
        try:
            question = tutor.question_for(fact.id or 0, kind=QuestionKind.CLOZE)
            break
        except AnswerError:
            continue
    assert question is not None
    wrong = tutor.answer(question, "zebra")
    assert not wrong.correct and wrong.interval < timedelta(hours=1)
    clock.advance(seconds=20)
    right = tutor.overrule(wrong)
    assert right is not None and right.correct and right.rating == 3
    assert right.verdict.correct and right.expected == wrong.expected
    # Scheduled from the card as it was before the answer, at the answer's time: Good.
    assert right.due > wrong.due
    [review] = tutor.reviews()
    assert (review.correct, review.rating, review.overruled) == (True, 3, True)
    assert review.response == "zebra"
    assert tutor.memory(question.fact_id).due == right.due
    # Once the fact is answered again, the earlier answer is no longer to overrule.
    again = tutor.question_for(question.fact_id, kind=QuestionKind.FLASHCARD)
    flashcard = tutor.answer(again, 3)
    assert tutor.overrule(right) is None
    assert tutor.overrule(flashcard) is None  # a flashcard is rated by the learner


def test_undo_never_reaches_an_answer_from_before_the_tutor_opened(
    db_path: Path, clock: FrozenClock
) -> None:
    with Tutor.open(db_path, clock=clock, seed=1) as first:
        first.import_notes(NOTES)
        fact_id = first.facts()[0].id or 0
        first.answer(first.question_for(fact_id, kind="flashcard"), 3)
    with Tutor.open(db_path, clock=clock, seed=1) as later:
        assert later.undo() is None  # yesterday's answer, from another session
        assert len(later.reviews()) == 1


def test_invalid_ratings_are_refused(tutor: Tutor) -> None:
    tutor.import_notes(NOTES)
    question = tutor.next_question()
    assert question is not None
    for bad in (0, 5, "good"):
        with pytest.raises(AnswerError, match="1 \\(Again\\) to 4 \\(Easy\\)"):
            tutor.answer(question, bad)
    assert tutor.reviews() == []


def test_now_runs_days_in_seconds_and_recall_decays_on_fractional_days(tutor: Tutor) -> None:
    tutor.import_notes(NOTES)
    day = datetime(2030, 5, 1, 8, 0, tzinfo=UTC)
    question = tutor.next_question(now=day)
    assert question is not None
    tutor.answer(question, 4, now=day)
    soon = tutor.recall_probability(question.fact_id, now=day + timedelta(hours=3))
    later = tutor.recall_probability(question.fact_id, now=day + timedelta(hours=20))
    assert 0 < later < soon < 1
    mastery = tutor.mastery(now=day + timedelta(hours=3))
    assert 0 < mastery["The decade of agents"] < 1
    assert mastery["Ghosts, not animals"] == 0.0


def test_a_naive_now_is_refused(tutor: Tutor) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        tutor.next_question(now=datetime(2030, 1, 1))


def test_the_daily_new_limit_applies(db_path: Path, clock: FrozenClock) -> None:
    with Tutor.open(db_path, clock=clock, new_per_day=2, kinds=["flashcard"]) as limited:
        limited.import_notes(NOTES)
        for _ in range(2):
            question = limited.next_question()
            assert question is not None
            limited.answer(question, 4)
        assert limited.next_question() is None
        clock.advance(days=1)
        assert limited.next_question() is not None


def test_desired_retention_is_configurable(tmp_path: Path, clock: FrozenClock) -> None:
    intervals = {}
    for retention in (0.8, 0.95):
        with Tutor.open(
            tmp_path / f"{retention}.db",
            clock=clock,
            desired_retention=retention,
            kinds=["flashcard"],
        ) as t:
            t.import_notes(NOTES)
            question = t.next_question()
            assert question is not None
            intervals[retention] = t.answer(question, 4).interval
    assert intervals[0.8] > intervals[0.95]


def test_a_summary_of_the_same_talk_stays_a_separate_talk(tutor: Tutor) -> None:
    tutor.import_notes(NOTES)
    report = tutor.import_notes(DATA / "foreign_themes_quotes.md")
    assert report.retired == 0
    assert [talk.slug for talk in tutor.talks()] == ["agents", "foreign-themes-quotes"]
    assert len(tutor.facts(tutor.talks()[0].id)) == 5


def test_a_talks_key_phrases_are_saved_and_read_back_until_its_facts_change(
    db_path: Path, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Tutor.open(db_path, clock=clock, seed=1) as first:
        first.import_notes(NOTES)
        talk_id = first.talks()[0].id
        first.prepare(talk_id)
        claim = next(f for f in first.facts() if QuestionKind.CLOZE in first.kinds_for(f))
        asked = first.question_for(claim.id or 0, kind="cloze")

    def worked_out(*args: object, **kwargs: object) -> list[object]:
        raise AssertionError("the saved key phrases were worked out again")

    with monkeypatch.context() as patched, Tutor.open(db_path, clock=clock, seed=1) as second:
        patched.setattr(questions, "units", worked_out)
        second.prepare(talk_id)
        assert second.question_for(asked.fact_id, kind="cloze").expected == asked.expected
        second.import_notes(EDITED)
        with pytest.raises(AssertionError, match="worked out again"):
            second.prepare(talk_id)


def test_new_wrong_options_in_the_notes_replace_the_saved_choice_question(
    db_path: Path, clock: FrozenClock, tmp_path: Path
) -> None:
    notes = tmp_path / "reefs.md"
    before = "within a year; within a century; within a month"
    notes.write_text(
        "---\ntitle: Reefs\n---\n## Growth\n- How fast reefs grow back :: within a decade\n"
        f"  - Wrong: {before}\n"
    )

    def options(tutor: Tutor) -> list[str]:
        talk = next(talk for talk in tutor.talks() if talk.title == "Reefs")
        tutor.prepare(talk.id)  # saves the talk's questions
        [fact] = [fact for fact in tutor.facts() if fact.talk_id == talk.id]
        return sorted(tutor.question_for(fact.id or 0, kind=QuestionKind.CHOICE).choices or [])

    with Tutor.open(db_path, clock=clock, seed=1) as first:
        first.import_notes(notes)
        assert "within a year" in options(first)
    notes.write_text(notes.read_text().replace(before, "within weeks; within ages; within days"))
    with Tutor.open(db_path, clock=clock, seed=1) as second:
        second.import_notes(notes)
        # Before, the saved choice question kept the old options: only texts were compared.
        assert options(second) == ["within a decade", "within ages", "within days", "within weeks"]
