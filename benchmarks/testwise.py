"""A test-wise learner who knows none of a talk's facts answers its recognition questions.

Run with ``python benchmarks/testwise.py [--notes FILE ...] [--versions 3] [--seed 1] [--json]
[--dump FILE]``. For every fact that can be asked as a multiple-choice (``choice``) or a
true/false question, the tutor builds the question ``--versions`` times (each draw of its random
source is a new version, as when a card comes back). The learner sees every version of every
question of the talk at once, in both formats, as a learner does over weeks, but never an
answer, a correction or the fact behind a question: only the prompt, the options and the
screen's header (topic and speaker, or the question's ``header`` where it has one). It answers
the first version of each question from surface cues alone (STYLE.md rule 21; Millman, Bishop
and Ebel 1965 list the cues). Each cue is a named scorer; their votes are combined by weights
fitted on the other talks (leave one talk out, each asked with ``--fit-seeds`` seeds), so no
talk is scored with weights fitted on itself. A cue no better than chance there by two standard
errors gets no weight; ties are broken by a seeded random source, so pure guessing scores
chance. Its accuracy above chance measures what the questions give away; "same-kind" is its
accuracy when it sees only the questions of the format it answers. The product's targets: at
most 0.35 on choice questions (chance 0.25) and 0.60 on true/false (chance 0.5).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from lemminflect import getAllLemmas
from textblob.en.taggers import PatternTagger

from eurekatutor.domain.questions import Question, QuestionKind
from eurekatutor.errors import AnswerError
from eurekatutor.tutor import Tutor

ROOT = Path(__file__).resolve().parent.parent
DECK = ROOT / "decks" / "karpathy-dwarkesh-2025.md"
FIXTURES = ROOT / "tests" / "data" / "testwise"
DEFAULT_NOTES = (
    DECK,
    FIXTURES / "glass-reef-interview.md",
    FIXTURES / "harrowgate-canal-lecture.md",
)
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
KINDS = (QuestionKind.CHOICE, QuestionKind.TRUEFALSE)
TARGETS = {QuestionKind.CHOICE: 0.35, QuestionKind.TRUEFALSE: 0.60}
TRUE, FALSE = "True", "False"
BLANK = "_____"
# The base rate only breaks ties: its weight is below any fitted cue's.
BASE_RATE_WEIGHT = 0.01
# Weights are fitted on the other talks asked with this many seeds (the first is --seed), so
# that each of their true/false questions is seen both true and false, and more distractors.
FIT_SEEDS = 4
# The weight of a cue that never fired on the talks weights are fitted on, or no better (nor
# worse) than chance there by more than SIGNIFICANT standard errors: none.
UNFITTED = 0.0
SIGNIFICANT = 2.0
# Pseudo-answers at chance added to a cue's record before its weight is worked out.
SMOOTHING = 4.0

PREFIXES = ("Which words fill the blank? ", "True or false? ", "Fill in the blank: ")
QUOTE_FRAME = re.compile(r"^(?P<who>[^“”:\n]{1,80}?)(?P<said> said)?: “(?P<text>.*)”$", re.S)
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
STOPWORDS = frozenset(
    """a an the and or but of to in on at by for from with as is are was were be been being it
    its this that these those he she they we i you his her their our my your them him us not no
    so such than then there which who whom what when where why how do does did have has had
    can could will would should may might must about into over under more most much many very
    just also only one each every some any all""".split()
)
SINGULAR_DETERMINERS = frozenset("a an each every another".split())
PLURAL_DETERMINERS = frozenset("these those many several both few".split())
NOUN_DETERMINERS = frozenset("a an the each every these those its their our my your".split())
SUBJECT_PRONOUNS = frozenset("he she they we i".split())
FINITE_VERBS = frozenset({"VBD", "VBZ", "VBP", "MD"})
NUMBER_WORDS = {
    word: float(value)
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
} | {"twenty": 20.0, "thirty": 30.0, "forty": 40.0, "fifty": 50.0, "hundred": 100.0}
SCALES = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "trillion": 1e12,
}
FRACTIONS = {"half": 0.5, "third": 1 / 3, "quarter": 0.25}
# Factors that a generator scaling a number by hand would use (convergence: the answer is the
# option the others are simple multiples of).
FACTORS = (2.0, 0.5, 10.0, 0.1, 5.0, 0.2, 3.0, 1 / 3)
# Specific determiners (Millman, Bishop and Ebel): sweeping words make a statement likelier
# false, guarded ones likelier true.
ABSOLUTES = frozenset(
    """all always never none nothing only entirely completely fully totally solely alone
    every everything must cannot impossible guaranteed certainly""".split()
)
HEDGES = frozenset(
    """some often usually may might can could likely probably perhaps sometimes mostly
    partly largely rather instead unless although though""".split()
)


# What the learner sees


@dataclass(frozen=True)
class Seen:
    """What a learner sees of one question: the card it is about (the same card comes back,
    in any format), the version, the format, the prompt, the options and the screen's header.
    Never the answer, the correction or the fact."""

    card: int
    version: int
    kind: QuestionKind
    prompt: str
    options: tuple[str, ...]
    topic: str
    speaker: str | None

    @classmethod
    def of(cls, question: Question, version: int) -> Seen:
        """Return what a learner sees of ``question``: its header is the topic and the speaker,
        or, when the question has a ``header`` (what the screen shows), those of them in it."""
        topic, speaker = question.topic, question.speaker
        header = getattr(question, "header", None)
        if isinstance(header, str):
            shown = header.split(" · ")
            topic = topic if topic in shown else ""
            speaker = speaker if speaker in shown else None
        return cls(
            card=question.fact_id,
            version=version,
            kind=question.kind,
            prompt=question.prompt,
            options=tuple(question.choices or ()),
            topic=topic,
            speaker=speaker,
        )

    @property
    def header(self) -> str:
        """Return the header as the screen shows it."""
        return " · ".join(part for part in (self.topic, self.speaker) if part)


@dataclass(frozen=True)
class Body:
    """A prompt without its instruction: who a quote is framed as said by, and the text."""

    who: str | None
    text: str

    @property
    def blank(self) -> tuple[str, str] | None:
        """Return the text before and after the blank, or ``None`` without one."""
        before, found, after = self.text.partition(BLANK)
        return (before, after) if found else None


def body_of(prompt: str) -> Body:
    """Return a prompt's body: without "True or false?" and the like, a quote unframed."""
    text = prompt
    for prefix in PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    framed = QUOTE_FRAME.match(text)
    if framed:
        return Body(framed["who"].strip(), framed["text"])
    return Body(None, text)


def fold(text: str) -> str:
    """Return text case-folded, with straight quotes and single spaces, for comparing."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.casefold().split())


def squash(text: str) -> str:
    """Return text folded down to its words: punctuation and quotation marks gone."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(text)).split())


