"""The Textual-free facade that the UI, the CLI, scripts and tests all use."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType

from eurekatutor.domain.matching import plan_import
from eurekatutor.domain.models import Fact, ImportReport, Review, Talk, TalkCounts
from eurekatutor.domain.notes import read_notes
from eurekatutor.domain.questions import Question, QuestionKind, flashcard
from eurekatutor.errors import EurekaError
from eurekatutor.persistence.store import AnswerRecord, Store
from eurekatutor.scheduling.memory import DEFAULT_RETENTION, MemoryModel, Rating
from eurekatutor.scheduling.queue import (
    DEFAULT_NEW_PER_DAY,
    QueuePolicy,
    next_fact,
    study_day_start,
)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Return the current time, UTC-aware."""
    return datetime.now(UTC)


class AnswerError(EurekaError):
    """A response that does not fit the question (e.g. a flashcard rating outside 1-4)."""


@dataclass(frozen=True)
class Outcome:
    """The result of an answer: whether it was right, and when the fact comes back."""

    fact_id: int
    correct: bool
    rating: Rating
    review_id: int
    due: datetime
    interval: timedelta


class Tutor:
    """Imports notes, asks questions, records answers and reports mastery.

    Build it with ``Tutor.open``; every method that depends on the time takes ``now``
    (UTC-aware; ``None`` means the tutor's clock).
    """

    def __init__(
        self,
        store: Store,
        memory: MemoryModel,
        clock: Clock = utc_now,
        policy: QueuePolicy | None = None,
    ) -> None:
        self._store = store
        self._memory = memory
        self._clock = clock
        self._policy = policy or QueuePolicy()

    @classmethod
    def open(
        cls,
        path_or_url: str | Path,
        *,
        clock: Clock = utc_now,
        desired_retention: float = DEFAULT_RETENTION,
        new_per_day: int = DEFAULT_NEW_PER_DAY,
    ) -> Tutor:
        """Return a tutor on the database at a path or ``sqlite://`` URL, creating it if missing.

        Raises ``StoreError`` when the database cannot be opened.
        """
        return cls(
            Store(path_or_url),
            MemoryModel(desired_retention=desired_retention),
            clock=clock,
            policy=QueuePolicy(new_per_day=new_per_day),
        )

    def close(self) -> None:
        """Release the database."""
        self._store.close()

    def __enter__(self) -> Tutor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def now(self, now: datetime | None = None) -> datetime:
        """Return ``now`` in UTC, or the clock's time; raise ``ValueError`` for a naive time."""
        if now is None:
            now = self._clock()
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError(f"naive datetime {now!r}: pass a timezone-aware time")
        return now.astimezone(UTC)

    # Content

    def import_notes(self, path: str | Path, now: datetime | None = None) -> ImportReport:
        """Import (or re-import) a notes file; return counts of facts added/updated/retired.

        Raises ``NotesError`` naming the file and lines when it cannot be imported; then
        nothing is written.
        """
        parsed = read_notes(path)
        existing = self._store.talk_by_slug(parsed.talk.slug)
        stored = self._store.facts(existing.id, include_retired=True) if existing else []
        plan = plan_import(stored, list(parsed.facts))
        return self._store.apply_import(parsed, plan, self.now(now))

    def talks(self) -> list[Talk]:
        """Return the imported talks."""
        return self._store.talks()

    def facts(self, talk_id: int | None = None, include_retired: bool = False) -> list[Fact]:
        """Return the facts (with ``.id``, ``.kind``, ``.text``, ``.topic``) in notes order."""
        return self._store.facts(talk_id, include_retired=include_retired)

    def topics(self, talk_id: int) -> list[str]:
        """Return a talk's topics in notes order."""
        return self._store.topics(talk_id)

    def counts(self, talk_id: int | None, now: datetime | None = None) -> TalkCounts:
        """Return how many of a talk's facts are due, new and learned."""
        return self._store.counts(talk_id, self.now(now))

    # Studying

    def next_question(
        self, now: datetime | None = None, talk_id: int | None = None
    ) -> Question | None:
        """Return the next question, or ``None`` when nothing is worth studying now."""
        now = self.now(now)
        fact_id = next_fact(self._store, now, talk_id, self._policy)
        return self.question_for(fact_id, now) if fact_id is not None else None

    def question_for(self, fact_id: int, now: datetime | None = None) -> Question:
        """Return the question to ask about one fact now (e.g. again, after an undo)."""
        memory = self._store.memory(fact_id)
        return flashcard(
            self._store.fact(fact_id), self._memory.predicted_success(memory, self.now(now))
        )

    def remaining(self, talk_id: int | None = None, now: datetime | None = None) -> int:
        """Return how many questions are left for today: facts due now plus new facts allowed."""
        now = self.now(now)
        counts = self._store.counts(talk_id, now)
        allowance = self._policy.new_per_day - self._store.introduced_since(
            talk_id, study_day_start(now)
        )
        return counts.due + max(0, min(counts.new, allowance))

    def preview(self, question: Question, now: datetime | None = None) -> dict[Rating, timedelta]:
        """Return the interval each flashcard rating would give the question's fact."""
        return self._memory.preview(self._store.memory(question.fact_id), self.now(now))

    def answer(
        self,
        question: Question,
        response: int | str,
        now: datetime | None = None,
        seconds: float | None = None,
    ) -> Outcome:
        """Record an answer, committed before this returns, and return its outcome.

        A flashcard response is a rating 1-4 (Again, Hard, Good, Easy); Hard or better is
        correct. Raises ``AnswerError`` for a response that does not fit the question.
        """
        now = self.now(now)
        if question.kind is not QuestionKind.FLASHCARD:
            raise AnswerError(f"cannot answer a {question.kind} question yet")
        rating = _rating(response)
        before = self._store.memory(question.fact_id)
        after = self._memory.review(before, rating, now)
        correct = rating is not Rating.AGAIN
        review_id = self._store.record_answer(
            AnswerRecord(
                fact_id=question.fact_id,
                question_kind=question.kind.value,
                reviewed_at=now,
                response=str(int(rating)),
                rating=int(rating),
                correct=correct,
                seconds=seconds,
                predicted=question.predicted,
            ),
            before,
            after,
        )
        assert after.due is not None
        return Outcome(
            fact_id=question.fact_id,
            correct=correct,
            rating=rating,
            review_id=review_id,
            due=after.due,
            interval=after.due_in(now),
        )

    def undo(self) -> Fact | None:
        """Take back the last answer; return the fact it was about, or ``None``."""
        fact_id = self._store.undo_last()
        return self._store.fact(fact_id) if fact_id is not None else None

    def next_due(self, talk_id: int | None = None, now: datetime | None = None) -> datetime | None:
        """Return when the next studied fact falls due after ``now``, or ``None``."""
        return self._store.next_due(talk_id, self.now(now))

    def reviews(self, fact_id: int | None = None) -> list[Review]:
        """Return the review log (answers not undone), oldest first."""
        return self._store.reviews(fact_id)

    # Progress

    def recall_probability(self, fact_id: int, now: datetime | None = None) -> float:
        """Return the probability of recalling a fact now (0 for a fact never studied)."""
        return self._memory.recall_probability(self._store.memory(fact_id), self.now(now))

    def mastery(self, now: datetime | None = None, talk_id: int | None = None) -> dict[str, float]:
        """Return, per topic in notes order, the mean recall probability of its facts (0..1).

        A fact never studied counts as 0.
        """
        now = self.now(now)
        by_topic: dict[str, list[float]] = defaultdict(list)
        for fact, memory in self._store.memories(talk_id):
            by_topic[fact.topic].append(self._memory.recall_probability(memory, now))
        return {topic: sum(values) / len(values) for topic, values in by_topic.items()}


def _rating(response: int | str) -> Rating:
    try:
        return Rating(int(response))
    except (TypeError, ValueError):
        raise AnswerError(
            f"a flashcard answer is a rating from 1 (Again) to 4 (Easy), not {response!r}"
        ) from None
