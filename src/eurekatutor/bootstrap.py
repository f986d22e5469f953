"""The composition root: where the database lives, the bundled decks, and building the Tutor."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

from platformdirs import user_data_path

from eurekatutor.domain.models import ImportReport
from eurekatutor.tutor import Clock, Tutor, utc_now

DB_ENV_VAR = "EUREKATUTOR_DB"
APP_NAME = "eurekatutor"


def default_db_path() -> Path:
    """Return the database path: ``$EUREKATUTOR_DB`` if set, else the user's data directory."""
    override = os.environ.get(DB_ENV_VAR)
    if override:
        return Path(override).expanduser()
    return user_data_path(APP_NAME, appauthor=False) / "eurekatutor.db"


def bundled_decks_dir() -> Path:
    """Return the folder of the bundled decks.

    An installed wheel carries them inside the package; a source checkout (editable install)
    has them at the top of the repository.
    """
    packaged = Path(str(resources.files("eurekatutor"))) / "decks"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "decks"


def bundled_decks() -> list[Path]:
    """Return the bundled notes files, sorted by name."""
    return sorted(bundled_decks_dir().glob("*.md"))


def open_tutor(
    path_or_url: str | Path | None = None,
    *,
    clock: Clock = utc_now,
    import_bundled: bool = True,
    **options: Any,
) -> tuple[Tutor, list[ImportReport]]:
    """Return a tutor on the given (or default) database and the reports of any first import.

    On a database with no talks yet, ``import_bundled`` imports the bundled decks so the app
    opens on something to study (not into a read-only database: it is shown as it is).
    ``options`` go to ``Tutor.open``. Raises ``StoreError`` or ``NotesError`` when that fails.
    """
    path = path_or_url if path_or_url is not None else default_db_path()
    tutor = Tutor.open(path, clock=clock, **options)
    reports: list[ImportReport] = []
    if import_bundled and not tutor.read_only and not tutor.talks():
        try:
            reports = [tutor.import_notes(path) for path in bundled_decks()]
        except Exception:
            tutor.close()
            raise
    return tutor, reports
