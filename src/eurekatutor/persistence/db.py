"""Engine creation with SQLite pragmas, and a UTC-only datetime column type."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, event
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.pool import QueuePool, StaticPool
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


def why_read_only(path: Path) -> str | None:
    """Return why this user cannot write (or make) the database file at ``path``: it, or its
    folder, where SQLite keeps its journal, is read-only to them; ``None`` when they can.

    ``os.access`` asks the kernel, which knows of permissions, a read-only file system and
    an immutable file; being root does not make those writable.
    """
    if path.exists() and not os.access(path, os.W_OK):
        return "you cannot write to the file"
    folder = path.parent
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        return f"you cannot write to its folder {folder}, where SQLite keeps its journal"
    return None


def read_only_message(label: str, reason: str, *, named: bool = True) -> str:
    """Return what to say of a database that cannot be written: why, and what to do
    (``named``: starting with its name, ``label``)."""
    said = (
        f"the database is read-only ({reason}): it can be shown, but nothing can be saved to "
        "it. Make it writable (fix the permissions of the file and its folder), or pass "
        "another database with --db FILE"
    )
    return f"{label}: {said}" if named else said


def make_engine(path_or_url: str | Path, *, read_only: bool = False) -> Engine:
    """Return the app's one engine: WAL, full sync, foreign keys and a busy timeout on.

    With ``read_only`` (a database file that cannot be written), SQLite opens the file for
    reading only and refuses every write; nothing is switched to write-ahead logging.
    """
    if read_only:
        return _read_only_engine(path_or_url)
    url = database_url(path_or_url)
    in_memory = url in ("sqlite://", "sqlite:///:memory:")
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        **({"poolclass": StaticPool} if in_memory else {}),
    )
    event.listen(engine, "connect", _set_pragmas)
    return engine


def _read_only_engine(path_or_url: str | Path) -> Engine:
    path = database_path(path_or_url)
    if path is None:
        raise ValueError("an in-memory database is never read-only")
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if not os.access(path.parent, os.W_OK | os.X_OK) and not Path(f"{path}-wal").exists():
        # SQLite reads a write-ahead-logged database through a shared-memory file beside it,
        # which it cannot create in a folder it cannot write to. Without a log beside it,
        # every change has reached the file, and no one without write access to the folder
        # can start one: it is read as a file that does not change.
        uri += "&immutable=1"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(
            uri, uri=True, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
        )

    # The URL only names the dialect: ``connect`` opens the file, by a URI SQLite reads.
    engine = create_engine("sqlite://", creator=connect, poolclass=QueuePool)
    event.listen(engine, "connect", _set_read_only_pragmas)
    return engine


def _set_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL makes each committed answer durable even on power loss, not only on a killed process.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _set_read_only_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # Refused by SQLite itself, whatever a caller attempts: the file is opened read-only too.
    cursor.execute("PRAGMA query_only=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()
