"""The test-wise learner benchmark: it never reads answers, its cues, and a run on a fixture."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from conftest import load_benchmark
from eurekatutor.domain.notes import read_notes
from eurekatutor.domain.questions import Question, QuestionKind

FIXTURES = Path(__file__).resolve().parent / "data" / "testwise"
CANAL = FIXTURES / "harrowgate-canal-lecture.md"
REEF = FIXTURES / "glass-reef-interview.md"
CHOICE, TRUEFALSE = QuestionKind.CHOICE, QuestionKind.TRUEFALSE


tw = load_benchmark("testwise")


def seen(
    card: int,
    prompt: str,
    options: tuple[str, ...] = ("True", "False"),
    kind: QuestionKind = CHOICE,
    version: int = 0,
    topic: str = "The reef that hums",
    speaker: str | None = "Ines Marrow",
) -> Any:
    """Return what a learner sees of a hand-made question."""
    return tw.Seen(card, version, kind, prompt, options, topic, speaker)


def best(scores: list[float] | None, options: tuple[str, ...]) -> list[str]:
    """Return the options a cue scored highest."""
    assert scores is not None
    top = max(scores)
    return [option for option, score in zip(options, scores, strict=True) if score == top]


@pytest.fixture(scope="module")
def canal() -> Any:
    """Every version of the canal lecture's recognition questions (two versions)."""
    return tw.collect(CANAL, 2, 1)


# What the learner may read


def _tampered(question: Question, other: Question) -> Question:
    """Return the question with another answer, another fact and a made-up correction."""
    options = question.choices or []
    wrong = next(option for option in options if option != question.expected)
    return question.model_copy(
        update={"expected": wrong, "fact": other.fact, "correction": "a made-up correction"}
    )


def test_the_learner_never_reads_answers_facts_or_corrections(canal: Any) -> None:
    asked = canal.asked
    other = asked[0].question
    tampered = [tw.Asked(item.version, _tampered(item.question, other)) for item in asked]
    assert any(
        item.question.expected != new.question.expected
        for item, new in zip(asked, tampered, strict=True)
    )
    weights = tw.fit([tw.record(tw.attack(asked), canal.first())])
    honest, blind = tw.attack(asked), tw.attack(tampered)
    assert [votes.scores for votes in honest] == [votes.scores for votes in blind]
    assert tw.answers(honest, weights, 1) == tw.answers(blind, weights, 1)


def test_what_the_learner_sees_of_a_question_is_its_prompt_options_and_header(
    canal: Any,
) -> None:
    question = canal.first(CHOICE)[0]
    shown = tw.Seen.of(question, 0)
    assert shown.prompt == question.prompt and list(shown.options) == question.choices
    assert not {"expected", "fact", "correction"} & set(vars(shown))


# Choice cues


def test_article_agreement_picks_the_option_that_reads_after_a_or_an() -> None:
    options = ("orchard", "beehive", "garden shed", "tortoise")
    after_an = seen(1, "Which words fill the blank? She keeps an _____ behind the house.", options)
    assert best(tw.article_cue(after_an, tw.Context([after_an])), options) == ["orchard"]
    options = ("owl", "hedgehog", "eagle", "otter")
    after_a = seen(2, "Which words fill the blank? A _____ sleeps under the shed.", options)
    assert best(tw.article_cue(after_a, tw.Context([after_a])), options) == ["hedgehog"]
    no_article = seen(3, "Which words fill the blank? The _____ sleeps.", options)
    assert tw.article_cue(no_article, tw.Context([no_article])) is None


def test_the_option_every_version_offers_wins_the_repetition_cue() -> None:
    prompt = "Which words fill the blank? The flag is _____."
    versions = [
        seen(7, prompt, ("red", "blue", "green", "pink"), version=0),
        seen(7, prompt, ("gold", "teal", "blue", "grey"), version=1),
        seen(7, prompt, ("navy", "rose", "lime", "blue"), version=2),
    ]
    context = tw.Context(versions)
    assert best(tw.repeated_cue(versions[0], context), versions[0].options) == ["blue"]


def test_an_option_the_cards_statements_repeat_wins_the_statement_echo_cue() -> None:
    options = ("lantern sponge", "hydrophone cable", "cinder crab", "survey boat")
    question = seen(4, "Which words fill the blank? Marrow first blamed a faulty _____.", options)
    statement = seen(
        4, "True or false? Marrow first blamed a faulty hydrophone cable.", kind=TRUEFALSE
    )
    elsewhere = seen(5, "True or false? Each cinder crab clicks a rhythm.", kind=TRUEFALSE)
    context = tw.Context([question, statement, elsewhere])
    assert best(tw.statement_echo_cue(question, context), options) == ["hydrophone cable"]
    assert best(tw.seen_elsewhere_cue(question, context), options) != ["cinder crab"]


def test_the_numbers_the_others_are_multiples_of_wins_the_convergence_cue() -> None:
    options = ("about 20", "about 10", "about 100", "about 5")
    question = seen(6, "Years it takes?", options)
    scores = tw.number_convergence_cue(question, tw.Context([question]))
    assert best(scores, options) == ["about 10"]


# True/false cues


