"""What a screen says when the learner asks for a change the database cannot take."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from eurekatutor.tutor import Tutor

TITLE = "Read-only database"


def refused(screen: Screen[Any], tutor: Tutor) -> bool:
    """Return whether the database is read-only, having told the learner so (which file,
    why, and what to do): then nothing is to be started or changed."""
    message = tutor.read_only_message
    if message is None:
        return False
    screen.notify(message, title=TITLE, severity="error", timeout=12, markup=False)
    return True
