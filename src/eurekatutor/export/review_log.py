"""Writing the review log as a CSV file for the FSRS optimizer tools."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from eurekatutor.domain.review_log import LoggedReview, format_review_log
from eurekatutor.export.files import write_atomically


def write_review_log(path: Path, reviews: Sequence[LoggedReview]) -> None:
    """Write the reviews as CSV, whole or not at all; raise ``ExportError`` if it cannot."""
    data = format_review_log(reviews).encode("utf-8")

    def write(raw: BinaryIO) -> None:
        raw.write(data)

    write_atomically(path, write)
