"""Simulated learners study the bundled talk with the adaptive tutor and with plain FSRS cards.

The learners' memory is never FSRS, the tutor's model: ``--memory`` picks one of three families
from the literature (exponential forgetting of a strength, the default; power-law forgetting,
Wickelgren 1974 and Wixted & Ebbesen 1991; ACT-R activation, Pavlik & Anderson 2005), each
described with its equations and constants where its class is defined below.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import tempfile
import time
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs

from eurekatutor.domain.models import Fact, FactKind
from eurekatutor.domain.notes import read_notes
from eurekatutor.domain.questions import FALSE, TRUE, Question, QuestionKind
from eurekatutor.scheduling.grading import Response
from eurekatutor.scheduling.prediction import CalibrationReport, calibration_report
from eurekatutor.tutor import Tutor

DECK = Path(__file__).resolve().parent.parent / "decks" / "karpathy-dwarkesh-2025.md"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
EXAM_DELAY_DAYS = 3

# The learner's memory in the default family (``--memory exponential``), the simulation's own
# (not FSRS). Each fact has a strength S in days;
# recall t days after the last study is exp(-forgetting * t / S), recognition (among options, or
# as true or false) exp(-forgetting * t / (3 S)); a fact never seen is recalled with 0.02 and
# recognised with 0.15. Every question ends by showing the fact, which restarts the clock. The
# first exposure gives S = 2 days * ability / difficulty; a successful retrieval multiplies S by
# 1 + ability / difficulty * weight * (GAIN * (1 - p) + MASSED_GAIN), where p was the chance of
# that retrieval (spacing: what was nearly forgotten gains most) and weight the format's testing
# effect; a failed retrieval, or a lucky guess, halves S but not below the first exposure's.
# Typed and cloze answers miss the accepted wording WORDING_SLIP of the time even when recalled.
# FIRST_STRENGTH_DAYS is the one calibrated constant: plain FSRS flashcards then get about 80%
# of their reviews right, as Anki users do.
PRIOR_RECALL = 0.02
PRIOR_RECOGNITION = 0.15
RECOGNITION_DURABILITY = 3.0
FIRST_STRENGTH_DAYS = 2.0
GAIN = 4.0
MASSED_GAIN = 0.3
LAPSE_KEEP = 0.5
WORDING_SLIP = 0.05
TESTING_WEIGHT = {
    QuestionKind.FLASHCARD: 1.0,
    QuestionKind.TYPED: 1.0,
    QuestionKind.ORDER: 1.0,
    QuestionKind.CLOZE: 0.8,
    QuestionKind.CHOICE: 0.5,
    QuestionKind.TRUEFALSE: 0.35,
}
GUESS = {QuestionKind.CHOICE: 0.25, QuestionKind.TRUEFALSE: 0.5}
RECOGNITION_KINDS = frozenset(GUESS)
KIND_DIFFICULTY = {FactKind.QUOTE: 1.2, FactKind.SEQUENCE: 1.5}
ABILITY_SD, FORGETTING_SD, SPEED_SD, DIFFICULTY_SD = 0.3, 0.3, 0.2, 0.4

# Seconds a question takes an average learner: answering, then feedback, then more if wrong.
ANSWER_SECONDS = {
    QuestionKind.FLASHCARD: 6.0,
    QuestionKind.CHOICE: 7.0,
    QuestionKind.TRUEFALSE: 5.0,
    QuestionKind.TYPED: 12.0,
    QuestionKind.CLOZE: 12.0,
    QuestionKind.ORDER: 15.0,
}
FEEDBACK_SECONDS = 2.0
WRONG_SECONDS = 4.0

# Anki's defaults for the flashcard baseline.
ANKI_NEW_PER_DAY = 20
ANKI_LEARN_AHEAD = timedelta(minutes=20)
WRONG_TEXT = "no idea, sorry"


@dataclass(frozen=True)
class Learner:
    """One simulated learner: ability (how much a study event adds), forgetting rate, speed
    (a time multiplier) and how hard each fact of the deck is for them, in notes order."""

    seed: int
    ability: float
    forgetting: float
    speed: float
    difficulty: tuple[float, ...]

    @classmethod
    def draw(cls, seed: int, kinds: Sequence[FactKind]) -> Learner:
        """Return the learner with this seed for a deck whose facts have these kinds."""
        rng = random.Random(f"learner-{seed}")
        return cls(
            seed=seed,
            ability=math.exp(rng.gauss(0.0, ABILITY_SD)),
            forgetting=math.exp(rng.gauss(0.0, FORGETTING_SD)),
            speed=math.exp(rng.gauss(0.0, SPEED_SD)),
            difficulty=tuple(
                KIND_DIFFICULTY.get(kind, 1.0) * math.exp(rng.gauss(0.0, DIFFICULTY_SD))
                for kind in kinds
            ),
        )


@dataclass(frozen=True)
class Attempt:
    """What happened when the learner met a question: whether they retrieved the fact, the
    chance they had of doing so, and whether their answer is right."""

    retrieved: bool
    chance: float
    correct: bool


class LearnerMemory(ABC):
    """A learner's true memory of each fact, in one of the families of ``MEMORIES``.

    Every family shares how a question is answered (``attempt``: recall or recognition, then
    the wording slip or a guess), prior knowledge (a fact never seen is recalled with
    ``PRIOR_RECALL`` and recognised with ``PRIOR_RECOGNITION``), that recognising is easier
    than recalling, and the exam (the mean chance of recalling every fact).
    """

    def __init__(self, learner: Learner) -> None:
        self.learner = learner

    @abstractmethod
    def recall(self, fact: int, now: datetime) -> float:
        """Return the chance of recalling the fact unprompted at ``now``."""

    @abstractmethod
    def recognise(self, fact: int, now: datetime) -> float:
        """Return the chance of recognising the fact (telling it from a distractor) at ``now``."""

    @abstractmethod
    def study(self, fact: int, kind: QuestionKind, attempt: Attempt, now: datetime) -> None:
        """Update the fact's memory after a question in ``kind`` and its feedback."""

    def attempt(
        self, fact: int, kind: QuestionKind, now: datetime, rng: random.Random, items: int = 0
    ) -> Attempt:
        """Return how the learner fares on a ``kind`` question about the fact at ``now``."""
        chance = self.recognise(fact, now) if kind in RECOGNITION_KINDS else self.recall(fact, now)
        retrieved = rng.random() < chance
        if retrieved:
            slip = WORDING_SLIP if kind in (QuestionKind.TYPED, QuestionKind.CLOZE) else 0.0
            correct = rng.random() >= slip
        else:
            guess = GUESS.get(kind, 0.0)
            if kind is QuestionKind.ORDER and items >= 2:
                guess = 1 / math.factorial(items)
            correct = rng.random() < guess
        return Attempt(retrieved, chance, correct)

    def exam(self, now: datetime) -> float:
        """Return the mean chance, over every fact, of recalling it at ``now``."""
        return statistics.fmean(
            self.recall(fact, now) for fact in range(len(self.learner.difficulty))
        )


