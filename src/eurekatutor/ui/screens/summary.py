"""The end-of-session dialog: what was reviewed, how it went, and what is due next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from eurekatutor.scheduling.memory import format_interval


@dataclass(frozen=True)
class SessionStats:
    """What a study session did."""

    reviewed: int
    correct: int
    seconds: float
    next_due: datetime | None
    now: datetime


def describe(stats: SessionStats) -> list[tuple[str, str]]:
    """Return the summary as (label, value) rows."""
    share = f" ({stats.correct / stats.reviewed:.0%})" if stats.reviewed else ""
    minutes, seconds = divmod(round(stats.seconds), 60)
    if stats.next_due is None:
        upcoming = "nothing scheduled"
    else:
        upcoming = f"in {format_interval(stats.next_due - stats.now)}"
    return [
        ("Reviewed", str(stats.reviewed)),
        ("Correct", f"{stats.correct}{share}"),
        ("Time", f"{minutes}m {seconds:02d}s"),
        ("Next review", upcoming),
    ]


class SessionSummaryDialog(ModalScreen[None]):
    """Shown when nothing more is worth studying now; ``enter`` or ``escape`` closes it."""

    BINDINGS = [Binding("enter,escape", "close", "Back to decks")]

    def __init__(
        self, stats: SessionStats, title: str = "Study", report: list[str] | None = None
    ) -> None:
        super().__init__()
        self.stats = stats
        self.title_text = title
        self.report = report or []

    def compose(self) -> ComposeResult:
        with Vertical(id="summary-box"):
            yield Static(f"{self.title_text}: session complete", id="summary-title")
            for label, value in describe(self.stats):
                yield Static(f"{label:<12} {value}", classes="summary-row")
            if self.report:
                with VerticalScroll(id="summary-report"):
                    yield Static("\n".join(self.report), id="summary-report-text", markup=False)
            yield Static("Press enter to go back to your decks.", id="summary-hint")

    def action_close(self) -> None:
        self.dismiss(None)
