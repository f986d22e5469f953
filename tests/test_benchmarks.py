"""The benchmarks run end to end on tiny collections and print their figures.

Nothing is timed here: they only have to keep working as the app changes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).parents[1] / "benchmarks"


def run(script: str, *arguments: str) -> str:
    """Run a benchmark script; return what it printed."""
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *arguments],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_scale_benchmark_measures_a_tiny_collection() -> None:
    arguments = ["--sizes", "60", "--talk-size", "30", "--runs", "1", "--answers", "20"]
    arguments += ["--review-log-mb", "0.05"]
    printed = run("scale_bench.py", *arguments, "--ui-answers", "3", "--json")
    text, _, listed = printed.partition("\n[")
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
    # The review log's import: every answer added, then none when imported again.
    assert "Importing a review log of 0.05 MB (" in text
    assert row["review_log_answers"] >= 500 and row["review_log_mb"] >= 0.05
    assert row["review_log_peak_mb"] >= row["review_log_opened_mb"] > 0
    assert row["review_log_s"] > 0 and row["review_log_again_s"] > 0


def test_the_scale_benchmark_measures_the_review_log_alone() -> None:
    arguments = ["--sizes", "30", "--talk-size", "30", "--review-log-mb", "0.02"]
    printed = run("scale_bench.py", *arguments, "--review-log-only")
    assert printed.startswith("30 facts in 1 talks, ")
    assert "Importing a review log of 0.02 MB (" in printed
    assert "importing it again (nothing to add)" in printed


def test_the_export_benchmark_exports_both_ways() -> None:
    printed = run("export_bench.py", "--facts", "200", "--repeat", "1")
    assert printed.startswith("200 facts -> 200 notes (")
    assert "EurekaTutor export_anki:" in printed and "bare genanki script:" in printed
    assert "ratio: " in printed
