"""Schema versions: the steps that upgrade a database written by an earlier EurekaTutor."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eurekatutor.persistence.db import UTCDateTime
from eurekatutor.persistence.tables import SCHEMA_VERSION

if TYPE_CHECKING:  # alembic is imported only when an upgrade runs
    from alembic.operations import Operations

VERSION_KEY = "schema_version"


def _v2_suspend_and_flag(operations: Operations) -> None:
    with operations.batch_alter_table("card") as card:
        card.add_column(sa.Column("suspended", sa.Boolean(), nullable=False, server_default="0"))
        card.add_column(sa.Column("flagged", sa.Boolean(), nullable=False, server_default="0"))


def _v3_authored_and_bad_questions(operations: Operations) -> None:
    with operations.batch_alter_table("fact") as fact:
        fact.add_column(sa.Column("authored", sa.String(), nullable=False, server_default=""))
    operations.create_table(
        "bad_question",
        sa.Column("fact_id", sa.Integer(), sa.ForeignKey("fact.id"), primary_key=True),
        sa.Column("kind", sa.String(), primary_key=True),
        sa.Column("version", sa.String(), primary_key=True),
        sa.Column("marked_at", UTCDateTime(), nullable=False),
    )


def _v4_overruled_answers(operations: Operations) -> None:
    with operations.batch_alter_table("review") as review:
        review.add_column(sa.Column("overruled", sa.Boolean(), nullable=False, server_default="0"))


# STEPS[n] upgrades a database at version n - 1 to version n.
STEPS: dict[int, Callable[[Operations], None]] = {
    2: _v2_suspend_and_flag,
    3: _v3_authored_and_bad_questions,
    4: _v4_overruled_answers,
}


def stored_version(connection: Connection) -> int | None:
    """Return a database's schema version, or ``None`` for an empty database.

    Raises ``ValueError`` for a database that holds tables but no EurekaTutor schema version.
    """
    tables = set(sa.inspect(connection).get_table_names())
    if not tables:
        return None
    if "meta" in tables:
        value = connection.execute(
            sa.text("SELECT value FROM meta WHERE key = :key"), {"key": VERSION_KEY}
        ).scalar()
        if value is not None:
            return int(value)
    raise ValueError("it holds tables of another program, not a EurekaTutor schema version")


def upgrade(connection: Connection, version: int) -> None:
    """Run every step from ``version`` to the current schema in one transaction.

    The steps run on ``connection`` inside ``engine.begin()``; SQLite's driver does not open a
    transaction before schema changes by itself, so this opens one and a failure undoes all.
    """
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    connection.exec_driver_sql("BEGIN")
    operations = Operations(MigrationContext.configure(connection))
    for step in range(version + 1, SCHEMA_VERSION + 1):
        STEPS[step](operations)
    stamp(connection)


def stamp(connection: Connection) -> None:
    """Record that the database is at the current schema version."""
    connection.execute(
        sa.text("INSERT OR REPLACE INTO meta (key, value) VALUES (:key, :value)"),
        {"key": VERSION_KEY, "value": str(SCHEMA_VERSION)},
    )
