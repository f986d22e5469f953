"""Notes that try to drive the terminal: escapes are removed at import, with the line, and
stored text is printed with its control characters shown, never obeyed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from rich.text import Text

from conftest import DATA, HOSTILE_TEXT
from eurekatutor.cli import main
from eurekatutor.domain.notes import parse_notes, read_notes
from eurekatutor.domain.text import shown_plain, strip_controls
from eurekatutor.errors import NotesError

ESCAPES = DATA / "hostile" / "escapes.md"


def test_escapes_are_removed_at_import_with_the_line_they_were_on() -> None:
    parsed = read_notes(ESCAPES)
    assert parsed.talk.title == "Escapes"
    assert parsed.talk.speakers == ("Ann Lee",)
    texts = [fact.text for fact in parsed.facts]
    assert texts == [
        "A claim with a title change in the middle of it.",
        "A claim that clears the screen when printed.",
    ]
    lines = sorted(int(w.split(":")[1]) for w in parsed.warnings if "escape sequences" in w)
    assert lines == [1, 8, 9]


def test_a_control_character_in_the_front_matter_is_removed_not_a_yaml_error() -> None:
    parsed = read_notes(DATA / "fuzz" / "control_character.md")
    assert parsed.talk.speakers == ("AndrejKarpathy",)
    assert any(
        w.startswith(f"{DATA / 'fuzz' / 'control_character.md'}:3: removed")
        for w in parsed.warnings
    )


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\x1b]0;PWNED\x07title", "title"),
        ("\x1b]52;c;ZWNobw==\x1b\\clip", "clip"),
        ("\x1b[2J\x1b[Hclear", "clear"),
        ("bell\x07 and C1\x9b31m", "bell and C1"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
    ],
)
def test_strip_controls(raw: str, clean: str) -> None:
    assert strip_controls(raw) == clean


def test_stored_escapes_are_printed_as_text(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db_path), "import", str(ESCAPES)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "escape sequences" in out
    # A database written before escapes were removed at import still holds them.
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE talk SET title = 'Old \x1b]0;PWNED\x07 title'")
    assert main(["--db", str(db_path), "status"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "Old \\x1b]0;PWNED\\x07 title" in out
    assert shown_plain("a\x1bb\tc\n") == "a\\x1bb\tc\n"


@settings(max_examples=200, deadline=None)
@given(title=HOSTILE_TEXT, topic=HOSTILE_TEXT, claim=HOSTILE_TEXT)
def test_any_markup_or_control_characters_import_clean_or_are_refused(
    title: str, topic: str, claim: str
) -> None:
    text = f"# {title}\n\n## {topic}\n\n- The claim about {claim} is long enough to keep.\n"
    try:
        parsed = parse_notes(text, "hostile.md")
    except NotesError:
        return  # refused whole, with its reasons: nothing imported
    fields = [parsed.talk.title, *parsed.talk.speakers, *parsed.topics]
    for fact in parsed.facts:
        fields += [fact.text, fact.cue or "", fact.topic, fact.speaker or ""]
    for field in fields:
        assert strip_controls(field) == field, repr(field)
        assert Text(field).plain == field  # shown as text, whatever brackets it holds
