"""Questions generated from facts: flashcard, cloze, choice, true/false, typed and order."""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from enum import StrEnum
from functools import cached_property
from typing import NamedTuple

from eurekatutor.domain.analysis import (
    Unit,
    content_lemmas,
    contrast_swapped,
    opposite_worded,
    other_values,
    units,
    with_article,
)
from eurekatutor.domain.models import Fact, FactKind, Frozen, SourceRef, normalise
from eurekatutor.domain.quality import choice_findings, cloze_findings, statement_findings

# A claim or quote flashcard shows this share of the words as the lead and asks for the rest.
LEAD_SHARE = 0.4
BLANK = "_____"
TRUE, FALSE = "True", "False"
# Typed answers stay short: a cue claim whose answer is longer is asked in other formats.
TYPED_MAX_WORDS = 6
# Bumped whenever the questions built from the same facts change (their units, blanks, options
# or false statements), so that what was saved before (``QuestionFactory.saved_phrases``) is
# worked out again.
PHRASES_VERSION = 4


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
    # What the screen shows above the question: the topic and the speaker, less what would
    # give the answer away.
    header: str = ""
    # What tells this version of the question from others of its kind (its blanked prompt,
    # its false statement), to mark it bad.
    version: str = ""
    # Other typed answers accepted as right: a person's surname for their full name.
    also: list[str] = []

    def with_prediction(self, predicted: float) -> Question:
        """Return the same question with another predicted probability."""
        return self.model_copy(update={"predicted": predicted})


