"""The library: every briefing under a directory, found by a search, opened with Enter.

The list comes from the search index (a warm index opens a library of a
thousand briefings without parsing one), is kept current by watching the
directory, and shows the analyst's own review beside each briefing: sections
read, flags, notes. A query of filters only (``unread tag:syria``) narrows
the list; one with words lists the passages that match, best first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input, ProgressBar, Static

from briefing.app.navigation import navigator
from briefing.app.widgets.footer import BriefingFooter
from briefing.app.widgets.hit_list import HitList
from briefing.app.widgets.library_table import (
    NO_REVIEW,
    SORT_ORDERS,
    LibraryRow,
    LibraryTable,
    sorted_rows,
)
from briefing.app.widgets.ordered_input import OrderedInput
from briefing.app.widgets.row_table import RowTable
from briefing.format.safetext import defuse, one_line
from briefing.library.query import QueryError, parse_query
from briefing.storage.review import FLAG_BY_NAME, FLAGS, StoreError, Target

if TYPE_CHECKING:
    from briefing.library.catalog import Library
    from briefing.library.search_index import Hit

QUERY_HELP = 'words, "a phrase", prefix*, unread, flagged, noted, actor:hur, kind:ship, tag:x, before:2024-12-20'


class QueryInput(OrderedInput):
    """The library's query, its Enter and Escape taken in turn with the keys typed around them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.leave_query", "Go to the list", show=False),
        Binding("escape", "screen.clear_search", "Clear", tooltip="Clear the search and list every briefing"),
    ]


