"""The footer: a key that does nothing now is dimmed, and a click on it only rings the bell."""

from __future__ import annotations

from rich.style import Style
from textual.app import App, ComposeResult
from textual.binding import Binding

from eurekatutor.ui.widgets.footer import KeysFooter


class Counter(App[None]):
    BINDINGS = [
        Binding("a", "add", "Add"),
        Binding("z", "zero", "Zero"),
        Binding("h", "add", "Hidden", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.bells = 0

    def compose(self) -> ComposeResult:
        yield KeysFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "zero" and not self.count else True

    def action_add(self) -> None:
        self.count += 1
        self.refresh_bindings()

    def action_zero(self) -> None:
        self.count = 0
        self.refresh_bindings()

    def bell(self) -> None:
        self.bells += 1


async def test_a_dimmed_key_rings_the_bell_and_a_live_one_is_pressed() -> None:
    app = Counter()
    async with app.run_test(size=(60, 5)) as pilot:
        footer = app.query_one(KeysFooter)
        line = footer.render()
        assert line.plain.startswith(" a Add  z Zero ") and "Hidden" not in line.plain
        add, zero = footer.spots[:2]
        assert (add.key, add.enabled, zero.key, zero.enabled) == ("a", True, "z", False)
        dimmed = {
            span.start for span in line.spans if isinstance(span.style, Style) and span.style.dim
        }
        assert zero.start in dimmed and add.start not in dimmed
        await pilot.click(KeysFooter, offset=(zero.start + 1, 0))
        assert (app.count, app.bells) == (0, 1)
        await pilot.click(KeysFooter, offset=(add.start + 1, 0))
        await pilot.click(KeysFooter, offset=(add.end - 1, 0))
        await pilot.pause()
        assert app.count == 2
        footer.render()
        assert footer.spots[1].enabled
        await pilot.click(KeysFooter, offset=(footer.spots[1].start + 1, 0))
        await pilot.pause()
        assert (app.count, app.bells) == (0, 1)
        # Between the keys, a click presses nothing.
        await pilot.click(KeysFooter, offset=(40, 0))
        assert (app.count, app.bells) == (0, 1)
