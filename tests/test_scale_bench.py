"""The scale benchmark runs end to end on a tiny collection and prints every figure.

It times nothing here: it only has to keep working as the app changes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[1] / "benchmarks" / "scale_bench.py"


def test_the_scale_benchmark_measures_a_tiny_collection() -> None:
    arguments = ["--sizes", "60", "--talk-size", "30", "--runs", "1", "--answers", "20"]
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *arguments, "--ui-answers", "3", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    text, _, listed = done.stdout.partition("\n[")
    assert "| 60 (2) |" in text
    assert "Start-up in phases (medians): study: imports" in text
    assert "the list of talks with `eurekatutor`" in text
    (row,) = json.loads("[" + listed)
    assert (row["facts"], row["talks"], row["answers"]) == (60, 2, 20)
    assert row["history"] > 0 and row["ui_answers"] >= 1 and row["quiz_answers"] >= 1
    for way in ("study", "home", "list"):
        low, high = row[f"ratio_{way}_range"]
        assert 0 < low <= row[f"ratio_{way}"] <= high
    assert 0 < row["p50_ms"] <= row["p95_ms"] <= row["max_ms"]
    assert row["startup_home_s"] > row["phases_s"]["the list of talks"] > 0
    assert min(row["app_mb"], row["study_mb"], row["export_mb"], row["import_s"]) > 0
