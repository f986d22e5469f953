"""The store: one engine, one short session per unit of work, rows mapped to domain values."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session, SQLModel, col, select
from sqlmodel.sql.expression import Select

from eurekatutor.domain.matching import ImportPlan, same_content
from eurekatutor.domain.models import (
    Fact,
    FactKind,
    ImportReport,
    ParsedNotes,
    Review,
    SourceRef,
    Talk,
    TalkCounts,
)
from eurekatutor.errors import StoreError
from eurekatutor.persistence.backup import (
    Backup,
    backup_if_due,
    take_backup,
    where_backups_are,
)
from eurekatutor.persistence.db import database_path, make_engine
from eurekatutor.persistence.migrations import stamp, stored_version, upgrade
from eurekatutor.persistence.tables import (
    SCHEMA_VERSION,
    CardRow,
    FactRow,
    MetaRow,
    ReviewRow,
    TalkRow,
    TopicRow,
)
from eurekatutor.scheduling.memory import MemoryState, Phase


@dataclass(frozen=True)
class AnswerRecord:
    """One answer to log: what was asked, what the learner did, and what the tutor predicted."""

    fact_id: int
    question_kind: str
    reviewed_at: datetime
    response: str
    correct: bool
    predicted: float
    rating: int | None = None
    seconds: float | None = None
    model_predicted: float | None = None
    mode: str = "study"


class Store:
    """SQLite storage of talks, facts, memory states and the append-only review log."""

    def __init__(self, path_or_url: str | Path, now: datetime | None = None) -> None:
        """Open (creating if missing) the database and upgrade an older schema.

        Before an upgrade the file is backed up (``now`` names the backup). Raises
        ``StoreError`` if the database is unusable, damaged, from a newer EurekaTutor, or
        another program's.
        """
        self._label = str(path_or_url)
        self.path = database_path(path_or_url)
        self._engine = make_engine(path_or_url)
        try:
            self._prepare_schema(now or datetime.now(UTC))
        except (DatabaseError, StoreError) as error:
            self._engine.dispose()
            if isinstance(error, StoreError):
                raise
            raise StoreError(self._unusable(error)) from error

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        try:
            with Session(self._engine, expire_on_commit=False) as session:
                yield session
        except DatabaseError as error:
            raise StoreError(self._unusable(error)) from error

    def _unusable(self, error: DatabaseError) -> str:
        """Return the message for a database error: what happened and what to do."""
        reason = str(error.orig)
        if "locked" in reason or "busy" in reason:
            return (
                f"{self._label}: the database is busy: another EurekaTutor is writing to it; "
                "try again in a moment"
            )
        message = f"{self._label}: cannot use the database: {reason}."
        if self.path is not None and ("malformed" in reason or "not a database" in reason):
            message += " " + where_backups_are(self.path)
        return message

    def _prepare_schema(self, now: datetime) -> None:
        with self._engine.connect() as connection:
            try:
                version = stored_version(connection)
            except ValueError as error:
                raise StoreError(f"{self._label}: not a EurekaTutor database: {error}") from None
        if version is None:
            SQLModel.metadata.create_all(self._engine)
            with self._engine.begin() as connection:
                stamp(connection)
        elif version > SCHEMA_VERSION:
            raise StoreError(
                f"{self._label}: this database was written by a newer EurekaTutor "
                f"(schema {version}, this version knows {SCHEMA_VERSION}); upgrade EurekaTutor"
            )
        elif version < SCHEMA_VERSION:
            self._upgrade(version, now)

    def _upgrade(self, version: int, now: datetime) -> None:
        saved = None
        if self.path is not None:
            saved = take_backup(self.path, now, f"before-schema-{SCHEMA_VERSION}")
        try:
            with self._engine.begin() as connection:
                upgrade(connection, version)
        except Exception as error:
            kept = f"; a copy from before is {saved.path}" if saved else ""
            raise StoreError(
                f"{self._label}: cannot upgrade it from schema {version} to {SCHEMA_VERSION}: "
                f"{error}. It is unchanged{kept}"
            ) from error

    def backup(self, now: datetime, reason: str = "manual") -> Backup:
        """Back the database up now; raise ``StoreError`` for an in-memory database."""
        if self.path is None:
            raise StoreError(f"{self._label}: an in-memory database has no backups")
        return take_backup(self.path, now, reason)

    def backup_if_due(self, now: datetime) -> Backup | None:
        """Take the daily backup of a database file if none was taken in the last day."""
        return backup_if_due(self.path, now) if self.path is not None else None

    # Settings kept with the data

    def get_meta(self, key: str) -> str | None:
        """Return a stored setting, or ``None``."""
        with self._session() as session:
            row = session.get(MetaRow, key)
            return row.value if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Store a setting."""
        with self._session() as session:
            row = session.get(MetaRow, key) or MetaRow(key=key, value=value)
            row.value = value
            session.add(row)
            session.commit()

    # Talks and facts

    def talks(self) -> list[Talk]:
        """Return every talk, in import order."""
        with self._session() as session:
            return [_talk(row) for row in session.exec(select(TalkRow).order_by(col(TalkRow.id)))]

    def talk_by_slug(self, slug: str) -> Talk | None:
        """Return the talk with this slug, or ``None``."""
        with self._session() as session:
            row = session.exec(select(TalkRow).where(TalkRow.slug == slug)).first()
            return _talk(row) if row else None

    def facts(self, talk_id: int | None = None, include_retired: bool = False) -> list[Fact]:
        """Return the facts of one talk (or all), in notes order."""
        with self._session() as session:
            query = select(FactRow, TopicRow.name).join(TopicRow)
            if talk_id is not None:
                query = query.where(FactRow.talk_id == talk_id)
            if not include_retired:
                query = query.where(col(FactRow.retired).is_(False))
            query = query.order_by(col(FactRow.talk_id), col(FactRow.position))
            return [_fact(row, topic) for row, topic in session.exec(query)]

    def fact(self, fact_id: int) -> Fact:
        """Return one fact; raise ``KeyError`` if there is none with that id."""
        with self._session() as session:
            result = session.exec(
                select(FactRow, TopicRow.name).join(TopicRow).where(FactRow.id == fact_id)
            ).first()
            if result is None:
                raise KeyError(fact_id)
            return _fact(*result)

    def topics(self, talk_id: int) -> list[str]:
        """Return the names of a talk's topics that have active facts, in notes order."""
        with self._session() as session:
            query = (
                select(TopicRow.name)
                .join(FactRow)
                .where(TopicRow.talk_id == talk_id, col(FactRow.retired).is_(False))
                .group_by(col(TopicRow.id))
                .order_by(col(TopicRow.position))
            )
            return list(session.exec(query))

    def apply_import(self, parsed: ParsedNotes, plan: ImportPlan, now: datetime) -> ImportReport:
        """Write an import plan in one transaction and return what changed.

        Matched facts are updated in place (keeping their id, key and history), new facts get
        a fresh card, and facts gone from the file are retired.
        """
        with self._session() as session:
            talk = session.exec(select(TalkRow).where(TalkRow.slug == parsed.talk.slug)).first()
            meta = parsed.talk
            if talk is None:
                talk = TalkRow(
                    slug=meta.slug, title=meta.title, notes_file=parsed.path, imported_at=now
                )
            talk.title = meta.title
            talk.speakers = "\n".join(meta.speakers)
            talk.talk_date = meta.date
            talk.source_url = meta.source_url
            talk.notes_file = parsed.path
            talk.imported_at = now
            session.add(talk)
            session.flush()
            assert talk.id is not None
            topic_ids = self._sync_topics(session, talk.id, parsed.topics)
            positions = {id(fact): index for index, fact in enumerate(parsed.facts)}

            updated = unchanged = 0
            for old, new in plan.matched:
                row = session.get(FactRow, old.id)
                assert row is not None
                changed = old.retired or not same_content(old, new)
                for name, value in _fields(new, topic_ids[new.topic], positions[id(new)]).items():
                    setattr(row, name, value)
                row.retired = False
                if changed:
                    row.updated_at = now
                    updated += 1
                else:
                    unchanged += 1
                session.add(row)
            for new in plan.added:
                fields = _fields(new, topic_ids[new.topic], positions[id(new)])
                row = FactRow(talk_id=talk.id, key=new.key, updated_at=now, **fields)
                session.add(row)
                session.flush()
                assert row.id is not None
                session.add(CardRow(fact_id=row.id))
            retired = 0
            for old in plan.gone:
                if not old.retired:
                    row = session.get(FactRow, old.id)
                    assert row is not None
                    row.retired = True
                    row.updated_at = now
                    session.add(row)
                    retired += 1
            session.commit()
        return ImportReport(
            talk=meta.title,
            added=len(plan.added),
            updated=updated,
            retired=retired,
            unchanged=unchanged,
            warnings=parsed.warnings,
        )

    @staticmethod
    def _sync_topics(session: Session, talk_id: int, names: tuple[str, ...]) -> dict[str, int]:
        rows = {
            row.name: row
            for row in session.exec(select(TopicRow).where(TopicRow.talk_id == talk_id))
        }
        for position, name in enumerate(names):
            row = rows.get(name) or TopicRow(talk_id=talk_id, name=name, position=position)
            row.position = position
            session.add(row)
            rows[name] = row
        session.flush()
        return {name: row.id for name, row in rows.items() if row.id is not None}

    # Memory and the queue

    def load(self, fact_ids: list[int]) -> list[tuple[Fact, MemoryState]]:
        """Return the given facts with their memory states, in the order of ``fact_ids``."""
        if not fact_ids:
            return []
        with self._session() as session:
            query = _facts_with_cards().where(col(FactRow.id).in_(fact_ids))
            found = {
                fact.id: (_fact(fact, topic), _memory(card))
                for fact, topic, card in session.exec(query)
            }
        return [found[fact_id] for fact_id in fact_ids if fact_id in found]

    def memory(self, fact_id: int) -> MemoryState:
        """Return the memory state of a fact; raise ``KeyError`` if there is none."""
        with self._session() as session:
            row = session.get(CardRow, fact_id)
            if row is None:
                raise KeyError(fact_id)
            return _memory(row)

    def memories(self, talk_id: int | None = None) -> list[tuple[Fact, MemoryState]]:
        """Return every active fact of a talk (or all) with its memory state, in notes order."""
        with self._session() as session:
            query = (
                _facts_with_cards()
                .where(col(FactRow.retired).is_(False))
                .order_by(col(FactRow.talk_id), col(FactRow.position))
            )
            if talk_id is not None:
                query = query.where(FactRow.talk_id == talk_id)
            return [
                (_fact(fact, topic), _memory(card)) for fact, topic, card in session.exec(query)
            ]

    def new_facts(self, talk_id: int | None, limit: int) -> list[int]:
        """Return up to ``limit`` never-studied active facts: main claims first, notes order."""
        with self._session() as session:
            query = (
                select(FactRow.id)
                .join(CardRow)
                .where(CardRow.phase == Phase.NEW.value, col(FactRow.retired).is_(False))
                .order_by(col(FactRow.talk_id), col(FactRow.main_rank), col(FactRow.position))
                .limit(limit)
            )
            if talk_id is not None:
                query = query.where(FactRow.talk_id == talk_id)
            return [fact_id for fact_id in session.exec(query) if fact_id is not None]

    def due_facts(self, talk_id: int | None, until: datetime, limit: int) -> list[int]:
        """Return up to ``limit`` studied active facts due by ``until``, earliest first."""
        with self._session() as session:
            query = (
                select(CardRow.fact_id)
                .join(FactRow)
                .where(
                    col(CardRow.phase) != Phase.NEW.value,
                    col(CardRow.due) <= until,
                    col(FactRow.retired).is_(False),
                )
                .order_by(col(CardRow.due))
                .limit(limit)
            )
            if talk_id is not None:
                query = query.where(FactRow.talk_id == talk_id)
            return list(session.exec(query))

    def introduced_since(self, talk_id: int | None, since: datetime) -> int:
        """Return how many facts were first studied at or after ``since``."""
        with self._session() as session:
            query = select(func.count()).select_from(CardRow).join(FactRow)
            query = query.where(col(CardRow.introduced_at) >= since)
            if talk_id is not None:
                query = query.where(FactRow.talk_id == talk_id)
            return int(session.exec(query).one())

    def counts(self, talk_id: int | None, now: datetime) -> TalkCounts:
        """Return how many active facts of a talk (or all) are due, new and learned at ``now``."""
        with self._session() as session:
            query = (
                select(CardRow.phase, CardRow.due)
                .join(FactRow)
                .where(col(FactRow.retired).is_(False))
            )
            if talk_id is not None:
                query = query.where(FactRow.talk_id == talk_id)
            rows = session.exec(query).all()
        new = sum(1 for phase, _ in rows if phase == Phase.NEW.value)
        due = sum(1 for phase, when in rows if phase != Phase.NEW.value and when and when <= now)
        learned = sum(1 for phase, _ in rows if phase == Phase.REVIEW.value)
        return TalkCounts(due=due, new=new, learned=learned, total=len(rows))

    def next_due(self, talk_id: int | None, after: datetime) -> datetime | None:
        """Return when the next studied fact falls due after ``after``, or ``None``."""
        with self._session() as session:
            query = (
                select(func.min(CardRow.due))
                .join(FactRow)
                .where(
                    col(CardRow.phase) != Phase.NEW.value,
                    col(CardRow.due) > after,
                    col(FactRow.retired).is_(False),
                )
            )
            if talk_id is not None:
                query = query.where(FactRow.talk_id == talk_id)
            value = session.exec(query).one()
        return value

    # Answers

    def record_answer(
        self,
        answer: AnswerRecord,
        before: MemoryState,
        after: MemoryState,
        introduces: bool = True,
    ) -> int:
        """Log an answer and store the new memory state in one committed transaction.

        Returns the review's id. The commit happens before this returns, so a crash right after
        loses nothing that was answered. A first answer counts as introducing the fact (for
        the daily new-fact limit) unless ``introduces`` is false.
        """
        with self._session() as session:
            card = session.get(CardRow, answer.fact_id)
            if card is None:
                raise KeyError(answer.fact_id)
            review = ReviewRow(
                fact_id=answer.fact_id,
                question_kind=answer.question_kind,
                mode=answer.mode,
                reviewed_at=answer.reviewed_at,
                rating=answer.rating,
                response=answer.response,
                correct=answer.correct,
                seconds=answer.seconds,
                predicted=answer.predicted,
                model_predicted=answer.model_predicted,
                card_before=_memory_json(before),
            )
            if before.is_new and introduces:
                card.introduced_at = answer.reviewed_at
            _store_memory(card, after)
            session.add(card)
            session.add(review)
            session.commit()
            assert review.id is not None
            return review.id

    def undo_last(self) -> int | None:
        """Take back the last answer not yet undone: restore its card, mark it undone.

        Returns the fact id it was about, or ``None`` when there is nothing to undo.
        """
        with self._session() as session:
            review = session.exec(
                select(ReviewRow)
                .where(col(ReviewRow.undone).is_(False))
                .order_by(col(ReviewRow.id).desc())
            ).first()
            if review is None:
                return None
            card = session.get(CardRow, review.fact_id)
            assert card is not None
            before = _memory_from_json(review.card_before)
            _store_memory(card, before)
            if before.is_new:
                card.introduced_at = None
            review.undone = True
            session.add(card)
            session.add(review)
            session.commit()
            return review.fact_id

    def review_count(self) -> int:
        """Return how many answers the log holds (not counting undone ones)."""
        with self._session() as session:
            query = select(func.count()).select_from(ReviewRow)
            query = query.where(col(ReviewRow.undone).is_(False))
            return int(session.exec(query).one())

    def reviews(self, fact_id: int | None = None, include_undone: bool = False) -> list[Review]:
        """Return logged answers, oldest first, for one fact or all."""
        with self._session() as session:
            query = select(ReviewRow).order_by(col(ReviewRow.id))
            if fact_id is not None:
                query = query.where(ReviewRow.fact_id == fact_id)
            if not include_undone:
                query = query.where(col(ReviewRow.undone).is_(False))
            return [_review(row) for row in session.exec(query)]


