"""The search language of the library: words, prefixes, phrases and filters that compose.

    convoy withdraw* "satellite images" actor:hur kind:ship credibility<=3 before:2024-12-20

* a word matches that word anywhere in the text (case and accents aside);
* ``word*`` matches every word that starts so;
* ``"a phrase"`` matches the words in that order (``"a phrase"*``: its last word as a prefix);
* filters, each one more condition (they all hold at once):

  - ``unread``, ``flagged``, ``noted``: the briefing has a section not yet read,
    a flag, a note (the review store's);
  - ``tag:NAME``, ``before:YYYY-MM-DD``, ``after:YYYY-MM-DD`` (``meta.published``,
    strictly before or after), ``actor:ID-or-name``: the briefing's own facts;
  - ``kind:ship`` (any value of an asset's, actor's or location's ``kind``),
    ``credibility<=3`` and ``reliability<=B`` (the editor's grading; ``:`` ``=``
    ``<`` ``<=`` ``>`` ``>=``): the hit is on such an entity.

A filter's value may be quoted: ``actor:"Ministry of Defence"``. A filter word
written in quotes is searched as text: ``"unread"``. A query of filters alone
is valid: it lists what they select.

The FTS5 expression is built from the parsed terms, each one quoted as an FTS5
string, never from the query's own text: nothing typed can reach FTS5's syntax
(columns, ``NEAR``, ``NOT``) or break it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Literal, NamedTuple, Protocol, get_args

from briefing.format.model import ActorKind, AssetKind, LocationKind

__all__ = [
    "ENTITY_KIND_VALUES",
    "FILTER_NAMES",
    "DateFilter",
    "EntityKindFilter",
    "Filter",
    "GradingFilter",
    "Query",
    "QueryError",
    "ReviewFilter",
    "ReviewState",
    "Term",
    "TextFilter",
    "parse_query",
]


class QueryError(Exception):
    """A query that cannot be read: what is wrong, at which 1-based column of the query."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column

    def __str__(self) -> str:
        return f"query:{self.column}: {self.message}"


class Term(NamedTuple):
    """Words to find in the text: one word, or a phrase of several in order."""

    text: str
    phrase: bool = False
    # The last word matches as a prefix.
    prefix: bool = False

    def fts(self) -> str:
        # An FTS5 string: double quotes around, a quote inside doubled. The
        # tokenizer then splits it into words, so punctuation in it is harmless.
        quoted = '"' + self.text.replace('"', '""') + '"'
        return quoted + "*" if self.prefix else quoted


ReviewWhat = Literal["unread", "flagged", "noted"]


class ReviewFilter(NamedTuple):
    what: ReviewWhat


class TextFilter(NamedTuple):
    """A fact of the briefing compared as case-folded text."""

    field: Literal["actor", "tag"]
    value: str


class DateFilter(NamedTuple):
    """``meta.published`` strictly before or after a day."""

    side: Literal["before", "after"]
    day: datetime.date


class EntityKindFilter(NamedTuple):
    value: str


Comparison = Literal["=", "<", "<=", ">", ">="]


class GradingFilter(NamedTuple):
    """The editor's grading of the entity hit: reliability A-F or credibility 1-6."""

    field: Literal["reliability", "credibility"]
    op: Comparison
    value: int | str


Filter = ReviewFilter | TextFilter | DateFilter | EntityKindFilter | GradingFilter

# Every value an entity's ``kind`` can take, for ``kind:`` (declared once, in the model).
ENTITY_KIND_VALUES: frozenset[str] = frozenset(get_args(AssetKind) + get_args(ActorKind) + get_args(LocationKind))
FILTER_NAMES = ("unread", "flagged", "noted", "actor", "tag", "kind", "before", "after", "credibility", "reliability")
_KEYWORDS: tuple[ReviewWhat, ...] = ("unread", "flagged", "noted")
_VALUED = ("actor", "tag", "kind", "before", "after", "credibility", "reliability")
_COMPARED = ("credibility", "reliability")


class ReviewCounts(Protocol):
    @property
    def sections_read(self) -> int: ...


class ReviewState(Protocol):
    """What ``unread``, ``flagged`` and ``noted`` ask of the review store (``storage.review.ReviewStore``)."""

    def summary(self) -> Mapping[str, ReviewCounts]: ...

    def keys_with(self, what: Literal["flagged", "noted"]) -> set[str]: ...

    def sections_read(self, briefing: str) -> set[str]: ...


