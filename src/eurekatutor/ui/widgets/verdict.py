"""What an answer earned: right or wrong, a diff of a typed answer, the fact and its source."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from eurekatutor.domain.models import Fact, FactKind
from eurekatutor.domain.questions import TRUE, Question, QuestionKind
from eurekatutor.scheduling.grading import DiffPart
from eurekatutor.tutor import Outcome

# How each part of a typed answer's diff is drawn: typed but not expected is struck out in red,
# expected but not typed is underlined in green.
DIFF_STYLES = {"same": "", "extra": "bold red strike", "missing": "bold green underline"}
TYPED_KINDS = frozenset({QuestionKind.CLOZE, QuestionKind.TYPED})
ROWS = ("typed", "answer", "correction", "fact", "source")
LABELS = {
    "typed": "You typed",
    "answer": "Answer",
    "correction": "Actually",
    "fact": "Fact",
    "source": "Source",
}


def headline(question: Question, outcome: Outcome) -> Text:
    """Return the first line of a verdict: right or wrong, and why it was accepted."""
    if question.kind is QuestionKind.TRUEFALSE:
        truth = "true" if outcome.expected == TRUE else "false"
        if outcome.correct:
            return Text(f"✓ Right: the statement is {truth}.", style="bold green")
        return Text(f"✗ Wrong: the statement is {truth}.", style="bold red")
    if outcome.verdict.forgiven:
        return Text("✓ Right, accepted despite a typo.", style="bold yellow")
    if outcome.correct:
        return Text("✓ Right.", style="bold green")
    return Text("✗ Not quite.", style="bold red")


def diff_text(parts: Iterable[DiffPart], side: Literal["typed", "expected"]) -> Text:
    """Return one side of a typed answer's word diff against the expected answer.

    ``side`` is ``typed`` (the words typed, those not expected struck out in red) or
    ``expected`` (the expected words, those not typed underlined in green).
    """
    shown = {"typed": ("same", "extra"), "expected": ("same", "missing")}[side]
    text = Text()
    for part in parts:
        if part.kind in shown:
            if text:
                text.append(" ")
            text.append(part.text, style=DIFF_STYLES.get(part.kind, ""))
    return text if text else Text("(nothing)", style="dim")


def fact_text(fact: Fact) -> Text:
    """Return the whole fact as the notes give it: a sequence's items numbered, in order."""
    if fact.kind is FactKind.SEQUENCE and fact.items:
        lines = [f"{fact.cue}:"] if fact.cue else []
        lines += [f"{number}. {item}" for number, item in enumerate(fact.items, start=1)]
        return Text("\n".join(lines))
    if fact.kind is FactKind.QUOTE:
        return Text(f"“{fact.text}” ({fact.speaker or 'the speaker'})")
    if fact.cue:
        return Text(f"{fact.cue.rstrip(' ?:')}: {fact.text}")
    return Text(fact.text)


def verdict_rows(question: Question, outcome: Outcome) -> dict[str, Text | None]:
    """Return the text of each verdict row, ``None`` for a row this answer does not show."""
    expected = outcome.expected
    # True/false says the answer in its headline, order in the numbered fact, and a right
    # choice is already marked among the options.
    shows_answer = question.kind in TYPED_KINDS or (
        question.kind is QuestionKind.CHOICE and not outcome.correct
    )
    answer = Text(expected, style="bold") if shows_answer and isinstance(expected, str) else None
    typed = question.kind in TYPED_KINDS
    if typed:
        answer = diff_text(outcome.verdict.diff, "expected")
    # The correction of a false statement is the fact itself, told as the statement was;
    # only a sequence is worth showing again, numbered.
    correction = Text(outcome.correction) if outcome.correction else None
    fact: Text | None = fact_text(question.fact)
    if correction is not None and question.fact.kind is not FactKind.SEQUENCE:
        fact = None
    return {
        "typed": diff_text(outcome.verdict.diff, "typed") if typed else None,
        "answer": answer,
        "correction": correction,
        "fact": fact,
        "source": Text(str(question.source)),
    }


class VerdictPanel(Vertical):
    """Shows the verdict on an answer, one labelled row per detail."""

    DEFAULT_CSS = """
    VerdictPanel {
        height: auto;
    }
    VerdictPanel .verdict-row {
        height: auto;
    }
    VerdictPanel .verdict-label {
        width: 11;
        color: $text-muted;
    }
    VerdictPanel .verdict-value {
        width: 1fr;
    }
    VerdictPanel #verdict-legend {
        margin-left: 11;
        color: $text-muted;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="verdict-headline")
        for name in ROWS:
            with Horizontal(id=f"verdict-{name}-row", classes="verdict-row"):
                yield Static(LABELS[name], classes="verdict-label")
                yield Static("", id=f"verdict-{name}", classes="verdict-value")
            if name == "typed":
                yield Static(
                    Text.assemble(
                        ("struck", "red strike"),
                        ": not in the answer · ",
                        ("underlined", "green underline"),
                        ": missing from yours",
                    ),
                    id="verdict-legend",
                )

    def show(self, question: Question, outcome: Outcome) -> None:
        """Fill the rows for ``outcome``, the answer to ``question``."""
        self.query_one("#verdict-headline", Static).update(headline(question, outcome))
        for name, text in verdict_rows(question, outcome).items():
            self.query_one(f"#verdict-{name}-row").display = text is not None
            self.query_one(f"#verdict-{name}", Static).update(text or "")
        differs = any(part.kind != "same" for part in outcome.verdict.diff)
        self.query_one("#verdict-legend").display = question.kind in TYPED_KINDS and differs