def stem(word: str) -> str:
    """Return a crude stem: case-folded, without a possessive or a plural ``s``."""
    word = word.casefold().replace("’", "'").removesuffix("'s").rstrip("'")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def content_stems(text: str) -> set[str]:
    """Return the stems of a text's words that are not stop words."""
    return {stem(word) for word in WORD.findall(text) if word.casefold() not in STOPWORDS}


@cache
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")


def contains(text: str, phrase: str) -> bool:
    """Return whether folded ``text`` holds folded ``phrase`` as whole words."""
    return bool(phrase) and phrase in text and bool(_phrase_pattern(phrase).search(text))


# Grammar: a real part-of-speech tagger, lemmas and a tag-bigram model of the talk's own text

_TAGGER = PatternTagger()


@cache
def tag(text: str) -> tuple[tuple[str, str], ...]:
    """Return the words of ``text`` with their Penn Treebank tags (Pattern's tagger)."""
    return tuple((word, label) for word, label in _TAGGER.tag(text))


def coarse(label: str) -> str:
    """Return a coarser tag: proper nouns, adjectives and adverbs as one tag each."""
    if label.startswith("NNP"):
        return "NP"
    if label[:2] in ("JJ", "RB"):
        return label[:2]
    return label


def is_plural_noun(word: str, label: str) -> bool:
    """Return whether a noun is plural: by its tag, or by its lemma (lemminflect)."""
    if label in ("NNS", "NNPS"):
        return True
    if not label.startswith("NN") or not word.casefold().endswith("s"):
        return False
    lemmas = getAllLemmas(word.casefold()).get("NOUN", ())
    return bool(lemmas) and word.casefold() not in lemmas


def starts_with_vowel_sound(word: str) -> bool:
    """Return whether "an" goes before ``word`` (by letters: an approximation of its sound)."""
    token = re.match(r"[A-Za-z0-9]+", word.lstrip("\"'“‘(*"))
    if token is None:
        return False
    text = token.group()
    if text[0].isdigit():
        return text.startswith(("8", "11", "18"))
    if len(text) > 1 and text.isupper():  # an acronym, read letter by letter
        return text[0] in "AEFHILMNORSX"
    lower = text.casefold()
    if lower.startswith(("uni", "use", "usu", "uti", "ura", "eu", "one", "once", "ubiq")):
        return False
    if lower.startswith(("hour", "honest", "honour", "honor", "heir")):
        return True
    return lower[0] in "aeiou"


def article_errors(text: str) -> int:
    """Return how many "a"/"an" in ``text`` disagree with the next word's first sound."""
    errors = 0
    for match in re.finditer(r"(?<![\w'’-])(a|an|A|An)\s+([\"'“‘(]?[A-Za-z0-9]\S*)", text):
        wants_an = starts_with_vowel_sound(match[2])
        errors += wants_an != (match[1].casefold() == "an")
    return errors


def doubled_words(text: str) -> int:
    """Return how many words of ``text`` repeat the word just before them."""
    return len(re.findall(r"(?<![\w'’])([A-Za-z]+)\s+\1(?![\w'’])", text, re.IGNORECASE))


def tag_errors(tagged: Sequence[tuple[str, str]]) -> float:
    """Return a count of tag sequences that English does not allow (a plural after "a", a verb
    after "the", a finite verb after "to" or a modal, a noun right after "they", doubled
    finite verbs, "the decade are")."""
    errors = 0.0
    for (word, label), (following, after) in itertools.pairwise(tagged):
        lower = word.casefold()
        singular = lower in SINGULAR_DETERMINERS and is_plural_noun(following, after)
        if singular or (lower in PLURAL_DETERMINERS and after in ("NN", "NNP")):
            errors += 1  # "a sponges", "these sponge"
        if lower in NOUN_DETERMINERS and (after in FINITE_VERBS or after in ("DT", "TO", "CC")):
            errors += 1
        if label == "TO" and after in ("VBD", "VBZ", "MD"):
            errors += 0.5
        if label == "MD" and not (after.startswith("VB") or after.startswith("RB")):
            errors += 1
        if lower in SUBJECT_PRONOUNS and after.startswith("NN"):
            errors += 1
        if label in FINITE_VERBS and after in FINITE_VERBS:
            errors += 0.5
        if label == "NN" and not is_plural_noun(word, label) and following in ("are", "were"):
            errors += 0.5
    return errors


def fluency_errors(text: str) -> float:
    """Return how ungrammatical ``text`` looks: tag errors, a/an errors, doubled words, and
    numbers written as a program prints them ("5e+08")."""
    errors = tag_errors(tag(text)) + article_errors(text) + doubled_words(text)
    return errors + len(re.findall(r"\d(?:\.\d+)?e[+-]\d+", text))


