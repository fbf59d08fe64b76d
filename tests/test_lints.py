"""`briefing check`'s warnings (briefing.format.lints) and the rules for links, mention rules and dates.

Each warning and each error is triggered by a small briefing, with its
message, line, column and severity, beside one that does not trigger it.
"""

from __future__ import annotations

import datetime
import importlib.util
import sys

import pytest
import tomli_w
from conftest import MINIMAL, PER_EXAMPLE_DEADLINE_MS, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.format.lints import citation_problem, hedge_words, lint, lint_problems
from briefing.format.model import (
    Actor,
    Asset,
    Briefing,
    Event,
    LedeSection,
    Link,
    Location,
    MentionRule,
    Meta,
    Note,
    Position,
    Quote,
    When,
)
from briefing.format.problems import Problem
from briefing.format.reading import parse_briefing
from briefing.format.validation import LOOKUP_BUDGET, ArticleText

FILE = "b.toml"
SETTINGS = settings(max_examples=150, deadline=PER_EXAMPLE_DEADLINE_MS, suppress_health_check=[HealthCheck.too_slow])
ANY_TEXT = st.text(max_size=60)


def at(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based line and column where the n-th ``needle`` starts in ``text``."""
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    return text.count("\n", 0, start) + 1, start - (text.rfind("\n", 0, start) + 1) + 1


def warnings(text: str) -> list[Problem]:
    result = parse_briefing(text, FILE)
    assert result.ok and result.briefing is not None, [str(p) for p in result.problems]
    return lint_problems(result.briefing, text, FILE)


def only_warning(text: str) -> Problem:
    found = warnings(text)
    assert len(found) == 1, [str(p) for p in found]
    (problem,) = found
    assert problem.severity == "warning"
    assert str(problem).startswith(f"{FILE}:{problem.line}:{problem.column}: warning: {problem.key}: ")
    return problem


def errors(text: str) -> list[Problem]:
    result = parse_briefing(text, FILE)
    assert result.briefing is None, "expected the file to be invalid"
    assert all(p.severity == "error" for p in result.problems)
    return result.problems


def only_error(text: str) -> Problem:
    found = errors(text)
    assert len(found) == 1, [str(p) for p in found]
    (problem,) = found
    assert str(problem).startswith(f"{FILE}:{problem.line}:{problem.column}: error: {problem.key}: ")
    return problem


def asset(fields: str, name: str = "Cargo") -> str:
    """MINIMAL with one more asset, ``assets[1]``."""
    return MINIMAL + f'\n[[assets]]\nid = "cargo"\nname = "{name}"\nkind = "equipment"\n{fields}\n'


def test_minimal_has_no_warning():
    assert warnings(MINIMAL) == []


def test_problems_default_to_errors_and_print_their_severity():
    assert Problem("f", 1, 2, "m").severity == "error"
    assert str(Problem("f", 1, 2, "m", severity="warning")) == "f:1:2: warning: m"
    assert Problem("f", 1, 2, "m", severity="warning").to_dict()["severity"] == "warning"


# -- overstatement --------------------------------------------------------------------------------


def test_a_status_that_drops_its_evidences_hedge():
    text = asset('status = "drifting near the coast"\nevidence = ["It is reportedly drifting near the coast"]')
    problem = only_warning(text)
    assert problem.key == "assets[1].status"
    assert problem.message == "`status` drops “reportedly” of its evidence"
    assert (problem.line, problem.column) == at(text, '"drifting near the coast"')


def test_a_status_that_keeps_a_hedge_is_not_warned():
    assert warnings(asset('status = "reportedly drifting"\nevidence = ["It is reportedly drifting"]')) == []
    # Another hedge word is a hedge too: "drops" means none is left.
    assert warnings(asset('status = "may be drifting"\nevidence = ["It could be drifting"]')) == []
    assert warnings(asset('status = "drifting"\nevidence = ["It is drifting"]')) == []


def test_a_status_that_keeps_one_hedge_of_its_sentence_but_drops_another():
    # The Sparta defect: "it is reportedly attempting to transfer…" became "attempting to transfer…".
    evidence = 'evidence = ["As it reassesses, it is reportedly attempting to transfer its bases. Others could help."]'
    text = asset(f'status = "attempting to transfer its bases"\n{evidence}')
    problem = only_warning(text)
    # "could" is another sentence's: only the status's own sentence counts.
    assert problem.message == "`status` drops “reportedly” of its evidence"
    assert warnings(asset(f'status = "reportedly attempting to transfer its bases"\n{evidence}')) == []


def test_every_dropped_hedge_word_is_named_in_order():
    text = asset('status = "leaving"\nevidence = ["It could be leaving", "It is possibly leaving, or could stay"]')
    assert only_warning(text).message == "`status` drops “could” and “possibly” of its evidence"


def test_hedge_words_are_whole_words_case_aside_and_may_beside_a_number_is_the_month():
    assert hedge_words("Reportedly it COULD go") == ["reportedly", "could"]
    assert hedge_words("unreportedly, could-be, maybe") == ["could"]
    assert hedge_words("it left on 5 May and May 2024") == []
    assert hedge_words("it may leave") == ["may"]
    assert warnings(asset('status = "left"\nevidence = ["It left on 5 May"]')) == []


def test_an_editors_note_that_drops_the_evidences_hedge():
    note = '\n[[assets.notes]]\ntext = "The cargo is aboard."\n'
    text = asset('evidence = ["The cargo is allegedly aboard"]' + note)
    problem = only_warning(text)
    assert problem.key == "assets[1].notes[0].text"
    assert problem.message == "this note drops “allegedly” of its evidence"
    assert (problem.line, problem.column) == at(text, '"The cargo is aboard."')
    # A fact from outside reporting is not the editor's reading of the evidence.
    external = note.replace(
        "\n[[assets.notes]]\n", '\n[[assets.notes]]\nbasis = "external"\nsource = "Reuters, 2024-12-08"\n'
    )
    assert warnings(asset('evidence = ["The cargo is allegedly aboard"]' + external)) == []


def test_a_role_that_drops_the_hedge_of_the_actors_quotes():
    text = MINIMAL.replace('kind = "military"', 'kind = "military"\nrole = "Says the ship is drifting."').replace(
        'text = "We are drifting."', 'text = "We might be drifting."'
    )
    problem = only_warning(text)
    assert problem.key == "actors[0].role"
    assert problem.message == "`role` drops “might” of the actor's quotes"
    assert (problem.line, problem.column) == at(text, '"Says the ship is drifting."')


def test_a_quotes_context_counts_and_another_speakers_quote_does_not():
    role = MINIMAL.replace('kind = "military"', 'kind = "military"\nrole = "Says the ship is drifting."')
    with_context = role.replace('section = "body"', 'section = "body"\ncontext = "the navy reportedly said"', 1)
    assert only_warning(with_context).message == "`role` drops “reportedly” of the actor's quotes"
    other = (
        role
        + '\n[[actors]]\nid = "crew"\nname = "The crew"\nkind = "group"\n'
        + '\n[[quotes]]\nid = "crew-quote"\nspeaker = "crew"\ntext = "We could be drifting."\nsection = "body"\n'
    )
    assert warnings(other) == []
    hedged = role.replace('"Says the ship is drifting."', '"Says the ship may be drifting."').replace(
        '"We are drifting."', '"We might be drifting."'
    )
    assert warnings(hedged) == []


# -- dates ----------------------------------------------------------------------------------------

EVENT_WHEN = 'when = { date = 2024-12-23, precision = "exact", basis = "article" }'


def with_when(when: str) -> str:
    assert EVENT_WHEN in MINIMAL
    return MINIMAL.replace(EVENT_WHEN, f"when = {{ date = 2024-12-23, {when} }}")


def test_an_editors_date_cannot_be_exact():
    text = with_when('precision = "exact", basis = "editor", note = "Placed by the editor."')
    problem = only_warning(text)
    assert problem.key == "events[0].when.precision"
    assert problem.message == "a date on the editor's word cannot be exact"
    assert (problem.line, problem.column) == at(text, '"exact"')
    assert warnings(with_when('precision = "approximate", basis = "editor", note = "Placed by the editor."')) == []


def test_an_editors_date_needs_a_note():
    text = with_when('precision = "approximate", basis = "editor"')
    problem = only_warning(text)
    assert problem.key == "events[0].when"
    assert problem.message == "a date on the editor's word must say in `note` how it was worked out"
    assert (problem.line, problem.column) == at(text, "when = {")
    assert only_warning(with_when('precision = "approximate", basis = "editor", note = "  "')).key == "events[0].when"


def test_a_date_on_the_articles_word_needs_the_year_in_its_words():
    text = with_when('precision = "exact", basis = "article", stated = "December 23"')
    problem = only_warning(text)
    assert problem.key == "events[0].when.basis"
    assert problem.message == "the article's words “December 23” give no year: the full date is not the article's"
    assert (problem.line, problem.column) == at(text, '"article"')
    assert warnings(with_when('precision = "exact", basis = "article", stated = "December 23, 2024"')) == []
    source = 'source = "Reuters, 2024-12-23"'
    assert warnings(with_when(f'precision = "exact", basis = "external", stated = "December 23", {source}')) == []


@pytest.mark.parametrize("stated", ["on Monday", "yesterday", "last week", "two days ago"])
def test_a_relative_date_cannot_be_exact(stated):
    source = 'source = "Reuters, 2024-12-23"'
    text = with_when(f'precision = "exact", basis = "external", stated = "{stated}", {source}')
    problem = only_warning(text)
    assert problem.key == "events[0].when.precision"
    assert problem.message.startswith(f"“{stated}” is a date relative to another")
    assert (problem.line, problem.column) == at(text, '"exact"')
    inferred = text.replace('precision = "exact"', 'precision = "inferred"')
    assert warnings(inferred) == []


def test_a_quotes_date_is_linted_too():
    text = MINIMAL.replace(
        'text = "We are drifting."',
        'text = "We are drifting."\nwhen = { date = 2024-12-23, precision = "inferred", basis = "editor" }',
    )
    assert only_warning(text).key == "quotes[0].when"


# -- sources --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("", "it is empty"),
        ("   ", "it is blank"),
        ("Public reporting (shared/seed/FACTS.md)", "it names a file of this repository (“shared/seed”)"),
        ("FACTS.md", "it names a file of this repository (“FACTS.md”)"),
        ("notes/dates.txt", "it names a file (“notes/dates.txt”)"),
        ("see sources.toml", "it names a file (“sources.toml”)"),
        ("research/dates", "it is a path (“research/dates”)"),
        ("(/home/editor/x)", "it is a path (“/home/editor/x”)"),
        ("../x", "it is a path (“../x”)"),
        ("C:\\briefings\\x", "it is a path (“C:\\briefings\\x”)"),
        ("a/b/C", "it is a path (“a/b/C”)"),
    ],
)
def test_sources_that_are_not_citations(source, reason):
    assert citation_problem(source) == reason


@pytest.mark.parametrize(
    "source",
    [
        "Reuters, 2024-12-08",
        "RFE/RL, 2024-12-13",
        "Institute for the Study of War assessment, 2024-12-08/09",
        "GeoNames / Wikipedia, “Khmeimim Air Base”",
        "https://www.reuters.com/world/middle-east/story-2024-12-08/",
        "Reuters, 2024-12-08, https://www.reuters.com/world/story.html",
        "Kyiv Independent, Ukrinform and Newsweek, all 2024-12-23",
    ],
)
def test_citations_are_not_warned(source):
    assert citation_problem(source) is None


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        (
            MINIMAL.replace(
                'kind = "military"',
                'kind = "military"\n\n[[actors.notes]]\ntext = "A fact."\nbasis = "external"\n'
                'source = "shared/seed/FACTS.md"',
            ),
            "actors[0].notes[0].source",
            '"shared/seed/FACTS.md"',
        ),
        (
            MINIMAL.replace(
                "[[sections]]", '[[meta.caveats]]\ntext = "A fact."\nsource = "facts/x"\n\n[[sections]]', 1
            ),
            "meta.caveats[0].source",
            '"facts/x"',
        ),
        (
            with_when('precision = "inferred", basis = "external", source = "dates.json"'),
            "events[0].when.source",
            '"dates.json"',
        ),
        (
            MINIMAL.replace(
                'kind = "sea_area"',
                'kind = "sea_area"\nposition = { lat = 1.0, lon = 2.0, precision = "approximate", basis = "external", '
                'source = "geo/places.csv" }',
            ),
            "locations[0].position.source",
            '"geo/places.csv"',
        ),
        (
            MINIMAL.replace(
                'location = "sea"', 'location = "sea"\nlinks.owner = { basis = "external", source = "owners.md" }'
            ),
            "assets[0].links.owner.source",
            '"owners.md"',
        ),
    ],
    ids=["note", "caveat", "date", "position", "link"],
)
def test_every_kind_of_source_is_linted_at_its_value(text, key, value):
    problem = only_warning(text)
    assert problem.key == key
    assert problem.message.startswith("`source` is not a citation: it ")
    assert "cite the outlet and date" in (problem.hint or "")
    assert (problem.line, problem.column) == at(text, value)


# -- ambiguous names ------------------------------------------------------------------------------


def two_assets(aliases: str = '["military equipment"]', mentions: str = "", evidence: str = "") -> str:
    evidence = evidence or "withdrawing military equipment from its base"
    return (
        MINIMAL
        + f'\n[[assets]]\nid = "cargo"\nname = "The cargo"\nkind = "equipment"\naliases = {aliases}\n{mentions}\n'
        + f'\n[[assets]]\nid = "base"\nname = "The base"\nkind = "air_base"\nevidence = ["{evidence}"]\n'
    )


def test_an_alias_found_in_another_entrys_evidence():
    text = two_assets()
    problem = only_warning(text)
    assert problem.key == "assets[1].aliases[0]"
    assert problem.message == (
        "alias “military equipment” is also found in the evidence of asset `base`: "
        "its mentions may be of something else"
    )
    assert problem.hint == 'scope it with mentions = [{ name = "military equipment", sections = […], not_in = […] }]'
    assert (problem.line, problem.column) == at(text, '"military equipment"]')


def test_evidence_both_entries_share_names_both_rightly():
    # The base's passage is also the cargo's own evidence (the same words, or within them).
    for own in ("withdrawing military equipment from its base", "military equipment"):
        text = two_assets().replace(
            'aliases = ["military equipment"]\n', f'aliases = ["military equipment"]\nevidence = ["{own}"]\n', 1
        )
        assert warnings(text) == [], own


def test_a_name_found_in_another_entrys_evidence_case_aside():
    text = two_assets(evidence="Withdrawing THE CARGO from its base")
    problem = only_warning(text)
    assert problem.key == "assets[1].name"
    assert (problem.line, problem.column) == at(text, '"The cargo"')


def test_a_rule_even_an_empty_one_says_the_name_is_reviewed():
    assert warnings(two_assets(mentions='mentions = [{ name = "military equipment" }]')) == []
    assert warnings(two_assets(mentions='mentions = [{ name = "Military Equipment", sections = ["body"] }]')) == []


def test_names_match_whole_words_only_and_not_the_entrys_own_evidence():
    assert warnings(two_assets(evidence="withdrawing military equipments from its base")) == []
    assert warnings(two_assets(evidence="paramilitary equipment")) == []
    own = (
        MINIMAL + '\n[[assets]]\nid = "cargo"\nname = "The cargo"\nkind = "equipment"\nevidence = ["The cargo left"]\n'
    )
    assert warnings(own) == []


# -- new errors: links ----------------------------------------------------------------------------


def with_link(link: str, key: str = "location") -> str:
    return MINIMAL.replace('location = "sea"', f'location = "sea"\nlinks.{key} = {{ {link} }}')


def test_a_link_key_that_is_not_a_reference_of_its_kind():
    text = with_link('basis = "inferred", note = "Why."', key="locaton")
    problem = only_error(text)
    assert problem.key == "assets[0].links.locaton"
    assert problem.message == "`locaton` is not a reference of an asset"
    assert problem.expected == "one of owner, location, reported_by, reported_in"
    assert problem.hint == "did you mean `location`?"
    assert (problem.line, problem.column) == at(text, "locaton")


def test_a_link_of_a_reference_the_entry_does_not_give():
    text = with_link('basis = "inferred", note = "Why."', key="reported_by")
    problem = only_error(text)
    assert problem.key == "assets[0].links.reported_by"
    assert problem.message == "`links.reported_by` qualifies a `reported_by` this asset does not give"
    assert (problem.line, problem.column) == at(text, "reported_by")


def test_links_of_each_kind_follow_the_kinds_references():
    actor = MINIMAL.replace('kind = "military"', 'kind = "military"\nlinks.within = { basis = "inferred", note = "x" }')
    assert only_error(actor).message == "`within` is not a reference of an actor"
    event = MINIMAL.replace('where = "sea"', 'where = "sea"\nlinks.where = { basis = "inferred", note = "x" }')
    assert warnings(event) == []


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ('basis = "hedged"', "a link that is `hedged` must quote the article's words in `hedge`"),
        ('basis = "intended"', "a link that is `intended` must quote the article's words in `hedge`"),
        ('basis = "external"', "an external link must name its `source`"),
        ('basis = "inferred"', "an inferred link must say why in `note`"),
    ],
)
def test_a_link_needs_what_its_basis_rests_on(link, message):
    text = with_link(link)
    problem = only_error(text)
    assert problem.key == "assets[0].links.location.basis"
    assert problem.message == message
    assert (problem.line, problem.column) == at(text, '"' + link.split('"')[1] + '"')


@pytest.mark.parametrize(
    "link",
    [
        'basis = "hedged", hedge = "The ship drifted"',
        'basis = "intended", hedge = "SHIP DRIFTED"',
        'basis = "external", source = "Reuters, 2024-12-08"',
        'basis = "inferred", note = "Why."',
        'basis = "stated"',
    ],
)
def test_a_link_with_what_its_basis_needs_is_valid(link):
    result = parse_briefing(with_link(link), FILE)
    assert result.ok, [str(p) for p in result.problems]


def test_a_hedge_must_be_the_articles_words():
    text = with_link('basis = "hedged", hedge = "reportedly drifted"')
    problem = only_error(text)
    assert problem.key == "assets[0].links.location.hedge"
    assert problem.message == "`hedge` is not in the article's text"
    assert problem.found == "'reportedly drifted'"
    assert (problem.line, problem.column) == at(text, '"reportedly drifted"')


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            '[[sections]]\nid = "body"',
            '[[sections]]\nid = "glance"\nkind = "glance"\ntitle = "T"\nbullets = ["It is reportedly adrift"]\n\n'
            '[[sections]]\nid = "body"',
        ),
        ('"We are drifting."', '"We are reportedly adrift."'),
        ('location = "sea"\n', 'location = "sea"\nevidence = ["It is reportedly adrift"]\n'),
        ('what = "A ship broke down."', 'what = "A ship is reportedly adrift."'),
    ],
    ids=["bullet", "quote", "evidence", "event"],
)
def test_a_hedge_is_found_in_every_part_of_the_articles_text(old, new):
    base = with_link('basis = "hedged", hedge = "reportedly adrift"')
    assert only_error(base).key == "assets[0].links.location.hedge"
    assert old in base
    result = parse_briefing(base.replace(old, new, 1), FILE)
    assert result.ok, [str(p) for p in result.problems]


def test_a_hedge_in_a_title_or_a_note_is_not_the_articles_text():
    text = with_link('basis = "hedged", hedge = "What happened"')
    assert only_error(text).key == "assets[0].links.location.hedge"


# -- new errors: mention rules --------------------------------------------------------------------


def with_rule(rule: str) -> str:
    return MINIMAL.replace('location = "sea"', f'location = "sea"\naliases = ["the vessel"]\nmentions = [{{ {rule} }}]')


def test_a_rule_for_a_name_the_entry_does_not_have():
    text = with_rule('name = "the vesel"')
    problem = only_error(text)
    assert problem.key == "assets[0].mentions[0].name"
    assert problem.message == "`the vesel` is not a name of this asset"
    assert problem.hint == "did you mean `the vessel`?"
    assert (problem.line, problem.column) == at(text, '"the vesel"')
    assert parse_briefing(with_rule('name = "The Vessel"'), FILE).ok
    assert parse_briefing(with_rule('name = "The ship"'), FILE).ok


def test_a_rule_for_a_section_that_does_not_exist():
    text = with_rule('name = "the vessel", sections = ["body", "bdy"]')
    problem = only_error(text)
    assert problem.key == "assets[0].mentions[0].sections[1]"
    assert problem.message == "`sections` refers to unknown section `bdy`"
    assert problem.hint == "did you mean `body`?"
    assert (problem.line, problem.column) == at(text, '"bdy"')


def test_a_passage_not_found_in_the_text():
    text = with_rule('name = "the vessel", not_in = ["The ship drifted.", "the ship drifted"]')
    problem = only_error(text)
    # As the reader applies it: verbatim, case included.
    assert problem.key == "assets[0].mentions[0].not_in[1]"
    assert problem.message == "this `not_in` passage is not in the article's text"
    assert (problem.line, problem.column) == at(text, '"the ship drifted"')


# -- new errors: dates ----------------------------------------------------------------------------


def test_on_or_before_cannot_go_with_until():
    text = with_when('precision = "approximate", basis = "article", on_or_before = true, until = 2024-12-24')
    problem = only_error(text)
    assert problem.key == "events[0].when.on_or_before"
    assert problem.message == "`on_or_before` cannot go with `until`"
    assert (problem.line, problem.column) == at(text, "true")
    assert parse_briefing(with_when('precision = "approximate", basis = "article", on_or_before = true'), FILE).ok


# -- bounded on large and hostile input -----------------------------------------------------------


def test_excerpts_are_looked_up_in_bounded_time_and_say_so_past_the_budget():
    passages = ["the crew the sea the ship " * 20 + str(n) for n in range(3000)]
    text = ArticleText(passages, folded=True)
    # Excerpts made only of words every passage has, none of them in the text.
    answers = [text.holds("the " * (n % 40 + 1) + "sea the crew " * (n // 40 + 1)) for n in range(3000)]
    assert answers.count(True) == 0
    assert None in answers
    assert text.budget == LOOKUP_BUDGET + 32 * len(text.whole)


def test_excerpts_found_by_their_rarest_word():
    passages = [f"the crew the sea number{n} ends here" for n in range(20_000)]
    text = ArticleText(passages, folded=True)
    assert all(text.holds(f"sea NUMBER{n} ends") for n in range(0, 20_000, 7))
    assert all(text.holds(f"the sea number{n}") for n in range(0, 20_000, 7))
    assert not any(text.holds(f"sea number{n} begins") for n in range(0, 20_000, 7))
    # An excerpt that starts or ends inside a word of the text.
    assert text.holds("mber1 end") and text.holds("rew the s") and not text.holds("rew the x")
    assert text.left > 0


@SETTINGS
@given(
    st.lists(st.text(alphabet="abAB -", max_size=12), max_size=12),
    st.lists(st.text(alphabet="abAB -", min_size=1, max_size=6), min_size=1, max_size=30),
    st.booleans(),
)
def test_an_excerpt_is_held_exactly_when_a_passage_holds_it(passages, excerpts, folded):
    text = ArticleText(passages, folded=folded)
    # Past the first few look-ups, the index answers: both must agree with a plain search.
    for excerpt in excerpts:
        fold = str.casefold if folded else str
        assert text.holds(excerpt) == any(fold(excerpt) in fold(passage) for passage in passages), excerpt


def test_names_are_looked_up_in_bounded_time_on_hostile_evidence():
    rows = "".join(
        f'\n[[assets]]\nid = "a{n}"\nname = "alpha beta"\nkind = "other"\nevidence = ["beta alpha {n}"]\n'
        for n in range(4000)
    )
    result = parse_briefing(MINIMAL + rows, FILE)
    assert result.briefing is not None
    assert [f for f in lint(result.briefing) if "evidence of" in f.message] == []


def test_a_name_every_entry_has_is_one_warning_each():
    rows = "".join(
        f'\n[[assets]]\nid = "a{n}"\nname = "troops"\nkind = "troops"\nevidence = ["some troops {n}"]\n'
        for n in range(3000)
    )
    result = parse_briefing(MINIMAL + rows, FILE)
    assert result.briefing is not None
    found = [f for f in lint(result.briefing) if "evidence of" in f.message]
    assert len(found) == 3000
    assert found[0].message.startswith("name “troops” is also found in the evidence of asset `a1`")


def load_generator():
    spec = importlib.util.spec_from_file_location("briefing_benchmark_generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Its dataclasses look their module up while they are made.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_five_thousand_asset_briefing_is_linted_and_its_warnings_located():
    # How long it takes is benchmarks' business (4a runs the lints on every file); here, that it works at scale.
    generate = load_generator()
    text = generate.Generator(2023).briefing(generate.HUGE, 99_999)
    text += '\n[[assets]]\nid = "x-hedged"\nname = "Xq"\nkind = "other"\nstatus = "drifting"\n'
    text += 'evidence = ["It is reportedly drifting"]\n'
    result = parse_briefing(text, FILE)
    assert result.ok and result.briefing is not None
    assert len(result.briefing.assets) == 5001
    found = lint_problems(result.briefing, text, FILE)
    assert [(p.key, p.line) for p in found] == [
        ("assets[5000].status", text.count("\n", 0, text.index('"drifting"')) + 1)
    ]


# -- lints never raise ----------------------------------------------------------------------------


@SETTINGS
@given(
    status=st.none() | ANY_TEXT,
    role=st.none() | ANY_TEXT,
    evidence=st.lists(ANY_TEXT, max_size=4),
    source=st.none() | ANY_TEXT,
    name=ANY_TEXT,
    aliases=st.lists(ANY_TEXT, max_size=3),
    stated=st.none() | ANY_TEXT,
    basis=st.sampled_from(["article", "external", "editor"]),
    precision=st.sampled_from(["exact", "inferred", "approximate"]),
)
def test_lints_never_raise_on_any_strings(status, role, evidence, source, name, aliases, stated, basis, precision):
    when = When(date=datetime.date(2024, 12, 23), precision=precision, basis=basis, stated=stated, source=source)
    briefing = Briefing(
        format=1,
        meta=Meta(headline="h", caveats=[Note(text="c", source=source)]),
        sections=[LedeSection(id="lede", paragraphs=[*evidence, "x"])],
        assets=[
            Asset(
                id="a",
                name=name,
                kind="ship",
                aliases=aliases,
                status=status,
                evidence=evidence,
                notes=[Note(text=status or "n", source=source)],
                links={"owner": Link(basis="external", source=source)},
                mentions=[MentionRule(name=name)] if aliases else [],
            ),
            Asset(id="b", name=status or "b", kind="other", aliases=evidence, evidence=aliases),
        ],
        actors=[Actor(id="s", name=name, kind="state", role=role, aliases=evidence)],
        quotes=[Quote(id="q", speaker="s", text=status or "q", section="lede", context=role, when=when)],
        locations=[
            Location(
                id="l",
                name=name,
                kind="site",
                position=Position(lat=0, lon=0, precision=precision, basis=basis, source=source),
            )
        ],
        events=[Event(id="e", what=stated or "w", when=when)],
    )
    for finding in lint(briefing):
        assert finding.severity == "warning"
        assert finding.message


@SETTINGS
@given(status=ANY_TEXT, role=ANY_TEXT, evidence=st.lists(ANY_TEXT, max_size=3), source=ANY_TEXT)
def test_lints_of_any_loaded_file_are_located_warnings(status, role, evidence, source):
    data = {
        "format": 1,
        "meta": {"headline": "h", "unstated": ["publication", "author", "published", "url"]},
        "sections": [{"id": "lede", "kind": "lede", "paragraphs": ["p"]}],
        "assets": [
            {
                "id": "a",
                "name": "Ship",
                "kind": "ship",
                "status": status,
                "evidence": [e for e in evidence if e],
                "notes": [{"text": "n", "basis": "external", "source": source or "s"}],
            },
            {"id": "b", "name": "Other", "kind": "ship", "evidence": ["Ship " + status]},
        ],
        "actors": [{"id": "x", "name": "X", "kind": "state", "role": role}],
        "quotes": [{"id": "q", "speaker": "x", "text": "It may be so " + role, "section": "lede"}],
    }
    text = tomli_w.dumps(data)
    result = parse_briefing(text, FILE)
    if not result.ok or result.briefing is None:
        return
    lines = text.split("\n")
    for problem in lint_problems(result.briefing, text, FILE):
        assert 1 <= problem.line <= len(lines)
        assert str(problem).startswith(f"{FILE}:{problem.line}:{problem.column}: warning: ")
