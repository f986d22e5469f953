"""Property tests of question generation and answer checking (hypothesis)."""

from __future__ import annotations

import itertools
import json
import random
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eurekatutor.domain import analysis, questions
from eurekatutor.domain.analysis import units
from eurekatutor.domain.models import Fact, FactKind, SourceRef, normalise
from eurekatutor.domain.questions import BLANK, QuestionFactory, QuestionKind
from eurekatutor.scheduling.grading import check_answer, lenient_match

WORDS = st.sampled_from(
    "agents decade ghosts animals evolution pretraining supervision straw cognitive core "
    "memory collapse children billion parameters 10 20B Karpathy OpenAI Tesla the a of and "
    "is not but with reinforcement learning Eureka education slop internet garbage".split()
)
SENTENCES = st.lists(WORDS, min_size=3, max_size=25).map(lambda words: " ".join(words) + ".")
KINDS = st.sampled_from([FactKind.CLAIM, FactKind.QUOTE, FactKind.NUMBER])


@st.composite
def pools(draw: st.DrawFn) -> list[Fact]:
    texts = draw(st.lists(SENTENCES, min_size=2, max_size=12, unique_by=normalise))
    facts = []
    for index, text in enumerate(texts):
        kind = draw(KINDS)
        cue = draw(st.one_of(st.none(), SENTENCES)) if kind is not FactKind.QUOTE else None
        if kind is FactKind.NUMBER:
            cue = cue or "How many?"
            text = draw(st.sampled_from(["about 10", "20B", "100", "two", "a billion", "1.5"]))
        facts.append(
            Fact(
                kind=kind,
                text=text,
                cue=cue,
                topic=draw(st.sampled_from(["A", "B", "C"])),
                speaker="Ann Speaker" if kind is FactKind.QUOTE else None,
                source=SourceRef(file="n.md", line=index + 1),
                id=index + 1,
            )
        )
    return facts


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(pool=pools(), seed=st.integers(0, 2**32 - 1))
def test_choices_are_unique_and_contain_the_answer_once(pool: list[Fact], seed: int) -> None:
    factory = QuestionFactory(pool, ["Ann Speaker", "Bo Other"])
    for fact in pool:
        question = factory.make(QuestionKind.CHOICE, fact, random.Random(seed))
        if question is None:
            continue
        assert question.choices is not None and len(question.choices) == 4
        assert len({normalise(choice) for choice in question.choices}) == 4
        assert sum(normalise(c) == normalise(str(question.expected)) for c in question.choices) == 1
        assert check_answer(question, str(question.expected)).correct
        # Unique by meaning, not only by string: no option holds another whole.
        folded = [normalise(choice).split() for choice in question.choices]
        for one, other in itertools.permutations(folded, 2):
            assert not _holds(other, one), question.choices
        # One right option: every other one is marked wrong.
        wrong = [c for c in question.choices if c != question.expected]
        assert not any(check_answer(question, choice).correct for choice in wrong)


def _holds(words: list[str], part: list[str]) -> bool:
    return any(words[i : i + len(part)] == part for i in range(len(words) - len(part) + 1))


@SETTINGS
@given(pool=pools(), seed=st.integers(0, 2**32 - 1))
def test_cloze_blanks_never_remove_the_whole_text(pool: list[Fact], seed: int) -> None:
    factory = QuestionFactory(pool)
    for fact in pool:
        question = factory.make(QuestionKind.CLOZE, fact, random.Random(seed))
        if question is None:
            continue
        assert question.prompt.count(BLANK) == 1
        shown = question.prompt.split(": ", 1)[1].replace(BLANK, "")
        assert normalise(shown)  # some of the text is always left
        assert normalise(str(question.expected)) != normalise(fact.text)
        assert str(question.expected) in fact.text
        # The blank is a whole unit of meaning of the text, never a piece of one.
        assert str(question.expected) in {unit.text for unit in units(fact.text)}


