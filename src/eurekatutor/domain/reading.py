"""Reading a file the user names: a regular file only, and never more than a limit."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotARegularFile(ValueError):
    """The path names a device, a pipe, a socket or a folder, not a file to read."""


def read_limited(path: Path, limit: int) -> bytes:
    """Return the bytes of a regular file, at most ``limit + 1`` of them (one more than the
    limit tells the caller it is too large, without reading all of a huge one).

    Raises ``NotARegularFile`` for anything but a regular file, before opening it: a device
    such as ``/dev/zero`` never ends, and opening a named pipe waits for a writer forever.
    Raises ``OSError`` when it cannot be read.
    """
    mode = os.stat(path).st_mode
    if stat.S_ISDIR(mode):
        raise NotARegularFile("is a directory, not a file")
    if not stat.S_ISREG(mode):
        raise NotARegularFile("is not a regular file (a device, a pipe or a socket)")
    with path.open("rb") as stream:
        return stream.read(limit + 1)
