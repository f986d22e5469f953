"""The review screen: prompt, reveal with space, grade 1-4, undo, progress, then a summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, ProgressBar, Static

from eurekatutor.domain.models import Talk
from eurekatutor.domain.questions import Question
from eurekatutor.errors import EurekaError
from eurekatutor.scheduling.memory import Rating
from eurekatutor.tutor import Outcome, Tutor
from eurekatutor.ui.screens.summary import SessionStats, SessionSummaryDialog
from eurekatutor.ui.widgets.rating_bar import LABELS, RatingBar


@dataclass
class SessionTally:
    """Running counts of a session; undo takes the last answer back out."""

    outcomes: list[tuple[Outcome, float]] = field(default_factory=list)

    @property
    def reviewed(self) -> int:
        return len(self.outcomes)

    @property
    def correct(self) -> int:
        return sum(outcome.correct for outcome, _ in self.outcomes)

    @property
    def seconds(self) -> float:
        return sum(seconds for _, seconds in self.outcomes)


class ReviewScreen(Screen[None]):
    """Asks the talk's questions one at a time until nothing is worth studying now."""

    BINDINGS = [
        Binding("space", "reveal", "Show answer"),
        *(
            Binding(str(int(rating)), f"grade({int(rating)})", label)
            for rating, label in LABELS.items()
        ),
        Binding("u", "undo", "Undo"),
        Binding("question_mark", "help", "Help"),
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit"),
    ]

    class QuestionReady(Message):
        """The next question (or ``None``: the session is over) was read from the database."""

        def __init__(
            self,
            question: Question | None,
            intervals: dict[Rating, timedelta],
            remaining: int,
            now: datetime,
            next_due: datetime | None,
        ) -> None:
            self.question = question
            self.intervals = intervals
            self.remaining = remaining
            self.now = now
            self.next_due = next_due
            super().__init__()

    class AnswerRecorded(Message):
        """An answer was committed to the database."""

        def __init__(self, outcome: Outcome, seconds: float) -> None:
            self.outcome = outcome
            self.seconds = seconds
            super().__init__()

    class AnswerUndone(Message):
        """The last answer was taken back; its question is asked again."""

    class Failed(Message):
        """A database call failed with a message for the learner."""

        def __init__(self, error: EurekaError) -> None:
            self.error = error
            super().__init__()

    def __init__(self, tutor: Tutor, talk: Talk) -> None:
        super().__init__()
        self.tutor = tutor
        self.talk = talk
        self.question: Question | None = None
        self.revealed = False
        self.busy = True
        self.shown_at: datetime | None = None
        self.tally = SessionTally()

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="review-body"):
            yield Static(self.talk.title, id="review-talk")
            yield ProgressBar(id="review-progress", show_eta=False)
            yield Static("", id="review-meta")
            with VerticalScroll(id="review-card"):
                yield Static("Loading…", id="review-prompt")
                yield Static("", id="review-answer")
            yield Static("Press space to show the answer.", id="review-hint")
            yield RatingBar(id="review-ratings")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Review"
        self.query_one("#review-ratings").display = False
        self._load_next()

    # Reading and writing run in thread workers; they post messages back to this screen.

    @work(thread=True, exclusive=True, group="review-db")
    def _load_next(self, fact_id: int | None = None) -> None:
        try:
            now = self.tutor.now()
            if fact_id is not None:
                question: Question | None = self.tutor.question_for(fact_id, now)
            else:
                question = self.tutor.next_question(now, talk_id=self.talk.id)
            intervals = self.tutor.preview(question, now) if question else {}
            remaining = self.tutor.remaining(self.talk.id, now)
            upcoming = None if question else self.tutor.next_due(self.talk.id, now)
        except EurekaError as error:
            self.post_message(self.Failed(error))
            return
        self.post_message(self.QuestionReady(question, intervals, remaining, now, upcoming))

    @work(thread=True, exclusive=True, group="review-db")
    def _record(self, question: Question, rating: Rating, seconds: float) -> None:
        try:
            outcome = self.tutor.answer(question, int(rating), seconds=seconds)
        except EurekaError as error:
            self.post_message(self.Failed(error))
            return
        self.post_message(self.AnswerRecorded(outcome, seconds))

    @work(thread=True, exclusive=True, group="review-db")
    def _undo(self) -> None:
        fact = self.tutor.undo()
        if fact is None:
            self.post_message(self.Failed(EurekaError("Nothing to undo.")))
            return
        self.post_message(self.AnswerUndone())
        assert fact.id is not None
        self._load_next(fact.id)

    @on(QuestionReady)
    def _show_question(self, event: QuestionReady) -> None:
        self.busy = False
        progress = self.query_one("#review-progress", ProgressBar)
        progress.update(
            total=max(1, self.tally.reviewed + event.remaining), progress=self.tally.reviewed
        )
        if event.question is None:
            self.question = None
            self.refresh_bindings()
            stats = SessionStats(
                reviewed=self.tally.reviewed,
                correct=self.tally.correct,
                seconds=self.tally.seconds,
                next_due=event.next_due,
                now=event.now,
            )
            self.app.push_screen(SessionSummaryDialog(stats), self._summary_closed)
            return
        question = event.question
        self.question = question
        self.revealed = False
        self.shown_at = event.now
        meta = [question.topic]
        if question.speaker:
            meta.append(question.speaker)
        meta.append(str(question.source))
        self.query_one("#review-meta", Static).update(" · ".join(meta))
        self.query_one("#review-prompt", Static).update(question.prompt)
        answer = self.query_one("#review-answer", Static)
        expected = question.expected
        answer.update(expected if isinstance(expected, str) else "\n".join(expected))
        answer.display = False
        self.query_one("#review-hint", Static).display = True
        ratings = self.query_one("#review-ratings", RatingBar)
        ratings.show_intervals(event.intervals)
        ratings.display = False
        self.refresh_bindings()

    def _summary_closed(self, _result: None) -> None:
        self.dismiss()

    @on(AnswerRecorded)
    def _answered(self, event: AnswerRecorded) -> None:
        self.tally.outcomes.append((event.outcome, event.seconds))
        self._load_next()

    @on(AnswerUndone)
    def _undone(self) -> None:
        if self.tally.outcomes:
            self.tally.outcomes.pop()
        self.notify("Last answer undone.")

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.busy = False
        self.refresh_bindings()
        self.notify(str(event.error), severity="warning")

    @on(RatingBar.Rated)
    def _rated(self, event: RatingBar.Rated) -> None:
        self.action_grade(int(event.rating))

    # Actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show grades only once the answer is revealed, and reveal only before."""
        if action == "reveal":
            return self.question is not None and not self.revealed and not self.busy
        if action == "grade":
            return self.question is not None and self.revealed and not self.busy
        return True

    def action_reveal(self) -> None:
        if self.question is None or self.revealed or self.busy:
            return
        self.revealed = True
        self.query_one("#review-answer", Static).display = True
        self.query_one("#review-hint", Static).display = False
        self.query_one("#review-ratings", RatingBar).display = True
        self.refresh_bindings()

    def action_grade(self, rating: int) -> None:
        if self.question is None or not self.revealed or self.busy:
            return
        self.busy = True
        self.refresh_bindings()
        now = self.tutor.now()
        seconds = (now - self.shown_at).total_seconds() if self.shown_at else 0.0
        self._record(self.question, Rating(rating), seconds)

    def action_undo(self) -> None:
        if self.busy:
            return
        self.busy = True
        self._undo()

    def action_back(self) -> None:
        self.dismiss()

    def action_help(self) -> None:
        from eurekatutor.ui.screens.help import HelpDialog

        self.app.push_screen(
            HelpDialog(
                "Reviewing",
                [
                    ("space", "show the answer"),
                    ("1", "Again: you did not remember it"),
                    ("2", "Hard: you remembered it with real effort"),
                    ("3", "Good: you remembered it"),
                    ("4", "Easy: you remembered it at once"),
                    ("u", "undo the last answer"),
                    ("escape", "back to your talks"),
                    ("q", "quit (every answer is already saved)"),
                ],
                "Try to recall the answer before you reveal it, then grade yourself honestly: "
                "the interval under each grade is when the fact comes back.",
            )
        )
