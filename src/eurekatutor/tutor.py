"""The Textual-free facade that the UI, the CLI, scripts and tests all use."""

from __future__ import annotations

import contextlib
import json
import random
import threading
from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from eurekatutor.domain.models import Fact, ImportReport, Review, Talk, TalkCounts
from eurekatutor.domain.questions import RECOGNITION, Question, QuestionFactory, QuestionKind
from eurekatutor.domain.review_log import (
    STATES,
    LoggedReview,
    ReviewLogReport,
    read_review_log,
)
from eurekatutor.errors import AnswerError, NotesError, Problem, StoreError
from eurekatutor.persistence.backup import Backup
from eurekatutor.persistence.store import (
    CREDIT_KIND,
    IMPORTED_KIND,
    AnswerRecord,
    CardChanged,
    QueueCounts,
    ReviewLogImport,
    Store,
)
from eurekatutor.scheduling.browse import LEECH_LAPSES, BrowseEntry, fact_state
from eurekatutor.scheduling.grading import Response, Verdict, check_answer, rating_for
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
    stage_kinds,
)
from eurekatutor.scheduling.stats import (
    ANSWER_SECONDS_CAP,
    CHANGE_DAYS,
    Stats,
    compute_stats,
)

if TYPE_CHECKING:
    from eurekatutor.export.anki import ExportReport, TalkExport

Clock = Callable[[], datetime]
# How many due and new facts the tutor weighs when it picks the next question.
DUE_CANDIDATES = 30
NEW_CANDIDATES = 4
# The learner's calibration is refitted after this many new answers, FSRS's parameters after
# this many more reviews (once there are enough to fit at all).
REFIT_EVERY = 20
REFIT_FSRS_EVERY = 100
# A long log is refitted after a tenth more reviews instead: a hundred more barely move the
# fit, and a fit of two hundred thousand reviews takes seconds, at the app's start.
REFIT_FSRS_GROWTH = 0.1
# The calibration is fitted to the learner's latest answers of each group (recognition,
# recall), so that it follows how they answer now and a refit takes the same time after years.
CALIBRATION_WINDOW = 2_000
# How many talks' question factories are kept (each holds its talk's facts and key phrases).
KEEP_FACTORIES = 4
PARAMETERS_KEY = "fsrs_parameters"
CALIBRATION_KEY = "calibration"
FITTED_AT_KEY = "fsrs_fitted_at_reviews"
# How often an answer is scheduled again when another window changed its card meanwhile.
WRITE_ATTEMPTS = 3
# How far in the future an imported answer may be dated: clocks of two machines differ a little.
CLOCK_SKEW = timedelta(minutes=5)
# A talk's key phrases, saved so that its first question need not work them out again.
PHRASES_KEY = "key_phrases:{talk_id}"


def _phrases_key(talk_id: int) -> str:
    return PHRASES_KEY.format(talk_id=talk_id)


def _another_talk(found: tuple[Talk, str], title: str, path: str) -> bool:
    """Return whether notes with this title, at this path, are another talk than the stored
    one of the same slug: another file under another title (a file moved, or a title edited
    in place, is the same talk)."""
    talk, stored_file = found
    if talk.title == title:
        return False
    with contextlib.suppress(OSError):
        return Path(stored_file).resolve() != Path(path).resolve()
    return True


def utc_now() -> datetime:
    """Return the current time, UTC-aware."""
    return datetime.now(UTC)


def fsrs_refit_due(count: int, fitted_at: int) -> bool:
    """Return whether a log of ``count`` reviews, last fitted at ``fitted_at``, is due a refit
    of FSRS's parameters: ``REFIT_FSRS_EVERY`` more reviews, or a tenth more if that is more."""
    return count - fitted_at >= max(REFIT_FSRS_EVERY, int(fitted_at * REFIT_FSRS_GROWTH))


@dataclass(frozen=True)
class Undone:
    """An answer taken back: the fact it was about and the answer as it was logged."""

    fact: Fact
    review: Review

    def __str__(self) -> str:
        """Say what was undone: "Undid your answer to “…”: Good"."""
        text = self.fact.text if len(self.fact.text) <= 100 else self.fact.text[:99] + "…"
        review = self.review
        if review.rating is not None and review.question_kind == "flashcard":
            given = Rating(review.rating).name.title()
        else:
            given = f"{review.response!r}, {'right' if review.correct else 'wrong'}"
        return f"Undid your answer to “{text}”: {given}"


