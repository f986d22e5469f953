"""Study sessions: daily adaptive study, a time-boxed exam-prep quiz, an adaptive placement test."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from eurekatutor.domain.models import Fact
from eurekatutor.domain.questions import Question, QuestionKind
from eurekatutor.scheduling.grading import Response
from eurekatutor.scheduling.memory import MemoryState
from eurekatutor.scheduling.prediction import FORMAT_GUESS
from eurekatutor.tutor import Outcome, Tutor, Undone

# A quiz aims lower than daily study: it is there to find the gaps, not to teach.
QUIZ_TARGET = 0.7
QUIZ_KINDS = (
    QuestionKind.CLOZE,
    QuestionKind.TYPED,
    QuestionKind.ORDER,
    QuestionKind.CHOICE,
    QuestionKind.TRUEFALSE,
)
# Placement: the chance of a slip when the topic is known, the posterior that decides a topic
# either way, and the most questions asked per topic.
PLACEMENT_SLIP = 0.15
PLACEMENT_PRIOR = 0.5
PLACEMENT_DECIDED = 0.85
PLACEMENT_MAX_PER_TOPIC = 3
PLACEMENT_KINDS = (QuestionKind.CHOICE, QuestionKind.TRUEFALSE, QuestionKind.TYPED)


class Session(Protocol):
    """What a review screen drives: questions one at a time, then their answers.

    ``ends_at`` is when a time-boxed session is over (the screen counts down to it), else
    ``None``; ``reports_early`` says whether leaving before the end still shows the summary
    (a quiz's partial report)."""

    title: str
    reports_early: bool

    @property
    def ends_at(self) -> datetime | None:
        """When a time-boxed session is over, else ``None``."""
        ...

    @property
    def can_undo(self) -> bool:
        """Whether an answer of this session can be taken back now."""
        ...

    def undo(self) -> Undone | None:
        """Take back the session's last answer; return what was undone, or ``None``."""
        ...

    def remaining(self, now: datetime | None = None) -> int:
        """Return about how many questions are left."""
        ...

    def finish(self, now: datetime | None = None) -> list[str]:
        """End the session; return lines for its summary (beyond the counts)."""
        ...

    def next_question(self, now: datetime | None = None) -> Question | None:
        """Return the next question, or ``None`` when the session is over."""
        ...

    def answer(
        self,
        question: Question,
        response: Response,
        now: datetime | None = None,
        seconds: float | None = None,
    ) -> Outcome:
        """Record an answer; return its outcome."""
        ...


class TalkStates:
    """A talk's facts with their memory states, read once for a session and kept up to date
    after each of its answers (a session's answers are what changes them meanwhile)."""

    def __init__(self, tutor: Tutor, talk_id: int | None) -> None:
        self.tutor = tutor
        self.talk_id = talk_id
        self._states: list[tuple[Fact, MemoryState]] | None = None
        self._index: dict[int, int] = {}

    def at(self, now: datetime) -> list[tuple[Fact, MemoryState, float]]:
        """Return ``Tutor.fact_states``: each fact, its memory, and its recall at ``now``."""
        if self._states is None:
            self._states = [
                (fact, memory) for fact, memory, _ in self.tutor.fact_states(self.talk_id, now)
            ]
            self._index = {
                fact.id: index for index, (fact, _) in enumerate(self._states) if fact.id
            }
        recalls = self.tutor.recall([memory for _, memory in self._states], now)
        return [
            (fact, memory, recall)
            for (fact, memory), recall in zip(self._states, recalls, strict=True)
        ]

    def answered(self, fact_id: int) -> None:
        """Read again the memory of a fact just answered."""
        index = self._index.get(fact_id)
        if self._states is not None and index is not None:
            self._states[index] = (self._states[index][0], self.tutor.memory(fact_id))


class _NoUndo:
    """A session whose answers stand: a quiz or a placement measures, so none is taken back."""

    can_undo = False

    def undo(self) -> Undone | None:
        """Take nothing back."""
        return None


class Study:
    """Daily study of one talk: what is due, then new facts, at the target success rate."""

    title = "Study"
    ends_at: datetime | None = None
    reports_early = False

    def __init__(self, tutor: Tutor, talk_id: int | None = None) -> None:
        self.tutor = tutor
        self.talk_id = talk_id
        # This session's answers, oldest first: undo takes back these and no others.
        self._answered: list[int] = []

    @property
    def can_undo(self) -> bool:
        """Whether this session has an answer to take back."""
        return bool(self._answered)

    def undo(self) -> Undone | None:
        """Take back this session's last answer (never one from before it); return it."""
        return self.tutor.undo(self._answered.pop()) if self._answered else None

    def overrule(self, outcome: Outcome) -> Outcome | None:
        """Take the learner's word against the check on this session's last answer (the one
        with this outcome); return its outcome as it now stands, or ``None``."""
        last = self._answered[-1] if self._answered else None
        return self.tutor.overrule(outcome) if outcome.review_id == last else None

    def next_question(self, now: datetime | None = None) -> Question | None:
        """Return the next question, or ``None`` when nothing is worth studying now."""
        return self.tutor.next_question(now, talk_id=self.talk_id)

    def remaining(self, now: datetime | None = None) -> int:
        """Return how many facts are due now plus the new facts still allowed today."""
        return self.tutor.remaining(self.talk_id, now)

    def finish(self, now: datetime | None = None) -> list[str]:
        """Return nothing more: the summary's counts say it all."""
        return []

    def answer(
        self,
        question: Question,
        response: Response,
        now: datetime | None = None,
        seconds: float | None = None,
    ) -> Outcome:
        """Record an answer; return its outcome."""
        outcome = self.tutor.answer(question, response, now, seconds)
        self._answered.append(outcome.review_id)
        return outcome


@dataclass
class TopicResult:
    """How a quiz went on one topic: questions asked, right, and the facts missed."""

    topic: str
    asked: int = 0
    correct: int = 0
    missed: list[Fact] = field(default_factory=list)


@dataclass(frozen=True)
class QuizReport:
    """A finished quiz by topic, with mastery before and after (0..1 per topic)."""

    topics: tuple[TopicResult, ...]
    asked: int
    correct: int
    mastery_before: dict[str, float]
    mastery_after: dict[str, float]

    def lines(self) -> list[str]:
        """Return the report as text: a line per topic, then each missed fact and its source."""
        out = [f"Quiz: {self.correct} of {self.asked} right"]
        for result in self.topics:
            before = self.mastery_before.get(result.topic, 0.0)
            after = self.mastery_after.get(result.topic, 0.0)
            out.append(
                f"{result.topic}: {result.correct}/{result.asked} right, "
                f"mastery {before:.0%} -> {after:.0%}"
            )
            for fact in result.missed:
                out.append(
                    f"  missed ({fact.source}): {fact.cue + ': ' if fact.cue else ''}{fact.text}"
                )
        return out


class Quiz(_NoUndo):
    """A time-boxed test that covers every topic and asks where predicted recall is weakest.

    Each fact is asked at most once. Answers are logged in mode ``quiz``; a correct answer on a
    fact that is not due yet leaves its schedule alone, so cramming does not inflate intervals.
    """

    def __init__(
        self, tutor: Tutor, minutes: float, talk_id: int | None = None, now: datetime | None = None
    ) -> None:
        if minutes <= 0:
            raise ValueError(f"a quiz needs some minutes, not {minutes}")
        self.tutor = tutor
        self.talk_id = talk_id
        start = tutor.now(now)
        self.started_at = start
        self.ends_at = start + timedelta(minutes=minutes)
        self.mastery_before = tutor.mastery(start, talk_id)
        self.results = {topic: TopicResult(topic) for topic in self.mastery_before}
        self._asked: set[int] = set()
        self._states = TalkStates(tutor, talk_id)
        self.title = f"Quiz, {minutes:g} minute{'' if minutes == 1 else 's'}"
        self.reports_early = True

    def remaining(self, now: datetime | None = None) -> int:
        """Return how many facts have not been asked yet."""
        return self.tutor.counts(self.talk_id, now).total - len(self._asked)

    def finish(self, now: datetime | None = None) -> list[str]:
        """Return the report by topic, with each missed fact and its source line."""
        return self.report(now).lines()

    def time_left(self, now: datetime | None = None) -> timedelta:
        """Return the time left, zero once the quiz is over."""
        return max(timedelta(0), self.ends_at - self.tutor.now(now))

    def next_question(self, now: datetime | None = None) -> Question | None:
        """Return the next question, or ``None`` when time is up or every fact was asked.

        The topic asked least so far comes next (weakest first on a tie); within it, the fact
        with the lowest recall, in the format whose predicted success is nearest 0.7.
        """
        now = self.tutor.now(now)
        if now >= self.ends_at:
            return None
        by_topic: dict[str, list[tuple[Fact, float]]] = defaultdict(list)
        memories = {}
        for fact, memory, recall in self._states.at(now):
            if fact.id is not None and fact.id not in self._asked:
                by_topic[fact.topic].append((fact, recall))
                memories[fact.id] = memory
        if not by_topic:
            return None
        topic = min(
            by_topic,
            key=lambda name: (self.results[name].asked, self.mastery_before.get(name, 0.0)),
        )
        fact, _recall = min(by_topic[topic], key=lambda item: item[1])
        fact_id = fact.id
        assert fact_id is not None
        kinds = [kind for kind in self.tutor.kinds_for(fact) if kind in QUIZ_KINDS]
        kind = min(
            kinds or [QuestionKind.FLASHCARD],
            key=lambda k: abs(self.tutor.predicted(fact, memories[fact_id], k, now) - QUIZ_TARGET),
        )
        return self.tutor.question_for(fact_id, now, kind=kind)

    def answer(
        self,
        question: Question,
        response: Response,
        now: datetime | None = None,
        seconds: float | None = None,
    ) -> Outcome:
        """Record a quiz answer; return its outcome."""
        outcome = self.tutor.record(
            question,
            response,
            now,
            seconds,
            mode="quiz",
            early_correct_keeps_schedule=True,
            new_within_limit=True,
        )
        self._asked.add(question.fact_id)
        self._states.answered(question.fact_id)
        result = self.results.setdefault(question.topic, TopicResult(question.topic))
        result.asked += 1
        if outcome.correct:
            result.correct += 1
        else:
            result.missed.append(question.fact)
        return outcome

    def report(self, now: datetime | None = None) -> QuizReport:
        """Return the report by topic, with mastery now against mastery at the start."""
        topics = tuple(result for result in self.results.values() if result.asked)
        return QuizReport(
            topics=topics,
            asked=sum(result.asked for result in topics),
            correct=sum(result.correct for result in topics),
            mastery_before=self.mastery_before,
            mastery_after=self.tutor.mastery(now, self.talk_id),
        )


@dataclass(frozen=True)
class PlacementResult:
    """What placement found: per topic ``known``, ``unknown`` or ``unsure``; facts credited."""

    topics: dict[str, str]
    credited: int
    asked: int


class Placement(_NoUndo):
    """A short adaptive diagnostic: a few questions per topic, stopping when the answers are clear.

    Each topic holds a probability that the learner knows it, updated after every answer
    (allowing for lucky guesses and slips); a topic is decided at 85% either way or after three
    questions. ``place`` credits the unstudied facts of known topics as known.
    """

    title = "Placement"
    ends_at: datetime | None = None
    reports_early = False

    def __init__(self, tutor: Tutor, talk_id: int, now: datetime | None = None) -> None:
        self.tutor = tutor
        self.talk_id = talk_id
        self.known = {topic: PLACEMENT_PRIOR for topic in tutor.topics(talk_id)}
        self.asked: dict[str, int] = defaultdict(int)
        # Topics with nothing left to ask: decided by what was answered, if anything.
        self._exhausted: set[str] = set()
        self._asked_facts: set[int] = set()
        self._states = TalkStates(tutor, talk_id)

    def remaining(self, now: datetime | None = None) -> int:
        """Return the most questions still to come: up to three per undecided topic."""
        return sum(
            PLACEMENT_MAX_PER_TOPIC - self.asked[topic]
            for topic in self.known
            if not self.decided(topic)
        )

    def decided(self, topic: str) -> bool:
        """Return whether a topic needs no more questions."""
        p = self.known[topic]
        return (
            p >= PLACEMENT_DECIDED
            or p <= 1 - PLACEMENT_DECIDED
            or self.asked[topic] >= PLACEMENT_MAX_PER_TOPIC
            or topic in self._exhausted
        )

    def next_question(self, now: datetime | None = None) -> Question | None:
        """Return the next diagnostic question, or ``None`` when every topic is decided."""
        now = self.tutor.now(now)
        states = self._states.at(now)
        for topic in self.known:
            if self.decided(topic):
                continue
            # Main claims first, then the topic's other facts in notes order.
            candidates = sorted(
                (fact for fact, memory, _ in states if fact.topic == topic and memory.is_new),
                key=lambda fact: not fact.main,
            )
            for fact in candidates:
                if fact.id is None or fact.id in self._asked_facts:
                    continue
                kinds = [k for k in PLACEMENT_KINDS if k in self.tutor.kinds_for(fact)]
                if kinds:
                    return self.tutor.question_for(fact.id, now, kind=kinds[0])
            self._exhausted.add(topic)  # nothing (more) to ask here
        return None

    def answer(
        self,
        question: Question,
        response: Response,
        now: datetime | None = None,
        seconds: float | None = None,
    ) -> Outcome:
        """Record a placement answer and update the topic's probability of being known."""
        outcome = self.tutor.record(question, response, now, seconds, mode="placement")
        self._asked_facts.add(question.fact_id)
        self._states.answered(question.fact_id)
        topic = question.topic
        self.asked[topic] += 1
        guess = FORMAT_GUESS.get(question.kind, 0.0) or 0.05
        p = self.known[topic]
        if outcome.correct:
            hit, miss = p * (1 - PLACEMENT_SLIP), (1 - p) * guess
        else:
            hit, miss = p * PLACEMENT_SLIP, (1 - p) * (1 - guess)
        self.known[topic] = hit / (hit + miss)
        return outcome

    def verdict(self, topic: str) -> str:
        """Return ``known``, ``unknown`` or ``unsure`` for a topic."""
        p = self.known[topic]
        if not self.asked[topic]:
            return "unsure"  # never asked (no question fits it): nothing is known either way
        done = self.asked[topic] >= PLACEMENT_MAX_PER_TOPIC or topic in self._exhausted
        if p >= PLACEMENT_DECIDED or (done and p >= 0.5):
            return "known"
        if p <= 1 - PLACEMENT_DECIDED or done:
            return "unknown"
        return "unsure"

    def place(self, now: datetime | None = None) -> PlacementResult:
        """Credit the unstudied facts of every known topic; return what placement found."""
        now = self.tutor.now(now)
        verdicts = {topic: self.verdict(topic) for topic in self.known}
        known_ids = [
            fact.id
            for fact, memory, _ in self.tutor.fact_states(self.talk_id, now)
            if verdicts.get(fact.topic) == "known" and memory.is_new and fact.id is not None
        ]
        confidence = min((self.known[t] for t, v in verdicts.items() if v == "known"), default=1.0)
        credited = self.tutor.credit_known(known_ids, confidence, now)
        return PlacementResult(verdicts, credited, sum(self.asked.values()))

    def finish(self, now: datetime | None = None) -> list[str]:
        """Place the learner (see ``place``); return what it found as lines for a summary."""
        result = self.place(now)
        lines = [f"{topic}: {verdict}" for topic, verdict in result.topics.items()]
        lines.append(f"{result.credited} facts of known topics credited as known.")
        return lines
