"""Typed errors with a user-facing message, caught at the edges (CLI and UI)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class EurekaError(Exception):
    """Base of every error EurekaTutor reports to its user; ``str(error)`` is the message."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a notes file: its 1-based line (``None`` for the whole file)."""

    line: int | None
    message: str


class InputFileError(EurekaError):
    """A file that cannot be imported, with every problem found in it (file and line)."""

    def __init__(self, path: Path | str, problems: list[Problem]) -> None:
        self.path = Path(path)
        self.problems = list(problems)
        super().__init__(self._format())

    def _format(self) -> str:
        lines = [
            f"{self.path}:{problem.line}: {problem.message}"
            if problem.line is not None
            else f"{self.path}: {problem.message}"
            for problem in self.problems
        ]
        return "\n".join(lines)


class NotesError(InputFileError):
    """A talk-notes file that cannot be imported."""


class ReviewLogError(InputFileError):
    """A review-log CSV file that cannot be imported."""


class StoreError(EurekaError):
    """The database cannot be opened or used."""


class ReadOnlyError(StoreError):
    """Something was to be saved to a database that can only be read."""


class AnswerError(EurekaError):
    """A response that does not fit the question (a rating outside 1-4, an unknown option)."""
