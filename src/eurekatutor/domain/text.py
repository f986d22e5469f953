"""Text helpers for questions and answers: words, stop words, key phrases and numbers."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from eurekatutor.domain.models import normalise

# Words that never make a blank or a key phrase: function words and spoken filler.
STOP_WORDS = frozenset(
    """
    a about above actually after again against all almost also am an and any anyway are aren't
    as at basically be because been before being below between both but by call called calls can
    can't cannot certainly could couldn't course definitely did didn't do does doesn't doing
    don't down during each either else end ends especially even ever every exactly feel feels
    few for from further get gets getting going gonna got guess had hadn't has hasn't have
    haven't having he he'd he'll he's her here here's hers herself him himself his how how's i
    i'd i'll i'm i've if in instead into is isn't it it's its itself just kind know knows least
    less let's like literally lot lots made make makes many may maybe me mean might more most
    much must mustn't my myself need needs no nor not now of off often ok okay on once one only
    or other ought our ours ourselves out over own people per pretty probably put puts quite
    rather really right same say saying says see seen shall shan't she she'd she'll she's should
    shouldn't since so some something sort still stuff such sure take takes than that that's the
    their theirs them themselves then there there's these they they'd they'll they're they've
    thing things think thinks this those though thought through to today too took totally under
    until up upon us use used uses very via wanna want wanted wants was wasn't way ways we we'd
    we'll we're we've well were weren't what what's whatever when when's where where's whether
    which while who who's whom whose why why's will with within without won't would wouldn't
    yeah yes yet you you'd you'll you're you've your yours yourself yourselves
    """.split()
)
ARTICLES = frozenset({"a", "an", "the"})
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}  # fmt: skip
SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "b": 1e9,
    "bn": 1e9, "trillion": 1e12, "t": 1e12,
}  # fmt: skip
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_TOKEN = re.compile(r"\S+")
# What is trimmed off the start and the end of a word.
_OPENING = "\"'“”‘’([{*_"
_CLOSING = "\"'“”‘’)]}.,;:!?…*_"


# A word of a text: (start, end, word).
Token = tuple[int, int, str]


@dataclass(frozen=True)
class Span:
    """A run of words in a text: ``text[start:end]`` is ``phrase``."""

    start: int
    end: int
    phrase: str


def words(text: str) -> list[Token]:
    """Return the words of ``text`` as (start, end, word), punctuation trimmed off the ends."""
    found = []
    for match in _TOKEN.finditer(text):
        raw = match.group()
        if raw[0] not in _OPENING and raw[-1] not in _CLOSING:
            found.append((match.start(), match.end(), raw))  # most words: nothing to trim
            continue
        lead = len(raw) - len(raw.lstrip(_OPENING))
        trail = len(raw) - len(raw.rstrip(_CLOSING))
        word = raw[lead : len(raw) - trail] if trail else raw[lead:]
        if word:
            found.append((match.start() + lead, match.start() + lead + len(word), word))
    return found


def is_content(word: str) -> bool:
    """Return whether a word carries meaning: not a stop word, not too short."""
    folded = word.casefold().strip("’'")
    return folded not in STOP_WORDS and (len(folded) >= 3 or folded.isdigit())


def is_numeric(word: str) -> bool:
    """Return whether a word is a number (``10``, ``20B``, ``~10``, ``ten``, ``billion``)."""
    folded = word.casefold().lstrip("~≈")
    return bool(_NUMBER.match(folded)) or folded in NUMBER_WORDS or folded in SCALES


def document_frequency(
    texts: Iterable[str], split: Callable[[str], list[Token]] | None = None
) -> Counter[str]:
    """Return, per folded content word, how many of ``texts`` contain it.

    ``split`` gives a text's ``words`` (a caller that keeps them passes its own).
    """
    split = split or words
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({w.casefold() for _, _, w in split(text) if is_content(w)})
    return counts


def key_phrases(
    text: str,
    frequency: Counter[str] | None = None,
    limit: int = 3,
    tokens: list[Token] | None = None,
) -> list[Span]:
    """Return up to ``limit`` phrases of ``text`` worth blanking, most meaningful first.

    Numbers and named things score highest, then rare long content words; a phrase extends over
    neighbouring content words (at most three words) and never covers most of the text.
    ``tokens`` are the text's ``words``, when the caller has them already.
    """
    tokens = words(text) if tokens is None else tokens
    if len(tokens) < 3:
        return []
    frequency = frequency or Counter()
    scored: list[tuple[float, int]] = []
    for index, (_, _, word) in enumerate(tokens):
        if not is_content(word):
            continue
        score = min(len(word), 12) / 4
        if is_numeric(word):
            score += 6
        if word[:1].isupper() and index > 0:
            score += 3
        score += 3 / (1 + frequency.get(word.casefold(), 0))
        scored.append((score, index))
    scored.sort(key=lambda item: (-item[0], item[1]))
    budget = max(1, len(tokens) // 2)
    spans: list[Span] = []
    used: set[int] = set()
    for _score, index in scored:
        if index in used:
            continue
        first = last = index
        while (
            last + 1 < len(tokens)
            and last - first < 2
            and last + 1 not in used
            and is_content(tokens[last + 1][2])
            and _same_class(tokens[last][2], tokens[last + 1][2])
            and text[tokens[last][1] : tokens[last + 1][0]].isspace()
            and not _ends_clause(text, tokens[last][1])
        ):
            last += 1
        if last - first + 1 > budget:
            last = first + budget - 1
        start, end = tokens[first][0], tokens[last][1]
        spans.append(Span(start, end, text[start:end]))
        used.update(range(first - 1, last + 2))
        if len(spans) == limit:
            break
    return spans


def _same_class(word: str, following: str) -> bool:
    # A name runs over capitalised words, a number takes its unit, a plain phrase stays plain.
    if is_numeric(word):
        return not is_numeric(following) or following.casefold() in SCALES
    return word[:1].isupper() == following[:1].isupper()


def _ends_clause(text: str, end: int) -> bool:
    return end < len(text) and text[end] in ",;:.!?)"


def parse_number(text: str) -> float | None:
    """Return the number a short answer states (``"about 10"``, ``"20B"``, ``"a billion"``).

    Returns ``None`` when the text states no single number.
    """
    folded = text.casefold().replace(",", "")
    tokens = re.findall(r"\d+(?:\.\d+)?[a-z]*|[a-z]+", folded)
    value: float | None = None
    for token in tokens:
        match = re.fullmatch(r"(\d+(?:\.\d+)?)([a-z]*)", token)
        if match:
            if value is not None:
                return None
            value = float(match.group(1))
            # A scale suffix multiplies ("20B"); any other suffix is a unit ("10x", "5th").
            value *= SCALES.get(match.group(2), 1.0)
        elif token in NUMBER_WORDS:
            value = (value or 0) + NUMBER_WORDS[token] if token != "hundred" else (value or 1) * 100
        elif token in SCALES and len(token) > 1:
            value = (value or 1) * SCALES[token]
    return value


def fold_answer(text: str) -> str:
    """Return an answer folded for lenient comparison: no case, punctuation or articles.

    Articles stay when nothing else would (an answer that is just "A").
    """
    folded = normalise(text).split()
    return " ".join(word for word in folded if word not in ARTICLES) or " ".join(folded)
