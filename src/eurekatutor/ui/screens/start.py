"""Dialogs that start a session: the quiz's length, and the placement test offered on a new talk."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

DEFAULT_QUIZ_MINUTES = 15
MAX_QUIZ_MINUTES = 180


class QuizDialog(ModalScreen[float | None]):
    """Asks how many minutes the exam-prep quiz lasts; returns them, or ``None`` to cancel."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, talk_title: str) -> None:
        super().__init__()
        self.talk_title = talk_title

    def compose(self) -> ComposeResult:
        with Vertical(id="quiz-box"):
            yield Static("Exam prep: a timed quiz", id="quiz-title")
            yield Static(
                f"“{self.talk_title}”: every topic, your weakest facts first, then a report "
                "by topic with what you missed. How many minutes do you have?",
                id="quiz-intro",
                markup=False,
            )
            yield Input(str(DEFAULT_QUIZ_MINUTES), id="quiz-minutes", type="number")
            yield Static("enter to start · escape to cancel", id="quiz-hint")

    def on_mount(self) -> None:
        self.query_one("#quiz-minutes", Input).focus()

    @on(Input.Submitted, "#quiz-minutes")
    def _start(self, event: Input.Submitted) -> None:
        try:
            minutes = float(event.value)
        except ValueError:
            minutes = 0.0
        if not 0 < minutes <= MAX_QUIZ_MINUTES:
            self.notify(f"A quiz lasts from 1 to {MAX_QUIZ_MINUTES} minutes.", severity="warning")
            return
        self.dismiss(minutes)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PlacementOfferDialog(ModalScreen[bool | None]):
    """Offers a placement test before a first study session: ``True`` for placement,
    ``False`` to start from zero, ``None`` to go back."""

    BINDINGS = [
        Binding("p", "choose(True)", "Placement test"),
        Binding("s", "choose(False)", "Start from zero"),
        Binding("escape", "back", "Back"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="offer-box"):
            yield Static("This talk is new to you", id="offer-title")
            yield Static(
                "A short placement test asks a few questions per topic and credits the topics "
                "you already know, so you are not taught them from zero.\n\n"
                "p  take the placement test\ns  start from zero\nescape  back",
                id="offer-text",
            )

    def action_choose(self, placement: bool) -> None:
        self.dismiss(placement)

    def action_back(self) -> None:
        self.dismiss(None)
