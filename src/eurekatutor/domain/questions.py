"""Questions asked about facts; for now the self-graded flashcard."""

from __future__ import annotations

from enum import StrEnum

from eurekatutor.domain.models import Fact, FactKind, Frozen, SourceRef

# A claim or quote card shows this share of the words as the lead and asks for the rest.
LEAD_SHARE = 0.4


class QuestionKind(StrEnum):
    """The formats a question can take."""

    FLASHCARD = "flashcard"


class Question(Frozen):
    """One question about one fact, with the tutor's predicted chance of a correct answer.

    ``choices`` is ``None`` for formats without options; ``expected`` is the correct answer.
    """

    fact_id: int
    kind: QuestionKind
    prompt: str
    expected: str
    topic: str
    speaker: str | None
    source: SourceRef
    predicted: float
    fact: Fact
    choices: list[str] | None = None


def flashcard(fact: Fact, predicted: float) -> Question:
    """Return the self-graded flashcard for a stored fact.

    Raises ``ValueError`` for a fact that has not been stored (no id).
    """
    if fact.id is None:
        raise ValueError("a question needs a stored fact")
    return Question(
        fact_id=fact.id,
        kind=QuestionKind.FLASHCARD,
        prompt=flashcard_prompt(fact),
        expected=flashcard_answer(fact),
        topic=fact.topic,
        speaker=fact.speaker,
        source=fact.source,
        predicted=predicted,
        fact=fact,
    )


def flashcard_prompt(fact: Fact) -> str:
    """Return the front of a fact's flashcard."""
    if fact.kind is FactKind.SEQUENCE:
        return f"In order: {fact.cue}"
    if fact.cue:
        return fact.cue if fact.cue.endswith(("?", ":")) else f"{fact.cue}?"
    lead = lead_words(fact.text)
    if fact.kind is FactKind.QUOTE:
        who = fact.speaker or "the speaker"
        return f"Complete the quote ({who}): “{lead} …”"
    return f"Complete the claim: “{lead} …”"


def flashcard_answer(fact: Fact) -> str:
    """Return the back of a fact's flashcard."""
    if fact.kind is FactKind.SEQUENCE:
        return "\n".join(f"{number}. {item}" for number, item in enumerate(fact.items, 1))
    return fact.text


def lead_words(text: str) -> str:
    """Return the opening words of ``text`` that a card shows: about 40%, never all of it."""
    words = text.split()
    if len(words) <= 2:
        return words[0] if words else ""
    count = min(max(3, round(len(words) * LEAD_SHARE)), len(words) - 2)
    return " ".join(words[: max(1, count)])
