"""What a question may not give away: each example a reader once answered without the talk."""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from eurekatutor.domain.analysis import (
    content_lemmas,
    contrast_swapped,
    indefinite_article,
    opposite_worded,
    other_values,
    units,
)
from eurekatutor.domain.models import Fact, FactKind, SourceRef, normalise
from eurekatutor.domain.notes import parse_notes, read_notes
from eurekatutor.domain.quality import choice_audit, choice_findings
from eurekatutor.domain.questions import (
    BLANK,
    FALSE,
    TRUE,
    Question,
    QuestionFactory,
    QuestionKind,
)
from eurekatutor.domain.text import parse_number
from eurekatutor.errors import NotesError

DECK = Path(__file__).parent.parent / "decks" / "karpathy-dwarkesh-2025.md"


@pytest.fixture(scope="module")
def deck() -> tuple[QuestionFactory, list[Fact]]:
    parsed = read_notes(DECK)
    facts = [fact.model_copy(update={"id": n + 1}) for n, fact in enumerate(parsed.facts)]
    return QuestionFactory(facts, parsed.talk.speakers), facts


def unauthored(facts: list[Fact]) -> list[Fact]:
    """The facts with nothing written by the author: what is left is all generated."""
    return [
        f.model_copy(update={"wrong": (), "wrong_for": None, "misconceptions": ()}) for f in facts
    ]


def asked(
    factory: QuestionFactory, facts: list[Fact], kind: QuestionKind, seed: int = 1
) -> list[tuple[Fact, Question]]:
    found = []
    for fact in facts:
        question = factory.make(kind, fact, random.Random(seed))
        if question is not None:
            found.append((fact, question))
    return found


def test_a_unit_is_whole_names_numbers_with_their_unit_and_noun_phrases() -> None:
    found = [unit.text for unit in units("AlphaGo beat Lee Sedol in 2016 after about 20 years.")]
    assert "Lee Sedol" in found and "Lee" not in found
    assert "about 20 years" in found
    quote = "Resolving all foundational issues will likely take ~10 years, not 1 or 50."
    assert "~10 years" in [unit.text for unit in units(quote)]
    stance = [unit.text for unit in units("His stance is an engineer's: wear a hard hat.")]
    assert "a hard hat" in stance  # the article travels with its noun


def test_no_blank_gives_itself_away_or_breaks_a_phrase(
    deck: tuple[QuestionFactory, list[Fact]],
) -> None:
    factory, facts = deck
    for fact in facts:
        for unit in factory.blanks(fact):
            before = fact.text[: unit.start].split()
            # Never right after an article ("an _____"): the article would pick the option.
            assert not before or before[-1].casefold() not in ("a", "an"), (fact.text, unit)
            assert unit.text not in ("1", "50", "Lee")
            # A number's blank never leaves "not _____ or 50".
            assert not re.search(r"\bnot\s*$", fact.text[: unit.start]) or unit.kind != "number"


def test_cloze_keeps_its_cue_and_never_blanks_what_the_screen_shows(
    deck: tuple[QuestionFactory, list[Fact]],
) -> None:
    factory, facts = deck
    for fact, question in asked(factory, facts, QuestionKind.CLOZE):
        if fact.cue:
            assert fact.cue.rstrip("?:") in question.prompt
        assert question.header == f"{fact.topic} · {fact.speaker}"
    decade = next(f for f in facts if f.text.startswith("Karpathy calls this the decade"))
    # "decade" is in the topic shown above the question ("The decade of agents").
    assert all("decade" not in unit.text for unit in factory.blanks(decade))


def test_choice_options_have_the_answers_form_and_never_repeat_it(
    deck: tuple[QuestionFactory, list[Fact]],
) -> None:
    factory, facts = deck
    for build in (factory, QuestionFactory(unauthored(facts))):
        for _, question in asked(build, build.pool, QuestionKind.CHOICE):
            choices = question.choices or []
            folded = [normalise(choice) for choice in choices]
            assert len(set(folded)) == 4
            for one in folded:  # no option is a part or an extension of another
                assert not any(one != other and one in other.split(" ") for other in folded)
            assert not any(re.search(r"\de[+-]\d", choice) for choice in choices)
            assert BLANK not in "".join(choices)
            generated = build is not factory  # an author may open an option with a name
            if generated and str(question.expected)[:1].islower():
                assert all(c[:1].islower() or c.split()[0].isupper() for c in choices), choices