class Query(NamedTuple):
    text: str
    terms: tuple[Term, ...]
    filters: tuple[Filter, ...]

    @property
    def has_words(self) -> bool:
        return bool(self.terms)

    @property
    def has_entity_filters(self) -> bool:
        return any(isinstance(item, (EntityKindFilter, GradingFilter)) for item in self.filters)

    def fts(self) -> str:
        """The FTS5 MATCH expression ("" for none): the words, and the filters on entities.

        Every word is required (an implicit AND), quoted, and looked for in
        the ``text`` column only; each filter on entities is one of the
        ``facets`` words the index gives an entity's passages.
        """
        parts = []
        if self.terms:
            parts.append("text : (" + " ".join(term.fts() for term in self.terms) + ")")
        for item in self.filters:
            if isinstance(item, (EntityKindFilter, GradingFilter)):
                # A comparison no grading meets selects nothing: a facet no passage has.
                alternatives = " OR ".join(f'"{facet}"' for facet in facets_of(item)) or f'"{NO_FACET}"'
                parts.append(f"facets : ({alternatives})")
        return " AND ".join(parts)


# The words an entity's passages carry in the index's ``facets`` column, so that
# ``kind:`` and the gradings are FTS5 terms like the words: letters and digits
# only, which the tokenizer keeps whole ("air_base" -> "xkairbase").
NO_FACET = "xnone"
RELIABILITIES = "ABCDEF"
CREDIBILITIES = (1, 2, 3, 4, 5, 6)


def kind_facet(value: str) -> str:
    return "xk" + value.replace("_", "")


def reliability_facet(value: str) -> str:
    return "xr" + value.lower()


def credibility_facet(value: int) -> str:
    return f"xc{value}"


def facets_of(item: EntityKindFilter | GradingFilter) -> list[str]:
    """The facets any of which meets the filter."""
    if isinstance(item, EntityKindFilter):
        return [kind_facet(item.value)]
    if item.field == "reliability":
        return [reliability_facet(value) for value in RELIABILITIES if _compare(value, item.op, item.value)]
    return [credibility_facet(value) for value in CREDIBILITIES if _compare(value, item.op, item.value)]


def _compare(graded: int | str, op: Comparison, value: int | str) -> bool:
    # A is the most reliable and 1 the most credible: letters and numbers alike compare in order.
    if op == "=":
        return graded == value
    if op == "<":
        return graded < value  # type: ignore[operator]
    if op == "<=":
        return graded <= value  # type: ignore[operator]
    if op == ">":
        return graded > value  # type: ignore[operator]
    return graded >= value  # type: ignore[operator]


# A filter name then its operator, at the start of a word.
_FILTER_HEAD = re.compile(r"([A-Za-z]+)(<=|>=|<|>|=|:)")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r'[^\s"]+')


def parse_query(text: str) -> Query:
    """Read a query; raises ``QueryError`` (with its column) for one that cannot be read."""
    return _Parser(text).parse()