class TagModel:
    """Tag-bigram statistics of the texts a learner has seen, for how usual a sequence is."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.unigrams: Counter[str] = Counter()
        self.bigrams: Counter[tuple[str, str]] = Counter()
        for text in texts:
            labels = [coarse(label) for _, label in tag(text)]
            self.unigrams.update(labels)
            self.bigrams.update(itertools.pairwise(labels))
        self.total = max(1, sum(self.unigrams.values()))
        self.size = max(1, len(self.unigrams))

    def association(self, labels: Sequence[str]) -> float:
        """Return the summed pointwise association of consecutive tags (add-one smoothed):
        above zero when the sequence is more usual than its tags alone would make it."""
        score = 0.0
        for first, second in itertools.pairwise(labels):
            given = (self.bigrams[first, second] + 1) / (self.unigrams[first] + self.size)
            alone = (self.unigrams[second] + 1) / (self.total + self.size)
            score += math.log(given / alone)
        return score


# Numbers


def number_in(text: str) -> float | None:
    """Return the number an option states ("about 10", "2,300", "20B", "one third"), if any."""
    lower = text.casefold()
    digits = re.search(r"(\d[\d,]*(?:\.\d+)?(?:e[+-]?\d+)?)\s*([a-z]+)?", lower)
    if digits:
        value = float(digits[1].replace(",", ""))
        return value * SCALES.get(digits[2] or "", 1.0)
    words = WORD.findall(lower)
    for index, word in enumerate(words):
        if word in NUMBER_WORDS or (word == "a" and index + 1 < len(words)):
            base = NUMBER_WORDS.get(word, 1.0)
            following = words[index + 1] if index + 1 < len(words) else ""
            if following in SCALES:
                return base * SCALES[following]
            if following.rstrip("s") in FRACTIONS:
                return base * FRACTIONS[following.rstrip("s")]
            if word in NUMBER_WORDS:
                return base
    return None


def significant_digits(value: float) -> int:
    """Return how many significant digits a number is written with (roundness)."""
    if value == 0:
        return 1
    mantissa = f"{abs(value):.6e}".split("e")[0].replace(".", "").rstrip("0")
    return max(1, len(mantissa))


# The context: every question the learner has seen


class Context:
    """Every version of every question of a talk that the learner has seen."""

    def __init__(self, seen: Sequence[Seen]) -> None:
        self.seen = list(seen)
        self.by_card: dict[int, list[Seen]] = {}
        for question in self.seen:
            self.by_card.setdefault(question.card, []).append(question)
        self.card_text = {
            card: "\n".join(fold(body_of(question.prompt).text) for question in questions)
            for card, questions in self.by_card.items()
        }
        self.options = {fold(option) for question in self.seen for option in question.options}
        self.options -= {fold(TRUE), fold(FALSE), ""}
        self.topics = {question.topic for question in self.seen if question.topic}
        self._choice_votes: dict[Seen, Votes] = {}
        self._cards_with: dict[str, frozenset[int]] = {}
        self._tags: TagModel | None = None

    @property
    def tags(self) -> TagModel:
        """Return the tag model of the texts seen (built on first use)."""
        if self._tags is None:
            texts = {
                piece.strip()
                for question in self.seen
                for piece in body_of(question.prompt).text.split(BLANK)
            }
            self._tags = TagModel(text for text in texts if text)
        return self._tags

    def others_of(self, question: Seen) -> list[Seen]:
        """Return the other questions about the same card: other versions, other formats."""
        return [other for other in self.by_card[question.card] if other != question]

    def speakers_of(self, question: Seen) -> set[str]:
        """Return the speakers the learner has seen given for a card: in the headers of its
        questions and in the frame of its quotes ("Name: “...”")."""
        found = {fold(other.speaker) for other in self.by_card[question.card] if other.speaker}
        for other in self.others_of(question):
            who = body_of(other.prompt).who
            if who and other.kind is QuestionKind.CHOICE:
                found.add(fold(who))
        return found

    def choice_votes(self, question: Seen) -> Votes:
        """Return the choice cues' votes on a choice question (worked out once)."""
        found = self._choice_votes.get(question)
        if found is None:
            found = self._choice_votes[question] = vote(question, self)
        return found

    def cards_with(self, phrase: str) -> frozenset[int]:
        """Return the cards whose prompts hold the folded ``phrase`` as whole words."""
        found = self._cards_with.get(phrase)
        if found is None:
            found = frozenset(
                card for card, text in self.card_text.items() if contains(text, phrase)
            )
            self._cards_with[phrase] = found
        return found


# Choice cues: each returns a score per option (higher: likelier the answer), or None


ChoiceCue = Callable[[Seen, Context], list[float] | None]
TrueFalseCue = Callable[[Seen, Context], float]


def article_cue(question: Seen, context: Context) -> list[float] | None:
    """1. Article agreement: after "a _____" the answer starts with a consonant sound, after
    "an _____" with a vowel sound."""
    blank = body_of(question.prompt).blank
    if blank is None:
        return None
    article = re.search(r"(?<![\w'’-])(an?)\s*$", blank[0], re.IGNORECASE)
    if article is None:
        return None
    wants_an = article[1].casefold() == "an"
    return [float(starts_with_vowel_sound(option) == wants_an) for option in question.options]


def window(before: str, after: str, option: str, size: int = 5) -> str:
    """Return the words around the blank with ``option`` in it (``size`` words each side)."""
    left = before.split()[-size:]
    right = after.split()[:size]
    return " ".join([*left, option, *right])


def grammar_cue(question: Seen, context: Context) -> list[float] | None:
    """2. Grammatical fit: tag the words around the blank with each option in it; penalise
    tag sequences English does not allow and prefer the usual ones (tag bigrams of the talk's
    own text)."""
    blank = body_of(question.prompt).blank
    if blank is None:
        return None
    scores = []
    for option in question.options:
        text = window(*blank, option)
        tagged = tag(text)
        usual = context.tags.association([coarse(label) for _, label in tagged])
        errors = tag_errors(tagged) + article_errors(text) + doubled_words(text)
        scores.append(usual / max(1, len(tagged)) - 3.0 * errors)
    return scores


def length_middle_cue(question: Seen, context: Context) -> list[float] | None:
    """3a. Shape, length: the option whose length is in the middle of the others' (distractors
    picked for a length close to the answer's surround it)."""
    sizes = [math.log(1 + len(option)) for option in question.options]
    return [-sum(abs(size - other) for other in sizes) for size in sizes]


def _odd_one_out(values: Sequence[object]) -> list[float] | None:
    """Return 1 for the one option whose value differs from all the others' (all equal), else
    None."""
    counts = Counter(values)
    if len(values) < 3 or len(counts) != 2 or min(counts.values()) != 1:
        return None
    odd = min(counts, key=lambda value: counts[value])
    return [float(value == odd) for value in values]


def odd_length_cue(question: Seen, context: Context) -> list[float] | None:
    """3b. Shape, length: the option of a different number of words from all the others."""
    return _odd_one_out([len(option.split()) for option in question.options])


def odd_case_cue(question: Seen, context: Context) -> list[float] | None:
    """3c. Shape, capitalisation: the one option capitalised (or not) unlike the others."""
    return _odd_one_out([option.lstrip("\"'“")[:1].isupper() for option in question.options])


def odd_format_cue(question: Seen, context: Context) -> list[float] | None:
    """3d. Shape, number format and unit: the one option written unlike the others (a number
    among words, "5e+08" or "0.5" among whole numbers, a unit among bare numbers). Votes for
    the odd one; its weight says whether that is the answer or a distractor."""
    formats = []
    for option in question.options:
        if re.search(r"\de[+-]\d", option):
            formats.append("scientific")
        elif re.search(r"\d\.\d", option):
            formats.append("decimal")
        elif re.search(r"\d", option):
            unit = re.search(r"\d\S*\s+[A-Za-z]", option) is not None
            formats.append("number with unit" if unit else "number")
        elif number_in(option) is not None:
            formats.append("number in words")
        else:
            formats.append("words")
    return _odd_one_out(formats)


def echo_cue(question: Seen, context: Context) -> list[float] | None:
    """4a. Overlap: words of an option that the stem, the topic or the speaker echo."""
    body = body_of(question.prompt)
    stem_words = content_stems(body.text.replace(BLANK, " "))
    stem_words |= content_stems(question.topic) | content_stems(question.speaker or "")
    scores = []
    for option in question.options:
        words = content_stems(option)
        scores.append(len(words & stem_words) / max(1, len(words)) if words else 0.0)
    return scores


