"""Anki export: facts as an Anki package (.apkg) that imports cleanly and updates in place."""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import genanki

from eurekatutor.domain.analysis import Unit
from eurekatutor.domain.models import Fact, FactKind, TalkMeta, slugify
from eurekatutor.domain.questions import QuestionFactory, flashcard_answer, flashcard_prompt
from eurekatutor.export.cloze import cloze, to_html
from eurekatutor.export.files import ExportError, write_atomically

# Anki knows a note type by its id: these never change, or every learner's notes would be
# imported again under a new type. Fields and templates never change either (a changed schema
# makes Anki import a copy, "EurekaTutor Fact+"); only the CSS and the templates' HTML may.
BASIC_MODEL_ID = 1_316_666_268
CLOZE_MODEL_ID = 1_821_309_630
# No type-in-the-answer variant: Anki's {{type:...}} compares character by character, which
# marks a paraphrased claim or quote wrong, and typing whole claims on a phone is slow; the
# self-graded card matches EurekaTutor's own flashcards.
BASIC_FIELDS = ("Front", "Back", "Topic", "Speaker", "Source", "Context")
CLOZE_FIELDS = ("Text", "Speaker", "Topic", "Source", "Context")

# When the note types or the way fields are rendered last changed. Anki updates a note type or
# a note only when the incoming modification time is newer than its own, so every note is
# stamped with the later of this and its fact's last content change: bumping this date (to the
# day of the change, never a future one) makes every learner's notes pick up the new rendering
# once, and otherwise an unchanged fact keeps its stamp and stays untouched in Anki.
FORMAT_REVISED = datetime(2026, 11, 22, tzinfo=UTC)

# genanki's own convention for ids it does not hand out itself.
_ID_LOW, _ID_HIGH = 1 << 30, 1 << 31
_DECK_SEPARATOR = "::"

CSS = """\
.card {
  --et-text: #1f2328;
  --et-muted: #59636e;
  --et-accent: #0b5cad;
  --et-rule: #d1d9e0;
  --et-quote: #f1f4f8;
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px;
  line-height: 1.5;
  text-align: left;
  color: var(--et-text);
  background-color: #ffffff;
}
.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {
  --et-text: #e6edf3;
  --et-muted: #9ba7b4;
  --et-accent: #79b8ff;
  --et-rule: #3d444d;
  --et-quote: #262c36;
  background-color: #1e1e1e;
}
.et { max-width: 36em; margin: 0 auto; padding: 0 0.5em; }
.et-topic { font-size: 0.75em; color: var(--et-muted); text-transform: uppercase;
  letter-spacing: 0.04em; margin-bottom: 0.6em; }
.et-front { font-weight: 600; }
.et-back { margin-top: 0.2em; }
.et-back ol { margin: 0; padding-left: 1.4em; }
.et-quote { background-color: var(--et-quote); border-left: 4px solid var(--et-accent);
  border-radius: 4px; padding: 0.6em 0.9em; font-style: italic; }
.et-speaker { color: var(--et-muted); margin-top: 0.4em; }
.et-meta { font-size: 0.75em; color: var(--et-muted); margin-top: 1.2em; }
.et-context { font-size: 0.85em; color: var(--et-muted); margin-top: 0.8em; }
.et-context a { color: var(--et-accent); }
hr#answer { border: none; border-top: 1px solid var(--et-rule); margin: 1em 0; }
.cloze { font-weight: 700; font-style: normal; color: var(--et-accent); }
"""

_BACK_FOOTER = """\
<div class="et-meta">{{#Speaker}}{{Speaker}} · {{/Speaker}}{{Source}}</div>
{{#Context}}<div class="et-context">{{Context}}</div>{{/Context}}"""

BASIC_TEMPLATES = [
    {
        "name": "Recall",
        "qfmt": (
            '<div class="et">\n<div class="et-topic">{{Topic}}</div>\n'
            '<div class="et-front">{{Front}}</div>\n</div>'
        ),
        "afmt": (
            '<div class="et">\n<div class="et-topic">{{Topic}}</div>\n'
            '<div class="et-front">{{Front}}</div>\n<hr id="answer">\n'
            f'<div class="et-back">{{{{Back}}}}</div>\n{_BACK_FOOTER}\n</div>'
        ),
    }
]
# The topic is on the back only: a topic name ("Ghosts, not animals") often gives a deleted
# phrase away.
CLOZE_TEMPLATES = [
    {
        "name": "Cloze",
        "qfmt": (
            '<div class="et">\n<div class="et-quote">{{cloze:Text}}</div>\n'
            '{{#Speaker}}<div class="et-speaker">— {{Speaker}}</div>{{/Speaker}}\n</div>'
        ),
        "afmt": (
            '<div class="et">\n<div class="et-quote">{{cloze:Text}}</div>\n'
            '{{#Speaker}}<div class="et-speaker">— {{Speaker}}</div>{{/Speaker}}\n'
            '<hr id="answer">\n<div class="et-topic">{{Topic}}</div>\n'
            f"{_BACK_FOOTER}\n</div>"
        ),
    }
]