@dataclass(frozen=True)
class QuestionSample:
    """A fact, the question the tutor would ask it in each format it can (the flashcard
    left out), and what the quality gate turned down for it, with why."""

    fact: Fact
    questions: list[Question]
    rejected: list[str]


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
        # The question factories of the talks asked about last, the latest at the end. The app
        # prepares a talk's factory in one thread while another may ask for it.
        self._factories: OrderedDict[int | None, QuestionFactory] = OrderedDict()
        self._factories_lock = threading.RLock()
        self._last_topic: str | None = None
        self._recent: deque[bool] = deque(maxlen=16)
        # The answers given through this tutor, oldest first: what undo may take back.
        self._answered: list[int] = []
        self._calibration: Calibration | None = None
        self._calibration_stale = False
        # Reads kept for the next call with no write between: how many answers this tutor
        # wrote, the queue counts of a talk at a time, the memory of the fact just asked.
        self._writes = 0
        self._counted: tuple[tuple[int | None, datetime, int], QueueCounts] | None = None
        self._asked: tuple[int, int, MemoryState] | None = None
        self._answers_since_fit = 0
        # With ``defer_refits`` (the app sets it), a calibration due for a refit stays in use
        # until ``refit_calibration`` is called, so that the refit can run while the learner
        # reads a question instead of between an answer and the next question; and the app
        # starts with the calibration it saved last time (see ``calibration_model``).
        self.defer_refits = False
        self._daily_backup = threading.Thread(
            target=self._take_daily_backup, name="daily-backup", daemon=True
        )
        self.backup_problem: str | None = None

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
        A database file with answers in it is backed up once a day, when it is opened, in a
        background thread (``close`` waits for it; ``backup_problem`` says if it failed).
        Raises ``StoreError`` when the database cannot be opened.
        """
        store = Store(path_or_url, now=clock())
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
        if store.read_only:
            # Nothing can be saved: no refit to keep, and no backup of what cannot change.
            return tutor
        # The log is counted (a scan of it) only when a bound of its size reaches a refit.
        answers = store.review_count_bound()
        if tutor._fsrs_refit_due(answers):
            tutor._refit_fsrs(store.review_count())
        if answers:
            tutor._daily_backup.start()
        return tutor

    def _take_daily_backup(self) -> None:
        # A copy of a large database takes a second; the learner need not wait for it.
        try:
            self._store.backup_if_due(self._clock())
        except StoreError as error:
            self.backup_problem = str(error)

    @property
    def read_only(self) -> bool:
        """Return whether the database can only be read: studying, importing, undoing,
        suspending, flagging and marking raise ``ReadOnlyError``; browsing, stats and export
        work."""
        return self._store.read_only

    @property
    def read_only_message(self) -> str | None:
        """Return what a write to a read-only database says (the file, why, and what to
        do), or ``None`` when the database can be written."""
        return self._store.read_only_message

    def refuse_writes(self) -> None:
        """Raise ``ReadOnlyError`` (with ``read_only_message``) if the database can only be
        read."""
        self._store.refuse_writes()

    def backup(self, now: datetime | None = None) -> Backup:
        """Back the database up now, beside it; raise ``StoreError`` if that fails."""
        return self._store.backup(self.now(now))

    def close(self) -> None:
        """Wait for the daily backup if one is being taken, then release the database."""
        if self._daily_backup.is_alive():
            self._daily_backup.join()
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

    def import_notes(
        self, path: str | Path, now: datetime | None = None, *, replace: bool = False
    ) -> ImportReport:
        """Import (or re-import) a notes file; return counts of facts added/updated/retired.

        A talk is known by its slug. A file whose slug is another talk's (another file, under
        another title: two ``notes.md`` in two folders, say) is refused, as importing it
        would retire that talk's facts, unless ``replace`` says to replace that talk. Raises
        ``NotesError`` naming the file and lines when it cannot be imported; then nothing is
        written.
        """
        self._store.refuse_writes()  # before reading a file that could not be kept
        # Parsing and matching load markdown-it and rapidfuzz's matchers: only imports need them.
        from eurekatutor.domain.matching import plan_import
        from eurekatutor.domain.notes import read_notes

        parsed = read_notes(path)
        found = self._store.talk_and_file(parsed.talk.slug)
        existing = found[0] if found else None
        if found and not replace and _another_talk(found, parsed.talk.title, str(path)):
            talk, other = found
            raise NotesError(
                str(path),
                [
                    Problem(
                        None,
                        f"its slug {talk.slug!r} is already the talk “{talk.title}”, imported "
                        f"from {other}; importing this file would retire that talk's facts. "
                        "Give this file a slug of its own in its front matter (slug: ...), or "
                        "import it with --replace to replace that talk",
                    )
                ],
            )
        stored = self._store.facts(existing.id, include_retired=True) if existing else []
        plan = plan_import(stored, list(parsed.facts))
        report = self._store.apply_import(parsed, plan, self.now(now))
        self._writes += 1
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

    def counts_by_talk(self, now: datetime | None = None) -> dict[int, TalkCounts]:
        """Return ``counts`` of every talk, by talk id (all zero for a talk with no facts)."""
        found = self._store.counts_by_talk(self.now(now))
        empty = TalkCounts(due=0, new=0, learned=0, total=0)
        return {talk.id: found.get(talk.id, empty) for talk in self._store.talks()}

    def talk_to_study(self, now: datetime | None = None) -> Talk | None:
        """Return the talk with the most facts due now (the first listed of those tied); with
        none due, the first with new facts, else the first; ``None`` with no talks."""
        now = self.now(now)
        talks = self._store.talks()
        due = self._store.due_by_talk(now)
        if due:
            return max(talks, key=lambda talk: due.get(talk.id, 0))
        counts = self.counts_by_talk(now)
        return next((talk for talk in talks if counts[talk.id].new), talks[0] if talks else None)

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
        due = self._store.due_cards(talk_id, now, DUE_CANDIDATES)
        allowance = self._policy.new_per_day - self._queue_counts(talk_id, now).introduced
        new: list[tuple[Fact, MemoryState]] = []
        if allowance > 0 and (not due or is_coping(self._recent, self.target)):
            new = self._store.new_cards(talk_id, min(allowance, NEW_CANDIDATES))
        if not due and not new:
            due = self._store.due_cards(talk_id, now + self._policy.learn_ahead, DUE_CANDIDATES)
        loaded = due + new
        options = [
            option
            for fact, memory in loaded
            for option in self._options(self._factory(fact.talk_id), fact, memory, now)
        ]
        best = choose(options, self.target, self._last_topic)
        if best is None:
            return None
        memories = {fact.id: memory for fact, memory in loaded}
        factory = self._factory(best.fact.talk_id)
        return self._ask(factory, best.fact, best.kind, now, memories[best.fact.id])

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
        return self._ask(factory, fact, chosen, now, memory)

    def prepare(self, talk_id: int | None = None, now: datetime | None = None) -> None:
        """Get ready to ask about a talk's facts (or all facts): read them, work out their key
        phrases and the formats of the facts due or new now, which the first question would
        otherwise wait for. A talk's key phrases are saved in the database, and read back
        instead of worked out while its facts stay the same."""
        now = self.now(now)
        with self._factories_lock:
            # A question asked meanwhile waits for this, rather than doing it twice.
            factory = self._factory(talk_id)
            factory.prepare()
            if talk_id is not None and not factory.phrases_saved:
                # Saved for the next start; a database too busy to take them only means that
                # the next start works them out again.
                with contextlib.suppress(StoreError):
                    self._store.set_meta(_phrases_key(talk_id), factory.saved_phrases())
                factory.phrases_saved = True
            candidates = self._store.due_cards(talk_id, now, DUE_CANDIDATES)
            candidates += self._store.new_cards(talk_id, NEW_CANDIDATES)
            for fact, memory in candidates:
                for kind in stage_kinds(memory):
                    factory.can_ask(fact, kind)

    def _factory(self, talk_id: int | None) -> QuestionFactory:
        with self._factories_lock:
            factory = self._factories.get(talk_id)
            if factory is None:
                factory = self._factories[talk_id] = self._new_factory(talk_id)
                while len(self._factories) > KEEP_FACTORIES:
                    self._factories.popitem(last=False)
            else:
                self._factories.move_to_end(talk_id)
            return factory

    def _new_factory(self, talk_id: int | None) -> QuestionFactory:
        speakers = [
            name
            for talk in self._store.talks()
            if talk_id is None or talk.id == talk_id
            for name in talk.speakers
        ]
        banned = self._store.bad_questions(talk_id)
        factory = QuestionFactory(self._store.facts(talk_id), speakers, banned)
        if talk_id is not None:
            saved = self._store.get_meta(_phrases_key(talk_id))
            if saved is not None:
                factory.load_phrases(saved)
        return factory

    def _options(
        self, factory: QuestionFactory, fact: Fact, memory: MemoryState, now: datetime
    ) -> list[Option]:
        # The formats that suit the memory's stage; only if the fact can be asked in none of
        # them, the last format it can be asked in at all (so the others are seldom tried).
        kinds = [
            kind
            for kind in stage_kinds(memory)
            if kind in self._kinds and factory.can_ask(fact, kind)
        ]
        if not kinds:
            available = [kind for kind in factory.kinds_for(fact) if kind in self._kinds]
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
        self,
        factory: QuestionFactory,
        fact: Fact,
        kind: QuestionKind,
        now: datetime,
        memory: MemoryState,
    ) -> Question:
        question = factory.make(kind, fact, self._rng)
        if question is None:
            raise AnswerError(f"cannot ask this fact as a {kind} question")
        self._asked = (question.fact_id, self._writes, memory)
        return question.with_prediction(self._predict(fact, memory, kind, now)[1])

    def remaining(self, talk_id: int | None = None, now: datetime | None = None) -> int:
        """Return how many facts are left for today: due now plus new facts still allowed."""
        counts = self._queue_counts(talk_id, self.now(now))
        allowance = self._policy.new_per_day - counts.introduced
        return counts.due + max(0, min(counts.new, allowance))

    def _queue_counts(self, talk_id: int | None, now: datetime) -> QueueCounts:
        """Return the store's ``queue_counts`` at ``now``; the same ones when asked again for
        the same talk and time with no answer between (the next question, then what is
        left, as the review screen asks)."""
        key = (talk_id, now, self._writes)
        cached = self._counted
        if cached is not None and cached[0] == key:
            return cached[1]
        counts = self._store.queue_counts(talk_id, now, study_day_start(now))
        self._counted = (key, counts)
        return counts

    def preview(self, question: Question, now: datetime | None = None) -> dict[Rating, timedelta]:
        """Return the interval each flashcard rating would give the question's fact."""
        asked = self._asked
        if asked is not None and asked[:2] == (question.fact_id, self._writes):
            memory = asked[2]  # as read for the question, with no answer since
        else:
            memory = self._store.memory(question.fact_id)
        return self._memory.preview(memory, self.now(now))

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
        new_within_limit: bool = False,
    ) -> Outcome:
        """Check an answer given in ``mode`` and commit it; return its outcome.

        With ``early_correct_keeps_schedule`` (quizzes), a correct answer on a fact in review
        that is not due yet is logged without touching its schedule, so cramming cannot
        inflate intervals; a wrong answer is a real lapse and always counts. With
        ``new_within_limit`` (quizzes), an answer on a new fact once the day's new facts are
        used up is logged and the fact stays new: a quiz does not put more facts into the
        long-term schedule than daily study would.
        """
        now = self.now(now)
        verdict = check_answer(question, response)
        for attempt in range(WRITE_ATTEMPTS):
            # Read, schedule and write again if another window answered the fact meanwhile.
            before = self._store.memory(question.fact_id)
            rating = rating_for(question.kind, before, verdict)
            not_due = before.due is not None and before.due > now and not before.is_new
            keep_new = (
                new_within_limit
                and before.is_new
                and self._queue_counts(question.fact.talk_id, now).introduced
                >= self._policy.new_per_day
            )
            if (early_correct_keeps_schedule and verdict.correct and not_due) or keep_new:
                after = before
            else:
                after = self._memory.review(before, rating, now)
            model_predicted = self._predict(question.fact, before, question.kind, now)[0]
            try:
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
                    introduces=not keep_new,
                )
                break
            except CardChanged:
                if attempt == WRITE_ATTEMPTS - 1:
                    raise
        self._writes += 1
        self._answered.append(review_id)
        if after.lapses >= LEECH_LAPSES > before.lapses:
            # A leech, as in Anki: flagged for the learner to rework or suspend.
            self._store.set_flagged(question.fact_id, True)
        self._last_topic = question.topic
        self._recent.append(verdict.correct)
        self._answers_since_fit += 1
        if self._answers_since_fit >= REFIT_EVERY:
            self._calibration_stale = True
        return Outcome(
            fact_id=question.fact_id,
            correct=verdict.correct,
            rating=rating,
            review_id=review_id,
            # A fact a quiz left new (past the day's new facts) stays as it was: due now.
            due=after.due or now,
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

    def browse(self, talk_id: int | None = None, now: datetime | None = None) -> list[BrowseEntry]:
        """Return every active fact of a talk (or all) as the fact browser lists it, in notes
        order: its memory, recall probability now, state (new, learning, review, mastered),
        whether it is suspended or flagged, and whether it is a leech."""
        now = self.now(now)
        retention = self._memory.desired_retention
        marks = self._store.marks(talk_id)
        entries = []
        for fact, memory in self._store.memories(talk_id):
            recall = self._memory.recall_probability(memory, now)
            suspended, flagged = marks.get(fact.id or 0, (False, False))
            state = fact_state(memory, recall, retention)
            entries.append(BrowseEntry(fact, memory, recall, state, suspended, flagged))
        return entries

    def suspend(self, fact_id: int) -> None:
        """Suspend a fact: it leaves the study queue until unsuspended (``KeyError`` if none)."""
        self._store.set_suspended(fact_id, True)
        self._writes += 1

    def unsuspend(self, fact_id: int) -> None:
        """Put a suspended fact back in the study queue (``KeyError`` if there is none)."""
        self._store.set_suspended(fact_id, False)
        self._writes += 1

    def mark_bad(self, question: Question, now: datetime | None = None) -> None:
        """Never ask this version of a question again (a blank that makes no sense, a false
        statement that is true, options that give the answer away); kept in the database.
        The fact is asked in another version or format from then on."""
        self._store.mark_bad_question(
            question.fact_id, question.kind.value, question.version, self.now(now)
        )
        with self._factories_lock:
            for factory in self._factories.values():  # its talk's, and one of all talks
                factory.ban(question.fact, question.kind, question.version)

    def flag(self, fact_id: int) -> None:
        """Flag a fact to revisit later (``KeyError`` if there is none)."""
        self._store.set_flagged(fact_id, True)

    def unflag(self, fact_id: int) -> None:
        """Clear a fact's flag (``KeyError`` if there is none)."""
        self._store.set_flagged(fact_id, False)

    def memory(self, fact_id: int) -> MemoryState:
        """Return the memory state of a fact; raise ``KeyError`` for an unknown fact."""
        return self._store.memory(fact_id)

    def recall(self, memories: Sequence[MemoryState], now: datetime | None = None) -> list[float]:
        """Return the probability of recalling facts with these memories now (0 if new)."""
        now = self.now(now)
        return [self._memory.recall_probability(memory, now) for memory in memories]

    def question_samples(self, talk_id: int, seed: int = 0) -> list[QuestionSample]:
        """Return a talk's facts in notes order, each with the question the tutor would ask
        it in each format it can, and what the quality gate turned down for it: for an author
        to review before studying. ``seed`` draws blanks, statements and option order."""
        factory = self._factory(talk_id)
        rng = random.Random(seed)
        samples = []
        for fact in factory.pool:
            questions = [
                question
                for kind in factory.kinds_for(fact)
                if kind is not QuestionKind.FLASHCARD
                and (question := factory.make(kind, fact, rng)) is not None
            ]
            samples.append(QuestionSample(fact, questions, factory.rejected(fact)))
        return samples

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
                    question_kind=CREDIT_KIND,
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
            self._writes += 1
            credited += 1
        return credited

    def calibration(self, talk_id: int | None = None) -> CalibrationReport:
        """Return how well the tutor's predictions matched the learner's answers.

        Log loss against a constant predictor (the learner's own success rate) and a
        reliability table by decile, over every answered question (credits excluded).
        """
        return calibration_report(self._store.predictions(talk_id))

    def optimize(self, force: bool = False) -> tuple[float, ...] | None:
        """Refit FSRS's parameters to the learner's own reviews; return them if refitted.

        Runs when there are enough reviews and, unless ``force``, ``REFIT_FSRS_EVERY`` more
        than at the last fit (or a tenth more, when that is more); until then FSRS's default
        parameters stay.
        """
        return self._refit_fsrs(self._store.review_count(), force)

    def _fsrs_refit_due(self, count: int) -> bool:
        """Return whether a log of ``count`` answers is due a refit of FSRS's parameters."""
        fitted_at = int(self._store.get_meta(FITTED_AT_KEY) or 0)
        return count >= MIN_REVIEWS_TO_FIT and fsrs_refit_due(count, fitted_at)

    def _refit_fsrs(self, count: int, force: bool = False) -> tuple[float, ...] | None:
        """``optimize``, given how many answers the log holds (``count``)."""
        if count < MIN_REVIEWS_TO_FIT or not (force or self._fsrs_refit_due(count)):
            return None
        history = [
            ReviewPoint(fact_id, reviewed_at, rating)
            for fact_id, reviewed_at, rating in self._store.review_points()
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
        """Return the learner's calibration of the format model, refitted as answers accrue.

        It is refitted after every ``REFIT_EVERY`` answers and when the tutor first needs it.
        With ``defer_refits`` the refits wait for ``refit_calibration``, and a tutor starts
        with the calibration saved by the last refit, due for a refit at once.
        """
        if self._calibration is None and self.defer_refits:
            saved = self._store.get_meta(CALIBRATION_KEY)
            if saved:
                (a, b), (c, d) = json.loads(saved)
                self._calibration = Calibration((float(a), float(b)), (float(c), float(d)))
                self._calibration_stale = True
        if self._calibration is None or (self._calibration_stale and not self.defer_refits):
            return self.refit_calibration()
        return self._calibration

    @property
    def refit_due(self) -> bool:
        """Return whether the calibration has gone ``REFIT_EVERY`` answers without a refit."""
        return self._calibration_stale

    def refit_calibration(self) -> Calibration:
        """Fit the calibration to the learner's latest answers now, and return it."""
        recognition = [kind.value for kind in RECOGNITION]
        latest = self._store.recent_predictions(recognition, CALIBRATION_WINDOW)
        latest += self._store.recent_predictions(recognition, CALIBRATION_WINDOW, exclude=True)
        calibration = Calibration.fit(
            [(QuestionKind(kind), predicted, correct) for kind, predicted, correct in latest]
        )
        self._calibration, self._calibration_stale = calibration, False
        self._answers_since_fit = 0
        if self.defer_refits:
            saved = [list(calibration.recognition), list(calibration.recall)]
            # Kept for the next start: a database that cannot take it (read-only, busy) only
            # means that the next start fits it again.
            with contextlib.suppress(StoreError):
                self._store.set_meta(CALIBRATION_KEY, json.dumps(saved))
        return calibration

    def undo(self, review_id: int | None = None) -> Undone | None:
        """Take back an answer given through this tutor (``review_id``, by default the last
        one), never one from before it opened or from another window; return what was undone,
        or ``None`` when there is nothing to undo (or the fact was answered again since)."""
        if review_id is None:
            if not self._answered:
                return None
            review_id = self._answered[-1]
        if review_id in self._answered:
            self._answered.remove(review_id)
        review = self._store.undo_review(review_id)
        self._writes += 1
        if review is None:
            return None
        if self._recent:
            self._recent.pop()
        return Undone(self._store.fact(review.fact_id), review)

    def overrule(self, outcome: Outcome) -> Outcome | None:
        """Take the learner's word against the check on an answer ("I was right", "I was
        wrong"): its verdict turns round, its rating follows, and its fact is scheduled again
        from the card as it was before the answer, at the answer's time, in one transaction.
        The answer is marked as overruled. Returns the answer's outcome as it now stands, or
        ``None`` when there is nothing to overrule: a flashcard (the learner rated it), an
        answer undone, or one whose fact was answered again since."""
        found = self._store.answer_before(outcome.review_id)
        if found is None or found[0].question_kind == QuestionKind.FLASHCARD.value:
            return None
        review, before = found
        verdict = replace(outcome.verdict, correct=not outcome.correct, forgiven=False)
        rating = rating_for(QuestionKind(review.question_kind), before, verdict)
        after = self._memory.review(before, rating, review.reviewed_at)
        if not self._store.overrule_review(review.id, verdict.correct, int(rating), after):
            return None
        self._writes += 1
        if self._recent:
            self._recent[-1] = verdict.correct
        assert after.due is not None
        return replace(
            outcome,
            correct=verdict.correct,
            rating=rating,
            due=after.due,
            interval=after.due_in(self.now()),
            verdict=verdict,
        )

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
        return self.mastery_by_talk(now, talk_id).get(talk_id, {})

    def mastery_by_talk(
        self, now: datetime | None = None, talk_id: int | None = None
    ) -> dict[int | None, dict[str, float]]:
        """Return ``mastery`` of every talk by talk id, and of all talks together under
        ``None``; or, given ``talk_id``, of that talk alone.

        Reads the topics' sizes and the studied facts only: a fact never studied adds nothing.
        """
        now = self.now(now)
        keys: Callable[[int], tuple[int | None, ...]] = (
            (lambda talk: (talk, None)) if talk_id is None else (lambda talk: (talk,))
        )
        sizes: dict[int | None, dict[str, int]] = defaultdict(dict)
        recalls: dict[int | None, dict[str, list[float]]] = defaultdict(dict)
        for talk, topic, size in self._store.topic_sizes(talk_id):
            for key in keys(talk):
                sizes[key][topic] = sizes[key].get(topic, 0) + size
                recalls[key].setdefault(topic, [])
        for talk, topic, memory in self._store.studied(talk_id):
            recall = self._memory.recall_probability(memory, now)
            for key in keys(talk):
                recalls[key][topic].append(recall)
        # The sum runs in notes order, as over every fact: a never-studied fact adds 0.
        return {
            key: {topic: sum(values) / sizes[key][topic] for topic, values in topics.items()}
            for key, topics in recalls.items()
        }

    def stats(
        self, now: datetime | None = None, talk_id: int | None = None, tz: tzinfo | None = None
    ) -> Stats:
        """Return the learner's progress on a talk (or all talks): mastery now and 30 days
        ago, the review calendar, the forecast, true retention, calibration, streak and time.

        Study days start at 4 a.m. in ``tz`` (``None``: local time). See
        ``eurekatutor.scheduling.stats`` for how each figure is defined.
        """
        now = self.now(now)
        store = self._store
        return compute_stats(
            store.activity(talk_id, ANSWER_SECONDS_CAP),
            store.predictions(talk_id),
            store.studied_facts(talk_id),
            [(topic, size) for _talk, topic, size in store.topic_sizes(talk_id)],
            store.memories_at(talk_id, now - timedelta(days=CHANGE_DAYS)),
            self._memory,
            now,
            tz,
        )

    # Export

    def export_review_log(self, path: str | Path) -> int:
        """Write every graded answer as CSV in the FSRS optimizer's columns; return how many.

        ``card_id`` is the fact's id, ``review_state`` the card's state before the answer;
        the extra ``talk`` and ``fact_key`` columns let another database find the fact.
        Raises ``ExportError`` when the file cannot be written (then none is left behind).
        """
        from eurekatutor.export.review_log import write_review_log

        rows = [
            LoggedReview(
                card_id=str(review.fact_id),
                reviewed_at=review.reviewed_at,
                rating=int(review.rating or Rating.AGAIN),
                state=STATES[phase.value],
                duration_ms=None if review.seconds is None else round(review.seconds * 1000),
                talk=slug,
                fact_key=key,
            )
            for review, slug, key, phase in self._store.graded_reviews()
        ]
        write_review_log(Path(path).expanduser(), rows)
        return len(rows)

    def import_review_log(self, path: str | Path) -> ReviewLogReport:
        """Add the answers of a review-log CSV file to the log and reschedule their facts.

        A row finds its fact by ``talk`` and ``fact_key`` when it has them, else by
        ``card_id`` as a fact id. Rows already in the log (same fact, same millisecond) and
        rows about facts not here are left out. Each fact that gains answers has its
        schedule rebuilt from its whole history, oldest first. The file is read and written
        a batch of rows at a time: memory stays the same whatever its size. Raises
        ``ReviewLogError`` naming the file and every bad line; then nothing is written.
        """
        latest = self.now() + CLOCK_SKEW
        by_key = self._store.fact_ids_by_key()
        ids = {str(fact_id): fact_id for fact_id in by_key.values()}
        unknown = 0
        with self._store.import_reviews() as staged:
            for batch in read_review_log(path, not_after=latest):
                found = []
                for row in batch:
                    if row.talk and row.fact_key:
                        fact_id = by_key.get((row.talk, row.fact_key))
                    else:
                        fact_id = ids.get(row.card_id)
                    if fact_id is None:
                        unknown += 1
                    else:
                        taken = None if row.duration_ms is None else row.duration_ms / 1000
                        found.append((fact_id, row.reviewed_at, row.rating, taken, row.line))
                staged.add(found)
            # The whole file is read and sound: only now is anything written.
            self._replay(staged)
        self._writes += 1
        return ReviewLogReport(
            added=staged.added,
            facts=staged.facts,
            already_there=staged.already_there,
            unknown=unknown,
        )

    def _replay(self, staged: ReviewLogImport) -> None:
        """Rebuild the memory of each fact that gains answers from its whole history, oldest
        first, logging the imported answers on the way (each with the card before it)."""
        fact_id: int | None = None
        memory = MemoryState()
        first: datetime | None = None
        for entry in staged.histories():
            if entry.fact_id != fact_id:
                if fact_id is not None and first is not None:
                    staged.set_card(fact_id, memory, first)
                fact_id, memory, first = entry.fact_id, MemoryState(), None
            when = entry.reviewed_at
            if entry.imported:
                first = first or when
                staged.add_answer(
                    AnswerRecord(
                        fact_id=entry.fact_id,
                        question_kind=IMPORTED_KIND,
                        mode=IMPORTED_KIND,
                        reviewed_at=when,
                        response="",
                        correct=entry.rating > Rating.AGAIN,
                        predicted=self._memory.recall_probability(memory, when),
                        rating=entry.rating,
                        seconds=entry.seconds,
                    ),
                    memory,
                )
            memory = self._memory.review(memory, Rating(entry.rating), when)
        if fact_id is not None and first is not None:
            staged.set_card(fact_id, memory, first)

    def export_anki(
        self,
        out_path: str | Path,
        *,
        talk_id: int | None = None,
        topic: str | None = None,
        weak_only: bool = False,
        now: datetime | None = None,
        replace: bool = False,
    ) -> ExportReport:
        """Write facts to an Anki package (.apkg) and return what was written.

        Exports every talk, or one (``talk_id``), optionally only one ``topic`` (its name or
        slug, any case). ``weak_only`` keeps the facts not mastered yet: never studied, still
        in (re)learning steps, or in review but recalled now with a probability below the
        desired retention. Raises ``ExportError`` for an unknown talk or topic, when nothing is
        left to export, or when the file cannot be written (then no file is left behind), and
        ``ExportExists`` when the file exists and ``replace`` is false.
        """
        from eurekatutor.export.anki import export_anki
        from eurekatutor.export.files import ExportError

        now = self.now(now)
        talks = [talk for talk in self.talks() if talk_id is None or talk.id == talk_id]
        if talk_id is not None and not talks:
            raise ExportError(f"no talk with id {talk_id}")
        if not talks:
            raise ExportError("nothing to export: no talk has been imported yet")
        scope = f"“{talks[0].title}”" if talk_id is not None else "your talks"
        exports = self._talk_exports(talks, scope, topic, weak_only, now)
        return export_anki(exports, out_path, now=now, replace=replace)

    def _talk_exports(
        self, talks: list[Talk], scope: str, topic: str | None, weak_only: bool, now: datetime
    ) -> Iterator[TalkExport]:
        """Yield what ``export_anki`` exports of each talk, reading one talk at a time; raise
        ``ExportError`` at the end for a topic no talk (``scope``) has, or when every fact
        is mastered."""
        from eurekatutor.domain.models import slugify
        from eurekatutor.export.anki import TalkExport
        from eurekatutor.export.files import ExportError
        from eurekatutor.scheduling.memory import Phase

        retention = self._memory.desired_retention
        topics_seen: list[str] = []
        exported = False
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
            exported = exported or bool(chosen)
            yield TalkExport(talk, chosen, main_claims, self._factory(talk.id))
        if topic is not None and not any(
            topic.casefold() in (name.casefold(), slugify(name)) for name in topics_seen
        ):
            raise ExportError(
                f"no topic {topic!r} in {scope}; the topics are: {', '.join(topics_seen)}"
            )
        if weak_only and not exported:
            if topic is not None:
                scope = f"{topic!r} of {scope}"
            raise ExportError(
                f"nothing to export: every fact in {scope} is mastered (in long-term review "
                f"and recalled now with at least {retention:.0%} probability)"
            )
