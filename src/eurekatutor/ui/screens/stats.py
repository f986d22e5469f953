"""The stats screen: streak, time, mastery by topic and its change, the review calendar,
reviews and time per day, the forecast, true retention by week and the calibration."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Select, Static

from eurekatutor.domain.models import Talk
from eurekatutor.errors import EurekaError
from eurekatutor.scheduling.stats import CHANGE_DAYS, FORECAST_DAYS, Stats
from eurekatutor.stats_text import summary
from eurekatutor.tutor import Tutor
from eurekatutor.ui.widgets.calendar_heatmap import CalendarHeatmap
from eurekatutor.ui.widgets.charts import StatsChart
from eurekatutor.ui.widgets.footer import KeysFooter
from eurekatutor.ui.widgets.topic_progress import TopicProgressBars

# The talk selector's value for every talk together (talk ids start at 1).
ALL_TALKS = 0
# The charts of days show the last this many days.
CHART_DAYS = 30


class StatsScreen(Screen[None]):
    """Shows the learner's progress on one talk or all of them; reads it in a thread."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("r", "refresh", "Refresh"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    class Loaded(Message):
        """The progress of a talk (``ALL_TALKS``: of every talk) was computed."""

        def __init__(self, talk_id: int, stats: Stats) -> None:
            self.talk_id = talk_id
            self.stats = stats
            super().__init__()

    class Failed(Message):
        """Reading the progress failed."""

        def __init__(self, error: EurekaError) -> None:
            self.error = error
            super().__init__()

    def __init__(self, tutor: Tutor, talks: Sequence[Talk], talk_id: int | None = None) -> None:
        super().__init__()
        self.tutor = tutor
        self.talks = list(talks)
        self.talk_id = talk_id if talk_id is not None else ALL_TALKS
        # What the screen shows: the progress last read, or None while it is first read.
        self.stats: Stats | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        options: list[tuple[str | Text, int]] = [("All talks", ALL_TALKS)]
        options += [(Text(talk.title), talk.id) for talk in self.talks]  # never markup
        with VerticalScroll(id="stats-body"):
            with Horizontal(id="stats-top"):
                yield Select(options, value=self.talk_id, allow_blank=False, id="stats-talk")
                yield Static("Reading your history…", id="stats-status", markup=False)
            yield Static(id="stats-summary", markup=False)
            yield Static("Review calendar: answers a day, last year", classes="stats-heading")
            yield CalendarHeatmap(id="stats-calendar")
            yield Static(
                f"Mastery by topic, and its change in {CHANGE_DAYS} days",
                classes="stats-heading",
            )
            yield TopicProgressBars(id="stats-topics")
            with Grid(id="stats-charts"):
                yield StatsChart(id="stats-reviews")
                yield StatsChart(id="stats-time")
                yield StatsChart(id="stats-forecast")
                yield StatsChart(id="stats-retention")
                yield StatsChart(id="stats-reliability")
                yield Static(id="stats-calibration", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#stats-body", VerticalScroll).focus()
        self._load(self.talk_id)

    @work(thread=True, exclusive=True, group="stats-load")
    def _load(self, talk_id: int) -> None:
        try:
            stats = self.tutor.stats(talk_id=None if talk_id == ALL_TALKS else talk_id)
        except EurekaError as error:
            self.post_message(self.Failed(error))
            return
        self.post_message(self.Loaded(talk_id, stats))

    @on(Select.Changed, "#stats-talk")
    def _talk_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, int) and event.value != self.talk_id:
            self.talk_id = event.value
            self.action_refresh()

    def action_refresh(self) -> None:
        self.query_one("#stats-status", Static).update("Reading your history…")
        self._load(self.talk_id)

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.query_one("#stats-status", Static).update("")
        self.notify(
            str(event.error), title="Cannot read your progress", severity="error", markup=False
        )

    @on(Loaded)
    def _show(self, event: Loaded) -> None:
        if event.talk_id != self.talk_id:
            return  # the learner chose another talk meanwhile: its progress is on its way
        stats = self.stats = event.stats
        self.query_one("#stats-status", Static).update(
            f"as of {stats.today:%a} {stats.today.day} {stats.today:%b %Y}"
        )
        figures = Text()
        for label, value in summary(stats):
            figures.append(f"{label:<16}", style="bold")
            figures.append(f"{value}\n")
        figures.rstrip()
        self.query_one("#stats-summary", Static).update(figures)
        self.query_one("#stats-calendar", CalendarHeatmap).show(stats.days)
        self.query_one("#stats-topics", TopicProgressBars).show(
            stats.topics, width=self.size.width - 4
        )
        recent = stats.days[-CHART_DAYS:]
        days = [day.day for day in recent]
        self.query_one("#stats-reviews", StatsChart).bars(
            f"Reviews per day, last {CHART_DAYS} days", days, [day.answers for day in recent]
        )
        self.query_one("#stats-time", StatsChart).bars(
            f"Minutes studied per day, last {CHART_DAYS} days",
            days,
            [round(day.seconds / 60, 1) for day in recent],
            color="cyan",
            whole=False,
        )
        self.query_one("#stats-forecast", StatsChart).bars(
            f"Due in the next {FORECAST_DAYS} days (today: {stats.forecast[0].due})",
            [day.day for day in stats.forecast],
            [day.due for day in stats.forecast],
            color="orange",
            from_end=False,
        )
        weeks = [week for week in stats.retention_by_week if week.retention is not None]
        overall = stats.true_retention
        self.query_one("#stats-retention", StatsChart).bars(
            "True retention by week"
            + (f" (overall {overall:.0%})" if overall is not None else ": no reviews yet"),
            [week.week for week in weeks],
            [round(100 * (week.retention or 0.0)) for week in weeks],
            color="magenta",
            every=4,
            top=100,
            unit="%",
        )
        report = stats.calibration
        self.query_one("#stats-reliability", StatsChart).reliability(
            "Predicted chance against share right", report.rows
        )
        self.query_one("#stats-calibration", Static).update(
            f"Log loss {report.log_loss:.3f} over {report.answers} predicted answers, against "
            f"{report.baseline_log_loss:.3f} for always predicting your success rate "
            f"({report.success_rate:.0%}): {report.skill:+.0%} skill. Lower is better; the "
            "points near the diagonal mean the tutor's chances come true."
            if report.answers
            else "No predicted answers yet: the calibration appears once you have studied."
        )

    def action_back(self) -> None:
        self.dismiss()

    def action_help(self) -> None:
        from eurekatutor.ui.screens.help import HelpDialog

        self.app.push_screen(
            HelpDialog(
                "EurekaTutor: your progress",
                [
                    ("↑ ↓ pgup pgdn", "scroll"),
                    ("tab", "choose the talk (or all talks)"),
                    ("r", "read your progress again"),
                    ("escape", "back to your talks"),
                    ("q", "quit"),
                ],
                "A study day starts at 4 a.m. Time studied counts each answer up to a minute. "
                "Mastery is the chance you recall a topic's facts; a fact is mastered in "
                "long-term review with recall at least the desired retention (90%). True "
                "retention: answers right on facts in review. Eurekas: the facts mastered that "
                "you answered, per minute studied.",
            )
        )
