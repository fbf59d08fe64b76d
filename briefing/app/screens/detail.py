"""The detail view: every field of one entity and everything it is linked to."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from briefing.analysis.describe import (
    MARKS_LONG,
    entity_fields,
    entity_marks,
    label,
    link_basis,
    link_mark,
    note_text,
    provenance,
)
from briefing.analysis.focus import focus_target
from briefing.analysis.index import BriefingIndex, EntityRef, Link, outgoing
from briefing.app.navigation import navigator
from briefing.app.review_state import target_of
from briefing.app.screens import review_actions
from briefing.app.screens.grade import grade_label
from briefing.app.screens.note_editor import visible
from briefing.app.screens.notes import when_text
from briefing.app.widgets.entity_pane import copy_entity
from briefing.format.kinds import KIND, link_of
from briefing.format.model import Asset, Quote
from briefing.format.safetext import one_line
from briefing.library.catalog import BriefingEntry, SearchUnavailable
from briefing.storage.review import FLAGS, Target


class LinksList(OptionList):
    """Everything the entity refers to, then everything that refers to it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open link", tooltip="Open the linked entry or section"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]


class FieldsView(VerticalScroll, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Scroll down", show=False),
        Binding("k", "scroll_up", "Scroll up", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
    ]


class EntityScreen(Screen[None]):
    CSS_PATH = "detail.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to where you came from"),
        Binding("backspace,b", "back", "Back", show=False),
        Binding("y", "copy", "Copy", tooltip="Copy this entry with its attribution"),
        Binding("f", "focus_entity", "Focus", tooltip="Back to the main screen with this in focus"),
        Binding("tab", "app.focus_next", "Next area", show=False),
        Binding("shift+tab", "app.focus_previous", "Previous area", show=False),
        *review_actions.REVIEW_BINDINGS,
    ]

    def __init__(self, index: BriefingIndex, ref: EntityRef) -> None:
        super().__init__()
        self.index = index
        self.ref = ref
        entity = index.get(ref)
        assert entity is not None, ref
        self.entity = entity
        # What each link option opens, by option index: an entity or a section id.
        self.targets: list[EntityRef | str | BriefingEntry] = []

    def compose(self) -> ComposeResult:
        kind = KIND[self.ref.kind].label
        name = self.index.name_of(self.ref)
        # The other briefings of the library with this entry: counted in the title, linked below.
        self.elsewhere = self._elsewhere()
        title: list[str | tuple[str, str]] = [(f"{kind} · ", "$text-muted"), (name, "bold")]
        if self.elsewhere:
            count = len(self.elsewhere) + 1
            title.append((f" · in {count} briefings of the library (⧉ below)", "$accent"))
        yield Static(Content.assemble(*title), id="detail-title")
        with FieldsView(id="fields") as fields:
            # Among many briefings, which one this entry is from.
            headline = self.index.briefing.meta.headline
            fields.border_title = f"Details · {one_line(headline)}" if navigator(self.app).library else "Details"
            yield Static(self.fields_content(), id="fields-text")
        links = LinksList(*self.link_options(), id="links")
        links.border_title = "Links (Enter opens)"
        yield links
        yield Footer()

    def on_mount(self) -> None:
        links = self.query_one(LinksList)
        if links.option_count:
            links.highlighted = 0
            links.focus()
        else:
            self.query_one(FieldsView).focus()

    def fields_content(self) -> Content:
        parts: list[str | tuple[str, str]] = []
        entity = self.entity
        if isinstance(entity, Quote):
            parts += [(f"“{entity.text}”", "italic"), "\n\n"]
        for name, value in entity_fields(entity, self.index):
            style = "italic $warning" if "(editor)" in name else ""
            parts += [(f"{name}: ", "bold"), (value, style), "\n"]
        trail = provenance(entity, self.index)
        if trail:
            parts += ["\n", ("Provenance", "bold"), "\n"]
            for name, value in trail:
                style = "bold $warning" if name == "Rests on" else "italic $warning" if name == "Grading" else ""
                parts += [(f"  {name}: ", "bold"), (value, style), "\n"]
        if isinstance(entity, Asset) and entity.evidence:
            parts += ["\n", ("Evidence (the article’s words)", "bold"), "\n"]
            for line in entity.evidence:
                parts += ["  “", line, "”\n"]
        if entity.notes:
            parts += ["\n", ("Notes (not the article’s words)", "bold"), "\n"]
            for note in entity.notes:
                parts += ["  • ", (note_text(note), "italic $warning"), "\n"]
        parts += self.review_parts()
        marks = entity_marks(entity, self.index)
        if marks:
            # What the marks the panes give this entry mean, beside the words above that say it in full.
            parts += ["\n", ("Marks in the tables", "bold"), "\n"]
            for mark, meaning in MARKS_LONG.items():
                if mark in marks:
                    parts += ["  ", (mark, "bold $warning"), f" {meaning}", "\n"]
        return Content.assemble(*parts).rstrip()

    def review_parts(self) -> list[str | tuple[str, str]]:
        """The analyst's own flags, grading and notes on this entry, apart from the briefing's."""
        state = navigator(self.app).review_state
        target = self.target
        flags = state.flags_of(target)
        grading = state.grading_of(target)
        notes = state.notes_of(target)
        if not (flags or grading or notes):
            return []
        parts: list[str | tuple[str, str]] = ["\n", ("Your review (not the briefing’s)", "bold"), "\n"]
        if flags:
            names = ", ".join(f"{flag.mark} {flag.label}" for flag in FLAGS if flag.name in flags)
            parts += [("  Flags: ", "bold"), (names, "$accent"), "\n"]
        if grading is not None and (grading.reliability or grading.credibility):
            parts += [("  Your grading: ", "bold"), (grade_label(grading.reliability, grading.credibility), "$accent")]
            parts += [(f"  ({when_text(grading.updated)})", "$text-muted"), "\n"]
        for note in notes:
            parts += [("  ✎ ", "$accent"), (when_text(note.updated), "$text-muted"), "\n"]
            parts += [("    " + visible(note.body).replace("\n", "\n    "), "italic"), "\n"]
        return parts

    @property
    def target(self) -> Target:
        return target_of(navigator(self.app).briefing_key, self.ref)

    def refresh_fields(self) -> None:
        self.query_one("#fields-text", Static).update(self.fields_content())

    def action_toggle_flag(self, flag: str) -> None:
        review_actions.toggle_flag(self, self.target, flag, self.index.name_of(self.ref))
        self.refresh_fields()

    def action_note(self) -> None:
        review_actions.write_note(self, self.target, self.what, after=self.refresh_fields)

    def action_grade(self) -> None:
        editor = getattr(self.entity, "grading", None)
        review_actions.grade(self, self.target, self.what, editor, after=self.refresh_fields)

    @property
    def what(self) -> str:
        return f"{KIND[self.ref.kind].label}: {self.index.name_of(self.ref)}"

    def link_options(self) -> list[Option]:
        options: list[Option] = []
        for link in outgoing(self.entity):
            if self.index.get(link.target) is not None:
                options.append(self._option("→", link.outgoing_label, link.target, link))
        for link in self.index.incoming(self.ref):
            options.append(self._option("←", link.incoming_label, link.source, link))
        for section_id in self._sections():
            title = self.index.section_title(section_id)
            prompt = Content.assemble(("¶ ", "$accent"), ("Appears in section: ", "bold"), title)
            self.targets.append(section_id)
            options.append(Option(prompt))
        for entry in self.elsewhere:
            prompt = Content.assemble(
                ("⧉ ", "$accent"),
                ("Also in: ", "bold"),
                one_line(entry.headline or entry.key),
                (f"  ({entry.published.isoformat()})" if entry.published else "", "$text-muted"),
            )
            self.targets.append(entry)
            options.append(Option(prompt))
        return options

    def _elsewhere(self) -> list[BriefingEntry]:
        """The other briefings of the library with this asset, actor or place (same id, name or alias)."""
        library = navigator(self.app).library
        names = getattr(self.entity, "aliases", None)
        if library is None or names is None:
            return []
        name = getattr(self.entity, "name", "")
        key = navigator(self.app).briefing_key
        try:
            found = library.appearances(self.ref.kind, self.ref.id, name, names)
        except SearchUnavailable:
            return []
        return [entry for entry in found if entry.key != key]

    def _option(self, arrow: str, relation: str, ref: EntityRef, link: Link) -> Option:
        entity = self.index.get(ref)
        kind = getattr(entity, "kind", None)
        what = ref.kind + (f", {label(kind)}" if kind else "")
        # How the article knows the link, read from the entry that makes it.
        known = link_of(self.index.get(link.source), link.field)
        basis = link_basis(known)
        prompt = Content.assemble(
            (f"{arrow} ", "$accent"),
            (f"{relation}: ", "bold"),
            self.index.name_of(ref),
            (f" {link_mark(known)} {basis}" if basis else "", "italic $warning"),
            (f"  ({what})", "$text-muted"),
        )
        self.targets.append(ref)
        return Option(prompt)

    def _sections(self) -> list[str]:
        section = getattr(self.entity, "section", None)
        return [section] if section else []

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        target = self.targets[event.option_index]
        if isinstance(target, EntityRef):
            await navigator(self.app).open_entity(target)
        elif isinstance(target, str):
            await navigator(self.app).show_section(target)
        else:
            await navigator(self.app).open_library_briefing(target, None, entity=self.entity)

    def action_back(self) -> None:
        self.dismiss()

    def action_copy(self) -> None:
        copy_entity(self, self.index, self.ref)

    async def action_focus_entity(self) -> None:
        target = focus_target(self.index, self.ref)
        if target is None:
            self.app.bell()
            return
        await navigator(self.app).focus_on(target)