def convergence_cue(question: Seen, context: Context) -> list[float] | None:
    """4d. Overlap between options: distractors written as variations of the answer each
    share words with it, so the option that shares the most with the others is the answer
    (the convergence strategy)."""
    words = [content_stems(option) for option in question.options]
    return [
        sum(len(own & other) / max(1, len(own | other)) for other in words if other is not own)
        for own in words
    ]


def longest_cue(question: Seen, context: Context) -> list[float] | None:
    """3e. Shape, length: the longest option (an answer qualified to be exactly right)."""
    return [float(len(option)) for option in question.options]


def guarded(text: str) -> float:
    """Return the guarded words of a text less its sweeping ones (specific determiners)."""
    words = [word.casefold() for word in WORD.findall(text)]
    return float(sum(word in HEDGES for word in words) - sum(word in ABSOLUTES for word in words))


def determiners_cue(question: Seen, context: Context) -> list[float] | None:
    """4e. Specific determiners: the option with guarded words ("often", "rather") rather than
    sweeping ones ("always", "only")."""
    return [guarded(option) for option in question.options]


def hidden_topic_cue(question: Seen, context: Context) -> list[float] | None:
    """4b. Overlap, by absence: a header without its topic hides it because it names the
    answer, so the option that shares a word with a topic shown elsewhere (on the same card's
    other questions first) is likelier the answer."""
    if question.topic or not context.topics:
        return None
    own = {other.topic for other in context.by_card[question.card] if other.topic}
    scores = []
    for option in question.options:
        words = content_stems(option)
        near = any(words & content_stems(topic) for topic in own)
        anywhere = sum(bool(words & content_stems(topic)) for topic in context.topics)
        scores.append(2.0 * near + anywhere / len(context.topics))
    return scores


def nested_cue(question: Seen, context: Context) -> list[float] | None:
    """4c. Overlap: an option held inside another option ("billion" and "billion parameters").
    Votes for the options that hold no other; the weight says which way it points."""
    folded = [fold(option) for option in question.options]
    inside = [
        any(index != other and contains(outer, text) for other, outer in enumerate(folded))
        for index, text in enumerate(folded)
    ]
    return [float(not held) for held in inside] if any(inside) else None


def repeated_cue(question: Seen, context: Context) -> list[float] | None:
    """5a. Repetition: the option that every version of the question offers."""
    versions = [other for other in context.others_of(question) if other.kind is question.kind]
    if not versions:
        return None
    offered = [{fold(option) for option in other.options} for other in versions]
    return [
        sum(fold(option) in options for options in offered) / len(offered)
        for option in question.options
    ]


def unblanked_cue(question: Seen, context: Context) -> list[float] | None:
    """5b. Repetition: another version blanks another phrase, so it shows this blank's answer
    in its place: the option that reads on from the words around this blank there."""
    blank = body_of(question.prompt).blank
    if blank is None:
        return None
    left = " ".join(fold(blank[0]).split()[-2:])
    right = " ".join(fold(blank[1]).split()[:2])
    texts = [
        fold(body_of(other.prompt).text)
        for other in context.others_of(question)
        if other.kind is question.kind
    ]
    scores = []
    for option in question.options:
        text = fold(option)
        probes = (f"{left} {text}".strip(), f"{text} {right}".strip())
        scores.append(float(sum(any(probe in other for probe in probes) for other in texts)))
    return scores


def statement_echo_cue(question: Seen, context: Context) -> list[float] | None:
    """5c. Repetition in the other format: the same card's true/false statements repeat the
    text of one option (the answer, or the answer with one phrase swapped)."""
    statements = [
        content_stems(body_of(other.prompt).text)
        for other in context.others_of(question)
        if other.kind is QuestionKind.TRUEFALSE
    ]
    if not statements:
        return None
    blank = body_of(question.prompt).blank
    around = content_stems(" ".join(blank)) if blank else set()
    scores = []
    for option in question.options:
        words = content_stems(option) - around
        shared = [len(words & statement) / len(words) for statement in statements if words]
        scores.append(sum(shared))
    return scores


def seen_elsewhere_cue(question: Seen, context: Context) -> list[float] | None:
    """6. Seen elsewhere: distractors are borrowed from other facts, so an option found in other
    cards' prompts is likely a distractor, one found nowhere else likely the answer."""
    scores = []
    for option in question.options:
        cards = context.cards_with(fold(option)) - {question.card}
        scores.append(-math.log1p(len(cards)))
    return scores


def _numbers(question: Seen) -> list[float] | None:
    values = [number_in(option) for option in question.options]
    if any(value is None or value <= 0 for value in values):
        return None
    return [value for value in values if value is not None]


def number_median_cue(question: Seen, context: Context) -> list[float] | None:
    """7a. Numbers: the option nearest the median value (on a log scale)."""
    values = _numbers(question)
    if values is None:
        return None
    middle = statistics.median(math.log(value) for value in values)
    return [-abs(math.log(value) - middle) for value in values]


def number_round_cue(question: Seen, context: Context) -> list[float] | None:
    """7b. Numbers: the roundest option (fewest significant digits)."""
    values = _numbers(question)
    if values is None:
        return None
    return [-float(significant_digits(value)) for value in values]


def number_convergence_cue(question: Seen, context: Context) -> list[float] | None:
    """7c. Numbers: the option that the most others are simple multiples of (x2, x10, /2...)."""
    values = _numbers(question)
    if values is None:
        return None
    return [
        float(
            sum(
                any(math.isclose(other, value * factor, rel_tol=0.01) for factor in FACTORS)
                for other in values
            )
        )
        for value in values
    ]


CHOICE_CUES: dict[str, ChoiceCue] = {
    "article": article_cue,
    "grammar": grammar_cue,
    "length middle": length_middle_cue,
    "odd length": odd_length_cue,
    "odd case": odd_case_cue,
    "odd format": odd_format_cue,
    "echo": echo_cue,
    "convergence": convergence_cue,
    "longest": longest_cue,
    "determiners": determiners_cue,
    "hidden topic": hidden_topic_cue,
    "nested": nested_cue,
    "repeated": repeated_cue,
    "unblanked": unblanked_cue,
    "statement echo": statement_echo_cue,
    "seen elsewhere": seen_elsewhere_cue,
    "number median": number_median_cue,
    "number round": number_round_cue,
    "number convergence": number_convergence_cue,
}


# True/false cues: each returns a vote from -1 (false) to 1 (true); 0 is no opinion


def fluency_cue(question: Seen, context: Context) -> float:
    """8. Fluency: an ungrammatical statement (tagger, a/an, doubled words, "5e+08") is false."""
    return -min(1.0, fluency_errors(body_of(question.prompt).text))


def base_rate_cue(question: Seen, context: Context) -> float:
    """9. Base rate: say False. Only a tie-break, and only when statements were false more
    often than true on the talks the weights are fitted on."""
    return -1.0