@pytest.mark.parametrize(
    "statement",
    [
        "True or false? The sponges hum an loud song in the dark.",
        "True or false? The sponges hum a loud song in in the dark.",
        "True or false? The sponges hum a songs in the dark.",
        "True or false? The pitch of the hum is 5e+08 hertz.",
    ],
)
def test_a_garbled_statement_is_judged_false(statement: str) -> None:
    question = seen(1, statement, kind=TRUEFALSE)
    assert tw.fluency_cue(question, tw.Context([question])) < 0


def test_a_clean_statement_gets_no_fluency_vote() -> None:
    question = seen(1, "True or false? The sponges hum a loud song in the dark.", kind=TRUEFALSE)
    assert tw.fluency_cue(question, tw.Context([question])) == 0


def test_a_quote_given_to_another_speaker_than_the_cards_is_judged_false() -> None:
    quote = "“Ears are cheap.”"
    choice = seen(
        3,
        "Which words fill the blank? Ines Marrow: “_____ are cheap.”",
        ("Ears", "Crabs", "Boats", "Reefs"),
        speaker=None,
    )
    wrong = seen(3, f"True or false? Tobias Quill said: {quote}", kind=TRUEFALSE, speaker=None)
    right = seen(3, f"True or false? Ines Marrow said: {quote}", kind=TRUEFALSE, speaker=None)
    context = tw.Context([choice, wrong, right])
    assert tw.speaker_cue(wrong, context) == -1.0
    assert tw.speaker_cue(right, context) == 1.0


def test_a_statement_that_contradicts_the_cards_choice_sentence_is_judged_false() -> None:
    options = ("dusk", "dawn", "noon", "midnight")
    choice = seen(2, "Which words fill the blank? The reef hums at _____ every night.", options)
    false = seen(2, "True or false? The reef sings at dusk every night.", kind=TRUEFALSE)
    true = seen(2, "True or false? The reef hums at dusk every night.", kind=TRUEFALSE, version=1)
    context = tw.Context([choice, false, true])
    assert tw.consistency_cue(false, context) == -1.0
    assert tw.consistency_cue(true, context) > 0


# Combining the cues


def test_with_no_cue_the_learner_guesses_at_chance() -> None:
    options = ("a", "b", "c", "d")
    votes = [tw.Votes(seen(n, f"Question {n}?", options), {}) for n in range(400)]
    picks = Counter(tw.answers(votes, {}, 1))
    assert set(picks) == set(options)
    assert all(70 <= count <= 130 for count in picks.values())
    statements = [
        tw.Votes(seen(n, f"True or false? Claim {n}.", kind=TRUEFALSE), {}) for n in range(400)
    ]
    assert 160 <= tw.answers(statements, {}, 1).count("True") <= 240


def test_a_cue_gets_weight_only_when_it_beats_or_trails_chance_clearly() -> None:
    at_chance = tw.CueRecord(fired=100, hits=27.0, chance=25.0)
    better = tw.CueRecord(fired=100, hits=60.0, chance=25.0)
    worse = tw.CueRecord(fired=100, hits=5.0, chance=25.0)
    assert at_chance.weight() == 0
    assert better.weight() > 1
    assert worse.weight() < 0
    weights = tw.fit([{CHOICE: {"echo": better}, TRUEFALSE: {}}])
    votes = tw.Votes(seen(1, "Which?", ("x", "y", "z", "w")), {"echo": [0.0, 1.0, 0.0, 0.0]})
    assert tw.decide(votes, weights, tw.random.Random(0)) == "y"


# The whole benchmark


@pytest.mark.parametrize("path", [CANAL, REEF])
def test_the_invented_talks_import_without_warnings(path: Path) -> None:
    notes = read_notes(path)
    assert notes.warnings == ()
    assert 20 <= len(notes.facts) <= 30


def test_the_benchmark_on_a_fixture_reports_figures_in_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], canal: Any
) -> None:
    dump = tmp_path / "questions.txt"
    arguments = ["--notes", str(CANAL), "--versions", "2", "--fit-seeds", "1", "--json"]
    tw.main([*arguments, "--dump", str(dump)])
    printed = json.loads(capsys.readouterr().out)
    (talk,) = printed["talks"]
    assert talk["title"] == "The Harrowgate Canal Company, 1781-1840"
    for kind in (CHOICE, TRUEFALSE):
        figures = talk["kinds"][kind.value]
        questions = canal.first(kind)
        assert figures["questions"] == len(questions) == len({q.fact_id for q in questions}) > 5
        chance = statistics.fmean(1 / len(q.choices) for q in questions)
        assert figures["chance"] == pytest.approx(chance, abs=1e-4)
        assert figures["chance"] == (0.25 if kind is CHOICE else 0.5)
        assert 0 <= figures["accuracy"] <= 1 and 0 <= figures["same_kind_accuracy"] <= 1
        right = figures["accuracy"] * figures["questions"]
        assert right == pytest.approx(round(right), abs=1e-3)
        assert figures["above_chance"] == pytest.approx(figures["accuracy"] - chance, abs=1e-3)
        for cue in printed["cues"][kind.value].values():
            assert 0 <= cue["fired"] <= figures["questions"]
    text = dump.read_text(encoding="utf-8")
    for question in canal.first():
        assert question.prompt in text
        if question.correction:
            assert question.correction not in text
