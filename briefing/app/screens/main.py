"""The main screen: header, sections, reader, and the entity and analysis panes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar, Protocol, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.lazy import Lazy
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList, Static

from briefing.analysis.anchors import Resolved, resolve, section_text
from briefing.analysis.index import BriefingIndex, EntityRef, section_title
from briefing.analysis.mentions import Mentions
from briefing.app.navigation import navigator
from briefing.app.panes import PANE_KEYS, PANE_NAMES, PANE_OF_KIND
from briefing.app.review_state import ReviewState, target_of
from briefing.app.screens import review_actions
from briefing.app.widgets.entity_panes import EntityPanes
from briefing.app.widgets.footer import BriefingFooter
from briefing.app.widgets.header import BriefingHeader
from briefing.app.widgets.messages import FocusOn, OpenEntity, ShowInReader
from briefing.app.widgets.reader import ReaderPane
from briefing.app.widgets.section_nav import SectionNav
from briefing.format.kinds import ENTITY_KINDS, KIND
from briefing.format.model import Section
from briefing.format.safetext import defuse, one_line
from briefing.storage.review import ReviewNote, StoreError

if TYPE_CHECKING:
    from textual.timer import Timer

    from briefing.analysis.find import Found
    from briefing.analysis.index import EntityKind
    from briefing.app.screens.notes import NotesItem
    from briefing.app.widgets.search_bar import SearchBar
    from briefing.format.model import Grading
    from briefing.storage.review import Anchor, Target

# Below these sizes the layout tightens; at or above WIDE it spreads out.
NARROW_WIDTH, NARROW_HEIGHT = 100, 30
WIDE_WIDTH, WIDE_HEIGHT = 160, 45

# "[ ] Section", and "n N Mention" or "n N Match" in the footer.
SECTION_KEYS = Binding.Group("Section", compact=True)
MENTION_KEYS = Binding.Group("Mention", compact=True)
MATCH_KEYS = Binding.Group("Match", compact=True)

# The panes a focus or a search narrows to the entries it concerns.
NARROWED_PANES = ("assets", "actors", "quotes", "timeline", "claims")


def counted(number: int, one: str, many: str, more: str = "") -> str:
    """``1 entry``, ``2 entries``; ``more`` ("+") after a number the search stopped at."""
    return f"{number}{more} {one if number == 1 else many}"


class Narrowable(Protocol):
    def narrow(self, refs: set[EntityRef] | None, focus_name: str | None = None) -> None: ...


class MainScreen(Screen[None]):
    # Styles: main.tcss, in the app's CSS_PATH (Textual does not load the
    # CSS_PATH of the screen an app starts on).

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "cycle_pane(1)", "Next pane", show=False),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False),
        Binding("left_square_bracket", "step_section(-1)", "Previous section", key_display="[", group=SECTION_KEYS),
        Binding("right_square_bracket", "step_section(1)", "Next section", key_display="]", group=SECTION_KEYS),
        *(
            Binding(key, f"focus_pane('{pane}')", f"Go to {PANE_NAMES[pane]}", show=False)
            for pane, key in PANE_KEYS.items()
        ),
        # One n / N and one x for whatever is highlighted: the focus's mentions or the search's
        # matches. Each has a binding of its own wording; check_action enables the one that applies.
        Binding("n", "step_mention(1)", "Next mention", group=MENTION_KEYS),
        Binding("N", "step_mention(-1)", "Previous mention", group=MENTION_KEYS),
        Binding("n", "step_match(1)", "Next match", group=MATCH_KEYS, tooltip="Next match of the search"),
        Binding("N", "step_match(-1)", "Previous match", group=MATCH_KEYS, tooltip="Previous match of the search"),
        Binding("x", "clear_focus", "Clear focus", tooltip="Stop highlighting and show every row again"),
        Binding("x", "clear_search", "Clear search", tooltip="Stop highlighting the matches and show every row again"),
        # A priority binding runs as the key arrives, before the keys typed after it are
        # handed to the focused pane: in "/troops" typed at once, "troops" reaches the search.
        Binding(
            "slash",
            "search",
            "Search",
            key_display="/",
            show=False,
            priority=True,
            tooltip="Find a phrase in this briefing: its text, quotes and entries (n / N step through it)",
        ),
        Binding("c", "app.caveats", "Caveats", tooltip="The editor’s caveats about this article"),
        Binding("z", "zoom", "Zoom", tooltip="Fill the screen with the focused pane (again to restore)"),
        # The analyst's review of what is selected in the focused pane (a passage, in the reader).
        *review_actions.REVIEW_BINDINGS,
        Binding("R", "toggle_read", "Read", show=False, tooltip="Mark this section read, or unread again"),
        Binding("A", "notes", "Notes", show=False, tooltip="Every note you wrote on this briefing"),
    ]

    # A section counts as read once its end has been on screen this long (seconds): flipping
    # through sections with ] marks nothing read.
    READ_AFTER = 2.0

    def __init__(self, index: BriefingIndex) -> None:
        super().__init__()
        self.index = index
        self.mentions = Mentions(index)
        self.focus_ref: EntityRef | None = None
        # What is linked to the focus: the rows the panes narrow to.
        self.focus_links: set[EntityRef] | None = None
        # The search in effect (None: none). A search and a focus replace each other.
        self.search: Found[object] | None = None
        # What was highlighted when the search bar opened: Escape puts it back.
        self.before_search: tuple[EntityRef | None, Found[object] | None] = (None, None)
        # Mounted on the first "/": nothing of it is built at start-up.
        self.search_bar: SearchBar | None = None
        self._complete = False
        # The wait before the section whose end is on screen counts as read.
        self._read_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        # The first frame is the headline; the section list and the reader
        # (with the lede), the panes and the footer are mounted right after it
        # (Lazy): the headline is on the terminal without waiting for them.
        yield BriefingHeader(self.index.briefing.meta, id="header")
        yield Static(id="focus-bar")
        with Lazy(Horizontal(id="top")):
            yield SectionNav(self.index.briefing.sections, id="sections")
            yield ReaderPane(self.index, self.mentions, id="reader")
        yield Lazy(EntityPanes(self.index, id="panes"))
        yield Lazy(BriefingFooter())

    @property
    def is_complete(self) -> bool:
        """Whether the lazily mounted parts (the panes) are there: a frame after the headline.

        Until then the app holds the keys (BriefingApp.on_event), so no action
        here runs before the widgets it works on exist.
        """
        if not self._complete:
            # Looked up until true, then kept: every key asks (BriefingApp.on_event).
            self._complete = bool(self.query(EntityPanes)) and bool(self.query(ReaderPane))
        return self._complete

    def on_mount(self) -> None:
        # The review is read once the screen is complete (start-up does not wait for the store).
        self.call_after_refresh(self.call_after_refresh, self.show_review)

    @property
    def is_laid_out(self) -> bool:
        """Complete and sized: the section list and the reader have a width to lay text out at.

        They are mounted a frame after the headline and sized at the layout
        after that; a section shown (or a key that shows one) before then has
        no width to wrap to.
        """
        return self.is_complete and self.nav.size.width > 0 and self.reader.scrollable_content_region.width > 0

    @property
    def nav(self) -> SectionNav:
        return self.query_one("#sections", SectionNav)

    @property
    def reader(self) -> ReaderPane:
        return self.query_one("#reader", ReaderPane)

    def on_resize(self, event: events.Resize) -> None:
        width, height = event.size
        self.set_class(width < NARROW_WIDTH or height < NARROW_HEIGHT, "-narrow")
        self.set_class(width >= WIDE_WIDTH and height >= WIDE_HEIGHT, "-wide")

    # Sections

    def on_section_nav_highlighted(self, event: SectionNav.Highlighted) -> None:
        section = self.index.sections[event.section_id]
        if self.reader.section is not section:
            self.present_section(section)

    def on_section_nav_selected(self, event: SectionNav.Selected) -> None:
        self.set_focus(self.reader)

    def show_section(self, section_id: str, *, mark: str | None = None) -> None:
        nav = self.nav
        # The list is told, not asked: its highlight message would only come
        # back here to show the section this shows now.
        with nav.prevent(OptionList.OptionHighlighted):
            nav.highlighted = nav.get_option_index(section_id)
        self.present_section(self.index.sections[section_id], mark=mark)

    def present_section(self, section: Section, *, mark: str | None = None) -> None:
        self.reader.show_section(section, mark=mark)
        # A section that fits the reader is at its end without scrolling: no scroll to watch.
        self.call_after_refresh(self._reader_moved)

    async def on_show_in_reader(self, message: ShowInReader) -> None:
        message.stop()
        self.show_section(message.section_id, mark=message.mark)
        self.action_focus_pane("reader")

    def action_step_section(self, step: int) -> None:
        nav = self.nav
        current = nav.highlighted or 0
        target = min(max(current + step, 0), nav.option_count - 1)
        if target == current:
            self.app.bell()
            return
        # Show the section now rather than when the list's highlight message
        # arrives: list and text change in the same frame.
        self.show_section(self.index.briefing.sections[target].id)

    # Panes

    def pane(self, pane_id: str) -> Widget:
        return self.query_one(f"#{pane_id}")

    def current_pane(self) -> str | None:
        node = self.focused
        while node is not None:
            if node.id in PANE_KEYS:
                return node.id
            node = node.parent if isinstance(node.parent, Widget) else None
        return None

    def action_focus_pane(self, pane_id: str) -> None:
        if self.maximized is not None:
            self.minimize()
        panes = self.query_one("#panes", EntityPanes)
        if pane_id in panes.pane_ids:
            panes.show(pane_id)
        pane = self.pane(pane_id)
        target = pane if pane.can_focus else next((w for w in pane.walk_children(Widget) if w.can_focus), pane)
        # Focus now, not on the next idle: keys already queued (a fast typist, a
        # batch over SSH) must reach the pane the user just chose.
        self.set_focus(target)

    def action_cycle_pane(self, step: int) -> None:
        order = list(PANE_KEYS)
        current = self.current_pane()
        position = order.index(current) if current in order else -step
        self.action_focus_pane(order[(position + step) % len(order)])

    def action_zoom(self) -> None:
        if self.maximized is not None:
            self.minimize()
        elif self.focused is not None:
            pane_id = self.current_pane()
            if not self.maximize(self.pane(pane_id) if pane_id else self.focused, container=False):
                self.app.bell()

    # Entities

    async def on_open_entity(self, message: OpenEntity) -> None:
        message.stop()
        await navigator(self.app).open_entity(message.ref)

    def select_entity(self, ref: EntityRef) -> None:
        """Show the pane that lists ``ref`` with its row selected."""
        pane_id = PANE_OF_KIND.get(ref.kind)
        if pane_id is None:
            return
        self.action_focus_pane(pane_id)
        pane = self.pane(pane_id)
        select = getattr(pane, "select", None)
        if select is not None:
            select(ref.id)

    # The analyst's focus, and the search: what is highlighted

    @property
    def search_open(self) -> bool:
        return self.search_bar is not None and self.search_bar.is_open

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Highlight keys only mean something (and only take footer room) while a focus or a
        # search is set, and not while a phrase is typed (the keys go into it).
        if action in ("clear_focus", "step_mention"):
            return self.focus_ref is not None and not self.search_open
        if action in ("clear_search", "step_match"):
            return self.search is not None and not self.search_open
        if action == "search":
            # "/" typed in the search bar is part of the phrase.
            return not self.search_open
        return True

    def on_focus_on(self, message: FocusOn) -> None:
        message.stop()
        self.set_entity_focus(message.ref)

    def set_entity_focus(self, ref: EntityRef | None) -> None:
        """Highlight ``ref``'s mentions and narrow the other panes to what is linked to it.

        It replaces the search; None clears both.
        """
        from briefing.analysis.find import HighlightSet
        from briefing.analysis.focus import related

        if ref is not None and self.index.get(ref) is None:
            ref = None
        self.focus_ref = ref
        self.search = None
        refs = self.focus_links = related(self.index, self.mentions, ref) if ref else None
        self.narrow_panes(refs, self.index.name_of(ref) if ref else None, PANE_OF_KIND.get(ref.kind) if ref else None)
        if ref is not None and ref.kind == "location":
            self.pane("map").select(ref.id)  # type: ignore[attr-defined]
        mentions = HighlightSet(("mention", ref), ("mention", "mentions"), self.mentions.of(ref)) if ref else None
        self.reader.set_highlights(mentions)
        self.update_focus_bar()
        self.refresh_bindings()

    def set_search(self, found: Found[object]) -> None:
        """Highlight ``found``'s matches in the text and narrow the panes to the entries it found.

        It replaces the focus.
        """
        from briefing.analysis.find import HighlightSet

        self.focus_ref = self.focus_links = None
        self.search = found
        self.narrow_panes(set(found.entries), f"“{defuse(found.term)}”")
        self.reader.set_highlights(HighlightSet(found.key, ("match", "matches"), found.text, complete=found.complete))
        self.update_focus_bar()
        self.refresh_bindings()

    def narrow_panes(self, refs: set[EntityRef] | None, name: str | None, own_pane: str | None = None) -> None:
        """Narrow the panes to ``refs`` (None: every row), said to be about ``name``; ``own_pane`` is left whole."""
        for pane_id in NARROWED_PANES:
            pane: Narrowable = self.pane(pane_id)  # type: ignore[assignment]
            pane.narrow(None if pane_id == own_pane else refs, name)

    def update_focus_bar(self) -> None:
        """Say what is highlighted: the focus and what is linked to it, or the search."""
        bar = self.query_one("#focus-bar", Static)
        bar.display = self.focus_ref is not None or self.search is not None
        if self.search is not None:
            bar.update(self.search_summary(self.search))
            return
        ref, refs = self.focus_ref, self.focus_links
        if ref is None or refs is None:
            bar.update("")
            return
        counts = {kind: sum(1 for r in refs if r.kind == kind and r != ref) for kind in PANE_OF_KIND}
        linked = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in counts.items() if n)
        mentions = len(self.mentions.of(ref))
        bar.update(
            Content.assemble(
                ("Focus: ", "bold"),
                (
                    self.index.actor_short_name(ref.id) if ref.kind == "actor" else self.index.name_of(ref),
                    "bold $warning",
                ),
                (f" ({ref.kind})", "$text-muted"),
                f" · linked: {linked or 'nothing'} · {mentions} mention{'s' if mentions != 1 else ''} (n/N)",
                (" · x clears", "$text-muted"),
            )
        )

    def search_summary(self, found: Found[object]) -> Content:
        """``Search: “troops” · 7 in text · 2 entries · x clears``."""
        more = "" if found.complete else "+"
        parts: list[str | tuple[str, str]] = [("Search: ", "bold"), (f"“{defuse(found.term)}”", "bold $warning")]
        if found.nothing:
            parts.append(" · not found")
        else:
            parts.append(
                f" · {len(found.text)}{more} in text · {counted(len(found.entries), 'entry', 'entries', more)}"
            )
            if found.extra:
                parts.append(f" · {counted(len(found.extra), 'note', 'notes', more)}")
        if not self.search_open:
            parts.append((" · x clears", "$text-muted"))
        return Content.assemble(*parts)

    def action_clear_focus(self) -> None:
        self.set_entity_focus(None)

    def action_clear_search(self) -> None:
        self.set_entity_focus(None)

    def action_step_mention(self, step: int) -> None:
        self.step_highlight(step)

    def action_step_match(self, step: int) -> None:
        self.step_highlight(step)

    def step_highlight(self, step: int, *, restart: bool = False) -> None:
        """To the next (1) or previous (-1) mention or match, in another section if it is there."""
        section = self.reader.step(step, restart=restart)
        if section is not None:
            self.show_section(section.id)

    # Searching

    def search_extra(self) -> Iterable[tuple[object, str]]:
        """More to search than the briefing, as (item, its text): the analyst's notes.

        What matches is counted as notes (``Found.extra``).
        """
        state = navigator(self.app).loaded_review_state
        return [(note, note.body) for note in state.notes] if state is not None else []

    async def action_search(self) -> None:
        """Open the search bar, with the search in effect to edit."""
        from briefing.app.widgets.search_bar import SearchBar

        if self.maximized is not None:
            self.minimize()
        if self.search_bar is None:
            self.search_bar = SearchBar(id="search-bar")
            await self.mount(self.search_bar, after=self.query_one("#panes"))
        self.before_search = (self.focus_ref, self.search)
        self.search_bar.open(self.search.term if self.search else "", return_to=self.focused or self.reader)
        self.update_focus_bar()
        self.refresh_bindings()

    def apply_search(self, typed: str) -> Found[object] | None:
        """Search for ``typed`` and show what it finds; nothing typed puts back what was highlighted before."""
        from briefing.analysis.find import find_text, search_term

        term = search_term(typed)
        if term is None:
            self.restore_before_search()
            return None
        if self.search is not None and self.search.term == term:
            return self.search
        found: Found[object] = find_text(self.index, self.mentions.blocks, term, self.search_extra())
        self.set_search(found)
        return found

    def restore_before_search(self) -> None:
        focus, search = self.before_search
        if self.focus_ref == focus and self.search is search:
            # Nothing was typed over it: n / N carry on from where they were.
            self.update_focus_bar()
            return
        if search is not None:
            self.set_search(search)
        else:
            self.set_entity_focus(focus)

    def on_search_bar_changed(self, message: SearchBar.Changed) -> None:
        message.stop()
        self.apply_search(message.term)

    def on_search_bar_submitted(self, message: SearchBar.Submitted) -> None:
        message.stop()
        found = self.apply_search(message.term)
        if found is None:
            return  # nothing typed: what was highlighted before is back
        if found.nothing:
            # A search that finds nothing replaces nothing.
            self.restore_before_search()
            self.notify(f"Not found: “{defuse(found.term)}”", severity="warning", markup=False)
            return
        self.update_focus_bar()
        self.refresh_bindings()
        if not message.go:
            return
        if found.text:
            self.step_highlight(1, restart=True)
        else:
            kinds = ((len(found.entries), "entry", "entries"), (len(found.extra), "note", "notes"))
            self.notify(f"Not in the text; in {' and '.join(counted(*kind) for kind in kinds if kind[0])}")

    def on_search_bar_cancelled(self, message: SearchBar.Cancelled) -> None:
        message.stop()
        self.restore_before_search()

    # The analyst's review

    def show_review(self) -> None:
        """Read the review and show it: marks in the panes, read sections in the list."""
        if not self.is_complete:
            self.call_after_refresh(self.show_review)
            return
        navigator(self.app).review_state.reload()
        self.refresh_review()
        self.watch(self.reader, "scroll_y", self._reader_moved, init=False)
        self._reader_moved()

    def on_screen_resume(self) -> None:
        # Back from the detail view or a dialog: what was flagged or noted there is shown here too.
        if self.is_complete:
            self.refresh_review()

    def refresh_review(self) -> None:
        from briefing.app.widgets.row_table import RowTable

        state = navigator(self.app).loaded_review_state
        if state is None:
            return
        self.nav.show_read(state.read)
        for table in self.query(RowTable):
            table.redraw_rows()
        for pane in self.query("QuotesPane, PlacesList"):
            refresh_marks = getattr(pane, "refresh_marks", None)
            if refresh_marks is not None:
                refresh_marks()

    def redraw_marks(self, pane: Widget | None) -> None:
        """Draw one pane's marks again (the one whose selection just changed), not every pane's."""
        from briefing.app.widgets.entity_pane import EntityOptionList
        from briefing.app.widgets.row_table import RowTable

        if isinstance(pane, RowTable):
            pane.redraw_rows()
        elif isinstance(pane, EntityOptionList):
            pane.refresh_marks()

    def review_target(self) -> tuple[Target, str, Grading | None, Anchor | None] | None:
        """What the review keys act on: the focused pane's selection; in the reader, its section or passage."""
        key = navigator(self.app).briefing_key
        pane_id = self.current_pane()
        if pane_id in ("sections", "reader"):
            section = self.reader.section if pane_id == "reader" else self.highlighted_section()
            if section is None:
                return None
            title = section_title(section)
            anchor = self.reader.current_anchor() if pane_id == "reader" else None
            if anchor is not None:
                return target_of(key, section=section.id), f"Passage in {title}", None, anchor
            return target_of(key, section=section.id), f"Section: {title}", None, None
        selected = getattr(self.focused, "selected", None)
        if isinstance(selected, EntityRef) and self.index.get(selected) is not None:
            what = f"{KIND[selected.kind].label}: {self.index.name_of(selected)}"
            return target_of(key, selected), what, getattr(self.index.get(selected), "grading", None), None
        return None

    def highlighted_section(self) -> Section | None:
        highlighted = self.nav.highlighted
        sections = self.index.briefing.sections
        return sections[highlighted] if highlighted is not None and 0 <= highlighted < len(sections) else None

    def action_toggle_flag(self, flag: str) -> None:
        found = self.review_target()
        if found is None:
            self.app.bell()
            return
        target, what, _, anchor = found
        review_actions.toggle_flag(self, target, flag, what.removeprefix("Passage in ") if anchor else what)
        self.redraw_marks(self.focused)

    def action_note(self) -> None:
        found = self.review_target()
        if found is None:
            self.app.bell()
            return
        target, what, _, anchor = found
        review_actions.write_note(self, target, what, anchor=anchor, after=self.refresh_review)

    def action_grade(self) -> None:
        found = self.review_target()
        if found is None:
            self.app.bell()
            return
        target, what, editor, _ = found
        review_actions.grade(self, target, what, editor, after=self.refresh_review)

    def action_toggle_read(self) -> None:
        section = self.reader.section if self.current_pane() != "sections" else self.highlighted_section()
        if section is None:
            return
        state = navigator(self.app).review_state
        now = section.id not in state.read
        try:
            state.set_read(section.id, now)
        except StoreError as error:
            self.notify(f"Not saved: {one_line(str(error))}", severity="error", markup=False)
            return
        self.nav.show_read(state.read)
        self.notify(f"{'Read' if now else 'Unread'}: {section_title(section)}", markup=False)

    def _reader_moved(self) -> None:
        """Start the wait before the section counts as read, when its end is on screen."""
        reader = self.reader
        section = reader.section
        state = navigator(self.app).loaded_review_state
        if section is None or state is None or section.id in state.read:
            return
        if reader.scroll_y < reader.max_scroll_y:
            return
        if self._read_timer is not None:
            self._read_timer.stop()
        self._read_timer = self.set_timer(self.READ_AFTER, lambda: self._read_to_end(section.id))

    def _read_to_end(self, section_id: str) -> None:
        reader = self.reader
        state = navigator(self.app).loaded_review_state
        if state is None or reader.section is None or reader.section.id != section_id:
            return
        if reader.scroll_y < reader.max_scroll_y or section_id in state.read:
            return
        try:
            state.set_read(section_id)
        except StoreError:
            return  # said when the store was opened read-only; reading goes on
        self.nav.show_read(state.read)

    def action_notes(self) -> None:
        from briefing.app.screens.notes import NoteAction, NotesScreen

        items = notes_items(self.index, navigator(self.app).review_state)

        async def act(action: NoteAction | None) -> None:
            if action is None:
                return
            state = navigator(self.app).review_state
            note = state.note(action.note_id)
            if note is None:
                return
            if action.action == "delete":
                try:
                    state.delete_note(note.id)
                except StoreError as error:
                    self.notify(f"Not deleted: {one_line(str(error))}", severity="error", markup=False)
                self.refresh_review()
                self.action_notes()
            elif action.action == "edit":
                what = next((item.on for item in items if item.note_id == note.id), "note")
                review_actions.write_note(self, note.on, what, note_id=note.id, after=self.refresh_review)
            else:
                await self.go_to_note(note)

        self.app.push_screen(NotesScreen(items), act)

    async def go_to_note(self, note: ReviewNote) -> None:
        """Show what a note is on: its passage marked in the reader, its section, or its entry."""
        if note.anchor is not None:
            found = resolve_note(self.index, note)
            if found is None:
                self.notify("The passage this note quoted is gone from the briefing", severity="warning")
                return
            section = self.index.sections[found.section_id]
            self.show_section(section.id, mark=section_text(section)[found.start : found.end])
            self.action_focus_pane("reader")
        elif note.kind == "section" and note.target in self.index.sections:
            self.show_section(note.target)
            self.action_focus_pane("reader")
        elif note.kind in KIND and note.kind != "section":
            await navigator(self.app).open_entity(EntityRef(cast("EntityKind", note.kind), note.target))


