"""Scale benchmark: import, start-up, next-question latency, Anki export and peak memory."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import gc
import json
import math
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# Each notes file stays well under the importer's 256 KB cap; a talk this size is about ten
# times the bundled one, so 100,000 facts make a hundred talks.
TALK_SIZE = 1_000
FACTS_PER_TOPIC = 50
# The history: this share of the facts studied over this many days before today, each one
# reviewed whenever it fell due, by a learner whose answers follow the tutor's own model.
STUDIED_SHARE = 0.2
HISTORY_DAYS = 60
SECONDS_PER_ANSWER = 9.0
LEARN_AHEAD = timedelta(minutes=20)
# What the measured app imports that is not a library: this package and this script.
OWN_MODULES = ("eurekatutor", "__main__", "scale_bench")
# The libraries' top-level packages, for an empty app that imports only those.
APP_LIBRARIES = (
    "textual.app",
    "sqlmodel",
    "sqlalchemy",
    "pydantic",
    "fsrs",
    "fsrs_rs_python",
    "rapidfuzz",
    "yaml",
    "markdown_it",
    "platformdirs",
)
TERMINAL = (100, 32)
# The review log imported: a history of this many MB (as ``export reviews`` writes it), its
# answers over this many days before today.
REVIEW_LOG_MB = 20.0
REVIEW_LOG_DAYS = 2 * 365
# The two ways to the first question: ``eurekatutor study``, straight to it, and
# ``eurekatutor``, the list of talks, then enter.
COMMANDS = ("study", "home")
# The app's start-up in phases, each from one moment to the next (``None``: the spawning).
APP_PHASES: dict[str, dict[str, tuple[str | None, str]]] = {
    "study": {
        "imports": (None, "imported_at"),
        "opening the tutor, choosing and preparing the talk": ("imported_at", "opened_at"),
        "to the first question": ("opened_at", "shown_at"),
    },
    "home": {
        "the list of talks": ("opened_at", "home_at"),
        "enter to the first question": ("home_at", "shown_at"),
    },
}

# --- synthetic notes ----------------------------------------------------------------------------

FIELDS: dict[str, tuple[str, ...]] = {
    "machine learning": (
        "agents", "models", "tokens", "gradients", "transformers", "benchmarks", "datasets",
        "weights", "embeddings", "reward models", "context windows", "compilers", "optimizers",
        "tutors", "labelers", "evaluations", "checkpoints", "simulators", "chatbots", "kernels",
    ),
    "biology": (
        "cells", "proteins", "enzymes", "neurons", "genomes", "ribosomes", "mitochondria",
        "antibodies", "viruses", "membranes", "hormones", "synapses", "bacteria", "tissues",
        "receptors", "embryos", "chromosomes", "fungi", "plankton", "vaccines",
    ),
    "economics": (
        "markets", "prices", "wages", "tariffs", "central banks", "supply chains",
        "currencies", "startups", "pension funds", "households", "exporters", "landlords",
        "monopolies", "subsidies", "bonds", "cooperatives", "factories", "regulators",
        "insurers", "auctions",
    ),
    "history": (
        "empires", "treaties", "printing presses", "railways", "guilds", "armies",
        "monasteries", "city states", "trade routes", "revolutions", "dynasties", "canals",
        "merchants", "parliaments", "colonies", "archives", "cathedrals", "navies",
        "universities", "plagues",
    ),
    "physics": (
        "particles", "magnets", "lasers", "superconductors", "galaxies", "photons",
        "black holes", "crystals", "quasars", "neutrinos", "detectors", "telescopes",
        "plasmas", "semiconductors", "accelerators", "gravitational waves", "atoms",
        "fluids", "qubits", "isotopes",
    ),
}  # fmt: skip
ADJECTIVES = (
    "small", "noisy", "curated", "sparse", "dense", "cheap", "reliable", "fragile", "ancient",
    "modern", "distributed", "local", "hidden", "explicit", "adaptive", "stable", "volatile",
    "slow", "rapid", "robust", "expensive", "open", "closed", "early", "mature", "synthetic",
)  # fmt: skip
VERBS = (
    "compress", "replace", "amplify", "predict", "stabilise", "reshape", "outperform",
    "absorb", "imitate", "regulate", "accelerate", "fragment", "finance", "measure", "copy",
    "displace", "explain", "protect", "distort", "connect", "store", "filter",
)  # fmt: skip
FIRST_NAMES = (
    "Ada", "Alan", "Grace", "Claude", "Rosalind", "Enrico", "Lise", "Niels", "Emmy", "Kurt",
    "Hedy", "Paul", "Maria", "Richard", "Chien-Shiung", "John", "Barbara", "Srinivasa",
    "Dorothy", "Erwin", "Katherine", "Werner", "Vera", "Subrahmanyan",
)  # fmt: skip
LAST_NAMES = (
    "Lovelace", "Turing", "Hopper", "Shannon", "Franklin", "Fermi", "Meitner", "Bohr",
    "Noether", "Godel", "Lamarr", "Dirac", "Curie", "Feynman", "Wu", "Neumann", "McClintock",
    "Ramanujan", "Hodgkin", "Schrodinger", "Johnson", "Heisenberg", "Rubin", "Chandrasekhar",
)  # fmt: skip
PLACES = (
    "Toronto", "Geneva", "Kyoto", "Lagos", "Lisbon", "Cambridge", "Bangalore", "Nairobi",
    "Zurich", "Montreal", "Seoul", "Valparaiso", "Helsinki", "Cairo", "Edinburgh", "Osaka",
)  # fmt: skip
ORGS = (
    "Bell Labs", "Xerox PARC", "the Royal Society", "CERN", "the Medici Bank", "DeepMind",
    "the Bank of England", "the Pasteur Institute", "NASA", "the Dutch East India Company",
    "the Max Planck Society", "the Rockefeller Foundation", "MIT", "the Santa Fe Institute",
)  # fmt: skip
UNITS = ("parameters", "samples", "dollars", "kilometres", "hours", "experiments", "people")
FILLERS = ("you know", "I think", "honestly", "basically", "in a sense", "to be fair")


class TalkWriter:
    """Writes one talk's notes: topics of claims, quotes, numbers and sequences, all different."""

    def __init__(self, rng: random.Random, index: int) -> None:
        self.rng = rng
        self.index = index
        self.field = rng.choice(sorted(FIELDS))
        self.nouns = FIELDS[self.field]
        speakers = rng.sample(range(len(FIRST_NAMES)), 3)
        self.speakers = [f"{FIRST_NAMES[i]} {LAST_NAMES[i]}" for i in speakers]
        self.seen: set[str] = set()

    def noun(self) -> str:
        return self.rng.choice(self.nouns)

    def adjective(self) -> str:
        return self.rng.choice(ADJECTIVES)

    def verb(self) -> str:
        return self.rng.choice(VERBS)

    def speaker(self) -> str:
        return self.rng.choice(self.speakers[:2])

    def last_name(self) -> str:
        return self.speaker().split()[-1]

    def number(self) -> str:
        rng = self.rng
        return rng.choice(
            [
                f"about {rng.randint(2, 90)}",
                f"{rng.randint(2, 99)}%",
                f"{rng.randint(2, 900)} billion",
                f"{rng.randint(2, 50)}x",
                f"{rng.randint(1200, 2020)}",
                f"{rng.randint(2, 9)} million",
            ]
        )

    def claim(self) -> str:
        rng, n, a, v = self.rng, self.noun, self.adjective, self.verb
        templates: list[Callable[[], str]] = [
            lambda: (
                f"{self.last_name()} argues that {a()} {n()} will {v()} {n()} within "
                f"{rng.randint(2, 40)} years."
            ),
            lambda: (
                f"The {a()} {n()} of {rng.choice(PLACES)} {v()} {n()} better than "
                f"the {a()} {n()} of {rng.choice(PLACES)}."
            ),
            lambda: (
                f"Most {n()} in {rng.choice(PLACES)} still {v()} {n()} by hand, which "
                f"wastes about {rng.randint(5, 60)}% of the effort."
            ),
            lambda: (
                f"In {rng.randint(1500, 2024)}, {rng.choice(ORGS)} showed that {a()} "
                f"{n()} can {v()} {a()} {n()}."
            ),
            lambda: (
                f"{n().capitalize()} {v()} {n()} when the {n()} are {a()}, not when they are {a()}."
            ),
            lambda: (
                f"A {a()} collection of {n()} needs roughly {rng.randint(2, 900)} "
                f"{rng.choice(UNITS)}, far fewer than {rng.choice(ORGS)} assumed."
            ),
            lambda: f"Without {a()} {n()}, the {n()} cannot {v()} the {n()} reliably.",
            lambda: (
                f"{self.last_name()} compares {n()} to {n()}: both {v()} their {n()} "
                f"through {a()} feedback."
            ),
            lambda: (
                f"Every generation of {n()} learned to {v()} {n()} from the {a()} {n()} before it."
            ),
        ]
        return rng.choice(templates)()

    def quote(self) -> str:
        rng, n, a, v = self.rng, self.noun, self.adjective, self.verb
        sentences = [
            f"I think {n()} are kind of like {n()}, {rng.choice(FILLERS)}.",
            f"When you look at the {a()} {n()}, they {v()} everything around them.",
            f"Nobody expected {n()} to {v()} {n()} this fast.",
            f"It's not that the {n()} are {a()}, it's that we never measured the {n()}.",
            f"We spent {rng.randint(2, 30)} years trying to {v()} the {n()} and it didn't work.",
            f"The {a()} {n()} at {rng.choice(ORGS)} taught me more than any {n()} did.",
        ]
        return " ".join(rng.sample(sentences, rng.randint(1, 3)))

    def unique(self, make: Callable[[], str]) -> str:
        for _ in range(100):
            text = make()
            if text.casefold() not in self.seen:
                self.seen.add(text.casefold())
                return text
        raise RuntimeError("the vocabulary is too small for this many facts")

    def fact_lines(self) -> list[str]:
        """Return the Markdown of one fact (any kind), ending in a blank line when needed."""
        rng, n, a, v = self.rng, self.noun, self.adjective, self.verb
        roll = rng.random()
        if roll < 0.30:
            return [f"- {self.unique(self.claim)}"]
        if roll < 0.40:
            lead = self.unique(lambda: f"Why {a()} {n()} {v()} {n()}")
            return [f"- **{lead}**: {self.unique(self.claim)}"]
        if roll < 0.50:
            cue = self.unique(lambda: f"What do {a()} {n()} {v()} first, per {self.last_name()}?")
            return [f"- {cue} :: {a().capitalize()} {n()} from {rng.choice(PLACES)}."]
        if roll < 0.60:
            cue = self.unique(lambda: f"Why do {n()} {v()} {a()} {n()}?")
            return [f"- {cue} :: {self.unique(self.claim)}"]
        if roll < 0.70:
            label = self.unique(
                lambda: (
                    f"{rng.choice(['Years', 'Share of', 'Number of', 'Cost of'])} {a()} "
                    f"{n()} that {v()} {n()} in {rng.choice(PLACES)}"
                )
            )
            return [f"Number: {label} :: {self.number()}", ""]
        if roll < 0.82:
            text = self.unique(self.quote)
            return ["", f'> "{text}"', f"> — {self.speaker()}", ""]
        if roll < 0.90:
            text = self.unique(self.quote)
            return ["", f'Quote ({self.speaker()}): "{text}"', ""]
        title = self.unique(lambda: f"How {a()} {n()} came to {v()} {n()}, in order")
        items = [f"{a().capitalize()} {n()} in {place}" for place in rng.sample(PLACES, 4)]
        count = rng.randint(3, 4)
        return [
            "",
            f"Sequence: {title}",
            *(f"{i}. {item}" for i, item in enumerate(items[:count], 1)),
            "",
        ]

    def notes(self, facts: int) -> str:
        """Return a notes file of about ``facts`` facts."""
        lines = [
            "---",
            f"title: {self.field.capitalize()} at scale, part {self.index}",
            f"speakers: [{', '.join(self.speakers)}]",
            f"date: {2015 + self.index % 10}-0{1 + self.index % 9}-1{self.index % 10}",
            f"slug: scale-{self.index:04d}",
            "---",
            "",
        ]
        topics = max(1, round(facts / FACTS_PER_TOPIC))
        for topic in range(topics):
            name = self.unique(lambda: f"{self.adjective().capitalize()} {self.noun()}")
            lines += [f"## {name}", "", f"Main: {self.unique(self.claim)}", ""]
            share = facts // topics + (1 if topic < facts % topics else 0)
            for _ in range(share - 1):
                lines += self.fact_lines()
            lines.append("")
        return "\n".join(lines) + "\n"


