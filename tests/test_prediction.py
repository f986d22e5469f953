"""The format model and the learner's calibration of it."""

from __future__ import annotations

import math
import random

import pytest

from eurekatutor.domain.questions import QuestionKind
from eurekatutor.scheduling.prediction import (
    FORMAT_GUESS,
    MIN_CALIBRATION_ANSWERS,
    SLIP,
    Calibration,
    calibration_report,
    format_success,
)


def test_recognition_is_easier_than_recall_and_can_be_guessed() -> None:
    for recall in (0.1, 0.5, 0.9):
        choice = format_success(QuestionKind.CHOICE, recall)
        flashcard = format_success(QuestionKind.FLASHCARD, recall)
        typed = format_success(QuestionKind.TYPED, recall)
        assert choice > flashcard > typed
    assert format_success(QuestionKind.CHOICE, 0.0) == 0.25
    assert format_success(QuestionKind.TRUEFALSE, 0.0) == 0.5
    assert format_success(QuestionKind.ORDER, 0.0, items=3) == pytest.approx(1 / 6)


def test_no_prediction_is_certain() -> None:
    # A slip: a fact known perfectly is still answered wrong now and then, in every format.
    for kind in QuestionKind:
        assert format_success(kind, 1.0) == pytest.approx(1 - (1 - FORMAT_GUESS[kind]) * SLIP)
        assert format_success(kind, 1.0) < 1.0


def test_too_few_answers_keep_the_identity() -> None:
    history = [(QuestionKind.CLOZE, 0.9, False)] * (MIN_CALIBRATION_ANSWERS - 1)
    assert Calibration.fit(history).apply(QuestionKind.CLOZE, 0.9) == 0.9


def test_the_fit_learns_an_overconfident_model_without_diverging() -> None:
    # Most predictions near certainty, about half right: a plain Newton step diverged here
    # and predicted almost nothing for every recall question.
    rng = random.Random(7)
    history = [
        (QuestionKind.CLOZE, rng.uniform(0.97, 0.999), rng.random() < 0.5) for _ in range(300)
    ]
    calibration = Calibration.fit(history)
    calibrated = calibration.apply(QuestionKind.CLOZE, 0.98)
    assert 0.35 < calibrated < 0.65
    assert all(math.isfinite(value) for value in calibration.recall)
    # Recognition had no answers: it stays as the model says.
    assert calibration.apply(QuestionKind.CHOICE, 0.7) == 0.7


def test_a_calibrated_model_stays_about_the_same() -> None:
    rng = random.Random(3)
    history = []
    for _ in range(2000):
        p = rng.uniform(0.05, 0.95)
        history.append((QuestionKind.TYPED, p, rng.random() < p))
    a, b = Calibration.fit(history).recall
    assert abs(a) < 0.2 and abs(b - 1) < 0.2


def test_the_report_beats_a_constant_predictor_when_predictions_carry_information() -> None:
    rng = random.Random(5)
    history = []
    for _ in range(1000):
        p = rng.choice([0.2, 0.9])
        history.append((p, rng.random() < p))
    report = calibration_report(history)
    assert report.log_loss < report.baseline_log_loss and report.skill > 0.2
    assert [row.low for row in report.rows] == [0.2, 0.9]
    assert abs(report.rows[0].actual - 0.2) < 0.06 and abs(report.rows[1].actual - 0.9) < 0.04
