"""The library's query language: what a query means, where it is wrong, and that FTS5 never sees it raw."""

from __future__ import annotations

import datetime
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing.library.query import (
    DateFilter,
    EntityKindFilter,
    GradingFilter,
    QueryError,
    ReviewFilter,
    Term,
    TextFilter,
    parse_query,
)


def test_words_prefixes_and_phrases():
    query = parse_query('convoy withdraw* "satellite images" "cargo sh"*')
    assert query.terms == (
        Term("convoy"),
        Term("withdraw", prefix=True),
        Term("satellite images", phrase=True),
        Term("cargo sh", phrase=True, prefix=True),
    )
    assert query.filters == ()
    assert query.has_words


def test_filters_compose_with_words():
    query = parse_query(
        "unread flagged noted actor:hur tag:Syria kind:ship credibility<=3 reliability:b "
        "before:2024-12-20 after:2024-12-01 sparta"
    )
    assert query.terms == (Term("sparta"),)
    assert query.filters == (
        ReviewFilter("unread"),
        ReviewFilter("flagged"),
        ReviewFilter("noted"),
        TextFilter("actor", "hur"),
        TextFilter("tag", "Syria"),
        EntityKindFilter("ship"),
        GradingFilter("credibility", "<=", 3),
        GradingFilter("reliability", "=", "B"),
        DateFilter("before", datetime.date(2024, 12, 20)),
        DateFilter("after", datetime.date(2024, 12, 1)),
    )


def test_a_query_of_filters_alone_is_valid():
    query = parse_query("kind:ship flagged")
    assert not query.has_words
    assert len(query.filters) == 2


def test_a_filter_value_may_be_quoted():
    assert parse_query('actor:"Ministry of Defence"').filters == (TextFilter("actor", "Ministry of Defence"),)


def test_a_filter_word_in_quotes_is_text():
    query = parse_query('"unread" "actor:hur"')
    assert query.filters == ()
    assert [term.text for term in query.terms] == ["unread", "actor:hur"]


def test_every_comparison_of_a_grading():
    for op in ("<", "<=", "=", ">=", ">"):
        assert parse_query(f"credibility{op}2").filters == (GradingFilter("credibility", op, 2),)
    assert parse_query("credibility:2").filters == (GradingFilter("credibility", "=", 2),)


def test_punctuation_alone_is_no_word():
    # Nothing in it the tokenizer would index: left out, not an empty phrase that matches nothing.
    assert parse_query("sparta -- * ...").terms == (Term("sparta"),)


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("", 1, "nothing to search for"),
        ("   ", 4, "nothing to search for"),
        ('sparta "cargo ship', 8, "unterminated quote"),
        ("sparta actr:hur", 8, "unknown filter `actr:`"),
        ("kind:shp", 6, "did you mean `ship`"),
        ("credibility<=9", 14, "credibility is 1 to 6"),
        ("reliability<=G", 14, "reliability is a letter A to F"),
        ("before:20-12-2024", 8, "YYYY-MM-DD"),
        ("after:2024-02-30", 7, "YYYY-MM-DD"),
        ("actor:", 7, "needs a value"),
        ("tag<=x", 4, "`tag` is written `tag:VALUE`"),
        ("unread:yes", 7, "takes no value"),
        ('"phrase"word', 9, "a space must follow a closing quote"),
        ('wo"rd', 3, "a quote inside a word"),
        ("sparta \udcff", 8, "not UTF-8"),
    ],
)
def test_a_bad_query_is_located(text, column, words):
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert caught.value.column == column
    assert words in caught.value.message
    assert str(caught.value) == f"query:{column}: {caught.value.message}"


@pytest.fixture(scope="module")
def fts():
    connection = sqlite3.connect(":memory:")
    # The index's two columns (search_index.py): the text, and the facets of an entity.
    connection.execute("CREATE VIRTUAL TABLE t USING fts5(text, facets, tokenize='unicode61 remove_diacritics 2')")
    connection.execute(
        "INSERT INTO t VALUES ('A Russian cargo ship, Sparta, broke down near Portugal', 'xkship xc2 xrb')"
    )
    yield connection
    connection.close()


# Queries made of the characters that mean something to FTS5 or to the parser, and anything else.
SYNTAX = st.sampled_from(
    [*"\"*:()^+-<>=,.{}[]\\'", "AND", "OR", "NOT", "NEAR", "kind:", "actor:", "credibility", "ship", " ", "\x00"]
)
queries = st.lists(st.one_of(SYNTAX, st.text(max_size=8)), max_size=12).map("".join) | st.text()


@given(queries)
def test_any_text_parses_or_fails_within_the_query(text):
    try:
        parse_query(text)
    except QueryError as error:
        assert 1 <= error.column <= len(text) + 1
        assert error.message


@given(queries)
def test_the_fts_expression_of_any_query_is_valid_fts5(fts, text):
    try:
        query = parse_query(text)
    except QueryError:
        return
    if not query.fts():
        return
    # Never an FTS5 syntax error (sqlite3.OperationalError): every term is a quoted string.
    fts.execute("SELECT rowid FROM t WHERE t MATCH ?", (query.fts(),)).fetchall()


def test_fts_syntax_in_a_query_is_searched_as_words(fts):
    def found(text):
        return fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", (parse_query(text).fts(),)).fetchone()[0]

    assert found("sparta") == 1
    assert found("SPARTA") == 1
    assert found("spa*") == 1
    assert found('"cargo ship"') == 1
    assert found('"ship cargo"') == 0
    # NEAR, NOT and OR are words here, not syntax; a column filter is an unknown filter.
    with pytest.raises(QueryError):
        parse_query("text:sparta")
    assert found("NOT sparta") == 0
    assert found("sparta OR nothing") == 0
    assert found("NEAR(sparta portugal)") == 0


def test_filters_on_entities_are_fts5_terms_of_their_own_column(fts):
    def found(text):
        return fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", (parse_query(text).fts(),)).fetchone()[0]

    assert found("kind:ship") == 1 and found("sparta kind:ship") == 1
    assert found("kind:aircraft") == 0
    assert found("credibility<=2") == 1 and found("credibility<2") == 0 and found("credibility>=2 sparta") == 1
    assert found("reliability<=C") == 1 and found("reliability>B") == 0
    # Below the best grade: nothing can meet it, and the expression still is valid.
    assert found("credibility<1") == 0 and found("reliability<A") == 0
    # A word is never looked for among the facets.
    assert found("xkship") == 0
