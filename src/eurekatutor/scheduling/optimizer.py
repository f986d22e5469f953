"""Fitting FSRS parameters to the learner's own review log, with fsrs-rs-python (no torch)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import fsrs
import fsrs_rs_python

from eurekatutor.scheduling.queue import study_day_start

# As in Anki, too few reviews give parameters worse than the defaults.
MIN_REVIEWS_TO_FIT = 400


@dataclass(frozen=True)
class ReviewPoint:
    """One graded review of one fact, as the optimizer sees it."""

    fact_id: int
    reviewed_at: datetime
    rating: int


def fsrs_items(history: Sequence[ReviewPoint]) -> list[fsrs_rs_python.FSRSItem]:
    """Return the training items of a review log: for each fact, every prefix of its reviews
    that ends on a later study day than the review before (a long-term review).

    Elapsed time is counted in study days (a day starts at 4 a.m. local time), as FSRS expects.
    """
    by_fact: dict[int, list[ReviewPoint]] = defaultdict(list)
    for point in history:
        by_fact[point.fact_id].append(point)
    items = []
    for points in by_fact.values():
        points.sort(key=lambda point: point.reviewed_at)
        reviews = []
        previous_day: datetime | None = None
        for point in points:
            day = study_day_start(point.reviewed_at)
            elapsed = 0 if previous_day is None else round((day - previous_day).days)
            reviews.append(fsrs_rs_python.FSRSReview(point.rating, elapsed))
            previous_day = day
            if len(reviews) > 1 and elapsed > 0:
                items.append(fsrs_rs_python.FSRSItem(list(reviews)))
    return items


def fit_parameters(history: Sequence[ReviewPoint]) -> tuple[float, ...] | None:
    """Return FSRS parameters fitted to ``history``, or ``None`` when it is too short.

    Also ``None`` when the fit falls outside py-fsrs's bounds (the defaults stay then).
    """
    if len(history) < MIN_REVIEWS_TO_FIT:
        return None
    items = fsrs_items(history)
    if not items:
        return None
    model = fsrs_rs_python.FSRS(fsrs_rs_python.DEFAULT_PARAMETERS)
    parameters = tuple(float(value) for value in model.compute_parameters(items))
    try:
        fsrs.Scheduler(parameters=parameters)
    except ValueError:
        return None
    return parameters
