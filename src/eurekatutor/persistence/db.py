"""Engine creation with SQLite pragmas, and a UTC-only datetime column type."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, event
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator
from sqlmodel import create_engine

from eurekatutor.errors import StoreError

BUSY_TIMEOUT_MS = 5000


class UTCDateTime(TypeDecorator[datetime]):
    """A datetime column that refuses naive values and gives back UTC-aware ones.

    SQLite keeps no time zone: values are stored as UTC and UTC is re-attached on read.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: EurekaTutor stores UTC-aware times only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def database_url(path_or_url: str | Path) -> str:
    """Return an SQLAlchemy URL for a file path or pass an ``sqlite://`` URL through.

    Raises ``StoreError`` for a path whose folder cannot be created or that is a directory.
    """
    text = str(path_or_url)
    if text.startswith("sqlite:"):
        return text
    path = Path(text).expanduser()
    if path.is_dir():
        raise StoreError(f"{path}: is a directory; give the path of a database file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"{path}: cannot create its folder: {error.strerror}") from error
    return f"sqlite:///{path}"


def database_path(path_or_url: str | Path) -> Path | None:
    """Return the file of a database path or ``sqlite:///`` URL; ``None`` when in memory."""
    text = str(path_or_url)
    if not text.startswith("sqlite:"):
        return Path(text).expanduser()
    name = text.removeprefix("sqlite:///") if text.startswith("sqlite:///") else ""
    return Path(name) if name and name != ":memory:" else None


def make_engine(path_or_url: str | Path) -> Engine:
    """Return the app's one engine: WAL, full sync, foreign keys and a busy timeout on."""
    url = database_url(path_or_url)
    in_memory = url in ("sqlite://", "sqlite:///:memory:")
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        **({"poolclass": StaticPool} if in_memory else {}),
    )
    event.listen(engine, "connect", _set_pragmas)
    return engine


def _set_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL makes each committed answer durable even on power loss, not only on a killed process.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()
