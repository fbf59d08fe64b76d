"""Notes on a passage find their words again after the briefing is edited (briefing.analysis.anchors)."""

from __future__ import annotations

import msgspec
from app_helpers import sparta
from hypothesis import assume, given
from hypothesis import strategies as st

from briefing.analysis.anchors import (
    MAX_OCCURRENCES,
    PassageAnchor,
    Resolved,
    block_map,
    make_anchor,
    resolve,
    section_text,
)
from briefing.analysis.blocks import section_blocks
from briefing.format.model import BodySection, GlanceSection, Quote
from briefing.storage.review import Anchor


def find(anchor: PassageAnchor, sections: list[tuple[str, str]]) -> Resolved | None:
    return resolve(anchor.exact, anchor.prefix, anchor.suffix, anchor.section, sections)


class TestMakeAnchor:
    def test_exact_words_and_their_context(self):
        text = "The ship left port on Monday and arrived on Friday."
        start = text.index("port")
        anchor = make_anchor("body", text, start, start + len("port on Monday"), context=5)
        assert anchor == PassageAnchor("body", "port on Monday", "left ", " and ")

    def test_context_stops_at_the_ends_of_the_text(self):
        anchor = make_anchor("s", "abc", 0, 3)
        assert (anchor.prefix, anchor.exact, anchor.suffix) == ("", "abc", "")

    def test_offsets_are_clamped_and_ordered(self):
        assert make_anchor("s", "abcdef", 10, 2).exact == "cdef"

    def test_the_stores_anchor_has_the_same_fields_in_the_same_order(self):
        anchor = make_anchor("body", "The ship left port.", 4, 8)
        stored = Anchor(*anchor)
        assert tuple(field.name for field in msgspec.structs.fields(Anchor)) == PassageAnchor._fields
        assert (stored.section, stored.exact, stored.prefix, stored.suffix) == anchor

    def test_an_empty_passage_is_refused(self):
        try:
            make_anchor("s", "abc", 1, 1)
        except ValueError:
            return
        raise AssertionError("an empty passage made an anchor")


class TestResolve:
    def test_the_occurrence_whose_surroundings_match_wins(self):
        text = "the ship sank. Later the ship was raised."
        anchor = make_anchor("s", text, 25, 29, context=6)  # the second "ship"
        found = find(anchor, [("s", text)])
        assert found == Resolved("s", 25, 29, exact_match=True)

    def test_found_after_the_text_around_it_was_edited(self):
        before = "Satellite images show the Sparta at Tartus on 12 December."
        start = before.index("the Sparta")
        anchor = make_anchor("s", before, start, start + len("the Sparta at Tartus"), context=10)
        after = "New images show the Sparta at Tartus, its port, on 13 December."
        found = find(anchor, [("s", after)])
        assert found is not None and not found.exact_match
        assert after[found.start : found.end] == "the Sparta at Tartus"

    def test_the_best_partial_match_among_several(self):
        text = "alpha ship one. beta ship two. gamma ship three."
        anchor = PassageAnchor("s", "ship", "XXbeta ", " twoXX")
        found = find(anchor, [("s", text)])
        assert found is not None and found.start == text.index("ship two")

    def test_the_hinted_section_comes_first(self):
        sections = [("a", "the same words"), ("b", "the same words")]
        anchor = make_anchor("b", "the same words", 4, 8)
        assert find(anchor, sections) == Resolved("b", 4, 8, exact_match=True)

    def test_a_passage_moved_to_another_section_is_followed(self):
        anchor = make_anchor("old", "Before. Moved words here. After.", 8, 25)
        sections = [("old", "Before. After."), ("new", "Before. Moved words here. After.")]
        assert find(anchor, sections) == Resolved("new", 8, 25, exact_match=True)

    def test_whole_context_elsewhere_beats_the_bare_words_in_the_hinted_section(self):
        anchor = PassageAnchor("a", "ship", "the ", " sank")
        sections = [("a", "a ship"), ("b", "then the ship sank")]
        assert find(anchor, sections) == Resolved("b", 9, 13, exact_match=True)

    def test_words_gone_make_an_orphan(self):
        anchor = make_anchor("s", "The ship was sunk by a drone.", 4, 8)
        assert find(anchor, [("s", "The vessel was sunk by a drone.")]) is None
        assert find(anchor, []) is None

    def test_an_empty_exact_finds_nothing(self):
        assert resolve("", "a", "b", None, [("s", "ab")]) is None

    def test_occurrences_beyond_the_cap_are_not_weighed(self):
        # The only occurrence with matching surroundings lies past the cap: the
        # first ones are taken (bounded time), still the same words.
        text = "a " * (MAX_OCCURRENCES + 10) + "b a c"
        found = resolve("a", "QQ", "QQ", None, [("s", text)])
        assert found is not None and text[found.start : found.end] == "a"

    def test_a_whole_match_past_the_cap_is_still_found(self):
        text = "a " * (MAX_OCCURRENCES + 10) + "b a c"
        found = resolve("a", "b ", " c", None, [("s", text)])
        assert found == Resolved("s", len(text) - 3, len(text) - 2, exact_match=True)

    def test_a_hostile_context_is_compared_only_in_part(self):
        text = "x" * 10 + "target" + "y" * 10
        found = resolve("target", "q" * 1_000_000 + "xxx", "yyy" + "q" * 1_000_000, None, [("s", text)])
        assert found == Resolved("s", 10, 16, exact_match=False)


