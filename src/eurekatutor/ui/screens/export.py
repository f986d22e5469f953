"""The export dialog: write a talk, one of its topics, or its weak facts to an Anki package."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select, Static

from eurekatutor.domain.models import Talk
from eurekatutor.errors import EurekaError
from eurekatutor.export.files import ExportExists
from eurekatutor.tutor import Tutor

if TYPE_CHECKING:
    from eurekatutor.export.anki import ExportReport


class ExportScope(StrEnum):
    """What part of the talk to export."""

    TALK = "talk"
    TOPIC = "topic"
    WEAK = "weak"


SCOPE_LABELS = {
    ExportScope.TALK: "The whole talk",
    ExportScope.TOPIC: "One topic",
    ExportScope.WEAK: "Only facts not mastered yet",
}


def default_path(talk: Talk) -> str:
    """Return the file the dialog offers first: the talk's slug in the home folder."""
    return f"~/{talk.slug}.apkg"


class ExportDialog(ModalScreen["ExportReport | None"]):
    """Asks for the file and the scope, exports in a thread, then notifies the result.

    Dismissed with the export's report, or ``None`` when cancelled. A failed export (a folder
    that does not exist, nothing to export) is notified and the dialog stays open to fix it.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    class Exported(Message):
        """The package was written."""

        def __init__(self, report: ExportReport) -> None:
            self.report = report
            super().__init__()

    class Failed(Message):
        """The export failed with a message for the learner."""

        def __init__(self, error: EurekaError) -> None:
            self.error = error
            super().__init__()

    def __init__(self, tutor: Tutor, talk: Talk, topics: list[str]) -> None:
        super().__init__()
        self.tutor = tutor
        self.talk = talk
        self.topics = topics
        self.busy = False
        # The path the learner was asked about replacing: Export again replaces it.
        self.replace_asked: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Static("Export to Anki", id="export-title")
            yield Static(self.talk.title, id="export-talk", markup=False)
            yield Label("File to write")
            yield Input(default_path(self.talk), id="export-path")
            yield Label("What to export")
            with RadioSet(id="export-scope"):
                for scope, label in SCOPE_LABELS.items():
                    yield RadioButton(label, value=scope is ExportScope.TALK, id=f"scope-{scope}")
            yield Select(
                [(Text(topic), topic) for topic in self.topics],
                id="export-topic",
                allow_blank=False,
                disabled=True,
            )
            yield Static("", id="export-status", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", id="export-run")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @property
    def scope(self) -> ExportScope:
        """Return the scope the learner picked."""
        pressed = self.query_one("#export-scope", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return ExportScope.TALK
        return ExportScope(pressed.id.removeprefix("scope-"))

    @on(RadioSet.Changed, "#export-scope")
    def _scope_changed(self) -> None:
        self.query_one("#export-topic", Select).disabled = self.scope is not ExportScope.TOPIC

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-run")
    def action_export(self) -> None:
        if self.busy:
            return
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self.notify("Type the file to write, e.g. ~/talk.apkg.", severity="warning")
            return
        topic: str | None = None
        if self.scope is ExportScope.TOPIC:
            selected = self.query_one("#export-topic", Select).value
            topic = selected if isinstance(selected, str) else None
        # A file that exists is replaced only when Export is pressed again for it.
        replace = self.replace_asked == path
        self.busy = True
        self.query_one("#export-run", Button).disabled = True
        self.query_one("#export-status", Static).update("Exporting…")
        self._export(Path(path), topic, self.scope is ExportScope.WEAK, replace)

    @work(thread=True, exclusive=True, group="export")
    def _export(self, path: Path, topic: str | None, weak_only: bool, replace: bool) -> None:
        try:
            report = self.tutor.export_anki(
                path, talk_id=self.talk.id, topic=topic, weak_only=weak_only, replace=replace
            )
        except EurekaError as error:
            self.post_message(self.Failed(error))
            return
        self.post_message(self.Exported(report))

    @on(Exported)
    def _exported(self, event: Exported) -> None:
        self.app.notify(str(event.report), title="Exported to Anki", timeout=8, markup=False)
        self.dismiss(event.report)

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.busy = False
        self.query_one("#export-run", Button).disabled = False
        if isinstance(event.error, ExportExists):
            self.replace_asked = self.query_one("#export-path", Input).value.strip()
            asked = f"{event.error}. Press Export again to replace it."
            self.query_one("#export-status", Static).update(asked)
            self.notify(asked, title="Replace the file?", severity="warning", markup=False)
            return
        self.replace_asked = None
        self.query_one("#export-status", Static).update(str(event.error))
        self.notify(str(event.error), title="Export failed", severity="error", markup=False)

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
