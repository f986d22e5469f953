"""Exports to other study apps: the only package that imports genanki; it sees domain values."""

from __future__ import annotations

from eurekatutor.export.anki import ExportReport, TalkExport, export_anki
from eurekatutor.export.files import ExportError

__all__ = ["ExportError", "ExportReport", "TalkExport", "export_anki"]
