"""The fact browser's logic: each fact's state, leeches, text search, filters and sorting."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from eurekatutor.domain.models import Fact
from eurekatutor.scheduling.memory import MemoryState, Phase

# A fact forgotten this many times once learned is a leech, as in Anki: asking it again the
# same way is unlikely to help; it is flagged for the learner to rework or suspend.
LEECH_LAPSES = 8


class FactState(StrEnum):
    """Where a fact stands for the browser.

    ``mastered`` is in long-term review and recalled now with at least the desired retention
    (as the stats and ``export anki --weak-only`` read it); ``review`` is in long-term review
    below it; ``learning`` covers the learning and relearning steps.
    """

    NEW = "new"
    LEARNING = "learning"
    REVIEW = "review"
    MASTERED = "mastered"


class StateFilter(StrEnum):
    """What the browser's state filter can keep: a state, or the leeches, suspended or
    flagged facts."""

    NEW = "new"
    LEARNING = "learning"
    REVIEW = "review"
    MASTERED = "mastered"
    LEECH = "leech"
    SUSPENDED = "suspended"
    FLAGGED = "flagged"


class RecallOrder(StrEnum):
    """How the browser orders the facts: notes order, or by recall probability."""

    NOTES = "notes"
    LOWEST_FIRST = "lowest"
    HIGHEST_FIRST = "highest"

    def next(self) -> RecallOrder:
        """Return the order after this one: notes, lowest first, highest first, notes…"""
        orders = list(RecallOrder)
        return orders[(orders.index(self) + 1) % len(orders)]


def fact_state(memory: MemoryState, recall: float, retention: float) -> FactState:
    """Return the state of a fact with this memory, recalled now with probability ``recall``."""
    if memory.phase is Phase.NEW:
        return FactState.NEW
    if memory.phase is not Phase.REVIEW:
        return FactState.LEARNING
    return FactState.MASTERED if recall >= retention else FactState.REVIEW


def is_leech(memory: MemoryState) -> bool:
    """Return whether a fact has lapsed ``LEECH_LAPSES`` times or more."""
    return memory.lapses >= LEECH_LAPSES


@dataclass(frozen=True)
class BrowseEntry:
    """One fact as the browser lists it: its memory, recall now, state and marks."""

    fact: Fact
    memory: MemoryState
    recall: float
    state: FactState
    suspended: bool = False
    flagged: bool = False

    @property
    def leech(self) -> bool:
        """Whether the fact is a leech (``LEECH_LAPSES`` lapses or more)."""
        return is_leech(self.memory)

    def matches(self, text: str) -> bool:
        """Return whether ``text`` is in the fact's text, cue or speaker, ignoring case."""
        needle = text.strip().casefold()
        if not needle:
            return True
        fact = self.fact
        return any(
            needle in (part or "").casefold() for part in (fact.text, fact.cue, fact.speaker)
        )

    def kept_by(self, state: StateFilter) -> bool:
        """Return whether the state filter ``state`` keeps this fact."""
        match state:
            case StateFilter.LEECH:
                return self.leech
            case StateFilter.SUSPENDED:
                return self.suspended
            case StateFilter.FLAGGED:
                return self.flagged
        return self.state.value == state.value


def browse(
    entries: Iterable[BrowseEntry],
    text: str = "",
    topic: str | None = None,
    kind: str | None = None,
    state: StateFilter | None = None,
    order: RecallOrder = RecallOrder.NOTES,
) -> list[BrowseEntry]:
    """Return the entries that contain ``text`` (in text, cue or speaker, any case), of
    ``topic``, of ``kind`` and kept by ``state`` (``None``: any), in ``order``; facts of
    equal recall stay in notes order."""
    kept = [
        entry
        for entry in entries
        if (topic is None or entry.fact.topic == topic)
        and (kind is None or entry.fact.kind.value == kind)
        and (state is None or entry.kept_by(state))
        and entry.matches(text)
    ]
    if order is RecallOrder.LOWEST_FIRST:
        kept.sort(key=lambda entry: entry.recall)
    elif order is RecallOrder.HIGHEST_FIRST:
        kept.sort(key=lambda entry: -entry.recall)
    return kept


def topics_of(entries: Sequence[BrowseEntry]) -> list[str]:
    """Return the topics of the entries, each once, in the order they first appear."""
    return list(dict.fromkeys(entry.fact.topic for entry in entries))
