"""The review log as CSV in the FSRS optimizer's columns: writing it and reading it back."""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from eurekatutor.domain.reading import NotARegularFile, open_regular
from eurekatutor.errors import Problem, ReviewLogError

# The FSRS optimizer's review-log columns; ``review_state`` and ``review_duration`` may be empty.
FSRS_COLUMNS = ("card_id", "review_time", "review_rating", "review_state", "review_duration")
# Ours, after them: which fact a row is about, so a log moves between databases.
FACT_COLUMNS = ("talk", "fact_key")
REQUIRED = ("card_id", "review_time", "review_rating")
# Card states as the optimizer numbers them.
STATES = {"new": 0, "learning": 1, "review": 2, "relearning": 3}
# A review log of 100,000 answers is about 6 MB. It is read as it is imported, a batch of
# rows at a time, so the cap bounds the time an import takes, not its memory.
MAX_LOG_BYTES = 64 * 1024 * 1024
BATCH_ROWS = 5_000
# A row of a review log is short: a longer line is something else (and is never read whole).
MAX_LINE_BYTES = 64 * 1024
MAX_PROBLEMS = 20
# Times outside these years are typing mistakes or seconds taken for milliseconds.
_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
_LATEST = datetime(2100, 1, 1, tzinfo=UTC)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)


@dataclass(frozen=True)
class LoggedReview:
    """One row of a review log: a graded answer about a card at a time (UTC).

    ``talk`` and ``fact_key`` name the fact when the log came from EurekaTutor; ``line`` is
    the row's line in the file it was read from (0 for a row about to be written).
    """

    card_id: str
    reviewed_at: datetime
    rating: int
    state: int | None = None
    duration_ms: int | None = None
    talk: str | None = None
    fact_key: str | None = None
    line: int = 0


@dataclass(frozen=True)
class ReviewLogReport:
    """What importing a review log did."""

    added: int
    facts: int
    already_there: int
    unknown: int

    def __str__(self) -> str:
        text = f"{self.added} reviews added to {self.facts} facts"
        if self.already_there:
            text += f", {self.already_there} already there"
        if self.unknown:
            text += f", {self.unknown} about cards not in this database (left out)"
        return text


def log_milliseconds(when: datetime) -> int:
    """Return the ``review_time`` a log keeps of a time: its milliseconds since 1970, the
    microseconds cut, never rounded (an answer logged again is known by it: the store
    compares its answers' times cut the same way)."""
    return (when - _EPOCH) // _MILLISECOND


def format_review_log(reviews: Iterable[LoggedReview]) -> str:
    """Return the CSV text of a review log: a header row, then one row per review."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FSRS_COLUMNS + FACT_COLUMNS)
    for review in reviews:
        writer.writerow(
            (
                review.card_id,
                log_milliseconds(review.reviewed_at),
                review.rating,
                "" if review.state is None else review.state,
                "" if review.duration_ms is None else review.duration_ms,
                review.talk or "",
                review.fact_key or "",
            )
        )
    return out.getvalue()


def read_review_log(
    path: str | Path, *, not_after: datetime | None = None, batch_size: int | None = None
) -> Iterator[list[LoggedReview]]:
    """Yield the rows of a review-log CSV file (ours, or any with the FSRS optimizer's
    columns) ``batch_size`` (by default ``BATCH_ROWS``) at a time, reading the file as they
    are used: never all of it, nor all of its rows, at once.

    ``not_after`` refuses answers dated after it (in the future). Raises ``ReviewLogError``
    naming the file, and the line of every bad row, once the whole file has been read (or
    at once, for a file that is not CSV text at all); no batch is yielded after a bad row.
    So a caller that keeps what it is given to write once the last batch has come writes
    nothing of a file with a bad line anywhere.
    """
    path = Path(path)
    try:
        stream = open_regular(path)
    except NotARegularFile as error:
        raise ReviewLogError(path, [Problem(None, f"{error}; give a CSV file")]) from None
    except OSError as error:
        raise ReviewLogError(path, [Problem(None, f"cannot read it: {error.strerror}")]) from error
    with stream:
        if os.fstat(stream.fileno()).st_size > MAX_LOG_BYTES:
            raise ReviewLogError(path, [_TOO_LARGE])
        yield from _batches(_lines_of(stream), path, not_after, batch_size or BATCH_ROWS)


def parse_review_log(
    text: str, path: str | Path = "<review log>", *, not_after: datetime | None = None
) -> list[LoggedReview]:
    """Parse review-log CSV text; raise ``ReviewLogError`` listing every bad row."""
    # Lines end where a file's do (at \n, \r or \r\n), not at str.splitlines' other breaks.
    lines = io.StringIO(text, newline="")
    return [row for batch in _batches(lines, path, not_after, BATCH_ROWS) for row in batch]


class _Unreadable(Exception):
    """A line that is not CSV text at all: reading stops there."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.message)


_TOO_LARGE = Problem(None, f"larger than {MAX_LOG_BYTES // (1024 * 1024)} MB; split it")


def _lines_of(stream: BinaryIO) -> Iterator[str]:
    """Yield the lines of a UTF-8 file as text, one at a time, each with its line ending.

    Raises ``_Unreadable`` at a line that is not UTF-8, holds a NUL byte or is too long to be
    a row of a review log, and when more than ``MAX_LOG_BYTES`` have been read.
    """
    number = read = 0
    while chunk := stream.readline(MAX_LINE_BYTES + 1):
        read += len(chunk)
        if read > MAX_LOG_BYTES:
            raise _Unreadable(_TOO_LARGE)
        if number == 0:
            chunk = chunk.removeprefix(codecs.BOM_UTF8)
        # A chunk ends at \n; an old Mac file's lines end at \r, within it.
        for raw in chunk.splitlines(keepends=True):
            number += 1
            if len(raw) > MAX_LINE_BYTES:
                limit = MAX_LINE_BYTES // 1024
                raise _Unreadable(
                    Problem(number, f"a line longer than {limit} KB: this is not a review log")
                )
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                raise _Unreadable(
                    Problem(number, "not UTF-8 text; save the log as UTF-8 CSV")
                ) from None


