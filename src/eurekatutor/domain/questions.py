"""Questions generated from facts: flashcard, cloze, choice, true/false, typed and order."""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Sequence
from enum import StrEnum
from functools import cached_property

from eurekatutor.domain.models import Fact, FactKind, Frozen, SourceRef, normalise
from eurekatutor.domain.text import (
    Span,
    Token,
    document_frequency,
    key_phrases,
    parse_number,
    words,
)

# A claim or quote flashcard shows this share of the words as the lead and asks for the rest.
LEAD_SHARE = 0.4
BLANK = "_____"
TRUE, FALSE = "True", "False"
# Typed answers stay short: a cue claim whose answer is longer is asked in other formats.
TYPED_MAX_WORDS = 6
# Bumped whenever key phrases or their shapes are worked out differently, so that phrases
# saved before (``QuestionFactory.saved_phrases``) are worked out again.
PHRASES_VERSION = 1


class QuestionKind(StrEnum):
    """The formats a question can take."""

    FLASHCARD = "flashcard"
    CLOZE = "cloze"
    CHOICE = "choice"
    TRUEFALSE = "truefalse"
    TYPED = "typed"
    ORDER = "order"


RECOGNITION = frozenset({QuestionKind.CHOICE, QuestionKind.TRUEFALSE})
RECALL = frozenset(
    {QuestionKind.CLOZE, QuestionKind.TYPED, QuestionKind.ORDER, QuestionKind.FLASHCARD}
)


class Question(Frozen):
    """One question about one fact, with the tutor's predicted chance of a correct answer.

    ``choices`` lists the options (``choice``, ``truefalse``) or the shuffled items (``order``),
    else ``None``. ``expected`` is the correct answer: an option's text, the typed text, the
    items in order for ``order``, the back of the card for ``flashcard``. ``correction`` is the
    true statement behind an altered true/false statement.
    """

    fact_id: int
    kind: QuestionKind
    prompt: str
    expected: str | list[str]
    topic: str
    speaker: str | None
    source: SourceRef
    predicted: float
    fact: Fact
    choices: list[str] | None = None
    correction: str | None = None

    def with_prediction(self, predicted: float) -> Question:
        """Return the same question with another predicted probability."""
        return self.model_copy(update={"predicted": predicted})