def test_a_fact_keeps_the_same_options_each_time_it_is_asked(
    deck: tuple[QuestionFactory, list[Fact]],
) -> None:
    factory, facts = deck
    for fact in facts:
        seen = {
            frozenset(question.choices or ())
            for seed in range(6)
            if (question := factory.make(QuestionKind.CHOICE, fact, random.Random(seed)))
        }
        assert len(seen) <= 1, fact.text


def test_about_half_of_the_statements_asked_are_true(
    deck: tuple[QuestionFactory, list[Fact]],
) -> None:
    factory, facts = deck
    rng = random.Random(7)
    answers: Counter[str] = Counter()
    for _ in range(20):
        for fact in facts:
            question = factory.make(QuestionKind.TRUEFALSE, fact, rng)
            if question is not None:
                answers[str(question.expected)] += 1
    share = answers[TRUE] / (answers[TRUE] + answers[FALSE])
    assert 0.45 <= share <= 0.55


def test_generated_false_statements_change_a_value_or_a_word_and_keep_the_rest(
    deck: tuple[QuestionFactory, list[Fact]],
) -> None:
    _, facts = deck
    plain = QuestionFactory(unauthored(facts))
    statements = 0
    for fact in plain.pool:
        for seed in range(4):
            question = plain.make(QuestionKind.TRUEFALSE, fact, random.Random(seed))
            if question is None or question.expected != FALSE:
                continue
            statements += 1
            false_words = question.prompt.removeprefix("True or false? ").split()
            true_words = (question.correction or "").split()
            # The same words, one or two changed (a value, an opposite, "do not" taken out)
            # or the same words in another order (two sides of a contrast swapped).
            changed = sum((Counter(false_words) - Counter(true_words)).values())
            assert abs(len(false_words) - len(true_words)) <= 2, question.prompt
            assert changed <= 2, question.prompt
    assert statements > 10
    # The garbled statements once generated are not made any more.
    garbled = ("a capabilities", "about a ~10", "no newborn zebra", "an decade", "using a lifetime")
    for fact in plain.pool:
        question = plain.make(QuestionKind.TRUEFALSE, fact, random.Random(0))
        if question is not None:
            assert not any(bit in question.prompt for bit in garbled)


def test_a_quote_is_misquoted_in_its_words_never_given_to_another_speaker() -> None:
    quotes = [
        Fact(
            kind=FactKind.QUOTE,
            text=text,
            topic="T",
            speaker=speaker,
            source=SourceRef(file="n.md", line=n),
            id=n,
        )
        for n, (speaker, text) in enumerate(
            [("Ann Lee", "Reefs grow back within 10 years."), ("Bo Park", "Coral is an animal.")],
            1,
        )
    ]
    factory = QuestionFactory(quotes, ["Ann Lee", "Bo Park"])
    statements = set()
    for seed in range(8):
        question = factory.make(QuestionKind.TRUEFALSE, quotes[0], random.Random(seed))
        assert question is not None and question.header == "T"
        statements.add(question.prompt)
    # Readers who knew nothing of the talk told a host's lines from a guest's by their role:
    # the false statement changes the quote's words and keeps its speaker.
    assert len(statements) == 2
    assert all(prompt.startswith("True or false? Ann Lee said: “") for prompt in statements)
    # A quote with nothing to change is not asked as true or false.
    assert factory.make(QuestionKind.TRUEFALSE, quotes[1], random.Random(1)) is None


def test_no_statement_gives_itself_away_by_its_role_or_an_impossible_order() -> None:
    def fact(n: int, kind: FactKind, text: str, **more: object) -> Fact:
        return Fact(
            kind=kind, text=text, topic="T", source=SourceRef(file="n.md", line=n), id=n, **more
        )

    facts = [
        # The host's line, which speaks to the guest: given to the guest, it would read false.
        fact(1, FactKind.QUOTE, "So you have been collecting autographs?", speaker="Ann Lee"),
        fact(2, FactKind.QUOTE, "Most of them are smudged.", speaker="Bo Park"),
        fact(
            3,
            FactKind.SEQUENCE,
            "",
            cue="Events, in order",
            items=["The charter is signed", "The aqueduct collapses", "The canal is sold"],
        ),
    ]
    factory = QuestionFactory(facts, ["Ann Lee", "Bo Park"])
    asked = {
        fact.id: {
            q.prompt
            for seed in range(12)
            if (q := factory.make(QuestionKind.TRUEFALSE, fact, random.Random(seed)))
        }
        for fact in facts
    }
    assert asked[1] == asked[2] == set()  # no speaker swap, and nothing else to change
    assert asked[3] == set()  # its order is asked by the order question
    assert factory.make(QuestionKind.ORDER, facts[2], random.Random(1)) is not None


