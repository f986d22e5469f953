"""Parse a talk's Markdown notes (our own format or a foreign summary) into facts."""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import urlsplit

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from yaml.reader import ReaderError

from eurekatutor.domain.models import (
    Fact,
    FactKind,
    ParsedNotes,
    SourceRef,
    TalkMeta,
    fact_key,
    normalise,
    slugify,
)
from eurekatutor.domain.reading import NotARegularFile, read_limited
from eurekatutor.domain.text import strip_controls
from eurekatutor.errors import NotesError, Problem

__all__ = ["GENERAL_TOPIC", "MAX_NOTES_BYTES", "parse_notes", "read_notes"]

GENERAL_TOPIC = "General"
_CONTROLS_REMOVED = (
    "removed control characters or terminal escape sequences, which could drive the terminal"
)
# Real notes are tens of kilobytes (a three-hour transcript is about 160 KB). markdown-it-py needs
# one to fourteen seconds per megabyte depending on the text, so a cap keeps any import, even of
# a mistaken or hostile file, to a few seconds.
MAX_NOTES_BYTES = 256 * 1024

_SHORT_ITEM_WORDS = 12  # items under a label this short are collected into one claim
_LABEL_WORDS = 10  # a plain "…:" paragraph longer than this introduces rather than labels
_MIN_SENTENCE_WORDS = 6
_MAX_LEAD_WORDS = 12

# Setext headings are off: foreign summaries put `---` right under a paragraph as a rule.
_MD = MarkdownIt("commonmark").disable("lheading").enable("table")
# A list item and its list take two of markdown-it's nesting levels.
_MAX_LIST_DEPTH = (_MD.options.maxNesting - 1) // 2
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_MARKER_RE = re.compile(r"(?i)(main|claim|number|sequence)\s*:\s*")
# What an author writes under a fact for its questions: wrong options and false statements.
_AUTHORED_RE = re.compile(r"(?i)(wrong|false)\s*:\s*")
# The fewest wrong options a multiple-choice question needs.
_WRONG_OPTIONS = 3
_QUOTE_MARKER_RE = re.compile(r"(?i)quote\s*(?:\(([^()]{1,80})\))?\s*:\s*")
# `**Key quote:**`, `**Best quote:**` read like `**Quote:**`.
_QUOTE_LEAD_RE = re.compile(r"(?i)(?:[\w’'-]+ ){1,2}quote")
_PLAIN_META_RE = re.compile(
    r"(?i)(date|url|video url|source|speakers?|guests?|hosts?|podcast|channel)\s*:\s*"
)
_URL_RE = re.compile(r"https?://\S+")
_LIST_LINE_RE = re.compile(r"(?:\d{1,9}[.)]|[-*+])\s+")
_PART_RE = re.compile(r"(?i)(?:part|section|chapter)\s+(?:\d+|[ivx]+)\s*[.:)—–-]?\s*")
_NUMBER_RE = re.compile(r"\d{1,4}(?:\.\d{1,4})*(?:[.)]|\s*[:—–-])\s*")
_ROMAN_RE = re.compile(r"[IVX]{1,5}[.)]\s+")
_ATTRIBUTION_RE = re.compile(r"(?:—|–|―|--|-|~)\s*(\S.*)")
_AD_RE = re.compile(
    r"(?i)\b(?:sponsor\w*|subscrib\w*|newsletter\w*|promo(?:tion(?:al)?)? codes?|"
    r"discount codes?|affiliate\w*)\b"
)

# Summaries open with sentences about themselves ("This document summarizes..."): not knowledge.
_SELF_REFERENCE_RE = re.compile(
    r"(?i)(?:this|the) (?:document|summary|article|post|write-?up|page|piece|video|episode)"
    r" (?:summari[sz]es|covers|describes|discusses|explores|outlines|is about)\b"
)
_FOLLOW_UP_RE = re.compile(r"(?i)it (?:also )?(?:covers|summari[sz]es|discusses|explores)\b")

_CLOSERS = "\"”’')]*_"
_OPENERS = "\"“‘'([*_"
_QUOTE_PAIRS = {'"': '"', "“": "”", "„": "“", "«": "»", "‘": "’", "'": "'"}
_ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "vs", "mr", "mrs", "ms", "dr", "prof", "st", "fig", "no", "u.s", "u.k"}
    | {"inc", "ltd", "jr", "sr", "approx", "cf", "al"}
)
_PARTICLES = frozenset({"van", "von", "der", "de", "den", "da", "di", "du", "la", "le", "bin"})
# Bold lead-ins in a blockquote that are callouts or labels, not the name of who speaks.
_NOT_NAMES = frozenset(
    {"note", "tip", "warning", "important", "caution", "info", "quote", "summary", "example"}
    | {"update", "edit", "source", "context", "takeaway", "key takeaway", "insight", "goal"}
    | {"key insight", "core view", "vision", "question", "answer", "q", "a", "tldr", "tl dr"}
    | {"main", "claim", "number", "sequence", "description", "overview", "conclusion"}
)
# First words that make `X Y: Title` a titled heading rather than `Name: Title`.
_NOT_NAME_FIRST_WORDS = frozenset(
    {"the", "a", "an", "summary", "notes", "part", "chapter", "episode", "key", "on", "how"}
    | {"why", "what", "lecture", "talk", "podcast", "interview", "transcript", "my", "our"}
)
_HOST_ALIASES = {"youtu.be": "youtube.com"}
_META_KEYS = {
    "date": "date",
    "published": "date",
    "recorded": "date",
    "url": "source",
    "video url": "source",
    "video": "source",
    "source": "source",
    "link": "source",
    "youtube": "source",
    "speaker": "speaker",
    "speakers": "speaker",
    "guest": "speaker",
    "guests": "speaker",
    "host": "host",
    "hosts": "host",
    "interviewer": "host",
}


# --- lines and blocks -------------------------------------------------------------------------


@dataclass
class _Segment:
    text: str
    strong: bool
    in_link: bool


@dataclass
class _RawLine:
    segments: list[_Segment] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)


@dataclass
class _Line:
    """One source line of inline text, with Markdown removed and its bold lead-in split off."""

    number: int
    text: str
    lead: str | None = None
    rest: str = ""
    colon: bool = False  # the lead-in ends in ':' (a label), rather than being a bold title line
    links: tuple[str, ...] = ()  # targets of Markdown links
    urls: tuple[str, ...] = ()  # bare URLs written in the text
    link_only: bool = False
    rest_link_only: bool = False
    bullet: bool = False