def _batches(
    lines: Iterable[str], path: str | Path, not_after: datetime | None, size: int
) -> Iterator[list[LoggedReview]]:
    """Yield the reviews of CSV lines ``size`` at a time until a bad row; raise
    ``ReviewLogError`` listing every bad row (up to ``MAX_PROBLEMS``) at the end."""
    reader = csv.reader(_without_nul(lines), strict=True)
    problems: list[Problem] = []
    batch: list[LoggedReview] = []
    try:
        header = [name.strip() for name in next(reader, [])]
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            wanted = ", ".join(FSRS_COLUMNS)
            raise ReviewLogError(
                path,
                [Problem(1, f"the header lacks {', '.join(missing)}; the columns are {wanted}")],
            )
        columns = _Columns.of(header)
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            try:
                review = _review(row, columns, reader.line_num, not_after)
            except ValueError as error:
                problems.append(Problem(reader.line_num, str(error)))
                if len(problems) == MAX_PROBLEMS:
                    problems.append(Problem(None, "stopped after this many problems"))
                    break
                continue
            if problems:
                continue  # the file is refused: only its problems are wanted now
            batch.append(review)
            if len(batch) == size:
                yield batch
                batch = []
    except _Unreadable as error:
        raise ReviewLogError(path, [*problems, error.problem]) from None
    except csv.Error as error:
        problem = Problem(reader.line_num, f"not valid CSV: {error}")
        raise ReviewLogError(path, [*problems, problem]) from None
    if problems:
        raise ReviewLogError(path, problems)
    if batch:
        yield batch


def _without_nul(lines: Iterable[str]) -> Iterator[str]:
    """Yield the lines; raise ``_Unreadable`` at one that holds a NUL character."""
    for number, line in enumerate(lines, start=1):
        if "\0" in line:
            raise _Unreadable(Problem(number, "holds a NUL byte: this is not a CSV file"))
        yield line


@dataclass(frozen=True)
class _Columns:
    """Where each column is in a row (``None``: the header has none), and how many fields
    a row needs."""

    card_id: int
    review_time: int
    review_rating: int
    review_state: int | None
    review_duration: int | None
    talk: int | None
    fact_key: int | None
    width: int

    @classmethod
    def of(cls, header: list[str]) -> _Columns:
        """Return the columns of a header that has the ``REQUIRED`` ones."""

        def at(name: str) -> int | None:
            return header.index(name) if name in header else None

        card_id, review_time, review_rating = (header.index(name) for name in REQUIRED)
        state, duration, talk, fact_key = (
            at(name) for name in ("review_state", "review_duration", *FACT_COLUMNS)
        )
        found = [i for i in (state, duration, talk, fact_key) if i is not None]
        width = 1 + max(card_id, review_time, review_rating, *found)
        return cls(card_id, review_time, review_rating, state, duration, talk, fact_key, width)


def _review(
    row: list[str], columns: _Columns, line: int, not_after: datetime | None = None
) -> LoggedReview:
    """Return one row as a review; raise ``ValueError`` saying what is wrong with it."""
    if len(row) < columns.width:
        raise ValueError(f"{len(row)} fields where the header needs {columns.width}")
    card_id = row[columns.card_id].strip()
    if not card_id:
        raise ValueError("card_id is empty")
    milliseconds = _integer(row[columns.review_time], "review_time (milliseconds since 1970)")
    try:
        reviewed_at = datetime.fromtimestamp(milliseconds / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        reviewed_at = _LATEST
    if not _EARLIEST <= reviewed_at < _LATEST:
        raise ValueError(
            f"review_time {milliseconds} is not a time between 2000 and 2100 in milliseconds"
        )
    if not_after is not None and reviewed_at > not_after:
        # Such an answer would take its fact out of study until that date.
        raise ValueError(
            f"the answer is dated {reviewed_at:%Y-%m-%d %H:%M} UTC, in the future; fix the "
            "row or the clock that wrote it"
        )
    rating = _integer(row[columns.review_rating], "review_rating")
    if rating not in (1, 2, 3, 4):
        raise ValueError(f"review_rating {rating} is not 1 (again), 2, 3 or 4 (easy)")
    state = _optional_integer(row, columns.review_state, "review_state")
    if state is not None and state not in STATES.values():
        raise ValueError(f"review_state {state} is not 0 (new), 1, 2 or 3 (relearning)")
    duration = _optional_integer(row, columns.review_duration, "review_duration")
    if duration is not None and duration < 0:
        raise ValueError(f"review_duration {duration} is negative")
    return LoggedReview(
        card_id=card_id,
        reviewed_at=reviewed_at,
        rating=rating,
        state=state,
        duration_ms=duration,
        talk=_text(row, columns.talk),
        fact_key=_text(row, columns.fact_key),
        line=line,
    )


def _integer(text: str, name: str) -> int:
    try:
        return int(text)  # int() allows the spaces around a number
    except ValueError:
        raise ValueError(f"{name} {text.strip()[:40]!r} is not a whole number") from None


def _optional_integer(row: list[str], index: int | None, name: str) -> int | None:
    text = _text(row, index)
    return None if text is None else _integer(text, name)


def _text(row: list[str], index: int | None) -> str | None:
    """Return a cell without the spaces around it, or ``None`` when it is empty or absent."""
    return (row[index].strip() or None) if index is not None else None
