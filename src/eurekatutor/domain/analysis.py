"""Language analysis of a fact's text: tagged words and the units of meaning in it.

A unit is what a question may hide or change: a number with its unit ("about 20B parameters"),
a full name ("Lee Sedol"), a quoted term, or a noun phrase ("a cognitive core"). Each unit
carries its form (kind, article, plural, size, head), which a replacement must share to read
right in its place. Words are tagged by TextBlob's pattern tagger, whose lexicon ships in the
package; inflections come from lemminflect, whose tables ship in the package too.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from eurekatutor.domain.text import NUMBER_WORDS, SCALES, STOP_WORDS, parse_number

# A token: an approximation sign, a number (with a scale letter: "20B"), a word with inner
# apostrophes or hyphens, or one other character.
_TOKEN = re.compile(r"[~≈]|\d+(?:[.,]\d+)*(?:[A-Za-z]+\b)?|[^\W\d_]+(?:[-'’][^\W\d_]+)*|\S")
_CLITIC = re.compile(r"(?i)['’](s|re|ve|ll|d|m)$")
# Words before a number that belong to its unit of meaning ("about 10 years").
APPROXIMATORS = frozenset("about around roughly nearly almost approximately over under ~ ≈".split())
_NOUN = ("NN", "NNS", "NNP", "NNPS")
_MODIFIER = ("JJ", "JJR", "JJS", "VBN", "VBG", "NN", "NNS", "NNP", "NNPS", "CD")
# Nouns too general to be worth asking: "a lot", "the way", "some things".
_VAGUE = frozenset(
    "lot lots thing things way ways kind kinds sort sorts bit part stuff time times people "
    "one ones case cases fact example sense point".split()
)
_OPENING_QUOTES = "\"“‘'"
_QUOTED = re.compile(r"[\"“]([^\"“”]{2,60})[\"”]")
# Words that make a number a share rather than a count.
_FRACTIONS = frozenset(
    "half halves third thirds quarter quarters fifth fifths tenth tenths".split()
)
# The most words a unit may have: longer ones give the answer away by their shape.
MAX_UNIT_WORDS = 5


@dataclass(frozen=True)
class Word:
    """A tagged word: ``text`` at ``start:end`` with its Penn Treebank tag."""

    start: int
    end: int
    text: str
    tag: str


@dataclass(frozen=True)
class Unit:
    """A unit of meaning: ``text`` is the fact's text from ``start`` to ``end``.

    ``kind`` is ``number``, ``name``, ``term`` (quoted in the text) or ``noun``; ``article`` is
    the indefinite article it opens with ("a", "an" or ""); ``head`` the lemma of its last noun
    (a number's unit word); ``lemmas`` its content words' lemmas.
    """

    start: int
    end: int
    text: str
    kind: str
    article: str = ""
    plural: bool = False
    head: str = ""
    lemmas: frozenset[str] = frozenset()

    @property
    def size(self) -> int:
        """Return how many words the unit has."""
        return len(self.text.split())

    @property
    def body(self) -> str:
        """Return the unit without its indefinite article."""
        return self.text[len(self.article) :].lstrip() if self.article else self.text

    def fits(self, other: Unit) -> bool:
        """Return whether ``other`` can take this unit's place and still read right: the same
        kind, number (singular or plural) and article use, a size within one word, and for a
        number the same unit word."""
        if other.kind != self.kind or other.plural != self.plural:
            return False
        if bool(other.article) != bool(self.article) or abs(other.size - self.size) > 1:
            return False
        return self.kind != "number" or other.head == self.head


def tokens(text: str) -> list[tuple[int, int, str]]:
    """Return the tokens of ``text`` as (start, end, token), clitics split off ("today", "'s")."""
    found: list[tuple[int, int, str]] = []
    for match in _TOKEN.finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        lower = word.casefold().replace("’", "'")
        if lower.endswith("n't") and len(word) > 3:
            found += [(start, end - 3, word[:-3]), (end - 3, end, "n't")]
            continue
        clitic = _CLITIC.search(word)
        if clitic and len(word) > len(clitic.group()):
            cut = end - len(clitic.group())
            found += [(start, cut, word[: cut - start]), (cut, end, "'" + clitic.group(1))]
            continue
        found.append((start, end, word))
    return found


@lru_cache(maxsize=4096)
def tag(text: str) -> tuple[Word, ...]:
    """Return the words of ``text`` with their part-of-speech tags (cached)."""
    found = tokens(text)
    if not found:
        return ()
    tags = _tag_words([word for *_, word in found])
    words = [Word(start, end, word, tags[i]) for i, (start, end, word) in enumerate(found)]
    # A capital at the start of a sentence is no sign of a name: a word the lexicon knows in
    # lower case is tagged as written so ("Resolving", "Humans"), any other stays a name.
    from textblob.en import lexicon

    for index, word in enumerate(words):
        if (
            word.tag in ("NNP", "NNPS")
            and _opens_sentence(words, index)
            and word.text.lower() in lexicon
        ):
            lowered = _tag_words([word.text.lower()])[0]
            words[index] = Word(word.start, word.end, word.text, lowered)
    return tuple(words)


def is_word(word: str) -> bool:
    """Return whether a word, in lower case, is an English word the tagger's lexicon knows."""
    from textblob.en import lexicon

    return word.lower() in lexicon


def _tag_words(words: list[str]) -> list[str]:
    from textblob.en import parse  # imported on first use: it loads its lexicon

    parsed = parse(" ".join(words), tokenize=False, chunks=False, relations=False, lemmata=False)
    tags = [item.rsplit("/", 1)[-1] for line in parsed.split("\n") for item in line.split(" ")]
    return tags if len(tags) == len(words) else [_fallback_tag(word) for word in words]


def _fallback_tag(word: str) -> str:
    if parse_number(word) is not None:
        return "CD"
    return "NNP" if word[:1].isupper() else "NN"


def _opens_sentence(words: list[Word] | tuple[Word, ...], index: int) -> bool:
    previous = index - 1
    while previous >= 0 and words[previous].text in _OPENING_QUOTES + "(":
        previous -= 1
    return previous < 0 or words[previous].text in (".", "!", "?", ":", "…")


def lemma(word: str, tag: str) -> str:
    """Return the lemma of a word given its tag ("models" -> "model", "took" -> "take")."""
    from lemminflect import getLemma

    if tag == "VBG" or not word.replace("-", "").isalpha():
        # A gerund names an activity ("learning" stays itself); a number or a code stays
        # as written (lemminflect would make "1794" into "179").
        return word.casefold()
    upos = "NOUN" if tag.startswith("NN") else "VERB" if tag.startswith("VB") else "ADJ"
    if tag.startswith("NNP"):
        return word.casefold()
    found = getLemma(word.casefold(), upos=upos)
    return (found[0] if found else word).casefold()


def content_lemmas(text: str) -> frozenset[str]:
    """Return the lemmas of the content words of ``text`` (no stop words, no punctuation)."""
    return frozenset(
        lemma(word.text, word.tag)
        for word in tag(text)
        if word.text[:1].isalnum() and word.text.casefold() not in STOP_WORDS
    )


def units(text: str) -> list[Unit]:
    """Return the units of meaning of ``text`` in text order, none overlapping another.

    Numbers come with what they count and the words that qualify them ("about 20B
    parameters"); names are whole ("Lee Sedol"); a quoted term of up to five words is one unit;
    a noun phrase runs from its first modifier to its last noun, with its indefinite article.
    Phrases opening with a function word, pronouns and vague nouns ("a lot") are left out.
    """
    words = tag(text)
    found: list[Unit] = []
    taken: set[int] = set()

    def add(first: int, last: int, kind: str) -> None:
        if any(i in taken for i in range(first, last + 1)) or last - first >= MAX_UNIT_WORDS:
            return
        if kind == "noun" and first > 0 and words[first - 1].tag in ("PRP", "VBG"):
            # After "it" a noun is most likely a verb misread ("it forces them"); after a
            # gerund, it is half of a compound ("learning rates"): no clear unit either way.
            return
        unit = _unit(text, words, first, last, kind)
        if unit is not None:
            found.append(unit)
            taken.update(range(first, last + 1))

    for match in _QUOTED.finditer(text):
        inside = [i for i, w in enumerate(words) if match.start(1) <= w.start < match.end(1)]
        if inside and any(words[i].tag.startswith("NN") for i in inside):
            add(inside[0], inside[-1], "term")
    index = 0
    while index < len(words):
        if _is_number(words, index):
            first = index
            while first > 0 and (
                words[first - 1].text.casefold() in APPROXIMATORS
                or (words[first - 1].text.casefold() in ("a", "an") and words[index].tag == "CD")
            ):
                first -= 1
            last = index
            while last + 1 < len(words) and _is_number(words, last + 1):
                last += 1
            # What the number counts: up to two nouns ("100 solution paths").
            while (
                last + 1 < len(words)
                and last - index < 2
                and words[last + 1].tag in ("NNS", "NN")
                and not _is_name(words[last + 1])
            ):
                last += 1
            add(first, last, "number")
            index = last + 1
            continue
        if _is_name(words[index]):
            last = index
            while last + 1 < len(words) and _is_name(words[last + 1]):
                last += 1
            if last + 1 < len(words) and words[last + 1].tag.startswith("NN"):
                index += 1  # a name that modifies a noun ("Sutton-style belief") is no name
                continue
            add(index, last, "name")
            index = last + 1
            continue
        index += 1
    index = 0
    while index < len(words):
        if words[index].tag in _MODIFIER and index not in taken:
            last = index
            while (
                last + 1 < len(words) and words[last + 1].tag in _MODIFIER and last + 1 not in taken
            ):
                last += 1
            # The phrase ends on its last noun ("reinforcement learning" too): trailing
            # adjectives belong to what follows.
            while last >= index and not _ends_phrase(words, index, last):
                last -= 1
            if last >= index and last + 1 < len(words) and words[last + 1].tag == "VBG":
                # A gerund it could not end on ("a zebra running within"): no clear unit.
                index = last + 2
                continue
            # It opens on a content word: not a gerund ("using LLMs") or a quantifier ("much").
            first = index
            while first <= last and (
                not words[first].text[:1].isalnum()
                or words[first].tag == "VBG"
                or words[first].text.casefold() in STOP_WORDS
            ):
                first += 1
            if first <= last:
                if first > 0 and words[first - 1].text.casefold() in ("a", "an"):
                    first -= 1
                while last - first >= MAX_UNIT_WORDS:
                    first += 1
                add(first, last, "noun")
            index = max(last, index) + 1
            continue
        index += 1
    return sorted(found, key=lambda unit: unit.start)


def _ends_phrase(words: tuple[Word, ...], first: int, last: int) -> bool:
    """Return whether a noun phrase may end on word ``last``: a noun, or a gerund that names
    an activity after a noun ("reinforcement learning" before an adjective or the end), not
    one that opens a clause ("a zebra running within minutes")."""
    tag_ = words[last].tag
    if tag_.startswith("NN"):
        return True
    following = words[last + 1].tag if last + 1 < len(words) else "."
    return (
        tag_ == "VBG"
        and last > first
        and words[last - 1].tag in ("NN", "NNP")
        and not following.startswith(("IN", "RB", "DT", "PRP", "TO", "NN"))
    )


def _is_number(words: tuple[Word, ...], index: int) -> bool:
    word = words[index].text.casefold()
    if word in ("a", "an", "one"):
        return False  # an article, or too vague a number to ask ("one of the labs")
    if word[:1].isdigit():
        return True
    return words[index].tag == "CD" or word in NUMBER_WORDS or (word in SCALES and len(word) > 1)


def _is_name(word: Word) -> bool:
    text = word.text
    if not text[:1].isupper():
        return False
    # "OpenAI", "NanoChat": a capital inside a word marks a name whatever the tagger says.
    return word.tag in ("NNP", "NNPS") or (
        word.tag.startswith("NN") and any(ch.isupper() for ch in text[1:]) and not text.isupper()
    )


def _unit(text: str, words: tuple[Word, ...], first: int, last: int, kind: str) -> Unit | None:
    start, end = words[first].start, words[last].end
    span = [words[i] for i in range(first, last + 1)]
    article = span[0].text.casefold() if span[0].text.casefold() in ("a", "an") else ""
    nouns = [w for w in span if w.tag.startswith("NN") or (w.tag == "VBG" and w is span[-1])]
    if kind == "number":
        if any(w.text.casefold() in _FRACTIONS for w in span):
            return None  # "one third", "half a degree": a share, not a count to vary
        value_words = [w for w in span if w.tag != "NN" and w.tag != "NNS"]
        head = lemma(nouns[-1].text, nouns[-1].tag) if nouns and span[-1] in nouns else ""
        if parse_number(" ".join(w.text for w in value_words)) is None:
            return None
        plural = head != "" and span[-1].tag == "NNS"
    else:
        if not nouns:
            return None
        last_noun = nouns[-1]
        head = lemma(last_noun.text, last_noun.tag)
        plural = last_noun.tag in ("NNS", "NNPS")
        if kind == "noun":
            if (head in _VAGUE and len(nouns) == 1) or last_noun.text.casefold() in STOP_WORDS:
                return None
            if all(
                w.text.casefold() in STOP_WORDS or w.text.casefold() in ("a", "an") for w in span
            ):
                return None
    lemmas = frozenset(
        lemma(w.text, w.tag)
        for w in span
        if w.text[:1].isalnum() and w.text.casefold() not in STOP_WORDS
    )
    return Unit(start, end, text[start:end], kind, article, plural, head, lemmas)


def indefinite_article(phrase: str) -> str:
    """Return "a" or "an" for a phrase, by the sound of its first word as spelled (a rule of
    thumb: "an hour", "a unit", "an LLM")."""
    word = phrase.lstrip(_OPENING_QUOTES).split(" ", 1)[0]
    lower = word.casefold()
    if word.isupper() and len(word) > 1 and word.isalpha():  # an acronym, read letter by letter
        return "an" if lower[0] in "aefhilmnorsx" else "a"
    if re.match(r"(?:eu|uni(?!nf|nt)|use|usu|uti|one\b|once)", lower):
        return "a"
    if re.match(r"(?:hour|honest|honou?r|heir|[aeiou]|8|11\b|18\b)", lower):
        return "an"
    return "a"


def with_article(unit: Unit, body: str) -> str:
    """Return ``body`` worded to stand where ``unit`` stands: with its own right indefinite
    article when the unit has one."""
    return f"{indefinite_article(body)} {body}" if unit.article else body


# --- other values of a number, worded the same way ---------------------------------------------

_SPELLED = {value: word for word, value in NUMBER_WORDS.items() if word not in ("dozen",)}
_SCALE_WORDS = {1e3: "thousand", 1e6: "million", 1e9: "billion", 1e12: "trillion"}
_SCALE_LETTERS = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}
# Durations in order: "within minutes" may become "within hours".
DURATIONS = ("seconds", "minutes", "hours", "days", "weeks", "months", "years", "decades")
_NUMERIC_CORE = re.compile(
    r"(?i)(?P<digits>\d+(?:[.,]\d+)*)(?P<letter>[kmbt]\b)?(?:\s+(?P<scale>thousand|million|"
    r"billion|trillion)\b)?|(?P<words>(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|"
    r"ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|a hundred|dozen)\s+)*"
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|million|billion|trillion))\b"
)