class LibraryScreen(Screen[None]):
    """Styles: library.tcss, loaded by the app (this can be the screen it starts on)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # A priority binding runs as the key arrives, before the keys typed after it are handed to
        # the focused list: in "/tag:syria" typed at once, "tag:syria" reaches the query.
        Binding(
            "slash",
            "search",
            "Search",
            key_display="/",
            priority=True,
            tooltip="Search every briefing, or filter the list",
        ),
        Binding("escape", "clear_search", "Clear", tooltip="Clear the search and list every briefing"),
        Binding("s", "sort(1)", "Sort", tooltip="Sort by the next column: date, headline, read, flags, notes"),
        Binding("S", "sort(-1)", "Reverse", show=False, tooltip="Reverse the sort order"),
        # The flags of a whole briefing, from its row (the reader's keys flag what is in it).
        *(
            Binding(flag.key, f"flag_briefing('{flag.name}')", f"Flag briefing {flag.label.lower()}", show=False)
            for flag in FLAGS
        ),
    ]

    def __init__(
        self, root: str, *, include_bundled: bool = False, library: Library | None = None, place: str | None = None
    ) -> None:
        """``library``: the library of ``root`` already open (a served session's reader opens it before
        the session comes); its rows are on the first frame, and what changed since is rescanned at once."""
        super().__init__()
        self.root = root
        self.include_bundled = include_bundled
        self.library: Library | None = None
        self.prepared = library
        # What the title names the library by: its directory, or (served over SSH) what the server chose.
        self.place = root if place is None else place
        self.rows: list[LibraryRow] = []
        self.sort_index = 0
        self.reverse = False
        self.hits: list[Hit] = []
        # The filter of the last query that had no words (None: every briefing).
        self.shown_keys: set[str] | None = None

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="library-title")
        with Horizontal(id="library-search"):
            yield Static("/", id="library-prompt")
            yield QueryInput(placeholder=QUERY_HELP, id="library-query", select_on_focus=False)
        yield ProgressBar(id="library-progress", show_eta=False)
        with ContentSwitcher(initial="briefings", id="library-views"):
            yield LibraryTable(id="briefings")
            yield HitList(id="hits")
        yield Static(id="library-status")
        yield BriefingFooter()

    def on_mount(self) -> None:
        self.query_one("#briefings", LibraryTable).border_title = "Briefings"
        self.query_one("#hits", HitList).border_title = "Matches"
        self.set_focus(self.query_one("#briefings"))
        # On a broken file's row, the status line has room for its whole problem.
        self.watch(self.query_one("#briefings", LibraryTable), "cursor_row", self._cursor_moved, init=False)
        if self.prepared is not None:
            self._opened(self.prepared)
            self.run_worker(self.rescan(), exclusive=True, group="library", exit_on_error=False)
        else:
            self.open_library()

    # The library itself

    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def open_library(self) -> None:
        from briefing.library.catalog import Library

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done, total)

        library = Library.open(self.root, include_bundled=self.include_bundled, progress=progress)
        self.app.call_from_thread(self._opened, library)

    def _progress(self, done: int, total: int) -> None:
        bar = self.query_one("#library-progress", ProgressBar)
        bar.display = done < total
        bar.update(total=total, progress=done)
        self._status(f"Indexing {done}/{total} briefings…")

    def _opened(self, library: Library) -> None:
        self.library = library
        self.query_one("#library-progress", ProgressBar).display = False
        self.refresh_rows()
        self.watch_directory()

    @work(exclusive=True, group="watch", exit_on_error=False)
    async def watch_directory(self) -> None:
        """New, changed and deleted files are picked up while the library is open."""
        from watchfiles import awatch

        try:
            async for _changes in awatch(self.root, recursive=True, debounce=300, step=100):
                await self.rescan()
        except (OSError, RuntimeError) as error:
            # No watcher (inotify limits, a file system without events): `r` still rescans.
            self._status(f"Not watching {defuse(self.root)}: {defuse(str(error))}; press r to rescan")

    async def rescan(self) -> None:
        library = self.library
        if library is None:
            return
        import asyncio

        await asyncio.to_thread(library.refresh)
        self.refresh_rows()

    def refresh_rows(self) -> None:
        """The rows again from the library and the store, the cursor kept on the same briefing."""
        if self.library is None:
            return
        store = navigator(self.app).review
        summary = store.summary() if store is not None else {}
        self.rows = [LibraryRow(entry, summary.get(entry.key, NO_REVIEW)) for entry in self.library.entries]
        self.query_one("#library-title", Static).update(self._title())
        self._show_rows()
        if self.query_one("#library-query", Input).value.strip():
            self.run_search(self.query_one("#library-query", Input).value)

    def _show_rows(self) -> None:
        table = self.query_one("#briefings", LibraryTable)
        current = table.cursor_item
        rows = [row for row in self.rows if self.shown_keys is None or row.entry.key in self.shown_keys]
        rows = sorted_rows(rows, SORT_ORDERS[self.sort_index], reverse=self.reverse)
        cursor = next(
            (n for n, row in enumerate(rows) if current is not None and row.entry.path == current.entry.path), 0
        )
        table.set_rows(rows, cursor=cursor)
        order = SORT_ORDERS[self.sort_index]
        direction = "↑" if order.descending == self.reverse else "↓"
        shown = f"{len(rows)} of {len(self.rows)}" if self.shown_keys is not None else f"{len(rows)}"
        table.border_title = f"Briefings · {shown} · by {order.name} {direction}"
        self._cursor_moved()

    def _cursor_moved(self) -> None:
        row = self.query_one("#briefings", LibraryTable).cursor_item
        if row is not None and not row.entry.ok:
            self._status(
                f"✗ {one_line(row.entry.path)}: {one_line(row.entry.problem or 'cannot be read')}", problem=True
            )
            return
        broken = sum(1 for row in self.rows if not row.entry.ok)
        self._status(f"{len(self.rows)} briefings" + (f" · {broken} cannot be opened (listed last)" if broken else ""))

    def select_entry(self, path: str) -> None:
        """Put the cursor on the briefing at ``path`` (coming back from the reader)."""
        table = self.query_one("#briefings", LibraryTable)
        for number, row in enumerate(table.items):
            if row.entry.path == path:
                table.move_cursor(number)
                return

    # Search

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "search":
            # "/" typed in the query is part of it.
            return self.focused is not self.query_one("#library-query", Input)
        if action in ("sort", "flag_briefing"):
            # The matches are best first: s sorts (and the flag keys flag) the list of briefings only.
            return self.query_one("#library-views", ContentSwitcher).current == "briefings"
        return True

    def action_flag_briefing(self, flag: str) -> None:
        row = self.query_one("#briefings", LibraryTable).cursor_item
        if row is None or not row.entry.ok:
            self.app.bell()
            return
        try:
            now = navigator(self.app).review.toggle_flag(Target(row.entry.key, "briefing", ""), flag)
        except StoreError as error:
            self.notify(f"Not flagged: {one_line(str(error))}", severity="error", markup=False)
            return
        label = FLAG_BY_NAME[flag].label
        headline = one_line(row.entry.headline or row.entry.key)
        self.notify(f"{label}: {headline}" if now else f"No longer {label.lower()}: {headline}", markup=False)
        self.refresh_rows()

    def action_search(self) -> None:
        self.set_focus(self.query_one("#library-query", Input))

    def action_clear_search(self) -> None:
        query = self.query_one("#library-query", Input)
        if not query.value and self.shown_keys is None:
            # Nothing to clear: out of the empty query, back to the list.
            self.set_focus(self.query_one("#briefings"))
            return
        query.value = ""
        self.shown_keys = None
        self.hits = []
        self._show_view("briefings")
        self._show_rows()
        self.set_focus(self.query_one("#briefings"))

    @on(Input.Changed, "#library-query")
    def _query_changed(self, event: Input.Changed) -> None:
        # What the query holds now: typed in a burst, "ship" sends four changes after the last key.
        self.run_search(self.query_one("#library-query", Input).value)

    def action_leave_query(self) -> None:
        """From the query to what it shows: the list, or the matches."""
        # Searched now, not when its last change arrives: the keys after Enter move in what it finds.
        self.run_search(self.query_one("#library-query", Input).value)
        switcher = self.query_one("#library-views", ContentSwitcher)
        self.set_focus(self.query_one(f"#{switcher.current or 'briefings'}"))

    def run_search(self, text: str) -> None:
        if self.library is None:
            return
        if not text.strip():
            self.shown_keys = None
            self._show_view("briefings")
            self._show_rows()
            return
        try:
            query = parse_query(text)
        except QueryError as error:
            self._status(f"Search: column {error.column}: {error.message}", problem=True)
            return
        store = navigator(self.app).review
        if not query.has_words:
            self.shown_keys = {entry.key for entry in self.library.matching(query, store)}
            self._show_view("briefings")
            self._show_rows()
            return
        self.hits = self.library.search(query, store)
        hits = self.query_one("#hits", HitList)
        # The same query again (back from the reader, a file changed): the cursor stays on its hit.
        current = hits.cursor_item
        hits.set_rows(self.hits, cursor=self.hits.index(current) if current in self.hits else 0)
        briefings = len({hit.path for hit in self.hits})
        hits.border_title = f"Matches · {len(self.hits)} in {briefings} briefing{'s' if briefings != 1 else ''}"
        self._show_view("hits")
        count = len(self.hits)
        self._status(f"{count} match{'es' if count != 1 else ''}" if self.hits else "No matches")

    def _show_view(self, view: str) -> None:
        switcher = self.query_one("#library-views", ContentSwitcher)
        if switcher.current != view:
            switcher.current = view
            self.refresh_bindings()

    # Opening

    @on(RowTable.Selected, "#briefings")
    async def _open_briefing(self, event: RowTable.Selected) -> None:
        # The row Enter was pressed (or clicked) on, wherever keys typed after it took the cursor.
        await self.open_row(event.row)

    @on(RowTable.Selected, "#hits")
    async def _open_hit(self, event: RowTable.Selected) -> None:
        await self.open_hit(event.row)

    async def open_row(self, number: int) -> None:
        items = self.query_one("#briefings", LibraryTable).items
        if not 0 <= number < len(items):
            return
        row = items[number]
        if not row.entry.ok:
            self.app.bell()
            self.notify(
                f"{one_line(row.entry.key)} cannot be opened: {one_line(row.entry.problem or '')}",
                severity="error",
                markup=False,
            )
            return
        await navigator(self.app).open_library_briefing(row.entry, None)

    async def open_hit(self, number: int) -> None:
        items = self.query_one("#hits", HitList).items
        if not 0 <= number < len(items) or self.library is None:
            return
        hit = items[number]
        entry = self.library.entry(hit.path)
        if entry is not None:
            await navigator(self.app).open_library_briefing(entry, hit)

    # Order

    def action_sort(self, step: int) -> None:
        if step > 0:
            self.sort_index = (self.sort_index + 1) % len(SORT_ORDERS)
            self.reverse = False
        else:
            self.reverse = not self.reverse
        self._show_rows()

    # Words

    def _title(self) -> Content:
        return Content.assemble(("Library", "bold"), ("  " + defuse(self.place), "$text-muted"))

    def _status(self, text: str, *, problem: bool = False) -> None:
        self.query_one("#library-status", Static).update(Content.styled(text, "$error" if problem else "$text-muted"))
