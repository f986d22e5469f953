"""Mastery bars per topic that also show how each changed over the last 30 days."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from eurekatutor.scheduling.stats import TopicProgress
from eurekatutor.stats_text import change_points

BAR_WIDTH = 24


class TopicProgressBars(Static):
    """One bar per topic: mastery now, the part gained since 30 days ago in a brighter
    green (or the part lost in red), then the percentage and the change in points."""

    DEFAULT_CSS = """
    TopicProgressBars {
        height: auto;
    }
    """

    def show(self, topics: Sequence[TopicProgress], width: int | None = None) -> None:
        """Draw a bar per topic, names cut to fit ``width`` (the widget's, by default)."""
        if not topics:
            self.update("No topics yet: import a talk-notes file.")
            return
        longest = max(len(topic.topic) for topic in topics)
        name_width = max(12, min(longest, (width or self.size.width or 80) - BAR_WIDTH - 12))
        text = Text()
        for topic in topics:
            name = topic.topic
            if len(name) > name_width:
                name = name[: name_width - 1] + "…"
            now = round(topic.mastery * BAR_WIDTH)
            before = round(topic.mastery_before * BAR_WIDTH)
            text.append(f"{name:<{name_width}} ")
            text.append("█" * min(now, before), style="green")
            if now > before:
                text.append("█" * (now - before), style="bold #39d353")
            elif before > now:
                text.append("▒" * (before - now), style="red")
            text.append("░" * (BAR_WIDTH - max(now, before)), style="dim")
            text.append(f" {topic.mastery:4.0%} ")
            points = change_points(topic.change)
            style = "green" if points.startswith("+") else "red" if points[0] == "-" else "dim"
            text.append(f"{points:>4}\n", style=style)
        text.rstrip()
        self.update(text)