def _facts_with_cards() -> Select[FactRow, str, CardRow]:
    """Return the query of facts joined with their topic's name and their card."""
    return (
        select(FactRow, TopicRow.name, CardRow)
        .join(TopicRow, col(TopicRow.id) == col(FactRow.topic_id))
        .join(CardRow, col(CardRow.fact_id) == col(FactRow.id))
    )


def _fields(fact: Fact, topic_id: int, position: int) -> dict[str, Any]:
    """Return the FactRow columns that an import writes from a parsed fact."""
    return {
        "topic_id": topic_id,
        "kind": fact.kind.value,
        "text": fact.text,
        "cue": fact.cue,
        "items": "\n".join(fact.items),
        "speaker": fact.speaker,
        "main": fact.main,
        "main_rank": 0 if fact.main else 1,
        "source_file": fact.source.file,
        "line": fact.source.line,
        "position": position,
    }


def _talk(row: TalkRow) -> Talk:
    assert row.id is not None
    return Talk(
        id=row.id,
        slug=row.slug,
        title=row.title,
        speakers=tuple(name for name in row.speakers.split("\n") if name),
        date=row.talk_date,
        source_url=row.source_url,
    )


def _fact(row: FactRow, topic: str) -> Fact:
    return Fact(
        id=row.id,
        talk_id=row.talk_id,
        key=row.key,
        kind=FactKind(row.kind),
        text=row.text,
        cue=row.cue,
        items=tuple(item for item in row.items.split("\n") if item),
        speaker=row.speaker,
        main=row.main,
        topic=topic,
        source=SourceRef(file=row.source_file, line=row.line),
        retired=row.retired,
        updated_at=row.updated_at,
    )


