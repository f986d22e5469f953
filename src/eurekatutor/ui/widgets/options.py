"""Answer options: numbered rows for a multiple-choice question and True/False buttons."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant

from eurekatutor.domain.questions import FALSE, TRUE

RIGHT_MARK, WRONG_MARK = "✓", "✗"


class OptionChosen(Message):
    """The learner clicked an option; ``choice`` is its text."""

    def __init__(self, choice: str) -> None:
        self.choice = choice
        super().__init__()


class OptionRow(Horizontal):
    """One option: its key (or, once answered, a mark) beside its text, which may wrap."""

    def __init__(self, key: str, choice: str, *, id: str, classes: str = "") -> None:
        super().__init__(
            Static(key, classes="option-key", markup=False),
            Static(Text(choice), classes="option-text"),
            id=id,
            classes=f"option-row {classes}".strip(),
        )
        self.choice = choice

    def on_click(self) -> None:
        self.post_message(OptionChosen(self.choice))


class AnswerOptions(Vertical):
    """The options of a multiple-choice question, numbered from 1; clicking one chooses it.

    Once answered, the right option is marked ✓, a wrong choice ✗, and the others dimmed.
    """

    DEFAULT_CSS = """
    AnswerOptions {
        height: auto;
    }
    AnswerOptions .option-row {
        height: auto;
    }
    AnswerOptions .option-row:hover {
        background: $boost;
    }
    AnswerOptions .option-key {
        width: 3;
        text-style: bold;
        color: $accent;
    }
    AnswerOptions .option-text {
        width: 1fr;
    }
    AnswerOptions .-expected .option-key, AnswerOptions .-expected .option-text {
        color: $success;
        text-style: bold;
    }
    AnswerOptions .-wrong .option-key, AnswerOptions .-wrong .option-text {
        color: $error;
    }
    AnswerOptions .-other .option-text {
        color: $text-muted;
    }
    """

    choices: reactive[tuple[str, ...]] = reactive((), recompose=True)
    # Once answered: (the option chosen, the right option).
    answered: reactive[tuple[str, str] | None] = reactive(None, recompose=True)

    def compose(self) -> ComposeResult:
        for number, choice in enumerate(self.choices, start=1):
            key, classes = str(number), ""
            if self.answered is not None:
                chosen, expected = self.answered
                if choice == expected:
                    key, classes = RIGHT_MARK, "-expected"
                elif choice == chosen:
                    key, classes = WRONG_MARK, "-wrong"
                else:
                    key, classes = " ", "-other"
            yield OptionRow(key, choice, id=f"option-{number}", classes=classes)

    def show(self, choices: Sequence[str]) -> None:
        """Replace the options with ``choices``, keyed 1, 2, 3…"""
        self.answered = None
        self.choices = tuple(choices)

    def show_verdict(self, chosen: str, expected: str) -> None:
        """Mark the right option ✓ and, if another was chosen, that one ✗; dim the rest."""
        self.answered = (chosen, expected)


class TrueFalseButtons(Horizontal):
    """The True (``t``) and False (``f``) buttons of a true-or-false question."""

    DEFAULT_CSS = """
    TrueFalseButtons {
        height: 3;
        width: 100%;
        align-horizontal: center;
    }
    TrueFalseButtons Button {
        min-width: 16;
        margin: 0 2;
    }
    """

    def compose(self) -> ComposeResult:
        # The buttons take no focus: enter and space belong to the screen, not to a button.
        buttons: tuple[tuple[str, str, ButtonVariant], ...] = (
            ("t", TRUE, "success"),
            ("f", FALSE, "error"),
        )
        for key, label, variant in buttons:
            button = Button(f"{key} {label}", id=f"truefalse-{key}", variant=variant)
            button.can_focus = False
            yield button

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(OptionChosen(TRUE if event.button.id == "truefalse-t" else FALSE))
