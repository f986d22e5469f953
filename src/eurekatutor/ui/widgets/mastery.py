"""A list of per-topic mastery bars."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

BAR_WIDTH = 20


class MasteryBars(Static):
    """Shows one bar per topic: the mean recall probability of its facts, 0-100%."""

    DEFAULT_CSS = """
    MasteryBars {
        height: auto;
    }
    """

    def show(self, mastery: dict[str, float], width: int | None = None) -> None:
        """Draw the bars for ``mastery`` ({topic: 0..1}), topic names cut to fit."""
        if not mastery:
            self.update("No topics yet.")
            return
        name_width = max(12, (width or self.size.width or 80) - BAR_WIDTH - 8)
        text = Text()
        for topic, value in mastery.items():
            filled = round(value * BAR_WIDTH)
            name = topic if len(topic) <= name_width else topic[: name_width - 1] + "…"
            text.append(f"{name:<{name_width}} ")
            text.append("█" * filled, style="green")
            text.append("░" * (BAR_WIDTH - filled), style="dim")
            text.append(f" {value:4.0%}\n")
        text.rstrip()
        self.update(text)
