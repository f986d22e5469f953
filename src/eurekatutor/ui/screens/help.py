"""The help dialog: what each key does on the screen it was opened from."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpDialog(ModalScreen[None]):
    """Lists the keys of a screen; any of escape, ``?`` or ``q`` closes it."""

    BINDINGS = [
        Binding("escape,question_mark,q,enter", "close", "Close", show=True),
    ]

    def __init__(self, title: str, keys: list[tuple[str, str]], intro: str = "") -> None:
        super().__init__()
        self._title = title
        self._keys = keys
        self._intro = intro

    def compose(self) -> ComposeResult:
        width = max(len(key) for key, _ in self._keys) + 2
        keys = Text()
        for key, description in self._keys:
            keys.append(f"{key:<{width}}", style="bold cyan")
            keys.append(f"{description}\n")
        keys.rstrip()
        with Vertical(id="help-box"):
            yield Static(self._title, id="help-title")
            if self._intro:
                yield Static(self._intro, id="help-intro")
            yield Static(keys, id="help-keys")
            yield Static("Press escape to close.", id="help-close")

    def action_close(self) -> None:
        self.dismiss(None)
