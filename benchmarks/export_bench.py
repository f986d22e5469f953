"""Benchmark: export 10,000 synthetic facts with EurekaTutor, and with a bare genanki script.

Run with ``python benchmarks/export_bench.py [--facts N] [--repeat R]``. Both sides build the
same notes (same note types, fields, tags, GUIDs and decks) and write an .apkg; the figures are
the best of ``R`` runs. EurekaTutor's side also picks each quote's cloze deletions, stamps every
note with its own modification time, compresses the package and writes it atomically.
"""

from __future__ import annotations

import argparse
import itertools
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import genanki

from eurekatutor.domain.models import Fact, FactKind, SourceRef, TalkMeta
from eurekatutor.export.anki import (
    FORMAT_REVISED,
    TalkExport,
    build_decks,
    deck_id,
    deck_name,
    export_anki,
)

WORDS = (
    "agents models learning memory reinforcement pretraining data intelligence evolution ghosts "
    "animals straw supervision cognitive core collapse entropy coding autonomy education eureka "
    "tutor physics simplicity gradient trajectory reward humans patterns knowledge algorithms"
).split()
FILLER = "the a of and to in that it is we are not but like so just this what".split()


def sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(WORDS if rng.random() < 0.45 else FILLER) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def synthetic_talk(count: int, seed: int = 7) -> TalkExport:
    """Return a talk of ``count`` facts over 20 topics: claims, quotes, numbers and sequences."""
    rng = random.Random(seed)
    talk = TalkMeta(
        title="A very long synthetic talk",
        slug="synthetic",
        speakers=("Ada Lovelace", "Alan Turing"),
    )
    topics = [f"Topic {n}: {rng.choice(WORDS)} and {rng.choice(WORDS)}" for n in range(20)]
    changed = FORMAT_REVISED + timedelta(days=1)
    facts = []
    for index in range(count):
        topic = topics[index % len(topics)]
        roll = rng.random()
        source = SourceRef(file="synthetic.md", line=index + 1)
        stamp = changed + timedelta(seconds=index)
        make = partial(Fact, topic=topic, source=source, speaker="Ada Lovelace", updated_at=stamp)
        if roll < 0.70:
            cue = sentence(rng, 6).rstrip(".") if rng.random() < 0.5 else None
            text = f"{sentence(rng, 14)} #{index}"
            fact = make(kind=FactKind.CLAIM, text=text, cue=cue)
        elif roll < 0.85:
            text = " ".join(sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(1, 4)))
            fact = make(kind=FactKind.QUOTE, text=f"{text} ({index})")
        elif roll < 0.95:
            cue = f"Number {index}: {sentence(rng, 5).rstrip('.')}"
            value = f"about {rng.randint(2, 500)}"
            fact = make(kind=FactKind.NUMBER, text=value, cue=cue)
        else:
            items = tuple(sentence(rng, 4) for _ in range(rng.randint(2, 5)))
            fact = make(
                kind=FactKind.SEQUENCE, text="\n".join(items), items=items, cue=f"Sequence {index}"
            )
        facts.append(fact.model_copy(update={"main": index < len(topics)}))
    main_claims = {fact.topic: fact for fact in facts if fact.main}
    return TalkExport(talk, tuple(facts), main_claims)


def bare_genanki(
    fields: list[tuple[genanki.Model, list[str], list[str], str, str]],
) -> Callable[[Path, float], None]:
    """Return a bare genanki script: the same notes built from ready fields, then written."""

    def run(path: Path, timestamp: float) -> None:
        decks: dict[str, genanki.Deck] = {}
        for model, values, tags, guid, name in fields:
            deck = decks.get(name)
            if deck is None:
                deck = decks[name] = genanki.Deck(deck_id(name), name)
            deck.add_note(genanki.Note(model=model, fields=values, tags=tags, guid=guid))
        genanki.Package(list(decks.values())).write_to_file(str(path), timestamp=timestamp)

    return run


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Run both exports and print their times and file sizes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--facts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    talk = synthetic_talk(args.facts)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        ours = Path(folder) / "eurekatutor.apkg"
        bare = Path(folder) / "genanki.apkg"
        # The bare script gets the very notes EurekaTutor builds, fields already rendered.

        def build() -> list[genanki.Deck]:
            return build_decks(talk, set(), itertools.count(1), now=now).decks

        ready = [
            (note.model, list(note.fields), list(note.tags), note.guid, deck.name)
            for deck in build()
            for note in deck.notes
        ]
        assert all(deck_name(talk.talk.title) != name for *_, name in ready)
        script = bare_genanki(ready)

        ours_time = best_of(args.repeat, lambda: export_anki([talk], ours, now=now, replace=True))
        build_time = best_of(args.repeat, build)
        # genanki's write_to_file leaves its temporary database behind: keep it in our folder.
        tempfile.tempdir = folder
        try:
            bare_time = best_of(args.repeat, lambda: script(bare, now.timestamp()))
        finally:
            tempfile.tempdir = None
        report = export_anki([talk], ours, now=now, replace=True)
        print(
            f"{args.facts} facts -> {report.notes} notes ({report.basic} basic, "
            f"{report.cloze} cloze), {report.cards} cards, {report.decks} topic decks"
        )
        print(
            f"EurekaTutor export_anki: {ours_time:6.2f} s   "
            f"({ours.stat().st_size / 1e6:.1f} MB, deflated, atomic, per-note mod times)"
        )
        print(
            f"  of which building the notes (prompts, cloze deletions): {build_time:.2f} s, "
            f"writing the package: {ours_time - build_time:.2f} s"
        )
        print(
            f"bare genanki script:     {bare_time:6.2f} s   "
            f"({bare.stat().st_size / 1e6:.1f} MB, stored; fields given ready-made)"
        )
        print(f"ratio: {ours_time / bare_time:.2f}x (best of {args.repeat} runs each)")


if __name__ == "__main__":
    main()