class QuestionFactory:
    """Builds questions about the facts of one talk; other facts supply the distractors.

    Every format asks about the same units of meaning (``analysis.units``): a fact's blanks,
    its wrong options and its false statement are worked out once per fact and kept, so asking
    a fact again shows the same options (in another order) and the same false statement.
    What the author wrote for a fact (wrong options, misconceptions) comes before anything
    generated. What it needs from the whole pool is worked out on first use and kept.
    """

    def __init__(
        self,
        pool: Sequence[Fact],
        speakers: Sequence[str] = (),
        banned: Iterable[tuple[int, str, str]] = (),
    ) -> None:
        self.pool = list(pool)
        self.speakers = list(dict.fromkeys(speakers))
        # Question versions the learner marked bad, as (fact id, kind, version): never asked.
        self.banned = set(banned)
        self._rejected: dict[int | None, list[str]] = {}
        self._cloze_cache: dict[int | None, list[tuple[str, str]]] = {}
        self._units: dict[int | None, list[Unit]] = {}
        # Whether the pool's units are kept where ``load_phrases`` reads them back: true once
        # they are read from there, or once whoever saved ``saved_phrases`` sets it.
        self.phrases_saved = False
        self._kinds: dict[int | None, list[QuestionKind]] = {}
        self._can_ask: dict[int | None, dict[QuestionKind, bool]] = {}
        self._choices: dict[int | None, _Choice | None] = {}
        self._falsehoods: dict[int | None, tuple[str, frozenset[str]] | None] = {}
        self._blanks: dict[int | None, list[Unit]] = {}
        self._position = {fact.id: index for index, fact in enumerate(self.pool)}
        quoted = [fact.speaker for fact in self.pool if fact.kind is FactKind.QUOTE]
        self._quoted = list(dict.fromkeys(name for name in quoted if name))
        self._frequency_cache: Counter[str] | None = None
        self._focus_cache: list[tuple[Fact, Unit]] | None = None

    @property
    def _frequency(self) -> Counter[str]:
        """How many of the pool's units hold each content lemma."""
        if self._frequency_cache is None:
            counts: Counter[str] = Counter()
            for fact in self.pool:
                for unit in self.units(fact):
                    counts.update(unit.lemmas)
            self._frequency_cache = counts
        return self._frequency_cache

    @property
    def _focus(self) -> list[tuple[Fact, Unit]]:
        """Each claim's and quote's best blank for a choice question, in notes order: the
        units wrong options are drawn from, so that a wrong option is the answer of another
        question, not words shown in the text of one. Left out: the best blank of a fact whose
        question blanks the author's words instead (it shows in that question)."""
        if self._focus_cache is None:
            self._focus_cache = [
                (fact, blanks[0])
                for fact in self.pool
                if fact.kind in (FactKind.CLAIM, FactKind.QUOTE) and not fact.wrong
                for blanks in [self._choice_blanks(fact)]
                if blanks
            ]
        return self._focus_cache

    def _choice_blanks(self, fact: Fact) -> list[Unit]:
        """Return a fact's blanks that a choice question may ask: not words that stand in the
        text of another fact too, which would tell answers (and wrong options) apart."""
        return [unit for unit in self.blanks(fact) if not self._shown_elsewhere(fact, unit.text)]

    def _shown_elsewhere(self, fact: Fact, text: str) -> bool:
        """Return whether ``text`` stands, word for word, in another fact's text."""
        return bool(self._holders.get(normalise(text), set()) - {fact.id})

    @cached_property
    def _holders(self) -> dict[str, set[int | None]]:
        """Which facts' texts hold each unit (and each author's blank) of the pool, folded."""
        keys = {normalise(unit.text) for fact in self.pool for unit in self.units(fact)}
        keys |= {normalise(fact.wrong_for) for fact in self.pool if fact.wrong_for}
        sizes = {len(key.split()) for key in keys}
        holders: dict[str, set[int | None]] = {}
        for fact in self.pool:
            words = normalise(fact.text).split()
            for size in sizes:
                for start in range(len(words) - size + 1):
                    key = " ".join(words[start : start + size])
                    if key in keys:
                        holders.setdefault(key, set()).add(fact.id)
        return holders

    @cached_property
    def signature(self) -> str:
        """Return a digest of what the pool's saved questions depend on: the talk's speakers
        and the facts in order, each with all it is asked with (cue, speaker, items, and the
        author's wrong options and misconceptions, which choice and true/false plans hold)."""
        digest = hashlib.sha256(str(PHRASES_VERSION).encode())
        digest.update("\x1f".join(self.speakers).encode())
        for fact in self.pool:
            asked = fact.model_dump_json(
                include={
                    "id",
                    "kind",
                    "topic",
                    "text",
                    "cue",
                    "speaker",
                    "items",
                    "wrong",
                    "wrong_for",
                    "misconceptions",
                }
            )
            digest.update(f"\x1e{asked}".encode())
        return digest.hexdigest()

    def saved_phrases(self) -> str:
        """Return, as JSON, what the pool's questions are made of: each claim's and quote's
        units, and each fact's choice question, false statement and cloze blanks.
        ``load_phrases`` gives them to a later factory of the same pool (and the same marks
        of bad questions), which then asks its first question without analysing any text:
        most of the cost of a large talk's first question, and of loading the tagger."""
        units = {
            str(fact.id): [_unit_row(unit) for unit in self.units(fact)]
            for fact in self.pool
            if fact.kind in (FactKind.CLAIM, FactKind.QUOTE)
        }
        plans = {}
        for fact in self.pool:
            choice = self._choice_plan(fact)
            falsehood = self._falsehood(fact)
            found = self.units(fact)
            plans[str(fact.id)] = {
                "blanks": [found.index(unit) for unit in self.blanks(fact)],
                "choice": list(choice) if choice else None,
                "false": [falsehood[0], sorted(falsehood[1])] if falsehood else None,
                "cloze": self._clozes(fact) if fact.kind in _BLANKED else [],
            }
        banned = sorted(self.banned)
        content = {"signature": self.signature, "banned": banned, "units": units, "plans": plans}
        return json.dumps(content)

    def load_phrases(self, saved: str) -> bool:
        """Take what ``saved_phrases`` saved; return whether it was taken: not when it was
        saved from another pool (or another version of this one, or before another question
        was marked bad), or is unreadable."""
        try:
            data = json.loads(saved)
            if data["signature"] != self.signature:
                return False
            if [tuple(row) for row in data["banned"]] != sorted(self.banned):
                return False
            loaded: dict[int | None, list[Unit]] = {
                int(key): [_unit_from_row(row) for row in rows]
                for key, rows in data["units"].items()
            }
            choices: dict[int | None, _Choice | None] = {}
            falsehoods: dict[int | None, tuple[str, frozenset[str]] | None] = {}
            clozes: dict[int | None, list[tuple[str, str]]] = {}
            blanks: dict[int | None, list[Unit]] = {}
            for key, plan in data["plans"].items():
                fact_id = int(key)
                found = loaded.get(fact_id, [])
                blanks[fact_id] = [found[int(index)] for index in plan["blanks"]]
                choice, false = plan["choice"], plan["false"]
                choices[fact_id] = (
                    _Choice(str(choice[0]), str(choice[1]), tuple(map(str, choice[2])))
                    if choice
                    else None
                )
                falsehoods[fact_id] = (
                    (str(false[0]), frozenset(map(str, false[1]))) if false else None
                )
                clozes[fact_id] = [(str(prompt), str(answer)) for prompt, answer in plan["cloze"]]
        except (AttributeError, KeyError, TypeError, ValueError, IndexError):
            return False
        self._units.update(loaded)
        self._choices.update(choices)
        self._falsehoods.update(falsehoods)
        self._cloze_cache.update(clozes)
        self._blanks.update(blanks)
        self.phrases_saved = True
        return True

    def prepare(self) -> None:
        """Work out now what questions need from the whole pool (every fact's units and best
        blank), instead of at the first question that needs it; nothing when it was read
        back with ``load_phrases``."""
        if not self.phrases_saved:
            self._focus  # noqa: B018 (building it is the point)

    def kinds_for(self, fact: Fact) -> list[QuestionKind]:
        """Return the formats this fact can be asked in (cached per fact)."""
        if fact.id not in self._kinds:
            self._kinds[fact.id] = [kind for kind in QuestionKind if self.can_ask(fact, kind)]
        return self._kinds[fact.id]

    def can_ask(self, fact: Fact, kind: QuestionKind) -> bool:
        """Return whether this fact can be asked as a ``kind`` question (cached per fact).

        Whether a format can be built does not depend on the random choices, so one format
        is tried without trying the others.
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

        ``rng`` chooses the blank of a cloze, whether a statement is true and the order of
        options, so a seeded source repeats them.
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
        prompt, expected, choices, correction, hidden = parts
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
            header=self._header(fact, hidden),
            version=self._version(kind, fact, prompt, correction),
            also=self._surname(expected),
        )

    def _surname(self, expected: str | list[str]) -> list[str]:
        """Return a person's surname when the answer is the full name of a speaker of the talk
        (a surname alone is right for a person; "Academy" is not for "Starfleet Academy")."""
        if isinstance(expected, str) and expected in self.speakers and " " in expected:
            return [expected.split()[-1]]
        return []

    # The builders return (prompt, expected, choices, correction, hidden) or None; ``hidden``
    # names what the header must not show ("speaker"), as it would give the answer.

    def _flashcard(self, fact: Fact, rng: random.Random) -> _Parts:
        return flashcard_prompt(fact), flashcard_answer(fact), None, None, frozenset()

    def _cloze(self, fact: Fact, rng: random.Random) -> _Parts:
        if fact.kind not in (FactKind.CLAIM, FactKind.QUOTE):
            return None
        clozes = self._clozes(fact)
        if not clozes:
            return None
        prompt, answer = rng.choice(clozes)
        return prompt, answer, None, None, frozenset()

    def _clozes(self, fact: Fact) -> list[tuple[str, str]]:
        """Return a fact's best few fill-in-the-blank questions that pass the quality gate and
        were not marked bad, as (prompt, answer) (cached per fact)."""
        if fact.id not in self._cloze_cache:
            found = []
            for unit in self.blanks(fact):
                blanked = fact.text[: unit.start] + BLANK + fact.text[unit.end :]
                prompt = f"Fill in the blank: {self._framed(fact, blanked)}"
                findings = cloze_findings(prompt, unit.text, self._header(fact, frozenset()))
                if (fact.id, QuestionKind.CLOZE.value, prompt) in self.banned:
                    findings = ["marked bad by the learner"]
                if findings:
                    self._rejected.setdefault(fact.id, []).append(
                        f"cloze {unit.text!r}: {'; '.join(findings)}"
                    )
                    continue
                found.append((prompt, unit.text))
                if len(found) == CLOZE_BLANKS:
                    break
            self._cloze_cache[fact.id] = found
        return self._cloze_cache[fact.id]

    def _choice(self, fact: Fact, rng: random.Random) -> _Parts:
        plan = self._choice_plan(fact)
        if plan is None:
            return None
        choices = [plan.answer, *plan.wrong]
        rng.shuffle(choices)
        return plan.prompt, plan.answer, choices, None, frozenset()

    def _truefalse(self, fact: Fact, rng: random.Random) -> _Parts:
        found = self._falsehood(fact)
        if found is None:
            return None
        falsehood, hidden = found
        truth = self._statement(fact)
        if rng.random() < 0.5:
            return f"True or false? {truth}", TRUE, [TRUE, FALSE], None, hidden
        return f"True or false? {falsehood}", FALSE, [TRUE, FALSE], truth, hidden

    def _typed(self, fact: Fact, rng: random.Random) -> _Parts:
        nothing: frozenset[str] = frozenset()
        if fact.kind is FactKind.NUMBER:
            return _as_question(fact.cue or "Which value?"), fact.text, None, None, nothing
        if fact.kind is FactKind.CLAIM and fact.cue and len(fact.text.split()) <= TYPED_MAX_WORDS:
            return _as_question(fact.cue), fact.text.rstrip("."), None, None, nothing
        if fact.kind is FactKind.QUOTE and len(self._quoted) >= 2 and fact.speaker:
            prompt = f"Who said this? “{fact.text}”"
            return prompt, fact.speaker, None, None, frozenset({"speaker"})
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
                return prompt, fact.items[index], None, None, nothing
        return None

    def _order(self, fact: Fact, rng: random.Random) -> _Parts:
        if fact.kind is not FactKind.SEQUENCE or len(set(fact.items)) < 2:
            return None
        shuffled = list(fact.items)
        while shuffled == list(fact.items):
            rng.shuffle(shuffled)
        prompt = f"Put in order: {_sequence_title(fact.cue)}"
        return prompt, list(fact.items), shuffled, None, frozenset()

    # What a fact's questions are made of

    def units(self, fact: Fact) -> list[Unit]:
        """Return the units of meaning of a claim's or quote's text (cached per fact)."""
        if fact.id not in self._units:
            analysed = fact.kind in (FactKind.CLAIM, FactKind.QUOTE)
            self._units[fact.id] = units(fact.text) if analysed else []
        return self._units[fact.id]

    def blanks(self, fact: Fact) -> list[Unit]:
        """Return the units of a fact worth blanking, best first (cached per fact).

        Numbers, quoted terms and names come first, then noun phrases by how rare their words
        are in the talk. Left out: a unit the cue, the topic or the speaker already gives, one
        whose words all stand elsewhere in the text (the rest would give it), short lone
        words, and one that is most of the text.
        """
        if fact.id in self._blanks:
            return self._blanks[fact.id]
        # What the screen shows beside the text gives these words away.
        given = content_lemmas(f"{fact.cue or ''} {fact.topic} {fact.speaker or ''}")
        found = self.units(fact)
        scored: list[tuple[float, int, Unit]] = []
        for index, unit in enumerate(found):
            elsewhere: set[str] = set()
            for other in found:
                if other is not unit:
                    elsewhere |= other.lemmas
            if not unit.lemmas or unit.lemmas & given or unit.lemmas <= elsewhere:
                continue
            if _too_slight(unit) or unit.size * 2 > len(fact.text.split()):
                continue  # too little to ask, or most of the text: nothing left to go on
            rarity = sum(3 / (1 + self._frequency.get(word, 0)) for word in unit.lemmas)
            score = _KIND_SCORE[unit.kind] + rarity + min(unit.size, 3) * 0.5
            scored.append((-score, index, unit))
        ranked = [unit for *_, unit in sorted(scored, key=lambda item: item[:2])]
        self._blanks[fact.id] = ranked
        return ranked

    def _choice_plan(self, fact: Fact) -> _Choice | None:
        """Return the fixed parts of a fact's choice question: the prompt, the answer and its
        three wrong options, the same each time the fact is asked (cached per fact)."""
        if fact.id not in self._choices:
            self._choices[fact.id] = self._plan_choice(fact)
        return self._choices[fact.id]

    def _plan_choice(self, fact: Fact) -> _Choice | None:
        """Return the first choice question about a fact that passes the quality gate and
        was not marked bad: the author's options first, then a generated one per blank."""
        for plan in self._choice_candidates(fact):
            header = self._header(fact, frozenset())
            findings = choice_findings(plan.prompt, plan.answer, [plan.answer, *plan.wrong], header)
            if "_____" in plan.prompt and self._shown_elsewhere(fact, plan.answer):
                findings.append("the answer stands in another fact's text, unlike the options")
            if (fact.id, QuestionKind.CHOICE.value, plan.prompt) in self.banned:
                findings = ["marked bad by the learner"]
            if not findings:
                return plan
            self._rejected.setdefault(fact.id, []).append(
                f"choice {plan.answer!r}: {'; '.join(findings)}"
            )
        return None

    def _choice_candidates(self, fact: Fact) -> Iterator[_Choice]:
        if fact.kind is FactKind.SEQUENCE:
            return
        if fact.kind is FactKind.NUMBER or (fact.wrong and not fact.wrong_for):
            # The whole answer is asked: the author's options, or a number's other values.
            wrong = _distinct(
                fact.text, list(fact.wrong) or other_values(fact.text, self._rank(fact))
            )
            if len(wrong) >= 3:
                prompt = _as_question(fact.cue or "Which value?")
                yield _Choice(prompt, fact.text, tuple(wrong[:3]))
            return
        spans: list[tuple[int, int, str, list[str]]] = []
        if fact.wrong_for is not None and fact.wrong_for in fact.text:
            # The author chose the blank and its wrong options.
            start = fact.text.index(fact.wrong_for)
            spans.append((start, start + len(fact.wrong_for), fact.wrong_for, list(fact.wrong)))
        for unit in self._choice_blanks(fact):
            spans.append((unit.start, unit.end, unit.text, self._wrong_for(fact, unit)))
        for start, end, answer, options in spans:
            wrong = _distinct(answer, options)
            if len(wrong) >= 3:
                blanked = fact.text[:start] + BLANK + fact.text[end:]
                prompt = f"Which words fill the blank? {self._framed(fact, blanked)}"
                yield _Choice(prompt, answer, tuple(wrong[:3]))

    def _wrong_for(self, fact: Fact, unit: Unit) -> list[str]:
        """Return wrong options for a blanked unit: other values of a number, else other
        facts' best blanks that are names of the same sort, same topic first, then nearest.

        A noun phrase gets none: one from another fact has the form of the answer but rarely
        its sense, and a reader picks the one option that makes sense in the sentence. Such a
        fact is asked as a choice question only with the author's wrong options.
        """
        if unit.kind == "number":
            return _distinct(unit.text, other_values(unit.text, self._rank(fact)))
        if unit.kind != "name":
            return []
        sort = self._name_sort(fact, unit)
        here = self._position.get(fact.id, 0)
        candidates = sorted(
            (
                (other.topic != fact.topic, abs(self._position.get(other.id, 0) - here), unit_)
                for other, unit_ in self._focus
                if other.id != fact.id
                and unit.fits(unit_)
                and not unit.lemmas & unit_.lemmas
                and self._name_sort(other, unit_) == sort
            ),
            key=lambda item: item[:2],
        )
        wrong: list[str] = []
        taken: set[str] = set(unit.lemmas)
        for *_, candidate in candidates:
            if candidate.lemmas & taken:
                continue  # never two options that share a word: one would be a variant
            taken |= candidate.lemmas
            wrong.append(_fitted(unit, candidate))
        return _distinct(unit.text, wrong)

    def _name_sort(self, fact: Fact, unit: Unit) -> str:
        """Return what sort of name a unit is, as far as the sentence tells: a speaker of the
        talk or a name after "by"/"named" is a person, one after "at", "in", "from" a place."""
        names = {part for speaker in self.speakers for part in speaker.split()}
        if unit.text in self.speakers or set(unit.text.split()) <= names:
            return "person"
        before = fact.text[: unit.start].split()[-1:]
        word = before[0].casefold() if before else ""
        if word in ("at", "in", "from", "near", "into", "across", "to"):
            return "place"
        if word in ("by", "named", "called"):
            return "person"
        return "name"

    def _falsehood(self, fact: Fact) -> tuple[str, frozenset[str]] | None:
        """Return the false statement a fact is asked with and what the header hides (cached
        per fact): the first that passes the quality gate and was not marked bad."""
        if fact.id not in self._falsehoods:
            self._falsehoods[fact.id] = None
            truth = self._statement(fact)
            for falsehood in self._false_candidates(fact):
                # A quote's statement names its speaker, true or not: the header does not.
                hidden = frozenset({"speaker"} if fact.kind is FactKind.QUOTE else ())
                # What the header may give away is its topic: a claim's speaker is not what a
                # false statement changes.
                findings = statement_findings(truth, falsehood, fact.topic)
                if (fact.id, QuestionKind.TRUEFALSE.value, falsehood) in self.banned:
                    findings = ["marked bad by the learner"]
                if not findings:
                    self._falsehoods[fact.id] = (falsehood, hidden)
                    break
                self._rejected.setdefault(fact.id, []).append(
                    f"truefalse {falsehood!r}: {'; '.join(findings)}"
                )
        return self._falsehoods[fact.id]

    def _false_candidates(self, fact: Fact) -> Iterator[str]:
        """Yield false statements about a fact, best first: the author's misconceptions, then
        the fact (or a quote's words) with another value, its contrast swapped, or a word
        turned into its opposite. None is yielded when no change keeps the grammar: such a
        fact is not asked as true or false."""
        yield from fact.misconceptions
        if fact.kind is FactKind.SEQUENCE:
            # Two steps swapped read as impossible (a charter signed after its canal fell):
            # a sequence's order is asked by the order question instead.
            return
        if fact.kind is FactKind.NUMBER:
            for value in other_values(fact.text, self._rank(fact))[:1]:
                yield self._statement(fact.model_copy(update={"text": value}))
            return
        # A quote is not given to another speaker: readers who knew nothing of the talk told
        # the host's lines from the guest's by their role (who asks, who reports from the
        # field), in all 11 quote statements of two samples. A quote is changed in its words,
        # as a claim is: a misquote.
        for unit in self.units(fact):
            if unit.kind == "number":
                for value in other_values(unit.text, self._rank(fact))[:1]:
                    altered = fact.text[: unit.start] + value + fact.text[unit.end :]
                    yield self._statement(fact.model_copy(update={"text": altered}))
        for changed in (contrast_swapped(fact.text), opposite_worded(fact.text)):
            if changed is not None:
                yield self._statement(fact.model_copy(update={"text": changed}))

    def ban(self, fact: Fact, kind: QuestionKind, version: str) -> None:
        """Never ask this version of a question again: the next one of its kind is built
        without it, or none when there is no other."""
        self.banned.add((fact.id or 0, kind.value, version))
        for cache in (self._choices, self._falsehoods, self._cloze_cache, self._kinds):
            cache.pop(fact.id, None)
        self._can_ask.pop(fact.id, None)

    @staticmethod
    def _version(kind: QuestionKind, fact: Fact, prompt: str, correction: str | None) -> str:
        """Return what tells one version of a question from another: a true/false pair by
        its false statement, a blank by its prompt, other formats by their kind alone."""
        if kind is QuestionKind.TRUEFALSE:
            return prompt.removeprefix("True or false? ") if correction else ""
        return prompt if kind in (QuestionKind.CHOICE, QuestionKind.CLOZE) else ""

    def rejected(self, fact: Fact) -> list[str]:
        """Return what the quality gate (or the learner) turned down for this fact so far."""
        return list(self._rejected.get(fact.id, ()))

    def _header(self, fact: Fact, hidden: frozenset[str]) -> str:
        """Return what the screen shows above a question: the topic (never what a question
        blanks or changes: blanks and statements keep clear of its words) and the speaker,
        unless ``hidden`` names it."""
        header = [fact.topic]
        if fact.speaker and "speaker" not in hidden:
            header.append(fact.speaker)
        return " · ".join(header)

    def _rank(self, fact: Fact) -> int:
        """Return how many of a number's other values are below it: fixed per fact, spread
        evenly over facts, so that the true value is not the middle one."""
        return _digest(fact.key) % 4

    def _statement(self, fact: Fact) -> str:
        if fact.kind is FactKind.QUOTE:
            return f"{fact.speaker or 'The speaker'} said: “{fact.text}”"
        if fact.kind is FactKind.SEQUENCE:
            return f"{fact.cue}: " + "; ".join(fact.items) + "."
        if fact.cue:
            return f"{fact.cue.rstrip('?:')}: {fact.text}"
        return fact.text

    def _framed(self, fact: Fact, text: str) -> str:
        if fact.kind is FactKind.QUOTE:
            return f"{fact.speaker or 'The speaker'}: “{text}”"
        if fact.cue:
            return f"{_as_question(fact.cue)} {text}"
        return text


