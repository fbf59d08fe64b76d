"""The panes of the main screen, declared once: id, number key, name, and the kind of entity each lists."""

from __future__ import annotations

from typing import NamedTuple

from briefing.analysis.index import EntityKind


class Pane(NamedTuple):
    id: str
    key: str
    name: str
    # The kind of entity the pane lists, where it lists one.
    kind: EntityKind | None = None


# In focus order (Tab / Shift+Tab).
PANES: tuple[Pane, ...] = (
    Pane("sections", "1", "Sections"),
    Pane("reader", "2", "Reader"),
    Pane("assets", "3", "Assets", "asset"),
    Pane("actors", "4", "Actors", "actor"),
    Pane("quotes", "5", "Quotes", "quote"),
    Pane("timeline", "6", "Timeline", "event"),
    Pane("map", "7", "Map", "location"),
    Pane("claims", "8", "Claims"),
)
PANE_KEYS: dict[str, str] = {pane.id: pane.key for pane in PANES}
PANE_NAMES: dict[str, str] = {pane.id: pane.name for pane in PANES}
PANE_OF_KIND: dict[EntityKind, str] = {pane.kind: pane.id for pane in PANES if pane.kind is not None}