def speaker_cue(question: Seen, context: Context) -> float:
    """10a. Header: "X said: ..." is true when X is the speaker the card is shown with (in a
    header, or in the frame of its quote in a choice question), false when it is another."""
    who = body_of(question.prompt).who
    known = context.speakers_of(question)
    if who is None or not known:
        return 0.0
    surname = fold(who).split()[-1]
    same = fold(who) in known or surname in {name.split()[-1] for name in known}
    return 1.0 if same else -1.0


def determiners_statement_cue(question: Seen, context: Context) -> float:
    """10c. Specific determiners: a statement with sweeping words ("always", "only") is
    false, one with guarded words ("often", "may") true."""
    return max(-1.0, min(1.0, guarded(body_of(question.prompt).text)))


def topic_cue(question: Seen, context: Context) -> float:
    """10b. Header: a statement that shares a word with the topic is likelier true."""
    shared = content_stems(body_of(question.prompt).text) & content_stems(question.topic)
    return 1.0 if shared else 0.0


def repeated_statement_cue(question: Seen, context: Context) -> float:
    """11a. Repetition: the true statement reads the same in every version; each false one is
    altered at random."""
    mine = fold(question.prompt)
    others = [
        fold(other.prompt)
        for other in context.others_of(question)
        if other.kind is QuestionKind.TRUEFALSE
    ]
    if not others:
        return 0.0
    if mine in others:
        return 1.0
    if len(set(others)) < len(others):
        return -1.0  # another wording repeats: that one is the true statement
    return -0.5


@dataclass(frozen=True)
class Fit:
    """How a statement reads against a choice question about the same card: whether it agrees
    with all the question shows (its sentence but the blank, or its question's words), and the
    option it puts in the blank's place (or after the question's words), if any."""

    agrees: bool
    option: int | None = None


def fit_statement(statement: str, question: Seen) -> Fit:
    """Return how a squashed statement reads against a choice question of the same card."""
    body = body_of(question.prompt)
    blank = body.blank
    if blank is not None:
        before, after = squash(blank[0]), squash(blank[1])
        if not statement.startswith(before) or not statement.endswith(after):
            return Fit(False)
        end = len(statement) - len(after)
        if end < len(before):
            return Fit(False)
        filler = statement[len(before) : end].strip()
    else:
        cue = squash(body.text)
        if not statement.startswith(cue):
            return Fit(False)  # the card's statements open with its question's words
        filler = statement[len(cue) :].strip()
    options = [squash(option) for option in question.options]
    found = options.index(filler) if filler in options else None
    return Fit(blank is not None or found is not None, found)


def consistency_cue(question: Seen, context: Context) -> float:
    """11b. Repetition in the other format: the same card's choice questions show its sentence
    (all but a blank) or its answer among their options; a statement that contradicts them
    is false, one that agrees with all of them is true."""
    statement = squash(body_of(question.prompt).text)
    fits = [
        fit_statement(statement, other)
        for other in context.others_of(question)
        if other.kind is QuestionKind.CHOICE
    ]
    if not fits:
        return 0.0
    return 0.5 if all(fit.agrees for fit in fits) else -1.0


# Choice cues that read the true/false statements themselves: asking them about a statement's
# filler would only say that the statement holds it.
CIRCULAR = frozenset({"statement echo"})


def via_choice_votes(question: Seen, context: Context) -> dict[str, float]:
    """11c. The other format's cues: a statement that puts one of a choice question's options
    in its blank (or after its question's words) is true if that option is the choice
    question's answer, so every choice cue has a say, as "via choice: <cue>": for when its
    favourite is the option (alone), against when it is not."""
    statement = squash(body_of(question.prompt).text)
    said: dict[str, float] = {}
    for other in context.others_of(question):
        fit = fit_statement(statement, other) if other.kind is QuestionKind.CHOICE else Fit(False)
        if fit.option is None:
            continue
        votes = context.choice_votes(other)
        for name in votes.scores:
            if name in CIRCULAR:
                continue
            picks = votes.picks(name)
            chosen = other.options[fit.option] in picks
            if not chosen or len(picks) == 1:
                said[f"via choice: {name}"] = 1.0 if chosen else -1.0
        break  # one version of the choice question is enough
    return said


def pasted_cue(question: Seen, context: Context) -> float:
    """12. Seen elsewhere: a statement holding a phrase (one the learner has seen offered as
    an option) that the same card's other questions never show but another card's do was
    pasted in from that card: false."""
    statement = fold(body_of(question.prompt).text)
    own = "\n".join(
        fold(body_of(other.prompt).text)
        for other in context.others_of(question)
        if fold(other.prompt) != fold(question.prompt)
    )
    if not own:
        return 0.0
    for phrase in context.options:
        if len(phrase) < 3 or not contains(statement, phrase) or contains(own, phrase):
            continue
        if context.cards_with(phrase) - {question.card}:
            return -1.0
    return 0.0


TRUEFALSE_CUES: dict[str, TrueFalseCue] = {
    "fluency": fluency_cue,
    "base rate": base_rate_cue,
    "speaker": speaker_cue,
    "topic": topic_cue,
    "determiners": determiners_statement_cue,
    "repeated": repeated_statement_cue,
    "consistency": consistency_cue,
    "seen elsewhere": pasted_cue,
}


# Votes, answers and weights


@dataclass(frozen=True)
class Votes:
    """What the cues said about one question: each cue's scores per option, from 0 to 1, for
    the cues with an opinion. A true/false cue is named with the answer it points to
    ("consistency → False"), so that each direction has its own record and weight."""

    question: Seen
    scores: dict[str, list[float]]

    def picks(self, name: str) -> list[str]:
        """Return the options a cue favours most (all those tied for its best score)."""
        scores = self.scores[name]
        best = max(scores)
        return [
            option
            for option, score in zip(self.question.options, scores, strict=True)
            if math.isclose(score, best, abs_tol=1e-9)
        ]


def vote(question: Seen, context: Context) -> Votes:
    """Return what every cue says about ``question`` (cues with no opinion left out)."""
    scores: dict[str, list[float]] = {}
    if question.kind is QuestionKind.TRUEFALSE:
        said = {name: cue(question, context) for name, cue in TRUEFALSE_CUES.items()}
        for name, value in (said | via_choice_votes(question, context)).items():
            if value:
                answer = TRUE if value > 0 else FALSE
                scores[f"{name} → {answer}"] = [
                    abs(value) if option == answer else 0.0 for option in question.options
                ]
        return Votes(question, scores)
    for name, choice_cue in CHOICE_CUES.items():
        found = choice_cue(question, context)
        if found is not None and max(found) - min(found) > 1e-9:
            low, high = min(found), max(found)
            scores[name] = [(score - low) / (high - low) for score in found]
    return Votes(question, scores)


