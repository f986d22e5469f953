"""The typed-answer grader against the graded-answer corpus: no false accept, high recall."""

from __future__ import annotations

from conftest import load_benchmark

grading = load_benchmark("grading")
# The corpus's known false rejects (abbreviations, a verb for its noun, a decade for ten
# years) are listed in it as right answers; the grader may miss no more than these.
MIN_RECALL = 0.95


def test_the_corpus_is_large_and_balanced() -> None:
    cases = grading.read_corpus()
    assert len(cases) >= 150
    assert sum(case.right for case in cases) >= 60
    assert sum(not case.right for case in cases) >= 60


def test_the_grader_accepts_no_wrong_answer_in_the_corpus() -> None:
    report = grading.grade(grading.read_corpus())
    assert [(case.line, case.response, case.expected) for case in report.false_accepts] == []
    assert report.precision == 1.0


def test_the_grader_accepts_nearly_every_right_answer_in_the_corpus() -> None:
    report = grading.grade(grading.read_corpus())
    assert report.recall >= MIN_RECALL, [case.response for case in report.false_rejects]
