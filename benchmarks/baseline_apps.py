"""Minimal Textual apps the reader's keypresses are compared with.

* ``MinimalTableApp``: one ``DataTable`` holding the same rows and columns as
  the reader's assets table, with the same size on screen (so the same number
  of rows is visible and rendered), row cursor and zebra stripes, and the
  reader's extra keys (``j``/``k``/``g``/``G``) bound to the same DataTable
  actions.
* ``MinimalSectionsApp``: one ``Static`` with the same size as the reader
  pane; ``]`` and ``[`` replace its text with the next or previous section's.

Used in-process by ``benchmarks/keys.py`` (Pilot) and in tmux by
``benchmarks/run.py``:

    python benchmarks/baseline_apps.py SPEC.json

where SPEC.json is ``{"kind": "table" | "sections", ...}`` as written by
``spec_json``. Only Textual and Rich are imported.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static


class BaselineTable(DataTable[Text]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_top", "First", show=False),
        Binding("G", "scroll_bottom", "Last", show=False),
    ]


class MinimalTableApp(App[None]):
    def __init__(
        self,
        columns: Sequence[tuple[str, int | None]],
        rows: Sequence[Sequence[Text | str]],
        keys: Sequence[str],
        size: tuple[int, int],
    ) -> None:
        super().__init__()
        self.columns = columns
        self.rows = rows
        self.keys = keys
        self.table_size = size

    def compose(self) -> ComposeResult:
        table = BaselineTable(cursor_type="row", zebra_stripes=True)
        table.styles.width, table.styles.height = self.table_size
        table.styles.border = ("round", "#6e6e6e")
        yield table

    def on_mount(self) -> None:
        table = self.query_one(BaselineTable)
        for label, width in self.columns:
            table.add_column(Text(label), width=width)
        for cells, key in zip(self.rows, self.keys, strict=True):
            table.add_row(
                *(
                    cell.copy() if isinstance(cell, Text) else Text(cell, no_wrap=True, overflow="ellipsis")
                    for cell in cells
                ),
                key=key,
            )


class MinimalSectionsApp(App[None]):
    """One Static; ``]`` / ``[`` replace its text.

    ``scroll=False`` (the issue's baseline): the Static itself has the reader's
    size. ``scroll=True``: the Static sits in a ``VerticalScroll`` of that size,
    as any reader of long sections must, so its height follows its text.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "step(-1)", "Previous section", key_display="["),
        Binding("right_square_bracket", "step(1)", "Next section", key_display="]"),
    ]

    def __init__(self, texts: Sequence[str], size: tuple[int, int], *, scroll: bool = False) -> None:
        super().__init__()
        self.texts = texts
        self.number = 0
        self.static_size = size
        self.scroll = scroll

    def compose(self) -> ComposeResult:
        static = Static(self.texts[0], markup=False, id="text")
        box = VerticalScroll(static) if self.scroll else static
        box.styles.width, box.styles.height = self.static_size
        box.styles.border = ("round", "#6e6e6e")
        box.styles.padding = (0, 1)
        yield box

    def action_step(self, step: int) -> None:
        self.number = min(max(self.number + step, 0), len(self.texts) - 1)
        self.query_one("#text", Static).update(self.texts[self.number])
        if self.scroll:
            self.query_one(VerticalScroll).scroll_home(animate=False)


def spec_json(kind: str, **fields: Any) -> str:
    """A spec for the command line: rows as plain strings."""

    def plain(value: Any) -> Any:
        if isinstance(value, Text):
            return value.plain
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    return json.dumps({"kind": kind, **{k: plain(v) for k, v in fields.items()}})


def app_from_spec(spec: dict[str, Any]) -> App[None]:
    if spec["kind"] == "table":
        return MinimalTableApp([tuple(c) for c in spec["columns"]], spec["rows"], spec["keys"], tuple(spec["size"]))
    if spec["kind"] == "sections":
        return MinimalSectionsApp(spec["texts"], tuple(spec["size"]), scroll=spec.get("scroll", False))
    raise ValueError(spec["kind"])


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as stream:
        app_from_spec(json.load(stream)).run()
