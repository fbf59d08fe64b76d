"""The library's briefings, one row each: what it is, how far it has been read, what the analyst left on it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, NamedTuple

from textual.binding import Binding, BindingType
from textual.content import Content

from briefing.app.widgets.row_table import VIM_KEYS, Cell, RowTable
from briefing.format.safetext import one_line
from briefing.library.catalog import BriefingEntry
from briefing.storage.review import BriefingReview

NO_REVIEW = BriefingReview(0, 0, 0)


class LibraryRow(NamedTuple):
    entry: BriefingEntry
    review: BriefingReview


def progress(row: LibraryRow) -> str:
    total = len(row.entry.sections)
    return f"{min(row.review.sections_read, total)}/{total}" if row.entry.ok else ""


def _date(row: LibraryRow) -> str:
    return row.entry.published.isoformat() if row.entry.published else ""


def _headline(row: LibraryRow) -> str:
    return (row.entry.headline or row.entry.key).casefold()


class SortOrder(NamedTuple):
    name: str
    # A tuple or a string: anything ``sorted`` can compare.
    key: Callable[[LibraryRow], Any]
    # Newest, most read, most flagged first.
    descending: bool


# The orders `s` cycles through, the first the default.
SORT_ORDERS: tuple[SortOrder, ...] = (
    SortOrder("date", lambda row: (_date(row), _headline(row)), True),
    SortOrder("headline", _headline, False),
    SortOrder("read", lambda row: (row.review.sections_read / max(len(row.entry.sections), 1), _date(row)), True),
    SortOrder("flags", lambda row: (row.review.flags, _date(row)), True),
    SortOrder("notes", lambda row: (row.review.notes, _date(row)), True),
)


def sorted_rows(rows: Sequence[LibraryRow], order: SortOrder, *, reverse: bool = False) -> list[LibraryRow]:
    """Rows in ``order``; broken files last whatever the order, so they never push readable ones away."""
    ordered = sorted(rows, key=order.key, reverse=order.descending != reverse)
    return [row for row in ordered if row.entry.ok] + [row for row in ordered if not row.entry.ok]


class LibraryTable(RowTable[LibraryRow]):
    """Each cell is built from parts, never markup: headlines and problems are untrusted text."""

    COLUMNS: ClassVar[Sequence[tuple[str, int]]] = (
        ("Date", 10),
        ("Read", 5),
        ("Flags", 5),
        ("Notes", 5),
        # Cut at the pane's edge: the headline takes what the other columns leave.
        ("Headline · tags", 160),
    )

    # Enter opens a briefing: the app holds the keys typed after it for that briefing.
    OPENS_BRIEFING: ClassVar[bool] = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", tooltip="Read this briefing"),
        *VIM_KEYS,
    ]

    def cells(self, item: LibraryRow) -> Sequence[Cell]:
        entry, review = item
        if not entry.ok:
            problem = one_line(entry.problem or "cannot be read")
            return [
                "",
                "",
                "",
                "",
                Content.assemble(("✗ ", "bold $error"), (one_line(entry.key), "bold"), ": ", (problem, "$error")),
            ]
        headline = Content(one_line(entry.headline or entry.key))
        if entry.tags:
            headline = Content.assemble(headline, (" · " + ", ".join(one_line(t) for t in entry.tags), "$text-muted"))
        total = len(entry.sections)
        done = total and review.sections_read >= total
        return [
            _date(item),
            Content.styled(progress(item), "$success" if done else ""),
            str(review.flags) if review.flags else "",
            str(review.notes) if review.notes else "",
            headline,
        ]