class TestSectionText:
    def test_paragraphs_joined_by_a_blank_line(self):
        section = BodySection(id="b", title="B", paragraphs=["One.", "Two."])
        assert section_text(section) == "One.\n\nTwo."

    def test_a_glance_section_is_its_bullets(self):
        section = GlanceSection(id="g", title="G", bullets=["First", "Second"])
        assert section_text(section) == "First\n\nSecond"

    def test_blocks_map_into_the_text_when_quotes_are_set_apart(self):
        paragraph = "He said “we are drifting” and left."
        section = BodySection(id="b", title="B", paragraphs=["Intro.", paragraph])
        quote = Quote(id="q", speaker="navy", text="we are drifting", section="b")
        blocks = section_blocks(section, [quote])
        assert [block.kind for block in blocks] == ["paragraph", "paragraph", "quote", "paragraph"]
        text = section_text(section)
        mapping = block_map(section, blocks)
        for number, block in enumerate(blocks):
            assert text[mapping.starts[number] : mapping.ends[number]] == block.text
            assert mapping.to_block(mapping.to_text(number, 2)) == (number, 2)

    def test_a_passage_over_blocks_is_one_span_per_block(self):
        paragraph = "He said “we are drifting” and left."
        section = BodySection(id="b", title="B", paragraphs=[paragraph])
        quote = Quote(id="q", speaker="navy", text="we are drifting", section="b")
        blocks = section_blocks(section, [quote])
        mapping = block_map(section, blocks)
        text = section_text(section)
        start, end = text.index("said"), text.index("and") + 3
        assert [blocks[b].text[s:e] for b, s, e in mapping.spans(start, end)] == ["said", "“we are drifting”", "and"]

    def test_anchors_survive_setting_a_quote_apart(self):
        # The quote entry is added in a later edit: the section's text, and so
        # the anchor, do not change, whatever blocks the reader shows.
        section = BodySection(id="b", title="B", paragraphs=["He said “we are drifting” and left."])
        text = section_text(section)
        anchor = make_anchor("b", text, 3, 20)
        assert find(anchor, [("b", section_text(section))]) == Resolved("b", 3, 20, exact_match=True)

    def test_every_section_of_sparta_maps_its_blocks(self):
        briefing = sparta()
        for section in briefing.sections:
            blocks = section_blocks(section, briefing.quotes)
            mapping = block_map(section, blocks)
            text = section_text(section)
            assert [text[s:e] for s, e in zip(mapping.starts, mapping.ends, strict=True)] == [b.text for b in blocks]

    def test_offsets_between_blocks_go_to_the_next_block(self):
        section = BodySection(id="b", title="B", paragraphs=["One.", "Two."])
        mapping = block_map(section, section_blocks(section))
        assert mapping.to_block(4) == (1, 0)  # the blank line
        assert mapping.to_block(99) == (1, 4)
        assert block_map(section, []).to_block(0) is None


texts = st.text(alphabet=st.sampled_from("ab c.\n"), max_size=120) | st.text(max_size=80)


@st.composite
def passages(draw: st.DrawFn) -> tuple[str, int, int]:
    text = draw(texts.filter(bool))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


def indistinguishable(text: str, found: Resolved | None, anchor: PassageAnchor) -> bool:
    """The found span is the anchored one, or one its anchor cannot tell apart from it."""
    return found is not None and make_anchor(anchor.section, text, found.start, found.end) == anchor


class TestProperties:
    @given(passages())
    def test_an_anchor_finds_its_own_span(self, passage):
        text, start, end = passage
        anchor = make_anchor("s", text, start, end)
        found = find(anchor, [("s", text)])
        assert found is not None and found.exact_match
        assert indistinguishable(text, found, anchor)
        if text.count(anchor.prefix + anchor.exact + anchor.suffix) == 1:
            assert (found.start, found.end) == (start, end)

    @given(passages(), st.text(max_size=40), st.data())
    def test_found_after_text_is_inserted_elsewhere(self, passage, inserted, data):
        text, start, end = passage
        anchor = make_anchor("s", text, start, end)
        # Anywhere outside the passage and its remembered context.
        before = range(0, start - len(anchor.prefix) + 1)
        after = range(end + len(anchor.suffix), len(text) + 1)
        where = data.draw(st.sampled_from([*before, *after]))
        edited = text[:where] + inserted + text[where:]
        shift = len(inserted) if where <= start - len(anchor.prefix) else 0
        found = find(anchor, [("s", edited)])
        assert found is not None and found.exact_match
        assert edited[found.start : found.end] == anchor.exact
        if edited.count(anchor.prefix + anchor.exact + anchor.suffix) == 1:
            assert (found.start, found.end) == (start + shift, end + shift)

    @given(passages(), st.text(max_size=40))
    def test_found_after_other_sections_change(self, passage, other):
        text, start, end = passage
        anchor = make_anchor("s", text, start, end)
        found = find(anchor, [("other", other + text), ("s", text), ("more", text + other)])
        assert found is not None and found.section_id == "s"
        assert indistinguishable(text, found, anchor)

    @given(passages())
    def test_removed_words_make_an_orphan(self, passage):
        text, start, end = passage
        anchor = make_anchor("s", text, start, end)
        edited = text[:start] + text[end:]
        assume(anchor.exact not in edited)
        assert find(anchor, [("s", edited)]) is None

    @given(texts, texts, texts, st.none() | texts, st.lists(st.tuples(texts, texts), max_size=4))
    def test_never_raises_and_finds_only_the_exact_words(self, exact, prefix, suffix, hint, sections):
        found = resolve(exact, prefix, suffix, hint, sections)
        if found is not None:
            assert any(sid == found.section_id and text[found.start : found.end] == exact for sid, text in sections)
        elif exact:
            assert all(exact not in text for _, text in sections)
