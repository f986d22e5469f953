"""The fact browser: search and filter a talk's facts, see one's history, suspend or flag it."""

from __future__ import annotations

import contextlib
from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Select, Static
from textual.widgets.data_table import ColumnKey, RowDoesNotExist

from eurekatutor.domain.models import FactKind, Review, Talk
from eurekatutor.errors import EurekaError
from eurekatutor.scheduling.browse import (
    LEECH_LAPSES,
    BrowseEntry,
    FactState,
    RecallOrder,
    StateFilter,
    browse,
    topics_of,
)
from eurekatutor.scheduling.memory import Rating
from eurekatutor.tutor import Tutor
from eurekatutor.ui.screens.read_only import refused
from eurekatutor.ui.widgets.footer import KeysFooter

# The filters' value for "any" (a Select's values must not be None with allow_blank off).
ANY = ""
# How much of a fact's text the table shows at least (it takes the width the other columns
# leave); the details show all of it.
MIN_TEXT_WIDTH = 20
TOPIC_WIDTH = 20
# The width of the columns other than the text, their padding, the margins and the scrollbar.
OTHER_COLUMNS_WIDTH = 72
RECALL_HEADINGS = {
    RecallOrder.NOTES: "Recall",
    RecallOrder.LOWEST_FIRST: "Recall ▲",
    RecallOrder.HIGHEST_FIRST: "Recall ▼",
}
ORDER_NAMES = {
    RecallOrder.NOTES: "notes order",
    RecallOrder.LOWEST_FIRST: "recall, lowest first",
    RecallOrder.HIGHEST_FIRST: "recall, highest first",
}


def marks_of(entry: BrowseEntry) -> Text:
    """Return the marks column of an entry: leech, flagged, suspended."""
    marks = Text()
    if entry.leech:
        marks.append("L", style="bold red")
    if entry.flagged:
        marks.append("⚑", style="bold yellow")
    if entry.suspended:
        marks.append("S", style="dim")
    return marks


def label_of(entry: BrowseEntry) -> str:
    """Return what the table shows of a fact: its text, after its cue for a number or a
    sequence (whose text alone, "about 10", says little)."""
    fact = entry.fact
    if fact.cue and fact.kind in (FactKind.NUMBER, FactKind.SEQUENCE):
        return f"{fact.cue}: {fact.text}"
    return fact.text