class Memory(LearnerMemory):
    """Exponential forgetting (``--memory exponential``): a strength in days per fact, recall
    ``exp(-forgetting * t / S)``; the rules are in the comment above ``PRIOR_RECALL``."""

    def __init__(self, learner: Learner) -> None:
        super().__init__(learner)
        self.strength: list[float | None] = [None] * len(learner.difficulty)
        self.last: list[datetime | None] = [None] * len(learner.difficulty)

    def _elapsed_ratio(self, fact: int, now: datetime) -> float | None:
        strength, last = self.strength[fact], self.last[fact]
        if strength is None or last is None:
            return None
        days = max(0.0, (now - last).total_seconds() / 86400)
        return self.learner.forgetting * days / strength

    def retained(self, ratio: float) -> float:
        """Return the chance of recall ``ratio`` strengths after the last study."""
        return math.exp(-ratio)

    def recall(self, fact: int, now: datetime) -> float:
        """Return the chance of recalling the fact unprompted at ``now``."""
        ratio = self._elapsed_ratio(fact, now)
        return PRIOR_RECALL if ratio is None else max(PRIOR_RECALL, self.retained(ratio))

    def recognise(self, fact: int, now: datetime) -> float:
        """Return the chance of recognising the fact (telling it from a distractor) at ``now``."""
        ratio = self._elapsed_ratio(fact, now)
        if ratio is None:
            return PRIOR_RECOGNITION
        return max(PRIOR_RECOGNITION, self.retained(ratio / RECOGNITION_DURABILITY))

    def study(self, fact: int, kind: QuestionKind, attempt: Attempt, now: datetime) -> None:
        """Update the fact's strength after a question in ``kind`` and its feedback."""
        rate = self.learner.ability / self.learner.difficulty[fact]
        first = FIRST_STRENGTH_DAYS * rate
        strength = self.strength[fact]
        if strength is None:
            strength = first
        elif attempt.retrieved:
            strength *= 1 + rate * TESTING_WEIGHT[kind] * (
                GAIN * (1 - attempt.chance) + MASSED_GAIN
            )
        else:
            strength = max(first, strength * LAPSE_KEEP)
        self.strength[fact] = strength
        self.last[fact] = now


