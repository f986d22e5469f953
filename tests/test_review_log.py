"""The review log as CSV: written in the FSRS optimizer's columns, read back, fuzzed."""

from __future__ import annotations

import csv
import io
import random
import sqlite3
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import DATA, FrozenClock
from eurekatutor.cli import main
from eurekatutor.domain import review_log
from eurekatutor.domain.review_log import BATCH_ROWS, FSRS_COLUMNS, parse_review_log
from eurekatutor.errors import ReviewLogError
from eurekatutor.persistence import store
from eurekatutor.tutor import Tutor

NOTES = DATA / "tutor" / "agents.md"


def studied(db: Path, clock: FrozenClock, days: int = 6) -> Tutor:
    """Return a tutor on ``db`` with the notes imported and several days of answers."""
    tutor = Tutor.open(db, clock=clock, kinds=["flashcard"], seed=3)
    tutor.import_notes(NOTES)
    rng = random.Random(5)
    for _ in range(days):
        while (question := tutor.next_question()) is not None:
            tutor.answer(question, rng.choice([1, 3, 3, 4]), seconds=rng.uniform(2, 9))
            clock.advance(minutes=2)
        clock.advance(days=1)
    return tutor


@pytest.fixture
def source(tmp_path: Path, clock: FrozenClock) -> Iterator[Tutor]:
    with studied(tmp_path / "source.db", clock) as tutor:
        yield tutor


