"""Answer checking: ratings, options, lenient typed answers with a diff, and orderings."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from eurekatutor.domain.models import normalise
from eurekatutor.domain.questions import FALSE, TRUE, Question, QuestionKind
from eurekatutor.domain.text import fold_answer, parse_number
from eurekatutor.errors import AnswerError

Response = int | str | bool | Sequence[str]
RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


@dataclass(frozen=True)
class DiffPart:
    """A piece of a typed answer compared with the expected one.

    ``kind`` is ``same`` (typed as expected), ``extra`` (typed but not expected) or ``missing``
    (expected but not typed).
    """

    kind: str
    text: str


@dataclass(frozen=True)
class Verdict:
    """Whether a response is correct; ``forgiven`` when accepted despite a small typo.

    ``rating`` is the flashcard rating given, ``None`` for other formats; ``diff`` compares a
    typed answer with the expected one.
    """

    correct: bool
    response: str
    forgiven: bool = False
    rating: int | None = None
    diff: tuple[DiffPart, ...] = ()


def check_answer(question: Question, response: Response) -> Verdict:
    """Return the verdict on ``response`` to ``question``.

    Raises ``AnswerError`` when the response does not fit the question's kind: a rating outside
    1-4, an option that is not offered, an ordering that is not a permutation of the items.
    """
    match question.kind:
        case QuestionKind.FLASHCARD:
            rating = _rating(response)
            return Verdict(correct=rating > 1, response=str(rating), rating=rating)
        case QuestionKind.CHOICE | QuestionKind.TRUEFALSE:
            chosen = _option(question, response)
            return Verdict(correct=chosen == question.expected, response=chosen)
        case QuestionKind.ORDER:
            order = _ordering(question, response)
            return Verdict(correct=order == list(question.expected), response=" → ".join(order))
        case QuestionKind.CLOZE | QuestionKind.TYPED:
            if not isinstance(response, str):
                raise AnswerError(f"a {question.kind} answer is text, not {response!r}")
            expected = str(question.expected)
            correct, forgiven = lenient_match(response, expected)
            return Verdict(
                correct=correct,
                response=response.strip(),
                forgiven=forgiven,
                diff=tuple(diff_answer(response.strip(), expected)),
            )
    raise AnswerError(f"unknown question kind {question.kind!r}")  # pragma: no cover


def lenient_match(response: str, expected: str) -> tuple[bool, bool]:
    """Return (correct, forgiven): case, punctuation, articles and small typos are forgiven.

    Numbers compare as numbers (``"10"`` matches ``"about ten"``); a person's surname alone
    matches their full name. A typo is forgiven when the edit distance (a swap of two letters
    counting as one edit) is at most one per six characters of the expected answer.
    """
    wanted, given = fold_answer(expected), fold_answer(response)
    if not given:
        return False, False
    if wanted == given:
        return True, False
    expected_number = parse_number(expected)
    if expected_number is not None:
        given_number = parse_number(response)
        return given_number is not None and abs(given_number - expected_number) < 1e-9 * max(
            1.0, abs(expected_number)
        ), False
    if _is_name(expected) and len(wanted.split()) > 1:
        wanted = wanted.split()[-1] if len(given.split()) == 1 else wanted
    allowed = max(1, len(wanted) // 6) if len(wanted) >= 4 else 0
    distance = OSA.distance(given, wanted, score_cutoff=allowed + 1)
    if distance == 0:
        return True, False
    return (True, True) if distance <= allowed else (False, False)


def _is_name(text: str) -> bool:
    return all(word[:1].isupper() for word in text.split())


def diff_answer(response: str, expected: str) -> list[DiffPart]:
    """Return the word-level differences of a typed answer against the expected one."""
    typed, wanted = response.split(), expected.split()
    matcher = difflib.SequenceMatcher(
        a=[normalise(word) for word in typed],
        b=[normalise(word) for word in wanted],
        autojunk=False,
    )
    parts: list[DiffPart] = []
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(DiffPart("same", " ".join(wanted[b0:b1])))
            continue
        if a1 > a0:
            parts.append(DiffPart("extra", " ".join(typed[a0:a1])))
        if b1 > b0:
            parts.append(DiffPart("missing", " ".join(wanted[b0:b1])))
    return parts


def _rating(response: Response) -> int:
    try:
        rating = int(response)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        rating = 0
    if rating not in RATINGS or isinstance(response, bool):
        raise AnswerError(
            f"a flashcard answer is a rating from 1 (Again) to 4 (Easy), not {response!r}"
        )
    return rating


def _option(question: Question, response: Response) -> str:
    choices = question.choices or []
    if question.kind is QuestionKind.TRUEFALSE:
        if isinstance(response, bool):
            return TRUE if response else FALSE
        if isinstance(response, str) and response.strip().casefold() in ("t", "f"):
            return TRUE if response.strip().casefold() == "t" else FALSE
    if isinstance(response, str):
        for choice in choices:
            if normalise(choice) == normalise(response):
                return choice
    raise AnswerError(
        f"answer with one of the options: {', '.join(repr(choice) for choice in choices)}"
    )


def _ordering(question: Question, response: Response) -> list[str]:
    if isinstance(response, str) or not isinstance(response, Sequence):
        raise AnswerError("an order answer is the list of items in the order you chose")
    order = [str(item) for item in response]
    if sorted(order) != sorted(question.choices or []):
        raise AnswerError("an order answer must list each item exactly once")
    return order
