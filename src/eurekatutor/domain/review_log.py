"""The review log as CSV in the FSRS optimizer's columns: writing it and reading it back."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from eurekatutor.domain.reading import NotARegularFile, read_limited
from eurekatutor.errors import Problem, ReviewLogError

# The FSRS optimizer's review-log columns; ``review_state`` and ``review_duration`` may be empty.
FSRS_COLUMNS = ("card_id", "review_time", "review_rating", "review_state", "review_duration")
# Ours, after them: which fact a row is about, so a log moves between databases.
FACT_COLUMNS = ("talk", "fact_key")
REQUIRED = ("card_id", "review_time", "review_rating")
# Card states as the optimizer numbers them.
STATES = {"new": 0, "learning": 1, "review": 2, "relearning": 3}
# A review log of 100,000 answers is about 6 MB.
MAX_LOG_BYTES = 64 * 1024 * 1024
MAX_PROBLEMS = 20
# Times outside these years are typing mistakes or seconds taken for milliseconds.
_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
_LATEST = datetime(2100, 1, 1, tzinfo=UTC)


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


def format_review_log(reviews: Iterable[LoggedReview]) -> str:
    """Return the CSV text of a review log: a header row, then one row per review."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FSRS_COLUMNS + FACT_COLUMNS)
    for review in reviews:
        writer.writerow(
            (
                review.card_id,
                round(review.reviewed_at.timestamp() * 1000),
                review.rating,
                "" if review.state is None else review.state,
                "" if review.duration_ms is None else review.duration_ms,
                review.talk or "",
                review.fact_key or "",
            )
        )
    return out.getvalue()


def read_review_log(path: str | Path) -> list[LoggedReview]:
    """Read a review-log CSV file (ours, or any with the FSRS optimizer's columns).

    Raises ``ReviewLogError`` naming the file, and the line of every bad row, when the file
    cannot be read or any row is wrong; then nothing of it is used.
    """
    path = Path(path)
    try:
        data = read_limited(path, MAX_LOG_BYTES)
    except NotARegularFile as error:
        raise ReviewLogError(path, [Problem(None, f"{error}; give a CSV file")]) from None
    except OSError as error:
        raise ReviewLogError(path, [Problem(None, f"cannot read it: {error.strerror}")]) from error
    if len(data) > MAX_LOG_BYTES:
        limit = MAX_LOG_BYTES // (1024 * 1024)
        raise ReviewLogError(path, [Problem(None, f"larger than {limit} MB; split it")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ReviewLogError(
            path, [Problem(line, "not UTF-8 text; save the log as UTF-8 CSV")]
        ) from None
    return parse_review_log(text, path)


def parse_review_log(text: str, path: str | Path = "<review log>") -> list[LoggedReview]:
    """Parse review-log CSV text; raise ``ReviewLogError`` listing every bad row."""
    if "\0" in text:
        line = text[: text.index("\0")].count("\n") + 1
        raise ReviewLogError(path, [Problem(line, "holds a NUL byte: this is not a CSV file")])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            wanted = ", ".join(FSRS_COLUMNS)
            raise ReviewLogError(
                path,
                [Problem(1, f"the header lacks {', '.join(missing)}; the columns are {wanted}")],
            )
        columns = {
            name: header.index(name) for name in FSRS_COLUMNS + FACT_COLUMNS if name in header
        }
        reviews: list[LoggedReview] = []
        problems: list[Problem] = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            try:
                reviews.append(_review(row, columns, reader.line_num))
            except ValueError as error:
                problems.append(Problem(reader.line_num, str(error)))
                if len(problems) == MAX_PROBLEMS:
                    problems.append(Problem(None, "stopped after this many problems"))
                    break
    except csv.Error as error:
        raise ReviewLogError(path, [Problem(reader.line_num, f"not valid CSV: {error}")]) from None
    if problems:
        raise ReviewLogError(path, problems)
    return reviews


def _review(row: list[str], columns: dict[str, int], line: int) -> LoggedReview:
    """Return one row as a review; raise ``ValueError`` saying what is wrong with it."""
    width = max(columns.values()) + 1
    if len(row) < width:
        raise ValueError(f"{len(row)} fields where the header needs {width}")
    cell = {name: row[index].strip() for name, index in columns.items()}
    card_id = cell["card_id"]
    if not card_id:
        raise ValueError("card_id is empty")
    milliseconds = _integer(cell["review_time"], "review_time (milliseconds since 1970)")
    try:
        reviewed_at = datetime.fromtimestamp(milliseconds / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        reviewed_at = _LATEST
    if not _EARLIEST <= reviewed_at < _LATEST:
        raise ValueError(
            f"review_time {milliseconds} is not a time between 2000 and 2100 in milliseconds"
        )
    rating = _integer(cell["review_rating"], "review_rating")
    if rating not in (1, 2, 3, 4):
        raise ValueError(f"review_rating {rating} is not 1 (again), 2, 3 or 4 (easy)")
    state = _optional_integer(cell.get("review_state", ""), "review_state")
    if state is not None and state not in STATES.values():
        raise ValueError(f"review_state {state} is not 0 (new), 1, 2 or 3 (relearning)")
    duration = _optional_integer(cell.get("review_duration", ""), "review_duration")
    if duration is not None and duration < 0:
        raise ValueError(f"review_duration {duration} is negative")
    return LoggedReview(
        card_id=card_id,
        reviewed_at=reviewed_at,
        rating=rating,
        state=state,
        duration_ms=duration,
        talk=cell.get("talk") or None,
        fact_key=cell.get("fact_key") or None,
        line=line,
    )


def _integer(text: str, name: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{name} {text[:40]!r} is not a whole number") from None


def _optional_integer(text: str, name: str) -> int | None:
    return _integer(text, name) if text else None