def other_values(text: str, rank: int, count: int = 3) -> list[str]:
    """Return ``count`` other values of the number (or duration) that ``text`` states, worded
    as ``text`` words it ("about 10 years" -> "about 5 years", "about 20 years", ...).

    ``rank`` (0 to ``count``) is how many of them are smaller than the true value, so that the
    true value is not always the middle one; callers keep it fixed per fact. Returns ``[]``
    when ``text`` states no number nor duration, or a share ("one third", "half").
    """
    if _FRACTIONS & set(re.findall(r"[a-z]+", text.casefold())):
        return []  # "one third" is no count: "two third" would give itself away
    match = _NUMERIC_CORE.search(text)
    if match is None:
        return _other_durations(text, rank, count)
    core = match.group()
    value = parse_number(core.replace(",", ""))
    if value is None or value <= 0:
        return []
    if match["digits"] and re.fullmatch(r"1[5-9]\d\d|20\d\d", match["digits"]):
        ladder = [value + step for step in (-10, -5, -3, -2, -1, 1, 2, 3, 5, 10)]  # a year
    elif match["words"] and value >= 1e3:
        ladder = [10.0**power for power in range(3, 15) if 10.0**power != value]
    else:
        ladder = _ladder(value)
    if text[match.end() :].strip():
        ladder = [v for v in ladder if v != 1]  # "1 hours": a unit word reads plural
    below = [v for v in ladder if v < value][::-1]
    above = [v for v in ladder if v > value]
    options: list[list[str]] = []
    for place in range(count + 1):  # from the rank asked for on, then round
        taken = (rank + place) % (count + 1)
        if taken > len(below) or count - taken > len(above):
            continue
        chosen = sorted(below[:taken]) + above[: count - taken]
        found = [text[: match.start()] + _worded(v, match) + text[match.end() :] for v in chosen]
        if len(set(found)) == count and text not in found:
            options.append(found)
    # Prefer a set in which no option, the true one included, is the only one of its length
    # ("about 10" alone among "about 4", "about 6", "about 8"): that would single it out.
    even = [
        found
        for found in options
        if min(Counter(len(option) for option in [*found, text]).values()) > 1
        or len({len(option) for option in [*found, text]}) == 1
    ]
    if even:
        return even[rank % len(even)]
    return options[0] if options else []


