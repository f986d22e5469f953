"""Choosing what to ask: the fact and format whose predicted success is nearest the target."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from eurekatutor.domain.models import Fact
from eurekatutor.domain.questions import QuestionKind
from eurekatutor.scheduling.memory import MemoryState, Phase

DEFAULT_TARGET = 0.85
# Penalties and bonuses, in units of |predicted - target|.
SAME_TOPIC_PENALTY = 0.15
NEW_FACT_PENALTY = 0.05
# A learner is coping when their recent success rate is no more than this below the target.
COPING_MARGIN = 0.10
RECENT_ANSWERS = 8
# Stability (days) from which a fact in review is asked by recall alone: at once. In the
# simulation (benchmarks/simulate.py), waiting for a week of stability left 91% of questions
# as recognition, which teaches less, and the tutor lost to plain flashcards.
RECALL_STABILITY = 0.0

INTRODUCE = (QuestionKind.TRUEFALSE, QuestionKind.CHOICE, QuestionKind.ORDER)
PRACTISE = (
    QuestionKind.CHOICE,
    QuestionKind.TRUEFALSE,
    QuestionKind.CLOZE,
    QuestionKind.TYPED,
    QuestionKind.ORDER,
)
RECALL = (QuestionKind.CLOZE, QuestionKind.TYPED, QuestionKind.ORDER, QuestionKind.FLASHCARD)


def stage_kinds(memory: MemoryState) -> tuple[QuestionKind, ...]:
    """Return the formats that suit how strong a memory is: recognition while it is new,
    a mix while it is learned, recall once it is stable."""
    if memory.is_new or (memory.phase is Phase.LEARNING and (memory.step or 0) == 0):
        return INTRODUCE
    if memory.phase is not Phase.REVIEW or (memory.stability or 0.0) < RECALL_STABILITY:
        return PRACTISE
    return RECALL


@dataclass(frozen=True)
class Option:
    """A fact asked in one format, with its predicted success."""

    fact: Fact
    kind: QuestionKind
    predicted: float
    is_new: bool


def is_coping(recent: Sequence[bool], target: float) -> bool:
    """Return whether the recent answers (newest last) are close enough to the target rate."""
    window = list(recent)[-RECENT_ANSWERS:]
    if len(window) < 4:
        return True
    return sum(window) / len(window) >= target - COPING_MARGIN


def choose(options: Sequence[Option], target: float, last_topic: str | None) -> Option | None:
    """Return the option whose predicted success is nearest ``target``.

    Asking the same topic twice in a row costs a little (topics interleave), and so does a new
    fact against one already due. (A cost for the same format twice in a row made sessions
    more varied but taught less in the simulation, so formats follow the target alone.)
    """

    def cost(option: Option) -> float:
        value = abs(option.predicted - target)
        if last_topic is not None and option.fact.topic == last_topic:
            value += SAME_TOPIC_PENALTY
        if option.is_new:
            value += NEW_FACT_PENALTY
        return value

    return min(options, key=cost, default=None)