def write_notes(folder: Path, facts: int, talk_size: int, seed: int) -> list[Path]:
    """Write notes files holding ``facts`` facts in talks of ``talk_size``; return their paths."""
    from eurekatutor.domain.notes import MAX_NOTES_BYTES

    rng = random.Random(seed)
    paths = []
    for index in range(math.ceil(facts / talk_size)):
        size = min(talk_size, facts - index * talk_size)
        text = TalkWriter(rng, index).notes(size)
        if len(text.encode()) > MAX_NOTES_BYTES:
            raise SystemExit(f"a talk of {size} facts is over the notes size cap: lower it")
        path = folder / f"scale-{index:04d}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


# --- the history --------------------------------------------------------------------------------


def build_history(db: Path, now: datetime, rng: random.Random) -> int:
    """Study a share of the facts over the days before ``now``; return how many answers.

    Each day the learner meets a few new facts of every talk, then answers whatever is due,
    learning steps included, until nothing is left; each answer is in a format that suits the
    fact's stage, right with the chance the tutor's own model gives, and goes through FSRS
    into the store like a real one.
    """
    from eurekatutor.persistence.store import AnswerRecord, Store
    from eurekatutor.scheduling.grading import Verdict, rating_for
    from eurekatutor.scheduling.memory import MemoryModel, MemoryState
    from eurekatutor.scheduling.prediction import NEW_FACT_RECALL, format_success
    from eurekatutor.scheduling.selection import stage_kinds

    store = Store(db)
    model = MemoryModel()
    talks = store.talks()
    sizes = {talk.id: store.counts(talk.id, now).total for talk in talks}
    answers = 0

    def answer(fact_id: int, when: datetime) -> None:
        nonlocal answers
        before: MemoryState = store.memory(fact_id)
        kind = rng.choice(stage_kinds(before))
        recall = NEW_FACT_RECALL if before.is_new else model.recall_probability(before, when)
        predicted = format_success(kind, recall)
        correct = rng.random() < predicted
        rating = rating_for(kind, before, Verdict(correct=correct, response=""))
        store.record_answer(
            AnswerRecord(
                fact_id=fact_id,
                question_kind=kind.value,
                reviewed_at=when,
                response="right" if correct else "wrong",
                rating=int(rating),
                correct=correct,
                seconds=SECONDS_PER_ANSWER,
                predicted=predicted,
                model_predicted=predicted,
            ),
            before,
            model.review(before, rating, when),
        )
        answers += 1

    for day in range(HISTORY_DAYS, 0, -1):
        clock = now - timedelta(days=day) + timedelta(minutes=rng.randint(-90, 90))
        for talk_id, size in sizes.items():
            share = STUDIED_SHARE * size / HISTORY_DAYS
            for fact_id in store.new_facts(talk_id, int(share) + (rng.random() < share % 1)):
                answer(fact_id, clock)
                clock += timedelta(seconds=SECONDS_PER_ANSWER)
        # Then whatever is due, learning steps included, until the session runs dry.
        while due := store.due_facts(None, clock + LEARN_AHEAD, 10_000):
            for fact_id in due:
                answer(fact_id, clock)
                clock += timedelta(seconds=SECONDS_PER_ANSWER)
    store.close()
    return answers


