"""The footer: the keys on offer for what is on screen, drawn as one line."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class KeySpot:
    """Where a key is drawn on the footer's line: a click there presses it."""

    start: int
    end: int
    key: str
    enabled: bool


class KeysFooter(Widget):
    """The keys the screen's bindings offer, as Textual's ``Footer`` shows them: each key and
    what it does (a group's keys share their group's description), a key that does nothing
    now dimmed, and the command palette's key on the right. A click on a key presses it.

    Textual's footer is a widget per key, and it builds them all again whenever the keys on
    offer change. On the review screen they change at every step of every answer, and that
    rebuilding was more than half of the time from a key to the next question. This footer is
    one widget: a change of keys only redraws its line.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"keys-footer--key", "keys-footer--description", "keys-footer--rule"}
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .keys-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .keys-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .keys-footer--rule {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.spots: list[KeySpot] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._keys_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _keys_changed(self, _screen: Screen[object]) -> None:
        self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keys-footer--key")
        description_style = self.get_component_rich_style("keys-footer--description")
        line = Text(no_wrap=True, overflow="crop")
        spots: list[KeySpot] = []

        def add_key(binding: Binding, enabled: bool, text: str, description: str = "") -> None:
            start = len(line)
            dim = Style(dim=not enabled)
            line.append(text, key_style + dim)
            if description:
                line.append(f"{description} ", description_style + dim)
            spots.append(KeySpot(start, len(line), binding.key, enabled))

        # The keys shown, in order, each with whether it does something now: the first
        # binding shown of each action.
        active = self.screen.active_bindings
        by_action: dict[str, tuple[Binding, bool]] = {}
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show:
                by_action.setdefault(binding.action, (binding, enabled))
        for group, entries in groupby(by_action.values(), lambda entry: entry[0].group):
            listed = list(entries)
            if group is not None and len(listed) > 1:
                # A group's keys side by side, then what they do.
                line.append(" ")
                for binding, enabled in listed:
                    add_key(binding, enabled, f"{self.app.get_key_display(binding)} ")
                line.append(f"{group.description} ", description_style)
            else:
                for binding, enabled in listed:
                    display = f" {self.app.get_key_display(binding)} "
                    add_key(binding, enabled, display, binding.description)
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            # On the right, after a rule; the keys on the left make room for it.
            _node, binding, enabled, _tooltip = palette
            display = f"{self.app.get_key_display(binding)} "
            room = max(0, self.size.width - len(display) - len(binding.description) - 2)
            line.truncate(room, pad=True)
            spots[:] = [spot for spot in spots if spot.end <= room]
            line.append("▏", self.get_component_rich_style("keys-footer--rule"))
            add_key(binding, enabled, display, binding.description)
        self.spots = spots
        return line

    def on_click(self, event: events.Click) -> None:
        spot = next((spot for spot in self.spots if spot.start <= event.x < spot.end), None)
        if spot is None:
            return
        if spot.enabled:
            self.app.simulate_key(spot.key)
        else:
            self.app.bell()