def test_other_values_keep_the_wording_and_do_not_leave_the_answer_in_the_middle() -> None:
    assert other_values("about 20B parameters", 0) == [
        "about 25B parameters",
        "about 30B parameters",
        "about 35B parameters",
    ]
    # Whatever its precision, the true value sits in an exact progression with the others:
    # none is rounded, so none shows which one the others were made from (43 among 5, 11, 22
    # once did: 43 was the only one not double another).
    for text in ("43 crabs", "about 10", "100", "1,000 facts", "about 20B parameters"):
        for rank in range(4):
            options = [text, *other_values(text, rank)]
            values = sorted(parse_number(option) or 0 for option in options)
            steps = {round(b - a, 6) for a, b in itertools.pairwise(values)}
            assert len(options) == 4 and len(steps) == 1, options
            # And no option stands alone in its length ("about 10" among three of one digit).
            lengths = Counter(len(option) for option in options)
            assert len(lengths) == 1 or min(lengths.values()) > 1, options
    assert other_values("within minutes", 1) == ["within seconds", "within hours", "within days"]
    assert other_values("two", 0) == ["three", "four", "five"]
    for rank in range(4):
        values = other_values("about a billion", rank)
        assert all(value.startswith("about ") and "e+" not in value for value in values)
        below = sum(1 for value in values if "million" in value)
        assert below == rank
    assert other_values("no number here", 0) == []


def test_contrasts_swap_and_words_turn_into_their_opposite() -> None:
    assert (
        contrast_swapped("Karpathy calls this the decade of agents, not the year of agents.")
        == "Karpathy calls this the year of agents, not the decade of agents."
    )
    assert contrast_swapped("It will take years, not months, to solve.") == (
        "It will take months, not years, to solve."
    )
    assert contrast_swapped("A zebra runs by instinct, not something learned by trial.") is None
    assert opposite_worded("Models could be far smaller than today's.") == (
        "Models could be far larger than today's."
    )
    assert (
        opposite_worded("Humans do not use RL for most tasks.") == "Humans use RL for most tasks."
    )
    assert opposite_worded("Karpathy says more and more of the same.") is None
    # Once read on an invented talk: an adverb "before" made "never recorded after", and
    # "more good than harm" made "less good than harm".
    assert opposite_worded("A current the buoys had never recorded before.") is None
    assert opposite_worded("Divers did more good than harm.") is None
    assert opposite_worded("It came before the survey.") == "It came after the survey."
    # Read by a reader who knew nothing of the talk: "a month after any survey noticed them"
    # is not English, so it was false.
    assert opposite_worded("Divers saw it a month before any survey noticed it.") is None


def test_a_share_is_not_varied_like_a_count_and_a_year_keeps_its_digits() -> None:
    # Once generated: "one third" among "two third", "three third", "four third".
    assert other_values("one third", 1) == []
    assert "one third" not in [unit.text for unit in units("One third of them went silent.")]
    assert len(other_values("about 10 percent", 1)) == 3
    # A topic "The collapse of 1794" names the year 1794, not "179".
    assert content_lemmas("The collapse of 1794") == {"collapse", "1794"}


@pytest.mark.parametrize(
    ("phrase", "article"),
    [("engineer", "an"), ("hard hat", "a"), ("hour", "an"), ("unit", "a"), ("LLM", "an")],
)
def test_indefinite_article(phrase: str, article: str) -> None:
    assert indefinite_article(phrase) == article


AUTHORED = """---
title: Reefs
speakers: [Ann Lee]
---
## Growth
- How fast reefs grow back :: within a decade
  - Wrong: within a year; within a century; within a month
  - False: Reefs never grow back once bleached.
- Coral polyps build reefs from calcium carbonate.
  - Wrong: calcium carbonate => silica; iron oxide; keratin
"""


