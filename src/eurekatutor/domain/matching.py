"""Re-import planning: pair the facts of an edited notes file with the facts already stored."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from eurekatutor.domain.models import Fact, FactKind, fact_key, normalise

# Similarity (0-100) above which an edited fact is "recognisably the same": a typo fix scores
# above 95, a reworded sentence that keeps its content words about 75-90.
SAME_FACT_THRESHOLD = 75.0


@dataclass(frozen=True)
class ImportPlan:
    """Stored facts paired with their new versions, facts to add, and facts gone from the file."""

    matched: tuple[tuple[Fact, Fact], ...]
    added: tuple[Fact, ...]
    gone: tuple[Fact, ...]


def content_key(fact: Fact) -> str:
    """Return the key a fact's current content would get (a stored key stays its first one)."""
    return fact_key(fact.kind, fact.cue, fact.text)


def same_content(stored: Fact, incoming: Fact) -> bool:
    """Return whether re-importing ``incoming`` over ``stored`` changes what the learner sees."""
    fields = (
        *("kind", "text", "cue", "items", "speaker", "topic", "main"),
        *("wrong", "wrong_for", "misconceptions"),
    )
    return all(getattr(stored, name) == getattr(incoming, name) for name in fields)


def similarity(a: Fact, b: Fact) -> float:
    """Return how alike two facts read, 0-100 (0 when their kinds differ)."""
    if a.kind != b.kind:
        return 0.0
    return _score(_comparable(a), _comparable(b))


def _comparable(fact: Fact) -> str:
    return normalise(f"{fact.cue or ''} {fact.text}")


def _score(left: str, right: str) -> float:
    """Return the better of plain and word-order-blind similarity of two normalised texts."""
    return max(fuzz.ratio(left, right), fuzz.token_sort_ratio(left, right))


def plan_import(stored: list[Fact], incoming: list[Fact]) -> ImportPlan:
    """Return how to apply ``incoming`` (a parsed file) over the ``stored`` facts of its talk.

    Exact content matches pair first; the rest pair greedily by similarity, most alike first,
    above ``SAME_FACT_THRESHOLD``; a stored fact pairs at most once.
    """
    by_key: dict[str, Fact] = {}
    for fact in stored:
        by_key.setdefault(content_key(fact), fact)
        by_key.setdefault(fact.key, fact)
    matched: dict[int, tuple[Fact, Fact]] = {}  # incoming index -> pair
    taken: set[int | None] = set()
    for index, fact in enumerate(incoming):
        old = by_key.get(fact.key)
        if old is not None and old.id not in taken:
            matched[index] = (old, fact)
            taken.add(old.id)
    candidates = _similar_pairs(
        [fact for fact in stored if fact.id not in taken],
        [(index, fact) for index, fact in enumerate(incoming) if index not in matched],
    )
    for _score, index, old in candidates:
        if index not in matched and old.id not in taken:
            matched[index] = (old, incoming[index])
            taken.add(old.id)
    return ImportPlan(
        matched=tuple(matched[index] for index in sorted(matched)),
        added=tuple(fact for index, fact in enumerate(incoming) if index not in matched),
        gone=tuple(fact for fact in stored if fact.id not in taken),
    )


def _similar_pairs(
    stored: list[Fact], incoming: list[tuple[int, Fact]]
) -> list[tuple[float, int, Fact]]:
    """Return (score, incoming index, stored fact) of every pair of the same kind scoring at
    least ``SAME_FACT_THRESHOLD``, most alike first.

    Each text is normalised once and rapidfuzz scores one new fact against all stored facts
    of its kind at a time, so re-importing a file whose every fact changed stays quick.
    """
    by_kind: dict[FactKind, tuple[list[Fact], list[str]]] = {}
    for fact in stored:
        facts, texts = by_kind.setdefault(fact.kind, ([], []))
        facts.append(fact)
        texts.append(_comparable(fact))
    pairs: list[tuple[float, int, Fact]] = []
    for index, fact in incoming:
        facts, texts = by_kind.get(fact.kind, ([], []))
        text = _comparable(fact)
        best: dict[int, float] = {}
        for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
            for _text, score, position in process.extract(
                text, texts, scorer=scorer, score_cutoff=SAME_FACT_THRESHOLD, limit=None
            ):
                best[position] = max(score, best.get(position, 0.0))
        pairs.extend((score, index, facts[position]) for position, score in best.items())
    return sorted(pairs, key=lambda item: (-item[0], item[1]))
