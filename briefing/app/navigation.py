"""What screens, widgets and the command palette ask of the reader: one typed interface.

They move the reader (open an entity, show a section, focus on something)
through ``Navigator`` rather than by importing the app module, which imports
them: no import cycle, and every call is checked by mypy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from textual.app import App

    from briefing.analysis.index import BriefingIndex, Entity, EntityRef
    from briefing.app.review_state import ReviewState
    from briefing.library.catalog import BriefingEntry, Library
    from briefing.library.search_index import Hit
    from briefing.storage.review import ReviewStore


class Navigator(Protocol):
    @property
    def loaded(self) -> bool: ...

    @property
    def index(self) -> BriefingIndex: ...

    @property
    def review(self) -> ReviewStore: ...

    @property
    def review_state(self) -> ReviewState: ...

    @property
    def loaded_review_state(self) -> ReviewState | None: ...

    # The open briefing's name in the review store.
    briefing_key: str

    @property
    def library(self) -> Library | None: ...

    async def open_library_briefing(
        self, entry: BriefingEntry, hit: Hit | None, *, entity: Entity | None = None
    ) -> None: ...

    async def show_section(self, section_id: str) -> None: ...

    async def focus_pane(self, pane_id: str) -> None: ...

    async def open_entity(self, ref: EntityRef) -> None: ...

    async def focus_on(self, ref: EntityRef | None) -> None: ...

    def action_caveats(self) -> None: ...

    # Whether Export… is offered (not over SSH).
    can_export: bool

    def action_export(self) -> None: ...

    def action_help(self) -> None: ...


def navigator(app: App[object]) -> Navigator:
    """``app`` as the reader (BriefingApp is the only app that runs these screens and widgets)."""
    return cast("Navigator", app)