class _Parser:
    def __init__(self, text: str) -> None:
        self.original = text
        # FTS5 reads its query up to a NUL: one is a space here (the index holds none).
        self.text = text.replace("\x00", " ")
        self.pos = 0
        self.terms: list[Term] = []
        self.filters: list[Filter] = []

    def fail(self, message: str, pos: int) -> QueryError:
        return QueryError(message, pos + 1)

    def parse(self) -> Query:
        text = self.text
        surrogate = next((i for i, ch in enumerate(text) if "\ud800" <= ch <= "\udfff"), None)
        if surrogate is not None:
            # A byte of the command line that is not UTF-8 (os.fsdecode): no text could match it.
            raise self.fail("not valid text: a byte that is not UTF-8", surrogate)
        while True:
            space = _SPACE.match(text, self.pos)
            if space:
                self.pos = space.end()
            if self.pos >= len(text):
                break
            if text[self.pos] == '"':
                self.phrase()
            else:
                self.word()
        if not self.terms and not self.filters:
            raise self.fail('nothing to search for: give a word, a "phrase" or a filter', self.pos)
        return Query(self.original, tuple(self.terms), tuple(self.filters))

    def quoted(self) -> tuple[str, int]:
        """The text between the quote at ``pos`` and the next; the position after it."""
        start = self.pos
        end = self.text.find('"', start + 1)
        if end == -1:
            raise self.fail('unterminated quote: close it with another "', start)
        return self.text[start + 1 : end], end + 1

    def phrase(self) -> None:
        body, after = self.quoted()
        prefix = self.text.startswith("*", after)
        self.pos = after + prefix
        if not self.at_word_end():
            raise self.fail("a space must follow a closing quote", self.pos)
        self.add_term(body, phrase=True, prefix=prefix)

    def at_word_end(self) -> bool:
        return self.pos >= len(self.text) or self.text[self.pos].isspace()

    def word(self) -> None:
        start = self.pos
        head = _FILTER_HEAD.match(self.text, start)
        if head and head.group(1).lower() in FILTER_NAMES:
            self.filter(head)
            return
        match = _WORD.match(self.text, start)
        assert match is not None  # not a space nor a quote: at least one character
        self.pos = match.end()
        if not self.at_word_end():
            raise self.fail("a quote inside a word: put the whole phrase in quotes", self.pos)
        word = match.group()
        if head and head.group(2) == ":":
            raise self.fail(
                f"unknown filter `{head.group(1)}:`; filters are {', '.join(FILTER_NAMES)}"
                f' (to search for the text, quote it: "{word}")',
                start,
            )
        if word.lower() in _KEYWORDS:
            self.filters.append(ReviewFilter(word.lower()))  # type: ignore[arg-type]
            return
        prefix = word.endswith("*")
        self.add_term(word.rstrip("*"), phrase=False, prefix=prefix)

    def add_term(self, text: str, *, phrase: bool, prefix: bool) -> None:
        # Text with no letter or digit is no word to the tokenizer (punctuation, a
        # lone "*"): an empty FTS5 phrase matches nothing, so it is left out.
        if any(ch.isalnum() for ch in text):
            self.terms.append(Term(text, phrase=phrase or not _is_one_word(text), prefix=prefix))

    def filter(self, head: re.Match[str]) -> None:
        name = head.group(1).lower()
        op = head.group(2)
        self.pos = head.end()
        if name in _KEYWORDS:
            raise self.fail(f"`{name}` takes no value", head.start(2))
        if op != ":" and name not in _COMPARED:
            raise self.fail(f"`{name}` is written `{name}:VALUE`", head.start(2))
        value_at = self.pos
        if self.text.startswith('"', self.pos):
            value, self.pos = self.quoted()
        else:
            match = _WORD.match(self.text, self.pos)
            value = match.group() if match else ""
            self.pos = match.end() if match else self.pos
        if not self.at_word_end():
            raise self.fail("a space must follow a filter's value", self.pos)
        if not value.strip():
            raise self.fail(f"`{name}{op}` needs a value", value_at)
        self.filters.append(self.make(name, "=" if op == ":" else op, value, value_at))

    def make(self, name: str, op: str, value: str, value_at: int) -> Filter:
        if name in ("actor", "tag"):
            return TextFilter(name, value.strip())  # type: ignore[arg-type]
        if name == "kind":
            value = value.lower()
            if value not in ENTITY_KIND_VALUES:
                from briefing.format.problems import did_you_mean

                hint = did_you_mean(value, sorted(ENTITY_KIND_VALUES))
                raise self.fail(f"unknown kind `{value}`" + (f"; {hint}" if hint else ""), value_at)
            return EntityKindFilter(value)
        if name in ("before", "after"):
            day = None
            if _DAY.fullmatch(value):
                try:
                    day = datetime.date.fromisoformat(value)
                except ValueError:
                    day = None
            if day is None:
                raise self.fail(f"`{name}:` needs a date as YYYY-MM-DD, not `{value}`", value_at)
            return DateFilter(name, day)  # type: ignore[arg-type]
        if name == "credibility":
            if value not in ("1", "2", "3", "4", "5", "6"):
                raise self.fail(f"credibility is 1 to 6, not `{value}`", value_at)
            return GradingFilter("credibility", op, int(value))  # type: ignore[arg-type]
        letter = value.upper()
        if len(letter) != 1 or letter not in "ABCDEF":
            raise self.fail(f"reliability is a letter A to F, not `{value}`", value_at)
        return GradingFilter("reliability", op, letter)  # type: ignore[arg-type]


def _is_one_word(text: str) -> bool:
    return all(ch.isalnum() for ch in text)
