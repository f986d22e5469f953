"""Writing an export file whole or not at all: a temporary file beside it, then a rename."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from eurekatutor.errors import EurekaError


class ExportError(EurekaError):
    """An export that cannot be written (a bad path, nothing to export)."""


class ExportExists(ExportError):
    """The file to write exists and may not be replaced without asking."""


# A temporary file of ours this old is left from an export that was killed: it is removed.
LEFTOVER_AGE = 10 * 60


def write_atomically(
    path: Path, write: Callable[[BinaryIO], None], *, replace: bool = True
) -> None:
    """Let ``write`` fill a temporary file beside ``path``, then rename it over ``path``.

    A reader never sees half a file, and a failed export leaves the old file as it was.
    Temporary files of ours left beside ``path`` by an export that was killed are removed
    first. Raises ``ExportExists`` when ``path`` exists and ``replace`` is false, and
    ``ExportError`` when the folder cannot be written; the temporary file is removed on any
    failure.
    """
    if not replace and path.exists():
        raise ExportExists(f"{path} exists already; choose another file, or replace it")
    remove_leftovers(path.parent, f".{path.name}.")
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise ExportError(f"cannot write {path}: {error.strerror or error}") from error
    try:
        with os.fdopen(fd, "wb") as raw:
            write(raw)
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except OSError as error:
        _remove(temporary)
        raise ExportError(f"cannot write {path}: {error.strerror or error}") from error
    except BaseException:
        _remove(temporary)
        raise
    _sync_folder(path.parent)


def _mode_for(path: Path) -> int:
    """Return the permissions for the written file: an existing file's, else rw-r--r--."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o644


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable where the platform allows syncing a folder."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_leftovers(folder: Path, prefix: str, age: float = LEFTOVER_AGE) -> None:
    """Remove files and folders named ``prefix...`` in ``folder`` older than ``age`` seconds:
    what a killed export of ours left behind. Whatever cannot be removed stays."""
    cutoff = time.time() - age
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if not entry.name.startswith(prefix):
                continue
            with contextlib.suppress(OSError):
                if entry.lstat().st_mtime < cutoff:
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.rmtree(entry)
                    else:
                        entry.unlink()
