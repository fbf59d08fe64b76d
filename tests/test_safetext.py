"""Defusing terminal controls: the text form and the JSON scan the cache uses agree on every string."""

from __future__ import annotations

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from briefing.format.safetext import defuse, is_defused_json

# Controls, bidi characters and backslashes, among ordinary text.
tricky = st.text(
    alphabet=st.one_of(
        st.characters(max_codepoint=0xA0),
        st.sampled_from(["\\", "\u061c", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069", "é", "’"]),
    ),
    max_size=40,
)


@given(st.lists(tricky, max_size=5))
def test_the_json_scan_finds_exactly_what_defuse_would_change(texts):
    document = {"texts": texts, "nested": [{"text": text} for text in texts]}
    clean = all(defuse(text) == text for text in texts)
    assert is_defused_json(msgspec.json.encode(document)) == clean


@given(st.lists(tricky, max_size=5))
def test_defused_text_passes_the_json_scan(texts):
    assert is_defused_json(msgspec.json.encode([defuse(text) for text in texts]))


def test_backslashes_before_letters_are_not_controls():
    assert is_defused_json(msgspec.json.encode(["C:\\\\rest", "a \\b c", "\\u0001 written out"]))
    assert not is_defused_json(msgspec.json.encode(["a\x1bb"]))
    assert not is_defused_json(msgspec.json.encode(["\\\x1b"]))
