"""Reading a file the user names: a regular file only, and never more than a limit."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO


class NotARegularFile(ValueError):
    """The path names a device, a pipe, a socket or a folder, not a file to read."""


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file for reading, in binary.

    Raises ``NotARegularFile`` for anything but a regular file, before opening it: a device
    such as ``/dev/zero`` never ends, and opening a named pipe waits for a writer forever.
    Raises ``OSError`` when it cannot be opened.
    """
    mode = os.stat(path).st_mode
    if stat.S_ISDIR(mode):
        raise NotARegularFile("is a directory, not a file")
    if not stat.S_ISREG(mode):
        raise NotARegularFile("is not a regular file (a device, a pipe or a socket)")
    return path.open("rb")


def read_limited(path: Path, limit: int) -> bytes:
    """Return the bytes of a regular file, at most ``limit + 1`` of them (one more than the
    limit tells the caller it is too large, without reading all of a huge one).

    Raises ``NotARegularFile`` for anything but a regular file (see ``open_regular``), and
    ``OSError`` when it cannot be read.
    """
    with open_regular(path) as stream:
        return stream.read(limit + 1)
