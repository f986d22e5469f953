"""Layering: the core never imports the UI, and only persistence imports the database layer."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "src" / "eurekatutor"


def test_the_core_does_not_import_textual() -> None:
    code = (
        "import sys, eurekatutor, eurekatutor.tutor, eurekatutor.bootstrap, eurekatutor.cli;"
        "from eurekatutor import Tutor;"
        "bad = [m for m in sys.modules if m.split('.')[0] == 'textual'];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_each_library_is_imported_only_by_its_layer() -> None:
    owners = {
        "sqlmodel": "persistence",
        "sqlalchemy": "persistence",
        "alembic": "persistence",
        "textual": "ui",
        "genanki": "export",
        "fsrs": "scheduling",
        "fsrs_rs_python": "scheduling",
    }
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        layer = path.relative_to(PACKAGE).parts[0]
        for name in imports_of(path):
            owner = owners.get(name.split(".")[0])
            if owner and owner != layer:
                offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_the_domain_imports_no_other_layer() -> None:
    offenders = [
        f"{path.name} imports {name}"
        for path in (PACKAGE / "domain").rglob("*.py")
        for name in imports_of(path)
        if name.startswith("eurekatutor.")
        and not name.startswith(("eurekatutor.domain", "eurekatutor.errors"))
    ]
    assert offenders == []
