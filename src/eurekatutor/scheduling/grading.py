"""Grading an answer, in one place: whether it is right (ratings, options, lenient typed
answers with a diff, orderings) and the FSRS rating it counts as."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from rapidfuzz.distance import OSA

from eurekatutor.domain.analysis import is_word, tag
from eurekatutor.domain.models import normalise
from eurekatutor.domain.questions import FALSE, TRUE, Question, QuestionKind
from eurekatutor.domain.text import NUMBER_WORDS, SCALES, fold_answer, parse_number
from eurekatutor.errors import AnswerError
from eurekatutor.scheduling.memory import MemoryState, Phase, Rating

if TYPE_CHECKING:
    from nltk.stem.snowball import SnowballStemmer

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
            correct, forgiven = lenient_match(
                response, expected, also=question.also, context=question.prompt
            )
            return Verdict(
                correct=correct,
                response=response.strip(),
                forgiven=forgiven,
                diff=tuple(diff_answer(response.strip(), expected)),
            )
    raise AnswerError(f"unknown question kind {question.kind!r}")  # pragma: no cover


def rating_for(kind: QuestionKind, memory: MemoryState, verdict: Verdict) -> Rating:
    """Return the FSRS rating that an answer in ``kind`` counts as: a flashcard's own rating,
    else worked out from the verdict.

    A wrong answer is Again, and so is recognising a fact met for the first time: that is an
    exposure, not a recall, and rating it Good scheduled facts too far out. Recognising the
    answer while the fact is being learned moves it through the learning steps (Good); once it
    is in review, recognition is weaker evidence than recall (Hard), as is a typed answer
    accepted despite a typo.
    """
    if verdict.rating is not None:
        return Rating(verdict.rating)
    if not verdict.correct:
        return Rating.AGAIN
    if memory.is_new and kind in (QuestionKind.CHOICE, QuestionKind.TRUEFALSE):
        return Rating.AGAIN
    if verdict.forgiven:
        return Rating.HARD
    if kind in (QuestionKind.CHOICE, QuestionKind.TRUEFALSE) and memory.phase is Phase.REVIEW:
        return Rating.HARD
    return Rating.GOOD


def lenient_match(
    response: str, expected: str, also: Sequence[str] = (), context: str = ""
) -> tuple[bool, bool]:
    """Return (correct, forgiven) for a typed answer; ``forgiven`` when a small typo was let go.

    Forgiven: case, punctuation, articles and spacing ("pre-training"); another form of the
    same words ("autocomplete" for "Autocompletion", "memories" for "memory"); the items of a
    list in any order; a phrase without the explanation after its comma ("Working memory" for
    "Working memory, directly accessible during inference"); and a typo of at most one edit (a
    swap of two letters counting as one) per six characters. A number compares as a number
    ("ten" for "about 10") and keeps its unit: a unit typed must be the expected one or one the
    question (``context``) names ("10 minutes" is wrong for "~10 years"). A typo never changes
    a digit or a negation, and a number inside a name ("GPT-2") is not a quantity. ``also``
    lists other answers accepted as right (a person's surname, which the question knows).
    """
    for wanted in (expected, *also):
        verdict = _match(response, wanted, context)
        if verdict[0]:
            return verdict
    return False, False


def _match(response: str, expected: str, context: str) -> tuple[bool, bool]:
    wanted, given = (
        fold_answer(_POSSESSIVE.sub("", expected)),
        fold_answer(_POSSESSIVE.sub("", response)),
    )
    if not given:
        return False, False
    if wanted == given:
        return True, False
    if _is_quantity(expected):
        return _same_quantity(response, expected, context), False
    items = _list_items(expected)
    if items is not None:
        return _same_items(response, items)
    head, comma, rest = expected.partition(",")
    if comma and _describes(rest):
        found = _match(response, head, context)
        if found[0]:
            return found
    if _digits(given) != _digits(wanted):
        return False, False  # a digit is never a typo, nor a number part of a name
    if wanted.replace(" ", "") == given.replace(" ", "") or _same_words(given, wanted):
        return True, False
    return (True, True) if _typo(given, wanted) else (False, False)


_POSSESSIVE = re.compile(r"['’]s\b")
# Words that hedge a number without changing it ("about 10", "roughly ten").
APPROXIMATE = frozenset("about around roughly approximately nearly almost circa some or so".split())


def _is_quantity(text: str) -> bool:
    """Return whether a text states an amount: not a number inside a name ("GPT-2", "A100",
    "Llama 3": a digit joined to letters, or after a capitalised word that is no hedge)."""
    if parse_number(text) is None or re.search(r"[A-Za-z]-?\d|\d-[A-Za-z]", text):
        return False
    before = re.findall(r"(\S+)\s+\d", text)
    return not any(word[:1].isupper() and word.casefold() not in APPROXIMATE for word in before)


def _digits(folded: str) -> list[str]:
    return re.findall(r"\d+", folded)


def _same_quantity(response: str, expected: str, context: str) -> bool:
    """Return whether a response states the expected amount, in its unit if it names one: the
    expected answer's unit, or when that has none, one the question names."""
    value, given = parse_number(expected), parse_number(response)
    if value is None or given is None or abs(given - value) >= 1e-9 * max(1.0, abs(value)):
        return False
    unit = _unit_words(expected) + (["percent"] if "%" in expected else [])
    known = set(_stems(" ".join(unit) if unit else context))
    return set(_stems(" ".join(_unit_words(response)))) <= known


def _unit_words(text: str) -> list[str]:
    """Return the words of an amount that are not its number ("years" of "about 10 years")."""
    return [
        word
        for word in fold_answer(text).split()
        if not any(ch.isdigit() for ch in word)
        and word not in APPROXIMATE
        and word not in NUMBER_WORDS
        and word not in SCALES
    ]


def _list_items(text: str) -> list[str] | None:
    """Return the items of a list of three or more ("memory, planning and world models"),
    else ``None``."""
    split = re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", text)
    items = [item.strip(" .") for item in split if item.strip(" .")]
    return items if len(items) >= 3 else None


def _same_items(response: str, items: list[str]) -> tuple[bool, bool]:
    """Return (correct, forgiven) for a list typed in any order, each item leniently."""
    given = _list_items(response) or [response]
    if len(given) != len(items):
        return False, False
    left = list(items)
    forgiven = False
    for item in given:
        for wanted in left:
            correct, typo = _match(item, wanted, "")
            if correct:
                left.remove(wanted)
                forgiven |= typo
                break
        else:
            return False, False
    return True, forgiven


# Words that open a second part of an answer rather than a description of its first part.
GOES_ON = frozenset("then but not and or nor rather instead plus while yet so before after".split())
DESCRIBING_TAGS = frozenset({"JJ", "VBN", "VBG"})
DESCRIBING_WORDS = frozenset("such like which that who including e.g. i.e.".split())


def _describes(rest: str) -> bool:
    """Return whether the words after an answer's comma describe what comes before it
    ("directly accessible during inference", "such as ...") rather than add to it ("then
    gradual complexity")."""
    words = tag(rest)
    if not words or words[0].text.casefold() in GOES_ON:
        return False
    first = words[0]
    return (
        first.tag in DESCRIBING_TAGS
        or (first.tag == "RB" and first.text.casefold().endswith("ly"))
        or first.text.casefold() in DESCRIBING_WORDS
    )


def _word_by_word(given: str, wanted: str, alike: Callable[[str, str], bool]) -> bool:
    """Return whether two folded answers have as many words, each typed word the expected
    one or ``alike`` it."""
    typed, words = given.split(), wanted.split()
    return len(typed) == len(words) and all(
        mine == word or alike(mine, word) for mine, word in zip(typed, words, strict=True)
    )


def _typo(given: str, wanted: str) -> bool:
    """Return whether ``given`` is ``wanted`` with small typos, word by word: each within one
    edit per six letters (none in a word under four letters), and no typed word that is
    another English word ("code" for "codex", "cannot" for "can") or holds a digit."""
    return _word_by_word(given, wanted, _typo_of)


def _typo_of(mine: str, word: str) -> bool:
    if len(word) < 4 or is_word(mine) or _digits(mine + word):
        return False
    allowed = max(1, len(word) // 6)
    return OSA.distance(mine, word, score_cutoff=allowed + 1) <= allowed


def _same_words(given: str, wanted: str) -> bool:
    """Return whether two folded answers are the same words in other forms, word by word:
    "memories" for "memory" (one lemma), "autocomplete" for "autocompletion" (one Snowball
    stem, and no English word of its own; "decadent" is not "decade")."""
    return _word_by_word(given, wanted, _other_form_of)


def _other_form_of(mine: str, word: str) -> bool:
    if _lemmas(mine) & _lemmas(word):
        return True
    return not is_word(mine) and _stems(mine) == _stems(word)


def _lemmas(word: str) -> set[str]:
    from lemminflect import getAllLemmas

    return {lemma for lemmas in getAllLemmas(word).values() for lemma in lemmas} | {word}


def _stems(folded: str) -> list[str]:
    """Return the Snowball stems of a folded answer's words, articles left out."""
    stemmer = _stemmer()
    return [stemmer.stem(word) for word in fold_answer(folded).split()]


@cache
def _stemmer() -> SnowballStemmer:
    # NLTK takes a third of a second to import: only when an answer is not typed as expected.
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english")


def diff_answer(response: str, expected: str) -> list[DiffPart]:
    """Return the word-level differences of a typed answer against the expected one."""
    typed, wanted = response.split(), expected.split()
    matcher = difflib.SequenceMatcher(
        a=[normalise(word) for word in typed],
        b=[normalise(word) for word in wanted],
        autojunk=False,
    )
    parts: list[DiffPart] = []
    for operation, a0, a1, b0, b1 in matcher.get_opcodes():
        if operation == "equal":
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