class QuestionFactory:
    """Builds questions about the facts of one talk; other facts supply the distractors.

    What it needs from the whole pool (word frequencies, every key phrase by shape) is worked
    out on first use and kept, so building a factory costs little and a question only the
    lookups it needs.
    """

    def __init__(self, pool: Sequence[Fact], speakers: Sequence[str] = ()) -> None:
        self.pool = list(pool)
        self.speakers = list(dict.fromkeys(speakers))
        self._phrases: dict[int | None, list[Span]] = {}
        self._shapes: dict[tuple[int | None, Span], tuple[str, str]] = {}
        # Whether the pool's key phrases are kept where ``load_phrases`` reads them back: true
        # once they are read from there, or once whoever saved ``saved_phrases`` sets it.
        self.phrases_saved = False
        self._kinds: dict[int | None, list[QuestionKind]] = {}
        self._can_ask: dict[int | None, dict[QuestionKind, bool]] = {}
        self._normalised: dict[str, str] = {}
        quote_speakers = {fact.speaker for fact in self.pool if fact.kind is FactKind.QUOTE}
        self._ask_who = len(quote_speakers - {None}) >= 2
        self._cued_claims = [fact for fact in self.pool if fact.kind is FactKind.CLAIM and fact.cue]
        self._numbers = [fact for fact in self.pool if fact.kind is FactKind.NUMBER]
        self._frequency_cache: Counter[str] | None = None
        self._bank_cache: dict[tuple[str, str], list[_BankEntry]] | None = None
        # Each text's words, split once for the word frequencies and again for its phrases.
        self._words: dict[str, list[Token]] = {}

    @property
    def _frequency(self) -> Counter[str]:
        if self._frequency_cache is None:
            texts = (fact.text for fact in self.pool)
            self._frequency_cache = document_frequency(texts, self._split)
        return self._frequency_cache

    def _split(self, text: str) -> list[Token]:
        found = self._words.get(text)
        if found is None:
            found = self._words[text] = words(text)
        return found

    @property
    def _bank(self) -> dict[tuple[str, str], list[_BankEntry]]:
        """Every key phrase of the pool once, for distractors and alterations, by its shape,
        in notes order."""
        if self._bank_cache is None:
            bank: dict[tuple[str, str], list[_BankEntry]] = {}
            for fact in self.pool:
                if fact.kind in (FactKind.CLAIM, FactKind.QUOTE):
                    for span in self.phrases(fact):
                        bank.setdefault(self._shape_of(fact, span), []).append(
                            (fact.id, fact.topic, span.phrase, len(span.phrase.split()))
                        )
            self._bank_cache = bank
            self._words.clear()  # every phrase of the pool is known: the words can go
        return self._bank_cache

    def _shape_of(self, fact: Fact, span: Span) -> tuple[str, str]:
        """Return ``_shape`` of a span of a fact (remembered)."""
        key = (fact.id, span)
        shape = self._shapes.get(key)
        if shape is None:
            shape = self._shapes[key] = _shape(fact.text, span)
        return shape

    @cached_property
    def signature(self) -> str:
        """Return a digest of what the pool's key phrases depend on: the facts, in order."""
        digest = hashlib.sha256(str(PHRASES_VERSION).encode())
        for fact in self.pool:
            digest.update(f"\x1e{fact.id}\x1f{fact.kind}\x1f{fact.topic}\x1f{fact.text}".encode())
        return digest.hexdigest()

    def saved_phrases(self) -> str:
        """Return the key phrases of the pool's claims and quotes, with their shapes, as JSON:
        ``load_phrases`` gives them to a later factory of the same pool, which then need not
        work them out again (most of the cost of a large talk's first question)."""
        phrases = {
            str(fact.id): [
                [span.start, span.end, span.phrase, *self._shape_of(fact, span)]
                for span in self.phrases(fact)
            ]
            for fact in self.pool
            if fact.kind in (FactKind.CLAIM, FactKind.QUOTE)
        }
        return json.dumps({"signature": self.signature, "phrases": phrases})

    def load_phrases(self, saved: str) -> bool:
        """Take the key phrases of ``saved_phrases``; return whether they were taken: not when
        they were saved from another pool (or another version of this one), or are unreadable."""
        try:
            data = json.loads(saved)
            if data["signature"] != self.signature:
                return False
            phrases: dict[int | None, list[Span]] = {}
            shapes: dict[tuple[int | None, Span], tuple[str, str]] = {}
            for key, rows in data["phrases"].items():
                spans = phrases[int(key)] = []
                for start, end, phrase, kind, detail in rows:
                    span = Span(int(start), int(end), str(phrase))
                    spans.append(span)
                    shapes[(int(key), span)] = (str(kind), str(detail))
        except (AttributeError, KeyError, TypeError, ValueError):
            return False
        self._phrases.update(phrases)
        self._shapes.update(shapes)
        self.phrases_saved = True
        return True

    def prepare(self) -> None:
        """Work out now what questions need from the whole pool (word frequencies, every key
        phrase), instead of at the first question that needs it."""
        self._bank  # noqa: B018 (building it is the point)

    def kinds_for(self, fact: Fact) -> list[QuestionKind]:
        """Return the formats this fact can be asked in (cached per fact)."""
        if fact.id not in self._kinds:
            self._kinds[fact.id] = [kind for kind in QuestionKind if self.can_ask(fact, kind)]
        return self._kinds[fact.id]

    def can_ask(self, fact: Fact, kind: QuestionKind) -> bool:
        """Return whether this fact can be asked as a ``kind`` question (cached per fact).

        Whether a format can be built does not depend on the random choices, so one format
        is tried without trying the others: a fact in review is asked by recall alone, and
        the formats it is not asked in need not be tried at all.
        """
        if kind is QuestionKind.FLASHCARD:
            return True
        known = self._can_ask.setdefault(fact.id, {})
        if kind not in known:
            known[kind] = self.make(kind, fact, random.Random(0)) is not None
        return known[kind]

    def make(
        self, kind: QuestionKind, fact: Fact, rng: random.Random, predicted: float = 0.0
    ) -> Question | None:
        """Return a ``kind`` question about a stored fact, or ``None`` if the fact gives none.

        ``rng`` chooses blanks, distractors and option order, so a seeded source repeats them.
        """
        if fact.id is None:
            raise ValueError("a question needs a stored fact")
        builder = {
            QuestionKind.FLASHCARD: self._flashcard,
            QuestionKind.CLOZE: self._cloze,
            QuestionKind.CHOICE: self._choice,
            QuestionKind.TRUEFALSE: self._truefalse,
            QuestionKind.TYPED: self._typed,
            QuestionKind.ORDER: self._order,
        }[kind]
        parts = builder(fact, rng)
        if parts is None:
            return None
        prompt, expected, choices, correction = parts
        return Question(
            fact_id=fact.id,
            kind=kind,
            prompt=prompt,
            expected=expected,
            topic=fact.topic,
            speaker=fact.speaker,
            source=fact.source,
            predicted=predicted,
            fact=fact,
            choices=choices,
            correction=correction,
        )

    # The builders return (prompt, expected, choices, correction) or None.

    def _flashcard(self, fact: Fact, rng: random.Random) -> _Parts:
        return flashcard_prompt(fact), flashcard_answer(fact), None, None

    def _cloze(self, fact: Fact, rng: random.Random) -> _Parts:
        if fact.kind not in (FactKind.CLAIM, FactKind.QUOTE):
            return None
        spans = self.blanks(fact)
        if not spans:
            return None
        span = rng.choice(spans)
        blanked = fact.text[: span.start] + BLANK + fact.text[span.end :]
        return f"Fill in the blank: {self._framed(fact, blanked)}", span.phrase, None, None

    def _choice(self, fact: Fact, rng: random.Random) -> _Parts:
        if fact.kind is FactKind.SEQUENCE:
            return None
        if fact.kind is FactKind.NUMBER:
            options = self._number_distractors(fact, rng)
            prompt = _as_question(fact.cue or "Which value?")
            answer = fact.text
        elif fact.kind is FactKind.CLAIM and fact.cue:
            answer = fact.text
            prompt = _as_question(fact.cue)
            options = self._pick(
                answer,
                [other.text for other in self._cued_claims if other.id != fact.id],
                fact,
                rng,
            )
        else:
            # Any blank with three distractors will do: try them in random order.
            found = self._first_swappable(fact, self.blanks(fact), rng, need=3)
            if found is None:
                return None
            span, options = found
            answer = span.phrase
            blanked = fact.text[: span.start] + BLANK + fact.text[span.end :]
            prompt = f"Which words fill the blank? {self._framed(fact, blanked)}"
        if len(options) < 3:
            return None
        choices = [answer, *options[:3]]
        rng.shuffle(choices)
        return prompt, answer, choices, None

    def _truefalse(self, fact: Fact, rng: random.Random) -> _Parts:
        truth = self._statement(fact)
        falsehood = self._altered(fact, rng)
        if falsehood is None:
            return None
        if rng.random() < 0.5:
            return f"True or false? {truth}", TRUE, [TRUE, FALSE], None
        return f"True or false? {falsehood}", FALSE, [TRUE, FALSE], truth

    def _typed(self, fact: Fact, rng: random.Random) -> _Parts:
        if fact.kind is FactKind.NUMBER:
            return _as_question(fact.cue or "Which value?"), fact.text, None, None
        if fact.kind is FactKind.CLAIM and fact.cue and len(fact.text.split()) <= TYPED_MAX_WORDS:
            return _as_question(fact.cue), fact.text.rstrip("."), None, None
        if fact.kind is FactKind.QUOTE and self._ask_who and fact.speaker:
            return f"Who said this? “{fact.text}”", fact.speaker, None, None
        if fact.kind is FactKind.SEQUENCE and len(fact.items) >= 2:
            short = [
                i
                for i in range(1, len(fact.items))
                if len(fact.items[i].split()) <= TYPED_MAX_WORDS
            ]
            if short:
                index = rng.choice(short)
                title = _sequence_title(fact.cue)
                prompt = f"{title}: what comes right after “{fact.items[index - 1]}”?"
                return prompt, fact.items[index], None, None
        return None

    def _order(self, fact: Fact, rng: random.Random) -> _Parts:
        if fact.kind is not FactKind.SEQUENCE or len(set(fact.items)) < 2:
            return None
        shuffled = list(fact.items)
        while shuffled == list(fact.items):
            rng.shuffle(shuffled)
        return f"Put in order: {_sequence_title(fact.cue)}", list(fact.items), shuffled, None

    # Helpers

    def phrases(self, fact: Fact) -> list[Span]:
        """Return the key phrases of a fact worth blanking (cached per fact)."""
        if fact.id not in self._phrases:
            frequency, tokens = self._frequency, self._split(fact.text)
            self._phrases[fact.id] = key_phrases(fact.text, frequency, tokens=tokens)
        return self._phrases[fact.id]

    def blanks(self, fact: Fact) -> list[Span]:
        """Return the phrases to blank or swap: those whose role in the sentence is clear
        (numbers, names, noun phrases) when there are any, else all key phrases."""
        spans = self.phrases(fact)
        clear = [span for span in spans if _fits_anywhere(self._shape_of(fact, span))]
        return clear or spans

    def _phrase_bank(self, fact: Fact, answer: Span) -> list[str]:
        """Return other facts' key phrases of the answer's shape, same topic first."""
        shape, size = self._shape_of(fact, answer), len(answer.phrase.split())
        same: list[str] = []
        other: list[str] = []
        for fact_id, topic, phrase, words_in in self._bank.get(shape, ()):
            if fact_id != fact.id and abs(words_in - size) <= 1:
                (same if topic == fact.topic else other).append(phrase)
        return same + other

    def _first_swappable(
        self, fact: Fact, spans: list[Span], rng: random.Random, need: int
    ) -> tuple[Span, list[str]] | None:
        """Return a span (in random order) with at least ``need`` distractors, and them.

        Whether one exists does not depend on ``rng``, so a format offered for a fact can
        always be built.
        """
        for span in rng.sample(spans, len(spans)):
            options = self._pick(span.phrase, self._phrase_bank(fact, span), fact, rng)
            if len(options) >= need:
                return span, options
        return None

    def _pick(
        self, answer: str, candidates: list[str], fact: Fact, rng: random.Random
    ) -> list[str]:
        """Return up to three distractors: unique, never the answer, close to it in length."""
        folded = self._normalise(answer)
        seen = {folded}
        unique = []
        for text in candidates:
            key = self._normalise(text)
            if key and key not in seen and folded not in key:
                seen.add(key)
                unique.append(text)
        unique.sort(key=lambda text: abs(len(text) - len(answer)))
        shortlist = unique[:8]
        rng.shuffle(shortlist)
        return shortlist[:3]

    def _normalise(self, text: str) -> str:
        """Return ``normalise(text)``, remembered: distractors compare the same texts often."""
        folded = self._normalised.get(text)
        if folded is None:
            folded = self._normalised[text] = normalise(text)
        return folded

    def _number_distractors(self, fact: Fact, rng: random.Random) -> list[str]:
        value = parse_number(fact.text)
        others = [
            other.text
            for other in self._numbers
            if other.id != fact.id and parse_number(other.text) not in (None, value)
        ]
        if value is not None:
            for factor in (2, 0.5, 10, 5, 0.1, 3):
                others.append(_scaled(fact.text, factor))
        return self._pick(fact.text, others, fact, rng)

    def _statement(self, fact: Fact) -> str:
        if fact.kind is FactKind.QUOTE:
            return f"{fact.speaker or 'The speaker'} said: “{fact.text}”"
        if fact.kind is FactKind.SEQUENCE:
            return f"{fact.cue}: " + "; ".join(fact.items) + "."
        if fact.cue:
            return f"{fact.cue.rstrip('?:')}: {fact.text}"
        return fact.text

    def _altered(self, fact: Fact, rng: random.Random) -> str | None:
        if fact.kind is FactKind.QUOTE and fact.speaker:
            others = [name for name in self.speakers if name != fact.speaker]
            if others:
                return f"{rng.choice(others)} said: “{fact.text}”"
        if fact.kind is FactKind.SEQUENCE:
            if len(fact.items) < 2:
                return None
            first = rng.randrange(len(fact.items) - 1)
            items = list(fact.items)
            items[first], items[first + 1] = items[first + 1], items[first]
            return f"{fact.cue}: " + "; ".join(items) + "."
        if fact.kind is FactKind.NUMBER:
            if parse_number(fact.text) is None:
                return None
            altered = _scaled(fact.text, rng.choice((2, 0.5, 10)))
            return f"{(fact.cue or '').rstrip('?:')}: {altered}"
        # Only a phrase whose role is clear can be swapped and still read as a sentence.
        spans = [span for span in self.phrases(fact) if _fits_anywhere(self._shape_of(fact, span))]
        found = self._first_swappable(fact, spans, rng, need=1)
        if found is None:
            return None
        span, swaps = found
        altered = fact.text[: span.start] + swaps[0] + fact.text[span.end :]
        return self._statement(fact.model_copy(update={"text": altered}))

    def _framed(self, fact: Fact, text: str) -> str:
        if fact.kind is FactKind.QUOTE:
            return f"{fact.speaker or 'The speaker'}: “{text}”"
        return text


