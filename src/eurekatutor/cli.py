"""The command line: start the app, import, status, export. Errors go to stderr, exit 2."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from eurekatutor import __version__
from eurekatutor.bootstrap import DB_ENV_VAR, default_db_path, open_tutor
from eurekatutor.domain.models import Talk, slugify
from eurekatutor.domain.quality import choice_audit
from eurekatutor.domain.questions import QuestionKind
from eurekatutor.domain.text import shown_plain
from eurekatutor.errors import EurekaError
from eurekatutor.export.files import ExportExists
from eurekatutor.persistence.backup import (
    KEEP_BACKUPS,
    backups_dir,
    list_backups,
    restore_backup,
    take_backup,
)
from eurekatutor.scheduling.memory import MemoryModel, format_interval
from eurekatutor.stats_text import stats_lines
from eurekatutor.tutor import Tutor, utc_now

EXIT_USAGE = 2
# The commands that open the app (``None``: no command); the others print and end.
APP_COMMANDS = (None, "study", "quiz")
# The commands that save to the database: refused whole on a read-only one. The app (no
# command) opens on it for browsing, stats and export, and refuses what would save.
WRITING_COMMANDS = ("import", "study", "quiz")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``eurekatutor`` command."""
    parser = argparse.ArgumentParser(
        prog="eurekatutor",
        description="Study a talk's claims and quotes in the terminal. With no command, "
        "opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help=f"database file (default: ${DB_ENV_VAR}, else {default_db_path()})",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    study = commands.add_parser(
        "study",
        help="open the app straight on studying a talk; with no command, on the talks",
        description="Open the app on a study session: what is due, then new facts. Without "
        "a talk, the one with the most facts due (or, with none due, the first with new "
        "facts). The talks are listed when the session ends.",
    )
    study.add_argument("talk", nargs="?", metavar="SLUG_OR_TITLE", help="the talk to study")
    importer = commands.add_parser(
        "import",
        help="import or re-import talk notes (.md), or a review log (.csv)",
        description="Import talk-notes files, or review logs (.csv files in the FSRS "
        "optimizer's columns, as 'export reviews' writes them).",
    )
    importer.add_argument(
        "notes", type=Path, nargs="+", metavar="FILE", help="Markdown notes or CSV review logs"
    )
    importer.add_argument(
        "--replace",
        action="store_true",
        help="let notes replace another talk of the same slug (its facts are retired)",
    )
    commands.add_parser("status", help="print each talk's due/new/learned counts and mastery")
    questions = commands.add_parser(
        "questions",
        help="print the questions the tutor would ask about a talk, for its author to review",
        description="Print, for each fact of a talk, the question the tutor would ask in each "
        "format it can (with the answer), and what the quality gate turned down and why.",
    )
    questions.add_argument(
        "talk", nargs="?", metavar="SLUG_OR_TITLE", help="the talk (default: the first)"
    )
    questions.add_argument("--seed", type=int, default=0, help="draw another sample")
    quiz = commands.add_parser(
        "quiz", help="a timed exam-prep quiz in the app: every topic, weakest facts first"
    )
    quiz.add_argument(
        "--minutes", type=float, default=15, help="how long the quiz lasts (default: 15)"
    )
    quiz.add_argument(
        "--talk", metavar="SLUG_OR_TITLE", help="the talk to quiz on (default: the first)"
    )
    commands.add_parser(
        "calibration",
        help="how well the tutor predicts your answers: log loss and a reliability table",
    )
    stats = commands.add_parser(
        "stats",
        help="your progress: mastery, review calendar, forecast, retention, streak",
        description="Print your progress: mastery by topic now and 30 days ago, the review "
        "calendar, reviews and time per day, the forecast of due reviews, true retention, "
        "calibration, streak and eurekas per minute. --json prints every figure for scripts.",
    )
    stats.add_argument("--talk", metavar="SLUG_OR_TITLE", help="only this talk (default: all)")
    stats.add_argument("--json", action="store_true", help="print every figure as JSON")
    backup = commands.add_parser(
        "backup",
        help="back the database up now (it is also backed up once a day when opened)",
        description="Copy the database into the backups folder beside it, keeping the newest "
        f"{KEEP_BACKUPS}. Safe while the app is open.",
    )
    backup.add_argument("--list", action="store_true", help="only list the backups")
    restore = commands.add_parser(
        "restore",
        help="replace the database with a backup (the current one is kept as a backup)",
    )
    restore.add_argument("file", type=Path, metavar="FILE", help="a backup file, or its name")
    exporter = commands.add_parser("export", help="export facts to another study app")
    formats = exporter.add_subparsers(dest="format", metavar="FORMAT", required=True)
    anki = formats.add_parser(
        "anki",
        help="write an Anki package (.apkg): a deck per talk, a subdeck per topic",
        description="Write an Anki package. Importing a later export into Anki updates the "
        "notes of edited facts in place and leaves the others untouched.",
    )
    reviews = formats.add_parser(
        "reviews",
        help="write the review log as CSV for the FSRS optimizer tools",
        description="Write every graded answer as CSV: card_id, review_time (ms), "
        "review_rating (1-4), review_state (0-3), review_duration (ms), then talk and "
        "fact_key. 'eurekatutor import FILE.csv' reads it back.",
    )
    reviews.add_argument("out", type=Path, metavar="OUT.csv", help="the CSV file to write")
    anki.add_argument("out", type=Path, metavar="OUT.apkg", help="the package file to write")
    anki.add_argument("--talk", metavar="SLUG_OR_TITLE", help="only this talk (default: all)")
    anki.add_argument("--topic", metavar="NAME", help="only this topic (its name or slug)")
    anki.add_argument(
        "--weak-only",
        action="store_true",
        help="only facts not mastered yet (new, still learning, or recall below 90%%)",
    )
    anki.add_argument("--force", action="store_true", help="replace OUT.apkg if it exists")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    try:
        return _run(build_parser().parse_args(argv))
    except BrokenPipeError:
        # The reader went away (``eurekatutor status | head``): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    finally:
        gc.unfreeze()


