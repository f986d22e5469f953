"""The quality gate: checks a generated question passes before it is asked.

Each check stands for a cue a test-wise learner answers from without knowing the talk
(Millman, Bishop and Ebel's list): options that differ in kind or form, repeated or nested
options, an article that fits one option only, a header or prompt that names the answer, an
odd one out by length, an answer that stands out as the longest option or as the one the
others are variations of, a false statement that reads unlike the true one. A cue can also lie
in a talk's questions taken together (the answer is the longest option one time in two):
``choice_audit`` reports those.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from eurekatutor.domain.analysis import content_lemmas, indefinite_article
from eurekatutor.domain.models import normalise

# An option this many times longer (in words) than the shortest stands out.
MAX_LENGTH_RATIO = 3.0
# An answer this many times longer (in characters) than every wrong option, and longer by at
# least about two words, stands out.
MAX_ANSWER_LEAD = 1.2
MIN_ANSWER_LEAD_CHARS = 12
# An answer that shares this much more of its words with the other options than any wrong option
# does stands out: the wrong options were written as variations of it (summed Jaccard overlap).
MAX_CONVERGENCE_LEAD = 0.15
# The talk audit reports a cue that points to the answer this many standard deviations more
# often than chance.
AUDIT_DEVIATIONS = 2.0
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
    if answer in options and len(options) > 1:
        wrong = [option for option in options if option != answer]
        longest = max(len(option) for option in wrong)
        if len(answer) > max(MAX_ANSWER_LEAD * longest, longest + MIN_ANSWER_LEAD_CHARS):
            found.append("the answer is far the longest option")
        overlap = convergence(options)
        lead = overlap[options.index(answer)] - max(
            score for option, score in zip(options, overlap, strict=True) if option != answer
        )
        if lead > MAX_CONVERGENCE_LEAD:
            found.append("the wrong options are variations of the answer")
    if "_____" in prompt:
        found += _given_away(prompt, answer, header)
    return found


def convergence(options: Sequence[str]) -> list[float]:
    """Return, per option, how much of its wording it shares with the other options (the sum
    of the Jaccard overlaps of its content words with each other option's)."""
    words = [content_lemmas(option) for option in options]
    return [
        sum(
            len(own & other) / len(own | other)
            for index, other in enumerate(words)
            if index != at and own | other
        )
        for at, own in enumerate(words)
    ]


def choice_audit(asked: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
    """Return what a talk's choice questions, given as (answer, options), give away taken
    together: the answer is the longest option, or the one sharing the most words with the
    others, far more often than chance (each passes the gate alone; the pattern does not)."""
    cues = {
        "is the longest option": lambda options: [float(len(o)) for o in options],
        "shares the most words with the other options": convergence,
    }
    found = []
    for said, score in cues.items():
        hits = counted = 0
        expected = variance = 0.0
        for answer, options in asked:
            if answer not in options or len(options) < 2:
                continue
            scores = score(options)
            best = max(scores)
            tied = sum(math.isclose(value, best) for value in scores)
            chance = 1 / len(options)
            counted += 1
            expected += chance
            variance += chance * (1 - chance)
            hits += tied == 1 and math.isclose(scores[options.index(answer)], best)
        if variance and hits > expected + AUDIT_DEVIATIONS * math.sqrt(variance):
            found.append(
                f"the answer {said} in {hits} of {counted} choice questions"
                f" (about {round(expected)} by chance): rewrite some wrong options"
            )
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