def short(text: str, width: int) -> str:
    """Return ``text`` on one line, cut to ``width`` characters with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


class BrowserScreen(Screen[None]):
    """Lists a talk's facts (or every talk's) with search, filters and sorting; reads in a
    thread and shows the highlighted fact's details and review history."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("slash", "search", "Search"),
        Binding("r", "sort", "Sort by recall"),
        Binding("s", "suspend", "Suspend"),
        Binding("f", "flag", "Flag"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    class Loaded(Message):
        """The facts were read."""

        def __init__(self, entries: list[BrowseEntry]) -> None:
            self.entries = entries
            super().__init__()

    class HistoryLoaded(Message):
        """One fact's review history was read."""

        def __init__(self, fact_id: int, reviews: list[Review]) -> None:
            self.fact_id = fact_id
            self.reviews = reviews
            super().__init__()

    class Marked(Message):
        """A fact was suspended, unsuspended, flagged or unflagged."""

        def __init__(self, fact_id: int, suspended: bool, flagged: bool) -> None:
            self.fact_id = fact_id
            self.suspended = suspended
            self.flagged = flagged
            super().__init__()

    class Failed(Message):
        """A database call failed."""

        def __init__(self, error: EurekaError) -> None:
            self.error = error
            super().__init__()

    def __init__(self, tutor: Tutor, talk: Talk | None = None) -> None:
        super().__init__()
        self.tutor = tutor
        self.talk = talk
        self.entries: list[BrowseEntry] = []
        self.shown: list[BrowseEntry] = []
        self.order = RecallOrder.NOTES
        self.history: dict[int, list[Review]] = {}
        self.text_width = MIN_TEXT_WIDTH

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="browser-filters"):
            yield Input(placeholder="Search (/)", id="browser-search")
            yield Select([("All topics", ANY)], value=ANY, allow_blank=False, id="browser-topic")
            yield Select(
                [("All kinds", ANY), *((kind.value, kind.value) for kind in FactKind)],
                value=ANY,
                allow_blank=False,
                id="browser-kind",
            )
            yield Select(
                [("All states", ANY), *((state.value, state.value) for state in StateFilter)],
                value=ANY,
                allow_blank=False,
                id="browser-state",
            )
        yield Static("Reading the facts…", id="browser-status", markup=False)
        yield DataTable(id="browser-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="browser-details"):
            yield Static("", id="browser-fact", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = f"Facts of {self.talk.title}" if self.talk else "Facts of every talk"
        table = self.query_one("#browser-table", DataTable)
        table.add_column("", key="marks", width=3)
        self.text_width = max(MIN_TEXT_WIDTH, self.app.size.width - OTHER_COLUMNS_WIDTH)
        table.add_column("Fact", key="text", width=self.text_width)
        table.add_column("Topic", key="topic", width=TOPIC_WIDTH)
        # Fixed widths, so that the columns keep their place whatever the rows (and however
        # soon after the rows the table is drawn).
        table.add_column("Kind", key="kind", width=max(map(len, FactKind)))
        table.add_column("State", key="state", width=max(map(len, FactState)))
        table.add_column(RECALL_HEADINGS[self.order], key="recall", width=8)
        table.add_column("Lapses", key="lapses", width=len("Lapses"))
        table.focus()
        self._load()

    # Reading and writing in thread workers

    @work(thread=True, exclusive=True, group="browser-load")
    def _load(self) -> None:
        try:
            entries = self.tutor.browse(self.talk.id if self.talk else None)
        except EurekaError as error:
            self.post_message(self.Failed(error))
            return
        self.post_message(self.Loaded(entries))

    @work(thread=True, exclusive=True, group="browser-history")
    def _load_history(self, fact_id: int) -> None:
        try:
            reviews = self.tutor.reviews(fact_id)
        except EurekaError as error:
            self.post_message(self.Failed(error))
            return
        self.post_message(self.HistoryLoaded(fact_id, reviews))

    @work(thread=True, group="browser-mark")
    def _mark(self, fact_id: int, suspended: bool, flagged: bool) -> None:
        tutor = self.tutor
        try:
            (tutor.suspend if suspended else tutor.unsuspend)(fact_id)
            (tutor.flag if flagged else tutor.unflag)(fact_id)
        except EurekaError as error:
            self.post_message(self.Failed(error))
            return
        self.post_message(self.Marked(fact_id, suspended, flagged))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.entries = event.entries
        topics = self.query_one("#browser-topic", Select)
        chosen = topics.value
        names = topics_of(event.entries)
        topics.set_options([("All topics", ANY), *((Text(name), name) for name in names)])
        topics.value = chosen if chosen in names else ANY
        self._refilter()

    @on(HistoryLoaded)
    def _history_loaded(self, event: HistoryLoaded) -> None:
        self.history[event.fact_id] = event.reviews
        current = self._current()
        if current is not None and current.fact.id == event.fact_id:
            self._show_details(current)

    @on(Marked)
    def _marked(self, event: Marked) -> None:
        for index, entry in enumerate(self.entries):
            if entry.fact.id == event.fact_id:
                changed = replace(entry, suspended=event.suspended, flagged=event.flagged)
                self.entries[index] = changed
                break
        else:
            return
        for index, entry in enumerate(self.shown):
            if entry.fact.id == event.fact_id:
                self.shown[index] = changed
        table = self.query_one("#browser-table", DataTable)
        with contextlib.suppress(RowDoesNotExist):
            table.update_cell(str(event.fact_id), "marks", marks_of(changed))
        current = self._current()
        if current is not None and current.fact.id == event.fact_id:
            self._show_details(current)

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.notify(str(event.error), severity="error", markup=False)

    # Filters

    @on(Input.Changed, "#browser-search")
    @on(Select.Changed)
    def _filters_changed(self) -> None:
        self._refilter()

    @on(Input.Submitted, "#browser-search")
    def _search_done(self) -> None:
        self.query_one("#browser-table", DataTable).focus()

    def _filter_value(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) and value != ANY else None

    def _refilter(self) -> None:
        state = self._filter_value("#browser-state")
        self.shown = browse(
            self.entries,
            text=self.query_one("#browser-search", Input).value,
            topic=self._filter_value("#browser-topic"),
            kind=self._filter_value("#browser-kind"),
            state=StateFilter(state) if state else None,
            order=self.order,
        )
        table = self.query_one("#browser-table", DataTable)
        highlighted = self._current()
        table.clear()
        for entry in self.shown:
            table.add_row(
                marks_of(entry),
                # User text: shown as it is, never read as markup.
                Text(short(label_of(entry), self.text_width)),
                Text(short(entry.fact.topic, TOPIC_WIDTH)),
                entry.fact.kind.value,
                entry.state.value,
                Text(f"{entry.recall:.0%}", justify="right"),
                Text(str(entry.memory.lapses), justify="right"),
                key=str(entry.fact.id),
            )
        if highlighted is not None:
            for row, entry in enumerate(self.shown):
                if entry.fact.id == highlighted.fact.id:
                    table.move_cursor(row=row)
                    break
        leeches = sum(entry.leech for entry in self.entries)
        status = f"{len(self.shown)} of {len(self.entries)} facts · {ORDER_NAMES[self.order]}"
        if leeches:
            status += f" · {leeches} leech{'es' if leeches > 1 else ''} (L)"
        self.query_one("#browser-status", Static).update(status)
        current = self._current()
        if current is None:
            self.query_one("#browser-fact", Static).update(
                "No fact matches." if self.entries else "No facts yet: import a talk-notes file."
            )
        else:
            self._show_details(current)

    # The highlighted fact

    def _current(self) -> BrowseEntry | None:
        table = self.query_one("#browser-table", DataTable)
        row = table.cursor_row
        return self.shown[row] if 0 <= row < len(self.shown) and table.row_count else None

    @on(DataTable.RowHighlighted, "#browser-table")
    def _highlighted(self) -> None:
        current = self._current()
        if current is not None:
            self._show_details(current)

    @on(DataTable.HeaderSelected, "#browser-table")
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        if event.column_key.value == "recall":
            self.action_sort()

    def _show_details(self, entry: BrowseEntry) -> None:
        fact, memory = entry.fact, entry.memory
        assert fact.id is not None
        details = Text()
        details.append(fact.text + "\n", style="bold")
        if fact.cue:
            details.append(f"Cue: {fact.cue}\n")
        if fact.speaker:
            details.append(f"Speaker: {fact.speaker}\n")
        details.append(f"{fact.topic} · {fact.kind.value} · {fact.source}\n", style="dim")
        details.append(f"State {entry.state.value} · recall {entry.recall:.0%}")
        if memory.due is not None:
            details.append(f" · due {memory.due:%Y-%m-%d %H:%M}")
        details.append(f" · lapses {memory.lapses}\n")
        marks = []
        if entry.leech:
            marks.append(f"leech ({LEECH_LAPSES}+ lapses)")
        if entry.flagged:
            marks.append("flagged to revisit")
        if entry.suspended:
            marks.append("suspended: not in the study queue")
        if marks:
            details.append(" · ".join(marks).capitalize() + "\n", style="bold yellow")
        reviews = self.history.get(fact.id)
        if reviews is None:
            details.append("\nReading its history…")
            self._load_history(fact.id)
        elif not reviews:
            details.append("\nNever answered yet.")
        else:
            count = f"{len(reviews)} answer{'s' if len(reviews) > 1 else ''}"
            details.append(f"\nHistory ({count}, latest first)\n", style="bold")
            for review in reversed(reviews):
                rating = Rating(review.rating).name.title() if review.rating else "–"
                verdict = "right" if review.correct else "wrong"
                details.append(
                    f"{review.reviewed_at:%Y-%m-%d %H:%M}  {review.question_kind:<10} {rating:<6} "
                )
                details.append(verdict + "\n", style="green" if review.correct else "red")
        details.rstrip()
        self.query_one("#browser-fact", Static).update(details)

    # Actions

    def action_back(self) -> None:
        self.dismiss()

    def action_search(self) -> None:
        self.query_one("#browser-search", Input).focus()

    def action_sort(self) -> None:
        self.order = self.order.next()
        table = self.query_one("#browser-table", DataTable)
        table.columns[ColumnKey("recall")].label = Text(RECALL_HEADINGS[self.order])
        self._refilter()
        table.move_cursor(row=0)

    def action_suspend(self) -> None:
        current = self._current()
        if current is None or current.fact.id is None or refused(self, self.tutor):
            return
        suspended = not current.suspended
        self._mark(current.fact.id, suspended, current.flagged)
        self.notify(
            "Suspended: it leaves the study queue."
            if suspended
            else "Unsuspended: back in the study queue."
        )

    def action_flag(self) -> None:
        current = self._current()
        if current is None or current.fact.id is None or refused(self, self.tutor):
            return
        flagged = not current.flagged
        self._mark(current.fact.id, current.suspended, flagged)
        self.notify("Flagged for later." if flagged else "Flag cleared.")

    def action_help(self) -> None:
        from eurekatutor.ui.screens.help import HelpDialog

        self.app.push_screen(
            HelpDialog(
                "EurekaTutor: browsing facts",
                [
                    ("↑ ↓", "choose a fact: its details and history are below"),
                    ("/", "search text, cue or speaker (enter: back to the table)"),
                    ("tab", "the topic, kind and state filters"),
                    ("r", "sort by recall: lowest first, highest first, notes order"),
                    ("s", "suspend or unsuspend: a suspended fact is never asked"),
                    ("f", "flag or unflag to revisit later"),
                    ("escape", "back to your talks"),
                    ("q", "quit"),
                ],
                "States: new (never studied), learning (learning or relearning steps), "
                "review (in long-term review, recall below 90%), mastered (in review, recall "
                f"at least 90%). A leech (L) has lapsed {LEECH_LAPSES} times or more, and is "
                "flagged (⚑) when it becomes one. S marks a suspended fact.",
            )
        )