def leave_as_the_app_does(db: Path) -> None:
    """Save what the app saves for its next start: the calibration, as after its refits, and
    each talk's key phrases, as once the talk has been studied. A collection reused from an
    earlier run gets them too; what it has already is kept as it is."""
    from eurekatutor.tutor import Tutor

    with Tutor.open(db) as tutor:
        tutor.defer_refits = True
        tutor.refit_calibration()
        for talk in tutor.talks():
            tutor.prepare(talk.id)


# --- the measured processes ---------------------------------------------------------------------


def peak_mb() -> float:
    """Return this process's peak resident memory in MB.

    On Linux, from ``VmHWM``: ``ru_maxrss`` of a child process counts its parent's memory at
    the fork as well, which here would be the parent's, not the child's.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def reset_peak() -> None:
    """Start ``peak_mb`` again from the memory in use now, where Linux allows it."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def child_import(db: Path, notes: Sequence[Path]) -> dict[str, Any]:
    """Import every notes file into a new database; return the time taken and the facts."""
    from eurekatutor.bootstrap import open_tutor

    tutor, _ = open_tutor(db, import_bundled=False)
    start = time.perf_counter()
    for path in notes:
        tutor.import_notes(path)
    seconds = time.perf_counter() - start
    facts = tutor.counts(None).total
    tutor.close()
    return {"seconds": seconds, "facts": facts, "peak_mb": peak_mb()}


async def _until(condition: Callable[[], bool], timeout: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.0005)


def _press(app: Any, key: str) -> None:
    """Send a key as the terminal would, without the test pilot's waits for an idle app."""
    from textual import events

    characters = {"space": " ", "enter": "\r"}
    app.post_message(events.Key(key, characters.get(key, key)))