def table(path: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(query).fetchall()


def saved(db: Path) -> list[tuple[object, ...]]:
    """Return what an import may change: the number of answers and every card."""
    return table(db, "SELECT count(*) FROM review") + table(db, CARDS)


CARDS = "SELECT f.key, c.phase, c.stability, c.difficulty, c.due, c.reps, c.lapses, c.last_review "
CARDS += "FROM card c JOIN fact f ON f.id = c.fact_id ORDER BY f.key"


def test_the_log_is_written_in_the_fsrs_optimizer_columns(source: Tutor, tmp_path: Path) -> None:
    out = tmp_path / "log.csv"
    assert source.export_review_log(out) == len(source.reviews())
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert tuple(rows[0])[:5] == FSRS_COLUMNS
    first = source.reviews()[0]
    fact = next(f for f in source.facts() if f.id == first.fact_id)
    assert rows[0] == {
        "card_id": str(first.fact_id),
        "review_time": str(int(first.reviewed_at.timestamp() * 1000)),
        "review_rating": str(first.rating),
        "review_state": "0",  # the fact was new
        "review_duration": str(round((first.seconds or 0) * 1000)),
        "talk": "agents",
        "fact_key": fact.key,
    }
    assert {row["review_state"] for row in rows} >= {"0", "1", "2"}
    times = [int(row["review_time"]) for row in rows]
    assert times == sorted(times)


def test_a_log_moves_a_history_to_another_database(
    source: Tutor, tmp_path: Path, clock: FrozenClock
) -> None:
    log = tmp_path / "log.csv"
    source.export_review_log(log)
    target_db = tmp_path / "target.db"
    with Tutor.open(target_db, clock=clock, kinds=["flashcard"]) as target:
        target.import_notes(NOTES)
        report = target.import_review_log(log)
        assert (report.added, report.facts, report.already_there, report.unknown) == (
            len(source.reviews()),
            5,
            0,
            0,
        )
        assert target.counts(None) == source.counts(None)
        assert target.mastery() == pytest.approx(source.mastery())
        # Importing it again adds nothing.
        again = target.import_review_log(log)
        assert (again.added, again.already_there) == (0, len(source.reviews()))
        # Imported answers teach FSRS, but the tutor did not predict them: no calibration.
        assert target.calibration().answers == 0
    assert table(target_db, CARDS) == table(tmp_path / "source.db", CARDS)


def test_a_log_without_fact_keys_finds_facts_by_card_id(
    source: Tutor, tmp_path: Path, clock: FrozenClock
) -> None:
    fact = source.facts()[0]
    start = round(clock().timestamp() * 1000)
    log = tmp_path / "anki.csv"
    log.write_text(
        "card_id,review_time,review_rating,review_state,review_duration\n"
        f"{fact.id},{start},3,2,5000\n"
        f"9999,{start},3,2,5000\n"
        f"{fact.id},{start + 60_000},1,2,\n",
        encoding="utf-8",
    )
    before = len(source.reviews(fact.id))
    report = source.import_review_log(log)
    assert str(report) == (
        "2 reviews added to 1 facts, 1 about cards not in this database (left out)"
    )
    imported = source.reviews(fact.id)[before:]
    assert [(r.rating, r.correct, r.seconds, r.mode) for r in imported] == [
        (3, True, 5.0, "imported"),
        (1, False, None, "imported"),
    ]
    # The schedule is rebuilt from the whole history: the last answer was a lapse.
    [memory] = [memory for f, memory, _ in source.fact_states() if f.id == fact.id]
    assert memory.due is not None and memory.due < clock() + timedelta(days=1)


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("card_id,review_rating\n1,3\n", 1, "the header lacks review_time"),
        ("card_id,review_time,review_rating\n1,1767603600000,5\n", 2, "review_rating 5 is not"),
        ("card_id,review_time,review_rating\n1,1767603600,3\n", 2, "not a time between 2000"),
        ("card_id,review_time,review_rating\n1,soon,3\n", 2, "'soon' is not a whole number"),
        ("card_id,review_time,review_rating\n,1767603600000,3\n", 2, "card_id is empty"),
        ("card_id,review_time,review_rating\n1,1767603600000\n", 2, "2 fields where the header"),
        ('card_id,review_time,review_rating\n"1,1767603600000,3\n', 2, "not valid CSV"),
        ("card_id,review_time,review_rating,review_state\n1,1767603600000,3,7\n", 2, "state 7"),
    ],
)
def test_a_bad_log_names_file_and_line_and_changes_nothing(
    source: Tutor,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    line: int,
    message: str,
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    before = saved(tmp_path / "source.db")
    with pytest.raises(ReviewLogError, match=rf"bad\.csv:{line}: .*{message}"):
        source.import_review_log(bad)
    source.close()
    assert main(["--db", str(tmp_path / "source.db"), "import", str(bad)]) == 2
    assert f"bad.csv:{line}:" in capsys.readouterr().err
    after = saved(tmp_path / "source.db")
    assert after == before


def test_export_and_import_from_the_command_line(
    source: Tutor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    count = len(source.reviews())
    source.close()
    log = tmp_path / "log.csv"
    assert main(["--db", str(tmp_path / "source.db"), "export", "reviews", str(log)]) == 0
    assert f"Wrote {count} reviews to {log}" in capsys.readouterr().out
    target = str(tmp_path / "target.db")
    assert main(["--db", target, "import", str(NOTES), str(log)]) == 0
    assert f"{count} reviews added to 5 facts" in capsys.readouterr().out


# Fuzzing: any bytes either import or raise ReviewLogError, and a failure writes nothing.

_EXPORTED: list[str] = []


def exported_log() -> str:
    """Return a real exported log (made once: hypothesis calls the test many times)."""
    if not _EXPORTED:
        rows = ["card_id,review_time,review_rating,review_state,review_duration,talk,fact_key"]
        start = 1767603600000
        for index in range(12):
            state, rating = index % 4, 1 + index % 4
            rows.append(f"{1 + index % 5},{start + index * 3_600_000},{rating},{state},4000,,")
        _EXPORTED.append("\n".join(rows) + "\n")
    return _EXPORTED[0]


@st.composite
def mutated_logs(draw: st.DrawFn) -> bytes:
    data = bytearray(exported_log().encode())
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "cut", "insert", "duplicate"]))
        if action == "flip" and data:
            at = min(where, len(data) - 1)
            data[at] ^= draw(st.integers(1, 255))
        elif action == "cut":
            data = data[:where] + data[where + draw(st.integers(1, 40)) :]
        elif action == "insert":
            data[where:where] = draw(
                st.sampled_from([b"\x00", b"\xff\xfe", b'"', b",", b"\n", b"-1", b"9" * 30])
            )
        else:
            data += data[where:]
    return bytes(data)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.one_of(
        mutated_logs(),
        st.binary(max_size=2000),
        st.text(max_size=2000).map(str.encode),
        st.lists(
            st.lists(st.text(alphabet='0123456789-,"\n abc', max_size=14), max_size=7),
            max_size=20,
        ).map(lambda rows: "\n".join(",".join(r) for r in rows).encode()),
    )
)
@example(data=b"card_id,review_time,review_rating\n1," + b"7" * 10_000_000)
@example(data=b"card_id,review_time,review_rating,review_duration\n1,1767603600000,3," + b"9" * 34)
@example(data=b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
@example(data=b"card_id,review_time,review_rating\n" + b"1,1767603600000,3\n" * 50_000)
@example(data="card_id,review_time,review_rating\n1,1767603600000,3\n".encode("utf-16"))
def test_any_file_imports_or_is_refused_whole(fuzz_tutor: tuple[Tutor, Path], data: bytes) -> None:
    tutor, folder = fuzz_tutor
    path = folder / "log.csv"
    path.write_bytes(data)
    before = (len(tutor.reviews()), tutor.fact_states())
    try:
        report = tutor.import_review_log(path)
    except ReviewLogError as error:
        assert str(error).startswith(str(path))
        assert (len(tutor.reviews()), tutor.fact_states()) == before
        return
    assert len(tutor.reviews()) == before[0] + report.added
    assert report.added + report.already_there + report.unknown == len(
        parse_review_log(data.decode("utf-8-sig"))
    )


@pytest.fixture(scope="module")
def fuzz_tutor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Tutor, Path]]:
    folder = tmp_path_factory.mktemp("fuzz")
    with Tutor.open(folder / "fuzz.db", clock=FrozenClock(), kinds=["flashcard"]) as tutor:
        tutor.import_notes(NOTES)
        yield tutor, folder


