"""The Textual-free facade that the UI, the CLI, scripts and tests all use."""

from __future__ import annotations

import json
import random
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from eurekatutor.domain.answers import Response, Verdict, check_answer
from eurekatutor.domain.matching import plan_import
from eurekatutor.domain.models import Fact, ImportReport, Review, Talk, TalkCounts
from eurekatutor.domain.notes import read_notes
from eurekatutor.domain.questions import Question, QuestionFactory, QuestionKind
from eurekatutor.errors import AnswerError
from eurekatutor.persistence.backup import Backup
from eurekatutor.persistence.store import AnswerRecord, Store
from eurekatutor.scheduling.memory import DEFAULT_RETENTION, MemoryModel, MemoryState, Rating
from eurekatutor.scheduling.optimizer import MIN_REVIEWS_TO_FIT, ReviewPoint, fit_parameters
from eurekatutor.scheduling.prediction import (
    NEW_FACT_RECALL,
    Calibration,
    CalibrationReport,
    calibration_report,
    format_success,
)
from eurekatutor.scheduling.queue import DEFAULT_NEW_PER_DAY, QueuePolicy, study_day_start
from eurekatutor.scheduling.selection import (
    DEFAULT_TARGET,
    Option,
    choose,
    is_coping,
    rating_for,
    stage_kinds,
)

if TYPE_CHECKING:
    from eurekatutor.export.anki import ExportReport

Clock = Callable[[], datetime]
# How many due and new facts the tutor weighs when it picks the next question.
DUE_CANDIDATES = 30
NEW_CANDIDATES = 4
# The learner's calibration is refitted after this many new answers, FSRS's parameters after
# this many more reviews (once there are enough to fit at all).
REFIT_EVERY = 20
REFIT_FSRS_EVERY = 100
PARAMETERS_KEY = "fsrs_parameters"
FITTED_AT_KEY = "fsrs_fitted_at_reviews"


