"""Predicted success per question format, and its calibration on the learner's own history."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from eurekatutor.domain.questions import RECOGNITION, QuestionKind

# How much easier or harder each format is than recalling the fact: predicted success is
# guess + (1 - guess) * (1 - SLIP) * recall ** exponent. Recognising among four options is
# easier than recalling (exponent < 1) and can be guessed; typing the exact phrase is harder
# than grading oneself on a flashcard.
FORMAT_GUESS = {
    QuestionKind.CHOICE: 0.25,
    QuestionKind.TRUEFALSE: 0.5,
    QuestionKind.FLASHCARD: 0.0,
    QuestionKind.CLOZE: 0.0,
    QuestionKind.TYPED: 0.0,
    QuestionKind.ORDER: 0.0,
}
FORMAT_EXPONENT = {
    QuestionKind.CHOICE: 0.5,
    QuestionKind.TRUEFALSE: 0.5,
    QuestionKind.FLASHCARD: 1.0,
    QuestionKind.CLOZE: 1.4,
    QuestionKind.TYPED: 1.4,
    QuestionKind.ORDER: 1.2,
}
# Before a fact is studied, the chance the learner recalls it anyway (general knowledge,
# inference from the talk's other facts); placement raises it for topics already known.
NEW_FACT_RECALL = 0.3
# Even a fact well known is sometimes answered wrong (a slip of attention or of the key): no
# prediction is certain. Success is guess + (1 - guess) * (1 - SLIP) * recall ** exponent.
SLIP = 0.03
MIN_CALIBRATION_ANSWERS = 40
MIN_SLOPE = 0.05
_EPSILON = 1e-4


def format_success(kind: QuestionKind, recall: float, items: int = 0) -> float:
    """Return the chance of answering a ``kind`` question right given the fact's recall."""
    guess = FORMAT_GUESS[kind]
    if kind is QuestionKind.ORDER and items >= 2:
        guess = 1 / math.factorial(items)
    recall = min(1.0, max(0.0, recall))
    return float(guess + (1 - guess) * (1 - SLIP) * recall ** FORMAT_EXPONENT[kind])


def logit(p: float) -> float:
    """Return log(p / (1 - p)), with p kept away from 0 and 1."""
    p = min(1 - _EPSILON, max(_EPSILON, p))
    return math.log(p / (1 - p))


def sigmoid(x: float) -> float:
    """Return 1 / (1 + e^-x)."""
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


@dataclass(frozen=True)
class Calibration:
    """A learner's correction of the format model: p' = sigmoid(a + b * logit(p)) per group.

    Groups are recognition (choice, true/false) and recall (the rest); the identity until the
    learner has ``MIN_CALIBRATION_ANSWERS`` answers in a group.
    """

    recognition: tuple[float, float] = (0.0, 1.0)
    recall: tuple[float, float] = (0.0, 1.0)

    def apply(self, kind: QuestionKind, p: float) -> float:
        """Return the calibrated probability for a ``kind`` question the model gives ``p``."""
        a, b = self.recognition if kind in RECOGNITION else self.recall
        if (a, b) == (0.0, 1.0):
            return p
        return sigmoid(a + b * logit(p))

    @classmethod
    def fit(cls, history: Sequence[tuple[QuestionKind, float, bool]]) -> Calibration:
        """Return the calibration that best explains ``history`` of (kind, model p, correct)."""
        groups: dict[bool, list[tuple[float, bool]]] = {True: [], False: []}
        for kind, p, correct in history:
            groups[kind in RECOGNITION].append((p, correct))
        return cls(recognition=_platt(groups[True]), recall=_platt(groups[False]))


