"""The talk-notes parser: our own format, foreign summaries, and every way a file can be bad."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from eurekatutor.domain.models import Fact, FactKind, ParsedNotes, fact_key
from eurekatutor.domain.notes import GENERAL_TOPIC, MAX_NOTES_BYTES, parse_notes, read_notes
from eurekatutor.errors import NotesError

DATA = Path(__file__).parent / "data"
BAD = DATA / "bad"
THEMES = DATA / "foreign_themes_quotes.md"
SECTIONS = DATA / "foreign_numbered_sections.md"
OWN = DATA / "own_format.md"
KARPATHY = "Andrej Karpathy"


def kinds(notes: ParsedNotes) -> Counter[str]:
    return Counter(fact.kind.value for fact in notes.facts)


def of_kind(notes: ParsedNotes, kind: FactKind) -> list[Fact]:
    return [fact for fact in notes.facts if fact.kind is kind]


def by_cue(notes: ParsedNotes, cue: str) -> Fact:
    matches = [fact for fact in notes.facts if fact.cue == cue]
    assert len(matches) == 1, f"{cue!r}: {matches}"
    return matches[0]


def by_text(notes: ParsedNotes, start: str) -> Fact:
    matches = [fact for fact in notes.facts if fact.text.startswith(start)]
    assert len(matches) == 1, f"{start!r}: {matches}"
    return matches[0]


def assert_clean_cards(notes: ParsedNotes) -> None:
    """Every fact reads as a card: no Markdown, no URLs, no fragments, no metadata."""
    for fact in notes.facts:
        assert fact.text.strip() == fact.text and fact.text, fact
        assert sum(ch.isalpha() for ch in fact.text) >= 5, fact
        for junk in ("**", "](", "http", "<!--", "\x00"):
            assert junk not in fact.text, fact
            assert junk not in (fact.cue or ""), fact
        assert not fact.text[:3].rstrip().rstrip(".)").isdigit(), fact
        assert fact.source.line >= 1


# --- foreign summary: themes with **Quote:** lines ---------------------------------------------


@pytest.fixture(scope="module")
def themes() -> ParsedNotes:
    return read_notes(THEMES)


def test_themes_metadata_comes_from_title_and_metadata_lines(themes: ParsedNotes) -> None:
    talk = themes.talk
    assert talk.title == "We’re summoning ghosts, not building animals"
    assert talk.slug == "foreign-themes-quotes"
    assert talk.speakers == (KARPATHY,)
    assert talk.date == dt.date(2025, 10, 17)
    assert talk.source_url == "https://www.youtube.com/watch?v=lXUZvyajciY"


def test_themes_every_quote_line_is_a_verbatim_quote_by_karpathy(themes: ParsedNotes) -> None:
    quotes = of_kind(themes, FactKind.QUOTE)
    source_lines = THEMES.read_text(encoding="utf-8").split("\n")
    quote_lines = [n for n, line in enumerate(source_lines, 1) if line.startswith("**Quote:**")]
    # The brief counted 12; the file has 11 `**Quote:**` lines, and each one becomes a quote.
    assert len(quote_lines) == 11
    assert [quote.source.line for quote in quotes] == quote_lines
    assert {quote.speaker for quote in quotes} == {KARPATHY}
    assert all(quote.cue is None for quote in quotes)
    first = quotes[0]
    assert first.text.startswith("When would you prefer to have an agent like cloud or codecs")
    assert "They're not multimodal enough... They're just cognitively lacking" in first.text
    assert first.text.endswith("it's just not working.")
    for quote, line in zip(quotes, quote_lines, strict=True):
        raw = source_lines[line - 1].removeprefix("**Quote:**").strip()
        assert raw == f'"{quote.text}"'


def test_themes_topics_are_the_theme_headings(themes: ParsedNotes) -> None:
    assert themes.topics == (
        "The Decade (Not Year) of Agents - Why Progress Will Be Gradual",
        'We\'re Building "Ghosts," Not Animals - The Fundamental Difference in AI Development',
        'The Problem with Current Reinforcement Learning - "Sucking Supervision Through a Straw"',
        "Memory vs. Intelligence - The Overfitting Problem in LLMs",
        'Most "AI Progress" Hype is Just Fundraising Theater',
        "Humans Don't Actually Use Reinforcement Learning for Intelligence",
        "Small Models (Billion Parameters) Can Match Current Frontier Intelligence",
        'The Internet as Training Data is "Total Garbage"',
        "Model Collapse is Fundamental and Humans Experience It Too",
        "OpenAI (Context: Early Agent Research)",
        "Anthropic - Claude and Computer Use",
    )
    for part in ("Key Themes", "Contrarian Perspectives", "Companies Identified", GENERAL_TOPIC):
        assert part not in themes.topics


def test_themes_prose_becomes_sentence_claims(themes: ParsedNotes) -> None:
    assert kinds(themes) == {"claim": 31, "quote": 11}
    claim = by_text(themes, "The fundamental issue is that current AI agents")
    assert claim.kind is FactKind.CLAIM
    assert claim.topic == "The Decade (Not Year) of Agents - Why Progress Will Be Gradual"
    assert claim.source.line == 18
    assert claim.speaker == KARPATHY
    # `*too good*` loses its Markdown, nothing else.
    assert by_text(themes, "A non-obvious insight").text == (
        "A non-obvious insight: current models are too good at memorization, "
        "and this actually holds back their intelligence."
    )
    # Sentences introducing what follows ("...data quality:") are not claims.
    assert not [f for f in themes.facts if f.text.startswith("Challenging assumptions")]


def test_themes_main_claim_is_each_topics_first_claim(themes: ParsedNotes) -> None:
    for topic in themes.topics:
        facts = [fact for fact in themes.facts if fact.topic == topic]
        mains = [fact for fact in facts if fact.main]
        assert len(mains) == 1
        assert mains[0] is next(f for f in facts if f.kind is FactKind.CLAIM)
    assert by_text(themes, "Karpathy pushes back").main


def test_themes_description_lines_are_claims_with_a_cue(themes: ParsedNotes) -> None:
    descriptions = [fact for fact in themes.facts if fact.cue == "Description"]
    assert [(d.text, d.source.line) for d in descriptions] == [
        ("Frontier AI lab where Karpathy worked on early agent development", 94),
        ("AI safety company building frontier models with agentic capabilities", 102),
    ]


def test_themes_metadata_lines_are_not_facts(themes: ParsedNotes) -> None:
    for fact in themes.facts:
        assert fact.source.line > 12
        for metadata in ("Dwarkesh", "Western", "lXUZvyajciY", "View Transcript", "Podcast"):
            assert metadata not in fact.text
    assert_clean_cards(themes)


def test_themes_cut_off_last_sentence_is_a_warning_not_a_fact(themes: ParsedNotes) -> None:
    assert not [fact for fact in themes.facts if "singles out Claude" in fact.text]
    assert not [fact for fact in themes.facts if fact.source.line == 106]
    (warning,) = themes.warnings
    assert warning.startswith(f"{THEMES}:106: ")
    assert "cut off" in warning and "in practical a" in warning


# --- foreign summary: numbered sections with > **Karpathy:** quotes -----------------------------


@pytest.fixture(scope="module")
def sections() -> ParsedNotes:
    return read_notes(SECTIONS)


def test_sections_metadata(sections: ParsedNotes) -> None:
    assert sections.talk.title == "We’re Not Making Animals, We’re Summoning Ghosts"
    assert sections.talk.speakers == (KARPATHY,)
    assert sections.talk.date is None
    assert sections.talk.source_url is None


def test_sections_blockquotes_are_verbatim_quotes_by_karpathy(sections: ParsedNotes) -> None:
    quotes = of_kind(sections, FactKind.QUOTE)
    assert [(q.source.line, q.text) for q in quotes] == [
        (24, "Resolving all foundational issues will likely take ~10 years, not 1 or 50."),
        (
            43,
            "We aren’t making animals — we’re summoning ghosts. Digital intelligence trained to "
            "imitate human data, born from pretraining — a completely different optimization "
            "path from biological evolution.",
        ),
        (
            100,
            "Before AGI, education is useful; after AGI, education is fun. People will learn "
            "for enjoyment, just as they exercise for health and pleasure today.",
        ),
    ]
    assert {quote.speaker for quote in quotes} == {KARPATHY}


def test_sections_topics_drop_their_numbering(sections: ParsedNotes) -> None:
    assert sections.topics == (
        "Key Points",
        "The Decade of Agents: Why Ten Years?",
        "From Imitating Animals to Summoning Ghosts",
        "Learning Mechanisms: In‑Context Learning & Cognitive Core",
        "Reinforcement Learning: Limits and Risks",
        "AI in Practice: From Coding Assistants to Superintelligence",
        "Educational Vision: Eureka Project",
    )
    assert "Overview" not in sections.topics  # its only sentences describe the document
    assert "Related Platforms" not in sections.topics


def test_sections_numbered_key_points_are_claims_with_cues(sections: ParsedNotes) -> None:
    key_points = [fact for fact in sections.facts if fact.topic == "Key Points"]
    assert [(fact.cue, fact.source.line) for fact in key_points] == [
        ("The Decade of Agents", 9),
        ("The Reality of Reinforcement Learning", 11),
        ("AI ≠ Animal Life", 13),
    ]
    assert key_points[0].text == (
        "True AI agents — closing gaps in cognition, multimodality, and continuous learning — "
        "will take about ten years to develop."
    )
    assert key_points[0].main


def test_sections_label_with_short_bullets_is_one_claim(sections: ParsedNotes) -> None:
    capabilities = by_cue(sections, "Critical missing capabilities")
    assert capabilities.kind is FactKind.CLAIM
    assert capabilities.source.line == 19
    assert capabilities.text == (
        "Persistent memory / continuous learning; Multimodal input-output competency; "
        "Ability to operate a computer like a human; Closing cognitive gaps in reasoning"
    )
    for fact in sections.facts:
        if fact is not capabilities:
            assert "Persistent memory" not in fact.text
    # A label written as a paragraph, and one followed by a separate numbered list.
    assert by_cue(sections, "Karpathy’s career milestones").text.startswith(
        "Early neural network work at University of Toronto (Geoff Hinton era); Seismic shifts"
    )
    assert by_cue(sections, "Pretraining’s dual role").text == (
        "Absorbs vast knowledge; Bootstraps circuits for intelligence (e.g., in‑context learning)"
    )
    assert by_cue(sections, "Teaching techniques").source.line == 96


def test_sections_bold_lead_in_on_its_own_line_cues_the_next(sections: ParsedNotes) -> None:
    goal = by_cue(sections, "Goal")
    assert goal.text == "Strip unnecessary memorization, preserve the algorithms for thought."
    assert goal.source.line == 61
    downside = by_cue(sections, "Potential downside")
    assert downside.text.startswith("Too much memorized knowledge can reduce flexibility")


def test_sections_long_bullets_under_a_label_stay_separate(sections: ParsedNotes) -> None:
    first_wave = by_text(sections, "First wave of RL‑based agents")
    assert first_wave.cue is None and first_wave.source.line == 40
    assert not [fact for fact in sections.facts if fact.cue in ("Retrospective", "RL process")]


def test_sections_promotional_asides_and_links_are_ignored(sections: ParsedNotes) -> None:
    banned = ("aitoearn", "douyin", "wechat", "monetization", "kwai", "bilibili", "read original")
    banned += ("such tools", "such infrastructure", "analytics", "ai模型排名")
    for fact in sections.facts:
        for word in banned:
            assert word not in fact.text.lower(), fact
            assert word not in (fact.cue or "").lower(), fact
        assert not 26 <= fact.source.line <= 34
        assert fact.source.line < 104
    assert sum("aside that links to aitoearn.ai" in w for w in sections.warnings) == 2
    assert_clean_cards(sections)


def test_sections_kinds(sections: ParsedNotes) -> None:
    assert kinds(sections) == {"claim": 23, "quote": 3}


# --- our own format ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def own() -> ParsedNotes:
    return read_notes(OWN)


def test_a_talk_is_known_by_its_file_name_or_its_slug() -> None:
    text = "## Topic\n\n- A claim that is long enough to keep.\n"
    assert parse_notes(text, "notes/My Talk.md").talk.slug == "my-talk"
    assert parse_notes("---\nslug: ghosts\n---\n" + text, "x.md").talk.slug == "ghosts"
    with pytest.raises(NotesError, match=r"x\.md:2: 'slug' must be lower-case"):
        parse_notes("---\nslug: Not A Slug\n---\n" + text, "x.md")


def test_own_front_matter(own: ParsedNotes) -> None:
    assert own.talk.title == "We're summoning ghosts, not building animals"
    assert own.talk.slug == "own-format"
    assert own.talk.speakers == (KARPATHY, "Dwarkesh Patel")
    assert own.talk.date == dt.date(2025, 10, 17)
    assert own.talk.source_url == "https://www.youtube.com/watch?v=lXUZvyajciY"
    assert own.path == str(OWN)
    assert own.topics == ("The decade of agents", "Ghosts, not animals")


def test_own_every_marker(own: ParsedNotes) -> None:
    main = by_text(own, "Karpathy calls this the decade of agents")
    assert (main.kind, main.main, main.source.line, main.speaker) == (
        FactKind.CLAIM,
        True,
        12,
        KARPATHY,
    )
    lead_in = by_cue(own, "What agents still lack")
    assert lead_in.text == "continual learning, real multimodality and computer use."
    assert (lead_in.source.line, lead_in.main) == (15, False)
    cued = by_cue(own, "Why not a year?")
    assert cued.text == "Each missing piece is a research problem that takes years, not months."
    number = by_cue(own, "Years Karpathy expects it takes for agents to really work")
    assert (number.kind, number.text, number.source.line) == (FactKind.NUMBER, "about 10", 17)
    sequence = by_cue(own, "Karpathy's career, in order")
    assert sequence.kind is FactKind.SEQUENCE
    assert sequence.items == (
        "Neural networks at the University of Toronto with Geoff Hinton",
        "Founding member of OpenAI",
        "Head of AI and Autopilot at Tesla",
    )
    assert sequence.text == "\n".join(sequence.items)
    assert sequence.source.line == 24
    claim = by_text(own, "Pretraining is a crappy form of evolution")
    assert (claim.main, claim.source.line, claim.cue) == (True, 31, None)


def test_own_quotes_and_speakers(own: ParsedNotes) -> None:
    quotes = {
        quote.text: (quote.speaker, quote.source.line)
        for quote in own.facts
        if quote.kind is FactKind.QUOTE
    }
    assert quotes == {
        "They're just cognitively lacking and it's just not working.": (KARPATHY, 19),
        "It's slop.": (KARPATHY, 22),
        "We're not actually building animals. We're building ghosts.": (KARPATHY, 33),
        "What would it take for agents to work?": ("Dwarkesh Patel", 38),
        "About a decade of work on the missing pieces.": (KARPATHY, 39),
    }


def test_own_duplicates_are_dropped_with_a_warning(own: ParsedNotes) -> None:
    copies = [f for f in own.facts if f.text.startswith("Today's agents are impressive")]
    assert len(copies) == 1 and copies[0].source.line == 14
    assert f"{OWN}:35: duplicate of the claim on line 14; dropped" in own.warnings
    assert len({fact.key for fact in own.facts}) == len(own.facts)


def test_own_html_comments_are_ignored(own: ParsedNotes) -> None:
    assert not [
        fact for fact in own.facts if "re-watch" in fact.text or "Notes to self" in fact.text
    ]
    assert_clean_cards(own)


def test_facts_are_frozen(own: ParsedNotes) -> None:
    fact = own.facts[0]
    with pytest.raises(ValidationError):
        fact.text = "changed"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        own.talk.title = "changed"  # type: ignore[misc]


def test_keys_are_stable_and_equal_for_equal_facts(own: ParsedNotes) -> None:
    again = read_notes(OWN)
    assert [fact.key for fact in again.facts] == [fact.key for fact in own.facts]
    fact = by_cue(own, "Why not a year?")
    assert fact.key == fact_key(FactKind.CLAIM, "Why not a year?", fact.text)
    elsewhere = parse_notes(
        "## Another topic\n\n- Why not a year? :: Each missing piece is a research problem "
        "that takes years, not months.\n",
        "other.md",
    )
    assert elsewhere.facts[0].key == fact.key
    assert elsewhere.facts[0].topic == "Another topic"


# --- other plausible styles --------------------------------------------------------------------


def test_yaml_front_matter_notes() -> None:
    notes = read_notes(DATA / "yaml_front_matter.md")
    assert notes.talk.title == "Intro to Large Language Models"
    assert notes.talk.speakers == (KARPATHY,)
    assert notes.talk.date == dt.date(2023, 11, 23)
    assert notes.talk.source_url == "https://www.youtube.com/watch?v=zjkBMFhNj_g"
    # The `#` heading repeats the title: what is under it is General, not a topic of its own.
    assert notes.topics == (GENERAL_TOPIC, "Training", "Future")
    assert [fact.text for fact in notes.facts if fact.topic == GENERAL_TOPIC] == [
        "A large language model is just two files: a parameters file and the code that runs it.",
        "The parameters of Llama 2 70B take about 140 GB on disk.",
    ]
    # A sentence split across lines keeps the line it starts on.
    assert by_text(notes, "It costs millions of dollars").source.line == 16
    assert by_text(notes, "Fine-tuning then swaps").source.line == 17
    assert by_cue(notes, "GPUs used to pretrain Llama 2 70B").text == "about 6,000"
    assert_clean_cards(notes)


def test_key_takeaways_style() -> None:
    notes = read_notes(DATA / "key_takeaways.md")
    assert notes.talk.title == "Software Is Changing (Again)"
    assert notes.talk.speakers == (KARPATHY,)
    assert notes.talk.date == dt.date(2025, 6, 17)
    assert notes.talk.source_url == "https://www.youtube.com/watch?v=LCEmiRjPEtQ"
    assert notes.topics == ("Key takeaways", "Three kinds of software")
    assert [(f.cue, f.source.line) for f in notes.facts if f.topic == "Key takeaways"] == [
        (None, 9),
        (None, 10),
        ("Partial autonomy apps", 11),
        ("Build for agents", 12),
    ]
    assert not [fact for fact in notes.facts if "newsletter" in fact.text.lower()]
    assert not [fact for fact in notes.facts if "Watch the full talk" in fact.text]
    assert [f.text for f in notes.facts if f.topic == "Three kinds of software"] == [
        "Software 1.0 is code written by hand.",
        "Software 2.0 is the weights of a neural network.",
        "Software 3.0 is prompts that program an LLM.",
    ]
    assert_clean_cards(notes)


def test_numbered_lists_and_nested_bullets() -> None:
    notes = read_notes(DATA / "numbered_nested.md")
    assert notes.talk.title == "numbered_nested"  # no title anywhere: the file's name
    assert notes.talk.speakers == ()
    assert notes.topics == ("Lessons from training", "Habits")
    assert [(fact.text, fact.source.line) for fact in notes.facts][:3] == [
        ("Data quality matters more than the sheer quantity of data.", 3),
        ("Curated data sets let smaller models reach the same quality.", 4),
        ("Synthetic data carries a risk of model collapse over time.", 5),
    ]
    assert by_cue(notes, "Memory versus reasoning").text == (
        "models memorise far more than they need to reason."
    )
    failures = by_cue(notes, "Failure modes to watch")
    assert (failures.text, failures.source.line) == ("Hallucination; Sycophancy; Reward hacking", 8)
    assert all(fact.speaker is None for fact in notes.facts)
    assert by_text(notes, "Read the papers").main


def test_podcast_notes_with_guest_host_and_dialogue() -> None:
    path = DATA / "podcast_notes.md"
    notes = read_notes(path)
    assert notes.talk.title == "Podcast notes: Dwarkesh Patel with Andrej Karpathy"
    # Guest before host: the guest is the default speaker.
    assert notes.talk.speakers == (KARPATHY, "Dwarkesh Patel")
    assert notes.talk.date == dt.date(2025, 10, 17)
    assert notes.talk.source_url == "https://youtu.be/lXUZvyajciY"
    assert notes.topics == ("TL;DR", "Key quotes", "Numbers", "Remarks")
    # A bare link to elsewhere drops its sentence, not its section.
    assert [fact.text for fact in notes.facts if fact.topic == "TL;DR"] == [
        "Karpathy thinks agents will take a decade.",
        "He is bearish on RL, calling it terrible, but sees no better alternative yet.",
    ]
    assert notes.warnings == ()
    quotes = [(f.text, f.speaker, f.source.line) for f in of_kind(notes, FactKind.QUOTE)]
    assert quotes == [
        (
            "Reinforcement learning is terrible. It just so happens that everything we had "
            "before is much worse.",
            KARPATHY,
            14,
        ),
        ("Why a decade?", "Dwarkesh Patel", 17),
        ("Because the problems are tractable but still difficult.", KARPATHY, 18),
        ("It’s slop.", KARPATHY, 20),
    ]
    # A GitHub callout is a remark, not a quotation.
    remark = by_text(notes, "The host pushed back")
    assert (remark.kind, remark.topic, remark.source.line) == (FactKind.CLAIM, "Remarks", 30)
    assert_clean_cards(notes)


def test_blockquote_attributions_and_marker_before_a_blockquote() -> None:
    notes = parse_notes(
        "---\nspeakers: [Andrej Karpathy, Dwarkesh Patel]\n---\n"
        "## Quotes\n\n"
        '> "Agents are cognitively lacking."\n> -- Dwarkesh Patel\n\n'
        "> The decade of agents, not the year.\n>\n> - Karpathy\n\n"
        "Quote (Dwarkesh):\n> Why would it take a decade?\n\n"
        '> "It\'s slop." — Karpathy\n'
    )
    quotes = [(f.text, f.speaker, f.source.line) for f in notes.facts]
    assert quotes == [
        ("Agents are cognitively lacking.", "Dwarkesh Patel", 6),
        ("The decade of agents, not the year.", KARPATHY, 9),
        ("Why would it take a decade?", "Dwarkesh Patel", 14),
        ("It's slop.", KARPATHY, 16),
    ]


def test_bold_bullet_is_a_claim_and_bold_group_collects_its_sub_items() -> None:
    notes = parse_notes(
        "## Tips\n\n- **Use small models for most tasks**\n"
        "- Another claim that is long enough to stand alone as a card.\n"
        "- **Failure modes**\n  - Hallucination\n  - Reward hacking\n"
        "- **Long items**:\n"
        "  - Models hallucinate when asked about things they never saw in pretraining data.\n"
        "  - Reward hacking appears whenever the judge is itself a model that can be fooled.\n"
    )
    assert [(fact.cue, fact.text, fact.source.line) for fact in notes.facts] == [
        (None, "Use small models for most tasks", 3),
        (None, "Another claim that is long enough to stand alone as a card.", 4),
        ("Failure modes", "Hallucination; Reward hacking", 5),
        (
            None,
            "Models hallucinate when asked about things they never saw in pretraining data.",
            9,
        ),
        (
            None,
            "Reward hacking appears whenever the judge is itself a model that can be fooled.",
            10,
        ),
    ]


def test_unknown_short_speaker_is_kept_as_written() -> None:
    notes = parse_notes('---\nspeaker: Andrej Karpathy\n---\nQuote (Hinton): "Backprop works."\n')
    assert [(f.text, f.speaker) for f in notes.facts] == [("Backprop works.", "Hinton")]


def test_second_main_in_a_topic_is_a_plain_claim_with_a_warning() -> None:
    notes = parse_notes(
        "## Topic\n\nMain: The first main claim of this topic is here.\n\n"
        "Main: The second main claim of this topic is here.\n",
        "n.md",
    )
    assert [fact.main for fact in notes.facts] == [True, False]
    assert notes.warnings == ("n.md:5: a second Main: in topic 'Topic'; kept as a plain claim",)


def test_last_bullet_without_full_stop_is_kept() -> None:
    notes = parse_notes("## Topic\n\n- Agents need continual learning first\n- Then multimodality")
    assert [fact.text for fact in notes.facts] == [
        "Agents need continual learning first",
        "Then multimodality",
    ]
    assert notes.warnings == ()


def test_two_column_table_rows_are_cued_claims() -> None:
    notes = parse_notes(
        "## Labs\n\n| Lab | Known for |\n| --- | --- |\n| OpenAI | The universe project |\n"
    )
    assert [(f.cue, f.text, f.source.line) for f in notes.facts] == [
        ("OpenAI", "The universe project", 5)
    ]


def test_crlf_and_bom_read_like_plain_lf() -> None:
    text = OWN.read_text(encoding="utf-8")
    plain = parse_notes(text, "own.md")
    windows = parse_notes("\ufeff" + text.replace("\n", "\r\n"), "own.md")
    assert windows == plain


def test_source_file_is_the_path_as_given(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("- Agents need a decade of research to work well.\n", encoding="utf-8")
    notes = read_notes(str(path))
    assert notes.facts[0].source.file == str(path)
    assert notes.facts[0].topic == GENERAL_TOPIC
    assert parse_notes("- Agents need a decade of research.").facts[0].source.file == "<notes>"


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("binary.md", 4, "binary data"),
        ("not_utf8.md", 5, "not UTF-8"),
        ("empty.md", 1, "empty"),
        ("unterminated_front_matter.md", 1, "never closed"),
        ("invalid_yaml.md", 4, "not valid YAML"),
        ("front_matter_list.md", 2, "must be a mapping"),
        ("bad_date.md", 3, "'date' that is not a valid date"),
        ("number_without_separator.md", 4, "'Number:' needs"),
        ("sequence_without_list.md", 5, "'Sequence:' must be followed by a list"),
        ("no_facts.md", 1, "no usable facts"),
    ],
)
def test_bad_file_names_file_line_and_problem(name: str, line: int, message: str) -> None:
    path = BAD / name
    with pytest.raises(NotesError) as caught:
        read_notes(path)
    error = caught.value
    assert error.path == path
    assert [problem.line for problem in error.problems] == [line]
    assert str(error).startswith(f"{path}:{line}: ")
    assert message in str(error)


def test_every_problem_is_listed() -> None:
    path = BAD / "many_problems.md"
    with pytest.raises(NotesError) as caught:
        read_notes(path)
    problems = [(problem.line, problem.message) for problem in caught.value.problems]
    assert [line for line, _ in problems] == [2, 3, 8, 9, 11]
    assert "'title' must be text, not a list" in problems[0][1]
    assert "'date' must be a date like 2025-10-17" in problems[1][1]
    assert "'Number:' needs" in problems[2][1]
    assert "'Quote:' has no text" in problems[3][1]
    assert "at least two items" in problems[4][1]
    assert str(caught.value).count(str(path)) == 5


def test_invalid_yaml_names_where_the_construct_opened() -> None:
    with pytest.raises(NotesError, match=r"flow sequence on line 3"):
        read_notes(BAD / "invalid_yaml.md")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("- Claim: \n", 1, "'Claim:' has no text"),
        ("Main:\n", 1, "'Main:' has no text"),
        ("Number: :: 10\n", 1, "both sides of '::'"),
        ("Sequence:\n1. a\n2. b\n", 1, "'Sequence:' has no title"),
        ("- x is fine here\n\nQuote (Karpathy):\n", 3, "'Quote:' has no text"),
        ("---\ntitle: t\ndate: soon\n---\n- A claim.\n", 3, "'date' must be a date"),
        ("---\ndate: 2025\n---\n- A claim.\n", 2, "'date' must be a date"),
        ("---\nspeakers: [[a]]\n---\n- A claim.\n", 2, "'speakers' must be a name"),
        ("---\nsource: [x]\n---\n- A claim.\n", 2, "'source' must be a web address"),
        ("---\njust text\n---\n- A claim.\n", 2, "must be a mapping"),
        ("a\x00b", 1, "binary data"),
    ],
)
def test_bad_text(text: str, line: int, message: str) -> None:
    with pytest.raises(NotesError) as caught:
        parse_notes(text, "x.md")
    assert caught.value.problems[0].line == line
    assert f"x.md:{line}: " in str(caught.value)
    assert message in str(caught.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    missing = tmp_path / "nope.md"
    with pytest.raises(NotesError, match=r"nope\.md: no such file"):
        read_notes(missing)
    with pytest.raises(NotesError, match=r"is a directory"):
        read_notes(tmp_path)


def test_utf16_is_reported_as_such(tmp_path: Path) -> None:
    path = tmp_path / "utf16.md"
    path.write_text("- A claim written in UTF-16 by some editor.\n", encoding="utf-16")
    with pytest.raises(NotesError, match=r"utf16\.md:1: the file is UTF-16"):
        read_notes(path)


# --- never hangs, never raises anything else ---------------------------------------------------


def test_ten_megabyte_file_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    path.write_bytes(b"- A claim that repeats itself many times over.\n" * 220_000)
    started = time.perf_counter()
    with pytest.raises(NotesError, match=r"too large"):
        read_notes(path)
    with pytest.raises(NotesError, match=r"too large"):
        parse_notes("x" * 10_000_000)
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize(
    "text",
    [
        "- " * 10_000 + "a claim at the bottom of a very deep list\n",
        "".join("  " * depth + "- item\n" for depth in range(10_000))[: MAX_NOTES_BYTES - 1],
        ">" * 10_000 + " a quote at the bottom\n",
        "[" * MAX_NOTES_BYTES,
        "*" * MAX_NOTES_BYTES,
        "." * MAX_NOTES_BYTES,
        "<!--" * (MAX_NOTES_BYTES // 4),
        ("- **Label**:\n" * (MAX_NOTES_BYTES // 13)),
        ("word. Word " * (MAX_NOTES_BYTES // 11)),
        ("http://" * (MAX_NOTES_BYTES // 7)),
    ],
    ids=[
        "deep-list",
        "deep-indent",
        "deep-quote",
        "brackets",
        "stars",
        "dots",
        "comments",
        "labels",
        "sentences",
        "urls",
    ],
)
def test_pathological_input_does_not_hang(text: str) -> None:
    # A guard against runaway (quadratic or worse) parsing, far above the seconds it takes;
    # benchmarks, not tests, measure speed.
    started = time.perf_counter()
    with contextlib.suppress(NotesError):
        parse_notes(text)
    assert time.perf_counter() - started < 60


def test_largest_allowed_file_of_real_notes_is_fast() -> None:
    chunk = SECTIONS.read_text(encoding="utf-8") + "\n\n"
    text = chunk * (MAX_NOTES_BYTES // len(chunk.encode()))
    started = time.perf_counter()
    notes = parse_notes(text)
    assert time.perf_counter() - started < 5
    assert kinds(notes) == {"claim": 23, "quote": 3}  # the copies are duplicates


MARKDOWN_ALPHABET = st.sampled_from(
    [
        *"ab Kz.:!?-*+_>#`[]()|<>\"'“”—\n\t0123456789~=\\&;",
        "**",
        "::",
        "---",
        "\n\n",
        "Quote:",
        "Main:",
        "Number:",
        "Sequence:",
        "<!--",
        "-->",
        "http://x.io",
        "1. ",
        "- ",
        "> ",
        "## ",
        "**Quote:** ",
        "\r\n",
        "\ufeff",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(MARKDOWN_ALPHABET, max_size=80).map("".join))
def test_any_text_parses_or_raises_notes_error(text: str) -> None:
    try:
        notes = parse_notes(text, "fuzz.md")
    except NotesError as error:
        assert error.problems
        assert all(problem.message for problem in error.problems)
    else:
        assert notes.facts
        for fact in notes.facts:
            assert fact.text.strip()
            assert fact.topic in notes.topics
            assert 1 <= fact.source.line <= text.count("\n") + text.count("\r") + 1