# Power-law forgetting (``--memory power``): the form of forgetting found by Wickelgren (1974) and
# by Wixted & Ebbesen (1991, 1997) across materials and measures: recall t days after the last
# study is (1 + forgetting * t / (POWER_SCALE * S))^-POWER_DECAY, recognition the same at t / 3.
# POWER_DECAY = 0.13 is Wickelgren's law (1 + b t)^-d fitted by least squares to Ebbinghaus's
# (1885) savings (0.58, 0.44, 0.36, 0.34, 0.28, 0.25 and 0.21 after 20 minutes, 1 hour, 8.8 hours,
# 1, 2, 6 and 31 days), data that Wixted & Carpenter (2007) showed this law describes: forgetting
# is steep in the first minutes and slow afterwards. POWER_SCALE keeps the strength's meaning: one
# study leaves recall e^-1 after S days, as in the exponential family, so that the two families
# differ only in the shape of forgetting (POWER_SCALE * 2 days is 79 seconds). A fact met once by
# an average learner is recalled with 0.93 a minute later, 0.76 ten minutes later, 0.61 an hour
# later, 0.40 a day later, 0.29 two weeks later (exponential: 1.00, 1.00, 0.98, 0.61, 0.00).
# Everything else is the exponential family's: the first exposure's S, its growth by spaced
# successful retrievals (weighted by the format's testing effect), its halving after a failure,
# prior knowledge, recognition and the wording slip.
POWER_DECAY = 0.13
POWER_SCALE = 1 / (math.exp(1 / POWER_DECAY) - 1)


class PowerMemory(Memory):
    """Power-law forgetting (``--memory power``): recall ``(1 + forgetting * t /
    (POWER_SCALE * S))^-POWER_DECAY``, strengths as in the exponential family."""

    def retained(self, ratio: float) -> float:
        """Return the chance of recall ``ratio`` strengths after the last study."""
        return float((1 + ratio / POWER_SCALE) ** -POWER_DECAY)


# ACT-R activation (``--memory actr``), Pavlik & Anderson (2005), "Practice and forgetting
# effects on vocabulary memory: an activation-based model of the spacing effect", with their
# fitted constants. Each question, with its feedback, is a study event j at psychological time
# T_j that leaves a trace with decay d_j = ACTR_DECAY_SCALE * exp(m_j) + ACTR_DECAY_INTERCEPT
# * forgetting, where m_j is the fact's activation just before it (-inf before the first
# study, so d_1 is the intercept): studying what is still highly active leaves a trace that
# fades fast, which is the model's spacing effect. Activation at time T is
#     m(T) = beta + ln sum_j (T - T_j)^-d_j        (ages in seconds, at least one)
# with beta = ln(ability / difficulty) the learner's and fact's offset (Pavlik & Anderson
# 2008's beta terms), and recall probability 1 / (1 + exp((ACTR_THRESHOLD - m) / ACTR_NOISE)).
# Time between sessions counts as ACTR_BETWEEN_SESSIONS of its length (their h: psychological
# time slows between sessions, as Anderson, Fincham & Douglass 1999 found): of a pause with no
# question, the first hour (ACTR_SESSION_BREAK) counts in full and the rest at h, so that a
# day between sessions counts as about 1.6 hours. Recognition is recall with every age divided
# by 3, as in the other families, and prior knowledge is the same floor. Every trace counts
# alike whatever the format (the model has no testing effect); formats differ only in what
# they ask of memory. With these constants a fact studied once is recalled with 0.48 a
# minute later and 0.16 ten minutes later (their material was Japanese-English word pairs).
ACTR_DECAY_SCALE = 0.217
ACTR_DECAY_INTERCEPT = 0.177
ACTR_THRESHOLD = -0.704
ACTR_NOISE = 0.255
ACTR_BETWEEN_SESSIONS = 0.025
ACTR_SESSION_BREAK = timedelta(hours=1)
ACTR_MIN_AGE_SECONDS = 1.0


