"""Search inside one briefing (analysis/find.py): the phrase as typed, any case, bounded; and the highlight set."""

from __future__ import annotations

import itertools

from app_helpers import briefing_from_text, sparta
from conftest import MINIMAL
from hypothesis import given
from hypothesis import strategies as st

from briefing.analysis import find
from briefing.analysis.find import (
    MAX_MATCHES,
    MAX_TERM,
    HighlightSet,
    find_text,
    fold,
    occurrences,
    search_term,
)
from briefing.analysis.index import BriefingIndex, EntityRef
from briefing.analysis.mentions import Mention, Mentions


def search(text: str, term: str) -> list[str]:
    """What a search for ``term`` finds in ``text``, as the words of the text."""
    return [text[start:end] for start, end in occurrences(text, fold(term))]


def sparta_search(term: str, extra=()):
    index = BriefingIndex.build(sparta())
    return index, find_text(index, Mentions(index).blocks, term, extra)


# The phrase as typed, any case


def test_a_phrase_is_found_in_any_case_and_never_as_a_pattern():
    assert search("Troops, TROOPS and troops.", "troops") == ["Troops", "TROOPS", "troops"]
    assert search("A ship carrying troops", "SHIP CARRYING") == ["ship carrying"]
    # Not a regular expression: the characters are looked for as they are.
    assert search("cost (approx.) $5.2m, a.b", "(approx.)") == ["(approx.)"]
    assert search("a.b axb", "a.b") == ["a.b"]
    assert search("anything", ".*") == []


def test_occurrences_do_not_overlap():
    assert search("aaaa", "aa") == ["aa", "aa"]
    assert list(occurrences("aaa", fold("aa"))) == [(0, 2)]


def test_sharp_s_folds_to_ss_with_the_offsets_of_the_text():
    text = "Die Straße, die STRASSE, die strasse."
    assert search(text, "strasse") == ["Straße", "STRASSE", "strasse"]
    assert search(text, "straße") == ["Straße", "STRASSE", "strasse"]
    # Half of a character that folds to two is not a match.
    assert search("ß", "s") == []
    assert search("sß", "ss") == ["ß"]
    # The offsets after a lengthened character are still the text's own.
    assert list(occurrences("ßab", fold("ab"))) == [(1, 3)]


def test_turkish_dotted_capital_i():
    # 'İ' folds to 'i' and a combining dot (two characters): found as a whole, never as a plain 'i'.
    text = "İstanbul, istanbul"
    assert search(text, "İstanbul") == ["İstanbul"]
    assert search(text, "istanbul") == ["istanbul"]
    assert search("İ", "i") == []
    assert search("Iİı", "iİ") == ["Iİ"]
    assert list(occurrences("İx İx", fold("x"))) == [(1, 2), (4, 5)]


def test_nothing_to_look_for():
    assert search_term("") is None
    assert search_term("   ") is None
    # Spaces are part of the phrase as typed.
    assert search_term(" troops ") == " troops "
    assert search_term("x" * (MAX_TERM + 50)) == "x" * MAX_TERM
    _, found = sparta_search("   ")
    assert found.nothing and found.term == ""


# The briefing: text, entries, extra items


def test_sparta_troops_in_the_text_and_in_the_entries():
    index, found = sparta_search("TROOPS")
    blocks = Mentions(index).blocks
    assert found.term == "TROOPS"
    assert found.text, "the article speaks of troops"
    for match in found.text:
        assert blocks(match.section_id)[match.block].text[match.start : match.end].casefold() == "troops"
    # In reading order: sections as the briefing lists them, then blocks, then offsets.
    order = [section.id for section in sparta().sections]
    keys = [(order.index(m.section_id), m.block, m.start) for m in found.text]
    assert keys == sorted(keys)
    assert EntityRef("asset", "russian-troops") in found.entries
    assert found.complete


def test_entries_are_found_by_each_field_a_search_reads():
    text = MINIMAL.replace(
        'name = "The ship"', 'name = "The ship"\naliases = ["Sparta"]\nstatus = "Drifting near Portugal"'
    )
    text = text.replace('kind = "military"', 'kind = "military"\nrole = "Owner of the vessel"')
    index = BriefingIndex.build(briefing_from_text(text))
    blocks = Mentions(index).blocks

    def entries(term: str) -> list[EntityRef]:
        return find_text(index, blocks, term).entries

    assert entries("sparta") == [EntityRef("asset", "ship")]
    assert entries("portugal") == [EntityRef("asset", "ship")]
    assert entries("vessel") == [EntityRef("actor", "navy")]
    assert entries("we are") == [EntityRef("quote", "crew-says")]
    assert entries("broke down") == [EntityRef("event", "breakdown")]
    assert entries("the sea") == [EntityRef("location", "sea")]
    # Each entry once, however many of its fields match.
    assert entries("the") == [
        EntityRef("asset", "ship"),
        EntityRef("actor", "navy"),
        EntityRef("location", "sea"),
    ]
    # Ids are not words of the briefing.
    assert entries("crew-says") == []


