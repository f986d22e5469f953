"""The ``eurekatutor`` command, and ``python -m eurekatutor``."""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line, with the cyclic garbage collector held off while it starts.

    Starting builds tens of thousands of objects that live as long as the command: the
    modules, and for the app the tutor's prepared talk. The collector's passes over them as
    they are built free nothing, and took a tenth of the app's start. ``cli.main`` takes the
    collector back up once the command has started.
    """
    gc.disable()
    from eurekatutor.cli import main

    return main(argv)


if __name__ == "__main__":
    sys.exit(run())