def _ladder(value: float) -> list[float]:
    """Return values around ``value`` in an even, exact progression anchored on it: whole
    numbers a step apart for a small one ("six" among four, five, seven, eight), else steps of
    a round quarter of it (43 among 13, 23, 33, 53; 20 among 5, 10, 15, 25). No value is
    rounded, so none betrays which one the others were made from."""
    if value <= 12 and value == int(value):
        step = 1.0 if value <= 6 else 2.0
    else:
        step = _round_step(value / 4)
    return [value + step * k for k in range(-3, 4) if k and value + step * k > 0]


def _round_step(size: float) -> float:
    """Return 1, 2 or 5 times a power of ten, the nearest to ``size`` from below."""
    power = 10.0 ** math.floor(math.log10(size))
    return max(m * power for m in (1, 2, 5) if m * power <= size)


def _worded(value: float, match: re.Match[str]) -> str:
    """Return ``value`` worded as the matched number is: digits, a scale letter or word, or
    spelled out."""
    if match["words"]:
        return _spell(value, capital=match["words"][:1].isupper())
    scale = _SCALE_LETTERS.get((match["letter"] or "").lower()) or {
        word: scale for scale, word in _SCALE_WORDS.items()
    }.get((match["scale"] or "").lower(), 1.0)
    shown = f"{value / scale:,.2f}".rstrip("0").rstrip(".")
    if "," not in match["digits"]:
        shown = shown.replace(",", "")
    return shown + (match["letter"] or "") + (f" {match['scale']}" if match["scale"] else "")