@dataclass
class _Block:
    """A heading, paragraph unit, list item, blockquote, rule or table row, in file order."""

    kind: str
    line: int
    lines: list[_Line] = field(default_factory=list)
    level: int = 0
    depth: int = -1
    list_id: int = -1
    segment: int = 0
    cells: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return _clean(" ".join(line.text for line in self.lines))

    @property
    def lead(self) -> str | None:
        return self.lines[0].lead if self.lines else None

    @property
    def rest(self) -> str:
        """The text after the bold lead-in (the whole text when there is none)."""
        if not self.lines or self.lines[0].lead is None:
            return self.text
        parts = [self.lines[0].rest, *(line.text for line in self.lines[1:])]
        return _clean(" ".join(parts))

    @property
    def marker_text(self) -> str:
        """The text with a bold lead-in written back as ``Lead: rest``, to find markers in."""
        if self.lines and self.lines[0].lead is not None and self.lines[0].colon:
            lead = self.lines[0].lead
            return f"{'Quote' if _QUOTE_LEAD_RE.fullmatch(lead) else lead}: {self.rest}"
        return self.text


def _clean(text: str) -> str:
    return " ".join(text.split())


def _words(text: str) -> int:
    return sum(1 for word in text.split() if any(ch.isalnum() for ch in word))


