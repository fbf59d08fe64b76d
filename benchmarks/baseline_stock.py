"""The complete-screen baseline: the reader's main screen built from stock Textual widgets.

    python benchmarks/baseline_stock.py BRIEFING.toml

Reads the briefing with ``tomllib`` (no msgspec, no cache, no checks) and
shows what the reader's main screen shows at start: the headline and its
line of metadata (Static), the section titles (OptionList), the lede
(Static), the six panes as tabs (TabbedContent: DataTables for the assets,
actors, timeline and claims, an OptionList of quotes, a Static for the map)
and the key hints (Footer). Only Textual and the standard library are
imported; the cells are worded simply (the product's wording functions are
the product's).
"""

from __future__ import annotations

import sys
import tomllib
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, OptionList, Static, TabbedContent, TabPane


def title(section: dict[str, Any]) -> str:
    return str(section.get("title") or "Lede")


def names(ids: list[str], table: dict[str, dict[str, Any]]) -> str:
    return ", ".join(str(table[i]["name"]) for i in ids if i in table)


class StockBriefingApp(App[None]):
    CSS = """
    #meta { height: 2; background: $panel; padding: 0 1; }
    #top { height: 1fr; }
    #sections { width: 28; height: 1fr; border: round $panel-lighten-2; }
    #lede { width: 1fr; height: 1fr; border: round $panel-lighten-2; padding: 0 1; }
    TabbedContent { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("c", "caveats", "Caveats"),
        Binding("z", "zoom", "Zoom"),
    ]

    def __init__(self, document: dict[str, Any]) -> None:
        super().__init__()
        self.document = document

    def compose(self) -> ComposeResult:
        meta = self.document["meta"]
        sections = self.document["sections"]
        locations = {item["id"]: item for item in self.document.get("locations", [])}
        actors = {item["id"]: item for item in self.document.get("actors", [])}
        yield Static(f"{meta['headline']}\nOutlet: not stated · Date: not stated", id="meta", markup=False)
        with Horizontal(id="top"):
            yield OptionList(*(title(section) for section in sections), id="sections")
            lede = Static("\n\n".join(sections[0].get("paragraphs", [])), id="lede", markup=False)
            lede.border_title = f"{title(sections[0])} · 1/{len(sections)}"
            yield lede
        with TabbedContent():
            with TabPane("Assets"):
                assets: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True)
                for label, width in (
                    ("Name", 24),
                    ("Kind", 12),
                    ("Count", 6),
                    ("Status", 30),
                    ("Location", 18),
                    ("Source", 16),
                ):
                    assets.add_column(label, width=width)
                for asset in self.document.get("assets", []):
                    assets.add_row(
                        asset["name"],
                        asset["kind"].replace("_", " "),
                        str(asset.get("count", {}).get("value", "")),
                        asset.get("status", ""),
                        locations.get(asset.get("location"), {}).get("name", ""),
                        names(asset.get("reported_by", []), actors),
                    )
                yield assets
            with TabPane("Actors"):
                table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True)
                for label, width in (("Name", 26), ("Kind", 16), ("Role (editor)", 56), ("Affiliation", 16)):
                    table.add_column(label, width=width)
                for actor in actors.values():
                    table.add_row(actor["name"], actor["kind"], actor.get("role", ""), actor.get("affiliation", ""))
                yield table
            with TabPane("Quotes"):
                yield OptionList(*(f"“{quote['text']}”" for quote in self.document.get("quotes", [])))
            with TabPane("Timeline"):
                events: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True)
                for label, width in (("Date", 13), ("Precision", 11), ("What", 48), ("Where", 18)):
                    events.add_column(label, width=width)
                for event in self.document.get("events", []):
                    when = event["when"]
                    events.add_row(str(when["date"]), when["precision"], event["what"], event.get("where", ""))
                yield events
            with TabPane("Map"):
                yield Static("\n".join(place["name"] for place in locations.values()), markup=False)
            with TabPane("Claims"):
                claims: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True)
                for label, width in (("Claim", 52), ("Source", 10)):
                    claims.add_column(label, width=width)
                for quote in self.document.get("quotes", []):
                    claims.add_row(quote["text"], quote["speaker"])
                yield claims
        yield Footer()


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as stream:
        StockBriefingApp(tomllib.load(stream)).run()