def child_app(db: Path, command: str, answers: int, seed: int) -> dict[str, Any]:
    """Run the command line (``eurekatutor --db DB`` for "home", ``eurekatutor --db DB
    study`` for "study") with its app in a test harness; time the first question on screen.

    "home" waits for the list of talks and presses enter; "study" opens on the question.
    The clock stops when the review screen has put its first question in its widgets (the
    next repaint shows it). Then ``answers`` questions are answered by key, each once the
    app is idle (a learner reads for seconds), timing a key to the next question; for a
    question with a verdict, the key to the verdict plus enter to the next question.
    """
    # The ``eurekatutor`` command (``eurekatutor.__main__.run``) holds the garbage collector
    # off from its first import; here the imports that follow are its imports.
    gc.disable()
    from textual.widgets import Input

    from eurekatutor.__main__ import run as command_line
    from eurekatutor.domain.questions import TRUE, QuestionKind
    from eurekatutor.ui.app import EurekaApp
    from eurekatutor.ui.screens.home import HomeScreen
    from eurekatutor.ui.screens.review import ReviewScreen

    figures: dict[str, Any] = {"imported_at": time.time()}
    rng = random.Random(seed)
    latencies: list[float] = []

    async def drive(app: EurekaApp) -> None:
        def idle() -> bool:
            return not any(worker.is_running for worker in app.workers)

        def asking() -> bool:
            return isinstance(app.screen, ReviewScreen) and app.screen.question is not None

        async with app.run_test(size=TERMINAL):
            if command == "home":
                await _until(lambda: isinstance(app.screen, HomeScreen) and bool(app.screen.views))
                figures["home_at"] = time.time()
                _press(app, "enter")
            await _until(asking)
            figures["shown_at"] = time.time()
            figures["peak_mb_first"] = peak_mb()
            figures["modules"] = sorted(
                name for name in sys.modules if not name.startswith(OWN_MODULES)
            )
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            review: ReviewScreen = screen

            def moved_on(asked: object) -> bool:
                return review.question is not asked and not review.busy

            for _ in range(answers):
                await _until(idle)
                question = review.question
                if question is None or app.screen is not review:
                    break
                right = rng.random() < 0.8
                kind = question.kind
                verdict = 0.0
                if kind is QuestionKind.FLASHCARD:
                    _press(app, "space")
                    await _until(lambda: review.step == "revealed")
                    start = time.perf_counter()
                    _press(app, "3" if right else "1")
                else:
                    start = time.perf_counter()
                    if kind is QuestionKind.CHOICE:
                        choices = question.choices or []
                        pick = question.expected if right else rng.choice(choices)
                        _press(app, str(choices.index(str(pick)) + 1))
                    elif kind is QuestionKind.TRUEFALSE:
                        _press(app, "t" if (question.expected == TRUE) == right else "f")
                    elif kind is QuestionKind.ORDER:
                        _press(app, "enter")  # nothing moved: the second enter gives up
                        _press(app, "enter")
                    else:
                        field = review.query_one("#review-input", Input)
                        field.value = str(question.expected) if right else "no idea"
                        _press(app, "enter")
                    await _until(lambda: review.step == "answered" and not review.busy)
                    verdict = time.perf_counter() - start
                    await _until(idle)
                    start = time.perf_counter()
                    _press(app, "enter")
                await _until(functools.partial(moved_on, question))
                latencies.append(verdict + time.perf_counter() - start)
            app.exit()

    def run(app: EurekaApp) -> None:
        # The command line has opened the tutor and built the app: run it in the harness.
        figures["opened_at"] = time.time()
        asyncio.run(drive(app))

    EurekaApp.run = run  # type: ignore[method-assign,assignment]
    arguments = ["--db", str(db), *(["study"] if command == "study" else [])]
    if command_line(arguments) != 0:
        raise SystemExit(f"eurekatutor {' '.join(arguments)} failed")
    figures.update({"latencies": latencies, "peak_mb": peak_mb()})
    return figures


def child_empty(modules: Path | None) -> dict[str, Any]:
    """Start an empty Textual app that imports the same libraries; time it until mounted.

    It imports the modules listed in the file ``modules`` (the library modules the app had
    loaded by its first question), or else just the libraries' top-level packages.
    """
    import importlib

    names = modules.read_text().split() if modules else APP_LIBRARIES
    for name in names:
        # A module that only imports as a part of another is there: its parent has it.
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    from textual.app import App

    figures: dict[str, Any] = {"imported_at": time.time()}
    app: App[None] = App()

    async def drive() -> None:
        async with app.run_test(size=TERMINAL):
            figures["shown_at"] = time.time()
            app.exit()

    asyncio.run(drive())
    figures["peak_mb"] = peak_mb()
    return figures


