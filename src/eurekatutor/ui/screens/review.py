"""The review screen: asks every kind of question, shows the verdict, then a session summary."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Input, ProgressBar, Static

from eurekatutor.domain.models import Talk
from eurekatutor.domain.questions import FALSE, RECOGNITION, TRUE, Question, QuestionKind
from eurekatutor.errors import EurekaError
from eurekatutor.scheduling.grading import Response
from eurekatutor.scheduling.memory import Rating
from eurekatutor.sessions import Session, Study
from eurekatutor.tutor import Outcome, Tutor
from eurekatutor.ui.screens.summary import SessionStats, SessionSummaryDialog
from eurekatutor.ui.widgets.footer import KeysFooter
from eurekatutor.ui.widgets.options import AnswerOptions, OptionChosen, TrueFalseButtons
from eurekatutor.ui.widgets.order_list import OrderList
from eurekatutor.ui.widgets.rating_bar import LABELS, RatingBar
from eurekatutor.ui.widgets.verdict import VerdictPanel

# Where the learner is with the current question: asked, flashcard answer shown, or answered
# (the verdict is on screen until enter).
Step = Literal["asking", "revealed", "answered"]
CHOOSE = Binding.Group("Choose")
MAX_OPTIONS = 4
TYPED_KINDS = frozenset({QuestionKind.CLOZE, QuestionKind.TYPED})
# The formats whose wording is generated, so that a version of one can be marked bad.
MARKABLE = frozenset({QuestionKind.CHOICE, QuestionKind.TRUEFALSE, QuestionKind.CLOZE})
HINTS = {
    QuestionKind.FLASHCARD: "Recall the answer, then press space to show it.",
    QuestionKind.CHOICE: "Press 1-4 (or click an option) to answer.",
    QuestionKind.TRUEFALSE: "Press t for true or f for false.",
    QuestionKind.CLOZE: "Type the missing words and press enter.",
    QuestionKind.TYPED: "Type your answer and press enter.",
    QuestionKind.ORDER: "↑↓ pick an item · shift+↑↓ or [ ] move it · enter to check.",
}
NEXT_HINT = "Press enter for the next question."
# The parts that only some questions show, in their order on screen, each with the widget it
# goes in and how it is built. A part is built the first time a question needs it: a session
# of flashcards never builds the options, the input or the ordering, nor waits for them.
PARTS: dict[str, tuple[str, Callable[[], Widget]]] = {
    "review-answer": ("#review-card", partial(Static, "", id="review-answer", markup=False)),
    "review-options": ("#review-card", partial(AnswerOptions, id="review-options")),
    "review-truefalse": ("#review-card", partial(TrueFalseButtons, id="review-truefalse")),
    "review-input": ("#review-card", partial(Input, placeholder="Your answer", id="review-input")),
    "review-order": ("#review-card", partial(OrderList, id="review-order")),
    "review-verdict": ("#review-card", partial(VerdictPanel, id="review-verdict")),
    "review-ratings": ("#review-body", partial(RatingBar, id="review-ratings")),
}
# The parts each format shows.
FORMAT_PARTS = {
    QuestionKind.FLASHCARD: ("review-answer", "review-ratings"),
    QuestionKind.CHOICE: ("review-options",),
    QuestionKind.TRUEFALSE: ("review-truefalse",),
    QuestionKind.CLOZE: ("review-input",),
    QuestionKind.TYPED: ("review-input",),
    QuestionKind.ORDER: ("review-order",),
}


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
    """Asks the talk's questions one at a time until nothing is worth studying now.

    Flashcards are revealed with space and graded 1-4; the other kinds are answered (options by
    number, true/false by ``t``/``f``, typed text, an ordering) and show a verdict until enter.
    """

    BINDINGS = [
        Binding("space", "reveal", "Show answer"),
        *(
            Binding(str(int(rating)), f"grade({int(rating)})", label)
            for rating, label in LABELS.items()
        ),
        *(
            Binding(str(number), f"choose({number})", f"Choose option {number}", group=CHOOSE)
            for number in range(1, MAX_OPTIONS + 1)
        ),
        Binding("t", "judge(True)", "True"),
        Binding("f", "judge(False)", "False"),
        Binding("enter", "next", "Next question"),
        Binding("u", "undo", "Undo"),
        Binding("o", "overrule", "Overrule"),
        # A control key: a printable one would be typed into a cloze or typed answer.
        Binding("ctrl+f", "flag", "Flag", key_display="^f"),
        Binding("ctrl+x", "mark_bad", "Bad question", key_display="^x"),
        Binding("question_mark", "help", "Help"),
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit"),
    ]

    class QuestionReady(Message):
        """The next question (or ``None``: the session is over, with its report) was read."""

        def __init__(
            self,
            question: Question | None,
            intervals: dict[Rating, timedelta],
            remaining: int,
            now: datetime,
            next_due: datetime | None,
            report: list[str],
        ) -> None:
            self.question = question
            self.intervals = intervals
            self.remaining = remaining
            self.now = now
            self.next_due = next_due
            self.report = report
            super().__init__()

    class AnswerRecorded(Message):
        """An answer to ``question`` was committed to the database."""

        def __init__(self, question: Question, outcome: Outcome, seconds: float) -> None:
            self.question = question
            self.outcome = outcome
            self.seconds = seconds
            super().__init__()

    class Overruled(Message):
        """The learner's word replaced the check's verdict on the answer on screen."""

        def __init__(self, outcome: Outcome) -> None:
            self.outcome = outcome
            super().__init__()

    class AnswerUndone(Message):
        """The last answer was taken back; the fact it was about is asked again."""

        def __init__(self, fact_id: int, said: str) -> None:
            self.fact_id = fact_id
            self.said = said  # what was undone, for the learner
            super().__init__()

    class Flagged(Message):
        """The fact on screen was flagged to revisit later."""

    class MarkedBad(Message):
        """The question on screen was marked bad: it will not be asked again."""

        def __init__(self, asking: bool) -> None:
            super().__init__()
            self.asking = asking  # marked before it was answered: go on to the next one

    class Failed(Message):
        """A database call failed with a message for the learner."""

        def __init__(self, error: EurekaError) -> None:
            self.error = error
            super().__init__()

    def __init__(self, tutor: Tutor, talk: Talk, session: Session | None = None) -> None:
        super().__init__()
        self.tutor = tutor
        self.talk = talk
        self.session: Session = session or Study(tutor, talk.id)
        self.question: Question | None = None
        # The outcome of the answer on screen, until the next question.
        self.outcome: Outcome | None = None
        self.step: Step = "asking"
        self.busy = True
        self.shown_at: datetime | None = None
        self.tally = SessionTally()
        # Enter on an empty answer (or an order left as shuffled) asks first: a second enter
        # gives up, so an enter pressed twice to skip the verdict does not answer for you.
        self.give_up_armed = False
        self._parts: dict[str, Widget] = {}
        # A timed session's length in seconds, from when the screen opened.
        self._clock_total = 1.0

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="review-body"):
            yield Static(self.talk.title, id="review-talk", markup=False)
            yield ProgressBar(id="review-progress", show_eta=False)
            yield Static("", id="review-clock", markup=False)
            yield Static("", id="review-meta", markup=False)
            with VerticalScroll(id="review-card"):
                yield Static("Loading…", id="review-prompt", markup=False)
            yield Static("", id="review-hint", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = self.session.title
        clock = self.query_one("#review-clock", Static)
        clock.display = self.session.ends_at is not None
        if self.session.ends_at is not None:
            # A timed session's bar shows the time gone, and a line the time left.
            self._clock_total = max(1.0, (self.session.ends_at - self.tutor.now()).total_seconds())
            self._tick()
            self.set_interval(1.0, self._tick)
        self._load_next()

    def _tick(self) -> None:
        ends_at = self.session.ends_at
        if ends_at is None:
            return
        left = max(0, math.ceil((ends_at - self.tutor.now()).total_seconds()))
        said = f"{left // 60}:{left % 60:02d} left" if left else "Time is up: last question"
        self.query_one("#review-clock", Static).update(said)
        total = self._clock_total
        self.query_one("#review-progress", ProgressBar).update(
            total=total, progress=max(0.0, total - left)
        )

    # Reading and writing run in thread workers; they post messages back to this screen. They
    # run one after another (the screen is busy meanwhile), so none is made exclusive: that
    # would cancel an answer's worker as it returns, once the next question starts loading.

    @work(thread=True, group="review-db")
    def _load_next(self, fact_id: int | None = None, finish: bool = False) -> None:
        try:
            now = self.tutor.now()
            question: Question | None = None
            if fact_id is not None:
                question = self.tutor.question_for(fact_id, now)
            elif not finish:
                question = self.session.next_question(now)
            flashcard = question is not None and question.kind is QuestionKind.FLASHCARD
            intervals = self.tutor.preview(question, now) if question and flashcard else {}
            remaining = self.session.remaining(now)
            upcoming = None if question else self.tutor.next_due(self.talk.id, now)
            report = [] if question else self.session.finish(now)
        except EurekaError as error:
            self.post_message(self.Failed(error))
            return
        self.post_message(self.QuestionReady(question, intervals, remaining, now, upcoming, report))

    @work(thread=True, group="review-refit")
    def _refit(self) -> None:
        # A failure here only leaves the older calibration in use.
        with contextlib.suppress(EurekaError):
            self.tutor.refit_calibration()

    @work(thread=True, group="review-db")
    def _record(self, question: Question, response: Response, seconds: float) -> None:
        try:
            outcome = self.session.answer(question, response, seconds=seconds)
        except EurekaError as error:
            self.post_message(self.Failed(error))
            return
        self.post_message(self.AnswerRecorded(question, outcome, seconds))

    @work(thread=True, group="review-db")
    def _overrule(self, study: Study, shown: Outcome) -> None:
        try:
            changed = study.overrule(shown)
        except EurekaError as error:
            self.post_message(self.Failed(error))
            return
        if changed is None:
            message = "That answer was changed since, in another window: nothing to overrule."
            self.post_message(self.Failed(EurekaError(message)))
            return
        self.post_message(self.Overruled(changed))

    @work(thread=True, group="review-db")
    def _undo(self) -> None:
        try:
            undone = self.session.undo()
        except EurekaError as error:
            self.post_message(self.Failed(error))
            return
        if undone is None or undone.fact.id is None:
            message = "Nothing to undo: that answer was changed since, in another window."
            self.post_message(self.Failed(EurekaError(message)))
            return
        self.post_message(self.AnswerUndone(undone.fact.id, str(undone)))

    @work(thread=True, group="review-flag")
    def _flag(self, fact_id: int) -> None:
        try:
            self.tutor.flag(fact_id)
        except EurekaError as error:
            self.post_message(self.Failed(error))
            return
        self.post_message(self.Flagged())

    @work(thread=True, group="review-flag")
    def _mark_bad(self, question: Question, asking: bool) -> None:
        try:
            self.tutor.mark_bad(question)
        except EurekaError as error:
            self.post_message(self.Failed(error))
            return
        self.post_message(self.MarkedBad(asking))

    # What the workers report

    @on(Flagged)
    def _flagged(self) -> None:
        self.notify("Flagged for later.")

    @on(MarkedBad)
    def _marked_bad(self, event: MarkedBad) -> None:
        self.notify("Marked as a bad question: this version will not be asked again.")
        if event.asking:
            self.busy = True
            self._load_next()

    @on(QuestionReady)
    async def _show_question(self, event: QuestionReady) -> None:
        if event.question is not None:
            # Built before anything changes: meanwhile the screen stays busy, taking no key.
            await self._build(*FORMAT_PARTS[event.question.kind])
        self.busy = False
        if self.session.ends_at is None:
            # Full only once the session is over: a question on screen is still to answer
            # (study goes on with facts in their learning steps when nothing else is due).
            left = max(1, event.remaining) if event.question is not None else 0
            progress = self.query_one("#review-progress", ProgressBar)
            progress.update(total=max(1, self.tally.reviewed + left), progress=self.tally.reviewed)
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
            dialog = SessionSummaryDialog(stats, self.session.title, event.report)
            self.app.push_screen(dialog, self._summary_closed)
            return
        question = event.question
        self.question = question
        self.outcome = None
        self.step = "asking"
        self.shown_at = event.now
        self.give_up_armed = False
        # The header leaves out a speaker that would give the answer away.
        meta = [part for part in (question.header, str(question.source)) if part]
        self.query_one("#review-meta", Static).update(Text(" · ".join(meta)))
        self.query_one("#review-prompt", Static).update(question.prompt)
        self._hint(HINTS[question.kind])
        card = self.query_one("#review-card", VerticalScroll)
        card.scroll_home(animate=False)
        match question.kind:
            case QuestionKind.FLASHCARD:
                expected = question.expected
                self.query_one("#review-answer", Static).update(
                    expected if isinstance(expected, str) else "\n".join(expected)
                )
                self.query_one("#review-ratings", RatingBar).show_intervals(event.intervals)
                self._show_only()
                card.focus()
            case QuestionKind.CHOICE:
                self.query_one("#review-options", AnswerOptions).show(question.choices or [])
                self._show_only("review-options")
                card.focus()
            case QuestionKind.TRUEFALSE:
                self._show_only("review-truefalse")
                card.focus()
            case QuestionKind.CLOZE | QuestionKind.TYPED:
                field_ = self.query_one("#review-input", Input)
                field_.value = ""
                field_.disabled = False
                self._show_only("review-input")
                field_.focus()
            case QuestionKind.ORDER:
                order = self.query_one("#review-order", OrderList)
                order.show(question.choices or [])
                self._show_only("review-order")
                order.focus()
        self.refresh_bindings()
        if self.tutor.refit_due:
            # While the question is read, once it is drawn: the refit keeps off the way from an
            # answer to the next question, and from the question to the screen.
            self.call_after_refresh(self._refit)

    def _summary_closed(self, _result: None) -> None:
        self.dismiss()

    @on(Overruled)
    def _overruled(self, event: Overruled) -> None:
        self.busy = False
        self.outcome = event.outcome
        seconds = self.tally.outcomes[-1][1] if self.tally.outcomes else 0.0
        if self.tally.outcomes:
            self.tally.outcomes[-1] = (event.outcome, seconds)
        if self.question is not None:
            self.query_one("#review-verdict", VerdictPanel).show(self.question, event.outcome)
        said = "right" if event.outcome.correct else "wrong"
        self.notify(f"Counted as {said}, on your word.", markup=False)
        self.refresh_bindings()

    @on(AnswerRecorded)
    async def _answered(self, event: AnswerRecorded) -> None:
        self.tally.outcomes.append((event.outcome, event.seconds))
        question, outcome = event.question, event.outcome
        self.outcome = outcome
        if question.kind is QuestionKind.FLASHCARD:
            # The grade was the answer: straight on to the next question.
            self._load_next()
            return
        await self._build("review-verdict")
        if self.session.ends_at is None:
            progress = self.query_one("#review-progress", ProgressBar)
            # Whether more follows is known only when the next question is read: not full yet.
            total = max(progress.total or 1, self.tally.reviewed + 1)
            progress.update(total=total, progress=self.tally.reviewed)
        self.busy = False
        self.step = "answered"
        shown = ["review-verdict"]
        match question.kind:
            case QuestionKind.CHOICE:
                options = self.query_one("#review-options", AnswerOptions)
                options.show_verdict(outcome.verdict.response, str(outcome.expected))
                shown.append("review-options")
            case QuestionKind.ORDER:
                self.query_one("#review-order", OrderList).show_result(list(outcome.expected))
                shown.append("review-order")
            case _:
                # The verdict repeats a typed answer (as a diff) and a true/false one.
                pass
        self.query_one("#review-verdict", VerdictPanel).show(question, outcome)
        self._show_only(*shown)
        self._hint(NEXT_HINT)
        card = self.query_one("#review-card", VerticalScroll)
        card.focus()
        self.call_after_refresh(card.scroll_end, animate=False)
        self.refresh_bindings()

    @on(AnswerUndone)
    def _undone(self, event: AnswerUndone) -> None:
        if self.tally.outcomes:
            self.tally.outcomes.pop()
        self.notify(event.said, markup=False)
        self._load_next(event.fact_id)

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.busy = False
        if self.question is not None and self.question.kind in TYPED_KINDS:
            field_ = self.query_one("#review-input", Input)
            field_.disabled = False
            if self.step == "asking":
                field_.focus()
        self.refresh_bindings()
        self.notify(str(event.error), severity="warning", markup=False)
        if self.question is None:
            # Nothing asked yet: the question's place says why, instead of "Loading…".
            self.query_one("#review-prompt", Static).update(
                Text(f"No question could be loaded: {event.error}")
            )
            self._hint("Press escape to go back.")

    # What the learner does with the widgets

    @on(RatingBar.Rated)
    def _rated(self, event: RatingBar.Rated) -> None:
        self.action_grade(int(event.rating))

    @on(OptionChosen)
    def _option_chosen(self, event: OptionChosen) -> None:
        event.stop()
        if self.question is not None and self.question.kind in RECOGNITION:
            self._submit(event.choice)

    @on(Input.Submitted, "#review-input")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        if self.question is None or self.question.kind not in TYPED_KINDS:
            return
        if not event.value.strip() and not self._confirm_give_up("Nothing typed yet."):
            return
        if self._submit(event.value):
            event.input.disabled = True

    @on(OrderList.Submitted)
    def _ordered(self, event: OrderList.Submitted) -> None:
        event.stop()
        if self.question is None or self.question.kind is not QuestionKind.ORDER:
            return
        untouched = event.items == list(self.question.choices or [])
        if untouched and not self._confirm_give_up("Nothing moved yet."):
            return
        self._submit(event.items)

    # Actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer each key only when it does something for the question on screen."""
        question = self.question
        ready = question is not None and not self.busy
        kind = question.kind if question is not None else None
        match action:
            case "reveal":
                return ready and kind is QuestionKind.FLASHCARD and self.step == "asking"
            case "grade":
                return ready and kind is QuestionKind.FLASHCARD and self.step == "revealed"
            case "choose":
                choices = question.choices if question is not None else None
                return (
                    ready
                    and kind is QuestionKind.CHOICE
                    and self.step == "asking"
                    and isinstance(parameters[0], int)
                    and parameters[0] <= len(choices or [])
                )
            case "judge":
                return ready and kind is QuestionKind.TRUEFALSE and self.step == "asking"
            case "next":
                return ready and self.step == "answered"
            case "undo":
                return not self.busy and self.session.can_undo
            case "overrule":
                return (
                    ready
                    and self.step == "answered"
                    and kind is not QuestionKind.FLASHCARD
                    and isinstance(self.session, Study)
                    and self.outcome is not None
                )
            case "flag":
                return question is not None
            case "mark_bad":
                return ready and kind in MARKABLE and self.step in ("asking", "answered")
        return True

    def action_reveal(self) -> None:
        if self.question is None or self.step != "asking" or self.busy:
            return
        self.step = "revealed"
        self._show_only("review-answer", "review-ratings")
        self.refresh_bindings()

    def action_grade(self, rating: int) -> None:
        question = self.question
        if question is None or question.kind is not QuestionKind.FLASHCARD:
            return
        if self.step != "revealed" or self.busy:
            return
        self._record_answer(question, int(Rating(rating)))

    def action_choose(self, number: int) -> None:
        choices = self.question.choices if self.question is not None else None
        if self.question is None or self.question.kind is not QuestionKind.CHOICE or not choices:
            return
        if 1 <= number <= len(choices):
            self._submit(choices[number - 1])

    def action_judge(self, value: bool) -> None:
        if self.question is not None and self.question.kind is QuestionKind.TRUEFALSE:
            self._submit(TRUE if value else FALSE)

    def action_next(self) -> None:
        if self.question is None or self.step != "answered" or self.busy:
            return
        # While busy every key is refused (``check_action``), but the footer is left as it
        # is: the next question changes it a few milliseconds later, once.
        self.busy = True
        self._load_next()

    def action_overrule(self) -> None:
        shown = self.outcome
        if self.busy or self.step != "answered" or shown is None:
            return
        if not isinstance(self.session, Study):
            return
        self.busy = True
        self._overrule(self.session, shown)

    def action_undo(self) -> None:
        if self.busy or not self.session.can_undo:
            return
        self.busy = True
        self._undo()

    def action_flag(self) -> None:
        if self.question is not None:
            self._flag(self.question.fact_id)

    def action_mark_bad(self) -> None:
        question = self.question
        if question is None or question.kind not in MARKABLE or self.busy:
            return
        self._mark_bad(question, asking=self.step == "asking")

    def action_back(self) -> None:
        if self.session.reports_early and self.tally.reviewed and not self.busy:
            # Leaving a quiz early still shows what it found so far.
            self.busy = True
            self._load_next(finish=True)
            return
        self.dismiss()

    def action_help(self) -> None:
        from eurekatutor.ui.screens.help import HelpDialog

        self.app.push_screen(
            HelpDialog(
                "Reviewing",
                [
                    ("space", "flashcard: show the answer"),
                    ("1-4", "flashcard: grade Again, Hard, Good, Easy"),
                    ("1-4", "choice: pick that option (or click it)"),
                    ("t / f", "true or false: true / false"),
                    ("enter", "typed: check it (twice when empty: give up)"),
                    ("↑ ↓", "order: highlight an item"),
                    ("shift+↑↓ [ ]", "order: move it up / down; enter checks"),
                    ("enter", "after the verdict: the next question"),
                    ("u", "undo the last answer (ctrl+p while typing)"),
                    ("o", "overrule the check after an answer: I was right (or wrong)"),
                    ("ctrl+f", "flag the fact to revisit later (browse facts: b at home)"),
                    (
                        "ctrl+x",
                        "choice, true/false, cloze: mark the question bad, never asked again",
                    ),
                    ("escape", "back to your talks"),
                    ("q", "quit (every answer is already saved)"),
                ],
                "Grade flashcards yourself; the other questions are checked for you, "
                "forgiving case, punctuation and small typos.",
            )
        )

    # Helpers

    def _submit(self, response: Response) -> bool:
        """Record ``response`` to the question on screen; return whether it was sent."""
        question = self.question
        if question is None or question.kind is QuestionKind.FLASHCARD:
            return False
        if self.step != "asking" or self.busy:
            return False
        self._record_answer(question, response)
        return True

    def _confirm_give_up(self, why: str) -> bool:
        """Return True on the second try; on the first, say that another enter gives up."""
        if self.give_up_armed:
            return True
        self.give_up_armed = True
        self.notify(f"{why} Press enter again to give up and see the answer.")
        return False

    def _record_answer(self, question: Question, response: Response) -> None:
        self.busy = True
        now = self.tutor.now()
        seconds = (now - self.shown_at).total_seconds() if self.shown_at else 0.0
        self._record(question, response, seconds)

    async def _build(self, *names: str) -> None:
        """Build and mount, each in its place, these parts of ``PARTS`` not built yet."""
        order = list(PARTS)
        for name in names:
            if name in self._parts:
                continue
            parent, build = PARTS[name]
            part = self._parts[name] = build()
            later = [
                self._parts[other]
                for other in order[order.index(name) + 1 :]
                if other in self._parts and PARTS[other][0] == parent
            ]
            await self.query_one(parent).mount(part, before=later[0] if later else None)

    def _show_only(self, *names: str) -> None:
        """Show these parts (ids of ``PARTS``); hide the others, and the hint with the ratings."""
        for name, part in self._parts.items():
            part.display = name in names
        self.query_one("#review-hint").display = "review-ratings" not in names

    def _hint(self, hint: str) -> None:
        self.query_one("#review-hint", Static).update(Text(hint))
