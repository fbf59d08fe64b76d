"""Mention rules: a name kept to some sections or out of some passages (``mentions`` in the format)."""

from __future__ import annotations

from app_helpers import briefing_from_text
from conftest import MINIMAL
from hypothesis import given
from hypothesis import strategies as st

from briefing.analysis.index import BriefingIndex, EntityRef
from briefing.analysis.mentions import Mentions, Passages

TEXT = MINIMAL.replace(
    'paragraphs = ["',
    'paragraphs = ["The troops left. A ship carrying troops sailed. Troops again. ',
    1,
)


def mentions_with(rules: str) -> list[tuple[str, int, int]]:
    briefing = briefing_from_text(
        TEXT + f'\n[[assets]]\nid = "troops"\nname = "troops"\nkind = "troops"\nmentions = [{rules}]\n'
    )
    found = Mentions(BriefingIndex.build(briefing))
    return [(m.section_id, m.start, m.end) for m in found.of(EntityRef("asset", "troops"))]


def test_a_name_without_a_rule_counts_everywhere_and_a_bare_rule_changes_nothing():
    assert len(mentions_with("")) == 3
    assert mentions_with('{ name = "troops" }') == mentions_with("")


def test_not_in_drops_the_matches_inside_the_passage_only():
    kept = mentions_with('{ name = "troops", not_in = ["A ship carrying troops"] }')
    assert len(kept) == 2
    assert all(start != mentions_with("")[1][1] for _, start, _ in kept)


def test_sections_keep_a_name_to_them():
    assert mentions_with('{ name = "troops", sections = ["body"] }') == []


@given(
    st.text(alphabet="ab ", max_size=40),
    st.lists(st.text(alphabet="ab ", min_size=1, max_size=5), max_size=3),
    st.integers(0, 40),
    st.integers(0, 6),
)
def test_passages_cover_a_span_exactly_when_an_occurrence_holds_it(text, passages, start, length):
    end = min(start + length, len(text))
    start = min(start, end)
    # Occurrences of each passage from left to right, none overlapping the one
    # before (a bound on the work for any text), as Passages keeps them.
    occurrences = []
    for passage in passages:
        at = text.find(passage)
        while at >= 0:
            occurrences.append((at, at + len(passage)))
            at = text.find(passage, at + len(passage))
    expected = any(a <= start and end <= b for a, b in occurrences)
    assert Passages(text, passages).cover(start, end) == expected