def _spell(value: float, capital: bool = False) -> str:
    """Return a round value in words: "two", "a hundred", "ten billion", "a thousand"."""
    for scale in sorted(_SCALE_WORDS, reverse=True):
        if value >= scale:
            mantissa = value / scale
            word = _SCALE_WORDS[scale]
            spelled = f"{_spell(mantissa)} {word}" if mantissa != 1 else f"a {word}"
            break
    else:
        if value == 100:
            spelled = "a hundred"
        elif value > 100 and value % 100 == 0 and value < 1000:
            spelled = f"{_SPELLED[round(value) // 100]} hundred"
        else:
            spelled = (
                _SPELLED.get(round(value), f"{value:g}") if value == int(value) else f"{value:g}"
            )
    return spelled[:1].upper() + spelled[1:] if capital else spelled


def _other_durations(text: str, rank: int, count: int) -> list[str]:
    found = re.search(r"\b(" + "|".join(DURATIONS) + r")\b", text, flags=re.IGNORECASE)
    if found is None:
        return []
    at = DURATIONS.index(found.group(1).lower())
    below = list(DURATIONS[:at][::-1])
    above = list(DURATIONS[at + 1 :])
    rank = max(count - len(above), min(rank, len(below)))
    chosen = sorted(below[:rank], key=DURATIONS.index) + above[: count - rank]
    return [text[: found.start()] + word + text[found.end() :] for word in chosen]