def test_the_fuzz_log_is_a_valid_log() -> None:
    rows = parse_review_log(exported_log())
    assert len(rows) == 12
    assert [row.rating for row in rows[:4]] == [1, 2, 3, 4]
    assert io.StringIO(exported_log()).readline().startswith("card_id,")


@pytest.mark.parametrize("microseconds", [123_456, 123_999])
def test_the_log_imported_back_into_its_own_database_changes_nothing(
    tmp_path: Path, clock: FrozenClock, microseconds: int
) -> None:
    # Real answers carry microseconds; the CSV keeps milliseconds (cut, not rounded up).
    clock.advance(microseconds=microseconds)
    with studied(tmp_path / "own.db", clock, days=2) as tutor:
        log = tmp_path / "log.csv"
        count = tutor.export_review_log(log)
        assert any(review.reviewed_at.microsecond % 1000 for review in tutor.reviews())
        report = tutor.import_review_log(log)
        assert (report.added, report.already_there) == (0, count)
        assert len(tutor.reviews()) == count


def test_an_answer_dated_in_the_future_is_refused_with_its_line(
    source: Tutor, tmp_path: Path, clock: FrozenClock
) -> None:
    log = tmp_path / "log.csv"
    source.export_review_log(log)
    lines = log.read_text(encoding="utf-8").splitlines()
    fields = lines[2].split(",")
    fields[1] = str(int(datetime(2099, 1, 1, tzinfo=UTC).timestamp() * 1000))
    lines[2] = ",".join(fields)
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = len(source.reviews())
    with pytest.raises(
        ReviewLogError, match=r"log\.csv:3: the answer is dated 2099-01-01 00:00 UTC, in the future"
    ):
        source.import_review_log(log)
    assert len(source.reviews()) == before


# A large log: read and written a batch at a time, all or nothing.


def long_log(path: Path, tutor: Tutor, rows: int, clock: FrozenClock) -> Path:
    """Write a log of ``rows`` answers about the tutor's facts, a minute apart, ending a day
    before the clock's time; return its path."""
    facts = tutor.facts()
    talk = tutor.talks()[0].slug
    end = round(clock().timestamp() * 1000) - 86_400_000
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([*FSRS_COLUMNS, "talk", "fact_key"])
        for index in range(rows):
            fact = facts[index % len(facts)]
            when = end - (rows - index) * 60_000
            writer.writerow([fact.id, when, 1 + index % 4, 2, 4000, talk, fact.key])
    return path


