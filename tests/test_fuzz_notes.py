"""Bad input for the notes importer: random and mangled notes either import or fail cleanly.

Every case goes through the real path, ``Tutor.import_notes`` on a copy of a database that already
holds two talks and a review. The import either succeeds with sane facts, or raises ``NotesError``
naming the file and leaves the database exactly as it was; it never raises anything else and never
runs past a time limit.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import random
import re
import shutil
import signal
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from conftest import DATA, FrozenClock
from eurekatutor.cli import main
from eurekatutor.domain.models import Fact, ImportReport, Talk
from eurekatutor.domain.notes import MAX_NOTES_BYTES, parse_notes, read_notes
from eurekatutor.errors import NotesError
from eurekatutor.tutor import Tutor

DECK = Path(__file__).parents[1] / "decks" / "karpathy-dwarkesh-2025.md"
AGENTS = DATA / "tutor" / "agents.md"
FUZZ = DATA / "fuzz"
SOURCES = {
    path.name: path.read_bytes()
    for path in [DECK, *sorted(DATA.glob("*.md")), *sorted((DATA / "tutor").glob("*.md"))]
}
# The first two are the slugs of talks already in the database: a bad file must not touch them.
FILE_NAMES = ("karpathy-dwarkesh-2025.md", "agents.md", "fresh-notes.md")
# Real notes import in well under a second; the largest allowed pathological file in a few.
TIME_LIMIT = 20.0

FUZZ_SETTINGS = settings(
    # A few dozen examples keep the file fast; set FUZZ_EXAMPLES to search longer.
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "30")),
    # The time limit below replaces hypothesis's deadline: it fails a hang instead of timing a run.
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- a hang fails the test instead of blocking the run ----------------------------------------


class ImportHung(BaseException):
    """An import ran past the time limit (a BaseException, so no ``except Exception`` hides it)."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``ImportHung`` in the block after ``seconds``; end the process if even that hangs.

    The alarm interrupts Python code; a hang inside C code (the YAML scanner) never returns to
    the interpreter, so a watchdog thread dumps every traceback and exits after twice the time.
    """

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise ImportHung(f"the import ran longer than {seconds:g} s")

    alarm = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    faulthandler.dump_traceback_later(seconds * 2, exit=True)
    previous: Any = None
    if alarm:
        previous = signal.signal(signal.SIGALRM, interrupt)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        faulthandler.cancel_dump_traceback_later()


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="the alarm needs POSIX signals")
def test_the_time_limit_fails_a_hang() -> None:
    started = time.perf_counter()
    with pytest.raises(ImportHung, match=r"longer than 0\.2 s"), time_limit(0.2):
        while True:
            pass
    assert time.perf_counter() - started < 2


# --- what the database holds ------------------------------------------------------------------


def dump(db: Path) -> list[str]:
    """Return every row of every table as SQL, straight from SQLite."""
    with contextlib.closing(sqlite3.connect(db)) as connection:
        return list(connection.iterdump())


def row_counts(db: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(db)) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in tables
        }


@dataclass(frozen=True)
class Contents:
    """The talks, facts (retired ones too) and topics a tutor sees, and the raw rows below."""

    talks: tuple[Talk, ...]
    facts: tuple[Fact, ...]
    topics: dict[int, list[str]]
    counts: dict[str, int]
    rows: list[str]

    @classmethod
    def of(cls, tutor: Tutor, db: Path) -> Contents:
        talks = tuple(tutor.talks())
        return cls(
            talks=talks,
            facts=tuple(tutor.facts(include_retired=True)),
            topics={talk.id: tutor.topics(talk.id) for talk in talks},
            counts=row_counts(db),
            rows=dump(db),
        )

    def talk_facts(self, talk_id: int) -> list[Fact]:
        return [fact for fact in self.facts if fact.talk_id == talk_id]


def assert_unchanged(before: Contents, after: Contents) -> None:
    # From the coarsest to the finest, so that a failure says first what a user would notice.
    assert after.counts == before.counts
    assert after.talks == before.talks
    assert after.topics == before.topics
    assert after.facts == before.facts
    assert after.rows == before.rows


# --- the property -----------------------------------------------------------------------------


def lines_in(data: bytes) -> int:
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1


def assert_reported(error: NotesError, path: Path, data: bytes) -> None:
    """The error names the file, and each problem its line within the file and what is wrong."""
    assert error.path == path
    assert error.problems
    for problem in error.problems:
        assert problem.message.strip(), error.problems
        assert "\n" not in problem.message, problem
        assert problem.line is None or 1 <= problem.line <= lines_in(data), problem
        # A message is for a reader, not a dump of the data that caused it.
        assert len(problem.message) < 400, problem
    message = str(error)
    assert message.splitlines() == [
        f"{path}:{problem.line}: {problem.message}"
        if problem.line is not None
        else f"{path}: {problem.message}"
        for problem in error.problems
    ]


def assert_imported(
    report: ImportReport, path: Path, data: bytes, before: Contents, after: Contents
) -> None:
    """The file was valid notes: its facts are sane and no other talk changed."""
    text = data.decode("utf-8")
    assert "\x00" not in text
    assert len(data) <= MAX_NOTES_BYTES
    parsed = read_notes(path)
    [talk] = [talk for talk in after.talks if talk.slug == parsed.talk.slug]
    assert report.talk == talk.title
    assert talk.title.strip()
    known = {existing.slug for existing in before.talks}
    assert len(after.talks) == len(before.talks) + (parsed.talk.slug not in known)
    active = [fact for fact in after.talk_facts(talk.id) if not fact.retired]
    assert len(active) == len(parsed.facts) == report.added + report.updated + report.unchanged
    for fact in active:
        assert fact.text.strip(), fact
        assert fact.source.file == str(path)
        assert 1 <= fact.source.line <= lines_in(data), fact
        assert fact.topic in after.topics[talk.id], fact
    for other in before.talks:
        if other.slug != talk.slug:
            assert other in after.talks
            assert after.talk_facts(other.id) == before.talk_facts(other.id)
            assert after.topics[other.id] == before.topics[other.id]


def check_import(template: Path, data: bytes, name: str) -> None:
    """Import ``data`` as a file named ``name`` into a copy of ``template``; check the result."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "study.db"
        shutil.copyfile(template, db)
        path = Path(folder) / name
        path.write_bytes(data)
        with Tutor.open(db, clock=FrozenClock(), kinds=["flashcard"], seed=1) as tutor:
            before = Contents.of(tutor, db)
            try:
                with time_limit(TIME_LIMIT):
                    report = tutor.import_notes(path)
            except NotesError as error:
                event("refused")
                assert_reported(error, path, data)
                assert_unchanged(before, Contents.of(tutor, db))
            else:
                event("imported")
                assert_imported(report, path, data, before, Contents.of(tutor, db))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the bundled deck and another talk imported, and one answer recorded."""
    path = tmp_path_factory.mktemp("template") / "study.db"
    with Tutor.open(path, clock=FrozenClock(), kinds=["flashcard"], seed=1) as tutor:
        tutor.import_notes(DECK)
        tutor.import_notes(AGENTS)
        question = tutor.next_question()
        assert question is not None
        tutor.answer(question, 3)
        assert [talk.slug for talk in tutor.talks()] == ["karpathy-dwarkesh-2025", "agents"]
        assert len(tutor.reviews()) == 1
    return path


# --- strategies -------------------------------------------------------------------------------

Draw = st.DrawFn

INVALID_UTF8 = (
    b"\xff",
    b"\xfe",
    b"\x80",  # a continuation byte with nothing to continue
    b"\xc3",  # a lead byte cut short
    b"\xc3\x28",
    b"\xe2\x82",
    b"\xf0\x9f\x98",
    b"\xc0\xaf",  # an overlong '/'
    b"\xed\xa0\x80",  # a UTF-16 surrogate
    b"\xf4\x90\x80\x80",  # past U+10FFFF
)
CONTROL = [chr(code) for code in (*range(1, 32), 0x7F, *range(0x80, 0xA0))] + [
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u200b",
    "\ufffe",
]
ALIAS_BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{this}: &{this} [{', '.join([f'*{prev}'] * 9)}]\n"
        for prev, this in zip("abcdefg", "bcdefgh", strict=True)
    )
    + "{key}: *h\n"
)
YAML_GARBAGE = (
    "title: [a, list, not, text]",
    "title: {a: mapping}",
    "title: 0x" + "f" * 5000,
    "slug: 0x" + "f" * 5000,
    "title: " + "9" * 5000,
    "date: -" + "9" * 5000,
    "title: 1e999",
    "title: .nan",
    "title: !!binary aGVsbG8=",
    "title: !!python/object:os.system echo",
    "title: !!timestamp yesterday",
    "title: !!bool maybe",
    "title: !!int twelve",
    "title: !!float many",
    "title: !!set {a, b}",
    "date: 2025-13-45",
    "date: 2025-02-30",
    "date: 2025-10-17T25:00:00",
    "date: 2025-10-17 10:00:00 +99:99",
    "date: soon",
    "date: 17",
    "date: [2025, 10, 17]",
    "date: 0o" + "7" * 3000,
    "speakers: 42",
    "speakers: [[nested, list]]",
    "speakers: {name: mapping}",
    "speaker: true",
    "source: [not, a, url]",
    "url: 12",
    "slug: Not A Slug!",
    "slug: ''",
    "slug: [a]",
    "slug: 2025-01-01",
    "slug: agents",
    "slug: karpathy-dwarkesh-2025",
    "slug: &a [*a]",
    "&a {x: *a}",
    "title: &a [*a]",
    ALIAS_BOMB.format(key="slug"),
    ALIAS_BOMB.format(key="title"),
    ALIAS_BOMB.format(key="speakers"),
    "title: " + "[" * 2000 + "]" * 2000,
    "title: [unclosed",
    "title: 'unclosed",
    "\ttitle: tab",
    "title: a\x07bell",
    "title: a\x01b",
    "title: \x85next line",
    "? [a, b]\n: c",
    "<<: *undefined",
    "<<: 1",
    "%YAML 2.0",
    "just a sentence",
    "- a\n- list",
    "?",
    ":",
    "{",
    "key: value: another",
    "title: |\n  block\n   text",
)
FRONT_KEYS = ("title", "date", "speakers", "speaker", "source", "url", "slug")
NEST_MARKERS = ("- ", "* ", "1. ", "> ", "- > ", "> - ", "+ 1. ")
LINE_TOKENS = (
    "word ",
    "**",
    "*a",
    "_a",
    "[",
    "](",
    "![",
    "`",
    "a::",
    " :: ",
    "http://x.io ",
    "<!--",
    "-->",
    "<a ",
    '"',
    "“",
    "— ",
    "|",
    "&#",
    "Quote: ",
    "Main: ",
    "e.g. ",
    "A. ",
    "x",
)
MARKDOWN_PIECES = st.sampled_from(
    [
        *"ab Kz.:!?-*+_>#`[]()|<>\"'“”—\n\t0123456789~=\\&;",
        "**",
        "::",
        "---",
        "...",
        "\n\n",
        "\r\n",
        "\r",
        "\ufeff",
        "\x00",
        "Quote:",
        "Quote (Karpathy):",
        "Main:",
        "Claim:",
        "Number:",
        "Sequence:",
        "title:",
        "slug:",
        "date:",
        "<!--",
        "-->",
        "http://x.io",
        "[a](http://y.io)",
        "1. ",
        "- ",
        "  - ",
        "> ",
        "## ",
        "# ",
        "**Quote:** ",
        "| a | b |\n|---|---|\n",
        "Agents need a decade of research to work well. ",
    ]
)


def position(draw: Draw, data: bytes) -> int:
    return int(draw(st.integers(0, len(data))))


def at_line_start(draw: Draw, data: bytes) -> int:
    starts = [0, *(match.end() for match in re.finditer(rb"\n", data))]
    return int(draw(st.sampled_from(starts)))


def flip_bytes(draw: Draw, data: bytes) -> bytes:
    if not data:
        return data
    mutable = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        index = draw(st.integers(0, len(mutable) - 1))
        mutable[index] ^= draw(st.integers(1, 255))
    return bytes(mutable)


def truncate(draw: Draw, data: bytes) -> bytes:
    return data[: position(draw, data)]


def splice(draw: Draw, data: bytes) -> bytes:
    other = draw(st.sampled_from(list(SOURCES.values())))
    start = draw(st.integers(0, len(other)))
    piece = other[start : draw(st.integers(start, len(other)))]
    cut = position(draw, data)
    resume = draw(st.sampled_from([cut, draw(st.integers(cut, len(data)))]))
    return data[:cut] + piece + data[resume:]


def insert_invalid_utf8(draw: Draw, data: bytes) -> bytes:
    cut = position(draw, data)
    return data[:cut] + draw(st.sampled_from(INVALID_UTF8)) + data[cut:]


def insert_nul(draw: Draw, data: bytes) -> bytes:
    cut = position(draw, data)
    return data[:cut] + b"\x00" * draw(st.integers(1, 3)) + data[cut:]


def insert_control(draw: Draw, data: bytes) -> bytes:
    cut = at_line_start(draw, data) + draw(st.integers(0, 6))
    return data[:cut] + draw(st.sampled_from(CONTROL)).encode() + data[cut:]


def mangle_fences(draw: Draw, data: bytes) -> bytes:
    lines = data.split(b"\n")
    fences = [index for index, line in enumerate(lines) if line.rstrip() in (b"---", b"...")]
    choice = draw(st.sampled_from(["open", "drop", "double", "move", "misspell"]))
    if choice == "open" or not fences:
        # A fence at the top and no '---' below opens front matter that is never closed.
        return b"---\n" + data.replace(b"\n---", b"\n- --")
    index = draw(st.sampled_from(fences))
    if choice == "drop":
        del lines[index]
    elif choice == "double":
        lines.insert(index, lines[index])
    elif choice == "move":
        fence = lines.pop(index)
        lines.insert(draw(st.integers(0, len(lines))), fence)
    else:
        lines[index] = draw(
            st.sampled_from([b"----", b"--- ", b"---\r", b" ---", b"-- -", b"---x", b"..."])
        )
    return b"\n".join(lines)


def yaml_garbage(draw: Draw, data: bytes) -> bytes:
    if draw(st.booleans()):
        garbage = draw(st.sampled_from(YAML_GARBAGE))
    else:
        garbage = f"{draw(st.sampled_from(FRONT_KEYS))}: {draw(st.text(max_size=40))}"
    payload = garbage.encode("utf-8", "surrogatepass")
    if data.startswith(b"---\n"):
        closing = data.find(b"\n---", 4)
        cut = draw(st.sampled_from([4, closing + 1 if closing != -1 else 4]))
        return data[:cut] + payload + b"\n" + data[cut:]
    return b"---\n" + payload + b"\n---\n" + data


def nested_list(draw: Draw, data: bytes) -> bytes:
    marker = draw(st.sampled_from(NEST_MARKERS))
    if draw(st.booleans()):
        depth = draw(st.integers(100, 3000))
        block = marker * depth + "a claim at the bottom of a very deep list\n"
    else:
        # One item per level, each indented under the one above: hundreds of levels.
        depth = draw(st.integers(100, 300))
        indent = " " * (len(marker) if marker != "> " else 0)
        block = "".join(
            f"{indent * level}{marker}item {level} of a list nested very deeply\n"
            for level in range(depth)
        )
    cut = at_line_start(draw, data)
    return data[:cut] + block.encode() + data[cut:]


def enormous_line(draw: Draw, data: bytes) -> bytes:
    token = draw(st.sampled_from(LINE_TOKENS))
    line = token * (draw(st.integers(5_000, 60_000)) // len(token))
    cut = at_line_start(draw, data)
    return data[:cut] + line.encode() + b"\n" + data[cut:]


MUTATIONS = (
    flip_bytes,
    truncate,
    splice,
    insert_invalid_utf8,
    insert_nul,
    insert_control,
    mangle_fences,
    yaml_garbage,
    nested_list,
    enormous_line,
)


@st.composite
def mutated_notes(draw: Draw) -> bytes:
    """Real notes with one to three mutations applied in turn."""
    data: bytes = draw(st.sampled_from(list(SOURCES.values())))
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3)):
        data = mutation(draw, data)
    return data


# Every code point, surrogates included: written as UTF-8 they make invalid byte sequences.
ANY_CHARACTER = st.characters(exclude_categories=())
random_text = st.one_of(
    st.text(ANY_CHARACTER, max_size=2000),
    st.text(st.sampled_from(CONTROL + list("\n\r\t -#>*`:")), max_size=500),
    st.lists(MARKDOWN_PIECES, max_size=200).map("".join),
).map(lambda text: text.encode("utf-8", "surrogatepass"))


# --- the named cases --------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))
DECK_BYTES = SOURCES[DECK.name]
MIDDLE = DECK_BYTES.index(b"\n## ", len(DECK_BYTES) // 2)
INVALID_UTF8_DECK = (
    DECK_BYTES[:MIDDLE] + b"\n- Caf\xe9 culture, saved as Latin-1.\n" + DECK_BYTES[MIDDLE:]
)
TEN_MEGABYTES = DECK_BYTES * (10 * 1024 * 1024 // len(DECK_BYTES) + 1)
DEEP_LIST = b"## Deep\n\n" + b"- " * 3000 + b"a claim at the bottom of a very deep list\n"
DEEP_INDENTED_LIST = b"## Deep\n\n" + b"".join(
    b"  " * level + b"- item %d of a list nested very deeply\n" % level for level in range(400)
)
DEEP_MIXED_NESTING = b"## Deep\n\n" + b"> - 1. " * 1000 + b"a claim at the bottom\n"
CLOSING = DECK_BYTES.index(b"\n---\n", 4)
UNTERMINATED_FRONT_MATTER = DECK_BYTES[:CLOSING] + DECK_BYTES[CLOSING + 4 :]
DOUBLED_FENCE = b"---\n" + DECK_BYTES
BOMB_SLUG = "---\n" + ALIAS_BOMB.format(key="slug") + "---\n\n- A claim long enough to keep.\n"
HUGE_HEX_TITLE = DECK_BYTES.replace(b"title: ", b"title: 0x" + b"f" * 5000 + b"\n_: ", 1)
BAD_TIMESTAMP = DECK_BYTES.replace(b"date: 2025-10-17", b"date: !!timestamp yesterday", 1)
BAD_BOOL = DECK_BYTES.replace(b"date: 2025-10-17", b"date: !!bool maybe", 1)
BELL_IN_TITLE = DECK_BYTES.replace(b"title: We're", b"title: We\x07re", 1)


@FUZZ_SETTINGS
@given(data=mutated_notes(), name=st.sampled_from(FILE_NAMES))
@example(data=PNG, name="karpathy-dwarkesh-2025.md")
@example(data=INVALID_UTF8_DECK, name="karpathy-dwarkesh-2025.md")
@example(data=TEN_MEGABYTES, name="karpathy-dwarkesh-2025.md")
@example(data=DEEP_LIST, name="agents.md")
@example(data=DEEP_INDENTED_LIST, name="karpathy-dwarkesh-2025.md")
@example(data=DEEP_MIXED_NESTING, name="fresh-notes.md")
@example(data=UNTERMINATED_FRONT_MATTER, name="karpathy-dwarkesh-2025.md")
@example(data=DOUBLED_FENCE, name="karpathy-dwarkesh-2025.md")
@example(data=BOMB_SLUG.encode(), name="agents.md")
@example(data=HUGE_HEX_TITLE, name="karpathy-dwarkesh-2025.md")
@example(data=BAD_TIMESTAMP, name="karpathy-dwarkesh-2025.md")
@example(data=BAD_BOOL, name="fresh-notes.md")
@example(data=BELL_IN_TITLE, name="karpathy-dwarkesh-2025.md")
def test_mutated_real_notes_import_or_fail_cleanly(template: Path, data: bytes, name: str) -> None:
    check_import(template, data, name)


@FUZZ_SETTINGS
@given(data=random_text, name=st.sampled_from(FILE_NAMES))
def test_random_text_imports_or_fails_cleanly(template: Path, data: bytes, name: str) -> None:
    check_import(template, data, name)


@FUZZ_SETTINGS
@given(data=st.binary(max_size=4096), name=st.sampled_from(FILE_NAMES))
def test_random_bytes_import_or_fail_cleanly(template: Path, data: bytes, name: str) -> None:
    check_import(template, data, name)


# --- the named cases fail with the right message, through the command line too -----------------


NAMED_FAILURES = {
    "binary data": (PNG, 3, "binary data (a NUL byte): not a text file"),
    "invalid UTF-8": (INVALID_UTF8_DECK, lines_in(DECK_BYTES[:MIDDLE]) + 1, "not UTF-8 text"),
    "10 MB file": (TEN_MEGABYTES, None, "the file is too large for notes"),
    "deeply nested list": (DEEP_INDENTED_LIST, 12, "lists or quotes are nested too deeply here"),
    "unterminated front matter": (
        UNTERMINATED_FRONT_MATTER,
        1,
        "the front matter opened here is never closed by '---'",
    ),
}


@pytest.mark.parametrize("case", list(NAMED_FAILURES))
def test_named_bad_inputs_are_refused_with_file_and_line(case: str) -> None:
    data, line, message = NAMED_FAILURES[case]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "karpathy-dwarkesh-2025.md"
        path.write_bytes(data)
        with pytest.raises(NotesError) as caught:
            read_notes(path)
    [problem] = caught.value.problems
    assert (problem.line, problem.message[: len(message)]) == (line, message)


def test_a_list_nested_as_deeply_as_markdown_reads_imports_whole() -> None:
    lines = [f"{'  ' * level}- Layer {level} builds on the layer above it." for level in range(9)]
    text = "\n".join(["## Layers", "", *lines, "", "## Next", "", "- A claim after the list."])
    notes = parse_notes(text, "layers.md")
    assert [fact.text for fact in notes.facts] == [
        *(line.lstrip(" -") for line in lines),
        "A claim after the list.",
    ]
    assert notes.topics == ("Layers", "Next")


@pytest.mark.parametrize("case", list(NAMED_FAILURES))
def test_cli_import_of_a_bad_file_exits_2_names_it_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    data, line, message = NAMED_FAILURES[case]
    db = tmp_path / "study.db"
    # The first start imports the bundled deck, whose slug the bad file shares.
    assert main(["--db", str(db), "import", str(AGENTS)]) == 0
    capsys.readouterr()
    before = dump(db)
    bad = tmp_path / "karpathy-dwarkesh-2025.md"
    bad.write_bytes(data)

    assert main(["--db", str(db), "import", str(bad)]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    where = f"{bad}:{line}" if line is not None else f"{bad}"
    assert f"eurekatutor: cannot import {bad}:\n{where}: {message}" in captured.err
    assert dump(db) == before
    with Tutor.open(db) as tutor:
        assert [talk.slug for talk in tutor.talks()] == ["karpathy-dwarkesh-2025", "agents"]


def test_cli_imports_the_good_file_and_refuses_the_bad_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "study.db"
    bad = tmp_path / "agents.md"
    bad.write_bytes(BOMB_SLUG.encode())
    started = time.perf_counter()

    assert main(["--db", str(db), "import", str(AGENTS), str(bad)]) == 2

    assert time.perf_counter() - started < 10
    captured = capsys.readouterr()
    assert "Agents and ghosts: 5 added, 0 updated, 0 retired, 0 unchanged" in captured.out
    assert f"{bad}:10: 'slug' must be lower-case letters, digits and dashes" in captured.err
    assert len(captured.err) < 1000
    with Tutor.open(db) as tutor:
        talks = tutor.talks()
        assert [talk.slug for talk in talks] == ["karpathy-dwarkesh-2025", "agents"]
        assert len(tutor.facts(talks[1].id)) == 5


# --- regressions: inputs the fuzzing found ----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "problems"),
    [
        # Each of these escaped as a bare Python error, or named the wrong line and problem.
        (
            "tagged_timestamp.md",
            [(3, "the front matter has 'date' that is not a valid date: 'yesterday'; write it")],
        ),
        (
            "tagged_bool.md",
            [(3, "the front matter has 'speakers' that is not true or false: 'maybe'; put it")],
        ),
        (
            "tagged_int.md",
            [(2, "the front matter has 'title' that is not a valid whole number: 'twelve'")],
        ),
        (
            "huge_integer.md",
            [(3, "the front matter has 'date' that is a number of 5,000 digits, too long")],
        ),
        (
            "huge_hex_numbers.md",
            [
                (2, "'title' is a number too long to read; put it in quotes"),
                (3, "'slug' must be lower-case letters, digits and dashes, not a number"),
            ],
        ),
        # Only front matter, and no line break at the end: the problem was put on line 4.
        ("only_front_matter.md", [(3, "no usable facts: write bullets, sentences or markers")]),
        # Markdown stops reading at the tenth level of a list: the rest of the file was lost.
        (
            "deep_list_hides_the_rest.md",
            [(12, "lists or quotes are nested too deeply here to be read (lists can nest 9")],
        ),
        # A list of 43 million items behind nine lines: printed whole, it took seconds and
        # hundreds of megabytes.
        (
            "alias_bomb.md",
            [(10, "'slug' must be lower-case letters, digits and dashes, not a list")],
        ),
    ],
)
def test_fuzzed_bad_file_names_file_line_and_problem(
    name: str, problems: list[tuple[int, str]]
) -> None:
    path = FUZZ / name
    started = time.perf_counter()
    with pytest.raises(NotesError) as caught:
        read_notes(path)
    assert time.perf_counter() - started < 2
    error = caught.value
    found = [
        (problem.line, problem.message[: len(message)])
        for problem, (_, message) in zip(error.problems, problems, strict=True)
    ]
    assert found == problems
    assert str(error).startswith(f"{path}:{problems[0][0]}: ")
    assert len(str(error)) < 400


def test_a_lone_surrogate_is_reported_as_not_utf8() -> None:
    # Text decoded with errors="surrogateescape" holds lone surrogates no UTF-8 file can.
    text = "---\ntitle: Agents\n---\n\n- Agents need a decade of\udcff research.\n"
    with pytest.raises(NotesError) as caught:
        parse_notes(text, "x.md")
    assert str(caught.value) == (
        "x.md:5: not UTF-8 text (a lone surrogate U+DCFF); save the file as UTF-8"
    )


def numbered_claims(count: int, seed: int) -> bytes:
    """Return notes of ``count`` distinct claims; another seed words every claim differently."""
    words = "agents learn models data memory reward humans ghosts animals scale compute".split()
    pick = random.Random(seed).choice
    return "".join(
        f"- {' '.join(pick(words) for _ in range(8))} number {index} {seed}.\n"
        for index in range(count)
    ).encode()


def test_reimporting_a_large_file_whose_facts_all_changed_does_not_hang(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    with Tutor.open(tmp_path / "study.db", clock=FrozenClock()) as tutor:
        path.write_bytes(numbered_claims(600, seed=1))
        assert tutor.import_notes(path).added == 600
        path.write_bytes(numbered_claims(600, seed=2))
        with time_limit(TIME_LIMIT):
            report = tutor.import_notes(path)
    assert report.added + report.updated == 600
    assert report.retired == report.added
