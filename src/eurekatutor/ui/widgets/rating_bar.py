"""The four grade buttons of a flashcard, each with the interval it would give."""

from __future__ import annotations

from datetime import timedelta

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button
from textual.widgets.button import ButtonVariant

from eurekatutor.scheduling.memory import Rating, format_interval

LABELS = {Rating.AGAIN: "Again", Rating.HARD: "Hard", Rating.GOOD: "Good", Rating.EASY: "Easy"}
VARIANTS: dict[Rating, ButtonVariant] = {
    Rating.AGAIN: "error",
    Rating.HARD: "warning",
    Rating.GOOD: "success",
    Rating.EASY: "primary",
}


class RatingBar(Horizontal):
    """Grade buttons ``1``-``4``; clicking one posts ``RatingBar.Rated``."""

    DEFAULT_CSS = """
    RatingBar {
        height: 3;
        width: 100%;
        align-horizontal: center;
    }
    RatingBar Button {
        min-width: 16;
        margin: 0 1;
    }
    """

    class Rated(Message):
        """The learner picked a grade."""

        def __init__(self, rating: Rating) -> None:
            self.rating = rating
            super().__init__()

    def compose(self) -> ComposeResult:
        for rating, label in LABELS.items():
            yield Button(
                f"{int(rating)} {label}", id=f"rate-{int(rating)}", variant=VARIANTS[rating]
            )

    def show_intervals(self, intervals: dict[Rating, timedelta]) -> None:
        """Label each button with the interval its grade gives."""
        for rating, label in LABELS.items():
            button = self.query_one(f"#rate-{int(rating)}", Button)
            button.label = f"{int(rating)} {label} · {format_interval(intervals[rating])}"

    @on(Button.Pressed)
    def _rated(self, event: Button.Pressed) -> None:
        event.stop()
        assert event.button.id is not None
        self.post_message(self.Rated(Rating(int(event.button.id.removeprefix("rate-")))))
