"""The claims view: every attributed statement with its source, single-source ones flagged."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from briefing.analysis.claims import Claim, claims, single_source_share
from briefing.analysis.describe import grading_short, when_glyph
from briefing.analysis.index import BriefingIndex, EntityRef
from briefing.app.widgets.entity_pane import ENTITY_PANE_BINDINGS, EntityPaneActions, focus_entity, narrowed_title
from briefing.app.widgets.fixed_table import FixedWidthTable

TITLE = "Claims"


class ClaimsPane(EntityPaneActions, FixedWidthTable):
    BINDINGS: ClassVar[list[BindingType]] = [
        *ENTITY_PANE_BINDINGS,
        Binding("g", "scroll_top", "First", show=False),
        Binding("G", "scroll_bottom", "Last", show=False),
    ]

    COLUMNS = (("Date", 15), ("Claim", 52), ("Source", 10), ("Rests on", 10), ("Grade", 5), ("Section", 24))

    def __init__(self, index: BriefingIndex, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.index = index
        self.all_claims = claims(index)
        self.shown: list[Claim] = []
        single, total = single_source_share(self.all_claims)
        self.border_title = TITLE
        self.border_subtitle = f"{single} of {total} rest on one source"

    def on_mount(self) -> None:
        for label, width in self.COLUMNS:
            self.add_column(Text(label), width=width)
        self.show_claims(self.all_claims)

    def show_claims(self, shown: list[Claim]) -> None:
        self.shown = shown
        for number, claim in enumerate(shown):
            sources = ", ".join(self.index.actor_short_name(s) for s in claim.sources)
            rests = (
                Text("one source", style="bold yellow")
                if claim.single_source
                else Text(f"{len(claim.sources)} sources")
            )
            grade = grading_short(claim.grading) or "–"
            self.add_row(
                Text(when_glyph(claim.when), no_wrap=True, overflow="ellipsis"),
                Text(claim.text, no_wrap=True, overflow="ellipsis"),
                Text(sources, no_wrap=True, overflow="ellipsis"),
                rests,
                Text(grade),
                Text(self.index.section_title(claim.section_id), no_wrap=True, overflow="ellipsis"),
                key=str(number),
            )

    def narrow(self, refs: set[EntityRef] | None, focus_name: str | None = None) -> None:
        shown = [c for c in self.all_claims if refs is None or c.ref in refs]
        self.clear()
        self.show_claims(shown)
        self.border_title = narrowed_title(
            TITLE, len(shown), len(self.all_claims), focus_name if refs is not None else None
        )

    @property
    def selected(self) -> EntityRef | None:
        if not self.row_count:
            return None
        return self.shown[self.cursor_row].ref

    @property
    def selected_claim(self) -> Claim | None:
        return self.shown[self.cursor_row] if self.row_count else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # A click on the highlighted row opens it, like Enter.
        event.stop()
        self.action_open()

    def action_focus_entity(self) -> None:
        # A claim is focused on whoever it rests on.
        claim = self.selected_claim
        focus_entity(self, self.index, EntityRef("actor", claim.sources[0]) if claim else None)
