"""The typed-answer grader against a corpus of graded answers: precision and recall.

Run with ``python benchmarks/grading.py [CORPUS.csv]``. Each row of the corpus
(``tests/data/graded_answers.csv`` by default) is an expected answer, a response, the verdict
a careful teacher gives (``right`` or ``wrong``), the other answers the question accepts
(``also``: a person's surname, separated by ``;``), the question's words (``context``) and why.
Precision is the share of accepted responses that are right (a false accept lets a learner
through on a wrong answer); recall the share of right responses accepted.
"""

from __future__ import annotations

import argparse
import csv
from dataclasses import dataclass
from pathlib import Path

from eurekatutor.scheduling.grading import lenient_match

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "graded_answers.csv"


@dataclass(frozen=True)
class Case:
    """One graded answer of the corpus, with its line in the file."""

    line: int
    expected: str
    response: str
    right: bool
    also: tuple[str, ...]
    context: str
    why: str

    def accepted(self) -> bool:
        """Return whether the grader accepts the response."""
        return lenient_match(self.response, self.expected, self.also, self.context)[0]


def read_corpus(path: Path = CORPUS) -> list[Case]:
    """Return the cases of a corpus file."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Case(
                line,
                row["expected"],
                row["response"],
                row["verdict"] == "right",
                tuple(name for name in row["also"].split(";") if name),
                row["context"],
                row["why"],
            )
            for line, row in enumerate(csv.DictReader(handle), start=2)
        ]


@dataclass(frozen=True)
class Report:
    """The grader's errors on a corpus and its precision and recall."""

    cases: int
    false_accepts: list[Case]
    false_rejects: list[Case]
    accepted: int
    right: int

    @property
    def precision(self) -> float:
        return (self.accepted - len(self.false_accepts)) / self.accepted if self.accepted else 1.0

    @property
    def recall(self) -> float:
        return (self.right - len(self.false_rejects)) / self.right if self.right else 1.0


def grade(cases: list[Case]) -> Report:
    """Return how the grader does on ``cases``."""
    verdicts = [(case, case.accepted()) for case in cases]
    return Report(
        cases=len(cases),
        false_accepts=[case for case, accepted in verdicts if accepted and not case.right],
        false_rejects=[case for case, accepted in verdicts if case.right and not accepted],
        accepted=sum(accepted for _, accepted in verdicts),
        right=sum(case.right for case in cases),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    report = grade(read_corpus(parser.parse_args().corpus))
    print(
        f"{report.cases} graded answers ({report.right} right, {report.cases - report.right}"
        f" wrong): precision {report.precision:.3f}, recall {report.recall:.3f}"
    )
    for title, found in (
        ("false accepts", report.false_accepts),
        ("false rejects", report.false_rejects),
    ):
        print(f"{title}: {len(found)}")
        for case in found:
            print(f"  line {case.line}: {case.response!r} for {case.expected!r} ({case.why})")


if __name__ == "__main__":
    main()