def _memory(row: CardRow) -> MemoryState:
    return MemoryState(
        phase=Phase(row.phase),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=row.due,
        last_review=row.last_review,
        reps=row.reps,
        lapses=row.lapses,
    )


def _store_memory(row: CardRow, memory: MemoryState) -> None:
    row.phase = memory.phase.value
    row.step = memory.step
    row.stability = memory.stability
    row.difficulty = memory.difficulty
    row.due = memory.due
    row.last_review = memory.last_review
    row.reps = memory.reps
    row.lapses = memory.lapses


def _memory_json(memory: MemoryState) -> str:
    data = asdict(memory)
    data["phase"] = memory.phase.value
    for name in ("due", "last_review"):
        value = data[name]
        data[name] = value.isoformat() if value else None
    return json.dumps(data)


def _memory_from_json(text: str) -> MemoryState:
    data = json.loads(text)
    data["phase"] = Phase(data["phase"])
    for name in ("due", "last_review"):
        if data[name]:
            data[name] = datetime.fromisoformat(data[name])
    return MemoryState(**data)


def _review(row: ReviewRow) -> Review:
    assert row.id is not None
    return Review(
        id=row.id,
        fact_id=row.fact_id,
        question_kind=row.question_kind,
        mode=row.mode,
        reviewed_at=row.reviewed_at,
        rating=row.rating,
        response=row.response,
        correct=row.correct,
        seconds=row.seconds,
        predicted=row.predicted,
        model_predicted=row.model_predicted,
        undone=row.undone,
    )