class _Choice(NamedTuple):
    prompt: str
    answer: str
    wrong: tuple[str, ...]


_Parts = tuple[str, str | list[str], list[str] | None, str | None, frozenset[str]] | None
# The kinds of fact whose text is blanked (cloze, choice) and analysed.
_BLANKED = (FactKind.CLAIM, FactKind.QUOTE)
# Blanks of each kind start from these scores; rarer words add to them.
_KIND_SCORE = {"number": 6.0, "term": 5.0, "name": 4.0, "noun": 0.0}
# A cloze blanks one of a fact's best few units, so that it is not always the same one.
CLOZE_BLANKS = 3


def _too_slight(unit: Unit) -> bool:
    """Return whether a unit is too slight to ask: one short common-looking word, or a lone
    small number with nothing it counts ("not 1 or 50")."""
    if unit.kind == "noun":
        return len(unit.body.split()) == 1 and len(unit.body) < 6
    if unit.kind == "number":
        return unit.size == 1 and not unit.head and len(unit.text) < 3
    return False


def _digest(text: str) -> int:
    """Return a number from a text's hash: the same on every run and machine."""
    return int(hashlib.sha1(text.encode()).hexdigest()[:8], 16)


def _unit_row(unit: Unit) -> list[object]:
    lemmas = sorted(unit.lemmas)
    return [
        unit.start,
        unit.end,
        unit.text,
        unit.kind,
        unit.article,
        unit.plural,
        unit.head,
        lemmas,
    ]


