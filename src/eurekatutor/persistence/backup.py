"""Rotating online backups of the database file (SQLite's backup API) and restoring one."""

from __future__ import annotations

import os
import re
import sqlite3
import time
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from eurekatutor.errors import StoreError
from eurekatutor.persistence.db import read_only_message, why_read_only
from eurekatutor.persistence.tables import SCHEMA_VERSION

# Enough for a week and a half of daily backups plus the ones taken before upgrades.
KEEP_BACKUPS = 10
BACKUP_EVERY = timedelta(days=1)
# A half-written backup this old was left by a backup that was killed.
STALE_PARTIAL_SECONDS = 10 * 60
_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class Backup:
    """A backup file, when it was taken (UTC) and why ("daily", "manual", "before-schema-2")."""

    path: Path
    taken_at: datetime
    reason: str


def backups_dir(db: Path) -> Path:
    """Return the folder that holds a database's backups: ``backups`` beside it."""
    return db.parent / "backups"


def list_backups(db: Path) -> list[Backup]:
    """Return the backups of a database, newest first."""
    folder = backups_dir(db)
    if not folder.is_dir():
        return []
    pattern = re.compile(
        rf"{re.escape(db.stem)}-(?P<stamp>\d{{8}}-\d{{6}})(?:-(?P<copy>\d+))?"
        r"-(?P<reason>[a-z][a-z0-9-]*)\.db"
    )
    found = []
    for path in folder.iterdir():
        match = pattern.fullmatch(path.name)
        if match:
            taken_at = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
            found.append(
                (taken_at, int(match["copy"] or 1), Backup(path, taken_at, match["reason"]))
            )
    return [backup for *_, backup in sorted(found, key=lambda item: item[:2], reverse=True)]