def _started() -> None:
    """Take the garbage collector up once the command has started (``__main__.run`` holds
    it off until then). What starting built lives as long as the command: the collector's
    full passes leave it out instead of going through all of it (60 ms of the app's start)."""
    gc.freeze()
    gc.enable()


def _run(args: argparse.Namespace) -> int:
    if args.command not in APP_COMMANDS:
        _started()
    if args.command in ("backup", "restore"):
        # These work on the file, so that a damaged database can still be replaced.
        db = args.db.expanduser() if args.db is not None else default_db_path()
        try:
            if args.command == "restore":
                _restore(args.file, db)
            else:
                _backup(db, list_only=args.list)
        except EurekaError as error:
            print(shown_plain(f"eurekatutor: {error}"), file=sys.stderr)
            return EXIT_USAGE
        return 0
    try:
        # The adaptive tutor: every question kind, each fact asked in the format that suits it.
        tutor, seeded = open_tutor(args.db)
    except EurekaError as error:
        print(shown_plain(f"eurekatutor: {error}"), file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command in WRITING_COMMANDS:
            tutor.refuse_writes()
        for report in seeded:
            print(shown_plain(f"Imported the bundled deck: {report}"), file=sys.stderr)
        if args.command == "import":
            return _import(tutor, args.notes, replace=args.replace)
        if args.command == "calibration":
            _calibration(tutor)
            return 0
        if args.command == "stats":
            _stats(tutor, args.talk, as_json=args.json)
            return 0
        if args.command == "status":
            _status(tutor)
            return 0
        if args.command == "questions":
            _questions(tutor, args.talk, args.seed)
            return 0
        if args.command == "export" and args.format == "reviews":
            count = tutor.export_review_log(args.out)
            print(f"Wrote {count} reviews to {args.out}")
            return 0
        if args.command == "export":
            _export_anki(tutor, args.out, args.talk, args.topic, args.weak_only, args.force)
            return 0
        from eurekatutor.ui.app import EurekaApp

        minutes = args.minutes if args.command == "quiz" else None
        if minutes is not None and not 0 < minutes <= 180:
            raise EurekaError(f"a quiz lasts from 1 to 180 minutes, not {minutes:g}")
        talk = None
        if args.command == "study":
            talk = _find_talk(tutor, args.talk) if args.talk else tutor.talk_to_study()
        elif args.command == "quiz" and args.talk:
            talk = _find_talk(tutor, args.talk)
        if talk is not None:
            # Before the app draws: while it draws, the two take turns at the interpreter.
            tutor.prepare(talk.id)
        app = EurekaApp(tutor, quiz_minutes=minutes, study=talk)
        _started()
        app.run()
        # Textual prints an unexpected error's traceback and exits with 1: so does the command.
        return app.return_code or 0
    except EurekaError as error:
        print(shown_plain(f"eurekatutor: {error}"), file=sys.stderr)
        return EXIT_USAGE
    finally:
        tutor.close()
        if tutor.backup_problem:
            print(shown_plain(f"eurekatutor: warning: {tutor.backup_problem}"), file=sys.stderr)


def _import(tutor: Tutor, paths: list[Path], *, replace: bool = False) -> int:
    """Import each file (a review log if it ends in .csv); return 2 if any failed."""
    status = 0
    for path in paths:
        try:
            if path.suffix.lower() == ".csv":
                print(shown_plain(str(tutor.import_review_log(path))))
                continue
            report = tutor.import_notes(path, replace=replace)
        except EurekaError as error:
            print(shown_plain(f"eurekatutor: cannot import {path}:\n{error}"), file=sys.stderr)
            status = EXIT_USAGE
            continue
        print(shown_plain(str(report)))
        for warning in report.warnings:
            print(shown_plain(f"  warning: {warning}"))
    return status


def _backup(db: Path, list_only: bool) -> None:
    if not list_only:
        print(f"Backed up {db} to {take_backup(db, utc_now()).path}")
    backups = list_backups(db)
    print(f"{len(backups)} backups in {backups_dir(db)}, newest first:")
    for backup in backups:
        print(f"  {backup.path.name}  ({backup.reason})")


def _restore(file: Path, db: Path) -> None:
    source = file if file.exists() else backups_dir(db) / file.name
    saved = restore_backup(source, db, utc_now())
    print(f"Restored {db} from {source}.")
    if saved is not None:
        print(f"The database as it was is kept in {saved.path}")


def _status(tutor: Tutor) -> None:
    now = tutor.now()
    for talk in tutor.talks():
        counts = tutor.counts(talk.id)
        print(shown_plain(talk.title))
        print(f"  due {counts.due}, new {counts.new}, learned {counts.learned} of {counts.total}")
        upcoming = tutor.next_due(talk.id)
        if counts.due:
            print("  next review: now")  # what is due comes before what falls due later
        elif upcoming is not None:
            print(f"  next review in {format_interval(upcoming - now)}")
        for topic, value in tutor.mastery(talk_id=talk.id).items():
            print(shown_plain(f"  {value:4.0%}  {topic}"))


def _export_anki(
    tutor: Tutor,
    out: Path,
    talk_name: str | None,
    topic: str | None,
    weak_only: bool,
    force: bool,
) -> None:
    """Export to an Anki package and print what was written; raise ``EurekaError`` if not."""
    talk_id = _find_talk(tutor, talk_name).id if talk_name is not None else None
    try:
        report = tutor.export_anki(
            out, talk_id=talk_id, topic=topic, weak_only=weak_only, replace=force
        )
    except ExportExists as error:
        raise EurekaError(f"{error}: add --force to replace it") from None
    print(shown_plain(str(report)))
    print("Import it in Anki (File > Import); importing a later export updates it in place.")


def _questions(tutor: Tutor, name: str | None, seed: int) -> None:
    talks = tutor.talks()
    if not talks:
        raise EurekaError("no talk imported yet: import notes first")
    talk = _find_talk(tutor, name) if name else talks[0]
    samples = tutor.question_samples(talk.id, seed=seed)
    kinds = Counter(question.kind.value for sample in samples for question in sample.questions)
    shown = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    print(
        shown_plain(f"{talk.title}: {len(samples)} facts; can be asked as {shown or 'flashcards'}")
    )
    for sample in samples:
        print()
        print(
            shown_plain(f"{sample.fact.source}  {sample.fact.cue or ''} {sample.fact.text}".strip())
        )
        for question in sample.questions:
            print(shown_plain(f"  {question.kind.value}: [{question.header}] {question.prompt}"))
            if question.kind in (QuestionKind.CHOICE, QuestionKind.ORDER):
                print(shown_plain(f"      options: {' / '.join(question.choices or [])}"))
            expected = question.expected
            answer = " / ".join(expected) if isinstance(expected, list) else expected
            print(shown_plain(f"      answer: {answer}"))
        for finding in sample.rejected:
            print(shown_plain(f"  turned down: {finding}"))
    asked = [
        (str(question.expected), question.choices or [])
        for sample in samples
        for question in sample.questions
        if question.kind is QuestionKind.CHOICE
    ]
    for finding in choice_audit(asked):
        print()
        print(f"Taken together: {finding}.")


def _find_talk(tutor: Tutor, name: str) -> Talk:
    """Return the talk with this slug or title (any case); raise ``EurekaError`` if none."""
    wanted = name.strip().casefold()
    talks = tutor.talks()
    for talk in talks:
        if wanted in (talk.slug, talk.title.casefold()) or slugify(name) == talk.slug:
            return talk
    known = "; ".join(f"{talk.slug} ({talk.title})" for talk in talks) or "none imported yet"
    raise EurekaError(f"no talk {name!r}; the talks are: {known}")


def _calibration(tutor: Tutor) -> None:
    report = tutor.calibration()
    if not report.answers:
        print("No answers yet: study a little, then ask again.")
        return
    print(f"{report.answers} answers, {report.success_rate:.0%} right (target {tutor.target:.0%})")
    print(
        f"log loss {report.log_loss:.3f} against {report.baseline_log_loss:.3f} for always "
        f"predicting {report.success_rate:.0%} ({report.skill:+.0%} skill)"
    )
    print("predicted   answers  mean predicted  actually right")
    for row in report.rows:
        print(
            f"{row.low:.0%}-{row.high:.0%}".ljust(12)
            + f"{row.count:7d}  {row.predicted:14.0%}  {row.actual:14.0%}"
        )
    fitted = tutor.parameters != MemoryModel().parameters
    print("FSRS parameters: " + ("fitted to your reviews" if fitted else "defaults (need 400)"))


def _stats(tutor: Tutor, talk_name: str | None, as_json: bool) -> None:
    """Print the learner's progress, as text or JSON; raise ``EurekaError`` for an unknown
    talk."""
    talk = _find_talk(tutor, talk_name) if talk_name is not None else None
    stats = tutor.stats(talk_id=talk.id if talk else None)
    if as_json:
        print(json.dumps({"talk": talk.slug if talk else None, **stats.to_json()}, indent=2))
        return
    print(shown_plain("\n".join(stats_lines(stats, f"“{talk.title}”" if talk else "all talks"))))