def _unit_from_row(row: list[object]) -> Unit:
    start, end, text, kind, article, plural, head, lemmas = row
    if not isinstance(start, int) or not isinstance(end, int) or not isinstance(lemmas, list):
        raise TypeError("not a saved unit")
    return Unit(
        start, end, str(text), str(kind), str(article), bool(plural), str(head), frozenset(lemmas)
    )


def _distinct(answer: str, options: list[str]) -> list[str]:
    """Return options unique by meaning: none equal to the answer or to each other once
    folded, none a part or an extension of the answer."""
    folded = normalise(answer)
    seen = {folded}
    kept = []
    for option in options:
        key = normalise(option)
        if not key or key in seen or _holds(folded, key) or _holds(key, folded):
            continue
        seen.add(key)
        kept.append(option)
    return kept


def _holds(text: str, part: str) -> bool:
    """Return whether folded ``text`` holds folded ``part`` as whole words ("about 10" does
    not hold "about 1")."""
    return f" {part} " in f" {text} "


def _fitted(unit: Unit, other: Unit) -> str:
    """Return another unit's words worded to stand in ``unit``'s place: with its own article,
    and capitalised as the unit is (a name or an acronym keeps its capitals)."""
    body = other.body
    if other.kind != "name" and not body.split(" ", 1)[0].isupper():
        body = body[:1].lower() + body[1:]
    text = with_article(unit, body)
    return text[:1].upper() + text[1:] if unit.text[:1].isupper() else text


def _sequence_title(cue: str | None) -> str:
    """Return a sequence's title without a trailing "in order" (the question says it)."""
    return re.sub(r",?\s+in (?:the )?order\b.*$", "", cue or "the sequence", flags=re.IGNORECASE)


def _as_question(cue: str) -> str:
    return cue if cue.endswith(("?", ":")) else f"{cue}?"


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
