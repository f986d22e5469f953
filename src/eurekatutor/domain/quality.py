"""The quality gate: checks a generated question passes before it is asked.

Each check stands for a cue a test-wise learner answers from without knowing the talk
(Millman, Bishop and Ebel's list): options that differ in kind or form, repeated or nested
options, an article that fits one option only, a header or prompt that names the answer, an
odd one out by length, a false statement that reads unlike the true one.
"""

from __future__ import annotations

import re

from eurekatutor.domain.analysis import content_lemmas, indefinite_article
from eurekatutor.domain.models import normalise

# An option this many times longer (in words) than the shortest stands out.
MAX_LENGTH_RATIO = 3.0
# A false statement this much longer or shorter than the true one stands out.
MAX_STATEMENT_CHANGE = 0.35
# At most this many words differ when a false statement changes a value or a word in place.
SMALL_CHANGE = 4


def choice_findings(prompt: str, answer: str, options: list[str], header: str) -> list[str]:
    """Return what is wrong with a multiple-choice question (``[]`` when it passes)."""
    found: list[str] = []
    folded = [normalise(option) for option in options]
    if len(set(folded)) < len(folded) or not all(folded):
        found.append("two options are the same")
    for one in folded:
        if any(one != other and re.search(rf"\b{re.escape(one)}\b", other) for other in folded):
            found.append(f"an option is part of another: {one!r}")
            break
    article = re.search(r"\b(a|an)\s+_____", prompt, flags=re.IGNORECASE)
    if article is not None:
        fitting = [o for o in options if indefinite_article(o) == article.group(1).lower()]
        if len(fitting) < len(options):
            found.append(f"the article {article.group(1)!r} fits only some options")
    sizes = [len(option.split()) for option in options]
    if max(sizes) > MAX_LENGTH_RATIO * min(sizes) and max(sizes) - min(sizes) > 2:
        found.append("one option is far longer than another")
    if "_____" in prompt:
        found += _given_away(prompt, answer, header)
    return found


def statement_findings(truth: str, falsehood: str, header: str) -> list[str]:
    """Return what is wrong with a true/false pair (``[]`` when it passes)."""
    found: list[str] = []
    if normalise(truth) == normalise(falsehood):
        found.append("the false statement says the same as the true one")
    change = abs(len(falsehood.split()) - len(truth.split())) / max(1, len(truth.split()))
    if change > MAX_STATEMENT_CHANGE:
        found.append("the false statement's length differs from the true one's")
    changed = content_lemmas(truth) ^ content_lemmas(falsehood)
    # A value or a word changed in place: the header must not name it. (A misconception
    # written anew changes most words; a topic word among them tells nothing.)
    if len(changed) <= SMALL_CHANGE and changed & content_lemmas(header):
        found.append("the header names what the statement changes")
    return found


def cloze_findings(prompt: str, answer: str, header: str) -> list[str]:
    """Return what is wrong with a fill-in-the-blank question (``[]`` when it passes)."""
    return _given_away(prompt, answer, header)


def _given_away(prompt: str, answer: str, header: str) -> list[str]:
    lemmas = content_lemmas(answer)
    if not lemmas:
        return ["the blank holds no word that carries meaning"]
    found = []
    if lemmas & content_lemmas(header):
        found.append("the header names the answer")
    if lemmas <= content_lemmas(prompt.replace("_____", " ")):
        found.append("the rest of the question names the answer")
    return found