def test_extra_items_are_searched_and_each_reported_once():
    notes = [("note-1", "Check the troops count"), ("note-2", "Nothing here"), ("note-3", "troops, troops")]
    _, found = sparta_search("troops", notes)
    assert found.extra == ["note-1", "note-3"]
    _, nothing = sparta_search("zzz-not-there", notes)
    assert nothing.nothing and nothing.extra == []


def test_results_are_capped(monkeypatch):
    monkeypatch.setattr(find, "MAX_MATCHES", 3)
    text = MINIMAL.replace('paragraphs = ["A ship broke down."]', 'paragraphs = ["a a a a a a a a"]')
    index = BriefingIndex.build(briefing_from_text(text))
    found = find_text(index, Mentions(index).blocks, "a", [(n, "a") for n in range(10)])
    assert len(found.text) == 3
    assert len(found.extra) == 3
    assert not found.complete
    assert HighlightSet(found.key, ("match", "matches"), found.text, complete=found.complete).counted() == "3+ matches"


def test_the_key_is_the_same_for_any_case_of_a_term():
    _, upper = sparta_search("Troops")
    _, lower = sparta_search("troops")
    assert upper.key == lower.key
    assert upper.text == lower.text


# Properties

WORDS = st.text(alphabet="abSsßİIiı ", max_size=60)
TERMS = st.text(alphabet="abSsßİIiı ", min_size=1, max_size=6)


@given(WORDS, TERMS)
def test_every_match_is_the_term_in_some_case_and_none_overlaps(text, term):
    found = list(occurrences(text, fold(term)))
    for start, end in found:
        assert 0 <= start < end <= len(text)
        assert fold(text[start:end]) == fold(term)
    # Nothing found twice, nothing overlapping: each match starts after the one before ends.
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(found))


@given(WORDS, TERMS)
def test_a_match_of_the_folded_text_on_whole_characters_is_found(text, term):
    """Nothing is missed: where no earlier match covers it, a whole-character match is reported."""
    found = list(occurrences(text, fold(term)))
    covered = {i for start, end in found for i in range(start, end)}
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            if fold(text[start:end]) == fold(term) and not covered & set(range(start, end)):
                raise AssertionError(f"missed {text[start:end]!r} at {start}")


@given(st.lists(st.text(alphabet="ab ", max_size=30), min_size=1, max_size=5), TERMS.filter(str.strip))
def test_a_briefing_search_is_bounded_and_each_match_is_in_its_block(paragraphs, term):
    paragraphs = [p if p.strip() else "x" for p in paragraphs]
    listed = ", ".join(f'"{p}"' for p in paragraphs)
    text = MINIMAL.replace('paragraphs = ["A ship broke down."]', f"paragraphs = [{listed}]")
    index = BriefingIndex.build(briefing_from_text(text))
    blocks = Mentions(index).blocks
    found = find_text(index, blocks, term)
    assert len(found.text) <= MAX_MATCHES
    assert len(set(found.text)) == len(found.text)
    for match in found.text:
        assert fold(blocks(match.section_id)[match.block].text[match.start : match.end]) == fold(term)


# The highlight set: what the reader draws and steps through

SECTIONS = ["lede", "glance", "body"]
PASSAGES = [Mention("glance", 0, 0, 3), Mention("glance", 1, 4, 6), Mention("body", 2, 0, 1)]


def highlights(passages=PASSAGES) -> HighlightSet:
    return HighlightSet(("match", "x"), ("match", "matches"), passages)


def test_highlight_set_lookups():
    h = highlights()
    assert len(h) == 3
    assert h.spans("glance", 1) == [(4, 6)]
    assert h.spans("lede", 0) == []
    assert (h.count_in("glance"), h.count_in("lede")) == (2, 0)
    assert h.place(PASSAGES[2]) == 2
    assert h.place(None) is None
    assert h.place(Mention("lede", 0, 0, 1)) is None
    assert h.counted() == "3 matches"
    assert HighlightSet("k", ("mention", "mentions"), PASSAGES[:1]).counted() == "1 mention"


def test_highlight_set_steps_from_the_section_shown_and_wraps():
    h = highlights()
    # None current: the first at or after the section shown, or the last before it.
    assert h.step(None, SECTIONS, "lede", 1) == (PASSAGES[0], False)
    assert h.step(None, SECTIONS, "body", 1) == (PASSAGES[2], False)
    assert h.step(None, SECTIONS, "body", -1) == (PASSAGES[1], False)
    assert h.step(None, SECTIONS, "lede", -1) == (PASSAGES[2], True)
    assert h.step(None, SECTIONS, "unknown", 1) == (PASSAGES[0], False)
    # From the current one, wrapping round at either end, and saying so.
    assert h.step(PASSAGES[0], SECTIONS, "glance", 1) == (PASSAGES[1], False)
    assert h.step(PASSAGES[2], SECTIONS, "body", 1) == (PASSAGES[0], True)
    assert h.step(PASSAGES[0], SECTIONS, "glance", -1) == (PASSAGES[2], True)
    assert highlights([]).step(None, SECTIONS, "lede", 1) is None
    after_the_last = HighlightSet("k", ("match", "matches"), PASSAGES[:1])
    assert after_the_last.step(None, SECTIONS, "body", 1) == (PASSAGES[0], True)
