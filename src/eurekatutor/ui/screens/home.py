"""The home screen: the talks with their due / new / learned counts and mastery by topic."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from eurekatutor.domain.models import Talk, TalkCounts
from eurekatutor.sessions import Placement, Quiz, Session, Study
from eurekatutor.tutor import Tutor
from eurekatutor.ui.screens.read_only import refused
from eurekatutor.ui.screens.start import PlacementOfferDialog, QuizDialog
from eurekatutor.ui.widgets.footer import KeysFooter
from eurekatutor.ui.widgets.mastery import MasteryBars


@dataclass(frozen=True)
class TalkView:
    """What the home screen lists of one talk."""

    talk: Talk
    counts: TalkCounts


class HomeScreen(Screen[None]):
    """Lists the talks; ``enter`` (or ``s``) studies the highlighted one."""

    BINDINGS = [
        Binding("s", "study", "Study"),
        Binding("x", "quiz", "Quiz"),
        Binding("p", "placement", "Placement"),
        Binding("r", "refresh", "Refresh", show=False),
        Binding("e", "export", "Export to Anki"),
        Binding("t", "stats", "Stats"),
        Binding("b", "browse", "Browse"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    class Loaded(Message):
        """The talks and their counts were read, with the mastery of the highlighted talk."""

        def __init__(self, views: list[TalkView], mastery: dict[int, dict[str, float]]) -> None:
            self.views = views
            self.mastery = mastery
            super().__init__()

    class MasteryLoaded(Message):
        """The mastery by topic of one talk was read."""

        def __init__(self, talk_id: int, mastery: dict[str, float]) -> None:
            self.talk_id = talk_id
            self.mastery = mastery
            super().__init__()

    def __init__(self, tutor: Tutor, quiz_minutes: float | None = None) -> None:
        super().__init__()
        self.tutor = tutor
        self.views: list[TalkView] = []
        # Mastery by topic, by talk id, read when a talk is first highlighted: reading every
        # talk's at once would take most of a second on a hundred thousand facts.
        self.mastery: dict[int, dict[str, float]] = {}
        # A quiz to start as soon as the talks are loaded (``eurekatutor quiz``).
        self.quiz_minutes = quiz_minutes

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home-body"):
            message = self.tutor.read_only_message
            if message is not None:
                # Said before anything else: studying, which saves answers, is refused.
                note = f"{message}. Browsing, stats and export work; studying does not."
                yield Static(note, id="home-read-only", markup=False)
            yield Static("Your talks", classes="home-heading")
            yield DataTable(id="home-talks", cursor_type="row", zebra_stripes=True)
            yield Static("Mastery by topic", classes="home-heading", id="home-mastery-heading")
            with VerticalScroll(id="home-mastery-scroll"):
                yield MasteryBars(id="home-mastery")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#home-talks", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        self._load(self.query_one("#home-talks", DataTable).cursor_row)

    @work(thread=True, exclusive=True, group="home-load")
    def _load(self, row: int) -> None:
        # Every talk's counts in one query, and the mastery of the talk highlighted.
        now = self.tutor.now()
        counts = self.tutor.counts_by_talk(now)
        views = [TalkView(talk, counts[talk.id]) for talk in self.tutor.talks()]
        if not views:
            self.post_message(self.Loaded(views, {}))
            return
        talk_id = views[max(0, min(row, len(views) - 1))].talk.id
        mastery = self.tutor.mastery(now, talk_id)
        self.post_message(self.Loaded(views, {talk_id: mastery}))
        # The talk made ready for its first question while the list is read. Done before
        # the list is drawn, it kept the list off the screen 80 ms longer; enter pressed the
        # moment the list shows gets the first question as soon either way.
        self.tutor.prepare(talk_id)

    @work(thread=True, exclusive=True, group="home-mastery")
    def _load_mastery(self, talk_id: int) -> None:
        self.post_message(self.MasteryLoaded(talk_id, self.tutor.mastery(talk_id=talk_id)))

    @on(MasteryLoaded)
    def _mastery_loaded(self, event: MasteryLoaded) -> None:
        self.mastery[event.talk_id] = event.mastery
        self._show_mastery()

    @on(Loaded)
    def _show(self, event: Loaded) -> None:
        self.views = event.views
        self.mastery = event.mastery
        table = self.query_one("#home-talks", DataTable)
        selected = table.cursor_row
        # Columns are laid out with their rows: a column added to an empty table could keep
        # its header's width and misalign the header.
        table.clear(columns=True)
        table.add_column("Talk", key="title")
        table.add_column("Due", key="due")
        table.add_column("New", key="new")
        table.add_column("Learned", key="learned")
        for view in event.views:
            table.add_row(
                Text(view.talk.title),  # user text: never read as markup
                str(view.counts.due),
                str(view.counts.new),
                f"{view.counts.learned}/{view.counts.total}",
                key=str(view.talk.id),
            )
        if event.views:
            table.move_cursor(row=min(selected, len(event.views) - 1))
        self._show_mastery()
        current = self._current()
        if self.quiz_minutes is not None and current is not None:
            minutes, self.quiz_minutes = self.quiz_minutes, None
            self.start_quiz(current, minutes)

    @on(DataTable.RowHighlighted, "#home-talks")
    def _highlighted(self) -> None:
        self._show_mastery()

    @on(DataTable.RowSelected, "#home-talks")
    def _selected(self) -> None:
        self.action_study()

    def _current(self) -> TalkView | None:
        row = self.query_one("#home-talks", DataTable).cursor_row
        return self.views[row] if 0 <= row < len(self.views) else None

    def _show_mastery(self) -> None:
        bars = self.query_one("#home-mastery", MasteryBars)
        view = self._current()
        if view is None:
            bars.update("Import a talk-notes file with: eurekatutor import NOTES.md")
            return
        mastery = self.mastery.get(view.talk.id)
        if mastery is None:
            self._load_mastery(view.talk.id)
            return
        bars.show(mastery, width=self.size.width - 4)

    def action_study(self) -> None:
        view = self._current()
        if view is None:
            self.notify("No talk to study yet.", severity="warning")
            return
        if refused(self, self.tutor):
            return
        if view.counts.new == view.counts.total:
            # Nothing studied yet: offer the placement test first.
            self.app.push_screen(PlacementOfferDialog(), partial(self._offer_answered, view))
            return
        self._start(view, Study(self.tutor, view.talk.id))

    def _offer_answered(self, view: TalkView, placement: bool | None) -> None:
        if placement is None:
            return
        session = Placement(self.tutor, view.talk.id) if placement else None
        self._start(view, session or Study(self.tutor, view.talk.id))

    def action_quiz(self) -> None:
        view = self._current()
        if view is None:
            self.notify("No talk to quiz on yet.", severity="warning")
            return
        if refused(self, self.tutor):
            return
        self.app.push_screen(QuizDialog(view.talk.title), partial(self.start_quiz, view))

    def start_quiz(self, view: TalkView, minutes: float | None) -> None:
        """Start a quiz of ``minutes`` on a talk (nothing when ``None``, nor on a read-only
        database)."""
        if minutes is not None and not refused(self, self.tutor):
            self._start(view, Quiz(self.tutor, minutes, view.talk.id))

    def action_placement(self) -> None:
        view = self._current()
        if view is None:
            self.notify("No talk to place you in yet.", severity="warning")
            return
        if refused(self, self.tutor):
            return
        self._start(view, Placement(self.tutor, view.talk.id))

    def _start(self, view: TalkView, session: Session) -> None:
        from eurekatutor.ui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.tutor, view.talk, session))

    def action_export(self) -> None:
        view = self._current()
        if view is None:
            self.notify("No talk to export yet.", severity="warning")
            return
        from eurekatutor.ui.screens.export import ExportDialog

        # The highlighted talk's mastery lists its topics; read them if it is still loading.
        topics = list(self.mastery.get(view.talk.id) or self.tutor.topics(view.talk.id))
        self.app.push_screen(ExportDialog(self.tutor, view.talk, topics))

    def action_stats(self) -> None:
        from eurekatutor.ui.screens.stats import StatsScreen

        view = self._current()
        talks = [listed.talk for listed in self.views]
        self.app.push_screen(StatsScreen(self.tutor, talks, view.talk.id if view else None))

    def action_browse(self) -> None:
        from eurekatutor.ui.screens.browser import BrowserScreen

        view = self._current()
        self.app.push_screen(BrowserScreen(self.tutor, view.talk if view else None))

    def action_help(self) -> None:
        from eurekatutor.ui.screens.help import HelpDialog

        self.app.push_screen(
            HelpDialog(
                "EurekaTutor: your talks",
                [
                    ("↑ ↓", "choose a talk"),
                    ("enter, s", "study: what is due, then new facts, at the right difficulty"),
                    ("x", "quiz: a timed exam-prep test, weakest facts first"),
                    ("p", "placement: credit the topics you already know"),
                    ("r", "refresh the counts"),
                    ("e", "export the talk to Anki"),
                    ("t", "stats: your progress, calendar, forecast and retention"),
                    ("b", "browse facts: search, filter, suspend, flag, leeches"),
                    ("ctrl+p", "command palette: every action by name"),
                    ("q", "quit"),
                ],
                "Due: facts to review now. New: facts not studied yet. "
                "Learned: facts in long-term review. Mastery is the chance you recall a "
                "topic's facts right now.",
            )
        )