class ActrMemory(LearnerMemory):
    """ACT-R activation (``--memory actr``): a decaying trace per study event, decays set by
    the activation at study (Pavlik & Anderson 2005); see the comment above its constants."""

    def __init__(self, learner: Learner) -> None:
        super().__init__(learner)
        # Per fact, its traces: (psychological time of the study in seconds, decay).
        self.traces: list[list[tuple[float, float]]] = [[] for _ in learner.difficulty]
        self._last_study: datetime | None = None
        self._last_clock = 0.0

    def clock(self, now: datetime) -> float:
        """Return the psychological time at ``now``, in seconds since the first study."""
        if self._last_study is None:
            return 0.0
        gap = max(0.0, (now - self._last_study).total_seconds())
        session = ACTR_SESSION_BREAK.total_seconds()
        if gap > session:
            # The part of a pause past the session break counts at h: psychological time
            # stays continuous, so recall never rises with time.
            gap = session + (gap - session) * ACTR_BETWEEN_SESSIONS
        return self._last_clock + gap

    def activation(self, fact: int, now: datetime, age_scale: float = 1.0) -> float | None:
        """Return the fact's activation at ``now`` (every age divided by ``age_scale``), or
        ``None`` before its first study."""
        traces = self.traces[fact]
        if not traces:
            return None
        clock = self.clock(now)
        strength = math.fsum(
            max(ACTR_MIN_AGE_SECONDS, (clock - studied) / age_scale) ** -decay
            for studied, decay in traces
        )
        return math.log(self.learner.ability / self.learner.difficulty[fact]) + math.log(strength)

    @staticmethod
    def probability(activation: float) -> float:
        """Return the chance of a retrieval at ``activation``."""
        return 1 / (1 + math.exp((ACTR_THRESHOLD - activation) / ACTR_NOISE))

    def recall(self, fact: int, now: datetime) -> float:
        """Return the chance of recalling the fact unprompted at ``now``."""
        activation = self.activation(fact, now)
        if activation is None:
            return PRIOR_RECALL
        return max(PRIOR_RECALL, self.probability(activation))

    def recognise(self, fact: int, now: datetime) -> float:
        """Return the chance of recognising the fact (telling it from a distractor) at ``now``."""
        activation = self.activation(fact, now, RECOGNITION_DURABILITY)
        if activation is None:
            return PRIOR_RECOGNITION
        return max(PRIOR_RECOGNITION, self.probability(activation))

    def study(self, fact: int, kind: QuestionKind, attempt: Attempt, now: datetime) -> None:
        """Lay down the trace of a question in ``kind`` and its feedback."""
        activation = self.activation(fact, now)
        decay = ACTR_DECAY_INTERCEPT * self.learner.forgetting
        if activation is not None:
            decay += ACTR_DECAY_SCALE * math.exp(activation)
        clock = self.clock(now)
        self.traces[fact].append((clock, decay))
        self._last_study, self._last_clock = now, clock


MEMORIES: dict[str, type[LearnerMemory]] = {
    "exponential": Memory,
    "power": PowerMemory,
    "actr": ActrMemory,
}
MEMORY_NAMES = {
    "exponential": "exponential-forgetting",
    "power": "power-law-forgetting",
    "actr": "ACT-R-activation",
}


def seconds_for(kind: QuestionKind, correct: bool, learner: Learner) -> float:
    """Return how long a question in ``kind`` takes this learner, feedback included."""
    base = ANSWER_SECONDS[kind] + FEEDBACK_SECONDS + (0.0 if correct else WRONG_SECONDS)
    return base * learner.speed


def response_for(question: Question, correct: bool) -> Response:
    """Return the learner's response: the expected answer when right, a wrong one otherwise."""
    kind = question.kind
    if kind is QuestionKind.FLASHCARD:
        return 3 if correct else 1
    if kind is QuestionKind.ORDER:
        items = list(question.expected)
        return items if correct else items[::-1]
    if correct:
        return question.expected
    if kind is QuestionKind.TRUEFALSE:
        return FALSE if question.expected == TRUE else TRUE
    if kind is QuestionKind.CHOICE:
        return next(choice for choice in question.choices or [] if choice != question.expected)
    return WRONG_TEXT


@dataclass(frozen=True)
class Prediction:
    """One of the tutor's predictions and what came of it: how long since the learner last
    saw the fact (``None`` the first time), the question's format, the predicted chance of a
    right answer and whether it was right."""

    elapsed_seconds: float | None
    kind: str
    predicted: float
    correct: bool


@dataclass
class ArmResult:
    """How one learner did in one arm: exam recall, answers, time, formats used and, with the
    tutor, its predictions."""

    exam_recall: float
    answers: int = 0
    correct: int = 0
    introduced: int = 0
    study_seconds: float = 0.0
    reviews_per_day: list[int] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    kind_correct: Counter[str] = field(default_factory=Counter)
    kind_seconds: dict[str, float] = field(default_factory=dict)
    grader_disagreements: int = 0
    calibration: CalibrationReport | None = None
    predictions: list[Prediction] = field(default_factory=list)

    def record(self, kind: QuestionKind, correct: bool, seconds: float) -> None:
        """Count one answered question."""
        self.answers += 1
        self.correct += correct
        self.study_seconds += seconds
        self.kinds[kind.value] += 1
        self.kind_correct[kind.value] += correct
        self.kind_seconds[kind.value] = self.kind_seconds.get(kind.value, 0.0) + seconds
        self.reviews_per_day[-1] += 1


def _fact_index(facts: Sequence[Fact]) -> dict[tuple[str, str], int]:
    return {(fact.topic, fact.key): index for index, fact in enumerate(facts)}


def deck_facts(deck: Path = DECK) -> list[Fact]:
    """Return the deck's facts in notes order."""
    return list(read_notes(deck).facts)


def exam_time(days: int) -> datetime:
    """Return when the exam is held: on day ``days + 3`` of a study that starts on day 1."""
    return START + timedelta(days=days - 1 + EXAM_DELAY_DAYS)


