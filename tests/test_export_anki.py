"""The Anki export checked by Anki itself: import, render, then re-export after an edit."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from anki.collection import (
    Collection,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)
from anki.consts import CARD_TYPE_REV, QUEUE_TYPE_REV
from anki.import_export_pb2 import ImportResponse
from anki.notes import NoteId

from conftest import FrozenClock
from eurekatutor.domain.models import Fact, FactKind
from eurekatutor.export.anki import FORMAT_REVISED, ExportReport, deck_name, note_guid
from eurekatutor.tutor import Tutor

BUNDLED = Path(__file__).parents[1] / "decks" / "karpathy-dwarkesh-2025.md"
TITLE = "We're summoning ghosts, not building animals"
# The facts are imported an hour after the export format's revision date (and before the
# real now, as every clock is in real use: Anki stamps a note edited by hand with the real time).
IMPORTED = FORMAT_REVISED + timedelta(hours=1)
# Anki's template errors all link to this page ("The front of this card is blank", "No cloze
# 1 found on card", "Found '{{Nope}}', but there is no field called 'Nope'").
TEMPLATE_ERROR = "docs.ankiweb.net/templates/errors"

INTERN = "Today's agents, such as Claude and Codex, are impressive but still far from able to "
EDUCATION = "Before AGI, education is useful; after AGI, education is fun."


@dataclass
class Setup:
    tutor: Tutor
    clock: FrozenClock
    notes: Path
    collection: Collection
    folder: Path

    def export(
        self, name: str, *, talk_id: int | None = None, weak_only: bool = False
    ) -> tuple[Path, ExportReport]:
        path = self.folder / name
        report = self.tutor.export_anki(path, talk_id=talk_id, weak_only=weak_only)
        return path, report

    def import_into_anki(self, path: Path) -> ImportResponse.Log:
        request = ImportAnkiPackageRequest(
            package_path=str(path), options=ImportAnkiPackageOptions()
        )
        return self.collection.import_anki_package(request).log

    def notes_by_guid(self) -> dict[str, tuple[int, list[str], list[str]]]:
        """Return every Anki note as guid -> (modification time, fields, tags)."""
        found = {}
        for note_id in self.collection.find_notes(""):
            note = self.collection.get_note(note_id)
            found[note.guid] = (note.mod, list(note.fields), sorted(note.tags))
        return found

    def fact(self, text_start: str) -> Fact:
        return next(f for f in self.tutor.facts() if f.text.startswith(text_start))


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    notes = tmp_path / "karpathy.md"
    shutil.copy(BUNDLED, notes)
    clock = FrozenClock(IMPORTED)
    (tmp_path / "anki").mkdir()
    collection = Collection(str(tmp_path / "anki" / "collection.anki2"))
    with Tutor.open(tmp_path / "study.db", clock=clock) as tutor:
        tutor.import_notes(notes)
        yield Setup(tutor, clock, notes, collection, tmp_path)
    collection.close()


def assert_clean(log: ImportResponse.Log) -> None:
    """Assert the import raised none of the problems Anki reports."""
    assert len(log.conflicting) == 0
    assert len(log.first_field_match) == 0
    assert len(log.missing_notetype) == 0
    assert len(log.missing_deck) == 0
    assert len(log.empty_first_field) == 0


def visible_text(rendered: str) -> str:
    """Return what a card shows: no style sheet, no tags."""
    without_style = re.sub(r"<style>.*?</style>", "", rendered, flags=re.S)
    return re.sub(r"<[^>]+>", " ", without_style)


def test_the_bundled_talk_imports_into_a_fresh_collection(setup: Setup) -> None:
    path, report = setup.export("karpathy.apkg")
    log = setup.import_into_anki(path)
    assert_clean(log)
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (90, 0, 0)

    col = setup.collection
    topics = setup.tutor.topics(setup.tutor.talks()[0].id)
    assert len(topics) == 11
    names = {deck.name for deck in col.decks.all_names_and_ids()}
    assert names == {"Default", TITLE} | {f"{TITLE}::{topic}" for topic in topics}
    assert col.note_count() == report.notes == 90
    assert col.card_count() == report.cards
    fact_type = col.models.id_for_name("EurekaTutor Fact")
    quote_type = col.models.id_for_name("EurekaTutor Quote")
    assert len(col.find_notes(f"mid:{fact_type}")) == report.basic == 77
    assert len(col.find_notes(f"mid:{quote_type}")) == report.cloze == 13

    # Each topic's subdeck holds that topic's facts, the talk's deck none of its own.
    by_topic = {topic: 0 for topic in topics}
    for item in setup.tutor.facts():
        by_topic[item.topic] += 1
    for topic, count in by_topic.items():
        deck = col.decks.id_for_name(deck_name(TITLE, topic))
        notes = {col.get_card(card).nid for card in col.find_cards(f"did:{deck}")}
        assert len(notes) == count, topic
    talk_deck = col.decks.id_for_name(TITLE)
    assert col.db is not None
    assert col.db.scalar("select count() from cards where did = ?", talk_deck) == 0


def test_fields_and_tags_arrive_as_exported(setup: Setup) -> None:
    path, _ = setup.export("karpathy.apkg")
    setup.import_into_anki(path)
    notes = setup.notes_by_guid()

    lack = setup.fact("continual learning, real multimodality")
    mod, fields, tags = notes[note_guid(lack)]
    assert fields == [
        "What agents still lack?",
        "continual learning, real multimodality, using a computer like a human, and reasoning "
        "without cognitive gaps.",
        "The decade of agents",
        "Andrej Karpathy",
        "karpathy.md:21",
        "Main idea: Karpathy calls this the decade of agents, not the year of agents.",
    ]
    assert tags == ["andrej-karpathy", "claim", "the-decade-of-agents"]
    assert mod == int(IMPORTED.timestamp())

    career = setup.fact("Early neural network work")
    _, fields, tags = notes[note_guid(career)]
    assert fields[0] == "In order: Karpathy's career"
    assert fields[1].startswith("<ol><li>Early neural network work at the University of Toronto")
    assert "sequence" in tags

    education = setup.fact(EDUCATION)
    _, fields, tags = notes[note_guid(education)]
    # The card shows its topic, "Eureka and education": the deletion hides another word.
    assert "{{c1::enjoyment}}" in fields[0] and "{{c1::education}}" not in fields[0]
    assert fields[1:4] == [
        "Andrej Karpathy",
        "Eureka and education",
        "karpathy.md:" + str(education.source.line),
    ]
    assert tags == ["andrej-karpathy", "eureka-and-education", "quote"]


def test_every_card_renders_and_every_cloze_note_has_cards(setup: Setup) -> None:
    path, _ = setup.export("karpathy.apkg")
    setup.import_into_anki(path)
    col = setup.collection
    quote_type = col.models.id_for_name("EurekaTutor Quote")
    assert quote_type is not None
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        question, answer = card.question(), card.answer()
        assert TEMPLATE_ERROR not in question + answer
        assert visible_text(question).strip()
        assert visible_text(answer).strip()
        if card.note().mid == quote_type:
            assert "[...]" in question
            assert 'class="cloze"' in answer and "[...]" not in answer
    for note_id in col.find_notes(f"mid:{quote_type}"):
        note = col.get_note(note_id)
        deletions = {int(n) for n in re.findall(r"\{\{c(\d+)::", note["Text"])}
        assert deletions
        assert sorted(card.ord + 1 for card in note.cards()) == sorted(deletions)
    # The style sheet knows Anki's night mode.
    assert ".nightMode" in col.models.get(quote_type)["css"]  # type: ignore[index]


def test_an_edit_updates_its_note_in_place_and_leaves_the_rest_untouched(setup: Setup) -> None:
    path, _ = setup.export("first.apkg")
    setup.import_into_anki(path)
    col = setup.collection
    before = setup.notes_by_guid()

    intern = setup.fact(INTERN)
    education = setup.fact(EDUCATION)
    # The learner has been reviewing the claim in Anki: that history must survive the update.
    [card_id] = col.find_cards(f"nid:{note_id_of(col, note_guid(intern))}")
    card = col.get_card(card_id)
    card.type, card.queue, card.ivl, card.due = CARD_TYPE_REV, QUEUE_TYPE_REV, 12, 30
    col.update_card(card)

    text = setup.notes.read_text(encoding="utf-8")
    text = text.replace(INTERN + "replace a human intern.", INTERN + "replace a human employee.")
    text = text.replace(EDUCATION, EDUCATION.replace("is fun", "is pure fun"))
    setup.notes.write_text(text, encoding="utf-8")
    edited_at = setup.clock.advance(hours=2)
    report = setup.tutor.import_notes(setup.notes)
    assert (report.added, report.updated, report.retired) == (0, 2, 0)

    path, exported = setup.export("second.apkg")
    log = setup.import_into_anki(path)
    assert_clean(log)
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 2, 88)
    assert col.note_count() == 90
    assert col.card_count() == exported.cards

    after = setup.notes_by_guid()
    assert after.keys() == before.keys()
    mod, fields, _ = after[note_guid(intern)]
    assert fields[1] == INTERN + "replace a human employee."
    assert mod == int(edited_at.timestamp())
    _, fields, _ = after[note_guid(education)]
    assert "pure fun" in fields[0]
    unchanged = {guid for guid in before if guid not in {note_guid(intern), note_guid(education)}}
    assert {guid: after[guid] for guid in unchanged} == {guid: before[guid] for guid in unchanged}

    card = col.get_card(card_id)
    assert (card.type, card.ivl, card.due) == (CARD_TYPE_REV, 12, 30)

    # The same export again changes nothing.
    log = setup.import_into_anki(path)
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 0, 90)
    assert setup.notes_by_guid() == after


def test_an_edit_made_in_anki_survives_a_re_export_of_the_unchanged_fact(setup: Setup) -> None:
    path, _ = setup.export("first.apkg")
    setup.import_into_anki(path)
    col = setup.collection
    intern = setup.fact(INTERN)
    note = col.get_note(note_id_of(col, note_guid(intern)))
    note["Back"] = "My own words for it."
    col.update_note(note)
    assert col.get_note(note.id).mod > int(IMPORTED.timestamp())  # Anki stamps the real now

    path, _ = setup.export("second.apkg")
    log = setup.import_into_anki(path)
    assert len(log.updated) == 0
    assert col.get_note(note.id)["Back"] == "My own words for it."


def test_a_weak_only_export_imports_only_the_facts_not_mastered(setup: Setup) -> None:
    tutor = setup.tutor
    mastered = [f for f in tutor.facts() if f.topic == "Model collapse"]
    for item in mastered:
        assert item.id is not None
        tutor.answer(tutor.question_for(item.id, kind="flashcard"), 4)
    path, report = setup.export("weak.apkg", weak_only=True)
    log = setup.import_into_anki(path)
    assert_clean(log)
    assert len(log.new) == report.notes == 90 - len(mastered)
    names = {deck.name for deck in setup.collection.decks.all_names_and_ids()}
    assert f"{TITLE}::Model collapse" not in names
    assert f"{TITLE}::Autonomy and GDP" in names


def test_awkward_names_and_text_survive_the_trip(setup: Setup, tmp_path: Path) -> None:
    notes = tmp_path / "awkward.md"
    notes.write_text(
        "---\ntitle: C++::STL & <templates>\nspeakers: [Bjarne Stroustrup]\n---\n\n"
        '## Sets::maps & "quotes"\n\n'
        "- A claim where 3 < 5, an & and {{braces}} stay as written.\n\n"
        '> "Write {{Front}} and }} anywhere: to a template, 3 < 5 is only text."\n'
        "> — Bjarne Stroustrup\n",
        encoding="utf-8",
    )
    setup.tutor.import_notes(notes)
    [talk] = [t for t in setup.tutor.talks() if t.title.startswith("C++")]
    path, report = setup.export("awkward.apkg", talk_id=talk.id)
    log = setup.import_into_anki(path)
    assert_clean(log)
    assert len(log.new) == report.notes == 2
    col = setup.collection
    names = {deck.name for deck in col.decks.all_names_and_ids()}
    assert 'C++:STL & <templates>::Sets:maps & "quotes"' in names
    assert deck_name(talk.title, 'Sets::maps & "quotes"') in names
    shown = []
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        question, answer = card.question(), card.answer()
        assert TEMPLATE_ERROR not in question + answer
        shown.append(visible_text(answer))
        if card.note().note_type()["name"] == "EurekaTutor Quote":  # type: ignore[index]
            assert "[...]" in question
    assert any("3 &lt; 5, an &amp; and &#123;&#123;braces&#125;&#125; stay" in s for s in shown)
    assert any("&#125;&#125; and &#125;&#125; anywhere: to" in s for s in shown)
    tags = {tag for nid in col.find_notes("") for tag in col.get_note(nid).tags}
    assert tags == {"sets-maps-quotes", "claim", "quote", "bjarne-stroustrup"}


def test_exported_quotes_and_facts_keep_their_kind(setup: Setup) -> None:
    path, _ = setup.export("karpathy.apkg")
    setup.import_into_anki(path)
    notes = setup.notes_by_guid()
    for item in setup.tutor.facts():
        _, _, tags = notes[note_guid(item)]
        assert item.kind.value in tags
        assert (item.kind is FactKind.QUOTE) == ("quote" in tags)


def note_id_of(col: Collection, guid: str) -> NoteId:
    [note_id] = [nid for nid in col.find_notes("") if col.get_note(nid).guid == guid]
    return note_id
