"""Immutable domain values: talks, facts and the result of parsing a notes file."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class FactKind(StrEnum):
    """What a fact is: a claim, a verbatim quote, a number to remember or a sequence."""

    CLAIM = "claim"
    QUOTE = "quote"
    NUMBER = "number"
    SEQUENCE = "sequence"


class Frozen(BaseModel):
    """Base of the domain's immutable models."""

    model_config = ConfigDict(frozen=True)


class SourceRef(Frozen):
    """Where a fact comes from: the notes file as given and its 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file.replace(chr(92), '/').rsplit('/', 1)[-1]}:{self.line}"


class Fact(Frozen):
    """One card's worth of knowledge from a talk.

    ``text`` is the statement (a claim, the verbatim quote, the number's value, or a sequence's
    items one per line); ``cue`` is what a card asks when the notes give one (a bold lead-in, the
    left side of ``::``, a number's label, a sequence's title). ``id`` and ``talk_id`` are set
    once stored. What the author wrote for questions: ``wrong`` options (for ``wrong_for``, a
    phrase of the text, or else for the whole answer) and ``misconceptions``, false statements.
    """

    kind: FactKind
    text: str
    topic: str
    source: SourceRef
    cue: str | None = None
    items: tuple[str, ...] = ()
    speaker: str | None = None
    main: bool = False
    key: str = ""
    wrong: tuple[str, ...] = ()
    wrong_for: str | None = None
    misconceptions: tuple[str, ...] = ()
    id: int | None = None
    talk_id: int | None = None
    retired: bool = False
    # When the stored fact's content last changed (set by the store; None for a parsed fact).
    updated_at: datetime | None = None

    def model_post_init(self, __context: object) -> None:
        if not self.key:
            object.__setattr__(self, "key", fact_key(self.kind, self.cue, self.text))


class TalkMeta(Frozen):
    """What the notes say about the talk itself."""

    title: str
    slug: str
    speakers: tuple[str, ...] = ()
    date: dt.date | None = None
    source_url: str | None = None


class ParsedNotes(Frozen):
    """A notes file parsed: the talk, its topics in order, its facts and any warnings."""

    talk: TalkMeta
    path: str
    topics: tuple[str, ...]
    facts: tuple[Fact, ...]
    warnings: tuple[str, ...] = Field(default=())


def normalise(text: str) -> str:
    """Return ``text`` folded for comparison: lower case, letters and digits, single spaces."""
    text = unicodedata.normalize("NFKD", text).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.findall(r"[^\W_]+", text))


def fact_key(kind: FactKind, cue: str | None, text: str) -> str:
    """Return the stable key of a new fact: a short hash of its kind and normalised content."""
    content = f"{kind.value}|{normalise(cue or '')}|{normalise(text)}"
    return hashlib.sha1(content.encode("utf-8")).hexdigest()[:16]


def slugify(text: str) -> str:
    """Return a lower-case ASCII slug of ``text`` (``"We're ghosts!"`` -> ``"we-re-ghosts"``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "talk"


class Talk(TalkMeta):
    """A stored talk."""

    id: int


class ImportReport(Frozen):
    """What an import did: counts of facts added, updated, retired and left unchanged."""

    talk: str
    added: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0
    warnings: tuple[str, ...] = ()

    def __str__(self) -> str:
        return (
            f"{self.talk}: {self.added} added, {self.updated} updated, "
            f"{self.retired} retired, {self.unchanged} unchanged"
        )


@dataclass(frozen=True)
class Review:
    """A logged answer, as read back from the review log."""

    id: int
    fact_id: int
    question_kind: str
    reviewed_at: datetime
    rating: int | None
    response: str
    correct: bool
    seconds: float | None
    predicted: float
    undone: bool
    model_predicted: float | None = None
    mode: str = "study"
    overruled: bool = False


@dataclass(frozen=True)
class TalkCounts:
    """How much of a talk is due now, never studied, and learned (graduated to review)."""

    due: int
    new: int
    learned: int
    total: int