def run_tutor(
    learner: Learner,
    days: int,
    minutes: float,
    target: float,
    deck: Path = DECK,
    kinds: Sequence[str] | None = None,
    memory_family: str = "exponential",
) -> ArmResult:
    """Return how ``learner`` does studying with the tutor, ``minutes`` a day for ``days``,
    with a memory of ``memory_family`` (a key of ``MEMORIES``).

    The tutor is reopened each day, as the app is, on a temporary database.
    """
    index = _fact_index(deck_facts(deck))
    memory = MEMORIES[memory_family](learner)
    last_seen: dict[int, datetime] = {}
    rng = random.Random(f"tutor-{learner.seed}")
    result = ArmResult(exam_recall=0.0)
    clock_now = [START]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "simulate.db"

        def open_tutor() -> Tutor:
            return Tutor.open(
                path, clock=lambda: clock_now[0], seed=learner.seed, target=target, kinds=kinds
            )

        with open_tutor() as tutor:
            tutor.import_notes(deck, now=START)
        for day in range(days):
            now = START + timedelta(days=day)
            clock_now[0] = now
            end = now + timedelta(minutes=minutes)
            result.reviews_per_day.append(0)
            with open_tutor() as tutor:
                while now < end:
                    question = tutor.next_question(now=now)
                    if question is None:
                        break
                    fact = index[(question.fact.topic, question.fact.key)]
                    attempt = memory.attempt(
                        fact, question.kind, now, rng, len(question.fact.items)
                    )
                    seconds = seconds_for(question.kind, attempt.correct, learner)
                    outcome = tutor.answer(
                        question, response_for(question, attempt.correct), now=now, seconds=seconds
                    )
                    result.grader_disagreements += outcome.correct != attempt.correct
                    seen = last_seen.get(fact)
                    result.predictions.append(
                        Prediction(
                            None if seen is None else (now - seen).total_seconds(),
                            question.kind.value,
                            question.predicted,
                            attempt.correct,
                        )
                    )
                    last_seen[fact] = now
                    memory.study(fact, question.kind, attempt, now)
                    result.record(question.kind, attempt.correct, seconds)
                    now += timedelta(seconds=seconds)
                    clock_now[0] = now
                if day == days - 1:
                    result.calibration = tutor.calibration()
                    result.introduced = sum(
                        not state.is_new for _, state, _ in tutor.fact_states(now=now)
                    )
    result.exam_recall = memory.exam(exam_time(days))
    return result


def run_flashcards(
    learner: Learner,
    days: int,
    minutes: float,
    deck: Path = DECK,
    memory_family: str = "exponential",
) -> ArmResult:
    """Return how ``learner`` (with a memory of ``memory_family``) does with plain FSRS
    flashcards in Anki's default queue.

    One card per fact; FSRS's default parameters and learning steps, desired retention 0.9;
    each day: learning cards that are due, then reviews (earliest due first), then new cards
    (up to 20 a day, in notes order), then learning cards due within 20 minutes. Graded
    honestly: Again when the learner does not recall the fact, else Good.
    """
    facts = deck_facts(deck)
    memory = MEMORIES[memory_family](learner)
    rng = random.Random(f"flashcards-{learner.seed}")
    scheduler = fsrs.Scheduler(desired_retention=0.9, enable_fuzzing=False)
    cards = [fsrs.Card(card_id=number + 1, due=START) for number in range(len(facts))]
    started: list[int] = []
    fresh = list(range(len(facts)))
    result = ArmResult(exam_recall=0.0)
    kind = QuestionKind.FLASHCARD
    for day in range(days):
        now = START + timedelta(days=day)
        end = now + timedelta(minutes=minutes)
        new_today = 0
        result.reviews_per_day.append(0)
        while now < end:
            card = _anki_next(cards, started, fresh, now, new_today < ANKI_NEW_PER_DAY)
            if card is None:
                break
            if card in fresh:
                fresh.remove(card)
                started.append(card)
                new_today += 1
            attempt = memory.attempt(card, kind, now, rng)
            rating = fsrs.Rating.Good if attempt.correct else fsrs.Rating.Again
            cards[card], _ = scheduler.review_card(cards[card], rating, review_datetime=now)
            memory.study(card, kind, attempt, now)
            seconds = seconds_for(kind, attempt.correct, learner)
            result.record(kind, attempt.correct, seconds)
            now += timedelta(seconds=seconds)
    result.introduced = len(started)
    result.exam_recall = memory.exam(exam_time(days))
    return result


def _anki_next(
    cards: Sequence[fsrs.Card],
    started: Sequence[int],
    fresh: Sequence[int],
    now: datetime,
    new_allowed: bool,
) -> int | None:
    """Return the card Anki shows next, or ``None`` when the day's queue is empty."""
    learning = [i for i in started if cards[i].state is not fsrs.State.Review]
    reviews = [i for i in started if cards[i].state is fsrs.State.Review]
    for pool, until in ((learning, now), (reviews, now)):
        due = [i for i in pool if cards[i].due <= until]
        if due:
            return min(due, key=lambda i: cards[i].due)
    if new_allowed and fresh:
        return fresh[0]
    ahead = [i for i in learning if cards[i].due <= now + ANKI_LEARN_AHEAD]
    return min(ahead, key=lambda i: cards[i].due) if ahead else None


