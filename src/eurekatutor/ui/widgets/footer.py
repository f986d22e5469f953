"""A footer that rebuilds its keys only when the keys on offer change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

Keys = tuple[tuple[str, str, str, bool, str], ...]


class KeysFooter(Footer):
    """Textual's footer, rebuilt at most once per refresh and only when its keys change.

    Answering a question changes the state of the screen several times in a row (the answer
    is sent, the focus moves, the next question arrives), and Textual's footer rebuilds every
    key for each change: that cost more than all the rest of the way to the next question.
    """

    _rebuild_pending = False
    _shown: tuple[bool, Keys] | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self._rebuild_pending:
            return
        super().bindings_changed(screen)
        # The footer schedules a rebuild only when the app has the focus and it is on screen.
        self._rebuild_pending = screen.app.app_focus and self.is_attached and screen is self.screen

    async def recompose(self) -> None:
        # A change from here on is not in this rebuild's keys: it schedules another one.
        self._rebuild_pending = False
        if not self.is_attached:
            return  # its screen was closed since the rebuild was scheduled
        shown = (self.compact, self._keys())
        if shown == self._shown:
            return
        self._shown = shown
        await super().recompose()

    def _keys(self) -> Keys:
        """Return the keys the footer shows: what compose reads from the screen's bindings."""
        return tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show
        )
