"""The quotes pane: who said what, when, and in what words."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets.option_list import Option

from briefing.analysis.describe import date_mark, grading_short, marks_legend, when_marked
from briefing.analysis.index import BriefingIndex, EntityRef
from briefing.app.widgets.entity_pane import ENTITY_PANE_BINDINGS, EntityOptionList, narrowed_title
from briefing.format.kinds import QUOTE
from briefing.format.model import Quote

TITLE = QUOTE.title


class QuotesPane(EntityOptionList):
    """One entry per quote: the words, then speaker, date and context."""

    KIND = "quote"

    BINDINGS: ClassVar[list[BindingType]] = [
        *ENTITY_PANE_BINDINGS,
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    def __init__(self, index: BriefingIndex, *, id: str | None = None) -> None:
        self.index = index
        super().__init__(id=id)
        self.border_title = TITLE

    def on_mount(self) -> None:
        # Built when the pane is mounted (a frame after the headline), not when the screen is composed.
        quotes = self.index.briefing.quotes
        legend = marks_legend(date_mark(quote.when) for quote in quotes)
        if legend:
            self.border_subtitle = f"dates: {legend}"
        self.add_options(self.build_options(quotes))
        if self.option_count:
            self.highlighted = 0

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
            details.append(when_marked(quote.when))
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
        self.refresh_marks()
        if keep is None or not self.select(keep.id):
            self.highlighted = 0 if shown else None
        self.border_title = narrowed_title(TITLE, len(shown), len(everything), focus_name if refs is not None else None)