def _has_alnum(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _outside_text(segment: _Segment) -> bool:
    """Whether a segment has words of its own: not link text, not a bare URL."""
    return not segment.in_link and _has_alnum(_URL_RE.sub("", segment.text))


def _walk_inline(children: Sequence[Token]) -> list[_RawLine]:
    lines = [_RawLine()]
    strong = 0
    link_depth = 0
    autolink = False
    for child in children:
        kind = child.type
        if kind in ("softbreak", "hardbreak"):
            lines.append(_RawLine())
            continue
        current = lines[-1]
        if kind == "strong_open":
            strong += 1
        elif kind == "strong_close":
            strong = max(0, strong - 1)
        elif kind == "link_open":
            href = child.attrGet("href")
            if isinstance(href, str):
                current.links.append(href)
            link_depth += 1
            autolink = child.markup in ("autolink", "linkify")
        elif kind == "link_close":
            link_depth = max(0, link_depth - 1)
            autolink = False
        elif kind in ("text", "text_special", "code_inline") and not autolink:
            if link_depth == 0:
                current.urls.extend(
                    url.rstrip(".,;:!?)]\"”’'") for url in _URL_RE.findall(child.content)
                )
            current.segments.append(_Segment(child.content, strong > 0, link_depth > 0))
    return lines


def _lead_in(segments: list[_Segment]) -> tuple[str, str, bool, bool] | None:
    """Split a bold lead-in off a line: ``(lead, rest, colon, rest_link_only)`` or None."""
    start = 0
    while start < len(segments) and not segments[start].strong and not segments[start].text.strip():
        start += 1
    if start == len(segments) or not segments[start].strong:
        return None
    end = start
    while end < len(segments) and segments[end].strong:
        end += 1
    label = _clean("".join(segment.text for segment in segments[start:end]))
    after_segments = segments[end:]
    after = "".join(segment.text for segment in after_segments)
    if label.endswith(":"):
        lead, rest, colon = label[:-1].strip(), after, True
    elif after.lstrip().startswith(":"):
        lead, rest, colon = label, after.lstrip()[1:], True
    elif not after.strip():
        lead, rest, colon = label.rstrip(":").strip(), "", False
    else:
        return None
    if not _has_alnum(lead) or _words(lead) > _MAX_LEAD_WORDS:
        return None
    outside = any(_outside_text(segment) for segment in after_segments)
    linked = any(_has_alnum(segment.text) for segment in after_segments)
    return lead, _clean(rest), colon, linked and not outside


def _make_line(raw: _RawLine, number: int) -> _Line:
    text = _clean("".join(segment.text for segment in raw.segments))
    outside = any(_outside_text(segment) for segment in raw.segments)
    line = _Line(
        number=number,
        text=text,
        links=tuple(raw.links),
        urls=tuple(raw.urls),
        link_only=bool(raw.links or raw.urls) and not outside,
    )
    split = _lead_in(raw.segments)
    if split is not None:
        line.lead, line.rest, line.colon, line.rest_link_only = split
    return line


def _inline_lines(token: Token, first_line: int) -> list[_Line]:
    """Return the lines of an inline token, numbered from ``first_line``."""
    source_lines = token.content.split("\n")
    raw_lines = _walk_inline(token.children or [])
    if len(raw_lines) != len(source_lines):
        # A code span or HTML tag across lines hides a break; parse line by line so that the
        # line numbers stay right.
        raw_lines = []
        for source in source_lines:
            parsed = _MD.parseInline(source)
            walked = _walk_inline(parsed[0].children or []) if parsed else [_RawLine()]
            merged = _RawLine()
            for part in walked:
                merged.segments.extend(part.segments)
                merged.links.extend(part.links)
                merged.urls.extend(part.urls)
            raw_lines.append(merged)
    return [_make_line(raw, first_line + index) for index, raw in enumerate(raw_lines)]


def _starts_unit(line: _Line) -> bool:
    """Whether a line inside a paragraph starts a new fact rather than continuing one."""
    if line.lead is not None or line.link_only:
        return True
    text = line.text
    return bool(
        _MARKER_RE.match(text) or _QUOTE_MARKER_RE.match(text) or _PLAIN_META_RE.match(text)
    )


def _split_units(lines: list[_Line]) -> list[list[_Line]]:
    # Foreign summaries rarely leave blank lines: `**Goal:**` under a bullet is a new paragraph.
    units: list[list[_Line]] = []
    for line in lines:
        if not units or _starts_unit(line):
            units.append([line])
        else:
            units[-1].append(line)
    return units


def _blocks(tokens: Sequence[Token]) -> list[_Block]:
    """Flatten markdown-it's token stream into blocks in file order."""
    blocks: list[_Block] = []
    lists: list[int] = []
    list_count = 0
    quote: _Block | None = None
    quote_depth = 0
    quote_items = 0
    item: _Block | None = None
    segment = 0
    row: list[str] | None = None
    row_line = 0
    in_head = False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        line = token.map[0] + 1 if token.map else (blocks[-1].line if blocks else 1)
        if kind == "heading_open" and index + 1 < len(tokens):
            lines = _inline_lines(tokens[index + 1], line)
            if quote is not None and quote_depth:
                quote.lines.extend(lines)
            else:
                segment += 1
                level = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
                blocks.append(_Block("heading", line, lines, level=level, segment=segment))
            index += 3
            continue
        if kind == "hr":
            segment += 1
            blocks.append(_Block("rule", line, segment=segment))
        elif kind in ("bullet_list_open", "ordered_list_open"):
            list_count += 1
            lists.append(list_count)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            if lists:
                lists.pop()
        elif kind == "list_item_open":
            if quote_depth:
                quote_items += 1
            else:
                item = _Block(
                    "item", line, depth=len(lists) - 1, list_id=lists[-1] if lists else -1
                )
                item.segment = segment
                blocks.append(item)
        elif kind == "list_item_close":
            if quote_depth:
                quote_items = max(0, quote_items - 1)
            item = None
        elif kind == "blockquote_open":
            if not quote_depth:
                quote = _Block("quote", line, segment=segment)
                blocks.append(quote)
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth = max(0, quote_depth - 1)
        elif kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row, row_line = [], line
        elif kind == "tr_close":
            if row is not None and not in_head and not quote_depth and len(row) >= 2:
                blocks.append(_Block("row", row_line, segment=segment, cells=tuple(row)))
            row = None
        elif kind == "inline":
            lines = _inline_lines(token, line)
            if row is not None:
                row.append(_clean(" ".join(part.text for part in lines)))
            elif quote is not None and quote_depth:
                for part in lines:
                    part.bullet = quote_items > 0
                quote.lines.extend(lines)
            else:
                units = _split_units(lines)
                first_of_item = (
                    item is not None
                    and not item.lines
                    and index >= 2
                    and tokens[index - 2].type == "list_item_open"
                )
                depth = len(lists) - 1
                for number, unit in enumerate(units):
                    if number == 0 and first_of_item and item is not None:
                        item.lines = unit
                    else:
                        blocks.append(
                            _Block("para", unit[0].number, unit, depth=depth, segment=segment)
                        )
        index += 1
    return blocks


def _too_deep(tokens: Sequence[Token]) -> int | None:
    """Return the line of the first list item or quote too deeply nested to be read, if any.

    Past ``maxNesting`` levels markdown-it skips the rest of the container without a word, and
    for a list item that is the rest of the file; the notes would silently lose it.
    """
    limit = _MD.options.maxNesting
    for token in tokens:
        if (
            token.type in ("list_item_open", "blockquote_open")
            and token.level + 1 >= limit
            and token.map
        ):
            return token.map[0] + 1
    return None


# --- small text helpers -----------------------------------------------------------------------


def _strip_comments(text: str) -> tuple[str, int | None]:
    """Remove HTML comments, keeping their line breaks; return the line of an unclosed one."""
    parts: list[str] = []
    position = 0
    unclosed: int | None = None
    while True:
        start = text.find("<!--", position)
        if start == -1:
            break
        end = text.find("-->", start + 4)
        if end == -1:
            unclosed = text.count("\n", 0, start) + 1
            break
        parts.append(text[position:start])
        parts.append("\n" * text.count("\n", start, end))
        position = end + 3
    parts.append(text[position:])
    return "".join(parts), unclosed


def _strip_quotes(text: str) -> str:
    """Return ``text`` without the quotation marks around it, when they pair up."""
    text = text.strip()
    if len(text) >= 2 and text[0] in _QUOTE_PAIRS and text[-1] == _QUOTE_PAIRS[text[0]]:
        opening, closing = text[0], text[-1]
        inner = text[1:-1]
        balanced = (
            inner.count(opening) % 2 == 0
            if opening == closing
            else inner.count(opening) == inner.count(closing)
        )
        if balanced:
            return inner.strip()
    return text


def _split_cue(text: str) -> tuple[str | None, str]:
    """Split ``cue :: answer``; ``::`` inside a word (``std::vector``) does not count."""
    index = text.find("::")
    while index != -1:
        before = text[index - 1] if index > 0 else " "
        after = text[index + 2] if index + 2 < len(text) else " "
        if before.isspace() or after.isspace():
            return text[:index].strip(), text[index + 2 :].strip()
        index = text.find("::", index + 2)
    return None, text


def _ends_sentence(word: str, following: str) -> bool:
    core = word.rstrip(_CLOSERS)
    if not core or core[-1] not in ".!?…":
        return False
    start = following.lstrip(_OPENERS)
    if not start or not (start[0].isupper() or start[0].isdigit()):
        return False
    if core.endswith(".") and not core.endswith(".."):
        bare = core[:-1].lstrip(_OPENERS)
        if bare.lower() in _ABBREVIATIONS or (len(bare) == 1 and bare.isalpha()):
            return False
    return True


def _sentences(words: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Group ``(word, line)`` pairs into sentences: ``(sentence, line it starts on)``."""
    sentences: list[tuple[str, int]] = []
    current: list[tuple[str, int]] = []
    for index, (word, line) in enumerate(words):
        current.append((word, line))
        if index + 1 < len(words) and _ends_sentence(word, words[index + 1][0]):
            sentences.append((" ".join(w for w, _ in current), current[0][1]))
            current = []
    if current:
        sentences.append((" ".join(w for w, _ in current), current[0][1]))
    return sentences


def _is_complete(sentence: str) -> bool:
    core = sentence.rstrip(_CLOSERS)
    return bool(core) and core[-1] in ".!?…"


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 4 or len(text) > 60:
        return False
    for word in words:
        if word.lower() in _PARTICLES:
            continue
        if not word[0].isupper() or not all(ch.isalpha() or ch in ".'’-" for ch in word):
            return False
    return normalise(text) not in _NOT_NAMES


def _split_title(title: str) -> tuple[str | None, str]:
    """Split ``Name — Title`` or ``Name: Title`` into the speaker's name and the title."""
    for separator in (" — ", " – ", " - ", ": "):
        index = title.find(separator)
        if index <= 0:
            continue
        name, rest = title[:index].strip(), title[index + len(separator) :].strip()
        words = name.split()
        if (
            rest
            and 2 <= len(words) <= 4
            and words[0].lower() not in _NOT_NAME_FIRST_WORDS
            and _looks_like_name(name)
        ):
            return name, _strip_quotes(rest)
    return None, title


def _topic_name(text: str) -> str:
    """Return a heading's text without its numbering (``1.``, ``2 —``, ``Part 3:``)."""
    for pattern in (_PART_RE, _NUMBER_RE, _ROMAN_RE):
        match = pattern.match(text)
        if match and text[match.end() :].strip():
            text = text[match.end() :]
            break
    return _clean(text).rstrip(":").strip()


def _host(url: str) -> str | None:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    for prefix in ("www.", "m."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    return _HOST_ALIASES.get(host, host)


def _split_names(value: str) -> list[str]:
    value = re.sub(r"\s+(?:and|&)\s+", ",", value)
    names = []
    for part in re.split(r"[,;/]", value):
        name = _clean(part.split("(")[0])
        if name:
            names.append(name)
    return names


def _parse_loose_date(value: str) -> dt.date | None:
    value = value.strip()
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        pass
    for pattern in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%B %Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


# --- front matter -----------------------------------------------------------------------------


@dataclass
class _FrontMatter:
    title: str | None = None
    speakers: tuple[str, ...] = ()
    date: dt.date | None = None
    source: str | None = None
    slug: str | None = None


def _key_line(lines: list[str], key: str) -> int:
    pattern = re.compile(rf"\s*['\"]?{re.escape(key)}['\"]?\s*:")
    for index, line in enumerate(lines):
        if pattern.match(line):
            return index + 2
    return 1


def _type_name(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, bytes):
        return "binary data"
    if isinstance(value, dt.datetime):
        return "a date and time"
    return f"a {type(value).__name__}"


def _shown(value: object) -> str:
    """Return a short description of a front-matter value for a message.

    Text is quoted and cut short; anything else is named by its type, since a value built from
    YAML aliases can be a list of millions of items behind a few lines of text.
    """
    if not isinstance(value, str):
        return _type_name(value)
    return repr(value if len(value) <= 60 else f"{value[:57]}...")


_YAML_TAG = "tag:yaml.org,2002:"
_TAG_MEANINGS = {
    f"{_YAML_TAG}timestamp": "a valid date",
    f"{_YAML_TAG}int": "a valid whole number",
    f"{_YAML_TAG}float": "a valid number",
    f"{_YAML_TAG}bool": "true or false",
}


def _failing_scalar(loader: Any) -> tuple[Any, str | None, Exception] | None:
    """Return the first scalar of the loader's document that cannot be built, with its key."""
    root = loader.get_single_node()
    stack: list[tuple[Any, str | None]] = [] if root is None else [(root, None)]
    seen: set[int] = set()
    while stack:
        node, key = stack.pop()
        # Aliases share nodes: visiting each node once keeps an alias bomb linear.
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                loader.construct_object(node, deep=True)
            except Exception as exc:
                return node, key, exc
        elif isinstance(node, yaml.MappingNode):
            for name, value in reversed(node.value):
                label = name.value if key is None and isinstance(name, yaml.ScalarNode) else key
                stack.append((value, label))
                stack.append((name, key))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, key) for child in reversed(node.value))
    return None


def _unbuildable_value(yaml_text: str, error: Exception) -> Problem:
    """Return the problem of front matter that is valid YAML but holds a value YAML cannot build.

    PyYAML builds dates, numbers and explicitly tagged values with plain Python calls, which fail
    with bare exceptions and no line (``2025-13-45``, a 5,000-digit number, ``!!bool maybe``);
    building each value on its own finds the one at fault and its line.
    """
    loader = _YAML_LOADER(yaml_text)
    try:
        found = _failing_scalar(loader)
    except Exception:
        # Only a scalar was expected to fail; anything else gets the first error's message.
        found = None
    finally:
        loader.dispose()
    if found is None:
        return Problem(1, f"the front matter cannot be read: {_clean(str(error))[:200]}")
    node, key, exc = found
    line = node.start_mark.line + 2
    subject = f"'{key}'" if key is not None else "a value"
    digits = sum(ch.isdigit() for ch in node.value)
    limit = sys.get_int_max_str_digits()
    if node.tag == f"{_YAML_TAG}int" and limit and digits > limit:
        return Problem(
            line,
            f"the front matter has {subject} that is a number of {digits:,} digits, too long "
            "to read; put it in quotes to keep it as text",
        )
    meaning = _TAG_MEANINGS.get(node.tag, f"readable as {node.tag.removeprefix(_YAML_TAG)}")
    # Python's reason is worth showing for a date ("month must be in 1..12"), not for the rest.
    detail = str(exc) if isinstance(exc, ValueError) else ""
    timestamp = node.tag == f"{_YAML_TAG}timestamp"
    reason = f" ({detail})" if timestamp and detail and len(detail) <= 60 else ""
    advice = "write it like 2025-10-17" if key == "date" else "put it in quotes to keep it as text"
    return Problem(
        line,
        f"the front matter has {subject} that is not {meaning}: {_shown(node.value)}{reason}; "
        f"{advice}",
    )


def _forbidden_character(yaml_lines: list[str], error: ReaderError) -> Problem:
    """Return the problem of a character YAML refuses (a control character) in front matter."""
    code = error.character if isinstance(error.character, int) else ord(error.character)
    character = chr(code)
    line = next(
        (index + 2 for index, text in enumerate(yaml_lines) if character in text),
        1,
    )
    kind = "a control character" if unicodedata.category(character) == "Cc" else "a character"
    return Problem(
        line,
        f"the front matter has {kind} that YAML does not allow (U+{code:04X}); delete it",
    )


def _front_matter(lines: list[str], problems: list[Problem]) -> tuple[_FrontMatter, int]:
    """Read the YAML front matter; return it and the number of lines it takes."""
    front = _FrontMatter()
    if not lines or lines[0].rstrip() != "---":
        return front, 0
    closing = next(
        (index for index in range(1, len(lines)) if lines[index].rstrip() in ("---", "...")),
        None,
    )
    if closing is None:
        problems.append(Problem(1, "the front matter opened here is never closed by '---'"))
        return front, len(lines)
    yaml_lines = lines[1:closing]
    yaml_text = "\n".join(yaml_lines)
    try:
        data = yaml.load(yaml_text, Loader=_YAML_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark is not None else 1
        message = f"the front matter is not valid YAML: {_clean(exc.problem or str(exc))}"
        if exc.context and exc.context_mark is not None:
            message += f" ({exc.context} on line {exc.context_mark.line + 2})"
        problems.append(Problem(line, message))
        return front, closing + 1
    except ReaderError as exc:
        problems.append(_forbidden_character(yaml_lines, exc))
        return front, closing + 1
    except yaml.YAMLError as exc:
        problems.append(Problem(1, f"the front matter is not valid YAML: {_clean(str(exc))}"))
        return front, closing + 1
    except RecursionError:
        problems.append(Problem(2, "the front matter is nested too deeply"))
        return front, closing + 1
    except Exception as exc:
        # Not a YAML error: a value YAML scanned but failed to build (see _unbuildable_value).
        problems.append(_unbuildable_value(yaml_text, exc))
        return front, closing + 1
    if data is None:
        return front, closing + 1
    if not isinstance(data, dict):
        problems.append(
            Problem(
                2, f"the front matter must be a mapping of keys to values, not {_type_name(data)}"
            )
        )
        return front, closing + 1
    _read_front_values(data, yaml_lines, front, problems)
    return front, closing + 1


def _read_front_values(
    data: dict[Any, Any], yaml_lines: list[str], front: _FrontMatter, problems: list[Problem]
) -> None:
    def bad(key: str, message: str) -> None:
        problems.append(Problem(_key_line(yaml_lines, key), message))

    title = data.get("title")
    if isinstance(title, str | int | float) and not isinstance(title, bool):
        try:
            front.title = _clean(str(title)) or None
        except ValueError:
            # A number too long to turn into text (Python caps it at 4,300 digits).
            bad("title", "'title' is a number too long to read; put it in quotes")
    elif title is not None:
        bad("title", f"'title' must be text, not {_type_name(title)}")

    speakers: list[str] = []
    for key in ("speakers", "speaker"):
        value = data.get(key)
        if value is None:
            continue
        values = value if isinstance(value, list) else [value]
        for entry in values:
            if isinstance(entry, str):
                speakers.extend(_split_names(entry))
            else:
                bad(key, f"'{key}' must be a name or a list of names, not {_type_name(entry)}")
                break
    front.speakers = tuple(dict.fromkeys(speakers))

    date = data.get("date")
    if isinstance(date, dt.datetime):
        front.date = date.date()
    elif isinstance(date, dt.date):
        front.date = date
    elif isinstance(date, str):
        try:
            front.date = dt.date.fromisoformat(date.strip())
        except ValueError:
            bad("date", f"'date' must be a date like 2025-10-17, not {_shown(date)}")
    elif date is not None:
        bad("date", f"'date' must be a date like 2025-10-17, not {_type_name(date)}")

    for key in ("source", "url"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            front.source = front.source or value.strip()
        elif value is not None:
            bad(key, f"'{key}' must be a web address, not {_type_name(value)}")

    slug = data.get("slug")
    if isinstance(slug, str) and slugify(slug) == slug.strip():
        front.slug = slug.strip()
    elif slug is not None:
        bad("slug", f"'slug' must be lower-case letters, digits and dashes, not {_shown(slug)}")


# --- turning blocks into facts ----------------------------------------------------------------


@dataclass
class _Draft:
    kind: FactKind
    text: str
    topic: str
    line: int
    cue: str | None = None
    items: tuple[str, ...] = ()
    speaker: str | None = None
    main: bool = False
    wrong: tuple[str, ...] = ()
    wrong_for: str | None = None
    misconceptions: list[str] = field(default_factory=list)


class _Builder:
    """Walks the blocks once, collecting metadata, facts, warnings and problems."""

    def __init__(
        self,
        path: str,
        blocks: list[_Block],
        front: _FrontMatter,
        problems: list[Problem],
        warnings: list[str],
    ) -> None:
        self.path = path
        self.blocks = blocks
        self.front = front
        self.problems = problems
        self.warnings = warnings
        self.drafts: list[_Draft] = []
        self.seen: dict[str, int] = {}
        self.consumed: set[int] = set()
        self.topic = GENERAL_TOPIC
        self.topics_with_main: set[str] = set()
        self.title = ""
        self.speakers: tuple[str, ...] = ()
        self.date: dt.date | None = None
        self.source: str | None = None
        self.title_index: int | None = None
        self.asides: set[int] = set()

    # -- metadata

    def read_metadata(self) -> None:
        blocks = self.blocks
        title_name: str | None = None
        heading_link: str | None = None
        if self.front.title is None:
            self.title_index = self._title_heading()
        if self.title_index is not None:
            heading = blocks[self.title_index]
            title_name, self.title = _split_title(heading.text)
            heading_link = next(
                (url for line in heading.lines for url in line.links + line.urls if _host(url)),
                None,
            )
        elif self.front.title is not None:
            self.title = self.front.title
            # A `#` heading that repeats the title is the title, not a topic.
            self.title_index = next(
                (
                    i
                    for i, b in enumerate(blocks)
                    if b.kind == "heading" and normalise(b.text) == normalise(self.title)
                ),
                None,
            )
        if not self.title:
            self.title = Path(self.path).stem or "Talk"

        # Metadata lines (`**Date:** ...`) are the ones that open the file, under the title.
        meta: dict[str, list[tuple[str, _Line]]] = {}
        for index, block in enumerate(blocks):
            if index == self.title_index or block.kind == "rule":
                continue
            if block.kind not in ("para", "item") or not block.lines:
                break
            entry = self._metadata_entry(block)
            if entry is None:
                break
            key, value = entry
            meta.setdefault(key, []).append((value, block.lines[0]))
            self.consumed.add(index)

        if self.front.speakers:
            speakers = list(self.front.speakers)
        else:
            speakers = [title_name] if title_name else []
            for key in ("speaker", "host"):
                for value, _ in meta.get(key, []):
                    speakers.extend(_split_names(value))
        unique: dict[str, str] = {}
        for name in speakers:
            unique.setdefault(normalise(name), name)
        self.speakers = tuple(unique.values())

        self.date = self.front.date
        for value, line in meta.get("date", []):
            if self.date is None:
                self.date = _parse_loose_date(value)
                if self.date is None:
                    self.warn(line.number, f"cannot read the date {value!r}; it is left out")
        self.source = self.front.source
        for value, line in meta.get("source", []):
            url = next((link for link in line.links + line.urls if _host(link)), None)
            if url is None and _host(value):
                url = value
            self.source = self.source or url
        self.source = self.source or heading_link

    def _title_heading(self) -> int | None:
        """Return the heading that titles the talk: the first `#` one, else one over nothing."""
        blocks = self.blocks
        first_h1 = next(
            (i for i, b in enumerate(blocks) if b.kind == "heading" and b.level == 1), None
        )
        if first_h1 is not None:
            return first_h1
        if not blocks or blocks[0].kind != "heading":
            return None
        following = next((b for b in blocks[1:] if b.kind != "rule"), None)
        return 0 if following is None or following.kind == "heading" else None

    def _metadata_entry(self, block: _Block) -> tuple[str, str] | None:
        first = block.lines[0]
        if first.lead is not None and first.colon:
            key = normalise(first.lead)
            if self.marker(block):
                return None
            if key == "description" or _words(first.lead) > 4:
                return None
            return _META_KEYS.get(key, "other"), block.rest
        match = _PLAIN_META_RE.match(block.text)
        if match:
            key = normalise(match.group(1))
            return _META_KEYS.get(key, "other"), block.text[match.end() :].strip()
        return None

    def find_asides(self) -> None:
        """Mark the segments whose text links to a site other than the talk's own."""
        own = _host(self.source) if self.source else None
        reported: set[int] = set()
        for index, block in enumerate(self.blocks):
            if index in self.consumed or index == self.title_index:
                continue
            for line in block.lines:
                if line.link_only:
                    continue
                for url in line.links:
                    host = _host(url)
                    if host is None or host == own:
                        continue
                    self.asides.add(block.segment)
                    if block.segment not in reported:
                        reported.add(block.segment)
                        self.warn(line.number, f"skipped an aside that links to {host}")

    # -- helpers

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(f"{self.path}:{line}: {message}")

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    @property
    def default_speaker(self) -> str | None:
        return self.speakers[0] if self.speakers else None

    def expand(self, name: str | None) -> str | None:
        """Return the full name of a speaker from ``speakers`` (``Karpathy`` -> full name)."""
        if name is None or not _clean(name):
            return self.default_speaker
        name = _clean(name)
        wanted = normalise(name)
        for speaker in self.speakers:
            if normalise(speaker) == wanted:
                return speaker
        tokens = set(wanted.split())
        matches = [s for s in self.speakers if tokens and tokens <= set(normalise(s).split())]
        return matches[0] if len(matches) == 1 else name

    def is_speaker(self, lead: str) -> bool:
        wanted = set(normalise(lead).split())
        if wanted and any(wanted <= set(normalise(s).split()) for s in self.speakers):
            return True
        return _looks_like_name(lead)

    def add(
        self,
        kind: FactKind,
        text: str,
        line: int,
        *,
        cue: str | None = None,
        items: tuple[str, ...] = (),
        speaker: str | None = None,
        main: bool = False,
    ) -> None:
        text = text.strip()
        cue = _clean(cue).rstrip(":").strip() if cue else None
        if not _has_alnum(text):
            return
        key = fact_key(kind, cue, text)
        if key in self.seen:
            self.warn(line, f"duplicate of the {kind.value} on line {self.seen[key]}; dropped")
            return
        self.seen[key] = line
        if main and self.topic in self.topics_with_main:
            self.warn(line, f"a second Main: in topic {self.topic!r}; kept as a plain claim")
            main = False
        if main:
            self.topics_with_main.add(self.topic)
        self.drafts.append(_Draft(kind, text, self.topic, line, cue or None, items, speaker, main))

    def claim(self, text: str, line: int, cue: str | None = None, main: bool = False) -> None:
        text = _clean(text)
        # An advert, or a pointer elsewhere ("See https://... for more"), is not knowledge.
        for part in (text, cue or ""):
            if _AD_RE.search(part) or _URL_RE.search(part):
                return
        self.add(FactKind.CLAIM, text, line, cue=cue, speaker=self.default_speaker, main=main)

    def quote(self, text: str, line: int, speaker: str | None) -> None:
        text, attributed = self._inline_attribution(_clean(text))
        if attributed is not None:
            speaker = attributed
        self.add(FactKind.QUOTE, _strip_quotes(text), line, speaker=self.expand(speaker))

    def _inline_attribution(self, text: str) -> tuple[str, str | None]:
        """Split ``"Text." — Name`` into the quoted text and the name."""
        for dash in (" — ", " – ", " -- ", " ― "):
            index = text.rfind(dash)
            if index > 0 and text[:index].rstrip()[-1:] in '"”»':
                name = _clean(text[index + len(dash) :].split(",")[0].split("(")[0])
                if _looks_like_name(name):
                    return text[:index].strip(), name
        return text, None

    def run(self, index: int, *, stop_at_labels: bool = True) -> tuple[list[int], bool]:
        """Return the list items that belong under block ``index``, and whether they are flat.

        They are its children, else the next siblings of the same list (up to the next label),
        else the items of a list that follows directly.
        """
        blocks = self.blocks
        start = index + 1
        if start >= len(blocks) or blocks[start].kind != "item" or start in self.consumed:
            return [], False
        label, first = blocks[index], blocks[start]
        siblings = (
            label.kind == "item" and first.depth == label.depth and first.list_id == label.list_id
        )
        target = label.list_id if siblings else first.list_id
        run: list[int] = []
        flat = True
        position = start
        while position < len(blocks) and blocks[position].kind == "item":
            block = blocks[position]
            if block.depth < first.depth:
                break
            if block.depth > first.depth:
                flat = False
                position += 1
                continue
            if block.list_id != target or position in self.consumed:
                break
            if stop_at_labels and (self.label(block) is not None or self.has_cue(block)):
                break
            run.append(position)
            position += 1
        return run, flat

    def label(self, block: _Block) -> str | None:
        """Return the label a block is made of (``**Label**:``, ``Some label:``), if it is one."""
        if not block.lines:
            return None
        first = block.lines[0]
        if first.lead is not None and not block.rest:
            return first.lead
        text = block.text
        if (
            first.lead is None
            and text.endswith(":")
            and 0 < _words(text) <= _LABEL_WORDS
            and not self.marker(block)
        ):
            return text[:-1].strip()
        return None

    def has_cue(self, block: _Block) -> bool:
        first = block.lines[0] if block.lines else None
        if first is not None and first.lead is not None and first.colon and block.rest:
            return True
        return _split_cue(block.text)[0] is not None or self.marker(block)

    @staticmethod
    def marker(block: _Block) -> bool:
        text = block.marker_text
        return bool(_MARKER_RE.match(text) or _QUOTE_MARKER_RE.match(text))

    # -- the walk

    def build(self) -> None:
        blocks = self.blocks
        last_content = max(
            (
                i
                for i, b in enumerate(blocks)
                if b.kind != "rule" and any(not line.link_only for line in b.lines)
            ),
            default=-1,
        )
        for index, block in enumerate(blocks):
            if block.kind == "heading":
                if index != self.title_index:
                    self.topic = _topic_name(block.text) or self.topic
                continue
            if index in self.consumed or block.segment in self.asides or block.kind == "rule":
                continue
            if block.kind == "quote":
                self.blockquote(block)
            elif block.kind == "row":
                cue, *answers = block.cells
                self.claim("; ".join(a for a in answers if a), block.line, cue=cue or None)
            elif block.lines and not all(line.link_only for line in block.lines):
                self.unit(index, block, cutoff=index == last_content)

    def unit(self, index: int, block: _Block, *, cutoff: bool) -> None:
        text = block.marker_text
        authored = _AUTHORED_RE.match(text)
        if authored is not None:
            self.authored(block.line, authored.group(1).lower(), text[authored.end() :])
            return
        if _QUOTE_MARKER_RE.match(text) or _MARKER_RE.match(text):
            self.marked(index, block)
            return
        first = block.lines[0]
        if first.lead is not None and first.rest_link_only and len(block.lines) == 1:
            return
        label = self.label(block)
        if label is not None:
            following = self.blocks[index + 1] if index + 1 < len(self.blocks) else None
            has_children = (
                following is not None and following.kind == "item" and following.depth > block.depth
            )
            bold_bullet = block.kind == "item" and first.lead is not None and not first.colon
            if bold_bullet and not has_children:
                # A bullet all in bold, with no colon and nothing under it, is a claim.
                self.claim(label, block.line)
                return
            run, flat = self.run(index)
            texts = [text for text in (self.blocks[i].text for i in run) if text]
            if texts and flat and all(_words(t) <= _SHORT_ITEM_WORDS for t in texts):
                self.consumed.update(run)
                joined = "; ".join(t.rstrip(".;,") for t in texts)
                self.claim(joined, block.line, cue=label)
            return
        if first.lead is not None and (first.colon or block.kind == "item"):
            self.claim(block.rest, block.line, cue=first.lead)
            return
        cue, answer = _split_cue(block.text)
        if cue is not None:
            self.claim(answer, block.line, cue=cue or None)
            return
        if block.kind == "item":
            self.claim(block.text, block.line)
            return
        lines = block.lines
        if first.lead is not None:
            # A bold title line over prose: one sentence is its answer, more are plain claims.
            rest_words = [(w, first.number) for w in first.rest.split()]
            rest_words += [(w, line.number) for line in lines[1:] for w in line.text.split()]
            if len(_sentences(rest_words)) == 1:
                self.claim(block.rest, block.line, cue=first.lead)
                return
            self.prose(rest_words, cutoff)
            return
        self.prose([(w, line.number) for line in lines for w in line.text.split()], cutoff)

    def authored(self, line: int, marker: str, content: str) -> None:
        """Attach a ``Wrong:`` or ``False:`` line to the fact right above it."""
        label = f"'{marker.capitalize()}:'"
        draft = self.drafts[-1] if self.drafts else None
        if draft is None or draft.topic != self.topic:
            self.problem(line, f"{label} follows no fact: put it right under its fact")
            return
        content = _clean(content)
        if marker == "false":
            if not _has_alnum(content):
                self.problem(line, f"{label} has no statement")
            elif normalise(content) == normalise(draft.text):
                self.problem(line, f"{label} repeats the fact itself; write a false statement")
            else:
                draft.misconceptions.append(content)
            return
        if draft.wrong:
            self.problem(line, f"a second {label} for the fact on line {draft.line}")
            return
        phrase, arrow, rest = content.partition("=>")
        target = phrase.strip() if arrow else None
        options = tuple(o.strip() for o in (rest if arrow else content).split(";") if o.strip())
        if target is not None and target not in draft.text:
            self.problem(
                line, f"{label} names {target!r}, which is not in the fact on line {draft.line}"
            )
        elif target is None and draft.cue is None:
            self.problem(
                line,
                f"{label} under a fact without a cue must name the words it replaces: "
                "'Wrong: words of the fact => option; option; option'",
            )
        elif len(options) < _WRONG_OPTIONS:
            self.problem(line, f"{label} needs {_WRONG_OPTIONS} options separated by ';'")
        else:
            draft.wrong, draft.wrong_for = options, target

    def prose(self, words: list[tuple[str, int]], cutoff: bool) -> None:
        sentences = _sentences(words)
        about_document = False
        for number, (sentence, line) in enumerate(sentences):
            if _SELF_REFERENCE_RE.match(sentence) or (
                about_document and _FOLLOW_UP_RE.match(sentence)
            ):
                about_document = True
                continue
            about_document = False
            if sentence.endswith(":"):
                continue
            if cutoff and number == len(sentences) - 1 and not _is_complete(sentence):
                self.warn(line, f"dropped the last sentence, which is cut off: {sentence!r}")
                continue
            if _words(sentence) >= _MIN_SENTENCE_WORDS:
                self.claim(sentence, line)

    def marked(self, index: int, block: _Block) -> None:
        text = block.marker_text
        quote = _QUOTE_MARKER_RE.match(text)
        if quote is not None:
            content = text[quote.end() :].strip()
            speaker = quote.group(1)
            following = index + 1
            if (
                not content
                and following < len(self.blocks)
                and self.blocks[following].kind == "quote"
            ):
                self.consumed.add(following)
                self.blockquote(self.blocks[following], speaker=speaker)
            elif content:
                self.quote(content, block.line, speaker)
            else:
                self.problem(block.line, "'Quote:' has no text")
            return
        match = _MARKER_RE.match(text)
        if match is None:  # pragma: no cover - callers check
            return
        marker = match.group(1).lower()
        content = text[match.end() :].strip()
        if marker in ("main", "claim"):
            if not content:
                self.problem(block.line, f"'{match.group(1)}:' has no text")
                return
            cue, answer = _split_cue(content)
            if cue is not None and not answer:
                self.problem(block.line, f"'{match.group(1)}:' has a cue but no answer after '::'")
                return
            self.claim(answer, block.line, cue=cue or None, main=marker == "main")
        elif marker == "number":
            cue, value = _split_cue(content)
            if cue is None:
                self.problem(
                    block.line, "'Number:' needs 'what it measures :: value' (no '::' found)"
                )
            elif not cue or not value:
                self.problem(block.line, "'Number:' needs text on both sides of '::'")
            else:
                self.add(FactKind.NUMBER, value, block.line, cue=cue, speaker=self.default_speaker)
        else:
            self.sequence(index, block)

    def sequence(self, index: int, block: _Block) -> None:
        first = block.lines[0]
        if first.lead is not None:
            title = first.rest
        else:
            match = _MARKER_RE.match(first.text)
            title = first.text[match.end() :] if match else ""
        # A list that does not start at 1 cannot interrupt a paragraph: read its lines here.
        items: list[str] = []
        for line in block.lines[1:]:
            item = _LIST_LINE_RE.match(line.text)
            if item:
                items.append(line.text[item.end() :].strip())
            elif items:
                items[-1] = _clean(f"{items[-1]} {line.text}")
            else:
                title = f"{title} {line.text}"
        title = _clean(title)
        if not items:
            run, _ = self.run(index, stop_at_labels=False)
            items = [self.blocks[i].text for i in run]
            self.consumed.update(run)
        items = [item for item in items if _has_alnum(item)]
        if not title:
            self.problem(block.line, "'Sequence:' has no title")
        elif len(items) < 2:
            self.problem(block.line, "'Sequence:' must be followed by a list of at least two items")
        else:
            self.add(
                FactKind.SEQUENCE,
                "\n".join(items),
                block.line,
                cue=title,
                items=tuple(items),
                speaker=self.default_speaker,
            )

    def blockquote(self, block: _Block, speaker: str | None = None) -> None:
        lines = [line for line in block.lines if not line.link_only and line.text]
        if not lines:
            return
        if lines[0].text.startswith("[!"):
            # A GitHub callout (`> [!NOTE]`) is a remark, not a quotation.
            self.prose([(w, line.number) for line in lines[1:] for w in line.text.split()], False)
            return
        groups: list[tuple[str | None, list[str], int]] = []
        for line in lines:
            lead = line.lead
            if lead is not None and line.colon and normalise(lead) in _NOT_NAMES:
                if not groups:
                    groups.append((speaker, [], line.number))
                groups[-1][1].append(line.text)
            elif lead is not None and line.colon and self.is_speaker(lead):
                groups.append((lead, [line.rest] if line.rest else [], line.number))
            else:
                if not groups:
                    groups.append((speaker, [], line.number))
                groups[-1][1].append(line.text)
        if len(groups) == 1 and groups[0][0] is None and len(groups[0][1]) > 1:
            name = self._attribution(groups[0][1][-1], lines[-1].bullet)
            if name is not None:
                groups = [(name, groups[0][1][:-1], groups[0][2])]
        for name, texts, line_number in groups:
            text = " ".join(texts)
            if _has_alnum(text):
                self.quote(text, line_number, name)

    @staticmethod
    def _attribution(text: str, bullet: bool) -> str | None:
        match = _ATTRIBUTION_RE.fullmatch(text)
        name = match.group(1) if match else (text if bullet else None)
        if name is None:
            return None
        name = _clean(name.split(",")[0].split("(")[0]).strip("*_ ")
        return name if _looks_like_name(name) else None

    # -- result

    def facts(self) -> tuple[tuple[str, ...], tuple[Fact, ...]]:
        first_claim: dict[str, int] = {}
        for number, draft in enumerate(self.drafts):
            if draft.kind is FactKind.CLAIM:
                first_claim.setdefault(draft.topic, number)
        facts = []
        topics: dict[str, None] = {}
        for number, draft in enumerate(self.drafts):
            topics.setdefault(draft.topic)
            main = draft.main or (
                draft.topic not in self.topics_with_main and first_claim.get(draft.topic) == number
            )
            facts.append(
                Fact(
                    kind=draft.kind,
                    text=draft.text,
                    topic=draft.topic,
                    source=SourceRef(file=self.path, line=draft.line),
                    cue=draft.cue,
                    items=draft.items,
                    speaker=draft.speaker,
                    main=main,
                    wrong=draft.wrong,
                    wrong_for=draft.wrong_for,
                    misconceptions=tuple(draft.misconceptions),
                )
            )
        return tuple(topics), tuple(facts)


# --- public API -------------------------------------------------------------------------------


def _decode(data: bytes, path: str) -> str:
    """Return the text of a notes file's bytes; raise NotesError for binary or non-UTF-8 data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotesError(path, [Problem(1, "the file is UTF-16 text; save it as UTF-8")])
    nul = data.find(b"\x00")
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        raise NotesError(path, [Problem(line, "binary data (a NUL byte): not a text file")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        raise NotesError(
            path, [Problem(line, f"not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8")]
        ) from None


def read_notes(path: Path | str) -> ParsedNotes:
    """Read and parse the notes file at ``path``.

    Returns the parsed notes; raises NotesError, listing every problem found, when the file is
    missing, a directory, unreadable, too large, binary, not UTF-8, or its notes are invalid.
    """
    name = str(path)
    file = Path(path)
    try:
        data = read_limited(file, MAX_NOTES_BYTES)
    except NotARegularFile as error:
        raise NotesError(name, [Problem(None, f"{error}; give a notes file")]) from None
    except FileNotFoundError:
        raise NotesError(name, [Problem(None, "no such file")]) from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise NotesError(name, [Problem(None, f"cannot be read: {reason}")]) from None
    if len(data) > MAX_NOTES_BYTES:
        raise NotesError(name, [Problem(None, _too_large(file.stat().st_size))])
    return parse_notes(_decode(data, name), name)


def _too_large(size: int) -> str:
    return (
        f"the file is too large for notes ({size / 1024:,.0f} KB; "
        f"the limit is {MAX_NOTES_BYTES // 1024} KB)"
    )


def parse_notes(text: str, path: str = "<notes>") -> ParsedNotes:
    """Parse the text of a notes file; ``path`` names it in sources, warnings and errors.

    Returns the talk's metadata, its topics in file order, its facts and any warnings; raises
    NotesError listing every problem found (with its line) when the notes cannot be imported.
    """
    if len(text) > MAX_NOTES_BYTES:
        raise NotesError(path, [Problem(None, _too_large(len(text.encode("utf-8", "replace"))))])
    nul = text.find("\x00")
    if nul != -1:
        line = text.count("\n", 0, nul) + 1
        raise NotesError(path, [Problem(line, "binary data (a NUL byte): not a text file")])
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        # Only a lone surrogate, which no UTF-8 file holds, fails: text decoded with errors
        # replaced by surrogates, or cut in the middle of a UTF-16 pair.
        line = text.count("\n", 0, exc.start) + 1
        code = ord(text[exc.start])
        raise NotesError(
            path,
            [
                Problem(
                    line, f"not UTF-8 text (a lone surrogate U+{code:04X}); save the file as UTF-8"
                )
            ],
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise NotesError(path, [Problem(1, "the file is empty")])
    problems: list[Problem] = []
    warnings: list[str] = []
    lines = text.split("\n")
    for number, raw in enumerate(lines, 1):
        cleaned = strip_controls(raw)
        if cleaned != raw:
            lines[number - 1] = cleaned
            warnings.append(f"{path}:{number}: {_CONTROLS_REMOVED}")
    front, front_lines = _front_matter(lines, problems)
    if front_lines >= len(lines) and problems:
        raise NotesError(path, problems)
    body = "\n" * front_lines + "\n".join(lines[front_lines:])
    body, unclosed = _strip_comments(body)
    if unclosed is not None:
        warnings.append(f"{path}:{unclosed}: an HTML comment is never closed; the rest is ignored")
    try:
        tokens = _MD.parse(body)
        blocks = _blocks(tokens)
    except RecursionError:
        raise NotesError(
            path, [*problems, Problem(None, "the notes are nested too deeply")]
        ) from None
    too_deep = _too_deep(tokens)
    if too_deep is not None:
        problems.append(
            Problem(
                too_deep,
                f"lists or quotes are nested too deeply here to be read (lists can nest "
                f"{_MAX_LIST_DEPTH} levels); nest them less deeply",
            )
        )
    builder = _Builder(path, blocks, front, problems, warnings)
    builder.read_metadata()
    builder.find_asides()
    builder.build()
    topics, facts = builder.facts()
    if not facts and not problems:
        problems.append(
            Problem(
                # The line after the front matter, or its closing '---' when nothing follows.
                min(front_lines + 1, len(lines)),
                "no usable facts: write bullets, sentences or markers (Claim:, Quote:) "
                "under headings",
            )
        )
    if problems:
        raise NotesError(path, problems)
    # YAML's escapes ("\\e", "\\x1b") make control characters the file does not hold.
    title = " ".join(strip_controls(builder.title).split())
    speakers = tuple(" ".join(strip_controls(name).split()) for name in builder.speakers)
    source = strip_controls(builder.source) if builder.source else None
    if (title, speakers, source) != (builder.title, builder.speakers, builder.source):
        warnings.append(f"{path}:1: {_CONTROLS_REMOVED} (in the front matter)")
    talk = TalkMeta(
        title=title,
        # A talk is known by its notes file, so editing the title keeps its history.
        slug=front.slug or slugify(PurePath(path).stem),
        speakers=speakers,
        date=builder.date,
        source_url=source,
    )
    return ParsedNotes(talk=talk, path=path, topics=topics, facts=facts, warnings=tuple(warnings))
