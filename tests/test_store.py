"""The SQLite store: imports in one transaction, history kept, UTC times, undo, bad files."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from eurekatutor.domain.matching import plan_import
from eurekatutor.domain.models import Fact, FactKind, ParsedNotes, SourceRef, TalkMeta
from eurekatutor.errors import StoreError
from eurekatutor.persistence.store import AnswerRecord, Store
from eurekatutor.scheduling.memory import MemoryModel, MemoryState, Phase, Rating

NOW = datetime(2026, 2, 1, 8, 30, tzinfo=UTC)


def notes(*texts: str, topic: str = "Agents") -> ParsedNotes:
    facts = tuple(
        Fact(kind=FactKind.CLAIM, text=text, topic=topic, source=SourceRef(file="n.md", line=i + 3))
        for i, text in enumerate(texts)
    )
    return ParsedNotes(
        talk=TalkMeta(title="A talk", slug="a-talk", speakers=("Ann Speaker",)),
        path="n.md",
        topics=(topic,),
        facts=facts,
    )


def load(store: Store, parsed: ParsedNotes, now: datetime = NOW):
    talk = store.talk_by_slug(parsed.talk.slug)
    stored = store.facts(talk.id, include_retired=True) if talk else []
    return store.apply_import(parsed, plan_import(stored, list(parsed.facts)), now)


def answer(
    store: Store, fact_id: int, rating: Rating, now: datetime, logged_at: datetime | None = None
) -> MemoryState:
    before = store.memory(fact_id)
    after = MemoryModel().review(before, rating, now)
    store.record_answer(
        AnswerRecord(
            fact_id=fact_id,
            question_kind="flashcard",
            reviewed_at=logged_at or now,
            response=str(int(rating)),
            rating=int(rating),
            correct=rating is not Rating.AGAIN,
            predicted=0.5,
            seconds=4.0,
        ),
        before,
        after,
    )
    return after


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "s.db")


def test_first_import_adds_facts_with_new_cards(store: Store) -> None:
    report = load(
        store, notes("Agents lack continual learning today.", "Agents cannot use computers well.")
    )
    assert (report.added, report.updated, report.retired, report.unchanged) == (2, 0, 0, 0)
    facts = store.facts()
    assert [f.text for f in facts] == [
        "Agents lack continual learning today.",
        "Agents cannot use computers well.",
    ]
    assert all(store.memory(f.id).phase is Phase.NEW for f in facts if f.id)
    assert facts[0].source == SourceRef(file="n.md", line=3)


def test_reimporting_the_same_notes_changes_nothing(store: Store) -> None:
    parsed = notes("Agents lack continual learning today.")
    load(store, parsed)
    report = load(store, parsed, NOW + timedelta(days=1))
    assert (report.added, report.updated, report.retired, report.unchanged) == (0, 0, 0, 1)


def test_an_edited_fact_keeps_its_id_key_and_history(store: Store) -> None:
    load(store, notes("Agents lack continual lerning today.", "Models memorise too much."))
    original = store.facts()[0]
    assert original.id is not None
    answer(store, original.id, Rating.GOOD, NOW)

    report = load(
        store, notes("Agents lack continual learning today.", "A brand new claim about collapse.")
    )
    assert (report.added, report.updated, report.retired) == (1, 1, 1)
    edited = store.fact(original.id)
    assert edited.text == "Agents lack continual learning today."
    assert edited.key == original.key
    assert store.memory(original.id).reps == 1
    assert len(store.reviews(original.id)) == 1


def test_a_retired_fact_keeps_its_history_and_comes_back(store: Store) -> None:
    load(store, notes("Agents lack continual learning today.", "Models memorise too much."))
    gone = store.facts()[1]
    assert gone.id is not None
    answer(store, gone.id, Rating.EASY, NOW)
    load(store, notes("Agents lack continual learning today."))
    assert [f.text for f in store.facts()] == ["Agents lack continual learning today."]
    assert store.fact(gone.id).retired
    assert len(store.reviews(gone.id)) == 1

    report = load(
        store, notes("Agents lack continual learning today.", "Models memorise too much.")
    )
    assert report.updated == 1 and report.added == 0
    assert not store.fact(gone.id).retired
    assert store.memory(gone.id).reps == 1


def test_answers_are_committed_and_times_come_back_utc(store: Store, tmp_path: Path) -> None:
    load(store, notes("Agents lack continual learning today."))
    fact_id = store.facts()[0].id
    assert fact_id is not None
    answer(store, fact_id, Rating.GOOD, NOW)
    store.close()

    reopened = Store(tmp_path / "s.db")
    [review] = reopened.reviews()
    assert review.reviewed_at == NOW and review.reviewed_at.tzinfo == UTC
    assert (review.rating, review.correct, review.seconds, review.predicted) == (3, True, 4.0, 0.5)
    memory = reopened.memory(fact_id)
    assert memory.last_review == NOW and memory.due is not None and memory.due.tzinfo == UTC


def test_a_naive_datetime_is_refused_on_write(store: Store) -> None:
    load(store, notes("Agents lack continual learning today."))
    fact_id = store.facts()[0].id
    assert fact_id is not None
    with pytest.raises(Exception, match="naive datetime"):
        answer(store, fact_id, Rating.GOOD, NOW, logged_at=NOW.replace(tzinfo=None))
    assert store.reviews() == []


def test_undo_restores_the_card_and_marks_the_review(store: Store) -> None:
    load(store, notes("Agents lack continual learning today."))
    fact_id = store.facts()[0].id
    assert fact_id is not None
    answer(store, fact_id, Rating.GOOD, NOW)
    assert store.queue_counts(None, NOW, since=NOW).introduced == 1
    [review] = store.reviews()
    undone = store.undo_review(review.id)
    assert undone is not None and (undone.fact_id, undone.rating) == (fact_id, int(Rating.GOOD))
    assert store.memory(fact_id) == MemoryState()
    assert store.reviews() == []
    assert [r.undone for r in store.reviews(include_undone=True)] == [True]
    assert store.queue_counts(None, NOW, since=NOW).introduced == 0
    assert store.undo_review(review.id) is None  # undone already


def test_an_answer_followed_by_another_on_its_fact_is_not_undone(store: Store) -> None:
    load(store, notes("Agents lack continual learning today."))
    fact_id = store.facts()[0].id
    assert fact_id is not None
    answer(store, fact_id, Rating.GOOD, NOW)
    after_second = answer(store, fact_id, Rating.EASY, NOW + timedelta(minutes=10))
    first, _ = store.reviews()
    # Putting back the card from before the first answer would lose the second one.
    assert store.undo_review(first.id) is None
    assert store.memory(fact_id) == after_second
    assert len(store.reviews()) == 2


def test_counts_and_queue_queries(store: Store) -> None:
    load(store, notes("Agents lack continual learning today.", "Models memorise too much."))
    first, second = (f.id for f in store.facts())
    assert first is not None and second is not None
    assert store.new_facts(None, limit=5) == [first, second]
    answer(store, first, Rating.GOOD, NOW)
    counts = store.counts(None, NOW)
    assert (counts.new, counts.due, counts.learned, counts.total) == (1, 0, 0, 2)
    assert store.due_facts(None, NOW, limit=5) == []
    assert store.due_facts(None, NOW + timedelta(hours=1), limit=5) == [first]
    assert store.counts(None, NOW + timedelta(hours=1)).due == 1
    assert store.new_facts(None, limit=5) == [second]
    assert store.next_due(None, NOW) == store.memory(first).due


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("this is not a database\n" * 100)
    with pytest.raises(
        StoreError, match=r"notes\.db: cannot use the database: file is not a database"
    ):
        Store(bogus)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        Store(tmp_path)


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer EurekaTutor"):
        Store(path)


def test_the_database_uses_wal(store: Store, tmp_path: Path) -> None:
    load(store, notes("Agents lack continual learning today."))
    with sqlite3.connect(tmp_path / "s.db") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_two_windows_answering_one_fact_at_once_keep_both_updates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eurekatutor.tutor import Tutor

    db = tmp_path / "both.db"
    clock = lambda: NOW  # noqa: E731
    with (
        Tutor.open(db, clock=clock, kinds=["flashcard"]) as first,
        Tutor.open(db, clock=clock, kinds=["flashcard"]) as second,
    ):
        first.import_notes(Path(__file__).parent / "data" / "tutor" / "agents.md")
        fact_id = first.facts()[0].id or 0
        question = first.question_for(fact_id, kind="flashcard")
        # The first window reads the card; before it writes, the second window answers.
        stale = first._store.memory(fact_id)
        second.answer(second.question_for(fact_id, kind="flashcard"), 3)
        reads = iter([stale])
        real = first._store.memory
        monkeypatch.setattr(first._store, "memory", lambda fid: next(reads, None) or real(fid))
        first.answer(question, 3)
        # Both answers are logged, and the card holds both: two reviews, not one overwritten.
        assert len(first.reviews(fact_id)) == 2
        assert first.memory(fact_id).reps == 2
