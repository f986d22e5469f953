"""Allows ``python -m eurekatutor``."""

from __future__ import annotations

import sys

from eurekatutor.cli import main

if __name__ == "__main__":
    sys.exit(main())