@dataclass(frozen=True)
class LearnerRun:
    """One learner through both arms."""

    learner: Learner
    tutor: ArmResult
    flashcards: ArmResult


@dataclass(frozen=True)
class Settings:
    """What a simulation runs: how many learners, for how long, and the tutor's settings."""

    learners: int = 12
    days: int = 14
    minutes: float = 10.0
    seed: int = 1
    target: float = 0.85
    kinds: tuple[str, ...] | None = None
    memory: str = "exponential"


def run_learner(settings: Settings, seed: int) -> LearnerRun:
    """Return one learner's results with the tutor and with plain flashcards."""
    learner = Learner.draw(seed, [fact.kind for fact in deck_facts()])
    return LearnerRun(
        learner=learner,
        tutor=run_tutor(
            learner,
            settings.days,
            settings.minutes,
            settings.target,
            kinds=settings.kinds,
            memory_family=settings.memory,
        ),
        flashcards=run_flashcards(
            learner, settings.days, settings.minutes, memory_family=settings.memory
        ),
    )


@dataclass(frozen=True)
class Spread:
    """A figure over learners: mean, standard deviation, lowest and highest."""

    mean: float
    sd: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        """Return the spread of ``values`` (at least one)."""
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        return cls(statistics.fmean(values), sd, min(values), max(values))


@dataclass(frozen=True)
class FormatFigures:
    """One question format in an arm: its share of questions and of time, and its success."""

    share: float
    time_share: float
    success: float


@dataclass(frozen=True)
class ArmSummary:
    """One arm over every learner."""

    exam_recall: Spread
    success_rate: float
    questions_per_day: float
    questions_by_day: list[float]
    minutes_per_day: float
    facts_introduced: float
    formats: dict[str, FormatFigures]
    grader_disagreements: int

    @classmethod
    def of(cls, results: Sequence[ArmResult], days: int) -> ArmSummary:
        """Return the summary of one arm's ``results`` over ``days`` study days."""
        answers = sum(result.answers for result in results)
        kinds: Counter[str] = Counter()
        kind_correct: Counter[str] = Counter()
        kind_seconds: dict[str, float] = {}
        for result in results:
            kinds.update(result.kinds)
            kind_correct.update(result.kind_correct)
            for kind, seconds in result.kind_seconds.items():
                kind_seconds[kind] = kind_seconds.get(kind, 0.0) + seconds
        total = sum(kind_seconds.values()) or 1.0
        return cls(
            exam_recall=Spread.of([result.exam_recall for result in results]),
            success_rate=sum(result.correct for result in results) / max(1, answers),
            questions_per_day=answers / (len(results) * days),
            questions_by_day=[
                statistics.fmean(result.reviews_per_day[day] for result in results)
                for day in range(days)
            ],
            minutes_per_day=sum(result.study_seconds for result in results)
            / (60 * len(results) * days),
            facts_introduced=statistics.fmean(result.introduced for result in results),
            formats={
                kind: FormatFigures(
                    count / max(1, answers),
                    kind_seconds[kind] / total,
                    kind_correct[kind] / count,
                )
                for kind, count in kinds.most_common()
            },
            grader_disagreements=sum(result.grader_disagreements for result in results),
        )


@dataclass(frozen=True)
class Decile:
    """Predictions between ``low`` and ``low + 0.1``: how many, mean predicted, share right."""

    low: float
    count: int
    predicted: float
    actual: float


# Time since the learner last saw a fact, for the calibration breakdown: (upper bound in
# seconds, name); an answer about a fact never seen before is in a bucket of its own.
NEVER_SEEN = "first time"
ELAPSED_BUCKETS = (
    (3600.0, "under 1 hour"),
    (86400.0, "1 hour to 1 day"),
    (math.inf, "over 1 day"),
)


def elapsed_bucket(seconds: float | None) -> str:
    """Return the name of the breakdown's bucket for ``seconds`` since the fact was last seen
    (``None``: never seen before)."""
    if seconds is None:
        return NEVER_SEEN
    return next(name for bound, name in ELAPSED_BUCKETS if seconds < bound)


@dataclass(frozen=True)
class Bucket:
    """The predictions in one bucket of the breakdown: how many, the mean predicted, the share
    actually right and their log loss."""

    name: str
    answers: int
    predicted: float
    actual: float
    log_loss: float

    @classmethod
    def of(cls, name: str, predictions: Sequence[Prediction]) -> Bucket:
        """Return the bucket called ``name`` holding ``predictions`` (at least one)."""
        report = calibration_report((p.predicted, p.correct) for p in predictions)
        return cls(
            name,
            report.answers,
            statistics.fmean(p.predicted for p in predictions),
            report.success_rate,
            report.log_loss,
        )


