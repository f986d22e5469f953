"""Cloze deletions for quotes: pick a quote's key phrases and mark them ``{{c1::...}}``."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from eurekatutor.domain.text import STOP_WORDS

# A word: letters or digits, with inner apostrophes or hyphens ("we're", "co-founder", "20B").
WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
SENTENCE_END = re.compile(r"[.!?…]")
# Between two words of one phrase there may only be spaces; any punctuation ends a phrase.
PHRASE_GAP = re.compile(r"\s+")

# A key phrase is at most this many words: longer ones give the answer away by their shape.
MAX_PHRASE_WORDS = 3
# Each extra word must earn its place: a phrase's score is the sum of its words' scores minus
# this much per word after the first, so only strong words (shared with the topic's main idea,
# numbers) join a phrase.
EXTRA_WORD_COST = 1.5
HINT_SCORE = 3.0
# The topic's own words are its key concepts: a little above the other hints.
TOPIC_SCORE = 3.5
NUMBER_SCORE = 3.0
PROPER_NOUN_BONUS = 1.0
# A second deletion in a sentence that already has one is worth less: spread them out.
SAME_SENTENCE_FACTOR = 0.6


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


NUMBER_WORDS = _wordset(
    """
    two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred
    hundreds thousand thousands million millions billion billions trillion trillions decade decades
    half double twice
    """
)


@dataclass(frozen=True)
class Deletion:
    """One cloze deletion: the characters ``text[start:end]`` hidden on card ``number``."""

    start: int
    end: int
    number: int


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    stem: str
    sentence: int
    score: float  # 0 for a word that is never part of a key phrase


@dataclass(frozen=True)
class _Candidate:
    first: int  # index of the first word
    last: int  # index of the last word, inclusive
    score: float


def stem(word: str) -> str:
    """Return a crude stem for matching related words: lower case, no plural, first 5 letters."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:5]


def key_phrases(text: str, hints: Iterable[str] = (), topic: str = "") -> list[Deletion]:
    """Return the cloze deletions of a quote's key phrases, in text order, numbered from 1.

    A key phrase is a run of one to three content words that never crosses punctuation. Words
    sharing a stem with the ``topic`` or the ``hints`` (its main idea, a cue) and numbers score
    highest, then proper nouns and long words. A quote gets one phrase up to 12 words, two up
    to 40 and three beyond, spread over its sentences. Every other occurrence of a chosen
    phrase's words (same stem: "collapse", "collapsed") is hidden on the same card, so no card
    shows its own answer. Numbers follow the text order of each phrase's first occurrence.
    Returns an empty list only for a text with no word at all.
    """
    boosts = {stem(word): HINT_SCORE for hint in hints for word in WORD.findall(hint)}
    boosts.update((stem(word), TOPIC_SCORE) for word in WORD.findall(topic))
    words = _words(text, boosts)
    if not words:
        return []
    wanted = 1 if len(words) <= 12 else 2 if len(words) <= 40 else 3
    candidates = _candidates(text, words)
    if not candidates:
        # No content word at all ("It is what it is."): the longest word still makes a card.
        index = max(range(len(words)), key=lambda i: (words[i].end - words[i].start, -i))
        candidates = [_Candidate(index, index, 0.0)]
    hidden: dict[int, int] = {}  # word index -> group
    sentences: set[int] = set()
    used_stems: set[str] = set()
    groups = 0
    while groups < wanted:
        free = [c for c in candidates if _is_free(c, words, hidden, used_stems)]
        if not free:
            break
        best = max(free, key=lambda c: (_adjusted(c, words, sentences), -c.first))
        phrase = [words[i].stem for i in range(best.first, best.last + 1)]
        for index, word in enumerate(words):
            if word.stem in phrase and (
                word.score > 0 or index in range(best.first, best.last + 1)
            ):
                hidden[index] = groups
        used_stems.update(phrase)
        sentences.add(words[best.first].sentence)
        groups += 1
    return _deletions(text, words, hidden)