BASIC_MODEL = genanki.Model(
    BASIC_MODEL_ID,
    "EurekaTutor Fact",
    fields=[{"name": name} for name in BASIC_FIELDS],
    templates=BASIC_TEMPLATES,
    css=CSS,
)
CLOZE_MODEL = genanki.Model(
    CLOZE_MODEL_ID,
    "EurekaTutor Quote",
    fields=[{"name": name} for name in CLOZE_FIELDS],
    templates=CLOZE_TEMPLATES,
    css=CSS,
    model_type=genanki.Model.CLOZE,
)


@dataclass(frozen=True)
class TalkExport:
    """One talk to export: its facts in notes order and, per topic, the main claim.

    A main claim is the context shown on the back of its topic's other cards (and the key
    phrases of its quotes lean on it); it need not be among the exported facts.
    """

    talk: TalkMeta
    facts: tuple[Fact, ...]
    main_claims: Mapping[str, Fact] = field(default_factory=dict)
    # The talk's question factory, whose blanks the app asks (with what it read back from
    # the database); one over the exported facts alone when not given.
    questions: QuestionFactory | None = None


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote: the file, the talks, and how many decks, notes and cards."""

    path: Path
    talks: tuple[str, ...]
    decks: int
    basic: int
    cloze: int
    cards: int

    @property
    def notes(self) -> int:
        """Return the number of notes written."""
        return self.basic + self.cloze

    def __str__(self) -> str:
        talks = ", ".join(f"“{title}”" for title in self.talks)
        return (
            f"Wrote {self.path}: {_count(self.notes, 'note')} ({self.basic} basic, "
            f"{self.cloze} cloze), {_count(self.cards, 'card')}, "
            f"in {_count(self.decks, 'topic deck')} of {talks}"
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@dataclass
class _Tally:
    """What an export has written so far."""

    talks: list[str] = field(default_factory=list)
    decks: int = 0
    basic: int = 0
    cloze: int = 0
    cards: int = 0


def export_anki(
    talks: Iterable[TalkExport], out_path: str | Path, *, now: datetime, replace: bool = False
) -> ExportReport:
    """Write the talks' facts to an Anki package at ``out_path`` and return what was written.

    One deck per talk, a subdeck per topic (``Talk title::Topic``). ``now`` stamps the cards
    and any fact without a content-change time. ``talks`` may be a generator: each talk's
    notes are written to the package's database as it comes and then dropped, so a large
    collection never has to be in memory at once. The file is written to a temporary file in
    the same folder and renamed into place, so a reader never sees half a package. Raises
    ``ExportError`` when there is nothing to export or the path cannot be written (or what
    ``talks`` raises); then no file is left behind. An existing file is replaced only when
    ``replace`` says so (``write_atomically`` raises ``ExportExists`` otherwise, before
    anything is written).
    """
    path = Path(out_path).expanduser().absolute()
    _check_path(path)
    tally = _Tally()

    def write(raw: BinaryIO) -> None:
        # The collection database is written to disk beside the package, not kept in memory.
        with tempfile.TemporaryDirectory(prefix=f".{path.name}.", dir=path.parent) as folder:
            database = Path(folder) / "collection.anki2"
            _write_collection(talks, database, tally, now)
            with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as handle:
                handle.write(database, "collection.anki2")
                handle.writestr("media", "{}")

    write_atomically(path, write, replace=replace)
    return ExportReport(
        path=path,
        talks=tuple(tally.talks),
        decks=tally.decks,
        basic=tally.basic,
        cloze=tally.cloze,
        cards=tally.cards,
    )


@dataclass(frozen=True)
class TalkDecks:
    """One talk's genanki decks (the talk's, then a subdeck per topic, notes in them) and
    each note's modification time."""

    decks: list[genanki.Deck]
    mods: dict[str, int]  # note guid -> modification time (Unix seconds)