def breakdown(
    predictions: Iterable[Prediction],
) -> tuple[list[Bucket], list[Bucket]]:
    """Return the calibration of ``predictions`` by time since the fact was last seen (in the
    order of ``ELAPSED_BUCKETS``, first-time answers first) and by format (most asked first);
    empty buckets are left out."""
    by_elapsed: dict[str, list[Prediction]] = {}
    by_kind: dict[str, list[Prediction]] = {}
    for prediction in predictions:
        by_elapsed.setdefault(elapsed_bucket(prediction.elapsed_seconds), []).append(prediction)
        by_kind.setdefault(prediction.kind, []).append(prediction)
    order = [NEVER_SEEN, *(name for _, name in ELAPSED_BUCKETS)]
    return (
        [Bucket.of(name, by_elapsed[name]) for name in order if name in by_elapsed],
        [
            Bucket.of(kind, found)
            for kind, found in sorted(by_kind.items(), key=lambda item: -len(item[1]))
        ],
    )


@dataclass(frozen=True)
class PooledCalibration:
    """The tutors' calibration reports pooled over learners (weighted by answers), and the
    calibration of their predictions by time since the fact was last seen and by format."""

    answers: int
    log_loss: float
    baseline_log_loss: float
    deciles: list[Decile]
    by_elapsed: list[Bucket] = field(default_factory=list)
    by_kind: list[Bucket] = field(default_factory=list)

    @property
    def skill(self) -> float:
        """Return the share of the constant predictor's log loss that the tutor removes."""
        return 1 - self.log_loss / self.baseline_log_loss if self.baseline_log_loss else 0.0

    @classmethod
    def of(
        cls, reports: Sequence[CalibrationReport], predictions: Iterable[Prediction] = ()
    ) -> PooledCalibration:
        """Return the pooled calibration of ``reports`` (``tutor.calibration()`` each), broken
        down over ``predictions`` (those the simulation saw the tutors make)."""
        answers = sum(report.answers for report in reports)
        if not answers:
            return cls(0, 0.0, 0.0, [])
        by_elapsed, by_kind = breakdown(predictions)
        sums: dict[float, list[float]] = {}
        for report in reports:
            for row in report.rows:
                bucket = sums.setdefault(round(row.low, 1), [0.0, 0.0, 0.0])
                bucket[0] += row.count
                bucket[1] += row.predicted * row.count
                bucket[2] += row.actual * row.count
        return cls(
            answers=answers,
            log_loss=sum(report.log_loss * report.answers for report in reports) / answers,
            baseline_log_loss=sum(report.baseline_log_loss * report.answers for report in reports)
            / answers,
            deciles=[
                Decile(low, int(count), predicted / count, actual / count)
                for low, (count, predicted, actual) in sorted(sums.items())
            ],
            by_elapsed=by_elapsed,
            by_kind=by_kind,
        )


@dataclass(frozen=True)
class Summary:
    """The figures of a simulation: both arms, their paired difference, and calibration."""

    settings: Settings
    exam_day: int
    tutor: ArmSummary
    flashcards: ArmSummary
    difference: Spread
    tutor_ahead: int
    calibration: PooledCalibration

    @classmethod
    def of(cls, settings: Settings, runs: Sequence[LearnerRun]) -> Summary:
        """Return the summary of ``runs`` made with ``settings``."""
        return cls(
            settings=settings,
            exam_day=settings.days + EXAM_DELAY_DAYS,
            tutor=ArmSummary.of([run.tutor for run in runs], settings.days),
            flashcards=ArmSummary.of([run.flashcards for run in runs], settings.days),
            difference=Spread.of(
                [run.tutor.exam_recall - run.flashcards.exam_recall for run in runs]
            ),
            tutor_ahead=sum(run.tutor.exam_recall > run.flashcards.exam_recall for run in runs),
            calibration=PooledCalibration.of(
                [run.tutor.calibration for run in runs if run.tutor.calibration],
                [prediction for run in runs for prediction in run.tutor.predictions],
            ),
        )

    def as_dict(self) -> dict[str, object]:
        """Return the figures as plain data, for JSON."""
        figures = asdict(self)
        figures["calibration"]["skill"] = self.calibration.skill
        return figures


def simulate(settings: Settings, jobs: int = 1) -> Summary:
    """Run the settings' learners through both arms (in ``jobs`` processes); summarise."""
    seeds = [settings.seed * 10_000 + number for number in range(settings.learners)]
    if jobs > 1 and settings.learners > 1:
        with ProcessPoolExecutor(min(jobs, settings.learners)) as pool:
            runs = list(pool.map(run_learner, [settings] * len(seeds), seeds))
    else:
        runs = [run_learner(settings, seed) for seed in seeds]
    return Summary.of(settings, runs)