def _platt(samples: Sequence[tuple[float, bool]]) -> tuple[float, float]:
    """Fit (a, b) by damped Newton steps on the log loss, shrunk towards the identity (0, 1).

    Each step is halved until the loss goes down: a plain Newton step diverges when most
    predictions sit near 0 or 1.
    """
    if len(samples) < MIN_CALIBRATION_ANSWERS:
        return (0.0, 1.0)
    points = [(logit(p), 1.0 if correct else 0.0) for p, correct in samples]
    ridge = 1.0  # a prior worth about one answer at each end keeps small samples sane
    # The loops below run over every answer many times: sigmoid is written out and the log
    # loss takes the one term that is not zero, which gives the same numbers, several times
    # faster.
    exp, log = math.exp, math.log
    low, high = _EPSILON, 1 - _EPSILON

    def loss(a: float, b: float) -> float:
        total = 0.5 * ridge * (a * a + (b - 1) ** 2)
        for x, y in points:
            z = a + b * x
            if z >= 0:
                q = 1 / (1 + exp(-z))
            else:
                e = exp(z)
                q = e / (1 + e)
            q = low if q < low else high if q > high else q
            total -= log(q) if y else log(1 - q)
        return total

    a, b = 0.0, 1.0
    current = loss(a, b)
    for _ in range(50):
        ga, gb = ridge * a, ridge * (b - 1)
        haa, hab, hbb = ridge, 0.0, ridge
        for x, y in points:
            z = a + b * x
            if z >= 0:
                q = 1 / (1 + exp(-z))
            else:
                e = exp(z)
                q = e / (1 + e)
            error, weight = q - y, q * (1 - q)
            ga += error
            gb += error * x
            haa += weight
            hab += weight * x
            hbb += weight * x * x
        det = haa * hbb - hab * hab
        if det <= 1e-12:
            break
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        step = 1.0
        # The slope stays positive (a higher model prediction never means a lower chance).
        while step > 1e-3:
            tried = loss(a - step * da, max(MIN_SLOPE, b - step * db))
            if tried <= current:
                break
            step /= 2
        if step <= 1e-3:
            break
        moved = abs(step * da) + abs(max(MIN_SLOPE, b - step * db) - b)
        a, b = a - step * da, max(MIN_SLOPE, b - step * db)
        current = tried
        if moved < 1e-7:
            break
    return (a, b)


@dataclass(frozen=True)
class ReliabilityRow:
    """One decile of predictions: how many, the mean predicted, and the share actually right."""

    low: float
    high: float
    count: int
    predicted: float
    actual: float


@dataclass(frozen=True)
class CalibrationReport:
    """How well predictions matched answers: log loss against a constant predictor, by decile."""

    answers: int
    log_loss: float
    baseline_log_loss: float
    success_rate: float
    rows: tuple[ReliabilityRow, ...]

    @property
    def skill(self) -> float:
        """Return the share of the constant predictor's log loss that the tutor removes."""
        if self.baseline_log_loss <= 0:
            return 0.0
        return 1 - self.log_loss / self.baseline_log_loss


def calibration_report(predictions: Iterable[tuple[float, bool]]) -> CalibrationReport:
    """Return the calibration of (predicted, right) pairs: the log loss against always
    predicting the success rate, and a reliability row per decile of the prediction.

    The predictions right and wrong are sorted apart, so that the clamping, the deciles and
    the sums are slices and built-in sums: on hundreds of thousands of answers, several
    times quicker than a loop.
    """
    right: list[float] = []
    wrong: list[float] = []
    for predicted, correct in predictions:
        (right if correct else wrong).append(predicted)
    answers = len(right) + len(wrong)
    if not answers:
        return CalibrationReport(0, 0.0, 0.0, 0.0, ())
    right.sort()
    wrong.sort()
    low, high = _EPSILON, 1 - _EPSILON
    log = math.log
    # Each prediction is kept within [low, high]: those below and above are the ends.
    start, end = bisect_left(right, low), bisect_right(right, high)
    loss = -(
        math.fsum(map(log, right[start:end])) + start * log(low) + (len(right) - end) * log(high)
    )
    start, end = bisect_left(wrong, low), bisect_right(wrong, high)
    loss -= (
        math.fsum(map(log, (1 - p for p in wrong[start:end])))
        + start * log(1 - low)
        + (len(wrong) - end) * log(1 - high)
    )
    rate = len(right) / answers
    constant = min(high, max(low, rate))
    # The constant predictor's loss, summed by outcome rather than answer by answer.
    baseline = -(len(right) * log(constant) + len(wrong) * log(1 - constant)) / answers
    # Decile k holds k/10 <= p < (k+1)/10, and the last one p = 1 too; predictions outside
    # [0, 1] are in none.
    edges = [decile / 10 for decile in range(11)]
    rows = []
    for decile in range(10):
        first, last = edges[decile], edges[decile + 1]
        hits = _between(right, first, last, decile == 9)
        misses = _between(wrong, first, last, decile == 9)
        count = len(hits) + len(misses)
        if count:
            rows.append(
                ReliabilityRow(
                    low=first,
                    high=last,
                    count=count,
                    predicted=(math.fsum(hits) + math.fsum(misses)) / count,
                    actual=len(hits) / count,
                )
            )
    return CalibrationReport(answers, loss / answers, baseline, rate, tuple(rows))


def _between(ordered: list[float], low: float, high: float, closed: bool) -> list[float]:
    """Return the values of a sorted list in [low, high), or [low, high] if ``closed``."""
    end = bisect_right(ordered, high) if closed else bisect_left(ordered, high)
    return ordered[bisect_left(ordered, low) : end]
