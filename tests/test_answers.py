"""Answer checking and the text helpers behind questions."""

from __future__ import annotations

import pytest

from eurekatutor.domain.answers import DiffPart, diff_answer, lenient_match
from eurekatutor.domain.text import fold_answer, parse_number


@pytest.mark.parametrize(
    ("typed", "expected", "verdict"),
    [
        ("decade", "decade", (True, False)),
        ("The Decade!", "decade", (True, False)),
        ("decdae", "decade", (True, True)),  # two letters swapped: one edit
        ("reinforcment lerning", "reinforcement learning", (True, True)),
        ("dec", "decade", (False, False)),
        ("cat", "bat", (False, False)),  # short answers forgive nothing
        ("10", "about 10", (True, False)),
        ("ten", "about 10", (True, False)),
        ("20 billion", "about 20B parameters", (True, False)),
        ("a hundred", "100", (True, False)),
        ("11", "about 10", (False, False)),
        ("Karpathy", "Andrej Karpathy", (False, False)),  # a surname only when told it is one
        ("Academy", "Starfleet Academy", (False, False)),
        ("", "decade", (False, False)),
        ("a", "A", (True, False)),
    ],
)
def test_lenient_match(typed: str, expected: str, verdict: tuple[bool, bool]) -> None:
    assert lenient_match(typed, expected) == verdict


def test_the_diff_shows_extra_and_missing_words() -> None:
    assert diff_answer("the decade of agent", "decade of agents") == [
        DiffPart("extra", "the"),
        DiffPart("same", "decade of"),
        DiffPart("extra", "agent"),
        DiffPart("missing", "agents"),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("about 10", 10),
        ("20B", 20e9),
        ("a billion", 1e9),
        ("1.5 million", 1.5e6),
        ("twenty five", 25),
        ("10x", 10),
        ("within minutes", None),
        ("10 or 20", None),
    ],
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def test_fold_answer_drops_case_punctuation_and_articles() -> None:
    assert fold_answer("  The Ghosts, not an Animal! ") == "ghosts not animal"
