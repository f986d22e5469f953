"""The export dialog driven like a user: opened by key or palette, filled in, file checked."""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static
from textual.widgets._toast import Toast

from conftest import DATA, FrozenClock, run_command, settle
from eurekatutor.export.anki import FORMAT_REVISED
from eurekatutor.tutor import Tutor
from eurekatutor.ui.app import EurekaApp
from eurekatutor.ui.screens.export import ExportDialog
from eurekatutor.ui.screens.home import HomeScreen

NOTES = DATA / "tutor" / "agents.md"


@pytest.fixture
def tutor_at_home(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Tutor]:
    # The dialog offers ~/<talk>.apkg: the home folder is the test's own.
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    # Paths typed in the dialog are relative to where the app was started.
    monkeypatch.chdir(tmp_path)
    with Tutor.open(db_path, clock=FrozenClock(FORMAT_REVISED + timedelta(days=1))) as tutor:
        tutor.import_notes(NOTES)
        yield tutor


def toasts(app: EurekaApp) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query(Toast)]


def notes_in(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as package:
        data = package.read("collection.anki2")
    db = sqlite3.connect(":memory:")
    db.deserialize(data)
    return [flds.split("\x1f")[0] for (flds,) in db.execute("SELECT flds FROM notes")]


async def type_path(pilot: Pilot[None], path: str) -> None:
    await pilot.click("#export-path")
    await pilot.press("ctrl+a", "ctrl+k", *path)


async def test_e_exports_the_talk_to_the_offered_file(tutor_at_home: Tutor, tmp_path: Path) -> None:
    messages: list[Message] = []
    app = EurekaApp(tutor_at_home)
    async with app.run_test(
        size=(80, 24), notifications=True, message_hook=messages.append
    ) as pilot:
        await settle(pilot, rounds=3)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        [talk] = tutor_at_home.talks()
        offered = f"~/{talk.slug}.apkg"
        assert app.screen.query_one("#export-path", Input).value == offered
        await pilot.press("enter")
        await settle(pilot, rounds=3)
        assert isinstance(app.screen, HomeScreen)
        written = tmp_path / "home" / f"{talk.slug}.apkg"
        [shown] = toasts(app)
        assert f"Wrote {written}: 5 notes (4 basic, 1 cloze)" in shown
        assert "in 2 topic decks of “Agents and ghosts”" in shown
    # The message is seen by the dialog and again as it bubbles to the app: one message.
    [exported] = {id(m): m for m in messages if isinstance(m, ExportDialog.Exported)}.values()
    assert exported.report.path == written and exported.report.notes == 5
    assert len(notes_in(written)) == 5


async def test_the_palette_opens_the_dialog_to_export_one_topic(
    tutor_at_home: Tutor, tmp_path: Path
) -> None:
    app = EurekaApp(tutor_at_home)
    out = tmp_path / "ghosts.apkg"
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot, rounds=3)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Export to Anki" in titles
        await run_command(pilot, "export to anki", rounds=3)
        assert isinstance(app.screen, ExportDialog)
        topics = app.screen.query_one("#export-topic", Select)
        assert topics.disabled  # until "One topic" is chosen
        await type_path(pilot, "ghosts.apkg")
        await pilot.click("#scope-topic")
        await pilot.pause()
        assert not topics.disabled
        await pilot.click("#export-topic")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert topics.value == "Ghosts, not animals"
        await pilot.click("#export-run")
        await settle(pilot, rounds=3)
        assert isinstance(app.screen, HomeScreen)
        assert any(f"Wrote {out}: 2 notes (1 basic, 1 cloze)" in toast for toast in toasts(app))
    exported = notes_in(out)
    assert len(exported) == 2
    assert not any("intern" in text for text in exported)


async def test_a_failed_export_keeps_the_dialog_open_to_fix_the_path(
    tutor_at_home: Tutor, tmp_path: Path
) -> None:
    app = EurekaApp(tutor_at_home)
    bad = tmp_path / "nope" / "agents.apkg"
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot, rounds=3)
        await pilot.press("e")
        await pilot.pause()
        await type_path(pilot, "nope/agents.apkg")
        await pilot.press("enter")
        await settle(pilot, rounds=3)
        assert isinstance(app.screen, ExportDialog)
        message = f"cannot write {bad}: the folder {bad.parent} does not exist"
        assert any(message in toast for toast in toasts(app))
        status = str(app.screen.query_one("#export-status", Static).render())
        assert message in status.replace("\n", "")
        good = tmp_path / "agents.apkg"
        await type_path(pilot, "agents.apkg")
        await pilot.press("enter")
        await settle(pilot, rounds=3)
        assert isinstance(app.screen, HomeScreen)
        assert good.exists() and not bad.parent.exists()


async def test_weak_only_when_all_is_mastered_says_so_and_escape_cancels(
    tutor_at_home: Tutor, tmp_path: Path
) -> None:
    for item in tutor_at_home.facts():
        assert item.id is not None
        tutor_at_home.answer(tutor_at_home.question_for(item.id, kind="flashcard"), 4)
    app = EurekaApp(tutor_at_home)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot, rounds=3)
        await pilot.press("e")
        await pilot.pause()
        await type_path(pilot, "weak.apkg")
        await pilot.click("#scope-weak")
        await pilot.click("#export-run")
        await settle(pilot, rounds=3)
        assert any("nothing to export: every fact" in toast for toast in toasts(app))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert not list(tmp_path.glob("*.apkg"))
    assert not list((tmp_path / "home").iterdir())


async def test_a_file_that_exists_is_replaced_only_when_export_is_pressed_again(
    tutor_at_home: Tutor, tmp_path: Path
) -> None:
    [talk] = tutor_at_home.talks()
    existing = tmp_path / "home" / f"{talk.slug}.apkg"
    existing.parent.mkdir(exist_ok=True)
    existing.write_bytes(b"an older package")
    app = EurekaApp(tutor_at_home)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot, rounds=3)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot, rounds=3)
        assert isinstance(app.screen, ExportDialog)
        assert "Press Export again to replace it." in str(
            app.screen.query_one("#export-status", Static).render()
        )
        assert existing.read_bytes() == b"an older package"
        await pilot.press("enter")
        await settle(pilot, rounds=3)
        assert isinstance(app.screen, HomeScreen)
    assert len(notes_in(existing)) == 5