Weights = dict[QuestionKind, dict[str, float]]


def decide(votes: Votes, weights: Weights, rng: random.Random) -> str:
    """Return the learner's answer: the weighted vote of the cues, ties broken at random."""
    question = votes.question
    kind_weights = weights.get(question.kind, {})
    combined = [0.0] * len(question.options)
    for name, scores in votes.scores.items():
        weight = kind_weights.get(name, UNFITTED)
        combined = [total + weight * score for total, score in zip(combined, scores, strict=True)]
    best = max(combined)
    tied = [
        option
        for option, total in zip(question.options, combined, strict=True)
        if math.isclose(total, best, abs_tol=1e-9)
    ]
    return rng.choice(tied)


@dataclass
class CueRecord:
    """How often a cue had an opinion, and how much of it was right (a tie among its favourite
    options counts as the share of them that is right, as a guess among them would be)."""

    fired: int = 0
    hits: float = 0.0
    chance: float = 0.0

    def add(self, picks: Sequence[str], expected: str, chance: float) -> None:
        """Count one question the cue had an opinion on."""
        self.fired += 1
        self.hits += (expected in picks) / len(picks)
        self.chance += chance

    def merge(self, other: CueRecord) -> CueRecord:
        """Return the records of two sets of questions together."""
        return CueRecord(
            self.fired + other.fired, self.hits + other.hits, self.chance + other.chance
        )

    @property
    def accuracy(self) -> float | None:
        """Return the share right when it fired, or ``None`` if it never did."""
        return self.hits / self.fired if self.fired else None

    def weight(self) -> float:
        """Return the cue's log likelihood ratio for the option it favours, smoothed towards
        chance; none unless its accuracy differs from chance by more than luck would explain
        (two standard errors), so that a cue at chance adds no noise. A cue worse than chance
        counts against its favourite."""
        if not self.fired:
            return UNFITTED
        chance = self.chance / self.fired
        spread = math.sqrt(self.fired * chance * (1 - chance))
        if abs(self.hits - self.fired * chance) < SIGNIFICANT * spread:
            return UNFITTED
        right = (self.hits + SMOOTHING * chance) / (self.fired + SMOOTHING)
        return math.log(right * (1 - chance) / ((1 - right) * chance))


Records = dict[QuestionKind, dict[str, CueRecord]]


def merged(records: Sequence[Records]) -> Records:
    """Return the records of several talks together."""
    total: Records = {kind: {} for kind in KINDS}
    for talk in records:
        for kind, cues in talk.items():
            for name, cue in cues.items():
                total[kind][name] = total[kind].get(name, CueRecord()).merge(cue)
    return total


def fit(records: Sequence[Records]) -> Weights:
    """Return each cue's weight from its records on some talks. The base rate only breaks
    ties, towards False, and only if statements were false more often than true there."""
    weights: Weights = {
        kind: {name: cue.weight() for name, cue in cues.items()}
        for kind, cues in merged(records).items()
    }
    base_rate = f"base rate → {FALSE}"
    if weights[QuestionKind.TRUEFALSE].get(base_rate, UNFITTED) > 0:
        # Statements were false more often than true: say False when nothing else tells.
        weights[QuestionKind.TRUEFALSE][base_rate] = BASE_RATE_WEIGHT
    return weights


# The learner's run on one talk


@dataclass(frozen=True)
class Asked:
    """One version of one question the tutor asked."""

    version: int
    question: Question


@dataclass(frozen=True)
class TalkQuestions:
    """Every version of every recognition question of one talk."""

    title: str
    path: Path
    asked: tuple[Asked, ...]
    warnings: tuple[str, ...] = ()

    def first(self, kind: QuestionKind | None = None) -> list[Question]:
        """Return the questions of the first version (of one format, or all), in notes order."""
        return [
            item.question
            for item in self.asked
            if item.version == 0 and (kind is None or item.question.kind is kind)
        ]


def collect(path: Path, versions: int, seed: int) -> TalkQuestions:
    """Import a notes file into a fresh temporary database and ask each fact that can be asked
    as a choice or a true/false question in that format, ``versions`` times over (the first
    version of every question first).

    Raises ``NotesError`` when the file cannot be imported.
    """
    asked: list[Asked] = []
    with (
        tempfile.TemporaryDirectory() as folder,
        Tutor.open(Path(folder) / "testwise.db", seed=seed, clock=lambda: NOW) as tutor,
    ):
        before = {talk.id for talk in tutor.talks()}
        report = tutor.import_notes(path, now=NOW)
        talks = tutor.talks()
        talk = next((talk for talk in talks if talk.id not in before), None) or next(
            talk for talk in talks if talk.title == report.talk
        )
        facts = [(fact, tutor.kinds_for(fact)) for fact in tutor.facts(talk.id)]
        for version in range(versions):
            for fact, kinds in facts:
                for kind in KINDS:
                    if kind in kinds and fact.id is not None:
                        try:
                            question = tutor.question_for(fact.id, now=NOW, kind=kind)
                        except AnswerError:
                            continue
                        asked.append(Asked(version, question))
    return TalkQuestions(talk.title, path, tuple(asked), report.warnings)


def contexts(asked: Sequence[Asked], cross_kind: bool) -> dict[QuestionKind, Context]:
    """Return what the learner sees when answering each format: every question, or only the
    questions of the same format (to tell what the other format gives away)."""
    seen = [Seen.of(item.question, item.version) for item in asked]
    if cross_kind:
        return dict.fromkeys(KINDS, Context(seen))
    return {kind: Context([item for item in seen if item.kind is kind]) for kind in KINDS}


def attack(asked: Sequence[Asked], cross_kind: bool = True) -> list[Votes]:
    """Return the cues' votes on the first version of each question, having seen all versions.

    Only what a learner sees is read (``Seen``): never ``expected``, ``correction`` or ``fact``.
    """
    by_kind = contexts(asked, cross_kind)
    return [
        vote(Seen.of(item.question, item.version), by_kind[item.question.kind])
        for item in asked
        if item.version == 0 and item.question.kind in by_kind
    ]


def answers(votes: Sequence[Votes], weights: Weights, seed: int) -> list[str]:
    """Return the learner's answers to voted questions (ties broken by a seeded source)."""
    rng = random.Random(f"testwise-{seed}")
    return [decide(item, weights, rng) for item in votes]


def chance_of(question: Question) -> float:
    """Return the chance of guessing a recognition question right."""
    return 1.0 / len(question.choices or [TRUE, FALSE])


def record(votes: Sequence[Votes], questions: Sequence[Question]) -> Records:
    """Return, per format and cue, how often it fired and was right (the scoring step: the only
    reader of ``expected``)."""
    records: Records = {kind: {} for kind in KINDS}
    for item, question in zip(votes, questions, strict=True):
        for name in item.scores:
            cue = records[question.kind].setdefault(name, CueRecord())
            cue.add(item.picks(name), str(question.expected), chance_of(question))
    return records


