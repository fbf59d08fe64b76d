"""The main screen: header, sections, reader, and the entity and analysis panes."""

from __future__ import annotations

from typing import ClassVar, Protocol

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.lazy import Lazy
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList, Static

from briefing.analysis.index import BriefingIndex, EntityRef
from briefing.analysis.mentions import Mentions
from briefing.app.navigation import navigator
from briefing.app.panes import PANE_KEYS, PANE_NAMES, PANE_OF_KIND
from briefing.app.widgets.entity_panes import EntityPanes
from briefing.app.widgets.footer import BriefingFooter
from briefing.app.widgets.header import BriefingHeader
from briefing.app.widgets.messages import FocusOn, OpenEntity, ShowInReader
from briefing.app.widgets.reader import ReaderPane
from briefing.app.widgets.section_nav import SectionNav

# Below these sizes the layout tightens; at or above WIDE it spreads out.
NARROW_WIDTH, NARROW_HEIGHT = 100, 30
WIDE_WIDTH, WIDE_HEIGHT = 160, 45

# "[ ] Section" and "n N Mention" in the footer.
SECTION_KEYS = Binding.Group("Section", compact=True)
MENTION_KEYS = Binding.Group("Mention", compact=True)


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
        Binding("n", "step_mention(1)", "Next mention", group=MENTION_KEYS),
        Binding("N", "step_mention(-1)", "Previous mention", group=MENTION_KEYS),
        Binding("x", "clear_focus", "Clear focus", tooltip="Stop highlighting and show every row again"),
        Binding("c", "app.caveats", "Caveats", tooltip="The editor’s caveats about this article"),
        Binding("z", "zoom", "Zoom", tooltip="Fill the screen with the focused pane (again to restore)"),
    ]

    def __init__(self, index: BriefingIndex) -> None:
        super().__init__()
        self.index = index
        self.mentions = Mentions(index)
        self.focus_ref: EntityRef | None = None
        self._complete = False

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
            self.reader.show_section(section)

    def on_section_nav_selected(self, event: SectionNav.Selected) -> None:
        self.set_focus(self.reader)

    def show_section(self, section_id: str, *, mark: str | None = None) -> None:
        nav = self.nav
        # The list is told, not asked: its highlight message would only come
        # back here to show the section this shows now.
        with nav.prevent(OptionList.OptionHighlighted):
            nav.highlighted = nav.get_option_index(section_id)
        self.reader.show_section(self.index.sections[section_id], mark=mark)

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

    # The analyst's focus

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Focus keys only mean something (and only take footer room) while a focus is set.
        if action in ("clear_focus", "step_mention"):
            return self.focus_ref is not None
        return True

    def on_focus_on(self, message: FocusOn) -> None:
        message.stop()
        self.set_entity_focus(message.ref)

    def set_entity_focus(self, ref: EntityRef | None) -> None:
        """Highlight ``ref``'s mentions and narrow the other panes to what is linked to it."""
        if ref is not None and self.index.get(ref) is None:
            ref = None
        self.focus_ref = ref
        from briefing.analysis.focus import related

        refs = related(self.index, self.mentions, ref) if ref else None
        name = self.index.name_of(ref) if ref else None
        own_pane = PANE_OF_KIND.get(ref.kind) if ref else None
        for pane_id in ("assets", "actors", "quotes", "timeline", "claims"):
            pane: Narrowable = self.pane(pane_id)  # type: ignore[assignment]
            pane.narrow(None if pane_id == own_pane else refs, name)
        if ref is not None and ref.kind == "location":
            self.pane("map").select(ref.id)  # type: ignore[attr-defined]
        self.reader.set_focus_ref(ref)
        self.update_focus_bar(refs)
        self.refresh_bindings()

    def update_focus_bar(self, refs: set[EntityRef] | None) -> None:
        bar = self.query_one("#focus-bar", Static)
        ref = self.focus_ref
        bar.display = ref is not None
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

    def action_clear_focus(self) -> None:
        self.set_entity_focus(None)

    def action_step_mention(self, step: int) -> None:
        reader = self.reader
        section = reader.step_mention(step)
        if section is not None:
            nav = self.nav
            nav.highlighted = nav.get_option_index(section.id)
            reader.show_section(section)
