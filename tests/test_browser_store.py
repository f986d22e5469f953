"""Suspending and flagging facts: the store's marks, the study queue and the browser's list."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from conftest import DATA, FrozenClock
from eurekatutor.persistence.store import Store
from eurekatutor.scheduling.browse import (
    LEECH_LAPSES,
    FactState,
    RecallOrder,
    StateFilter,
    browse,
)
from eurekatutor.scheduling.memory import Phase, Rating
from eurekatutor.tutor import Tutor
from test_store_queries import NOW, answer, load, notes


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "s.db")


def test_marks_are_stored_per_fact_and_cleared(store: Store) -> None:
    one = load(store, notes("one", {"A": ["Agents lack memory.", "Agents lack vision."]}))
    two = load(store, notes("two", {"A": ["Cells divide often."]}))
    assert store.marks() == {}
    store.set_suspended(one[0], True)
    store.set_flagged(one[1], True)
    store.set_flagged(two[0], True)
    assert store.marks() == {one[0]: (True, False), one[1]: (False, True), two[0]: (False, True)}
    talk = store.talk_by_slug("two")
    assert talk is not None
    assert store.marks(talk.id) == {two[0]: (False, True)}
    store.set_suspended(one[0], False)
    store.set_flagged(one[1], False)
    assert store.marks() == {two[0]: (False, True)}


def test_marking_an_unknown_fact_raises(store: Store) -> None:
    with pytest.raises(KeyError):
        store.set_suspended(999, True)
    with pytest.raises(KeyError):
        store.set_flagged(999, True)


def test_a_suspended_fact_leaves_the_queue_and_its_counts(store: Store) -> None:
    ids = load(store, notes("one", {"A": ["Agents lack memory.", "Agents lack vision."]}))
    new, studied = ids
    answer(store, studied, Rating.GOOD, NOW)
    later = NOW + timedelta(days=30)
    assert store.new_facts(None, 10) == [new]
    assert store.due_facts(None, later, 10) == [studied]
    assert store.counts(None, later).due == 1 and store.counts(None, later).new == 1
    store.set_suspended(new, True)
    store.set_suspended(studied, True)
    for talk_id in (None, store.talks()[0].id):
        assert store.new_facts(talk_id, 10) == []
        assert store.new_cards(talk_id, 10) == []
        assert store.due_facts(talk_id, later, 10) == []
        assert store.due_cards(talk_id, later, 10) == []
        counts = store.counts(talk_id, later)
        assert (counts.due, counts.new, counts.total) == (0, 0, 2)
        queue = store.queue_counts(talk_id, later, NOW)
        assert (queue.due, queue.new) == (0, 0)
        assert store.next_due(talk_id, NOW) is None
    assert store.counts_by_talk(later)[store.talks()[0].id].due == 0
    store.set_suspended(studied, False)
    assert store.due_facts(None, later, 10) == [studied]
    assert store.next_due(None, NOW) is not None


def test_the_tutor_skips_suspended_facts_and_browses_them(tmp_path: Path) -> None:
    clock = FrozenClock()
    with Tutor.open(tmp_path / "t.db", clock=clock, kinds=["flashcard"], seed=1) as tutor:
        tutor.import_notes(DATA / "tutor" / "agents.md")
        facts = tutor.facts()
        assert all(fact.id is not None for fact in facts)
        for fact in facts[1:]:
            assert fact.id is not None
            tutor.suspend(fact.id)
        question = tutor.next_question()
        assert question is not None and question.fact_id == facts[0].id
        assert tutor.remaining() == 1
        entries = tutor.browse()
        assert [entry.fact.id for entry in entries] == [fact.id for fact in facts]
        assert [entry.suspended for entry in entries] == [False] + [True] * (len(facts) - 1)
        assert {entry.state for entry in entries} == {FactState.NEW}
        assert facts[1].id is not None
        tutor.unsuspend(facts[1].id)
        tutor.flag(facts[1].id)
        entry = tutor.browse()[1]
        assert (entry.suspended, entry.flagged) == (False, True)
        assert tutor.remaining() == 2
        tutor.unflag(facts[1].id)
        assert not tutor.browse()[1].flagged


def test_a_fact_becomes_a_leech_and_is_flagged_at_eight_lapses(tmp_path: Path) -> None:
    clock = FrozenClock()
    with Tutor.open(tmp_path / "t.db", clock=clock, kinds=["flashcard"], seed=1) as tutor:
        tutor.import_notes(DATA / "tutor" / "agents.md")
        fact_id = tutor.facts()[0].id
        assert fact_id is not None
        lapses = 0
        while lapses < LEECH_LAPSES:
            # Into review with Easy, then forgotten: one lapse.
            tutor.answer(tutor.question_for(fact_id, kind="flashcard"), int(Rating.EASY))
            assert tutor.memory(fact_id).phase is Phase.REVIEW
            entry = tutor.browse()[0]
            assert not entry.leech and not entry.flagged
            clock.advance(days=30)
            tutor.answer(tutor.question_for(fact_id, kind="flashcard"), int(Rating.AGAIN))
            lapses = tutor.memory(fact_id).lapses
            clock.advance(days=1)
        entry = tutor.browse()[0]
        assert entry.memory.lapses == LEECH_LAPSES
        assert entry.leech and entry.flagged
        assert [e.fact.id for e in browse(tutor.browse(), state=StateFilter.LEECH)] == [fact_id]


def test_states_filters_search_and_recall_order(tmp_path: Path) -> None:
    clock = FrozenClock()
    with Tutor.open(tmp_path / "t.db", clock=clock, kinds=["flashcard"], seed=1) as tutor:
        tutor.import_notes(DATA / "tutor" / "agents.md")
        ids = [fact.id for fact in tutor.facts() if fact.id is not None]
        first, second, third = ids[:3]
        # first: learning; second: review, recalled well now; third: review, a month overdue.
        tutor.answer(tutor.question_for(first, kind="flashcard"), int(Rating.AGAIN))
        tutor.answer(tutor.question_for(third, kind="flashcard"), int(Rating.EASY))
        clock.advance(days=60)
        tutor.answer(tutor.question_for(second, kind="flashcard"), int(Rating.EASY))
        entries = tutor.browse()
        states = {entry.fact.id: entry.state for entry in entries}
        assert states[first] is FactState.LEARNING
        assert states[second] is FactState.MASTERED
        assert states[third] is FactState.REVIEW
        assert all(states[i] is FactState.NEW for i in ids[3:])
        assert [e.fact.id for e in browse(entries, state=StateFilter.MASTERED)] == [second]
        assert [e.fact.id for e in browse(entries, state=StateFilter.NEW)] == ids[3:]
        highest = browse(entries, order=RecallOrder.HIGHEST_FIRST)
        assert [e.fact.id for e in highest[:2]] == [second, third]
        lowest = browse(entries, order=RecallOrder.LOWEST_FIRST)
        assert [e.fact.id for e in lowest[-2:]] == [third, second]
        assert [e.recall for e in lowest] == sorted(e.recall for e in entries)
        # Search any case in text, cue or speaker; the topic and kind filters.
        word = entries[0].fact.text.split()[0]
        found = browse(entries, text=word.upper())
        assert found and all(word.casefold() in e.fact.text.casefold() for e in found[:1])
        topic = entries[-1].fact.topic
        assert {e.fact.topic for e in browse(entries, topic=topic)} == {topic}
        kind = entries[0].fact.kind.value
        assert {e.fact.kind.value for e in browse(entries, kind=kind)} == {kind}
        assert browse(entries, text="no such words anywhere") == []