def utc_now() -> datetime:
    """Return the current time, UTC-aware."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Outcome:
    """The result of an answer: the verdict, the rating it counted as, and when the fact returns.

    ``expected`` is the right answer and ``correction`` the true statement behind an altered
    true/false statement, for the learner to see after answering.
    """

    fact_id: int
    correct: bool
    rating: Rating
    review_id: int
    due: datetime
    interval: timedelta
    verdict: Verdict
    expected: str | list[str]
    correction: str | None = None


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
        *,
        rng: random.Random | None = None,
        target: float = DEFAULT_TARGET,
        kinds: Sequence[QuestionKind] | None = None,
    ) -> None:
        if not 0.0 < target < 1.0:
            raise ValueError(f"the target success rate must be between 0 and 1, not {target}")
        self._store = store
        self._memory = memory
        self._clock = clock
        self._policy = policy or QueuePolicy()
        self._rng = rng or random.Random()
        self.target = target
        self._kinds = tuple(kinds) if kinds else tuple(QuestionKind)
        self._factories: dict[int | None, QuestionFactory] = {}
        self._last_topic: str | None = None
        self._recent: deque[bool] = deque(maxlen=16)
        self._calibration: Calibration | None = None
        self._answers_since_fit = 0

    @classmethod
    def open(
        cls,
        path_or_url: str | Path,
        *,
        clock: Clock = utc_now,
        desired_retention: float = DEFAULT_RETENTION,
        new_per_day: int = DEFAULT_NEW_PER_DAY,
        target: float = DEFAULT_TARGET,
        seed: int | None = None,
        kinds: Sequence[QuestionKind | str] | None = None,
    ) -> Tutor:
        """Return a tutor on the database at a path or ``sqlite://`` URL, creating it if missing.

        ``target`` is the success rate the tutor aims at, ``seed`` fixes its random choices
        (blanks, distractors, option order) and ``kinds`` restricts the question formats.
        A database file with answers in it is backed up once a day, when it is opened.
        Raises ``StoreError`` when the database cannot be opened or backed up.
        """
        store = Store(path_or_url, now=clock())
        if store.review_count():
            store.backup_if_due(clock())
        saved = store.get_meta(PARAMETERS_KEY)
        tutor = cls(
            store,
            MemoryModel(desired_retention, json.loads(saved) if saved else None),
            clock=clock,
            policy=QueuePolicy(new_per_day=new_per_day),
            rng=random.Random(seed),
            target=target,
            kinds=[QuestionKind(kind) for kind in kinds] if kinds else None,
        )
        tutor.optimize()
        return tutor

    def backup(self, now: datetime | None = None) -> Backup:
        """Back the database up now, beside it; raise ``StoreError`` if that fails."""
        return self._store.backup(self.now(now))

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
        report = self._store.apply_import(parsed, plan, self.now(now))
        self._factories.clear()
        return report

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
        """Return the next question, or ``None`` when nothing is worth studying now.

        Among the facts due now (and new facts, while the learner copes and today's new-fact
        limit allows), it asks the fact and format whose predicted success is nearest the
        target; learning steps due within the learn-ahead window come when nothing else does.
        """
        now = self.now(now)
        due = self._store.due_facts(talk_id, now, DUE_CANDIDATES)
        allowance = self._policy.new_per_day - self._store.introduced_since(
            talk_id, study_day_start(now)
        )
        new: list[int] = []
        if allowance > 0 and (not due or is_coping(self._recent, self.target)):
            new = self._store.new_facts(talk_id, min(allowance, NEW_CANDIDATES))
        if not due and not new:
            due = self._store.due_facts(talk_id, now + self._policy.learn_ahead, DUE_CANDIDATES)
        options = [
            option
            for fact, memory in self._store.load(due + new)
            for option in self._options(self._factory(fact.talk_id), fact, memory, now)
        ]
        best = choose(options, self.target, self._last_topic)
        if best is None:
            return None
        return self._ask(self._factory(best.fact.talk_id), best.fact, best.kind, now)

    def question_for(
        self, fact_id: int, now: datetime | None = None, kind: QuestionKind | str | None = None
    ) -> Question:
        """Return a question about one fact now: in ``kind``, or the format the tutor would pick.

        Raises ``KeyError`` for an unknown fact and ``AnswerError`` for a format it cannot give.
        """
        now = self.now(now)
        loaded = self._store.load([fact_id])
        if not loaded:
            raise KeyError(fact_id)
        [(fact, memory)] = loaded
        factory = self._factory(fact.talk_id)
        if kind is None:
            best = choose(self._options(factory, fact, memory, now), self.target, None)
            chosen = best.kind if best else QuestionKind.FLASHCARD
        else:
            chosen = QuestionKind(kind)
        return self._ask(factory, fact, chosen, now)

    def _factory(self, talk_id: int | None) -> QuestionFactory:
        if talk_id not in self._factories:
            speakers = [
                name
                for talk in self._store.talks()
                if talk_id is None or talk.id == talk_id
                for name in talk.speakers
            ]
            self._factories[talk_id] = QuestionFactory(self._store.facts(talk_id), speakers)
        return self._factories[talk_id]

    def _options(
        self, factory: QuestionFactory, fact: Fact, memory: MemoryState, now: datetime
    ) -> list[Option]:
        available = [kind for kind in factory.kinds_for(fact) if kind in self._kinds]
        kinds = [kind for kind in stage_kinds(memory) if kind in available]
        if not kinds:
            kinds = available[-1:] or [QuestionKind.FLASHCARD]
        return [
            Option(fact, kind, self._predict(fact, memory, kind, now)[1], memory.is_new)
            for kind in kinds
        ]

    def _predict(
        self, fact: Fact, memory: MemoryState, kind: QuestionKind, now: datetime
    ) -> tuple[float, float]:
        """Return (model, calibrated) predicted success of asking ``fact`` as ``kind`` now."""
        recall = NEW_FACT_RECALL if memory.is_new else self._memory.recall_probability(memory, now)
        model = format_success(kind, recall, len(fact.items))
        return model, self.calibration_model().apply(kind, model)

    def _ask(
        self, factory: QuestionFactory, fact: Fact, kind: QuestionKind, now: datetime
    ) -> Question:
        question = factory.make(kind, fact, self._rng)
        if question is None:
            raise AnswerError(f"cannot ask this fact as a {kind} question")
        memory = self._store.memory(question.fact_id)
        return question.with_prediction(self._predict(fact, memory, kind, now)[1])

    def remaining(self, talk_id: int | None = None, now: datetime | None = None) -> int:
        """Return how many facts are left for today: due now plus new facts still allowed."""
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
        response: Response,
        now: datetime | None = None,
        seconds: float | None = None,
    ) -> Outcome:
        """Check and record an answer, committed before this returns; return its outcome.

        Responses: a rating 1-4 (Again, Hard, Good, Easy) for ``flashcard`` (Hard or better
        is correct); the chosen option's text for ``choice`` and ``truefalse``; the typed text
        for ``cloze`` and ``typed`` (graded leniently); the list of items for ``order``.
        Raises ``AnswerError`` for a response that does not fit the question.
        """
        return self.record(question, response, now, seconds)

    def record(
        self,
        question: Question,
        response: Response,
        now: datetime | None = None,
        seconds: float | None = None,
        *,
        mode: str = "study",
        early_correct_keeps_schedule: bool = False,
    ) -> Outcome:
        """Check an answer given in ``mode`` and commit it; return its outcome.

        With ``early_correct_keeps_schedule`` (quizzes), a correct answer on a fact in review
        that is not due yet is logged without touching its schedule, so cramming cannot
        inflate intervals; a wrong answer is a real lapse and always counts.
        """
        now = self.now(now)
        verdict = check_answer(question, response)
        before = self._store.memory(question.fact_id)
        rating = (
            Rating(verdict.rating)
            if verdict.rating is not None
            else rating_for(question.kind, before, verdict.correct, verdict.forgiven)
        )
        not_due = before.due is not None and before.due > now and not before.is_new
        if early_correct_keeps_schedule and verdict.correct and not_due:
            after = before
        else:
            after = self._memory.review(before, rating, now)
        model_predicted = self._predict(question.fact, before, question.kind, now)[0]
        review_id = self._store.record_answer(
            AnswerRecord(
                fact_id=question.fact_id,
                question_kind=question.kind.value,
                mode=mode,
                reviewed_at=now,
                response=verdict.response,
                rating=int(rating),
                correct=verdict.correct,
                seconds=seconds,
                predicted=question.predicted,
                model_predicted=model_predicted,
            ),
            before,
            after,
        )
        self._last_topic = question.topic
        self._recent.append(verdict.correct)
        self._answers_since_fit += 1
        if self._answers_since_fit >= REFIT_EVERY:
            self._calibration = None
        assert after.due is not None
        return Outcome(
            fact_id=question.fact_id,
            correct=verdict.correct,
            rating=rating,
            review_id=review_id,
            due=after.due,
            interval=after.due_in(now),
            verdict=verdict,
            expected=question.expected,
            correction=question.correction,
        )

    def fact_states(
        self, talk_id: int | None = None, now: datetime | None = None
    ) -> list[tuple[Fact, MemoryState, float]]:
        """Return every active fact with its memory and recall probability now, notes order."""
        now = self.now(now)
        return [
            (fact, memory, self._memory.recall_probability(memory, now))
            for fact, memory in self._store.memories(talk_id)
        ]

    def kinds_for(self, fact: Fact) -> list[QuestionKind]:
        """Return the formats this tutor can ask a fact in."""
        factory = self._factory(fact.talk_id)
        return [kind for kind in factory.kinds_for(fact) if kind in self._kinds]

    def predicted(
        self, fact: Fact, memory: MemoryState, kind: QuestionKind, now: datetime | None = None
    ) -> float:
        """Return the calibrated chance of answering ``fact`` right as a ``kind`` question."""
        return self._predict(fact, memory, kind, self.now(now))[1]

    def credit_known(
        self, fact_ids: Sequence[int], confidence: float, now: datetime | None = None
    ) -> int:
        """Credit never-studied facts as known (as if answered Easy); return how many.

        Each credit is logged (mode ``placement``, kind ``credit``) so that it can be undone,
        and does not count against the day's new-fact limit.
        """
        now = self.now(now)
        credited = 0
        for fact_id in fact_ids:
            before = self._store.memory(fact_id)
            if not before.is_new:
                continue
            self._store.record_answer(
                AnswerRecord(
                    fact_id=fact_id,
                    question_kind="credit",
                    mode="placement",
                    reviewed_at=now,
                    response="known from placement",
                    rating=int(Rating.EASY),
                    correct=True,
                    predicted=confidence,
                ),
                before,
                self._memory.review(before, Rating.EASY, now),
                introduces=False,
            )
            credited += 1
        return credited

    def calibration(self, talk_id: int | None = None) -> CalibrationReport:
        """Return how well the tutor's predictions matched the learner's answers.

        Log loss against a constant predictor (the learner's own success rate) and a
        reliability table by decile, over every answered question (credits excluded).
        """
        talk_facts = {fact.id for fact in self.facts(talk_id, include_retired=True)}
        history = [
            (review.predicted, review.correct)
            for review in self._store.reviews()
            if review.question_kind != "credit" and review.fact_id in talk_facts
        ]
        return calibration_report(history)

    def optimize(self, force: bool = False) -> tuple[float, ...] | None:
        """Refit FSRS's parameters to the learner's own reviews; return them if refitted.

        Runs when there are enough reviews and, unless ``force``, ``REFIT_FSRS_EVERY`` more
        than at the last fit; until then FSRS's default parameters stay.
        """
        count = self._store.review_count()
        fitted_at = int(self._store.get_meta(FITTED_AT_KEY) or 0)
        if count < MIN_REVIEWS_TO_FIT or (not force and count - fitted_at < REFIT_FSRS_EVERY):
            return None
        history = [
            ReviewPoint(review.fact_id, review.reviewed_at, review.rating)
            for review in self._store.reviews()
            if review.rating is not None and review.question_kind != "credit"
        ]
        parameters = fit_parameters(history)
        self._store.set_meta(FITTED_AT_KEY, str(count))
        if parameters is None:
            return None
        self._store.set_meta(PARAMETERS_KEY, json.dumps(parameters))
        self._memory = MemoryModel(self._memory.desired_retention, parameters)
        return parameters

    @property
    def parameters(self) -> tuple[float, ...]:
        """Return the FSRS parameters in use (the defaults until refitted)."""
        return self._memory.parameters

    def calibration_model(self) -> Calibration:
        """Return the learner's calibration of the format model, refitted as answers accrue."""
        if self._calibration is None:
            history = [
                (QuestionKind(review.question_kind), review.model_predicted, review.correct)
                for review in self._store.reviews()
                if review.model_predicted is not None
            ]
            self._calibration = Calibration.fit(history)
            self._answers_since_fit = 0
        return self._calibration

    def undo(self) -> Fact | None:
        """Take back the last answer; return the fact it was about, or ``None``."""
        fact_id = self._store.undo_last()
        if fact_id is None:
            return None
        if self._recent:
            self._recent.pop()
        return self._store.fact(fact_id)

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

    # Export

    def export_anki(
        self,
        out_path: str | Path,
        *,
        talk_id: int | None = None,
        topic: str | None = None,
        weak_only: bool = False,
        now: datetime | None = None,
    ) -> ExportReport:
        """Write facts to an Anki package (.apkg) and return what was written.

        Exports every talk, or one (``talk_id``), optionally only one ``topic`` (its name or
        slug, any case). ``weak_only`` keeps the facts not mastered yet: never studied, still
        in (re)learning steps, or in review but recalled now with a probability below the
        desired retention. Raises ``ExportError`` for an unknown talk or topic, when nothing is
        left to export, or when the file cannot be written (then no file is left behind).
        """
        from eurekatutor.domain.models import slugify
        from eurekatutor.export.anki import ExportError, TalkExport, export_anki
        from eurekatutor.scheduling.memory import Phase

        now = self.now(now)
        talks = [talk for talk in self.talks() if talk_id is None or talk.id == talk_id]
        if talk_id is not None and not talks:
            raise ExportError(f"no talk with id {talk_id}")
        if not talks:
            raise ExportError("nothing to export: no talk has been imported yet")
        retention = self._memory.desired_retention
        exports: list[TalkExport] = []
        topics_seen: list[str] = []
        for talk in talks:
            pairs = self._store.memories(talk.id)
            main_claims = {fact.topic: fact for fact, _ in pairs if fact.main}
            topics_seen.extend(dict.fromkeys(fact.topic for fact, _ in pairs))
            chosen = tuple(
                fact
                for fact, memory in pairs
                if (
                    topic is None
                    or topic.casefold() in (fact.topic.casefold(), slugify(fact.topic))
                )
                and not (
                    weak_only
                    and memory.phase is Phase.REVIEW
                    and self._memory.recall_probability(memory, now) >= retention
                )
            )
            exports.append(TalkExport(talk, chosen, main_claims))
        scope = f"“{talks[0].title}”" if talk_id is not None else "your talks"
        if topic is not None and not any(
            topic.casefold() in (name.casefold(), slugify(name)) for name in topics_seen
        ):
            raise ExportError(
                f"no topic {topic!r} in {scope}; the topics are: {', '.join(topics_seen)}"
            )
        if weak_only and not any(export.facts for export in exports):
            if topic is not None:
                scope = f"{topic!r} of {scope}"
            raise ExportError(
                f"nothing to export: every fact in {scope} is mastered (in long-term review "
                f"and recalled now with at least {retention:.0%} probability)"
            )
        return export_anki(exports, out_path, now=now)
