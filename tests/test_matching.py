"""Re-import planning: what counts as the same fact after an edit."""

from __future__ import annotations

from eurekatutor.domain.matching import plan_import
from eurekatutor.domain.models import Fact, FactKind, SourceRef


def fact(
    text: str, kind: FactKind = FactKind.CLAIM, fact_id: int | None = None, **extra: object
) -> Fact:
    return Fact(
        kind=kind, text=text, topic="T", source=SourceRef(file="n.md", line=1), id=fact_id, **extra
    )


def test_identical_facts_match_and_nothing_is_added_or_gone() -> None:
    stored = [fact("Agents will take about a decade to work.", fact_id=1)]
    plan = plan_import(stored, [fact("Agents will take about a decade to work.")])
    assert [(old.id, new.text) for old, new in plan.matched] == [(1, stored[0].text)]
    assert plan.added == () and plan.gone == ()


def test_a_typo_fix_and_a_rewording_match_their_stored_fact() -> None:
    stored = [
        fact("Agents will take about a decdae to really work.", fact_id=1),
        fact("Current models memorise too much, which holds back their intelligence.", fact_id=2),
    ]
    incoming = [
        fact("Agents will take about a decade to really work."),
        fact("Today's models memorise too much, and that holds back their intelligence."),
    ]
    plan = plan_import(stored, incoming)
    assert {old.id: new.text for old, new in plan.matched} == {
        1: incoming[0].text,
        2: incoming[1].text,
    }
    assert plan.added == () and plan.gone == ()


def test_an_unrelated_fact_is_added_and_the_old_one_is_gone() -> None:
    stored = [fact("Agents will take about a decade to really work.", fact_id=1)]
    incoming = [fact("Children have not overfitted and say shocking things.")]
    plan = plan_import(stored, incoming)
    assert plan.matched == ()
    assert [new.text for new in plan.added] == [incoming[0].text]
    assert [old.id for old in plan.gone] == [1]


def test_kinds_never_match_across() -> None:
    stored = [fact("It's slop.", kind=FactKind.QUOTE, fact_id=1)]
    plan = plan_import(stored, [fact("It's slop.")])
    assert plan.matched == () and len(plan.added) == 1


def test_each_stored_fact_matches_at_most_once() -> None:
    stored = [fact("Agents will take about a decade to really work.", fact_id=1)]
    incoming = [
        fact("Agents will take about a decade to really work!"),
        fact("Agents will take about a decade to truly work."),
    ]
    plan = plan_import(stored, incoming)
    assert len(plan.matched) == 1 and len(plan.added) == 1
