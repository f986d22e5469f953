"""Exports to other study apps: the only package that imports genanki; it sees domain values."""

from __future__ import annotations

from eurekatutor.export.anki import ExportError, ExportReport, TalkExport, export_anki

__all__ = ["ExportError", "ExportReport", "TalkExport", "export_anki"]