def format_table(summary: Summary) -> str:
    """Return the summary as a plain-text report."""
    settings, tutor, cards = summary.settings, summary.tutor, summary.flashcards

    def recall(spread: Spread) -> str:
        return f"{spread.mean:.3f} ± {spread.sd:.3f} ({spread.low:.2f}-{spread.high:.2f})"

    kinds = f" ({', '.join(settings.kinds)} only)" if settings.kinds else ""
    rows = [
        (
            "exam-day recall: mean ± sd (range)",
            recall(tutor.exam_recall),
            recall(cards.exam_recall),
        ),
        (
            "success rate while studying",
            f"{tutor.success_rate:.3f} (target {settings.target})",
            f"{cards.success_rate:.3f}",
        ),
        ("questions per day", f"{tutor.questions_per_day:.1f}", f"{cards.questions_per_day:.1f}"),
        ("minutes studied per day", f"{tutor.minutes_per_day:.1f}", f"{cards.minutes_per_day:.1f}"),
        ("facts introduced", f"{tutor.facts_introduced:.1f}", f"{cards.facts_introduced:.1f}"),
    ]
    lines = [
        f"{settings.learners} learners, {settings.days} days x {settings.minutes:g} min a day, "
        f"exam on day {summary.exam_day}, seed {settings.seed}, "
        f"{MEMORY_NAMES[settings.memory]} memory",
        "",
        f"{'':36} {'tutor' + kinds:32} plain FSRS flashcards",
        *(f"{name:36} {left:32} {right}" for name, left, right in rows),
        f"{'tutor - flashcards, paired':36} {summary.difference.mean:+.3f} ± "
        f"{summary.difference.sd:.3f}, tutor ahead for {summary.tutor_ahead} of "
        f"{settings.learners}",
        "",
        "tutor formats      questions   time  success",
        *(
            f"  {kind:14} {figures.share:9.1%} {figures.time_share:6.1%} {figures.success:8.1%}"
            for kind, figures in tutor.formats.items()
        ),
    ]
    calibration = summary.calibration
    if calibration.answers:
        lines += [
            "",
            f"calibration of q.predicted over {calibration.answers} answers: log loss "
            f"{calibration.log_loss:.3f}, constant predictor {calibration.baseline_log_loss:.3f} "
            f"(skill {calibration.skill:+.1%})",
            "  predicted     answers  mean predicted  actual",
            *(
                f"  {row.low:.1f}-{row.low + 0.1:.1f} {row.count:11} {row.predicted:15.3f} "
                f"{row.actual:7.3f}"
                for row in calibration.deciles
            ),
        ]
        for title, buckets in (
            ("since last seen", calibration.by_elapsed),
            ("format", calibration.by_kind),
        ):
            lines += [
                "",
                f"  {title:16} answers  mean predicted  actual  log loss",
                *(
                    f"  {row.name:16} {row.answers:7} {row.predicted:15.3f} {row.actual:7.3f} "
                    f"{row.log_loss:9.3f}"
                    for row in buckets
                ),
            ]
    for name, arm in (("tutor", tutor), ("flashcard", cards)):
        if arm.grader_disagreements:
            lines.append(
                f"warning: {arm.grader_disagreements} {name} answers were graded against the "
                "learner's intent"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the simulation and print its figures (a table, or JSON with ``--json``)."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        epilog="The learner model and the figures: README.md, 'How well it teaches (simulation)'.",
    )
    parser.add_argument("--learners", type=int, default=12, help="simulated learners (12)")
    parser.add_argument("--days", type=int, default=14, help="study days (14)")
    parser.add_argument("--minutes", type=float, default=10.0, help="minutes a day (10)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the learners (1)")
    parser.add_argument("--target", type=float, default=0.85, help="tutor's target (0.85)")
    parser.add_argument(
        "--kinds", nargs="+", choices=[kind.value for kind in QuestionKind], help="tutor's formats"
    )
    parser.add_argument(
        "--memory",
        choices=list(MEMORIES),
        default="exponential",
        help="the learners' memory: exponential forgetting of a strength (the default), "
        "power-law forgetting (Wixted & Ebbesen) or ACT-R activation (Pavlik & Anderson 2005)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (2)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.learners < 1 or args.days < 1 or args.minutes <= 0 or args.jobs < 1:
        parser.error("--learners, --days, --minutes and --jobs must be positive")
    if not 0 < args.target < 1:
        parser.error("--target must be between 0 and 1")
    settings = Settings(
        learners=args.learners,
        days=args.days,
        minutes=args.minutes,
        seed=args.seed,
        target=args.target,
        kinds=tuple(args.kinds) if args.kinds else None,
        memory=args.memory,
    )
    started = time.perf_counter()
    summary = simulate(settings, args.jobs)
    elapsed = time.perf_counter() - started
    if args.json:
        json.dump({**summary.as_dict(), "elapsed_seconds": round(elapsed, 1)}, sys.stdout, indent=2)
        print()
    else:
        print(format_table(summary))
        print(f"\n({elapsed:.0f} s)")


if __name__ == "__main__":
    main()