def build_decks(
    export: TalkExport, written: set[str], position: Iterator[int], *, now: datetime
) -> TalkDecks:
    """Return a talk's decks with a note for each of its facts not in ``written`` (the keys
    of the facts already in the package, to which these are added); ``position`` numbers the
    new cards in notes order across the package."""
    talk = export.talk
    decks = [genanki.Deck(deck_id(talk.slug), deck_name(talk.title), _description(talk))]
    mods: dict[str, int] = {}
    by_topic: dict[str, genanki.Deck] = {}
    # Quotes are blanked where the app blanks them: the same engine over the same facts.
    questions = export.questions or QuestionFactory(export.facts, talk.speakers)
    for fact in export.facts:
        if fact.key in written:
            # The same fact in two talks (one notes file imported twice) is one note.
            continue
        written.add(fact.key)
        deck = by_topic.get(fact.topic)
        if deck is None:
            deck = genanki.Deck(
                deck_id(f"{talk.slug}{_DECK_SEPARATOR}{fact.topic}"),
                deck_name(talk.title, fact.topic),
            )
            by_topic[fact.topic] = deck
            decks.append(deck)
        main = export.main_claims.get(fact.topic)
        blanks = questions.blanks(fact) if fact.kind is FactKind.QUOTE else ()
        note = make_note(fact, main, due=next(position), blanks=blanks)
        deck.add_note(note)
        mods[note.guid] = note_mod(fact, main, now=now)
    return TalkDecks(decks, mods)


def make_note(
    fact: Fact,
    main: Fact | None = None,
    *,
    due: int = 0,
    blanks: Sequence[Unit] | None = None,
) -> genanki.Note:
    """Return the Anki note of a fact: a cloze note for a quote, a basic note otherwise.

    The GUID is derived from the fact's stable key only, so an edited fact updates its note
    instead of adding a second one; ``due`` orders new cards as in the notes. A quote's
    deletions are its ``blanks`` (``QuestionFactory.blanks``, worked out for the fact alone
    when not given).
    """
    context = _context(fact, main)
    speaker = to_html(fact.speaker or "")
    source = to_html(str(fact.source))
    if fact.kind is FactKind.QUOTE:
        if blanks is None:
            blanks = QuestionFactory([fact]).blanks(fact)
        text = cloze(fact.text, blanks)
        fields = [text, speaker, to_html(fact.topic), source, context]
        model = CLOZE_MODEL
    else:
        fields = [
            to_html(flashcard_prompt(fact)),
            _back(fact),
            to_html(fact.topic),
            speaker,
            source,
            context,
        ]
        model = BASIC_MODEL
    return genanki.Note(
        model=model, fields=fields, tags=tags_for(fact), guid=note_guid(fact), due=due
    )


def note_guid(fact: Fact) -> str:
    """Return a fact's note GUID: genanki's hash of its stable key (never of its fields)."""
    return str(genanki.guid_for(fact.key))


def note_mod(fact: Fact, main: Fact | None = None, *, now: datetime) -> int:
    """Return a note's modification time in Unix seconds.

    It is the latest change of anything the note shows: the fact, the main claim in its
    context, and the export format (``FORMAT_REVISED``). A fact with no recorded change time
    (not from the store) gets ``now``.
    """
    times = [fact.updated_at or now, FORMAT_REVISED]
    if main is not None and main.key != fact.key:
        times.append(main.updated_at or now)
    return int(max(times).timestamp())


def tags_for(fact: Fact) -> list[str]:
    """Return a fact's tags: its topic's slug, its kind and its speaker's slug (no spaces)."""
    tags = [slugify(fact.topic), fact.kind.value]
    if fact.speaker:
        tags.append(slugify(fact.speaker))
    return list(dict.fromkeys(tags))


def deck_id(slug: str) -> int:
    """Return the deck id derived from a talk's slug (``slug::Topic`` for a topic's subdeck).

    It is the same from one export to the next.
    """
    digest = hashlib.sha256(f"eurekatutor-deck:{slug}".encode()).digest()
    return _ID_LOW + int.from_bytes(digest[:8], "big") % (_ID_HIGH - _ID_LOW)


def deck_name(title: str, topic: str | None = None) -> str:
    """Return a talk's deck name, or its topic's subdeck name ``Talk title::Topic``.

    A ``::`` inside a title or topic would nest decks, so it becomes ``:``.
    """
    parts = [title] if topic is None else [title, topic]
    return _DECK_SEPARATOR.join(
        " ".join(part.replace(_DECK_SEPARATOR, ":").split()) or "Untitled" for part in parts
    )