# --- statements that keep their grammar and change their meaning ------------------------------

# Words with an opposite of the same part of speech that reads right in the same place.
OPPOSITES = {
    "more": "less", "less": "more", "larger": "smaller", "bigger": "smaller",
    "smaller": "larger", "faster": "slower", "slower": "faster", "better": "worse",
    "worse": "better", "harder": "easier", "easier": "harder", "higher": "lower",
    "lower": "higher", "before": "after", "after": "before", "early": "late", "late": "early",
    "earlier": "later", "later": "earlier",
    "increase": "decrease", "decrease": "increase", "increases": "decreases",
    "decreases": "increases", "poor": "good", "efficient": "inefficient",
    "inefficient": "efficient", "cannot": "can", "overrated": "underrated",
    "underrated": "overrated", "rare": "common", "common": "rare",
}  # fmt: skip
_CONTRAST = re.compile(r"(?:,\s*not(?:\s+just)?|\s+rather\s+than|\s+instead\s+of)\s+")
_AUXILIARY_NOT = re.compile(
    r"\b(do|does|did|is|are|was|were|can|could|will|would|should|must)\s+not\s+(?!yet\b|just\b|"
    r"only\b|even\b)",
    flags=re.IGNORECASE,
)


def contrast_swapped(text: str) -> str | None:
    """Return ``text`` with the two sides of a contrast swapped ("the decade of agents, not
    the year of agents" -> "the year of agents, not the decade of agents"), or ``None``.

    The sides are the words after the contrast up to the end of the clause and as many words
    before it; both must open with words of the same part of speech and hold no verb.
    """
    for match in _CONTRAST.finditer(text):
        after = re.match(r"[^,;:.!?()]+", text[match.end() :])
        if after is None:
            continue
        right = after.group().strip()
        size = len(right.split())
        before = text[: match.start()].split()
        if size > 5 or len(before) < size:
            continue
        left = " ".join(before[-size:])
        if not _same_form(left, right):
            continue
        start = match.start() - len(left)
        if text[start : match.start()] != left:
            continue
        end = match.end() + len(right) + (len(after.group()) - len(after.group().lstrip()))
        return text[:start] + right + text[match.start() : match.end()] + left + text[end:]
    return None


