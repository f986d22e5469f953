"""The Anki export on the genanki side: notes, cloze deletions, ids, stamps, files and scopes."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import genanki
import pytest

from conftest import DATA, FrozenClock
from eurekatutor.cli import main
from eurekatutor.domain.analysis import Unit, content_lemmas
from eurekatutor.domain.models import Fact, FactKind, SourceRef, TalkMeta
from eurekatutor.domain.notes import read_notes
from eurekatutor.domain.questions import QuestionFactory
from eurekatutor.export.anki import (
    BASIC_MODEL,
    CLOZE_MODEL,
    FORMAT_REVISED,
    ExportError,
    TalkExport,
    deck_id,
    deck_name,
    export_anki,
    make_note,
    note_guid,
    note_mod,
    tags_for,
)
from eurekatutor.export.cloze import cloze, deletions
from eurekatutor.export.files import LEFTOVER_AGE, ExportExists
from eurekatutor.tutor import Tutor

NOTES = DATA / "tutor" / "agents.md"
BUNDLED = Path(__file__).parents[1] / "decks" / "karpathy-dwarkesh-2025.md"
# Exports in these tests happen after the export format's revision date, as they do for real.
EXPORTED = FORMAT_REVISED + timedelta(days=1)
TALK = TalkMeta(
    title="Agents and ghosts",
    slug="agents-and-ghosts",
    speakers=("Andrej Karpathy", "Dwarkesh Patel"),
    date=date(2025, 10, 17),
    source_url="https://www.youtube.com/watch?v=lXUZvyajciY",
)


def fact(
    text: str,
    kind: FactKind = FactKind.CLAIM,
    *,
    topic: str = "The decade of agents",
    cue: str | None = None,
    items: tuple[str, ...] = (),
    speaker: str | None = "Andrej Karpathy",
    updated_at: datetime | None = None,
    main: bool = False,
    line: int = 10,
) -> Fact:
    return Fact(
        kind=kind,
        text=text,
        topic=topic,
        source=SourceRef(file="notes/agents.md", line=line),
        cue=cue,
        items=items,
        speaker=speaker,
        updated_at=updated_at,
        main=main,
    )


def cloze_numbers(field: str) -> set[int]:
    return {int(number) for number in re.findall(r"\{\{c(\d+)::", field)}


def hidden(field: str) -> list[str]:
    return re.findall(r"\{\{c\d+::(.*?)\}\}", field)


def read_collection(path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(path) as package:
        assert set(package.namelist()) == {"collection.anki2", "media"}
        data = package.read("collection.anki2")
    connection = sqlite3.connect(":memory:")
    connection.deserialize(data)
    return connection


# Cloze deletions


def quote_blanks(text: str) -> list[Unit]:
    fact = Fact(kind=FactKind.QUOTE, text=text, topic="T", source=SourceRef(file="n", line=1))
    return QuestionFactory([fact]).blanks(fact)


def test_a_number_in_a_quote_is_its_deletion_with_its_unit() -> None:
    text = "Resolving all foundational issues will likely take ~10 years, not 1 or 50."
    marked = cloze(text, quote_blanks(text))
    assert marked == (
        "Resolving all foundational issues will likely take {{c1::~10 years}}, not 1 or 50."
    )


def test_anki_hides_what_the_app_asks_and_never_what_the_card_shows() -> None:
    parsed = read_notes(BUNDLED)
    facts = [fact.model_copy(update={"id": n + 1}) for n, fact in enumerate(parsed.facts)]
    factory = QuestionFactory(facts, parsed.talk.speakers)
    quotes = [f for f in facts if f.kind is FactKind.QUOTE]
    assert len(quotes) == 13
    for quote in quotes:
        marked = cloze(quote.text, factory.blanks(quote))
        shown = hidden(marked)
        # Each deletion is one of the blanks the app's cloze questions ask.
        assert set(shown) <= {unit.text for unit in factory.blanks(quote)}, marked
        numbers = [int(n) for n in re.findall(r"\{\{c(\d+)::", marked)]
        assert numbers == list(range(1, len(numbers) + 1)), marked
        # Long quotes get up to three deletions, and most of the quote stays readable.
        assert 1 <= len(numbers) <= 3
        assert sum(len(p) for p in shown) < len(quote.text) / 3
        # No deletion hides a word of the topic the card shows beside it.
        for phrase in shown:
            assert not content_lemmas(phrase) & content_lemmas(quote.topic), phrase


def test_a_quote_without_a_blank_still_gets_a_deletion() -> None:
    assert cloze("It is what it is.") == "It is {{c1::what}} it is."
    assert deletions("...", []) == []
    with pytest.raises(ValueError, match="without words"):
        cloze("— …")


def test_quote_text_is_escaped_and_braces_cannot_close_a_deletion() -> None:
    marked = cloze("Templates write <b>{{Front}}</b>:: and }} closes a replacement field.")
    assert "<b>" not in marked and "&lt;b&gt;" in marked
    # Once our deletions are taken out, no brace is left for Anki to read as a deletion.
    assert not re.search(r"[{}]", re.sub(r"\{\{c\d+::[^{}]*\}\}", "", marked))
    assert cloze_numbers(marked) == {1}


# Notes


def test_a_claim_with_a_cue_becomes_a_basic_note() -> None:
    claim = fact(
        "continual learning & real multimodality",
        cue="What agents still lack",
        topic="The decade of agents",
    )
    main = fact("Karpathy calls this the decade of agents.", main=True)
    note = make_note(claim, main)
    assert note.model is BASIC_MODEL
    assert note.fields == [
        "What agents still lack?",
        "continual learning &amp; real multimodality",
        "The decade of agents",
        "Andrej Karpathy",
        "agents.md:10",
        "Main idea: Karpathy calls this the decade of agents.",
    ]
    assert note.tags == ["the-decade-of-agents", "claim", "andrej-karpathy"]
    assert len(note.cards) == 1


def test_a_sequence_is_an_ordered_list_and_a_number_asks_for_its_value() -> None:
    sequence = fact(
        "AlexNet\nAtari\nLLMs",
        FactKind.SEQUENCE,
        cue="Shifts in AI, in order",
        items=("AlexNet", "Atari", "LLMs"),
    )
    note = make_note(sequence)
    assert note.fields[:2] == [
        "In order: Shifts in AI",
        "<ol><li>AlexNet</li><li>Atari</li><li>LLMs</li></ol>",
    ]
    number = make_note(fact("about 10", FactKind.NUMBER, cue="Years until agents work"))
    assert number.fields[:2] == ["Years until agents work?", "about 10"]
    assert number.tags[1] == "number"


def test_a_quote_becomes_a_cloze_note_that_makes_a_card_per_deletion() -> None:
    quote = fact(
        "We're not actually building animals. We're building ghosts, or spirits, or whatever "
        "people want to call it, because we're doing training by imitation of humans.",
        FactKind.QUOTE,
        topic="Ghosts, not animals",
    )
    note = make_note(quote)
    assert note.model is CLOZE_MODEL
    assert note.tags == ["ghosts-not-animals", "quote", "andrej-karpathy"]
    numbers = cloze_numbers(note.fields[0])
    assert numbers == set(range(1, len(numbers) + 1)) and numbers
    assert sorted(card.ord for card in note.cards) == [n - 1 for n in sorted(numbers)]
    assert note.fields[1:4] == ["Andrej Karpathy", "Ghosts, not animals", "agents.md:10"]


def test_every_bundled_fact_makes_a_note_with_cards_and_clean_tags() -> None:
    parsed = read_notes(BUNDLED)
    main = {f.topic: f for f in parsed.facts if f.main}
    for item in parsed.facts:
        note = make_note(item, main.get(item.topic))
        assert note.cards, item
        assert all(tag and " " not in tag for tag in note.tags)
        assert note.fields[0].strip()


def test_the_guid_comes_from_the_stable_key_so_an_edit_keeps_the_note() -> None:
    original = fact("Today's agents cannot yet replace a human intern.")
    edited = original.model_copy(update={"text": "Today's agents cannot yet replace an employee."})
    assert edited.key == original.key
    assert note_guid(original) == genanki.guid_for(original.key) == note_guid(edited)
    # Never genanki's default, a hash of every field: an edit would make a second note.
    note = make_note(original)
    assert note.guid != genanki.guid_for(*note.fields)


def test_tags_never_contain_spaces() -> None:
    spaced = fact("A claim.", topic="Memory and the cognitive core", speaker="Dwarkesh  Patel")
    assert tags_for(spaced) == ["memory-and-the-cognitive-core", "claim", "dwarkesh-patel"]
    assert tags_for(fact("A claim.", speaker=None)) == ["the-decade-of-agents", "claim"]


# Note types and decks


def test_note_types_are_hard_coded_and_their_schema_never_changes() -> None:
    # Changing any of these makes Anki import a copy note type ("EurekaTutor Fact+") and
    # every learner's notes again: never edit them, add a new note type instead.
    assert BASIC_MODEL.model_id == 1_316_666_268
    assert CLOZE_MODEL.model_id == 1_821_309_630
    assert [f["name"] for f in BASIC_MODEL.fields] == [
        "Front",
        "Back",
        "Topic",
        "Speaker",
        "Source",
        "Context",
    ]
    assert [f["name"] for f in CLOZE_MODEL.fields] == [
        "Text",
        "Speaker",
        "Topic",
        "Source",
        "Context",
    ]
    assert [t["name"] for t in BASIC_MODEL.templates] == ["Recall"]
    assert [t["name"] for t in CLOZE_MODEL.templates] == ["Cloze"]
    assert CLOZE_MODEL.model_type == genanki.Model.CLOZE


def test_the_card_style_has_a_night_mode() -> None:
    for model in (BASIC_MODEL, CLOZE_MODEL):
        assert ".nightMode" in model.css and ".night_mode" in model.css
        assert ".cloze" in model.css


def test_deck_ids_derive_from_the_slug() -> None:
    assert deck_id("agents-and-ghosts") == deck_id("agents-and-ghosts") == 1_633_503_541
    assert deck_id("agents-and-ghosts") != deck_id("agents-and-ghosts::The decade of agents")
    assert all((1 << 30) <= deck_id(f"talk-{n}") < (1 << 31) for n in range(200))


def test_deck_names_nest_topics_under_the_talk() -> None:
    assert deck_name("Agents and ghosts") == "Agents and ghosts"
    assert deck_name("Agents and ghosts", "Ghosts, not animals") == (
        "Agents and ghosts::Ghosts, not animals"
    )
    # A "::" of the notes' own would nest one more deck.
    assert deck_name("C++::STL", "  Sets::maps ") == "C++:STL::Sets:maps"


# Modification times


def test_a_note_is_stamped_with_its_facts_last_change() -> None:
    changed = EXPORTED - timedelta(hours=5)
    stamped = fact("A claim.", updated_at=changed)
    assert note_mod(stamped, now=EXPORTED) == int(changed.timestamp())
    # An edit made later gives a newer stamp, which Anki applies.
    later = stamped.model_copy(update={"updated_at": changed + timedelta(minutes=1)})
    assert note_mod(later, now=EXPORTED) == int(changed.timestamp()) + 60


def test_a_change_to_the_main_idea_restamps_the_notes_that_show_it() -> None:
    changed = EXPORTED - timedelta(days=3)
    claim = fact("A claim.", updated_at=changed)
    main = fact("The main idea.", main=True, updated_at=EXPORTED - timedelta(hours=1))
    assert note_mod(claim, main, now=EXPORTED) == int((EXPORTED - timedelta(hours=1)).timestamp())
    assert note_mod(main, main, now=EXPORTED) == int((EXPORTED - timedelta(hours=1)).timestamp())


def test_stamps_never_predate_the_export_format_nor_need_a_stored_fact() -> None:
    old = fact("A claim.", updated_at=FORMAT_REVISED - timedelta(days=400))
    assert note_mod(old, now=EXPORTED) == int(FORMAT_REVISED.timestamp())
    assert note_mod(fact("A parsed claim."), now=EXPORTED) == int(EXPORTED.timestamp())


# Writing the package


def talk_export(*facts: Fact) -> TalkExport:
    return TalkExport(TALK, facts, {f.topic: f for f in facts if f.main})


def test_the_package_holds_the_decks_notes_and_their_own_stamps(tmp_path: Path) -> None:
    first = EXPORTED - timedelta(hours=2)
    second = EXPORTED - timedelta(hours=1)
    facts = (
        fact("Karpathy calls this the decade of agents.", main=True, updated_at=first),
        fact("Agents cannot yet replace an intern.", updated_at=first, line=11),
        fact(
            "We're not building animals. We're building ghosts.",
            FactKind.QUOTE,
            topic="Ghosts, not animals",
            updated_at=second,
            line=20,
        ),
    )
    out = tmp_path / "agents.apkg"
    report = export_anki([talk_export(*facts)], out, now=EXPORTED)
    assert str(report) == (
        f"Wrote {out}: 3 notes (2 basic, 1 cloze), {report.cards} cards, "
        "in 2 topic decks of “Agents and ghosts”"
    )
    db = read_collection(out)
    stamps = dict(db.execute("SELECT guid, mod FROM notes").fetchall())
    assert stamps == {
        note_guid(facts[0]): int(first.timestamp()),
        note_guid(facts[1]): int(first.timestamp()),
        note_guid(facts[2]): int(second.timestamp()),
    }
    decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
    names = {deck["name"]: int(deck_id_) for deck_id_, deck in decks.items()}
    assert names["Agents and ghosts"] == deck_id("agents-and-ghosts")
    assert names["Agents and ghosts::The decade of agents"] == deck_id(
        "agents-and-ghosts::The decade of agents"
    )
    assert "Agents and ghosts::Ghosts, not animals" in names
    assert "lXUZvyajciY" in decks[str(deck_id("agents-and-ghosts"))]["desc"]
    models = json.loads(db.execute("SELECT models FROM col").fetchone()[0])
    assert {m["name"]: m["mod"] for m in models.values()} == {
        "EurekaTutor Fact": int(FORMAT_REVISED.timestamp()),
        "EurekaTutor Quote": int(FORMAT_REVISED.timestamp()),
    }
    cards = db.execute("SELECT count(*) FROM cards").fetchone()[0]
    assert cards == report.cards >= 3


def test_topics_that_slugify_alike_keep_their_own_decks(tmp_path: Path) -> None:
    facts = (fact("A claim.", topic="Memory"), fact("Another claim.", topic="Memory!"))
    export_anki([talk_export(*facts)], tmp_path / "a.apkg", now=EXPORTED)
    decks = json.loads(
        read_collection(tmp_path / "a.apkg").execute("SELECT decks FROM col").fetchone()[0]
    )
    names = sorted(deck["name"] for deck in decks.values() if deck["name"] != "Default")
    assert names == ["Agents and ghosts", "Agents and ghosts::Memory", "Agents and ghosts::Memory!"]


def test_the_same_fact_in_two_talks_is_one_note(tmp_path: Path) -> None:
    twin = TalkMeta(title="Agents and ghosts, again", slug="agents-again")
    claim = fact("A claim made in both talks.")
    report = export_anki(
        [talk_export(claim), TalkExport(twin, (claim, fact("Only here.")))],
        tmp_path / "a.apkg",
        now=EXPORTED,
    )
    assert report.notes == 2
    assert len(guids(tmp_path / "a.apkg")) == 2


def test_the_same_facts_export_to_the_same_notes(tmp_path: Path) -> None:
    facts = (fact("A claim.", updated_at=EXPORTED - timedelta(days=1)),)
    rows = []
    for name, now in (("a.apkg", EXPORTED), ("b.apkg", EXPORTED + timedelta(days=9))):
        export_anki([talk_export(*facts)], tmp_path / name, now=now)
        db = read_collection(tmp_path / name)
        rows.append(db.execute("SELECT guid, mod, flds, tags FROM notes").fetchall())
    assert rows[0] == rows[1]


def test_nothing_to_export_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="nothing to export"):
        export_anki([talk_export()], tmp_path / "empty.apkg", now=EXPORTED)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing/out.apkg", r"cannot write .*out\.apkg: the folder .*missing does not exist"),
        ("a-folder.apkg", r"cannot write .*a-folder\.apkg: it is a folder"),
        ("deck.zip", r"deck\.zip: an Anki package must end in \.apkg"),
    ],
)
def test_a_path_that_cannot_be_written_is_a_clear_error(
    tmp_path: Path, name: str, message: str
) -> None:
    (tmp_path / "a-folder.apkg").mkdir()
    with pytest.raises(ExportError, match=message):
        export_anki([talk_export(fact("A claim."))], tmp_path / name, now=EXPORTED)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-folder.apkg"]


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs a folder nobody can write")
def test_a_folder_that_refuses_files_is_a_clear_error() -> None:
    with pytest.raises(ExportError, match=r"cannot write /proc/deck\.apkg: "):
        export_anki([talk_export(fact("A claim."))], "/proc/deck.apkg", now=EXPORTED)


def failing_after_one_talk(error: BaseException) -> Iterator[TalkExport]:
    """Yield one talk, then fail as a full disk or ctrl+c would in the middle of an export."""
    yield talk_export(fact("Another claim."))
    raise error


def test_a_failed_write_leaves_the_previous_file_and_no_partial_one(tmp_path: Path) -> None:
    out = tmp_path / "agents.apkg"
    export_anki([talk_export(fact("A claim."))], out, now=EXPORTED)
    before = out.read_bytes()

    full_disk = OSError(28, "No space left on device")
    with pytest.raises(ExportError, match=r"cannot write .*agents.apkg: No space left on device"):
        export_anki(failing_after_one_talk(full_disk), out, now=EXPORTED, replace=True)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["agents.apkg"]


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt):
        export_anki(failing_after_one_talk(KeyboardInterrupt()), tmp_path / "x.apkg", now=EXPORTED)
    assert list(tmp_path.iterdir()) == []


def test_the_written_file_is_readable_like_any_other(tmp_path: Path) -> None:
    out = tmp_path / "agents.apkg"
    export_anki([talk_export(fact("A claim."))], out, now=EXPORTED)
    assert out.stat().st_mode & 0o777 == 0o644
    os.chmod(out, 0o600)
    export_anki([talk_export(fact("A claim."))], out, now=EXPORTED, replace=True)
    assert out.stat().st_mode & 0o777 == 0o600


def test_an_existing_file_is_replaced_only_when_asked(tmp_path: Path) -> None:
    out = tmp_path / "agents.apkg"
    out.write_bytes(b"someone's own file")
    with pytest.raises(ExportExists, match=r"agents\.apkg exists already"):
        export_anki([talk_export(fact("A claim."))], out, now=EXPORTED)
    assert out.read_bytes() == b"someone's own file"
    export_anki([talk_export(fact("A claim."))], out, now=EXPORTED, replace=True)
    assert zipfile.is_zipfile(out)


def test_leftovers_of_a_killed_export_are_removed_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "agents.apkg"
    stale_file = tmp_path / ".agents.apkg.abc123.tmp"
    stale_folder = tmp_path / ".agents.apkg.xyz789"
    fresh = tmp_path / ".agents.apkg.now.tmp"  # another export, still running
    stale_file.write_bytes(b"x" * 1000)
    stale_folder.mkdir()
    (stale_folder / "collection.anki2").write_bytes(b"y")
    fresh.write_bytes(b"z")
    old = time.time() - LEFTOVER_AGE - 60
    for path in (stale_file, stale_folder):
        os.utime(path, (old, old))
    someone_elses = tmp_path / ".bashrc"
    someone_elses.write_text("kept")
    os.utime(someone_elses, (old, old))
    export_anki([talk_export(fact("A claim."))], out, now=EXPORTED)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".agents.apkg.now.tmp",
        ".bashrc",
        "agents.apkg",
    ]


# Scopes through the Tutor


@pytest.fixture
def exporter(db_path: Path) -> Iterator[tuple[Tutor, FrozenClock]]:
    clock = FrozenClock(EXPORTED)
    with Tutor.open(db_path, clock=clock) as tutor:
        tutor.import_notes(NOTES)
        yield tutor, clock


def exported_texts(path: Path) -> list[str]:
    db = read_collection(path)
    return [flds.split("\x1f")[0] for (flds,) in db.execute("SELECT flds FROM notes")]


def test_the_whole_talk_by_default(exporter: tuple[Tutor, FrozenClock], tmp_path: Path) -> None:
    tutor, _ = exporter
    report = tutor.export_anki(tmp_path / "all.apkg")
    assert (report.notes, report.basic, report.cloze, report.decks) == (5, 4, 1, 2)
    assert report.talks == ("Agents and ghosts",)


def test_one_topic_by_name_or_slug(exporter: tuple[Tutor, FrozenClock], tmp_path: Path) -> None:
    tutor, _ = exporter
    [talk] = tutor.talks()
    by_name = tutor.export_anki(tmp_path / "a.apkg", talk_id=talk.id, topic="ghosts, NOT animals")
    by_slug = tutor.export_anki(tmp_path / "b.apkg", topic="ghosts-not-animals")
    assert (by_name.notes, by_name.decks) == (by_slug.notes, by_slug.decks) == (2, 1)
    texts = exported_texts(tmp_path / "a.apkg")
    assert any("ghosts" in text for text in texts)
    assert not any("intern" in text for text in texts)


def test_an_unknown_topic_or_talk_is_an_error_listing_the_choices(
    exporter: tuple[Tutor, FrozenClock], tmp_path: Path
) -> None:
    tutor, _ = exporter
    with pytest.raises(ExportError, match=r"no topic 'robots'.*The decade of agents, Ghosts"):
        tutor.export_anki(tmp_path / "a.apkg", topic="robots")
    with pytest.raises(ExportError, match="no talk with id 99"):
        tutor.export_anki(tmp_path / "a.apkg", talk_id=99)
    assert not list(tmp_path.glob("*.apkg"))


def test_weak_only_keeps_what_is_not_mastered_yet(
    exporter: tuple[Tutor, FrozenClock], tmp_path: Path
) -> None:
    tutor, clock = exporter
    facts = tutor.facts()
    easy, forgotten, *_ = facts
    assert easy.id is not None and forgotten.id is not None
    tutor.answer(tutor.question_for(easy.id, kind="flashcard"), 4)  # Easy: straight to review
    tutor.answer(tutor.question_for(forgotten.id, kind="flashcard"), 1)  # Again: still learning
    report = tutor.export_anki(tmp_path / "weak.apkg", weak_only=True)
    assert report.notes == len(facts) - 1
    assert note_guid(easy) not in guids(tmp_path / "weak.apkg")
    # Weeks later its recall has dropped below the desired retention: weak again.
    clock.advance(days=60)
    assert tutor.recall_probability(easy.id) < 0.9
    report = tutor.export_anki(tmp_path / "later.apkg", weak_only=True)
    assert report.notes == len(facts)


def test_weak_only_with_everything_mastered_is_an_error(
    exporter: tuple[Tutor, FrozenClock], tmp_path: Path
) -> None:
    tutor, _ = exporter
    for item in tutor.facts():
        assert item.id is not None
        tutor.answer(tutor.question_for(item.id, kind="flashcard"), 4)
    with pytest.raises(
        ExportError, match="nothing to export: every fact in your talks is mastered"
    ):
        tutor.export_anki(tmp_path / "weak.apkg", weak_only=True)
    assert not list(tmp_path.glob("*.apkg"))


def guids(path: Path) -> set[str]:
    return {guid for (guid,) in read_collection(path).execute("SELECT guid FROM notes")}


# The command line


@pytest.fixture
def cli_db(db_path: Path) -> Path:
    with Tutor.open(db_path) as tutor:
        tutor.import_notes(NOTES)
    return db_path


def slug_of(db_path: Path) -> str:
    with Tutor.open(db_path) as tutor:
        [talk] = tutor.talks()
    return talk.slug


def test_cli_export_prints_what_it_wrote(
    cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "agents.apkg"
    assert (
        main(["--db", str(cli_db), "export", "anki", str(out), "--talk", "Agents AND ghosts"]) == 0
    )
    printed = capsys.readouterr().out
    assert f"Wrote {out}: 5 notes (4 basic, 1 cloze)" in printed
    assert "in 2 topic decks of “Agents and ghosts”" in printed
    assert zipfile.is_zipfile(out)


def test_cli_export_of_one_topic_of_weak_facts(
    cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--db", str(cli_db), "export", "anki", str(tmp_path / "topic.apkg")]
    scope = ["--talk", slug_of(cli_db), "--topic", "The decade of agents", "--weak-only"]
    assert main([*argv, *scope]) == 0
    assert "3 notes (3 basic, 0 cloze), 3 cards, in 1 topic deck of" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--talk", "Robots"], "no talk 'Robots'; the talks are: {slug} (Agents and ghosts)"),
        (["--topic", "Robots"], "no topic 'Robots' in your talks; the topics are: The decade"),
        (["--talk", "{slug}", "--topic", "x"], "no topic 'x' in “Agents and ghosts”"),
    ],
)
def test_cli_export_bad_input_exits_2_with_a_message(
    cli_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    slug = slug_of(cli_db)
    args = [arg.format(slug=slug) for arg in args]
    out = tmp_path / "x.apkg"
    assert main(["--db", str(cli_db), "export", "anki", str(out), *args]) == 2
    captured = capsys.readouterr()
    assert message.format(slug=slug) in captured.err and captured.out == ""
    assert not out.exists()


def test_cli_export_to_a_missing_folder_exits_2(
    cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "nope" / "x.apkg"
    assert main(["--db", str(cli_db), "export", "anki", str(out)]) == 2
    assert f"eurekatutor: cannot write {out}: the folder" in capsys.readouterr().err


def test_cli_export_needs_a_format_and_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["export", "anki"])
    assert exited.value.code == 2
    assert "OUT.apkg" in capsys.readouterr().err


def test_exporting_is_timed_to_the_tutors_clock(
    exporter: tuple[Tutor, FrozenClock], tmp_path: Path
) -> None:
    tutor, _ = exporter
    out = tmp_path / "a.apkg"
    tutor.export_anki(out, now=datetime(2027, 1, 1, tzinfo=UTC))
    db = read_collection(out)
    (card_mod,) = db.execute("SELECT max(mod) FROM cards").fetchone()
    assert card_mod == int(datetime(2027, 1, 1, tzinfo=UTC).timestamp())
    stamps = {mod for (mod,) in db.execute("SELECT mod FROM notes")}
    assert stamps == {int(EXPORTED.timestamp())}  # when the facts were imported