def child_study(db: Path, answers: int, seed: int) -> dict[str, Any]:
    """Answer questions through the review screen's calls to the tutor; time each one.

    An answer to the next question is what the review screen's workers do: record the answer,
    then read the next question, its flashcard intervals and what is left. As on the screen,
    the calibration's refit (every 20 answers) runs after the question is shown, while the
    learner reads it: it is timed apart.
    """
    from eurekatutor.bootstrap import open_tutor
    from eurekatutor.domain.questions import Question, QuestionKind
    from eurekatutor.sessions import Quiz, Study

    rng = random.Random(seed)
    now = datetime.now(UTC)

    def clock() -> datetime:
        return now

    start = time.perf_counter()
    tutor, _ = open_tutor(db, clock=clock, seed=seed)
    tutor.defer_refits = True
    opened = time.perf_counter() - start
    refits: list[float] = []
    talks = tutor.talks()
    session = Study(tutor, talks[0].id)
    turn = idle = 0

    def load_next() -> Question | None:
        question = session.next_question(clock())
        if question is not None and question.kind is QuestionKind.FLASHCARD:
            tutor.preview(question, clock())
        session.remaining(clock())
        if question is None:
            tutor.next_due(session.talk_id, clock())
        return question

    def read(question: Question | None) -> None:
        if question is not None and tutor.refit_due:
            start = time.perf_counter()
            tutor.refit_calibration()
            refits.append(time.perf_counter() - start)

    start = time.perf_counter()
    question = load_next()
    first = time.perf_counter() - start
    read(question)
    latencies: list[float] = []
    loads: list[float] = []  # the part after the answer is committed: reading the next question
    while len(latencies) < answers:
        if question is None:
            # This talk is done for now: on to the next, and later in the day after a round.
            turn, idle = turn + 1, idle + 1
            if idle >= len(talks):
                now, idle = now + timedelta(hours=1), 0
            session = Study(tutor, talks[turn % len(talks)].id)
            question = load_next()
            read(question)
            continue
        idle = 0
        now += timedelta(seconds=SECONDS_PER_ANSWER)
        start = time.perf_counter()
        session.answer(question, respond(question, rng), clock(), SECONDS_PER_ANSWER)
        recorded = time.perf_counter()
        question = load_next()
        latencies.append(time.perf_counter() - start)
        loads.append(time.perf_counter() - recorded)
        read(question)

    # Then a quiz on the first talk, as the review screen runs one.
    quiz = Quiz(tutor, 60, talks[0].id, clock())
    quizzed: list[float] = []
    question = quiz.next_question(clock())
    while question is not None and len(quizzed) < answers // 3:
        now += timedelta(seconds=SECONDS_PER_ANSWER)
        start = time.perf_counter()
        quiz.answer(question, respond(question, rng), clock(), SECONDS_PER_ANSWER)
        question = quiz.next_question(clock())
        quiz.remaining(clock())
        quizzed.append(time.perf_counter() - start)
        read(question)
    tutor.close()
    return {
        "open": opened,
        "first": first,
        "latencies": latencies,
        "loads": loads,
        "quiz": quizzed,
        "refits": refits,
        "peak_mb": peak_mb(),
    }


def respond(question: Any, rng: random.Random) -> Any:
    """Return a learner's answer to a question: right four times in five."""
    from eurekatutor.domain.questions import FALSE, TRUE, QuestionKind

    right = rng.random() < 0.8
    if question.kind is QuestionKind.FLASHCARD:
        return 3 if right else 1
    if question.kind is QuestionKind.TRUEFALSE:
        return question.expected if right else ({TRUE, FALSE} - {question.expected}).pop()
    if question.kind is QuestionKind.ORDER:
        return list(question.expected)[:: 1 if right else -1]
    if question.kind is QuestionKind.CHOICE:
        return question.expected if right else rng.choice(question.choices or [])
    return question.expected if right else "no idea"


def child_export(db: Path, out: Path) -> dict[str, Any]:
    """Export every talk to an Anki package; return the time taken."""
    from eurekatutor.bootstrap import open_tutor

    tutor, _ = open_tutor(db)
    start = time.perf_counter()
    report = tutor.export_anki(out)
    seconds = time.perf_counter() - start
    tutor.close()
    return {"seconds": seconds, "notes": report.notes, "peak_mb": peak_mb()}


def write_review_log(db: Path, out: Path, megabytes: float, seed: int) -> int:
    """Write a review-log CSV of about ``megabytes`` MB about the facts of ``db``, in the
    columns ``export reviews`` writes, oldest answer first; return how many answers.

    Each answer is about a fact drawn at random; the answers are spread over the
    ``REVIEW_LOG_DAYS`` days before yesterday: the log of another device, or of years of study.
    """
    import csv
    import io

    from eurekatutor.domain.review_log import FACT_COLUMNS, FSRS_COLUMNS
    from eurekatutor.tutor import Tutor

    with Tutor.open(db) as tutor:
        slugs = {talk.id: talk.slug for talk in tutor.talks()}
        facts = [(fact.id, slugs[fact.talk_id or 0], fact.key) for fact in tutor.facts()]
    rng = random.Random(seed)

    def row(at_ms: int) -> tuple[object, ...]:
        fact_id, slug, key = rng.choice(facts)
        rating = rng.choices((1, 2, 3, 4), (10, 10, 70, 10))[0]
        state = rng.choice((1, 2, 2, 2, 3))
        return (fact_id, at_ms, rating, state, rng.randrange(2_000, 20_000), slug, key)

    end_ms = round((datetime.now(UTC) - timedelta(days=1)).timestamp() * 1000)
    span_ms = REVIEW_LOG_DAYS * 86_400_000
    # As many rows as fill the size, by the length of a sample of them, evenly spread over
    # the span (a fact is never answered twice in one millisecond).
    sample = io.StringIO()
    csv.writer(sample, lineterminator="\n").writerows(row(end_ms) for _ in range(1_000))
    rows = max(1, round(megabytes * 1024 * 1024 * 1_000 / len(sample.getvalue())))
    step_ms = span_ms // rows
    with out.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(FSRS_COLUMNS + FACT_COLUMNS)
        for index in range(rows):
            writer.writerow(row(end_ms - span_ms + index * step_ms + rng.randrange(step_ms)))
    return rows


def child_review_log(db: Path, log: Path) -> dict[str, Any]:
    """Import a review log into the database, then again; return the time and peak memory
    of each (the second adds nothing)."""
    from eurekatutor.bootstrap import open_tutor

    tutor, _ = open_tutor(db, import_bundled=False)
    opened_mb = peak_mb()
    start = time.perf_counter()
    report = tutor.import_review_log(log)
    seconds = time.perf_counter() - start
    first_mb = peak_mb()
    reset_peak()
    start = time.perf_counter()
    again = tutor.import_review_log(log)
    again_s = time.perf_counter() - start
    tutor.close()
    return {
        "seconds": seconds,
        "added": report.added,
        "facts": report.facts,
        "opened_mb": opened_mb,
        "peak_mb": first_mb,
        "again_s": again_s,
        "again_added": again.added,
        "again_peak_mb": peak_mb(),
    }


