"""Cloze deletions for quotes: the quote's best blanks, as the app's questions choose them,
marked ``{{c1::...}}``."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from eurekatutor.domain.analysis import Unit

# A word: letters or digits, with inner apostrophes or hyphens ("we're", "co-founder", "20B").
WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
SENTENCE_END = re.compile(r"[.!?…]+\s")


@dataclass(frozen=True)
class Deletion:
    """One cloze deletion: the characters ``text[start:end]`` hidden on card ``number``."""

    start: int
    end: int
    number: int


def deletions(text: str, blanks: Sequence[Unit]) -> list[Deletion]:
    """Return the cloze deletions of a quote, in text order, numbered from 1.

    ``blanks`` are the quote's units worth blanking, best first (``QuestionFactory.blanks``:
    the same blanks the app asks, which never share a word with the topic or the speaker the
    card shows beside the quote). A quote gets one deletion up to 15 words, two up to 40 and
    three beyond, each in a sentence of its own where it can. A quote with no blank at all
    hides its longest word, as Anki makes no card from a cloze note without a deletion.
    Returns ``[]`` only for a text without a word.
    """
    words = WORD.findall(text)
    if not words:
        return []
    wanted = 1 if len(words) <= 15 else 2 if len(words) <= 40 else 3

    sentences = [0] + [match.end() for match in SENTENCE_END.finditer(text)]

    def sentence(unit: Unit) -> int:
        return sum(1 for start in sentences if start <= unit.start)

    chosen: list[Unit] = []
    for pass_ in ("spread", "any"):
        for unit in blanks:
            if len(chosen) == wanted:
                break
            if unit in chosen or (
                pass_ == "spread" and sentence(unit) in {sentence(c) for c in chosen}
            ):
                continue
            chosen.append(unit)
    if not chosen:
        longest = max(WORD.finditer(text), key=lambda match: (len(match.group()), -match.start()))
        return [Deletion(longest.start(), longest.end(), 1)]
    ordered = sorted(chosen, key=lambda unit: unit.start)
    return [Deletion(unit.start, unit.end, number) for number, unit in enumerate(ordered, 1)]


def cloze(text: str, blanks: Sequence[Unit] = ()) -> str:
    """Return ``text`` as HTML with its ``deletions`` marked ``{{c1::...}}``, ``{{c2::...}}``.

    The result always holds ``{{c1::`` (Anki makes no card from a cloze note without one).
    Raises ``ValueError`` for a text without a single word.
    """
    found = deletions(text, blanks)
    if not found:
        raise ValueError(f"cannot make a cloze deletion from a text without words: {text!r}")
    parts: list[str] = []
    position = 0
    for deletion in found:
        parts.append(to_html(text[position : deletion.start]))
        hidden = to_html(text[deletion.start : deletion.end])
        parts.append(f"{{{{c{deletion.number}::{hidden}}}}}")
        position = deletion.end
    parts.append(to_html(text[position:]))
    return "".join(parts)


def to_html(text: str) -> str:
    """Return plain ``text`` as field HTML: escaped, line breaks as ``<br>``, braces as entities.

    Braces are encoded so a literal ``}}`` in a quote can never end a cloze deletion early.
    """
    escaped = html.escape(text, quote=False).replace("{", "&#123;").replace("}", "&#125;")
    return escaped.replace("\n", "<br>")
