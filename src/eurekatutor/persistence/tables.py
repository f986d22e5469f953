"""SQLModel table models; each ends in ``Row`` and never leaves the persistence package."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from eurekatutor.persistence.db import UTCDateTime

# Bump it with a step in migrations.py whenever a table changes.
SCHEMA_VERSION = 4


def _utc(nullable: bool = True, index: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable, index=index)


class MetaRow(SQLModel, table=True):
    """Key-value facts about the database itself (its schema version)."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


class TalkRow(SQLModel, table=True):
    """A talk, identified by the slug of its title."""

    __tablename__ = "talk"
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True)
    title: str
    speakers: str = ""  # names joined by "\n"
    talk_date: date | None = None
    source_url: str | None = None
    notes_file: str
    imported_at: datetime = Field(sa_column=_utc(nullable=False))


class TopicRow(SQLModel, table=True):
    """A topic of a talk, in notes order."""

    __tablename__ = "topic"
    __table_args__ = (UniqueConstraint("talk_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    talk_id: int = Field(foreign_key="talk.id", index=True)
    name: str
    position: int


class FactRow(SQLModel, table=True):
    """A fact; retired facts keep their row and history but leave the study queue."""

    __tablename__ = "fact"
    __table_args__ = (
        UniqueConstraint("talk_id", "key"),
        Index("ix_fact_new_order", "talk_id", "retired", "main_rank", "position"),
    )
    id: int | None = Field(default=None, primary_key=True)
    talk_id: int = Field(foreign_key="talk.id")
    topic_id: int = Field(foreign_key="topic.id")
    key: str
    kind: str
    text: str
    cue: str | None = None
    items: str = ""  # sequence items joined by "\n"
    speaker: str | None = None
    main: bool = False
    # 0 for a topic's main claim, 1 otherwise: new facts are introduced main claims first.
    main_rank: int = 1
    source_file: str
    line: int
    position: int
    retired: bool = False
    updated_at: datetime = Field(sa_column=_utc(nullable=False))
    # What the author wrote for the fact's questions, as JSON ("" for nothing): wrong options,
    # the words they replace, and misconceptions.
    authored: str = ""


class CardRow(SQLModel, table=True):
    """The learner's memory of one fact (FSRS state and the lapses py-fsrs does not keep)."""

    __tablename__ = "card"
    __table_args__ = (Index("ix_card_due", "phase", "due"),)
    fact_id: int = Field(foreign_key="fact.id", primary_key=True)
    phase: str = "new"
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = Field(default=None, sa_column=_utc())
    last_review: datetime | None = Field(default=None, sa_column=_utc())
    introduced_at: datetime | None = Field(default=None, sa_column=_utc(index=True))
    reps: int = 0
    lapses: int = 0
    # Suspended facts leave the study queue until unsuspended; flagged ones are marked to revisit.
    suspended: bool = False
    flagged: bool = False


class ReviewRow(SQLModel, table=True):
    """One answer, appended and never rewritten; undo only marks it and restores the card."""

    __tablename__ = "review"
    id: int | None = Field(default=None, primary_key=True)
    fact_id: int = Field(foreign_key="fact.id", index=True)
    question_kind: str
    # "study", "quiz" or "placement"; a placement "credit" marks facts credited as known.
    mode: str = "study"
    reviewed_at: datetime = Field(sa_column=_utc(nullable=False, index=True))
    rating: int | None = None
    response: str
    correct: bool
    seconds: float | None = None
    predicted: float
    # The format model's prediction before the learner's calibration, to refit it from.
    model_predicted: float | None = None
    # The card as it was before this answer, as JSON, so that undo can put it back.
    card_before: str
    undone: bool = False
    # The learner overruled the check ("I was right", "I was wrong"): ``correct`` and
    # ``rating`` are theirs.
    overruled: bool = False


class BadQuestionRow(SQLModel, table=True):
    """A version of a question the learner marked bad: it is never asked again."""

    __tablename__ = "bad_question"
    fact_id: int = Field(foreign_key="fact.id", primary_key=True)
    kind: str = Field(primary_key=True)
    # What tells the version from others of its kind: its blanked prompt, its false statement.
    version: str = Field(primary_key=True)
    marked_at: datetime = Field(sa_column=_utc(nullable=False))