_Parts = tuple[str, str | list[str], list[str] | None, str | None] | None
# A key phrase in the distractor bank: (fact id, topic, phrase, number of words).
_BankEntry = tuple[int | None, str, str, int]


# Words after which a phrase is a noun phrase ("the ___"). Not "that", which as often opens
# a clause ("entities that imitate human data").
DETERMINERS = frozenset(
    "a an the this these those its their his her our my your each every no some any".split()
)


def _shape(text: str, span: Span) -> tuple[str, str]:
    """Return what kind of phrase a span is, so a distractor can take its place in the sentence.

    The kind is a number, a name (capitalised words not opening a sentence) or plain words;
    plain words also note what comes before them: a determiner (a noun phrase), ``to`` (a verb)
    or anything else.
    """
    if parse_number(span.phrase) is not None:
        return ("number", "")
    before = text[: span.start].rstrip()
    opens_sentence = not before or before[-1] in ".!?:“\"'"
    tokens = [word for _, _, word in words(span.phrase)]
    if tokens and all(word[:1].isupper() for word in tokens) and not opens_sentence:
        return ("name", "possessive" if span.phrase.endswith(("'s", "’s")) else "")
    previous = before.rsplit(None, 1)[-1].casefold() if before else ""
    if previous in DETERMINERS:
        return ("plain", "determiner")
    return ("plain", "to" if previous == "to" else "")