@dataclass(frozen=True)
class Score:
    """The learner's figures on one format of one talk (or of several)."""

    questions: int
    accuracy: float
    chance: float
    same_kind_accuracy: float

    @property
    def above_chance(self) -> float:
        """Return accuracy minus chance."""
        return self.accuracy - self.chance

    def as_dict(self) -> dict[str, float | int]:
        """Return the figures as JSON-ready data."""
        return {
            "questions": self.questions,
            "accuracy": round(self.accuracy, 4),
            "chance": round(self.chance, 4),
            "above_chance": round(self.above_chance, 4),
            "same_kind_accuracy": round(self.same_kind_accuracy, 4),
        }


@dataclass(frozen=True)
class TalkRun:
    """The learner's votes on one talk (with every question in view, and with the questions of
    the same format only), and the cues' records there."""

    talk: TalkQuestions
    votes: list[Votes]
    same_kind_votes: list[Votes]
    records: Records
    same_kind_records: Records

    @classmethod
    def of(cls, talk: TalkQuestions) -> TalkRun:
        """Return the learner's votes on a talk's first versions."""
        votes, same_kind = attack(talk.asked), attack(talk.asked, cross_kind=False)
        questions = talk.first()
        return cls(talk, votes, same_kind, record(votes, questions), record(same_kind, questions))

    def score(self, weights: Weights, same_kind_weights: Weights, seed: int) -> dict[str, Score]:
        """Return the learner's figures per format with these weights."""
        questions = self.talk.first()
        given = answers(self.votes, weights, seed)
        alone = answers(self.same_kind_votes, same_kind_weights, seed)
        scores = {}
        for kind in KINDS:
            rows = [
                (question, answer == question.expected, guess == question.expected)
                for question, answer, guess in zip(questions, given, alone, strict=True)
                if question.kind is kind
            ]
            if rows:
                scores[kind.value] = Score(
                    questions=len(rows),
                    accuracy=statistics.fmean(right for _, right, _ in rows),
                    chance=statistics.fmean(chance_of(question) for question, _, _ in rows),
                    same_kind_accuracy=statistics.fmean(right for _, _, right in rows),
                )
        return scores

    def share_true(self) -> float | None:
        """Return the share of first-version true/false statements that are true."""
        expected = [q.expected for q in self.talk.first(QuestionKind.TRUEFALSE)]
        return statistics.fmean(answer == TRUE for answer in expected) if expected else None


# The benchmark