def cloze(text: str, hints: Iterable[str] = (), topic: str = "") -> str:
    """Return ``text`` as HTML with its key phrases marked ``{{c1::...}}``, ``{{c2::...}}``.

    The result always holds ``{{c1::`` (Anki makes no card from a cloze note without one).
    Raises ``ValueError`` for a text without a single word.
    """
    deletions = key_phrases(text, hints, topic)
    if not deletions:
        raise ValueError(f"cannot make a cloze deletion from a text without words: {text!r}")
    parts: list[str] = []
    position = 0
    for deletion in deletions:
        parts.append(to_html(text[position : deletion.start]))
        hidden = to_html(text[deletion.start : deletion.end])
        parts.append(f"{{{{c{deletion.number}::{hidden}}}}}")
        position = deletion.end
    parts.append(to_html(text[position:]))
    return "".join(parts)


def to_html(text: str) -> str:
    """Return plain ``text`` as field HTML: escaped, line breaks as ``<br>``, braces as entities.

    Braces are encoded so a literal ``}}`` in a quote can never end a cloze deletion early.
    """
    escaped = html.escape(text, quote=False).replace("{", "&#123;").replace("}", "&#125;")
    return escaped.replace("\n", "<br>")


def _words(text: str, boosts: dict[str, float]) -> list[_Word]:
    words: list[_Word] = []
    sentence = 0
    position = 0
    for match in WORD.finditer(text):
        token = match.group()
        gap = text[position : match.start()]
        ends = len(SENTENCE_END.findall(gap))
        sentence += ends
        # A capital after the start of the text or a sentence end is no sign of a name.
        opens = not words or ends > 0 or gap.rstrip()[-1:] in ('"', "“")
        words.append(
            _Word(
                start=match.start(),
                end=match.end(),
                stem=stem(token),
                sentence=sentence,
                score=_score(token, boosts, opens_sentence=opens),
            )
        )
        position = match.end()
    return words


def _score(token: str, boosts: dict[str, float], *, opens_sentence: bool) -> float:
    lower = token.lower().replace("’", "'")
    if any(ch.isdigit() for ch in lower):
        return NUMBER_SCORE
    if lower in STOP_WORDS or len(lower) < 3:
        return 0.0
    if lower in NUMBER_WORDS:
        return NUMBER_SCORE - 0.5
    score = 1.0 + 0.1 * max(0, len(lower) - 6)
    score += boosts.get(stem(lower), 0.0)
    if token[0].isupper() and not opens_sentence:
        score += PROPER_NOUN_BONUS
    return score


def _candidates(text: str, words: list[_Word]) -> list[_Candidate]:
    candidates = []
    for first, word in enumerate(words):
        if word.score <= 0:
            continue
        total = 0.0
        for last in range(first, min(first + MAX_PHRASE_WORDS, len(words))):
            current = words[last]
            if current.score <= 0:
                break
            if last > first and not PHRASE_GAP.fullmatch(text[words[last - 1].end : current.start]):
                break
            total += current.score
            candidates.append(_Candidate(first, last, total - EXTRA_WORD_COST * (last - first)))
    return candidates


def _is_free(
    candidate: _Candidate, words: list[_Word], hidden: dict[int, int], used_stems: set[str]
) -> bool:
    """Return whether a candidate neither overlaps a hidden word nor repeats a hidden stem."""
    if any(index in hidden for index in range(candidate.first, candidate.last + 1)):
        return False
    return not any(words[i].stem in used_stems for i in range(candidate.first, candidate.last + 1))


def _adjusted(candidate: _Candidate, words: list[_Word], sentences: set[int]) -> float:
    if words[candidate.first].sentence in sentences:
        return candidate.score * SAME_SENTENCE_FACTOR
    return candidate.score


def _deletions(text: str, words: list[_Word], hidden: dict[int, int]) -> list[Deletion]:
    """Merge hidden words of one group separated only by spaces; number groups in text order."""
    runs: list[tuple[int, int, int]] = []  # (start, end, group)
    for index in sorted(hidden):
        word, group = words[index], hidden[index]
        if (
            runs
            and runs[-1][2] == group
            and hidden.get(index - 1) == group
            and PHRASE_GAP.fullmatch(text[runs[-1][1] : word.start])
        ):
            runs[-1] = (runs[-1][0], word.end, group)
        else:
            runs.append((word.start, word.end, group))
    numbers: dict[int, int] = {}
    for _start, _end, group in runs:
        numbers.setdefault(group, len(numbers) + 1)
    return [Deletion(start, end, numbers[group]) for start, end, group in runs]