def resolve_note(index: BriefingIndex, note: ReviewNote) -> Resolved | None:
    """Where a note's passage is now (None: an orphan, its words gone from the briefing)."""
    if note.anchor is None:
        return None
    sections = [(section.id, section_text(section)) for section in index.briefing.sections]
    return resolve(note.anchor.exact, note.anchor.prefix, note.anchor.suffix, note.anchor.section, sections)


def notes_items(index: BriefingIndex, state: ReviewState) -> list[NotesItem]:
    """The notes of a briefing in its order: on the briefing, then by section (passages with them), then entries."""
    from briefing.app.screens.notes import NotesItem

    order = {section.id: number for number, section in enumerate(index.briefing.sections)}
    kinds = {kind.name: number for number, kind in enumerate(ENTITY_KINDS)}
    keyed: list[tuple[tuple[int, int, int], NotesItem]] = []
    for note in state.notes:
        passage = None
        orphan = False
        if note.anchor is not None:
            found = resolve_note(index, note)
            orphan = found is None
            section_id = found.section_id if found else note.anchor.section
            on = f"Passage in {index.section_title(section_id) or section_id}"
            passage = note.anchor.exact
            place = (1, order.get(section_id, len(order)), found.start if found else 0)
        elif note.kind == "briefing":
            on, place = "This briefing", (0, 0, 0)
        elif note.kind == "section":
            on = f"Section: {index.section_title(note.target) or note.target}"
            place = (1, order.get(note.target, len(order)), -1)
        else:
            ref = EntityRef(note.kind, note.target)
            name = index.name_of(ref) if index.get(ref) is not None else f"{note.target} (no longer in the briefing)"
            on, place = f"{KIND[note.kind].label}: {name}", (2, kinds.get(note.kind, 0), 0)
        keyed.append((place, NotesItem(note.id, on, passage, note.body, note.updated, orphan)))
    keyed.sort(key=lambda pair: pair[0])
    return [item for _, item in keyed]