def measure_review_log(db: Path, folder: Path, megabytes: float, seed: int) -> dict[str, Any]:
    """Write a review log of ``megabytes`` MB about the collection's facts and import it,
    twice, into a copy of the collection; return the figures."""
    log_path = folder / "reviews.csv"
    answers = write_review_log(db, log_path, megabytes, seed)
    copy = copy_db(db, folder)
    _, imported = run_child("reviews", str(copy), str(log_path))
    drop_copy(copy)
    size_mb = log_path.stat().st_size / (1024 * 1024)
    log_path.unlink()
    if imported["added"] != answers or imported["again_added"] != 0:
        raise SystemExit(
            f"the review log of {answers:,} answers added {imported['added']:,}, then "
            f"{imported['again_added']:,} again: it should add them all, then none"
        )
    return {
        "review_log_mb": size_mb,
        "review_log_answers": answers,
        "review_log_s": imported["seconds"],
        "review_log_peak_mb": imported["peak_mb"],
        "review_log_opened_mb": imported["opened_mb"],
        "review_log_again_s": imported["again_s"],
        "review_log_again_mb": imported["again_peak_mb"],
    }


def review_log_sentence(row: dict[str, Any]) -> str:
    """Return the review log's figures as a sentence."""
    return (
        f"Importing a review log of {row['review_log_mb']:.2f} MB "
        f"({row['review_log_answers']:,} answers): {row['review_log_s']:.1f} s, peak memory "
        f"{row['review_log_peak_mb']:.0f} MB ({row['review_log_opened_mb']:.0f} MB with the "
        f"tutor open, before it); importing it again (nothing to add) "
        f"{row['review_log_again_s']:.1f} s, peak {row['review_log_again_mb']:.0f} MB."
    )


def run_child(*args: str) -> tuple[float, dict[str, Any]]:
    """Run this script as a child; return when it was spawned and the figures it printed."""
    command = [sys.executable, __file__, "--child", *args]
    spawned = time.time()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[:1])} failed:\n{done.stderr}")
    return spawned, json.loads(done.stdout.strip().splitlines()[-1])


def copy_db(db: Path, folder: Path, backups: bool = True) -> Path:
    """Return a fresh copy of the database, so that every measured process starts the same.

    The copy has the database's backups beside it (linked, not copied): the app backs a
    database up on its first start of a day, and a measured start is not the day's first.
    """
    run = folder / f"run-{time.perf_counter_ns()}"
    run.mkdir()
    copy = run / db.name
    shutil.copyfile(db, copy)
    if backups and (db.parent / "backups").is_dir():
        (run / "backups").mkdir()
        for backup in (db.parent / "backups").iterdir():
            os.link(backup, run / "backups" / backup.name)
    return copy


def drop_copy(copy: Path) -> None:
    shutil.rmtree(copy.parent)


