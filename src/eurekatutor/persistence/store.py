"""The store: one engine, a short session (or a plain connection, for what every question
reads and writes) per unit of work, rows mapped to domain values."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Update,
    and_,
    bindparam,
    case,
    func,
    insert,
    true,
    update,
)
from sqlalchemy import Select as SqlSelect
from sqlalchemy import select as sql_select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.sql import cast, type_coerce
from sqlalchemy.types import Integer, String
from sqlmodel import Session, SQLModel, col, select

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
from eurekatutor.errors import ReadOnlyError, StoreError
from eurekatutor.persistence.backup import (
    Backup,
    backup_if_due,
    connect_read_only,
    take_backup,
    where_backups_are,
)
from eurekatutor.persistence.db import (
    UTCDateTime,
    database_path,
    make_engine,
    read_only_message,
    why_read_only,
)
from eurekatutor.persistence.migrations import stamp, stored_version, upgrade
from eurekatutor.persistence.tables import (
    SCHEMA_VERSION,
    BadQuestionRow,
    CardRow,
    FactRow,
    MetaRow,
    ReviewRow,
    TalkRow,
    TopicRow,
)
from eurekatutor.scheduling.memory import MemoryState, Phase
from eurekatutor.scheduling.stats import SLOT_SECONDS, ActivitySlot, StudiedFact


class CardChanged(StoreError):
    """The card was changed (answered in another window) since it was read for an answer."""


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


@dataclass(frozen=True)
class QueueCounts:
    """What is left to study: facts due now, facts never studied, and facts first studied
    since a time (the day's new facts so far)."""

    due: int
    new: int
    introduced: int


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
        # Why nothing can be saved to the database, or ``None`` when it can.
        self._read_only: str | None = None
        if self.path is not None:
            self._refuse_foreign(self.path)
            self._read_only = self._why_read_only(self.path)
        self._engine = make_engine(path_or_url, read_only=self.read_only)
        try:
            self._prepare_schema(now or datetime.now(UTC))
        except (DatabaseError, StoreError) as error:
            self._engine.dispose()
            if isinstance(error, StoreError):
                raise
            raise StoreError(self._unusable(error)) from error

    def _refuse_foreign(self, path: Path) -> None:
        """Refuse another program's SQLite file before anything is written to it (the
        engine's first connection would switch it to write-ahead logging)."""
        if not path.is_file() or path.stat().st_size == 0:
            return
        try:
            with closing(connect_read_only(path)) as connection:
                tables = {
                    row[0]
                    for row in connection.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                    )
                }
        except sqlite3.Error:
            return  # not a database, or damaged: opening it says so, with its backups
        if tables and "meta" not in tables:
            raise StoreError(
                f"{self._label}: not a EurekaTutor database: it holds tables of another "
                "program; it was left as it was"
            )

    def _why_read_only(self, path: Path) -> str | None:
        """Return why the database file cannot be written, if it cannot; raise ``StoreError``
        when it is still to be made (missing, or empty) and cannot be."""
        reason = why_read_only(path)
        if reason is not None and not (path.is_file() and path.stat().st_size > 0):
            raise StoreError(
                f"{self._label}: cannot make a database there: {reason}. Fix the "
                "permissions, or pass another database with --db FILE"
            )
        return reason

    @property
    def read_only(self) -> bool:
        """Return whether the database can only be read: every write raises
        ``ReadOnlyError``."""
        return self._read_only is not None

    @property
    def read_only_message(self) -> str | None:
        """Return what a write to a read-only database says (what to do included), or
        ``None`` when the database can be written."""
        if self._read_only is None:
            return None
        return read_only_message(self._label, self._read_only)

    def refuse_writes(self) -> None:
        """Raise ``ReadOnlyError`` if the database can only be read: called before any write,
        so that nothing is half-done."""
        if self._read_only is not None:
            raise ReadOnlyError(read_only_message(self._label, self._read_only))

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn the database's errors into a ``StoreError`` that says what to do."""
        try:
            yield
        except DatabaseError as error:
            raise StoreError(self._unusable(error)) from error

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._errors(), Session(self._engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        """Yield a plain connection: for the queries of every question, where an ORM session
        would cost more than the query."""
        with self._errors(), self._engine.connect() as connection:
            yield connection

    def _unusable(self, error: DatabaseError) -> str:
        """Return the message for a database error: what happened and what to do."""
        reason = str(error.orig)
        if "readonly" in reason:
            # Read-only in a way the permissions did not tell (a file system that refuses
            # writes it allows): SQLite's own refusal.
            return read_only_message(self._label, "SQLite cannot write to it")
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
        if version is not None and version < SCHEMA_VERSION and self._read_only is not None:
            raise StoreError(
                f"{self._label}: this database was written by an older EurekaTutor (schema "
                f"{version}) and must be upgraded to schema {SCHEMA_VERSION}, which writes to "
                f"it; but {read_only_message(self._label, self._read_only, named=False)}"
            )
        if version is None and self._read_only is not None:
            raise StoreError(
                f"{self._label}: holds no EurekaTutor data yet, and "
                f"{read_only_message(self._label, self._read_only, named=False)}"
            )
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
        """Take the daily backup of a database file if none was taken in the last day (a
        read-only one cannot change: it has none)."""
        if self.path is None or self.read_only:
            return None
        return backup_if_due(self.path, now)

    # Settings kept with the data

    def get_meta(self, key: str) -> str | None:
        """Return a stored setting, or ``None``."""
        with self._session() as session:
            row = session.get(MetaRow, key)
            return row.value if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Store a setting."""
        self.refuse_writes()
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
        found = self.talk_and_file(slug)
        return found[0] if found else None

    def talk_and_file(self, slug: str) -> tuple[Talk, str] | None:
        """Return the talk with this slug and the notes file it was last imported from."""
        with self._session() as session:
            row = session.exec(select(TalkRow).where(TalkRow.slug == slug)).first()
            return (_talk(row), row.notes_file) if row else None

    def facts(self, talk_id: int | None = None, include_retired: bool = False) -> list[Fact]:
        """Return the facts of one talk (or all), in notes order."""
        query = sql_select(*_FACT_COLUMNS, col(FactRow.position)).join(TopicRow)
        if talk_id is not None:
            query = query.where(col(FactRow.talk_id) == talk_id)
        if not include_retired:
            query = query.where(col(FactRow.retired).is_(False))
        # All the rows in one, as JSON: the sqlite3 module lets go of the GIL at every row,
        # and a worker thread reading a talk's thousand facts while the UI thread draws
        # waited for it at every row (20 ms of reading took 400).
        rows = query.subquery()
        packed = sql_select(func.json_group_array(func.json_array(*rows.c)))
        with self._connect() as connection:
            listed = json.loads(connection.execute(packed).scalar_one())
        listed.sort(key=lambda row: (row[1], row[-1]))
        return [_fact(row, parse_times=True) for row in listed]

    def fact(self, fact_id: int) -> Fact:
        """Return one fact; raise ``KeyError`` if there is none with that id."""
        with self._session() as session:
            query = sql_select(*_FACT_COLUMNS).join(TopicRow).where(col(FactRow.id) == fact_id)
            row = session.execute(query).first()
            if row is None:
                raise KeyError(fact_id)
            return _fact(row)

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
        self.refuse_writes()
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

            # The plan's matched and gone facts are the talk's stored ones: read them in one
            # query, not one query each.
            rows = {
                row.id: row
                for row in session.exec(select(FactRow).where(FactRow.talk_id == talk.id))
            }
            updated = unchanged = 0
            for old, new in plan.matched:
                row = rows[old.id]
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
            if plan.added:
                # Plain inserts in two batches: building a row object per fact would cost more
                # than writing it.
                added = [
                    {
                        "talk_id": talk.id,
                        "key": new.key,
                        "updated_at": now,
                        **_fields(new, topic_ids[new.topic], positions[id(new)]),
                    }
                    for new in plan.added
                ]
                inserted = insert(FactRow).returning(col(FactRow.id), sort_by_parameter_order=True)
                fact_ids = session.scalars(inserted, added).all()
                session.execute(insert(CardRow), [{"fact_id": fact_id} for fact_id in fact_ids])
            retired = 0
            for old in plan.gone:
                if not old.retired:
                    row = rows[old.id]
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
        with self._connect() as connection:
            rows = connection.execute(_load_query(), {"ids": fact_ids})
            found = {row[0]: (_fact(row), _memory_of(row, _CARD_AT)) for row in rows}
        return [found[fact_id] for fact_id in fact_ids if fact_id in found]

    def memory(self, fact_id: int) -> MemoryState:
        """Return the memory state of a fact; raise ``KeyError`` if there is none."""
        with self._connect() as connection:
            row = connection.execute(_memory_query(), {"fact": fact_id}).first()
            if row is None:
                raise KeyError(fact_id)
            return _memory_of(row)

    def memories(self, talk_id: int | None = None) -> list[tuple[Fact, MemoryState]]:
        """Return every active fact of a talk (or all) with its memory state, in notes order."""
        with self._session() as session:
            query = (
                _facts_with_cards()
                .where(col(FactRow.retired).is_(False))
                .order_by(col(FactRow.talk_id), col(FactRow.position))
            )
            if talk_id is not None:
                query = query.where(col(FactRow.talk_id) == talk_id)
            return [(_fact(row), _memory_of(row, _CARD_AT)) for row in session.execute(query)]

    def studied(self, talk_id: int | None = None) -> list[tuple[int, str, MemoryState]]:
        """Return (talk id, topic, memory) of every active fact studied at least once, in
        notes order."""
        query = _studied_facts(talk_id, col(FactRow.talk_id), col(TopicRow.name), *_CARD_COLUMNS)
        with self._session() as session:
            return [(row[0], row[1], _memory_of(row, 2)) for row in session.execute(query)]

    def topic_sizes(self, talk_id: int | None = None) -> list[tuple[int, str, int]]:
        """Return (talk id, topic, active facts) of every topic with active facts, in notes
        order (a talk's topics by their first fact)."""
        with self._session() as session:
            first = func.min(col(FactRow.position))
            query = (
                sql_select(col(FactRow.talk_id), col(TopicRow.name), func.count(), first)
                .join(TopicRow, col(TopicRow.id) == col(FactRow.topic_id))
                .where(col(FactRow.retired).is_(False))
                .group_by(col(FactRow.talk_id), col(FactRow.topic_id))
                .order_by(col(FactRow.talk_id), first)
            )
            if talk_id is not None:
                query = query.where(col(FactRow.talk_id) == talk_id)
            return [(row[0], row[1], int(row[2])) for row in session.execute(query)]

    def new_facts(self, talk_id: int | None, limit: int) -> list[int]:
        """Return up to ``limit`` never-studied active facts: main claims first, notes order."""
        with self._connect() as connection:
            query = _new_facts_query(talk_id is not None)
            rows = connection.execute(query, {"talk": talk_id, "limit": limit})
            return [fact_id for (fact_id,) in rows if fact_id is not None]

    def due_cards(
        self, talk_id: int | None, until: datetime, limit: int
    ) -> list[tuple[Fact, MemoryState]]:
        """Return ``due_facts`` with the facts and their memory states: ``load`` of them in one
        query."""
        with self._connect() as connection:
            query = _due_facts_query(talk_id is not None, cards=True)
            rows = connection.execute(query, {"talk": talk_id, "until": until, "limit": limit})
            return [(_fact(row), _memory_of(row, _CARD_AT)) for row in rows]

    def new_cards(self, talk_id: int | None, limit: int) -> list[tuple[Fact, MemoryState]]:
        """Return ``new_facts`` with the facts and their memory states: ``load`` of them in one
        query."""
        with self._connect() as connection:
            query = _new_facts_query(talk_id is not None, cards=True)
            rows = connection.execute(query, {"talk": talk_id, "limit": limit})
            return [(_fact(row), _memory_of(row, _CARD_AT)) for row in rows]

    def due_facts(self, talk_id: int | None, until: datetime, limit: int) -> list[int]:
        """Return up to ``limit`` studied active facts due by ``until``, earliest first."""
        with self._connect() as connection:
            query = _due_facts_query(talk_id is not None)
            rows = connection.execute(query, {"talk": talk_id, "until": until, "limit": limit})
            return [fact_id for (fact_id,) in rows]

    def counts(self, talk_id: int | None, now: datetime) -> TalkCounts:
        """Return how many active facts of a talk (or all) are due, new and learned at ``now``."""
        with self._connect() as connection:
            row = connection.execute(
                _counts_query(talk_id is not None), {"talk": talk_id, "now": now}
            )
            return _talk_counts(row.one())

    def queue_counts(self, talk_id: int | None, now: datetime, since: datetime) -> QueueCounts:
        """Return how many active facts of a talk (or all) are due and new at ``now``, and how
        many facts (retired ones too) were first studied at or after ``since``, in one
        query."""
        with self._connect() as connection:
            query = _queue_counts_query(talk_id is not None)
            due, new, introduced = connection.execute(
                query, {"talk": talk_id, "now": now, "since": since}
            ).one()
        return QueueCounts(due=int(due), new=int(new), introduced=int(introduced))

    def counts_by_talk(self, now: datetime) -> dict[int, TalkCounts]:
        """Return ``counts`` of every talk with active facts, by talk id."""
        with self._connect() as connection:
            query = (
                _counts_query(False)
                .add_columns(col(FactRow.talk_id))
                .group_by(col(FactRow.talk_id))
            )
            return {row[4]: _talk_counts(row) for row in connection.execute(query, {"now": now})}

    def due_by_talk(self, now: datetime) -> dict[int, int]:
        """Return ``counts``' due of every talk with facts due: the card index finds them
        without reading every card, as ``counts_by_talk`` does."""
        with self._connect() as connection:
            query = (
                sql_select(col(FactRow.talk_id), func.count())
                .select_from(CardRow)
                .join(FactRow)
                .where(_due_now(), col(FactRow.retired).is_(False))
                .group_by(col(FactRow.talk_id))
            )
            return {talk_id: int(due) for talk_id, due in connection.execute(query, {"now": now})}

    def next_due(self, talk_id: int | None, after: datetime) -> datetime | None:
        """Return when the next studied fact falls due after ``after``, or ``None``."""
        with self._session() as session:
            query = (
                select(func.min(CardRow.due))
                .join(FactRow)
                .where(
                    col(CardRow.phase).in_(_STUDIED),
                    col(CardRow.due) > after,
                    col(FactRow.retired).is_(False),
                    col(CardRow.suspended).is_(False),
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
        self.refuse_writes()
        card = _memory_values(after)
        if before.is_new and introduces:
            card["introduced_at"] = answer.reviewed_at
        # The card is written only if it is still ``before``, in the write transaction: two
        # windows answering the same fact at once must not have one update overwrite the other.
        unchanged = {"was_reps": before.reps, "was_reviewed": before.last_review}
        # Plain statements, not the ORM: this runs for every answer, and the ORM's unit of
        # work would cost more than the statements themselves.
        with self._connect() as connection, connection.begin():
            changed = connection.execute(
                _card_update_if_unchanged(), {"card": answer.fact_id, **card, **unchanged}
            )
            if changed.rowcount != 1:
                exists = connection.execute(
                    sql_select(col(CardRow.fact_id)).where(col(CardRow.fact_id) == answer.fact_id)
                ).first()
                if exists is None:
                    raise KeyError(answer.fact_id)
                raise CardChanged(f"fact {answer.fact_id} was answered meanwhile elsewhere")
            added = connection.execute(insert(ReviewRow), _review_values(answer, before))
        (review_id,) = added.inserted_primary_key or (None,)
        assert review_id is not None
        return int(review_id)

    def undo_review(self, review_id: int) -> Review | None:
        """Take back one answer: restore its fact's card as it was before it, mark it undone.

        Returns the answer as it was logged, or ``None`` when there is no such answer, it is
        undone already, or its fact was answered again since (by another window, say): its
        card no longer is what that answer made it, so putting the old one back would lose the
        later answer.
        """
        self.refuse_writes()
        with self._session() as session:
            found = self._last_answer_of_its_fact(session, review_id)
            if found is None:
                return None
            review, card = found
            before = _memory_from_json(review.card_before)
            _store_memory(card, before)
            if before.is_new:
                card.introduced_at = None
            review.undone = True
            session.add(card)
            session.add(review)
            session.commit()
            return _review(review)

    def answer_before(self, review_id: int) -> tuple[Review, MemoryState] | None:
        """Return an answer not undone and its fact's memory as it was before it, or ``None``."""
        with self._session() as session:
            review = session.get(ReviewRow, review_id)
            if review is None or review.undone:
                return None
            return _review(review), _memory_from_json(review.card_before)

    def overrule_review(
        self, review_id: int, correct: bool, rating: int, after: MemoryState
    ) -> bool:
        """Store the learner's verdict on an answer and the schedule it gives, in one
        transaction; ``False`` (nothing changed) when the answer is undone or its fact was
        answered again since."""
        self.refuse_writes()
        with self._session() as session:
            found = self._last_answer_of_its_fact(session, review_id)
            if found is None:
                return False
            review, card = found
            _store_memory(card, after)
            review.correct, review.rating, review.overruled = correct, rating, True
            session.add(card)
            session.add(review)
            session.commit()
            return True

    @staticmethod
    def _last_answer_of_its_fact(
        session: Session, review_id: int
    ) -> tuple[ReviewRow, CardRow] | None:
        """Return an answer and its fact's card, or ``None`` when the answer is missing or
        undone, or its fact was answered again since (its card is no longer what it made)."""
        review = session.get(ReviewRow, review_id)
        if review is None or review.undone:
            return None
        later = session.exec(
            select(ReviewRow.id).where(
                col(ReviewRow.fact_id) == review.fact_id,
                col(ReviewRow.undone).is_(False),
                col(ReviewRow.id) > review_id,
            )
        ).first()
        card = session.get(CardRow, review.fact_id)
        assert card is not None
        return None if later is not None else (review, card)

    def review_count_bound(self) -> int:
        """Return a bound of ``review_count`` read without counting: the log's last id (its
        entries are appended and never deleted)."""
        with self._connect() as connection:
            return int(connection.execute(sql_select(func.max(col(ReviewRow.id)))).scalar() or 0)

    def review_count(self) -> int:
        """Return how many answers the log holds (not counting undone ones)."""
        with self._session() as session:
            query = select(func.count()).select_from(ReviewRow)
            query = query.where(col(ReviewRow.undone).is_(False))
            return int(session.exec(query).one())

    # The review log in and out

    def graded_reviews(self, credits: bool = False) -> list[tuple[Review, str, str, Phase]]:
        """Return every graded answer not undone, oldest first, with its fact's talk slug and
        key and the phase its card was in. Placement credits are not answers: they are left
        out unless ``credits``.
        """
        with self._session() as session:
            query = (
                select(ReviewRow, TalkRow.slug, FactRow.key)
                .join(FactRow, col(FactRow.id) == col(ReviewRow.fact_id))
                .join(TalkRow, col(TalkRow.id) == col(FactRow.talk_id))
                .where(_graded(credits))
                .order_by(col(ReviewRow.reviewed_at), col(ReviewRow.id))
            )
            return [
                (_review(row), slug, key, Phase(json.loads(row.card_before)["phase"]))
                for row, slug, key in session.exec(query)
            ]

    def fact_ids_by_key(self) -> dict[tuple[str, str], int]:
        """Return the id of every fact, retired or not, by (talk slug, fact key)."""
        with self._session() as session:
            query = select(TalkRow.slug, FactRow.key, FactRow.id).join(
                TalkRow, col(TalkRow.id) == col(FactRow.talk_id)
            )
            return {(slug, key): fact_id for slug, key, fact_id in session.exec(query) if fact_id}

    @contextmanager
    def import_reviews(self) -> Iterator[ReviewLogImport]:
        """Yield a review log's import, on one connection of its own: what it wrote is
        committed when the block ends, and nothing at all if the block raises."""
        self.refuse_writes()
        with self._connect() as connection:
            staged = ReviewLogImport(connection)
            try:
                yield staged
                staged.finish()
            except BaseException:
                connection.rollback()
                raise
            finally:
                # Never in place of the error that ended the import.
                with suppress(DatabaseError):
                    staged.drop()

    def reviews(self, fact_id: int | None = None, include_undone: bool = False) -> list[Review]:
        """Return logged answers, oldest first, for one fact or all."""
        with self._session() as session:
            query = select(ReviewRow).order_by(col(ReviewRow.id))
            if fact_id is not None:
                query = query.where(ReviewRow.fact_id == fact_id)
            if not include_undone:
                query = query.where(col(ReviewRow.undone).is_(False))
            return [_review(row) for row in session.exec(query)]

    def recent_predictions(
        self, kinds: Collection[str], limit: int, *, exclude: bool = False
    ) -> list[tuple[str, float, bool]]:
        """Return (kind, model prediction, correct) of the last ``limit`` answers not undone
        whose kind is in ``kinds`` (or, with ``exclude``, is not), oldest first.

        Only answers that kept the format model's prediction count.
        """
        in_kinds = col(ReviewRow.question_kind).in_(list(kinds))
        with self._session() as session:
            query = (
                sql_select(
                    col(ReviewRow.question_kind),
                    col(ReviewRow.model_predicted),
                    col(ReviewRow.correct),
                )
                .where(
                    col(ReviewRow.undone).is_(False),
                    col(ReviewRow.model_predicted).is_not(None),
                    ~in_kinds if exclude else in_kinds,
                )
                .order_by(col(ReviewRow.id).desc())
                .limit(limit)
            )
            rows = [(kind, float(p), bool(ok)) for kind, p, ok in session.execute(query)]
        rows.reverse()
        return rows

    def review_points(self) -> list[tuple[int, datetime, int]]:
        """Return (fact id, when, rating) of every graded answer not undone, oldest first;
        placement credits are not answers and are left out."""
        with self._session() as session:
            query = (
                sql_select(
                    col(ReviewRow.fact_id), col(ReviewRow.reviewed_at), col(ReviewRow.rating)
                )
                .where(_graded())
                .order_by(col(ReviewRow.id))
            )
            rows = session.execute(query)
            return [(fact_id, when, int(rating)) for fact_id, when, rating in rows]

    def predictions(self, talk_id: int | None = None) -> list[tuple[float, bool]]:
        """Return (predicted, correct) of every answer not undone about a talk's facts (or
        any), oldest first; placement credits and imported answers (which the tutor did not
        predict) are left out."""
        with self._session() as session:
            query = (
                sql_select(col(ReviewRow.predicted), col(ReviewRow.correct))
                .where(
                    col(ReviewRow.undone).is_(False),
                    col(ReviewRow.question_kind).not_in((CREDIT_KIND, IMPORTED_KIND)),
                )
                .order_by(col(ReviewRow.id))
            )
            if talk_id is not None:
                query = query.join(FactRow).where(col(FactRow.talk_id) == talk_id)
            return [(float(p), bool(ok)) for p, ok in session.execute(query)]

    # Progress statistics

    def activity(self, talk_id: int | None, cap: float) -> list[ActivitySlot]:
        """Return the answers studied about a talk's facts (or any), retired facts' too,
        summed per quarter hour (UTC), oldest first: answers not undone and not placement
        credits; each answer's seconds capped at ``cap`` (none counts 0)."""
        card = col(ReviewRow.card_before)
        # The store writes the phase first: a prefix test is several times quicker than
        # parsing the JSON, which stays for a card written any other way.
        in_review = case(
            (card.like('{"phase": %'), card.like('{"phase": "review"%')),
            else_=func.json_extract(card, "$.phase") == Phase.REVIEW.value,
        )
        correct = col(ReviewRow.correct).is_(True)
        seconds = func.min(func.max(func.coalesce(col(ReviewRow.seconds), 0.0), 0.0), cap)
        # The hour as SQLite keeps it ("YYYY-MM-DD HH") and its quarter: cutting the text is
        # quicker than converting every time.
        at = col(ReviewRow.reviewed_at)
        hour = func.substr(at, 1, 13)
        quarter = cast(func.substr(at, 15, 2), Integer) // (SLOT_SECONDS // 60)
        with self._session() as session:
            query = (
                sql_select(
                    hour,
                    quarter,
                    func.count(),
                    _tally(correct),
                    func.total(seconds),
                    _tally(in_review),
                    _tally(and_(in_review, correct)),
                )
                .where(
                    col(ReviewRow.undone).is_(False), col(ReviewRow.question_kind) != CREDIT_KIND
                )
                .group_by(hour, quarter)
                .order_by(hour, quarter)
            )
            if talk_id is not None:
                query = query.join(FactRow).where(col(FactRow.talk_id) == talk_id)
            return [
                ActivitySlot(
                    _utc(f"{start}:00") + timedelta(seconds=SLOT_SECONDS * part),
                    int(answers),
                    int(right),
                    float(time),
                    int(asked),
                    int(kept),
                )
                for start, part, answers, right, time, asked, kept in session.execute(query).all()
            ]

    def studied_facts(self, talk_id: int | None = None) -> list[StudiedFact]:
        """Return every active fact of a talk (or all) studied at least once, with its topic,
        memory state, whether it was answered (a placement credit is no answer) and whether
        it is suspended, in notes order."""
        has_answers = (
            sql_select(col(ReviewRow.id))
            .where(
                col(ReviewRow.fact_id) == col(FactRow.id),
                col(ReviewRow.undone).is_(False),
                col(ReviewRow.question_kind) != CREDIT_KIND,
            )
            .exists()
        )
        query = _studied_facts(
            talk_id,
            type_coerce(col(FactRow.id), Integer),
            col(TopicRow.name),
            col(CardRow.phase),
            col(CardRow.step),
            col(CardRow.stability),
            col(CardRow.difficulty),
            type_coerce(col(CardRow.due), String),
            type_coerce(col(CardRow.last_review), String),
            col(CardRow.reps),
            col(CardRow.lapses),
            type_coerce(col(CardRow.suspended), Integer),
            type_coerce(has_answers, Integer),
        )
        with self._session() as session:
            phases = {phase.value: phase for phase in Phase}
            return [
                StudiedFact(
                    fact_id,
                    topic,
                    MemoryState(
                        phase=phases[phase],
                        step=step,
                        stability=stability,
                        difficulty=difficulty,
                        due=_utc(due) if due else None,
                        last_review=_utc(last) if last else None,
                        reps=reps,
                        lapses=lapses,
                    ),
                    answered == 1,
                    suspended == 1,
                )
                for (
                    fact_id,
                    topic,
                    phase,
                    step,
                    stability,
                    difficulty,
                    due,
                    last,
                    reps,
                    lapses,
                    suspended,
                    answered,
                ) in session.connection().execute(query).all()
            ]

    def memories_at(self, talk_id: int | None, when: datetime) -> dict[int, MemoryState]:
        """Return, for every fact of a talk (or any) answered after ``when``, its memory state
        at ``when``: the card as it was before its first answer (not undone) after then."""
        with self._session() as session:
            query = (
                sql_select(col(ReviewRow.fact_id), col(ReviewRow.card_before))
                .where(col(ReviewRow.undone).is_(False), col(ReviewRow.reviewed_at) > when)
                .order_by(col(ReviewRow.reviewed_at), col(ReviewRow.id))
            )
            if talk_id is not None:
                query = query.join(FactRow).where(col(FactRow.talk_id) == talk_id)
            found: dict[int, MemoryState] = {}
            for fact_id, card_before in session.connection().execute(query).all():
                if fact_id not in found:
                    found[fact_id] = _memory_from_json(card_before)
            return found

    # Suspending and flagging

    def set_suspended(self, fact_id: int, suspended: bool) -> None:
        """Suspend a fact (it leaves the study queue) or put it back; raise ``KeyError`` if
        there is no such fact."""
        self._set_mark(fact_id, "suspended", suspended)

    def set_flagged(self, fact_id: int, flagged: bool) -> None:
        """Flag a fact to revisit later, or clear the flag; raise ``KeyError`` if there is no
        such fact."""
        self._set_mark(fact_id, "flagged", flagged)

    def mark_bad_question(self, fact_id: int, kind: str, version: str, now: datetime) -> None:
        """Keep that this version of a question is never to be asked again (once)."""
        self.refuse_writes()
        with self._session() as session:
            if session.get(BadQuestionRow, (fact_id, kind, version)) is None:
                session.add(
                    BadQuestionRow(fact_id=fact_id, kind=kind, version=version, marked_at=now)
                )
                session.commit()

    def bad_questions(self, talk_id: int | None = None) -> list[tuple[int, str, str]]:
        """Return the question versions marked bad, as (fact id, kind, version)."""
        with self._session() as session:
            query = sql_select(
                col(BadQuestionRow.fact_id), col(BadQuestionRow.kind), col(BadQuestionRow.version)
            )
            if talk_id is not None:
                query = query.join(FactRow, col(FactRow.id) == col(BadQuestionRow.fact_id)).where(
                    col(FactRow.talk_id) == talk_id
                )
            return [(int(f), str(k), str(v)) for f, k, v in session.execute(query)]

    def _set_mark(self, fact_id: int, name: str, value: bool) -> None:
        self.refuse_writes()
        with self._session() as session:
            card = session.get(CardRow, fact_id)
            if card is None:
                raise KeyError(fact_id)
            setattr(card, name, value)
            session.add(card)
            session.commit()

    def marks(self, talk_id: int | None = None) -> dict[int, tuple[bool, bool]]:
        """Return (suspended, flagged) of every fact of a talk (or any) that is suspended or
        flagged, by fact id; a fact not in it is neither."""
        with self._session() as session:
            query = sql_select(
                col(CardRow.fact_id), col(CardRow.suspended), col(CardRow.flagged)
            ).where(col(CardRow.suspended).is_(True) | col(CardRow.flagged).is_(True))
            if talk_id is not None:
                query = query.join(FactRow).where(col(FactRow.talk_id) == talk_id)
            return {
                fact_id: (bool(suspended), bool(flagged))
                for fact_id, suspended, flagged in session.execute(query)
            }


@dataclass(frozen=True)
class LoggedAnswer:
    """One answer in a fact's history while a review log is imported: when, the rating, the
    seconds it took (if known), and whether it comes from the log (else it is logged
    already)."""

    fact_id: int
    reviewed_at: datetime
    rating: int
    seconds: float | None
    imported: bool


# The rows of a review log being imported: its answers (``imported`` 1) as they are read,
# then the answers logged already of the same facts (``imported`` 0). ``at_us`` is the time
# in microseconds since 1970, ``at_ms`` in milliseconds, cut as ``log_milliseconds`` cuts
# them for the CSV (the precision at which an answer is the same answer); ``seq`` orders
# answers of the same time: the line of the log, or the id of the logged answer.
_STAGED_TABLE = """
CREATE TEMP TABLE staged_review (
    fact_id INTEGER NOT NULL,
    at_us INTEGER NOT NULL,
    at_ms INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    rating INTEGER NOT NULL,
    seconds REAL,
    imported INTEGER NOT NULL
)"""
# A row of the log, left out if the log has an answer about its fact at that millisecond.
_STAGE_ROW = """
INSERT INTO staged_review (fact_id, at_us, at_ms, seq, rating, seconds, imported)
SELECT ?1, ?2, ?3, ?4, ?5, ?6, 1
WHERE NOT EXISTS (SELECT 1 FROM temp.staged_review WHERE fact_id = ?1 AND at_ms = ?3)"""
# The facts of the log, apart: reading them from the table written below would have SQLite
# hold all that is written in memory first.
_STAGE_FACTS = """
CREATE TEMP TABLE staged_fact AS SELECT DISTINCT fact_id FROM temp.staged_review"""
# The graded answers logged already (placement credits too) about the facts of the log. The
# store keeps a time as "YYYY-MM-DD HH:MM:SS.ffffff", in UTC.
_STAGE_LOGGED = """
INSERT INTO staged_review (fact_id, at_us, at_ms, seq, rating, seconds, imported)
SELECT fact_id, at_us, at_us / 1000, id, rating, NULL, 0 FROM (
    SELECT fact_id, id, rating,
        CAST(strftime('%s', reviewed_at) AS INTEGER) * 1000000
            + CAST(substr(reviewed_at, 21, 6) AS INTEGER) AS at_us
    FROM review
    WHERE undone = 0 AND rating IS NOT NULL AND fact_id IN temp.staged_fact
)"""
# Whether a staged answer ``s`` of the log is logged already, at the CSV's precision. (They
# are left out as they are read: deleting them would have SQLite list them all in memory.)
_KNOWN = """EXISTS (
    SELECT 1 FROM temp.staged_review AS logged
    WHERE logged.imported = 0 AND logged.fact_id = s.fact_id AND logged.at_ms = s.at_ms
)"""
_COUNT_KNOWN = f"SELECT count(*) FROM temp.staged_review AS s WHERE s.imported = 1 AND {_KNOWN}"
# Every answer of the facts that gain answers, a fact at a time, oldest first.
_HISTORIES = f"""
SELECT s.fact_id, s.at_us, s.rating, s.seconds, s.imported
FROM temp.staged_review AS s
WHERE s.fact_id IN (
    SELECT s.fact_id FROM temp.staged_review AS s WHERE s.imported = 1 AND NOT {_KNOWN}
) AND (s.imported = 0 OR NOT {_KNOWN})
ORDER BY s.fact_id, s.at_us, s.seq"""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
# Answers and cards are written this many at a time.
_WRITE_BATCH = 5_000


class ReviewLogImport:
    """A review log on its way into the store, in two steps on one connection.

    First its rows are staged (``add``), as they are read, in a temporary table: nothing is
    written to the database, and the rows are on disk, not in memory. Then ``histories``
    takes the write lock, merges them with the answers logged already and yields every
    answer of the facts that gain some, for ``add_answer`` and ``set_card`` to write in
    batches. ``Store.import_reviews`` commits it all at the end, or nothing.
    """

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        # The answers about a fact at a millisecond it has one already, in the log or before.
        self.already_there = 0
        self.added = 0
        self.facts = 0
        self._answers: list[dict[str, Any]] = []
        self._cards: list[dict[str, Any]] = []
        self.drop()
        connection.exec_driver_sql(_STAGED_TABLE)
        connection.exec_driver_sql(
            "CREATE INDEX temp.staged_review_moment ON staged_review (fact_id, at_ms)"
        )

    def add(self, rows: Sequence[tuple[int, datetime, int, float | None, int]]) -> None:
        """Stage answers of the log: (fact id, when, rating, seconds taken if known, line).
        An answer about a fact at a millisecond the log has one already is left out."""
        staged = []
        for fact_id, when, rating, seconds, line in rows:
            at_us = (when - _EPOCH) // _MICROSECOND
            staged.append((fact_id, at_us, at_us // 1000, line, rating, seconds))
        if not staged:
            return  # a batch of rows about facts not here
        result = self._connection.exec_driver_sql(_STAGE_ROW, staged)
        self.already_there += len(staged) - max(result.rowcount, 0)

    def histories(self) -> Iterator[LoggedAnswer]:
        """Take the write lock and yield every answer of each fact that gains answers from
        the log, a fact at a time, oldest first; the log's answers already logged (at its
        precision, the millisecond) are left out."""
        connection = self._connection
        # The staged rows are in the temporary table only: ended here, so that the write
        # transaction below starts from the database as it is now.
        connection.commit()
        # The write lock before the answers logged are read: another window cannot answer
        # one of these facts between the read and the write.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        connection.exec_driver_sql(_STAGE_FACTS)
        connection.exec_driver_sql(_STAGE_LOGGED)
        self.already_there += connection.exec_driver_sql(_COUNT_KNOWN).scalar_one()
        connection.exec_driver_sql(
            "CREATE INDEX temp.staged_review_order ON staged_review (fact_id, at_us, seq)"
        )
        rows = connection.exec_driver_sql(_HISTORIES)
        while batch := rows.fetchmany(_WRITE_BATCH):
            for fact_id, at_us, rating, seconds, imported in batch:
                yield LoggedAnswer(
                    fact_id, _EPOCH + timedelta(microseconds=at_us), rating, seconds, bool(imported)
                )

    def add_answer(self, answer: AnswerRecord, before: MemoryState) -> None:
        """Log an answer of the review log, its card as it was before it included."""
        self._answers.append(_review_values(answer, before))
        self.added += 1
        if len(self._answers) >= _WRITE_BATCH:
            self._write()

    def set_card(self, fact_id: int, memory: MemoryState, first: datetime) -> None:
        """Set a fact's memory after its history; ``first`` is its first answer from the log
        (the fact counts as introduced then, unless it was earlier)."""
        self._cards.append({"card": fact_id, "first": first, **_memory_values(memory)})
        self.facts += 1
        if len(self._cards) >= _WRITE_BATCH:
            self._write()

    def finish(self) -> None:
        """Write what is left and commit."""
        self._write()
        self._connection.commit()

    def drop(self) -> None:
        """Remove the staged rows (the connection goes back to the pool)."""
        self._connection.exec_driver_sql("DROP TABLE IF EXISTS temp.staged_review")
        self._connection.exec_driver_sql("DROP TABLE IF EXISTS temp.staged_fact")

    def _write(self) -> None:
        if self._answers:
            self._connection.execute(insert(ReviewRow), self._answers)
            self._answers = []
        if self._cards:
            self._connection.execute(_card_import_update(), self._cards)
            self._cards = []


def _utc(text: str) -> datetime:
    """Return a time as SQLite keeps it (UTC, without a zone) as a UTC-aware datetime."""
    # Parsing the zone is several times quicker than replacing it afterwards.
    return datetime.fromisoformat(text + "+00:00")


# Queries read plain columns, not table rows: building a row object for every fact or answer
# costs several times more than the domain value made from it.
_FACT_COLUMNS = (
    col(FactRow.id),
    col(FactRow.talk_id),
    col(FactRow.key),
    col(FactRow.kind),
    col(FactRow.text),
    col(FactRow.cue),
    col(FactRow.items),
    col(FactRow.speaker),
    col(FactRow.main),
    col(TopicRow.name),
    col(FactRow.source_file),
    col(FactRow.line),
    col(FactRow.retired),
    col(FactRow.updated_at),
    col(FactRow.authored),
)
_CARD_COLUMNS = (
    col(CardRow.phase),
    col(CardRow.step),
    col(CardRow.stability),
    col(CardRow.difficulty),
    col(CardRow.due),
    col(CardRow.last_review),
    col(CardRow.reps),
    col(CardRow.lapses),
)
AnySelect = SqlSelect[*tuple[Any, ...]]
# The question kind of a placement credit: logged like an answer, but no question was asked.
CREDIT_KIND = "credit"
# The question kind of answers imported from a review log: their format is not known.
IMPORTED_KIND = "imported"
# Where the card's columns start in a row of ``_facts_with_cards``.
_CARD_AT = len(_FACT_COLUMNS)
# The phases of a fact studied at least once (a list the card index can be searched by).
_STUDIED = tuple(phase.value for phase in Phase if phase is not Phase.NEW)


def _studied_facts(talk_id: int | None, *columns: Any) -> AnySelect:
    """Return the query of ``columns`` for every active fact of a talk (or all) studied at
    least once, in notes order."""
    query = (
        sql_select(*columns)
        .join(TopicRow, col(TopicRow.id) == col(FactRow.topic_id))
        .join(CardRow, col(CardRow.fact_id) == col(FactRow.id))
        .where(col(CardRow.phase).in_(_STUDIED), col(FactRow.retired).is_(False))
        .order_by(col(FactRow.talk_id), col(FactRow.position))
    )
    if talk_id is not None:
        query = query.where(col(FactRow.talk_id) == talk_id)
    return query


def _facts_with_cards() -> AnySelect:
    """Return the query of facts (their topic's name included) and their cards' columns."""
    return (
        sql_select(*_FACT_COLUMNS, *_CARD_COLUMNS)
        .join(TopicRow, col(TopicRow.id) == col(FactRow.topic_id))
        .join(CardRow, col(CardRow.fact_id) == col(FactRow.id))
    )


# The queries asked for every question are built once, with parameters: building one costs
# about as much as running it. ``by_talk`` adds the parameter ``talk`` (a talk id).


def _by_talk(query: AnySelect, by_talk: bool) -> AnySelect:
    return query.where(col(FactRow.talk_id) == bindparam("talk")) if by_talk else query


@cache
def _load_query() -> AnySelect:
    """Facts and cards of the fact ids ``ids``."""
    return _facts_with_cards().where(col(FactRow.id).in_(bindparam("ids", expanding=True)))


@cache
def _memory_query() -> AnySelect:
    """The card of the fact ``fact``."""
    return sql_select(*_CARD_COLUMNS).where(col(CardRow.fact_id) == bindparam("fact"))


@cache
def _new_facts_query(by_talk: bool, cards: bool = False) -> AnySelect:
    """Up to ``limit`` never-studied active facts: main claims first, notes order; their ids,
    or with ``cards`` the columns of ``_facts_with_cards``."""
    query = (
        (_facts_with_cards() if cards else sql_select(col(FactRow.id)).join(CardRow))
        .where(
            col(CardRow.phase) == Phase.NEW.value,
            col(FactRow.retired).is_(False),
            col(CardRow.suspended).is_(False),
        )
        .order_by(col(FactRow.talk_id), col(FactRow.main_rank), col(FactRow.position))
        .limit(bindparam("limit"))
    )
    return _by_talk(query, by_talk)


@cache
def _due_facts_query(by_talk: bool, cards: bool = False) -> AnySelect:
    """Up to ``limit`` studied active facts due by ``until``, earliest first; their ids, or
    with ``cards`` the columns of ``_facts_with_cards``."""
    # Over every talk, the card index finds the due cards; within a talk, "not new" leaves
    # that index out, so SQLite reads the talk's facts instead of every talk's due cards.
    studied = col(CardRow.phase) != Phase.NEW.value if by_talk else col(CardRow.phase).in_(_STUDIED)
    query = (
        (_facts_with_cards() if cards else sql_select(col(CardRow.fact_id)).join(FactRow))
        .where(
            studied,
            col(CardRow.due) <= bindparam("until"),
            col(FactRow.retired).is_(False),
            col(CardRow.suspended).is_(False),
        )
        .order_by(col(CardRow.due))
        .limit(bindparam("limit"))
    )
    return _by_talk(query, by_talk)


@cache
def _counts_query(by_talk: bool) -> AnySelect:
    """(total, new, due at ``now``, learned) over the active facts' cards."""
    query = (
        sql_select(
            func.count(),
            _tally(and_(col(CardRow.phase) == Phase.NEW.value, _unsuspended())),
            _tally(_due_now()),
            _tally(col(CardRow.phase) == Phase.REVIEW.value),
        )
        .select_from(CardRow)
        .join(FactRow)
        .where(col(FactRow.retired).is_(False))
    )
    return _by_talk(query, by_talk)


@cache
def _queue_counts_query(by_talk: bool) -> AnySelect:
    """(due at ``now``, new) over the active facts' cards, and how many facts (retired ones
    too) were first studied at or after ``since``."""
    active = col(FactRow.retired).is_(False)
    query = (
        sql_select(
            _tally(and_(active, _due_now())),
            _tally(and_(active, col(CardRow.phase) == Phase.NEW.value, _unsuspended())),
            _tally(col(CardRow.introduced_at) >= bindparam("since")),
        )
        .select_from(CardRow)
        .join(FactRow)
    )
    return _by_talk(query, by_talk)


@cache
def _card_update_if_unchanged() -> Update:
    """``_card_update``, only while the card's reps and last review are still ``was_reps`` and
    ``was_reviewed`` (every answer changes both)."""
    return _card_update().where(
        col(CardRow.reps) == bindparam("was_reps"),
        col(CardRow.last_review).is_not_distinct_from(
            bindparam("was_reviewed", type_=UTCDateTime())
        ),
    )


@cache
def _card_import_update() -> Update:
    """``_card_update`` for a card whose history a review log added to: its introduction is
    moved back to ``first``, the log's first answer about it, if that is earlier."""
    first = bindparam("first", type_=UTCDateTime())
    introduced = col(CardRow.introduced_at)
    return _card_update().values(
        introduced_at=case((introduced.is_(None) | (introduced > first), first), else_=introduced)
    )


def _card_update() -> Update:
    """Set the columns given as parameters on the card of the fact ``card``."""
    return update(CardRow).where(col(CardRow.fact_id) == bindparam("card"))


def _due_now() -> ColumnElement[bool]:
    """Whether a card was studied, is due at ``now`` and is not suspended (in a form the card
    index serves)."""
    return and_(
        col(CardRow.phase).in_(_STUDIED),
        col(CardRow.due) <= bindparam("now"),
        _unsuspended(),
    )


def _graded(credits: bool = False) -> ColumnElement[bool]:
    """Whether a review is a graded answer not undone. Placement credits are not answers: they
    count only with ``credits``."""
    return and_(
        col(ReviewRow.undone).is_(False),
        col(ReviewRow.rating).is_not(None),
        true() if credits else col(ReviewRow.question_kind) != CREDIT_KIND,
    )


def _unsuspended() -> ColumnElement[bool]:
    """Whether a card is in the study queue: a suspended fact is left out until unsuspended."""
    return col(CardRow.suspended).is_(False)


def _tally(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """Return how many rows meet ``condition``, as an aggregate (0 over no rows)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _talk_counts(row: Sequence[Any]) -> TalkCounts:
    total, new, due, learned = (int(value) for value in row[:4])
    return TalkCounts(due=due, new=new, learned=learned, total=total)


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
        "authored": _authored(fact),
    }


def _authored(fact: Fact) -> str:
    """Return what the author wrote for a fact's questions as JSON, or "" for nothing."""
    if not (fact.wrong or fact.misconceptions):
        return ""
    content = {"wrong": fact.wrong, "for": fact.wrong_for, "false": fact.misconceptions}
    return json.dumps(content, ensure_ascii=False)


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


def _fact(row: Sequence[Any], parse_times: bool = False) -> Fact:
    """Return the fact in a row that starts with ``_FACT_COLUMNS`` (its time as stored text,
    if ``parse_times``)."""
    (fact_id, talk_id, key, kind, text, cue, items, speaker, main, topic, file, line) = row[:12]
    updated_at = row[13]
    if parse_times:
        updated_at = datetime.fromisoformat(updated_at).replace(tzinfo=UTC)
    authored = json.loads(row[14]) if row[14] else {}
    return Fact(
        id=fact_id,
        talk_id=talk_id,
        key=key,
        kind=FactKind(kind),
        text=text,
        cue=cue,
        items=tuple(item for item in items.split("\n") if item),
        speaker=speaker,
        main=main,
        topic=topic,
        source=SourceRef(file=file, line=line),
        retired=row[12],
        updated_at=updated_at,
        wrong=tuple(authored.get("wrong", ())),
        wrong_for=authored.get("for"),
        misconceptions=tuple(authored.get("false", ())),
    )


def _memory_of(row: Sequence[Any], at: int = 0) -> MemoryState:
    """Return the memory state in a row that holds ``_CARD_COLUMNS`` from index ``at``."""
    phase, step, stability, difficulty, due, last_review, reps, lapses = row[at : at + 8]
    return MemoryState(
        phase=Phase(phase),
        step=step,
        stability=stability,
        difficulty=difficulty,
        due=due,
        last_review=last_review,
        reps=reps,
        lapses=lapses,
    )


def _memory_values(memory: MemoryState) -> dict[str, Any]:
    """Return the card columns that hold a memory state."""
    return {
        "phase": memory.phase.value,
        "step": memory.step,
        "stability": memory.stability,
        "difficulty": memory.difficulty,
        "due": memory.due,
        "last_review": memory.last_review,
        "reps": memory.reps,
        "lapses": memory.lapses,
    }


def _store_memory(row: CardRow, memory: MemoryState) -> None:
    for name, value in _memory_values(memory).items():
        setattr(row, name, value)


def _review_values(answer: AnswerRecord, before: MemoryState) -> dict[str, Any]:
    """Return the review columns of an answer, its card as it was before it included."""
    return {
        "fact_id": answer.fact_id,
        "question_kind": answer.question_kind,
        "mode": answer.mode,
        "reviewed_at": answer.reviewed_at,
        "rating": answer.rating,
        "response": answer.response,
        "correct": answer.correct,
        "seconds": answer.seconds,
        "predicted": answer.predicted,
        "model_predicted": answer.model_predicted,
        "card_before": _memory_json(before),
        "undone": False,
    }


def _memory_json(memory: MemoryState) -> str:
    """Return a memory state as JSON, its phase first (``activity`` reads it by prefix)."""
    # Built by hand: ``dataclasses.asdict`` deep-copies every value, and took most of the
    # time of a review log's import.
    due, last = memory.due, memory.last_review
    return json.dumps(
        {
            "phase": memory.phase.value,
            "step": memory.step,
            "stability": memory.stability,
            "difficulty": memory.difficulty,
            "due": due.isoformat() if due else None,
            "last_review": last.isoformat() if last else None,
            "reps": memory.reps,
            "lapses": memory.lapses,
        }
    )


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
        overruled=row.overruled,
    )