def _back(fact: Fact) -> str:
    if fact.kind is FactKind.SEQUENCE and fact.items:
        items = "".join(f"<li>{to_html(item)}</li>" for item in fact.items)
        return f"<ol>{items}</ol>"
    return to_html(flashcard_answer(fact))


def _context(fact: Fact, main: Fact | None) -> str:
    """Return the back's context: a quote's cue and the topic's main idea, when there are.

    It shows nothing that changes without a fact changing (not the talk's title), so a note's
    modification time (``note_mod``) always covers it.
    """
    parts = []
    if fact.kind is FactKind.QUOTE and fact.cue:
        parts.append(to_html(fact.cue))
    if main is not None and main.key != fact.key:
        parts.append(f"Main idea: {to_html(main.text)}")
    return "<br>".join(parts)


def _description(talk: TalkMeta) -> str:
    parts = []
    if talk.speakers:
        parts.append(html.escape(", ".join(talk.speakers)))
    if talk.date:
        parts.append(talk.date.isoformat())
    if talk.source_url:
        url = html.escape(talk.source_url)
        parts.append(f'<a href="{url}">{url}</a>')
    parts.append("Exported from EurekaTutor")
    return " · ".join(parts)


def _check_path(path: Path) -> None:
    if path.suffix.lower() != ".apkg":
        raise ExportError(f"{path}: an Anki package must end in .apkg (Anki imports no other)")
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a folder")
    if not path.parent.is_dir():
        raise ExportError(f"cannot write {path}: the folder {path.parent} does not exist")


def _write_collection(
    talks: Iterable[TalkExport], database: Path, tally: _Tally, now: datetime
) -> None:
    """Write the talks' decks and notes into a new Anki collection database, one talk at a
    time, counting them in ``tally``; raise ``ExportError`` when no talk has a fact."""
    timestamp = now.timestamp()
    ids = itertools.count(int(timestamp * 1000))
    connection = sqlite3.connect(database)
    try:
        cursor = connection.cursor()
        genanki.Package([]).write_to_db(cursor, timestamp, ids)  # the schema and the col row
        # The notes go in as each talk comes, the decks' and note types' JSON once at the end
        # (genanki's Deck.write_to_db rewrites all of it for every deck).
        (decks_json,) = cursor.execute("SELECT decks FROM col").fetchone()
        decks = json.loads(decks_json)
        # genanki stamps every note with one timestamp; Anki decides whether to update an
        # existing note by comparing these, so each gets its own time instead. The notes table
        # has no index on guid: join through a keyed temporary table instead of one scan per
        # note (10,000 notes: 0.05 s instead of 9 s).
        cursor.execute("CREATE TEMP TABLE note_mod (guid TEXT PRIMARY KEY, mod INTEGER)")
        written: set[str] = set()
        used: dict[int, tuple[genanki.Model, int]] = {}  # note types, with the last deck
        position = itertools.count(1)
        for export in talks:
            if not export.facts:
                continue
            built = build_decks(export, written, position, now=now)
            for deck in built.decks:
                decks[str(deck.deck_id)] = deck.to_json()
                for note in deck.notes:
                    note.write_to_db(cursor, timestamp, deck.deck_id, ids)
                    used[note.model.model_id] = (note.model, deck.deck_id)
                    tally.cards += len(note.cards)
                    if note.model is CLOZE_MODEL:
                        tally.cloze += 1
                    else:
                        tally.basic += 1
            cursor.executemany("INSERT INTO note_mod VALUES (?, ?)", built.mods.items())
            tally.talks.append(export.talk.title)
            tally.decks += len(built.decks) - 1
        if not written:
            raise ExportError("nothing to export: no fact matches")
        cursor.execute(
            "UPDATE notes SET mod = (SELECT mod FROM note_mod WHERE note_mod.guid = notes.guid)"
            " WHERE guid IN (SELECT guid FROM note_mod)"
        )
        # As genanki writes them (each with the last deck that used it), but stamped with
        # when their fields or templates last changed.
        models = {
            str(model.model_id): {
                **model.to_json(timestamp, deck_id),
                "mod": int(FORMAT_REVISED.timestamp()),
            }
            for model, deck_id in used.values()
        }
        cursor.execute(
            "UPDATE col SET decks = ?, models = ?", (json.dumps(decks), json.dumps(models))
        )
        connection.commit()
    finally:
        connection.close()