def take_backup(
    db: Path,
    now: datetime,
    reason: str = "manual",
    keep: int = KEEP_BACKUPS,
    spare: Path | None = None,
) -> Backup:
    """Copy the database into its backups folder while it may be in use; keep the newest ``keep``
    (and ``spare``, a backup about to be restored, whatever its age).

    The copy is checked before it replaces anything, so a damaged database never pushes a good
    backup out of the rotation. Raises ``StoreError`` when the copy cannot be made.
    """
    if not db.is_file():
        raise StoreError(f"{db}: no such database file")
    folder = backups_dir(db)
    taken_at = now.astimezone(UTC).replace(microsecond=0)
    stamp = f"{db.stem}-{taken_at.strftime(_STAMP)}"
    # Backups taken within one second are told apart, and ordered, by a copy number counted
    # over every reason: never overwrite one, and never sort a newer one below an older one.
    copies = 1 + sum(1 for backup in list_backups(db) if backup.taken_at == taken_at)
    target = folder / (f"{stamp}-{reason}.db" if copies == 1 else f"{stamp}-{copies}-{reason}.db")
    while target.exists():
        copies += 1
        target = folder / f"{stamp}-{copies}-{reason}.db"
    partial = target.with_suffix(".partial")
    _remove_stale_partials(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with closing(_connect(db)) as source, closing(sqlite3.connect(partial)) as copy:
            source.backup(copy)
            _check(copy, partial)
            # A backup is one self-contained file: no write-ahead log beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as error:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        raise StoreError(f"{db}: cannot back it up to {folder}: {error}") from error
    for old in list_backups(db)[keep:]:
        if spare is None or not _same_file(old.path, spare):
            old.path.unlink(missing_ok=True)
    return Backup(target, taken_at, reason)


def backup_if_due(db: Path, now: datetime) -> Backup | None:
    """Take the daily backup unless one was taken in the last day; return it, or ``None``."""
    backups = list_backups(db)
    if backups and now - backups[0].taken_at < BACKUP_EVERY:
        return None
    return take_backup(db, now, "daily")


def backup_schema_version(path: Path) -> int:
    """Return the schema version of a backup file this version can open.

    The file is opened read-only, so a missing path is never created. Raises ``StoreError``
    unless it is a regular file holding a sound EurekaTutor database of a schema this version
    knows.
    """
    if not path.exists():
        raise StoreError(f"{path}: no such backup file")
    if not path.is_file():
        raise StoreError(f"{path}: not a regular file; name a backup file (.db)")
    try:
        with closing(connect_read_only(path)) as copy:
            _check(copy, path)
            row = copy.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.Error as error:
        raise StoreError(f"{path}: not a EurekaTutor database ({error})") from error
    if row is None:
        raise StoreError(f"{path}: not a EurekaTutor database (it has no schema version)")
    version = int(row[0])
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: it was written by a newer EurekaTutor (schema {version}, this version "
            f"knows {SCHEMA_VERSION}); upgrade EurekaTutor to restore it"
        )
    return version


def restore_backup(source: Path, db: Path, now: datetime) -> Backup | None:
    """Put a backup's content in place of the database, even while it is open elsewhere.

    Nothing is touched until the backup has been read and checked: it is copied beside the
    database and the copy checked first. Then the database, if sound, is backed up
    ("before-restore", a rotation that never removes ``source``); a damaged one is moved aside
    to the backups folder as ``*.damaged``. Returns where the old one went, or ``None`` when
    there was no database. Raises ``StoreError``, with the database unchanged, if the source
    is not a sound EurekaTutor database this version can open, or is the database itself, or
    the database cannot be written.
    """
    if _same_file(source, db):
        raise StoreError(f"{source}: is the database itself; name one of its backups")
    backup_schema_version(source)
    read_only = why_read_only(db)
    if read_only is not None:
        raise StoreError(read_only_message(str(db), read_only))
    folder = backups_dir(db)
    staged = folder / f"{db.stem}.restoring"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staged.unlink(missing_ok=True)  # left by a restore that was killed
        with (
            closing(connect_read_only(source)) as original,
            closing(sqlite3.connect(staged)) as copy,
        ):
            original.backup(copy)
            _check(copy, staged)
    except (sqlite3.Error, OSError) as error:
        with suppress(OSError):
            staged.unlink(missing_ok=True)
        raise StoreError(f"{source}: cannot read it to restore: {error}") from error
    try:
        saved: Backup | None = None
        if db.exists():
            try:
                saved = take_backup(db, now, "before-restore", spare=source)
            except StoreError:
                saved = _move_aside(db, now)
        with closing(sqlite3.connect(staged)) as copy, closing(_connect(db)) as target:
            copy.backup(target)
    except sqlite3.Error as error:
        raise StoreError(f"{db}: cannot restore {source} over it: {error}") from error
    finally:
        with suppress(OSError):
            staged.unlink(missing_ok=True)
    return saved


def where_backups_are(db: Path) -> str:
    """Return a sentence for error messages: the newest backup and how to restore it."""
    backups = list_backups(db)
    if not backups:
        return f"There are no backups of it in {backups_dir(db)}."
    return (
        f"Its newest backup is {backups[0].path} ({len(backups)} in {backups_dir(db)}); "
        f"restore one with: eurekatutor --db {db} restore FILE"
    )


def _connect(db: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(db, timeout=5)
    # Fail on a file that is not a database now, not half-way through a copy.
    connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return connection


def _remove_stale_partials(folder: Path) -> None:
    """Remove the half-written copies a killed backup left (``*.partial``, older than a few
    minutes, so never one a backup running now is writing)."""
    cutoff = time.time() - STALE_PARTIAL_SECONDS
    with suppress(OSError):
        for partial in folder.glob("*.partial"):
            with suppress(OSError):
                if partial.stat().st_mtime < cutoff:
                    partial.unlink()


def connect_read_only(path: Path) -> sqlite3.Connection:
    """Open a database file for reading only: a missing file is an error, never a new one."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)


def _same_file(a: Path, b: Path) -> bool:
    return a.exists() and b.exists() and os.path.samefile(a, b)


def _check(connection: sqlite3.Connection, path: Path) -> None:
    result = connection.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise sqlite3.DatabaseError(f"{path} is damaged: {result}")


def _move_aside(db: Path, now: datetime) -> Backup:
    """Move a damaged database (and its write-ahead log) into the backups folder.

    Its name does not end in ``.db``, so it is never offered as a backup nor rotated away.
    """
    taken_at = now.astimezone(UTC).replace(microsecond=0)
    target = backups_dir(db) / f"{db.stem}-{taken_at.strftime(_STAMP)}.damaged"
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{db}{suffix}")
        if part.exists():
            os.replace(part, Path(f"{target}{suffix}"))
    return Backup(target, taken_at, "damaged")
