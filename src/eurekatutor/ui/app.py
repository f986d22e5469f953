"""The Textual application: built around an injected Tutor, it never opens a database itself."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from eurekatutor.domain.models import Talk
from eurekatutor.tutor import Tutor
from eurekatutor.ui.screens.home import HomeScreen


class EurekaApp(App[None]):
    """EurekaTutor's terminal app."""

    CSS_PATH = "app.tcss"
    TITLE = "EurekaTutor"
    BINDINGS = [Binding("ctrl+p", "command_palette", "Commands", show=False)]

    def __init__(
        self, tutor: Tutor, quiz_minutes: float | None = None, study: Talk | None = None
    ) -> None:
        """``study`` opens on studying a talk (on a quiz of it with ``quiz_minutes``), with the
        talks listed once the session ends; ``quiz_minutes`` alone opens on a quiz of the
        first talk."""
        super().__init__()
        self.tutor = tutor
        # The review screen refits the calibration while the learner reads a question.
        tutor.defer_refits = True
        self.quiz_minutes = quiz_minutes
        self.study = study

    def on_mount(self) -> None:
        if self.study is None:
            self.push_screen(HomeScreen(self.tutor, self.quiz_minutes))
            return
        from eurekatutor.sessions import Quiz
        from eurekatutor.ui.screens.review import ReviewScreen

        talk, minutes = self.study, self.quiz_minutes
        session = Quiz(self.tutor, minutes, talk.id) if minutes is not None else None
        home = HomeScreen(self.tutor)
        self.push_screen(ReviewScreen(self.tutor, talk, session), lambda _: self.push_screen(home))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Offer every action of the current screen's footer in the command palette too."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for binding in screen.BINDINGS:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            if binding.action in seen or binding.action.startswith("app."):
                continue
            seen.add(binding.action)
            yield SystemCommand(
                binding.description,
                f"{binding.description} (key: {binding.key.split(',')[0]})",
                partial(screen.run_action, binding.action),
            )