@dataclass(frozen=True)
class TalkFigures:
    """The learner's figures on one talk, per format."""

    title: str
    notes: Path
    kinds: dict[str, Score]
    share_true: float | None
    warnings: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        """Return the figures as JSON-ready data."""
        return {
            "title": self.title,
            "notes": str(self.notes),
            "kinds": {kind: score.as_dict() for kind, score in self.kinds.items()},
            "share_true": None if self.share_true is None else round(self.share_true, 4),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class CueFigures:
    """How a cue did on the talks reported: fired, accuracy when fired, chance then, and its
    weight fitted on all of them, with every seed (for reading: each talk is scored with
    weights fitted on the others)."""

    fired: int
    accuracy: float | None
    chance: float | None
    weight: float


@dataclass(frozen=True)
class Report:
    """The benchmark's figures: per talk and format, all talks together, per cue."""

    talks: list[TalkFigures]
    overall: dict[str, Score]
    cues: dict[str, dict[str, CueFigures]]
    versions: int
    seed: int
    fitted_on: list[str]
    fit_seeds: int
    elapsed: float
    questions: list[TalkQuestions]

    def as_dict(self) -> dict[str, object]:
        """Return the figures as JSON-ready data."""
        return {
            "versions": self.versions,
            "seed": self.seed,
            "weights": "leave one talk out: each talk is scored with cue weights fitted on the "
            "other talks of this list, never on itself",
            "fitted_on": self.fitted_on,
            "fit_seeds": self.fit_seeds,
            "targets": {kind.value: target for kind, target in TARGETS.items()},
            "talks": [talk.as_dict() for talk in self.talks],
            "overall": {kind: score.as_dict() for kind, score in self.overall.items()},
            "cues": {
                kind: {
                    name: {
                        "fired": cue.fired,
                        "accuracy": None if cue.accuracy is None else round(cue.accuracy, 4),
                        "chance": None if cue.chance is None else round(cue.chance, 4),
                        "weight": round(cue.weight, 3),
                    }
                    for name, cue in rows.items()
                }
                for kind, rows in self.cues.items()
            },
            "elapsed_seconds": round(self.elapsed, 2),
        }


def unique_paths(paths: Iterable[Path]) -> list[Path]:
    """Return paths without repeats (by resolved path), in order."""
    return list({path.resolve(): path for path in paths}.values())


def run(
    notes: Sequence[Path], versions: int = 3, seed: int = 1, fit_seeds: int = FIT_SEEDS
) -> Report:
    """Run the learner on each notes file, with cue weights fitted on the other talks (those
    given and the default ones, asked with ``fit_seeds`` seeds from ``seed`` on): no talk is
    scored with weights fitted on itself.

    Raises ``NotesError`` when a file cannot be imported.
    """
    started = time.perf_counter()
    asked = unique_paths(notes)
    pool = unique_paths([*asked, *DEFAULT_NOTES])
    seeds = range(seed, seed + max(1, fit_seeds))
    fitting = {
        path.resolve(): [TalkRun.of(collect(path, versions, draw)) for draw in seeds]
        for path in pool
    }
    runs = {key: found[0] for key, found in fitting.items()}
    talks: list[TalkFigures] = []
    for path in asked:
        this = runs[path.resolve()]
        others = [run for key, found in fitting.items() if key != path.resolve() for run in found]
        weights = fit([other.records for other in others])
        alone = fit([other.same_kind_records for other in others])
        talks.append(
            TalkFigures(
                title=this.talk.title,
                notes=path,
                kinds=this.score(weights, alone, seed),
                share_true=this.share_true(),
                warnings=this.talk.warnings,
            )
        )
    kinds = [kind.value for kind in KINDS]
    overall = {
        kind: pooled([talk.kinds[kind] for talk in talks if kind in talk.kinds])
        for kind in kinds
        if any(kind in talk.kinds for talk in talks)
    }
    reported = [runs[path.resolve()] for path in asked]
    return Report(
        talks=talks,
        overall=overall,
        cues=cue_table(
            [talk.records for talk in reported],
            fit([run.records for path in asked for run in fitting[path.resolve()]]),
        ),
        versions=versions,
        seed=seed,
        fitted_on=[path.name for path in pool],
        fit_seeds=len(seeds),
        elapsed=time.perf_counter() - started,
        questions=[talk.talk for talk in reported],
    )


def pooled(scores: Sequence[Score]) -> Score:
    """Return the figures of several talks together (each weighted by its questions)."""
    count = sum(score.questions for score in scores)

    def mean(read: Callable[[Score], float]) -> float:
        return sum(read(score) * score.questions for score in scores) / count

    return Score(
        questions=count,
        accuracy=mean(lambda score: score.accuracy),
        chance=mean(lambda score: score.chance),
        same_kind_accuracy=mean(lambda score: score.same_kind_accuracy),
    )


def cue_names(kind: QuestionKind, seen: Iterable[str]) -> list[str]:
    """Return the names a format's cue records are kept under, in the order cues are listed:
    a true/false cue once per answer it pointed to (or bare, if it never fired)."""
    if kind is QuestionKind.CHOICE:
        return list(CHOICE_CUES)
    found = set(seen)
    names = []
    cues = [*TRUEFALSE_CUES, *(f"via choice: {name}" for name in CHOICE_CUES)]
    for name in cues:
        directed = [f"{name} → {answer}" for answer in (TRUE, FALSE)]
        names += [item for item in directed if item in found] or (
            [] if name.startswith("via choice") else [name]
        )
    return names


def cue_table(records: Sequence[Records], weights: Weights) -> dict[str, dict[str, CueFigures]]:
    """Return per format and cue, over the given talks: fired, accuracy when fired, chance
    then, and the given weight."""
    total = merged(records)
    table: dict[str, dict[str, CueFigures]] = {}
    for kind in KINDS:
        rows = {}
        for name in cue_names(kind, total[kind]):
            cue = total[kind].get(name, CueRecord())
            rows[name] = CueFigures(
                fired=cue.fired,
                accuracy=cue.accuracy,
                chance=cue.chance / cue.fired if cue.fired else None,
                weight=weights[kind].get(name, UNFITTED),
            )
        table[kind.value] = rows
    return table


def _figure(value: float | None, width: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:{width}.3f}"


def format_table(report: Report) -> str:
    """Return the report as a plain-text table."""
    width = max(len(name) for rows in report.cues.values() for name in rows)
    lines = [
        f"Test-wise learner: it sees {report.versions} versions of every question of a talk "
        f"and answers the first; seed {report.seed}.",
        "Cue weights: leave one talk out (each talk is scored with weights fitted on the "
        f"others of: {', '.join(report.fitted_on)}; each asked with {report.fit_seeds} seeds).",
        "",
        f"{'talk':34} {'kind':9} {'asked':>5} {'chance':>6} {'one kind':>8} {'target':>6} "
        f"{'met':>3} {'all kinds':>9}",
    ]

    def row(title: str, kind: str, score: Score) -> str:
        target = TARGETS[QuestionKind(kind)]
        met = "yes" if score.same_kind_accuracy <= target else "no"
        return (
            f"{title[:34]:34} {kind:9} {score.questions:5} {score.chance:6.3f} "
            f"{score.same_kind_accuracy:8.3f} {'<=' + format(target, '.2f'):>6} {met:>3} "
            f"{score.accuracy:9.3f}"
        )

    for talk in report.talks:
        lines += [row(talk.title, kind, score) for kind, score in talk.kinds.items()]
    lines += [row("all talks", kind, score) for kind, score in report.overall.items()]
    lines += [
        "one kind: the learner's accuracy when it sees only the questions of the format it "
        "answers, so no question about a fact helps with another (the targets' measure).",
        "all kinds: when it also sees the other format's questions about the same facts; a "
        "true statement shows the choice question's blank filled in, which is the fact taught.",
        "",
        "Cues on the first versions of the talks above; weight: fitted on them all (for "
        "reading). A true/false cue is listed by the answer it pointed to; 'via choice: X' is "
        "choice cue X judging the option a statement puts in the card's choice question.",
        "",
        f"{'cue':{width + 2}} {'fired':>5} {'accuracy':>8} {'chance':>6} {'weight':>6}",
    ]
    for kind, rows in report.cues.items():
        lines.append(kind)
        lines += [
            f"  {name:{width}} {cue.fired:5} {_figure(cue.accuracy, 8)} "
            f"{_figure(cue.chance, 6)} {cue.weight:+6.2f}"
            for name, cue in rows.items()
        ]
    shares = [f"{talk.share_true:.2f}" for talk in report.talks if talk.share_true is not None]
    if shares:
        lines.append(f"\nshare of true statements (first versions), per talk: {', '.join(shares)}")
    return "\n".join(lines)


def dump(talks: Sequence[TalkQuestions], path: Path) -> None:
    """Write the first version of each question, without answers, for a reader to attack."""
    lines = [
        "Answer each question from its wording alone: you know nothing of these talks.",
        "Each question shows the header the screen shows above it, in [brackets].",
    ]
    for talk in talks:
        lines += ["", f"# {talk.title}"]
        for kind in KINDS:
            lines += ["", f"## {kind.value}", ""]
            for number, question in enumerate(talk.first(kind), 1):
                header = Seen.of(question, 0).header
                lines.append(f"{number}. [{header}] {question.prompt}")
                if kind is QuestionKind.CHOICE:
                    lines += [
                        f"   {letter}) {option}"
                        for letter, option in zip("abcdefgh", question.choices or (), strict=False)
                    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    """Run the test-wise learner and print its figures (a table, or JSON with ``--json``)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--notes",
        type=Path,
        action="append",
        help="a notes file to attack (repeatable; default: the bundled deck and the two "
        "invented talks in tests/data/testwise)",
    )
    parser.add_argument("--versions", type=int, default=3, help="versions of each question (3)")
    parser.add_argument("--seed", type=int, default=1, help="the tutor's and the learner's (1)")
    parser.add_argument(
        "--fit-seeds",
        type=int,
        default=FIT_SEEDS,
        help=f"seeds the other talks are asked with to fit the weights ({FIT_SEEDS})",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--dump", type=Path, help="write the first versions, without answers")
    args = parser.parse_args(argv)
    if args.versions < 1 or args.fit_seeds < 1:
        parser.error("--versions and --fit-seeds must be at least 1")
    report = run(args.notes or list(DEFAULT_NOTES), args.versions, args.seed, args.fit_seeds)
    for talk in report.talks:
        for warning in talk.warnings:
            print(f"warning: {talk.notes}: {warning}", file=sys.stderr)
    if args.dump:
        dump(report.questions, args.dump)
    if args.json:
        json.dump(report.as_dict(), sys.stdout, indent=2)
        print()
    else:
        print(format_table(report))
        print(f"\n({report.elapsed:.1f} s)")


if __name__ == "__main__":
    main()
