"""The store's aggregate queries: counts, queue counts, mastery inputs and the answer log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from eurekatutor.domain.matching import plan_import
from eurekatutor.domain.models import Fact, FactKind, ParsedNotes, SourceRef, TalkMeta
from eurekatutor.persistence.store import CREDIT_KIND, AnswerRecord, Store
from eurekatutor.scheduling.memory import MemoryModel, Phase, Rating

NOW = datetime(2026, 2, 1, 8, 30, tzinfo=UTC)


def notes(slug: str, topics: dict[str, list[str]]) -> ParsedNotes:
    facts = tuple(
        Fact(kind=FactKind.CLAIM, text=text, topic=topic, source=SourceRef(file="n.md", line=i))
        for topic, texts in topics.items()
        for i, text in enumerate(texts)
    )
    return ParsedNotes(
        talk=TalkMeta(title=slug.title(), slug=slug), path="n.md", topics=tuple(topics), facts=facts
    )


def load(store: Store, parsed: ParsedNotes) -> list[int]:
    talk = store.talk_by_slug(parsed.talk.slug)
    stored = store.facts(talk.id, include_retired=True) if talk else []
    store.apply_import(parsed, plan_import(stored, list(parsed.facts)), NOW)
    talk = store.talk_by_slug(parsed.talk.slug)
    assert talk is not None
    return [fact.id for fact in store.facts(talk.id) if fact.id is not None]


def answer(
    store: Store,
    fact_id: int,
    rating: Rating,
    when: datetime,
    kind: str = "flashcard",
    model_predicted: float | None = 0.5,
) -> int:
    before = store.memory(fact_id)
    return store.record_answer(
        AnswerRecord(
            fact_id=fact_id,
            question_kind=kind,
            reviewed_at=when,
            response=str(int(rating)),
            rating=int(rating),
            correct=rating is not Rating.AGAIN,
            predicted=0.6,
            model_predicted=model_predicted,
        ),
        before,
        MemoryModel().review(before, rating, when),
        introduces=kind != CREDIT_KIND,
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "s.db")


@pytest.fixture
def two_talks(store: Store) -> tuple[list[int], list[int]]:
    """Talk one: topics A (3 facts) and B (2); talk two: topic A (2 facts)."""
    one = load(
        store,
        notes(
            "one",
            {
                "A": ["Agents lack memory.", "Agents lack vision.", "Agents lack hands."],
                "B": ["Models collapse slowly.", "Models copy the web."],
            },
        ),
    )
    two = load(store, notes("two", {"A": ["Cells divide often.", "Cells sense light."]}))
    return one, two


def test_counts_and_queue_counts_per_talk(
    store: Store, two_talks: tuple[list[int], list[int]]
) -> None:
    one, two = two_talks
    answer(store, one[0], Rating.GOOD, NOW)  # learning, due in ten minutes
    answer(store, one[1], Rating.EASY, NOW)  # straight to review, due in days
    answer(store, two[0], Rating.AGAIN, NOW - timedelta(days=1))
    later = NOW + timedelta(hours=1)

    counts = store.counts(store.talks()[0].id, later)
    assert (counts.due, counts.new, counts.learned, counts.total) == (1, 3, 1, 5)
    everything = store.counts(None, later)
    assert (everything.due, everything.new, everything.learned, everything.total) == (2, 4, 1, 7)

    by_talk = store.counts_by_talk(later)
    talk_one, talk_two = (talk.id for talk in store.talks())
    assert by_talk[talk_one] == counts
    assert (by_talk[talk_two].due, by_talk[talk_two].new, by_talk[talk_two].total) == (1, 1, 2)
    assert store.due_by_talk(later) == {talk_one: 1, talk_two: 1}
    assert store.due_by_talk(NOW + timedelta(days=30)) == {talk_one: 2, talk_two: 1}
    assert store.due_by_talk(NOW - timedelta(days=2)) == {}

    queue = store.queue_counts(talk_one, later, since=NOW)
    assert (queue.due, queue.new, queue.introduced) == (1, 3, 2)
    assert store.queue_counts(None, later, since=NOW).introduced == 2
    assert store.queue_counts(None, later, since=NOW - timedelta(days=2)).introduced == 3
    assert store.queue_counts(talk_two, NOW - timedelta(days=2), since=NOW).due == 0


def test_queue_counts_leave_retired_facts_out_but_count_their_introduction(
    store: Store,
) -> None:
    ids = load(store, notes("one", {"A": ["Agents lack memory.", "Models collapse slowly."]}))
    answer(store, ids[1], Rating.AGAIN, NOW)
    load(store, notes("one", {"A": ["Agents lack memory."]}))  # retires the second fact
    talk = store.talks()[0].id
    queue = store.queue_counts(talk, NOW + timedelta(days=1), since=NOW)
    assert (queue.due, queue.new, queue.introduced) == (0, 1, 1)
    assert store.counts(talk, NOW + timedelta(days=1)).total == 1


def test_counts_by_talk_count_active_facts_only(store: Store) -> None:
    load(store, notes("one", {"A": ["Agents lack memory.", "Agents lack vision."]}))
    load(store, notes("two", {"A": ["Cells divide often."]}))
    load(store, notes("one", {"B": ["Something else entirely, about models."]}))
    talk_one, talk_two = (talk.id for talk in store.talks())
    counts = store.counts_by_talk(NOW)
    assert (counts[talk_one].total, counts[talk_one].new) == (1, 1)
    assert counts[talk_two].total == 1


def test_studied_and_topic_sizes_in_notes_order(
    store: Store, two_talks: tuple[list[int], list[int]]
) -> None:
    one, two = two_talks
    answer(store, one[3], Rating.GOOD, NOW)
    answer(store, one[0], Rating.GOOD, NOW)
    answer(store, two[1], Rating.GOOD, NOW)
    talk_one, talk_two = (talk.id for talk in store.talks())

    assert store.topic_sizes() == [(talk_one, "A", 3), (talk_one, "B", 2), (talk_two, "A", 2)]
    assert store.topic_sizes(talk_two) == [(talk_two, "A", 2)]
    studied = store.studied()
    assert [(talk, topic) for talk, topic, _ in studied] == [
        (talk_one, "A"),
        (talk_one, "B"),
        (talk_two, "A"),
    ]
    assert all(memory.phase is Phase.LEARNING for _, _, memory in studied)
    assert studied[0][2] == store.memory(one[0])
    assert [topic for _, topic, _ in store.studied(talk_one)] == ["A", "B"]


def test_load_keeps_the_order_asked_and_skips_unknown_ids(
    store: Store, two_talks: tuple[list[int], list[int]]
) -> None:
    one, two = two_talks
    answer(store, two[0], Rating.GOOD, NOW)
    loaded = store.load([two[0], 999, one[2]])
    assert [fact.text for fact, _ in loaded] == ["Cells divide often.", "Agents lack hands."]
    assert [memory.phase for _, memory in loaded] == [Phase.LEARNING, Phase.NEW]
    assert loaded[0][0] == store.fact(two[0])
    with pytest.raises(KeyError):
        store.memory(999)


def test_recent_predictions_are_the_latest_of_their_kinds_oldest_first(
    store: Store, two_talks: tuple[list[int], list[int]]
) -> None:
    one, _ = two_talks
    kinds = ["choice", "cloze", "truefalse", "flashcard", "choice"]
    for minute, kind in enumerate(kinds):
        answer(store, one[0], Rating.GOOD, NOW + timedelta(minutes=minute), kind, minute / 10)
    answer(store, one[1], Rating.GOOD, NOW, CREDIT_KIND, model_predicted=None)
    answer(store, one[2], Rating.GOOD, NOW + timedelta(minutes=9), "choice", 0.9)
    store.undo_review(store.reviews()[-1].id)

    recognition = ["choice", "truefalse"]
    assert store.recent_predictions(recognition, 10) == [
        ("choice", 0.0, True),
        ("truefalse", 0.2, True),
        ("choice", 0.4, True),
    ]
    assert store.recent_predictions(recognition, 2) == [
        ("truefalse", 0.2, True),
        ("choice", 0.4, True),
    ]
    assert store.recent_predictions(recognition, 10, exclude=True) == [
        ("cloze", 0.1, True),
        ("flashcard", 0.3, True),
    ]


def test_review_points_and_predictions_leave_credits_and_undone_answers_out(
    store: Store, two_talks: tuple[list[int], list[int]]
) -> None:
    one, two = two_talks
    answer(store, one[0], Rating.GOOD, NOW)
    answer(store, one[1], Rating.EASY, NOW + timedelta(minutes=1), CREDIT_KIND)
    answer(store, two[0], Rating.AGAIN, NOW + timedelta(minutes=2))
    answer(store, two[1], Rating.GOOD, NOW + timedelta(minutes=3))
    store.undo_review(store.reviews()[-1].id)

    assert store.review_points() == [
        (one[0], NOW, int(Rating.GOOD)),
        (two[0], NOW + timedelta(minutes=2), int(Rating.AGAIN)),
    ]
    assert store.predictions() == [(0.6, True), (0.6, False)]
    assert store.predictions(store.talks()[1].id) == [(0.6, False)]
    assert store.review_count() == 3
    # Every entry of the log, the undone one too: a bound, counted at no cost.
    assert store.review_count_bound() == 4


def test_due_and_new_cards_are_the_loaded_due_and_new_facts(
    store: Store, two_talks: tuple[list[int], list[int]]
) -> None:
    one, two = two_talks
    answer(store, one[2], Rating.AGAIN, NOW)
    answer(store, two[0], Rating.AGAIN, NOW - timedelta(minutes=5))
    answer(store, one[0], Rating.GOOD, NOW)
    later = NOW + timedelta(hours=1)
    talk_one = store.talks()[0].id
    for talk in (talk_one, None):
        due = store.due_facts(talk, later, 5)
        assert store.due_cards(talk, later, 5) == store.load(due)
        new = store.new_facts(talk, 2)
        assert store.new_cards(talk, 2) == store.load(new)
    assert [fact.id for fact, _ in store.due_cards(None, later, 2)] == [two[0], one[2]]
    assert [fact.id for fact, _ in store.new_cards(talk_one, 5)] == [one[1], one[3], one[4]]
