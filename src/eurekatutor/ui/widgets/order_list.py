"""A list of items to put in order: highlight one, move it up or down, enter to check."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

CURSOR, RIGHT_MARK, WRONG_MARK = "▸", "✓", "✗"
SELECT = Binding.Group("Select")
MOVE = Binding.Group("Move")


class OrderRow(Horizontal):
    """One item in its current position; clicking it highlights it."""

    class Clicked(Message):
        """The learner clicked the row at ``index``."""

        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    def __init__(self, index: int, mark: str, item: str, classes: str) -> None:
        super().__init__(
            Static(f"{mark} {index + 1}.", classes="order-number", markup=False),
            Static(Text(item), classes="order-text"),
            id=f"order-{index + 1}",
            classes=f"order-row {classes}".strip(),
        )
        self.index = index

    def on_click(self) -> None:
        self.post_message(self.Clicked(self.index))


class OrderList(Vertical, can_focus=True):
    """The items of a sequence in the learner's current order.

    ``up``/``down`` highlight an item, ``shift+up``/``shift+down`` (or ``[``/``]``) move it, and
    ``enter`` posts ``OrderList.Submitted`` with the items in the chosen order. Once checked,
    each position is marked right or wrong and the list no longer changes.
    """

    BINDINGS = [
        Binding("up", "highlight(-1)", "Previous item", group=SELECT, key_display="↑"),
        Binding("down", "highlight(1)", "Next item", group=SELECT, key_display="↓"),
        Binding(
            "shift+up,left_square_bracket", "move(-1)", "Move up", group=MOVE, key_display="⇧↑"
        ),
        Binding(
            "shift+down,right_square_bracket", "move(1)", "Move down", group=MOVE, key_display="⇧↓"
        ),
        Binding("enter", "submit", "Check"),
    ]

    DEFAULT_CSS = """
    OrderList {
        height: auto;
    }
    OrderList .order-row {
        height: auto;
    }
    OrderList .order-number {
        width: 5;
        color: $text-muted;
    }
    OrderList .order-text {
        width: 1fr;
    }
    OrderList:focus .-cursor {
        background: $accent 30%;
    }
    OrderList .-cursor .order-number, OrderList .-cursor .order-text {
        text-style: bold;
        color: $text;
    }
    OrderList .-right .order-number, OrderList .-right .order-text {
        color: $success;
    }
    OrderList .-wrong .order-number, OrderList .-wrong .order-text {
        color: $error;
    }
    """

    items: reactive[tuple[str, ...]] = reactive((), recompose=True)
    cursor: reactive[int] = reactive(0, recompose=True)
    # Once checked: for each position, whether its item is in the right place.
    marks: reactive[tuple[bool, ...] | None] = reactive(None, recompose=True)

    class Submitted(Message):
        """The learner asked to check this order."""

        def __init__(self, items: list[str]) -> None:
            self.items = items
            super().__init__()

    def compose(self) -> ComposeResult:
        for index, item in enumerate(self.items):
            if self.marks is not None:
                right = self.marks[index]
                mark, classes = (RIGHT_MARK, "-right") if right else (WRONG_MARK, "-wrong")
            elif index == self.cursor:
                mark, classes = CURSOR, "-cursor"
            else:
                mark, classes = " ", ""
            yield OrderRow(index, mark, item, classes)

    def show(self, items: Sequence[str]) -> None:
        """Start over with ``items`` in this order, the first one highlighted."""
        self.marks = None
        self.cursor = 0
        self.items = tuple(items)

    def show_result(self, expected: Sequence[str]) -> None:
        """Mark each position right or wrong against ``expected``; the list stops changing."""
        self.marks = tuple(
            item == wanted for item, wanted in zip(self.items, expected, strict=False)
        )

    @property
    def checked(self) -> bool:
        """Whether the order has been checked (and is no longer editable)."""
        return self.marks is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Nothing moves once the order has been checked."""
        if action in ("highlight", "move", "submit"):
            return bool(self.items) and not self.checked
        return True

    def action_highlight(self, step: int) -> None:
        if self.items and not self.checked:
            self.cursor = (self.cursor + step) % len(self.items)
            self._keep_cursor_visible()

    def action_move(self, step: int) -> None:
        target = self.cursor + step
        if self.checked or not 0 <= target < len(self.items):
            return
        items = list(self.items)
        items[self.cursor], items[target] = items[target], items[self.cursor]
        self.items = tuple(items)
        self.cursor = target
        self._keep_cursor_visible()

    def action_submit(self) -> None:
        if self.items and not self.checked:
            self.post_message(self.Submitted(list(self.items)))

    @on(OrderRow.Clicked)
    def _clicked(self, event: OrderRow.Clicked) -> None:
        event.stop()
        if not self.checked:
            self.cursor = event.index
            self.focus()

    def _keep_cursor_visible(self) -> None:
        def scroll() -> None:
            for row in self.query(".-cursor"):
                row.scroll_visible(animate=False)

        self.call_after_refresh(scroll)
