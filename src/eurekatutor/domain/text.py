"""Text helpers for questions and answers: stop words, numbers and folding an answer."""

from __future__ import annotations

import re

from eurekatutor.domain.models import normalise

# Words that never make a blank or an answer's meaning: function words and spoken filler.
STOP_WORDS = frozenset(
    """
    a about above actually after again against all almost also am an and any anyway are aren't
    as at basically be because been before being below between both but by call called calls can
    can't cannot certainly could couldn't course definitely did didn't do does doesn't doing
    don't down during each either else end ends especially even ever every exactly feel feels
    few for from further get gets getting going gonna got guess had hadn't has hasn't have
    haven't having he he'd he'll he's her here here's hers herself him himself his how how's i
    i'd i'll i'm i've if in instead into is isn't it it's its itself just kind know knows least
    less let's like literally lot lots made make makes many may maybe me mean might more most
    much must mustn't my myself need needs no nor not now of off often ok okay on once one only
    or other ought our ours ourselves out over own people per pretty probably put puts quite
    rather really right same say saying says see seen shall shan't she she'd she'll she's should
    shouldn't since so some something sort still stuff such sure take takes than that that's the
    their theirs them themselves then there there's these they they'd they'll they're they've
    thing things think thinks this those though thought through to today too took totally under
    until up upon us use used uses very via wanna want wanted wants was wasn't way ways we we'd
    we'll we're we've well were weren't what what's whatever when when's where where's whether
    which while who who's whom whose why why's will with within without won't would wouldn't
    yeah yes yet you you'd you'll you're you've your yours yourself yourselves
    """.split()
)
ARTICLES = frozenset({"a", "an", "the"})
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}  # fmt: skip
SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "b": 1e9,
    "bn": 1e9, "trillion": 1e12, "t": 1e12,
}  # fmt: skip


def parse_number(text: str) -> float | None:
    """Return the number a short answer states (``"about 10"``, ``"20B"``, ``"a billion"``).

    Returns ``None`` when the text states no single number.
    """
    folded = text.casefold().replace(",", "")
    tokens = re.findall(r"\d+(?:\.\d+)?[a-z]*|[a-z]+", folded)
    value: float | None = None
    for token in tokens:
        match = re.fullmatch(r"(\d+(?:\.\d+)?)([a-z]*)", token)
        if match:
            if value is not None:
                return None
            value = float(match.group(1))
            # A scale suffix multiplies ("20B"); any other suffix is a unit ("10x", "5th").
            value *= SCALES.get(match.group(2), 1.0)
        elif token in NUMBER_WORDS:
            value = (value or 0) + NUMBER_WORDS[token] if token != "hundred" else (value or 1) * 100
        elif token in SCALES and len(token) > 1:
            value = (value or 1) * SCALES[token]
    return value


def fold_answer(text: str) -> str:
    """Return an answer folded for lenient comparison: no case, punctuation or articles.

    Articles stay when nothing else would (an answer that is just "A").
    """
    folded = normalise(text).split()
    return " ".join(word for word in folded if word not in ARTICLES) or " ".join(folded)


# Terminal escape sequences (OSC such as a title or the clipboard, CSI such as clearing the
# screen, two-byte ESC sequences, and their 8-bit forms), then any other control character
# but tab and newline (C0, DEL and C1).
_ESCAPES = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b\[[0-?]*[ -/]*[@-~]?|\x1b[@-Z\\-_]?"
    r"|\x9b[0-?]*[ -/]*[@-~]?|\x9d[^\x07\x9c]*(?:\x07|\x9c)?"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """Return ``text`` without terminal escape sequences or control characters (tab and
    newline kept): stored text must never drive the user's terminal."""
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def shown_plain(text: str) -> str:
    """Return text safe to print to a terminal: control characters shown as ``\\xNN``, not
    obeyed (tab and newline kept)."""
    return _CONTROLS.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