def _fits_anywhere(shape: tuple[str, str]) -> bool:
    """Return whether another phrase of this shape reads right in its place: a number, a name,
    or a noun phrase after a determiner (unlike a verb or an adjective, say)."""
    return shape[0] != "plain" or shape[1] == "determiner"


def _sequence_title(cue: str | None) -> str:
    """Return a sequence's title without a trailing "in order" (the question says it)."""
    return re.sub(r",?\s+in (?:the )?order\b.*$", "", cue or "the sequence", flags=re.IGNORECASE)


def _as_question(cue: str) -> str:
    return cue if cue.endswith(("?", ":")) else f"{cue}?"


def _scaled(text: str, factor: float) -> str:
    """Return ``text`` with its first number multiplied by ``factor`` ("about 10" -> "about 20")."""
    match = re.search(r"\d+(?:\.\d+)?", text)
    if match:
        value = float(match.group()) * factor
        shown = f"{value:g}"
        return text[: match.start()] + shown + text[match.end() :]
    number = parse_number(text)
    return f"{(number or 0) * factor:g}"


def flashcard_prompt(fact: Fact) -> str:
    """Return the front of a fact's flashcard."""
    if fact.kind is FactKind.SEQUENCE:
        return f"In order: {_sequence_title(fact.cue)}"
    if fact.cue:
        return _as_question(fact.cue)
    lead = lead_words(fact.text)
    if fact.kind is FactKind.QUOTE:
        who = fact.speaker or "the speaker"
        return f"Complete the quote ({who}): “{lead} …”"
    return f"Complete the claim: “{lead} …”"


def flashcard_answer(fact: Fact) -> str:
    """Return the back of a fact's flashcard."""
    if fact.kind is FactKind.SEQUENCE:
        return "\n".join(f"{number}. {item}" for number, item in enumerate(fact.items, 1))
    return fact.text


def lead_words(text: str) -> str:
    """Return the opening words of ``text`` that a card shows: about 40%, never all of it."""
    tokens = text.split()
    if len(tokens) <= 2:
        return tokens[0] if tokens else ""
    count = min(max(3, round(len(tokens) * LEAD_SHARE)), len(tokens) - 2)
    return " ".join(tokens[: max(1, count)])
