"""A year of study days as a heatmap: weeks as columns, weekdays as rows, like Anki's."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from eurekatutor.scheduling.stats import DayActivity
from eurekatutor.stats_text import WEEKDAYS, calendar_weeks, heat_levels, month_labels

WEEKS = 53
# The colour of each level: no answers, then each quarter of the busiest day.
LEVEL_STYLES = ("#3a3a3a", "#0e4429", "#006d32", "#26a641", "#39d353")
CELL = "■"


class CalendarHeatmap(Static):
    """Shows answers per study day over the last year, darker to brighter by quartile of
    the busiest day, with month names above and every other weekday named."""

    DEFAULT_CSS = """
    CalendarHeatmap {
        height: auto;
    }
    """

    def show(self, days: Sequence[DayActivity]) -> None:
        """Draw ``days`` (oldest first, ending today); days after today stay blank."""
        mondays, grid = calendar_weeks(days, WEEKS)
        shown = [day for row in grid for day in row if day is not None]
        levels = dict(
            zip(
                (day.day for day in shown),
                heat_levels([day.answers for day in shown]),
                strict=True,
            )
        )
        text = Text()
        text.append("    " + month_labels(mondays) + "\n", style="dim")
        for index, (name, row) in enumerate(zip(WEEKDAYS, grid, strict=True)):
            # Mon, Wed, Fri and Sun are named: every row named would crowd the left edge.
            text.append(f"{name if index % 2 == 0 else '':<4}", style="dim")
            for day in row:
                if day is None:
                    text.append(" ")
                else:
                    text.append(CELL, style=LEVEL_STYLES[levels[day.day]])
            text.append("\n")
        answers = sum(day.answers for day in days)
        active = sum(1 for day in days if day.answers)
        text.append("    Less ", style="dim")
        for style in LEVEL_STYLES:
            text.append(CELL, style=style)
        text.append(" More", style="dim")
        text.append(f"    {answers} answers on {active} days in the last year")
        self.update(text)
