"""Plotext charts of the stats screen: bars over days or weeks, and the reliability chart."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from textual_plotext import PlotextPlot

from eurekatutor.scheduling.prediction import ReliabilityRow

# A y axis is labelled at about this many round values.
Y_TICKS = 4


class StatsChart(PlotextPlot):
    """A plotext chart that draws one figure of the learner's progress.

    ``plotted`` holds what was last drawn (the title and the values), for tests and for
    anything else that must know what the chart shows without reading its pixels.
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.plotted: tuple[str, tuple[float, ...]] = ("", ())

    def _start(self, title: str, values: Sequence[float]) -> None:
        self.plotted = (title, tuple(values))
        plt = self.plt
        plt.clear_figure()
        plt.title(title)

    def bars(
        self,
        title: str,
        days: Sequence[date],
        values: Sequence[float],
        *,
        color: str = "green",
        every: int = 7,
        from_end: bool = True,
        top: float | None = None,
        unit: str = "",
        whole: bool = True,
    ) -> None:
        """Draw ``values`` as bars over ``days`` (a day or a week each), labelling every
        ``every``-th one counted from the last (or, not ``from_end``, the first); the y axis
        runs from 0 to ``top`` (else to a round number above the values), its labels ending
        in ``unit``, whole numbers if ``whole``."""
        self._start(title, values)
        plt = self.plt
        if not days:
            self.refresh()
            return
        xs = list(range(1, len(days) + 1))
        plt.bar(xs, list(values), color=color, width=0.6)
        marked = xs[::-1][::every] if from_end else xs[::every]
        ticks = [float(x) for x in sorted(marked)]
        plt.xticks(ticks, [f"{days[int(x) - 1]:%d %b}" for x in ticks])
        plt.xlim(0.4, len(days) + 0.6)
        levels = round_ticks(top if top is not None else max(values, default=0), whole)
        plt.yticks(levels, [f"{level:g}{unit}" for level in levels])
        plt.ylim(0, levels[-1])
        self.refresh()

    def reliability(self, title: str, rows: Sequence[ReliabilityRow]) -> None:
        """Draw predicted against actually right, one point per decile, with the diagonal
        a perfectly calibrated tutor would follow."""
        self._start(title, [row.actual for row in rows])
        plt = self.plt
        plt.plot([0, 1], [0, 1], color="gray", marker="dot", label="perfect")
        if rows:
            plt.plot(
                [row.predicted for row in rows],
                [row.actual for row in rows],
                color="cyan",
                marker="braille",
            )
            plt.scatter(
                [row.predicted for row in rows],
                [row.actual for row in rows],
                color="cyan",
                marker="●",
                label="you",
            )
        ticks = [0.0, 0.25, 0.5, 0.75, 1.0]
        labels = [f"{tick:.0%}" for tick in ticks]
        plt.xticks(ticks, labels)
        plt.yticks(ticks, labels)
        plt.xlim(0, 1)
        plt.ylim(0, 1)
        plt.xlabel("predicted")
        plt.ylabel("right")
        self.refresh()


def round_ticks(top: float, whole: bool = False) -> list[float]:
    """Return round y-axis labels from 0 to at least ``top``: steps of 1, 2 or 5 times a
    power of ten (whole numbers only if ``whole``), ``Y_TICKS`` or one more of them (0 to
    1 when ``top`` is 0)."""
    if top <= 0:
        return [0.0, 1.0]
    step = 10.0 ** math.floor(math.log10(top / Y_TICKS))
    for factor in (1, 2, 5, 10):
        if top / (step * factor) <= Y_TICKS + 1:
            step *= factor
            break
    if whole:
        step = max(1.0, step)
    count = math.ceil(top / step - 1e-9)
    return [round(index * step, 10) for index in range(count + 1)]