# --- the parent ---------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    """Return the ``share`` percentile (0..1) of ``values``, interpolated."""
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def prepare(size: int, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """Write the notes, import them, give the collection its history; return the figures.

    With ``--keep``, a collection prepared before in ``folder`` is used as it is, and its
    import is timed again, into a scratch database, so the figure is this code's.
    """
    from eurekatutor.tutor import Tutor

    saved = folder / "prepared.json"
    if saved.exists():
        log(f"{size:,} facts: the collection prepared before; timing its import again")
        figures: dict[str, Any] = json.loads(saved.read_text())
        scratch = folder / "import-again"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir()
        notes = sorted((folder / "notes").glob("*.md"))
        _, imported = run_child("import", str(scratch / "collection.db"), *map(str, notes))
        shutil.rmtree(scratch)
        figures.update(import_s=imported["seconds"], import_mb=imported["peak_mb"])
        return figures
    notes_dir = folder / "notes"
    notes_dir.mkdir(parents=True)
    notes = write_notes(notes_dir, size, args.talk_size, args.seed)
    db = folder / "collection.db"
    log(f"{size:,} facts: importing {len(notes)} notes files")
    _, imported = run_child("import", str(db), *map(str, notes))
    log(f"  imported {imported['facts']:,} facts in {imported['seconds']:.1f} s; studying")
    start = time.perf_counter()
    _, history = run_child("history", str(db), str(args.seed))
    answers = history["answers"]
    log(f"  {answers:,} answers of history in {time.perf_counter() - start:.0f} s; fitting FSRS")
    start = time.perf_counter()
    with Tutor.open(db):  # fits FSRS's parameters to the history, as the app would
        fitted = time.perf_counter() - start
    figures = {
        "facts": imported["facts"],
        "talks": len(notes),
        "history": answers,
        "import_s": imported["seconds"],
        "import_mb": imported["peak_mb"],
        "fit_s": fitted,
    }
    saved.write_text(json.dumps(figures))
    return figures


def measure(size: int, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """Build (or reuse) a collection of ``size`` facts and return its figures."""
    from eurekatutor.persistence.store import Store
    from eurekatutor.tutor import FITTED_AT_KEY

    figures = prepare(size, args, folder)
    db = folder / "collection.db"
    leave_as_the_app_does(db)
    store = Store(db)
    figures["due"] = store.counts(None, datetime.now(UTC)).due
    store.close()
    # A first start of each way in, not measured, lists the library modules the app loads.
    modules = {}
    for command in COMMANDS:
        copy = copy_db(db, folder)
        _, app = run_child("app", str(copy), command, "0", str(args.seed))
        drop_copy(copy)
        modules[command] = folder / f"modules-{command}.txt"
        modules[command].write_text("\n".join(app["modules"]))

    starts, empties, ratios = defaultdict(list), defaultdict(list), defaultdict(list)
    packages, app_peaks, empty_peaks = [], [], []
    ui_latencies: list[float] = []
    phases: dict[str, list[float]] = defaultdict(list)
    for run in range(args.runs):
        log(f"  start-up, run {run + 1} of {args.runs}")
        for command in COMMANDS:
            spawned, empty = run_child("empty", str(modules[command]))
            empties[command].append(empty["shown_at"] - spawned)
            phases[f"empty imports ({command})"].append(empty["imported_at"] - spawned)
            phases["empty mount"].append(empty["shown_at"] - empty["imported_at"])
            empty_peaks.append(empty["peak_mb"])
            copy = copy_db(db, folder)
            # Keys are pressed after the first question of the start from the talks.
            keys = args.ui_answers if command == "home" else 0
            spawned, app = run_child("app", str(copy), command, str(keys), str(args.seed + run))
            drop_copy(copy)
            starts[command].append(app["shown_at"] - spawned)
            # Each start against the empty app started just before it: the machine's speed
            # drifts over a run, and both see the same drift.
            ratios[command].append(starts[command][-1] / empties[command][-1])
            if command == "home":
                ratios["list"].append((app["home_at"] - spawned) / empties[command][-1])
            for phase, (begin, end) in APP_PHASES[command].items():
                phases[phase].append(app[end] - (spawned if begin is None else app[begin]))
            app_peaks.append(app["peak_mb"])
            ui_latencies += app["latencies"]
        spawned, empty = run_child("empty")
        packages.append(empty["shown_at"] - spawned)
    log("  the first start of a day (a backup), and a start due a refit of FSRS")
    copy = copy_db(db, folder, backups=False)
    spawned, app = run_child("app", str(copy), "study", "0", str(args.seed))
    first_of_day = app["shown_at"] - spawned
    drop_copy(copy)
    copy = copy_db(db, folder)
    store = Store(copy)
    store.set_meta(FITTED_AT_KEY, "0")
    store.close()
    spawned, app = run_child("app", str(copy), "study", "0", str(args.seed))
    refit_start, refit_mb = app["shown_at"] - spawned, app["peak_mb"]
    drop_copy(copy)
    log("  answering")
    copy = copy_db(db, folder)
    _, study = run_child("study", str(copy), str(args.answers), str(args.seed))
    drop_copy(copy)
    log("  exporting")
    _, export = run_child("export", str(db), str(folder / "out.apkg"))
    log(f"  importing a review log of {args.review_log_mb:g} MB")
    figures.update(measure_review_log(db, folder, args.review_log_mb, args.seed))
    latencies = study["latencies"]
    figures.update(
        {
            **{f"startup_{command}_s": statistics.median(starts[command]) for command in COMMANDS},
            **{f"empty_{command}_s": statistics.median(empties[command]) for command in COMMANDS},
            **{f"ratio_{way}": statistics.median(ratios[way]) for way in ratios},
            **{f"ratio_{way}_range": (min(ratios[way]), max(ratios[way])) for way in ratios},
            "packages_s": statistics.median(packages),
            "phases_s": {phase: statistics.median(times) for phase, times in phases.items()},
            "first_of_day_s": first_of_day,
            "refit_start_s": refit_start,
            "refit_mb": refit_mb,
            "app_mb": max(app_peaks),
            "empty_mb": max(empty_peaks),
            "open_s": study["open"],
            "first_s": study["first"],
            "p50_ms": 1000 * percentile(latencies, 0.5),
            "p95_ms": 1000 * percentile(latencies, 0.95),
            "max_ms": 1000 * max(latencies),
            "load_p50_ms": 1000 * percentile(study["loads"], 0.5),
            "load_p95_ms": 1000 * percentile(study["loads"], 0.95),
            "answers": len(latencies),
            "refit_ms": 1000 * statistics.median(study["refits"]) if study["refits"] else 0.0,
            "quiz_p50_ms": 1000 * percentile(study["quiz"], 0.5),
            "quiz_p95_ms": 1000 * percentile(study["quiz"], 0.95),
            "quiz_answers": len(study["quiz"]),
            "ui_p50_ms": 1000 * percentile(ui_latencies, 0.5) if ui_latencies else math.nan,
            "ui_p95_ms": 1000 * percentile(ui_latencies, 0.95) if ui_latencies else math.nan,
            "ui_answers": len(ui_latencies),
            "study_mb": study["peak_mb"],
            "export_s": export["seconds"],
            "export_mb": export["peak_mb"],
        }
    )
    return figures


def table(rows: Sequence[dict[str, Any]]) -> str:
    """Return the figures as a Markdown table, one row per collection size."""
    lines = [
        "| facts (talks) | import | first question: `eurekatutor study` (empty app) | from the "
        "talks, then enter (empty app) | next question p50 / p95 | same, pressing keys "
        "| Anki export | peak memory: app / study / export |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        starts = (
            f"| {row[f'startup_{command}_s']:.2f} s ({row[f'empty_{command}_s']:.2f} s, "
            f"{row[f'ratio_{command}']:.2f}x) "
            for command in COMMANDS
        )
        lines.append(
            f"| {row['facts']:,} ({row['talks']}) | {row['import_s']:.1f} s "
            + "".join(starts)
            + f"| {row['p50_ms']:.1f} / {row['p95_ms']:.1f} ms "
            f"| {row['ui_p50_ms']:.1f} / {row['ui_p95_ms']:.1f} ms "
            f"| {row['export_s']:.1f} s "
            f"| {row['app_mb']:.0f} / {row['study_mb']:.0f} / {row['export_mb']:.0f} MB |"
        )
    return "\n".join(lines)


def compile_package() -> None:
    """Byte-compile this package, as pip does when it installs it: a source checkout run
    with ``PYTHONDONTWRITEBYTECODE`` would compile every module again at every start."""
    import compileall

    import eurekatutor

    compileall.compile_dir(Path(eurekatutor.__file__).parent, quiet=1)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def child_main(args: Sequence[str]) -> None:
    """Run one measured process and print its figures as JSON."""
    kind, *rest = args
    if kind == "import":
        figures = child_import(Path(rest[0]), [Path(path) for path in rest[1:]])
    elif kind == "app":
        figures = child_app(Path(rest[0]), rest[1], int(rest[2]), int(rest[3]))
    elif kind == "empty":
        figures = child_empty(Path(rest[0]) if rest else None)
    elif kind == "study":
        figures = child_study(Path(rest[0]), int(rest[1]), int(rest[2]))
    elif kind == "history":
        figures = {
            "answers": build_history(Path(rest[0]), datetime.now(UTC), random.Random(int(rest[1])))
        }
    elif kind == "export":
        figures = child_export(Path(rest[0]), Path(rest[1]))
    elif kind == "reviews":
        figures = child_review_log(Path(rest[0]), Path(rest[1]))
    else:
        raise SystemExit(f"unknown child {kind!r}")
    print(json.dumps(figures))


def review_log_only(sizes: Sequence[int], args: argparse.Namespace) -> None:
    """Measure the review log's import alone, into the collection of each size."""
    rows = []
    for size in sizes:
        with contextlib.ExitStack() as stack:
            if args.keep:
                folder = args.keep / str(size)
            else:
                folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            figures = prepare(size, args, folder)
            log(f"  importing a review log of {args.review_log_mb:g} MB")
            figures.update(
                measure_review_log(folder / "collection.db", folder, args.review_log_mb, args.seed)
            )
            rows.append(figures)
    for row in rows:
        print(
            f"{row['facts']:,} facts in {row['talks']} talks, {row['history']:,} answers of "
            f"history. " + review_log_sentence(row)
        )
    if args.json:
        print(json.dumps(rows, indent=2))


def main() -> None:
    """Measure every collection size and print the table."""
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--large", action="store_true", help="add 100,000 facts (most of an hour)")
    parser.add_argument("--talk-size", type=int, default=TALK_SIZE, help="facts per notes file")
    parser.add_argument("--runs", type=int, default=5, help="start-ups per size (median)")
    parser.add_argument("--answers", type=int, default=300, help="answers through the tutor")
    parser.add_argument("--ui-answers", type=int, default=40, help="answers by key, per start")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--keep", type=Path, help="keep the collections in this folder, and reuse them next time"
    )
    parser.add_argument(
        "--review-log-mb",
        type=float,
        default=REVIEW_LOG_MB,
        help=f"the size of the review log imported (default: {REVIEW_LOG_MB:g} MB)",
    )
    parser.add_argument(
        "--review-log-only",
        action="store_true",
        help="measure only the review log's import (into each size's collection)",
    )
    parser.add_argument("--json", action="store_true", help="print every figure as JSON too")
    args = parser.parse_args()
    sizes = [*args.sizes, *([100_000] if args.large else [])]
    compile_package()
    if args.review_log_only:
        review_log_only(sizes, args)
        return
    rows = []
    for size in sizes:
        if args.keep:
            rows.append(measure(size, args, args.keep / str(size)))
            continue
        with tempfile.TemporaryDirectory(prefix="eurekatutor-scale-") as folder:
            rows.append(measure(size, args, Path(folder)))
    print(table(rows))
    for row in rows:
        print(
            f"\n{row['facts']:,} facts in {row['talks']} talks, {row['history']:,} answers of "
            f"history, {row['due']:,} due. Start-up against an empty app importing only the "
            f"libraries' packages ({row['packages_s']:.2f} s): "
            f"{row['startup_study_s'] / row['packages_s']:.2f}x with `eurekatutor study`; "
            f"with it, the first start of a day (with its backup) "
            f"{row['first_of_day_s']:.2f} s; a start due a refit of FSRS "
            f"{row['refit_start_s']:.2f} s (fitting it alone took "
            f"{row['fit_s']:.1f} s, peak {row['refit_mb']:.0f} MB). Opening the tutor "
            f"{row['open_s'] * 1000:.0f} ms, its first question {row['first_s'] * 1000:.0f} ms; "
            f"slowest of {row['answers']} answers {row['max_ms']:.1f} ms; after the answer's "
            f"commit, reading the next question took p50 {row['load_p50_ms']:.1f} ms, p95 "
            f"{row['load_p95_ms']:.1f} ms; the calibration's "
            f"refit, every 20 answers while the learner reads, {row['refit_ms']:.0f} ms; in a "
            f"quiz, the next question p50 {row['quiz_p50_ms']:.1f} ms, p95 "
            f"{row['quiz_p95_ms']:.1f} ms ({row['quiz_answers']} answers); "
            f"{row['ui_answers']} answers by key. Peak memory of the import "
            f"{row['import_mb']:.0f} MB, of the empty app {row['empty_mb']:.0f} MB."
        )
        phases = row["phases_s"]
        ways = "; ".join(
            f"{command}: "
            + ", ".join(f"{phase} {phases[phase]:.2f} s" for phase in APP_PHASES[command])
            for command in COMMANDS
        )
        empty = ", ".join(
            f"for {command} {phases[f'empty imports ({command})']:.2f} s" for command in COMMANDS
        )
        print(
            f"Start-up in phases (medians): {ways}. The empty app: imports {empty}; "
            f"mounting {phases['empty mount']:.2f} s."
        )
        spans = "; ".join(
            f"{label} {row[f'ratio_{way}']:.2f}x (from {row[f'ratio_{way}_range'][0]:.2f} to "
            f"{row[f'ratio_{way}_range'][1]:.2f}x)"
            for way, label in (
                ("study", "the first question with `eurekatutor study`"),
                ("list", "the list of talks with `eurekatutor`"),
                ("home", "the first question from it"),
            )
        )
        print(f"Each start against the empty app started just before it: {spans}.")
        print(review_log_sentence(row))
    if args.json:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