def _same_form(left: str, right: str) -> bool:
    tags_left = [w.tag for w in tag(left)]
    tags_right = [w.tag for w in tag(right)]
    if not tags_left or not tags_right or left.casefold() == right.casefold():
        return False
    if any(t.startswith(("VB", "MD", "PRP")) and t != "VBG" for t in tags_left + tags_right):
        return False
    return tags_left[0][:2] == tags_right[0][:2] and tags_left[-1] == tags_right[-1]


# Words that "before" allows after it and "after" does not ("before anyone noticed").
_NEGATIVE_POLARITY = frozenset("any anyone anybody anything ever yet".split())


def opposite_worded(text: str) -> str | None:
    """Return ``text`` with its first word that has an opposite turned into it ("smaller" ->
    "larger"), or its first "do not"/"is not" made positive; ``None`` when it has neither."""
    words = tag(text)
    for index, word in enumerate(words):
        opposite = OPPOSITES.get(word.text.casefold())
        repeated = any(
            0 <= other < len(words) and words[other].text.casefold() == word.text.casefold()
            for other in (index - 2, index + 2)
        )  # "more and more" has no opposite
        after = words[index + 1].text if index + 1 < len(words) else "."
        if word.text.casefold() in ("before", "after") and not after[:1].isalnum():
            continue  # "never seen before": an adverb, whose opposite reads wrong
        if word.text.casefold() == "before" and any(
            w.text.casefold() in _NEGATIVE_POLARITY for w in words[index + 1 : index + 4]
        ):
            continue  # "before any survey noticed": "after any survey" reads wrong
        if word.text.casefold() in ("more", "less") and any(
            w.text.casefold() == "than" for w in words[index + 1 : index + 4]
        ):
            continue  # "more good than harm" turned round reads wrong
        if opposite is not None and not repeated and word.tag[:2] in ("JJ", "RB", "IN", "VB"):
            if word.text[:1].isupper():
                opposite = opposite.capitalize()
            return text[: word.start] + opposite + text[word.end :]
    match = _AUXILIARY_NOT.search(text)
    if match is None or re.match(r"[^,;:.]*\bbut\b", text[match.end() :]):
        return None  # "not A but B" says B: without its "not" it says nothing sensible
    auxiliary = match.group(1)
    verb_match = re.match(r"[A-Za-z]+", text[match.end() :])
    if auxiliary.casefold() in ("do", "does", "did") and verb_match is not None:
        # "do not use" -> "use"; "does not use" -> "uses"; "did not use" -> "used".
        from lemminflect import getInflection

        form = {"do": "VBP", "does": "VBZ", "did": "VBD"}[auxiliary.casefold()]
        inflected = getInflection(verb_match.group(), tag=form)
        if not inflected:
            return None
        verb = str(inflected[0])
        end = match.end() + verb_match.end()
        if auxiliary[:1].isupper():
            verb = verb.capitalize()
        return text[: match.start()] + verb + text[end:]
    return text[: match.start()] + auxiliary + " " + text[match.end() :]
