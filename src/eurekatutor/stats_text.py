"""The progress statistics as plain text (``eurekatutor stats``), and the layout helpers the
stats screen shares with it: durations, calendar weeks and activity shades."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from eurekatutor.scheduling.stats import CHANGE_DAYS, DayActivity, Stats, week_of

BAR_WIDTH = 20
# A day's shade in the calendar, by level: no answers, then each quarter of the busiest day.
SHADES = "·░▒▓█"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
TEXT_CALENDAR_WEEKS = 12
RECENT_DAYS = 14
FORECAST_SHOWN = 14
RETENTION_SHOWN = 8


def format_duration(seconds: float) -> str:
    """Return a time studied in short form: ``"45s"``, ``"12m 05s"``, ``"2h 14m"``."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes, rest = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m {rest:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def heat_levels(counts: Sequence[int]) -> list[int]:
    """Return each count's level: 0 for none, else 1 to 4 by quarter of the largest."""
    top = max(counts, default=0)
    return [0 if count <= 0 else -(-4 * count // top) for count in counts]


def calendar_weeks(
    days: Sequence[DayActivity], weeks: int
) -> tuple[list[date], list[list[DayActivity | None]]]:
    """Return the Mondays of the last ``weeks`` weeks of ``days`` (oldest first, ending with
    the week of the last day) and a grid of 7 rows (Monday first) by those weeks: each
    cell is that day's activity, or ``None`` for a day outside ``days``."""
    if not days:
        return [], [[] for _ in WEEKDAYS]
    last = week_of(days[-1].day)
    mondays = [last - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    by_day = {day.day: day for day in days}
    grid = [
        [by_day.get(monday + timedelta(days=row)) for monday in mondays]
        for row in range(len(WEEKDAYS))
    ]
    return mondays, grid


def month_labels(mondays: Sequence[date], cell: int = 1) -> str:
    """Return a line naming each month above the first week column that starts in it, for
    columns ``cell`` characters wide; a name that would overlap the one before is left out."""
    line = ""
    for index, monday in enumerate(mondays):
        first = monday if monday.day <= 7 else None
        if index == 0 and first is None:
            continue
        name = monday.strftime("%b")
        position = index * cell
        if (first is not None or index == 0) and position >= len(line) + (1 if line else 0):
            line = line.ljust(position) + name
    return line


def bar(value: float, top: float, width: int = BAR_WIDTH) -> str:
    """Return a text bar of ``value`` against ``top``, ``width`` characters long."""
    filled = round(width * value / top) if top > 0 else 0
    return "█" * filled + "░" * (width - filled)


def percent(value: float | None) -> str:
    """Return a share as a whole percentage, or an en dash when there is none."""
    return "–" if value is None else f"{value:.0%}"


def stats_lines(stats: Stats, scope: str) -> list[str]:
    """Return the progress report of ``eurekatutor stats``, line by line, for ``scope`` (the
    talk's title or "all talks")."""
    today = stats.today
    lines = [f"Your progress on {scope}, {today:%a} {today.day} {today:%b %Y}", ""]
    lines += [f"  {label:<16} {value}" for label, value in summary(stats)]
    lines += [
        "",
        f"Mastery by topic: the chance you recall its facts, and its change in {CHANGE_DAYS} days",
    ]
    width = max((len(topic.topic) for topic in stats.topics), default=0)
    width = min(40, width)
    for topic in stats.topics:
        name = topic.topic if len(topic.topic) <= width else topic.topic[: width - 1] + "…"
        lines.append(
            f"  {name:<{width}}  {bar(topic.mastery, 1.0)} {topic.mastery:4.0%}"
            f"  {change_points(topic.change)}"
        )
    if not stats.topics:
        lines.append("  No topics yet: import a talk-notes file.")
    lines += [
        "",
        f"Review calendar, last {TEXT_CALENDAR_WEEKS} weeks "
        f"(answers a day: {SHADES[0]} none, {SHADES[1:]} more)",
    ]
    mondays, grid = calendar_weeks(stats.days, TEXT_CALENDAR_WEEKS)
    shown = [day for row in grid for day in row if day is not None]
    levels = dict(
        zip((day.day for day in shown), heat_levels([d.answers for d in shown]), strict=True)
    )
    lines.append("       " + month_labels(mondays))
    for name, cells_of in zip(WEEKDAYS, grid, strict=True):
        cells = "".join(" " if day is None else SHADES[levels[day.day]] for day in cells_of)
        lines.append(f"  {name}  {cells}")
    recent = stats.days[-RECENT_DAYS:]
    busiest = max((day.answers for day in recent), default=0)
    lines += ["", f"Last {RECENT_DAYS} days: answers and time studied"]
    for day in recent:
        lines.append(
            f"  {day.day:%a %d %b}  {day.answers:5d}  {format_duration(day.seconds):>8}"
            f"  {bar(day.answers, busiest)}"
        )
    due = sum(day.due for day in stats.forecast)
    most = max((day.due for day in stats.forecast[:FORECAST_SHOWN]), default=0)
    lines += [
        "",
        f"Forecast: {due} reviews due in the next {len(stats.forecast)} days "
        "(today's with the overdue ones)",
    ]
    for ahead in stats.forecast[:FORECAST_SHOWN]:
        lines.append(f"  {ahead.day:%a %d %b}  {ahead.due:5d}  {bar(ahead.due, most)}")
    lines += ["", "True retention by week: answers right on facts in review"]
    for week in stats.retention_by_week[-RETENTION_SHOWN:]:
        lines.append(
            f"  week of {week.week:%d %b}  {percent(week.retention):>4}  of {week.answers}"
        )
    report = stats.calibration
    lines += ["", "Calibration: the tutor's predicted chance against the share you got right"]
    if not report.rows:
        lines.append("  No predicted answers yet.")
    for row in report.rows:
        lines.append(
            f"  predicted {row.low:.0%}-{row.high:.0%}".ljust(22)
            + f"{row.count:6d} answers  predicted {row.predicted:4.0%}  right {row.actual:4.0%}"
        )
    return lines


def summary(stats: Stats) -> list[tuple[str, str]]:
    """Return the headline figures as (label, value) pairs, as the stats screen shows them."""
    report = stats.calibration
    per_minute = stats.eurekas_per_minute
    calibration = (
        f"log loss {report.log_loss:.3f} against {report.baseline_log_loss:.3f} "
        f"({report.skill:+.0%} skill) over {report.answers} answers"
        if report.answers
        else "no predicted answers yet"
    )
    days = "day" if stats.streak == 1 else "days"
    right = stats.correct / stats.answers if stats.answers else None
    return [
        ("Streak", f"{stats.streak} {days} (longest {stats.longest_streak})"),
        ("Time studied", f"{format_duration(stats.seconds)} on {stats.study_days} days"),
        (
            "Answers",
            f"{stats.answers}, {percent(right)} right",
        ),
        (
            "True retention",
            f"{percent(stats.true_retention)} of {stats.review_answers} answers on facts in review",
        ),
        (
            "Mastered",
            f"{stats.mastered} of {stats.facts} facts "
            f"({CHANGE_DAYS} days ago: {stats.mastered_before})",
        ),
        (
            "Eurekas",
            f"{stats.eurekas}, "
            + ("–" if per_minute is None else f"{per_minute:.2f}")
            + " per minute studied",
        ),
        ("Calibration", calibration),
    ]


def change_points(change: float) -> str:
    """Return a change of mastery in percentage points: ``"+12"``, ``"-3"``, ``"±0"``."""
    points = round(change * 100)
    return "±0" if points == 0 else f"{points:+d}"
