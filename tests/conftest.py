"""Shared fixtures: a frozen clock and tutors on temporary databases."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import strategies as st
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from eurekatutor.tutor import Tutor
from eurekatutor.ui.screens.start import PlacementOfferDialog

DATA = Path(__file__).parent / "data"
BENCHMARKS = Path(__file__).parent.parent / "benchmarks"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def settle(pilot: Pilot[Any], rounds: int = 2) -> None:
    """Let the app's workers finish and the messages they posted be handled."""
    for _ in range(rounds):
        # A refresh may replace an exclusive worker we were waiting for: wait again then.
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def run_command(pilot: Pilot[Any], command: str, rounds: int = 2) -> None:
    """Open the command palette, type ``command``, and run the first match it lists."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*command)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot, rounds)


async def study_from_home(pilot: Pilot[Any]) -> None:
    """From the home screen, start studying the highlighted talk, from zero if it is new."""
    await pilot.press("enter")
    await settle(pilot)
    if isinstance(pilot.app.screen, PlacementOfferDialog):
        await pilot.press("s")


def load_benchmark(name: str) -> ModuleType:
    """Import a benchmark script (``benchmarks/NAME.py``) as the module ``NAME``."""
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Dataclasses look their module up in sys.modules while the class is built.
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def unwritable(*paths: Path) -> Iterator[None]:
    """Make files or folders truly unwritable by this process while the block runs: by their
    permissions, or, for root (whom permissions do not stop), by the immutable attribute,
    which the kernel enforces for root too. Skips the test where neither can be done."""
    modes = {path: path.stat().st_mode for path in paths}
    immutable: list[Path] = []
    try:
        for path in paths:
            path.chmod(modes[path] & ~0o222)
        if any(os.access(path, os.W_OK) for path in paths):
            chattr = shutil.which("chattr")
            if chattr is None:
                pytest.skip("permissions do not stop this user, and there is no chattr")
            for path in paths:
                done = subprocess.run([chattr, "+i", str(path)], capture_output=True, check=False)
                if done.returncode != 0:
                    pytest.skip(f"cannot make {path} immutable: {done.stderr.decode().strip()}")
                immutable.append(path)
        for path in paths:
            assert not os.access(path, os.W_OK), f"{path} is still writable"
        yield
    finally:
        for path in immutable:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        for path, mode in modes.items():
            path.chmod(mode)


class FrozenClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def utc_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make the local time UTC: study days start at 4 am local time, whatever the machine's."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "study.db"


@pytest.fixture
def tutor(db_path: Path, clock: FrozenClock) -> Iterator[Tutor]:
    """A tutor that asks flashcards only, as Anki would."""
    with Tutor.open(db_path, clock=clock, kinds=["flashcard"], seed=1) as opened:
        yield opened


@pytest.fixture
def adaptive(db_path: Path, clock: FrozenClock) -> Iterator[Tutor]:
    """A tutor that asks every kind of question, with seeded random choices."""
    with Tutor.open(db_path, clock=clock, seed=1) as opened:
        yield opened


# Text of markup, terminal escapes, control characters and Unicode, for hostile-input properties.
HOSTILE_TEXT = st.text(
    alphabet=st.sampled_from(
        [*"[]/@=!'\"()abc XYZ:;-–—…\\", "\x1b", "\x07", "\x9b", "\x00", "\u202e", "é", "漢"]
    ),
    min_size=1,
    max_size=40,
)
