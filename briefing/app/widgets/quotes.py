"""The quoted-analysis pane: who said what, when, and in what words."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.app.widgets.entity_pane import (
    ENTITY_PANE_BINDINGS,
    copy_entity,
    focus_entity,
    narrowed_title,
    open_entity,
)
from briefing.app.widgets.messages import EntityHighlighted
from briefing.describe import grading_short, when_short
from briefing.index import BriefingIndex, EntityRef
from briefing.model import Quote

TITLE = "Quoted analysis"


class QuotesPane(OptionList):
    """One entry per quote: the words, then speaker, date and context."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *ENTITY_PANE_BINDINGS,
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    def __init__(self, index: BriefingIndex, *, id: str | None = None) -> None:
        self.index = index
        super().__init__(*self.build_options(index.briefing.quotes), id=id)
        self.border_title = TITLE

    def build_options(self, quotes: list[Quote]) -> list[Option | None]:
        options: list[Option | None] = []
        for quote in quotes:
            if options:
                options.append(None)  # a rule between quotes
            options.append(Option(self.prompt(quote), id=quote.id))
        return options

    def prompt(self, quote: Quote) -> Content:
        speaker = self.index.actor_name(quote.speaker)
        short = self.index.actor_short_name(quote.speaker)
        details = [speaker if short == speaker else f"{speaker} ({short})"]
        if quote.when:
            details.append(when_short(quote.when))
        if quote.grading:
            details.append(f"graded {grading_short(quote.grading)} by the editor")
        if quote.context:
            details.append(quote.context)
        return Content.assemble((f"“{quote.text}”", "italic"), "\n", ("— " + " · ".join(details), "$text-muted"))

    def narrow(self, refs: set[EntityRef] | None, focus_name: str | None = None) -> None:
        everything = self.index.briefing.quotes
        shown = [q for q in everything if refs is None or EntityRef("quote", q.id) in refs]
        keep = self.selected
        self.set_options(self.build_options(shown))
        if keep is None or not self.select(keep.id):
            self.highlighted = 0 if shown else None
        self.border_title = narrowed_title(TITLE, len(shown), len(everything), focus_name if refs is not None else None)

    @property
    def selected(self) -> EntityRef | None:
        if self.highlighted is None or not self.option_count:
            return None
        option_id = self.get_option_at_index(self.highlighted).id
        return EntityRef("quote", option_id) if option_id else None

    def select(self, quote_id: str) -> bool:
        try:
            self.highlighted = self.get_option_index(quote_id)
        except Exception:
            return False
        return True

    def action_open(self) -> None:
        open_entity(self, self.selected)

    def action_details(self) -> None:
        open_entity(self, self.selected)

    def action_focus_entity(self) -> None:
        focus_entity(self, self.index, self.selected)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # A mouse click on a quote opens it, like Enter.
        event.stop()
        self.action_open()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.post_message(EntityHighlighted(self.selected))

    def action_copy(self) -> None:
        copy_entity(self, self.index, self.selected)