@SETTINGS
@given(pool=pools(), seed=st.integers(0, 2**32 - 1))
def test_a_typed_answer_equal_to_the_expected_one_is_always_correct(
    pool: list[Fact], seed: int
) -> None:
    factory = QuestionFactory(pool)
    for fact in pool:
        for kind in (QuestionKind.TYPED, QuestionKind.CLOZE):
            question = factory.make(kind, fact, random.Random(seed))
            if question is not None:
                verdict = check_answer(question, str(question.expected))
                assert verdict.correct and not verdict.forgiven


@given(text=st.text(min_size=1, max_size=60))
def test_any_text_matches_itself_and_its_case_changes(text: str) -> None:
    if normalise(text):
        assert lenient_match(text, text) == (True, False)
        assert lenient_match(f"  {text}!  ", text) == (True, False)
        if normalise(text.upper()) == normalise(text):
            assert lenient_match(text.upper(), text)[0]


@SETTINGS
@given(pool=pools(), seed=st.integers(0, 2**32 - 1))
def test_a_true_false_statement_is_true_exactly_when_it_states_the_fact(
    pool: list[Fact], seed: int
) -> None:
    factory = QuestionFactory(pool, ["Ann Speaker", "Bo Other"])
    for fact in pool:
        question = factory.make(QuestionKind.TRUEFALSE, fact, random.Random(seed))
        if question is None:
            continue
        if question.expected == "False":
            assert question.correction is not None
            statement = question.prompt.removeprefix("True or false? ")
            # It differs from the fact in meaning: other words, or the same in another order.
            assert normalise(statement) != normalise(question.correction)
        else:
            assert question.correction is None


@SETTINGS
@given(pool=pools(), seeds=st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=5))
def test_every_kind_offered_for_a_fact_can_always_be_built(
    pool: list[Fact], seeds: list[int]
) -> None:
    factory = QuestionFactory(pool, ["Ann Speaker", "Bo Other"])
    for fact in pool:
        for kind in factory.kinds_for(fact):
            for seed in seeds:
                assert factory.make(kind, fact, random.Random(seed)) is not None


@SETTINGS
@given(pool=pools(), seed=st.integers(0, 2**32 - 1))
def test_saved_key_phrases_give_the_same_questions_without_working_them_out(
    pool: list[Fact], seed: int
) -> None:
    worked_out = QuestionFactory(pool, ["Ann Speaker", "Bo Other"])
    saved = worked_out.saved_phrases()
    loaded = QuestionFactory(pool, ["Ann Speaker", "Bo Other"])
    assert loaded.load_phrases(saved) and loaded.phrases_saved
    # Read back, nothing is analysed again: not even the tagger is asked.
    with (
        patch.object(questions, "units", side_effect=AssertionError("worked out")),
        patch.object(analysis, "tag", side_effect=AssertionError("tagged")),
    ):
        for fact in pool:
            assert loaded.kinds_for(fact) == worked_out.kinds_for(fact)
            for kind in QuestionKind:
                assert loaded.make(kind, fact, random.Random(seed)) == worked_out.make(
                    kind, fact, random.Random(seed)
                )


def test_key_phrases_saved_from_other_facts_or_unreadable_are_not_taken() -> None:
    pool = [
        Fact(
            kind=FactKind.CLAIM,
            text=text,
            topic="A",
            source=SourceRef(file="n.md", line=index + 1),
            id=index + 1,
        )
        for index, text in enumerate(
            ["Agents will take a decade to work.", "Pretraining is crappy evolution."]
        )
    ]
    saved = QuestionFactory(pool).saved_phrases()
    edited = [pool[0], pool[1].model_copy(update={"text": "Pretraining is cheap evolution."})]
    reordered = [pool[1], pool[0]]
    for facts in (edited, reordered):
        assert not QuestionFactory(facts).load_phrases(saved)
    data = json.loads(saved)
    damaged = [
        "",
        "[]",
        "not json",
        json.dumps({**data, "units": [1, 2]}),
        json.dumps({**data, "units": {"1": [[0, 6]]}}),
        json.dumps({**data, "units": {"1": [["0", 6, "a", "noun", "", False, "a", []]]}}),
        json.dumps({**data, "units": {"x": []}}),
    ]
    for text in damaged:
        factory = QuestionFactory(pool)
        assert not factory.load_phrases(text) and not factory.phrases_saved
        assert factory.units(pool[0]) == QuestionFactory(pool).units(pool[0])
