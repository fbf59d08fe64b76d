"""The claims view: every attributed statement with its source, single-source ones flagged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content

from briefing.analysis.claims import Claim, claims, single_source_share
from briefing.analysis.describe import PRECISION_GLYPH, date_mark, grading_short, link_mark, marks_legend, when_date
from briefing.analysis.index import BriefingIndex, EntityRef
from briefing.app.navigation import navigator
from briefing.app.review_state import target_of
from briefing.app.widgets.entity_pane import ENTITY_PANE_BINDINGS, EntityPaneActions, focus_entity, narrowed_title
from briefing.app.widgets.entity_table import MARK_STYLE, column_width, marked
from briefing.app.widgets.row_table import MARKS_STYLE, Cell, RowTable

TITLE = "Claims"


class ClaimsPane(EntityPaneActions, RowTable[Claim]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *ENTITY_PANE_BINDINGS,
        Binding("g", "scroll_top", "First", show=False),
        Binding("G", "scroll_bottom", "Last", show=False),
    ]

    # Date: ``◐ 2024-12-19/20`` and its basis mark (``†`` outside reporting, ``‡`` the editor's).
    COLUMNS = (("Date", 16), ("Claim", 51), ("Source", 10), ("Rests on", 10), ("Grade", 5), ("Section", 24))

    def __init__(self, index: BriefingIndex, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.index = index
        self.all_claims: list[Claim] = []
        self.border_title = TITLE

    def on_mount(self) -> None:
        # Gathered when the pane is mounted (a frame after the headline), not
        # when the screen is composed: a large briefing has thousands.
        self.all_claims = claims(self.index)
        single, total = single_source_share(self.all_claims)
        legend = marks_legend(
            mark for claim in self.all_claims for mark in (date_mark(claim.when), link_mark(claim.sources_link))
        )
        self.border_subtitle = f"{single} of {total} rest on one source" + (f" · {legend}" if legend else "")
        self.set_rows(self.all_claims)

    def cells(self, claim: Claim) -> Sequence[Cell]:
        sources = ", ".join(self.index.actor_short_name(s) for s in claim.sources)
        rests = (
            Content.styled("one source", "bold ansi_yellow") if claim.single_source else f"{len(claim.sources)} sources"
        )
        when = claim.when
        date: Cell = (
            Content.assemble(f"{PRECISION_GLYPH[when.precision]} {when_date(when)}", (date_mark(when), MARK_STYLE))
            if when
            else "undated"
        )
        return (
            date,
            claim.text,
            marked(sources, link_mark(claim.sources_link), column_width(self.COLUMNS, "Source")),
            rests,
            self.grade_cell(claim),
            self.index.section_title(claim.section_id),
        )

    def grade_cell(self, claim: Claim) -> Cell:
        """The editor's grading, and the analyst's own after it when there is one (``–·B3``): never instead."""
        editor = grading_short(claim.grading) or "–"
        state = navigator(self.app).loaded_review_state
        mine = state.grading_of(target_of(state.key, claim.ref)) if state is not None else None
        if mine is None or not (mine.reliability or mine.credibility):
            return editor
        yours = f"{mine.reliability or '-'}{mine.credibility or '-'}"
        return Content.assemble(editor, ("·", "$text-muted"), (yours, MARKS_STYLE))

    def item_marks(self, claim: Claim) -> str:
        """The analyst's flags and notes on what the claim is (a quote, an event, an asset)."""
        state = navigator(self.app).loaded_review_state
        return state.marks(claim.ref.kind, claim.ref.id) if state is not None else ""

    def narrow(self, refs: set[EntityRef] | None, focus_name: str | None = None) -> None:
        shown = [c for c in self.all_claims if refs is None or c.ref in refs]
        self.set_rows(shown)
        self.border_title = narrowed_title(
            TITLE, len(shown), len(self.all_claims), focus_name if refs is not None else None
        )

    @property
    def selected(self) -> EntityRef | None:
        claim = self.cursor_item
        return claim.ref if claim is not None else None

    def on_row_table_selected(self, event: RowTable.Selected) -> None:
        # A click on the cursor's row opens it, like Enter.
        event.stop()
        self.action_open()

    def action_focus_entity(self) -> None:
        # A claim is focused on whoever it rests on.
        claim = self.cursor_item
        focus_entity(self, self.index, EntityRef("actor", claim.sources[0]) if claim else None)