def test_authored_wrong_options_and_misconceptions_come_first() -> None:
    parsed = parse_notes(AUTHORED, "reefs.md")
    facts = [fact.model_copy(update={"id": n + 1}) for n, fact in enumerate(parsed.facts)]
    assert len(facts) == 2
    factory = QuestionFactory(facts)
    cued, plain = facts
    question = factory.make(QuestionKind.CHOICE, cued, random.Random(1))
    assert question is not None
    assert sorted(question.choices or []) == sorted(
        ["within a decade", "within a year", "within a century", "within a month"]
    )
    question = factory.make(QuestionKind.CHOICE, plain, random.Random(1))
    assert question is not None and question.expected == "calcium carbonate"
    assert sorted(question.choices or []) == sorted(
        ["calcium carbonate", "silica", "iron oxide", "keratin"]
    )
    falsehoods = {
        q.prompt
        for seed in range(10)
        if (q := factory.make(QuestionKind.TRUEFALSE, cued, random.Random(seed)))
        and q.expected == FALSE
    }
    assert falsehoods == {"True or false? Reefs never grow back once bleached."}


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("- Wrong: a; b; c\n", "follows no fact"),
        ("- Coral is an animal.\n  - Wrong: a; b; c\n", "must name the words it replaces"),
        ("- Coral is an animal.\n  - Wrong: plant => a; b; c\n", "'plant', which is not in"),
        ("- Coral is an animal.\n  - Wrong: animal => rock; plant\n", "needs 3 options"),
        ("- Coral is an animal.\n  - False: Coral is an animal.\n", "repeats the fact"),
    ],
)
def test_authored_lines_that_cannot_be_used_are_errors_with_their_line(
    lines: str, message: str
) -> None:
    with pytest.raises(NotesError, match=message):
        parse_notes(f"---\ntitle: Reefs\n---\n## Coral\n{lines}", "reefs.md")


def test_the_gate_turns_down_an_answer_that_stands_out_by_length_or_by_convergence() -> None:
    header = "Reefs"
    # Each option alone reads well; the answer is the one far longer than the rest.
    long = [
        "calcium carbonate laid down by coral polyps",
        "storm debris piling up",
        "sand carried by currents",
        "volcanic rock rising",
    ]
    assert "the answer is far the longest option" in choice_findings(
        "How do reefs grow?", long[0], long, header
    )
    # The wrong options are the answer with one part changed each: it is their centre.
    varied = [
        "polyps lay down calcium carbonate slowly over centuries",
        "polyps lay down silica slowly",
        "sponges lay down calcium carbonate",
        "algae grow slowly over centuries",
    ]
    assert "the wrong options are variations of the answer" in choice_findings(
        "How do reefs grow?", varied[0], varied, header
    )
    # Same options with another answer: neither cue points to it.
    assert choice_findings("How do reefs grow?", long[2], long, header) == []
    fair = ["within a decade", "within a year", "within a century", "within a month"]
    assert choice_findings("How fast do reefs recover?", fair[0], fair, header) == []


def test_the_audit_reports_an_answer_that_is_the_longest_option_too_often() -> None:
    options = ["aaaa", "bb", "cc", "dd"]
    assert choice_audit([("aaaa", options)] * 12) == [
        "the answer is the longest option in 12 of 12 choice questions (about 3 by chance):"
        " rewrite some wrong options"
    ]
    # The answer the longest one time in four, as chance has it: nothing to report.
    answers = ["aaaa", "bb", "cc", "dd"] * 3
    assert choice_audit([(answer, options) for answer in answers]) == []
    assert choice_audit([]) == []


def test_an_option_is_not_taken_for_part_of_the_answer_inside_a_longer_number() -> None:
    notes = (
        "---\ntitle: Reefs\n---\n## Growth\n"
        "- Number: Years a reef takes to recover :: about 10\n"
        "  - Wrong: about 1; about 3; about 50\n"
    )
    parsed = parse_notes(notes, "reefs.md")
    facts = [fact.model_copy(update={"id": n + 1}) for n, fact in enumerate(parsed.facts)]
    question = QuestionFactory(facts).make(QuestionKind.CHOICE, facts[0], random.Random(1))
    # "about 1" is not part of "about 10": before, it was dropped and the fact went unasked.
    assert question is not None
    assert sorted(question.choices or []) == ["about 1", "about 10", "about 3", "about 50"]