def import_peak(tmp_path: Path, clock: FrozenClock, rows: int) -> tuple[int, int]:
    """Import a log of ``rows`` answers into a new database; return how many it added and
    the peak of Python's memory while it did."""
    folder = tmp_path / str(rows)
    folder.mkdir()
    with Tutor.open(folder / "study.db", clock=clock, kinds=["flashcard"]) as tutor:
        tutor.import_notes(NOTES)
        log = long_log(folder / "log.csv", tutor, rows, clock)
        tracemalloc.start()
        try:
            added = tutor.import_review_log(log).added
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return added, peak


def test_a_log_five_times_longer_takes_no_more_memory(
    tmp_path: Path, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches of 100 rows, read and written, so that logs of many batches are quick.
    monkeypatch.setattr(review_log, "BATCH_ROWS", 100)
    monkeypatch.setattr(store, "_WRITE_BATCH", 100)
    small, small_peak = import_peak(tmp_path, clock, 2_000)
    large, large_peak = import_peak(tmp_path, clock, 10_000)
    assert (small, large) == (2_000, 10_000)
    assert large_peak < 1.25 * small_peak, (small_peak, large_peak)
    # Less than the file itself: it was never read whole (1.8 GB for 20 MB, when it was).
    size = (tmp_path / "10000" / "log.csv").stat().st_size
    assert large_peak < size, (large_peak, size)


def test_a_bad_line_after_many_batches_leaves_the_database_as_it_was(
    source: Tutor, tmp_path: Path, clock: FrozenClock, capsys: pytest.CaptureFixture[str]
) -> None:
    log = long_log(tmp_path / "long.csv", source, 3 * BATCH_ROWS + 7, clock)
    with log.open("a", encoding="utf-8") as handle:
        handle.write("1,1767603600000,9,2,4000,,\n")
    lines = 3 * BATCH_ROWS + 7 + 2
    before = saved(tmp_path / "source.db")
    with pytest.raises(ReviewLogError) as raised:
        source.import_review_log(log)
    assert str(raised.value) == f"{log}:{lines}: review_rating 9 is not 1 (again), 2, 3 or 4 (easy)"
    source.close()
    assert main(["--db", str(tmp_path / "source.db"), "import", str(log)]) == 2
    assert f"long.csv:{lines}: review_rating 9" in capsys.readouterr().err
    after = saved(tmp_path / "source.db")
    assert after == before


def test_an_answer_twice_in_the_log_is_added_once(source: Tutor, tmp_path: Path) -> None:
    fact = source.facts()[0]
    log = tmp_path / "twice.csv"
    log.write_text(
        "card_id,review_time,review_rating\n"
        f"{fact.id},1767603600000,3\n"
        f"{fact.id},1767603600000,1\n"  # the same answer, as far as a log can tell
        f"{fact.id},1767603600001,1\n",
        encoding="utf-8",
    )
    report = source.import_review_log(log)
    assert (report.added, report.already_there) == (2, 1)
    added = [r for r in source.reviews(fact.id) if r.mode == "imported"]
    assert [(r.rating, r.reviewed_at.microsecond) for r in added] == [(3, 0), (1, 1000)]


def test_a_line_too_long_for_a_log_is_refused_without_reading_it_whole(
    source: Tutor, tmp_path: Path
) -> None:
    log = tmp_path / "long_line.csv"
    log.write_bytes(b"card_id,review_time,review_rating\n1,1767603600000,3\n1," + b"7" * 10**6)
    with pytest.raises(ReviewLogError, match=r"long_line\.csv:3: a line longer than 64 KB"):
        source.import_review_log(log)


def test_a_log_about_other_facts_only_adds_nothing(source: Tutor, tmp_path: Path) -> None:
    log = tmp_path / "other.csv"
    log.write_text(
        "card_id,review_time,review_rating,review_state,review_duration,talk,fact_key\n"
        "1,1767603600000,3,2,,another-talk,its-fact\n"
        "9999,1767603600000,3,2,,,\n",
        encoding="utf-8",
    )
    before = len(source.reviews())
    report = source.import_review_log(log)
    assert (
        str(report) == "0 reviews added to 0 facts, 2 about cards not in this database (left out)"
    )
    assert len(source.reviews()) == before
