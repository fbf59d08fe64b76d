"""The JSON Schema of the briefing format, generated from the model.

Editors that validate TOML against a JSON Schema (Taplo, Even Better TOML)
use the shipped ``briefing.schema.json``; a test keeps it equal to what this
module generates. Regenerate with ``python -m briefing.format.schema``.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import msgspec

from briefing.format.kinds import ENTITY_KINDS
from briefing.format.model import FORMAT_VERSION, Briefing

# Shipped at the top of the package, where editors are pointed at it (docs/format.md).
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "briefing.schema.json"
SCHEMA_ID = "urn:briefing:format:1"


def build_schema() -> dict[str, Any]:
    schema = _drop_null(msgspec.json.schema(Briefing))
    root = schema["$defs"]["Briefing"]
    root["properties"]["format"] = {
        "const": FORMAT_VERSION,
        "description": "Version of the briefing format this file is written in.",
    }
    # A `links` key names one of the entry's references (the registry's list), so editors can offer them.
    for kind in ENTITY_KINDS:
        links = schema["$defs"][kind.label]["properties"].get("links")
        if links is not None:
            links["propertyNames"] = {"enum": [reference.field for reference in kind.references]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"Briefing (format {FORMAT_VERSION})",
        "description": "A news or intelligence article as structured data. See docs/format.md.",
        **schema,
    }


def _drop_null(node: Any) -> Any:
    """TOML has no null: an optional key is simply left out.

    Descriptions are the model's docstrings; each is cleaned here
    (``inspect.cleandoc``), not left to msgspec, whose releases differ on it.
    """
    if isinstance(node, list):
        return [_drop_null(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {k: _drop_null(v) for k, v in node.items() if not (k == "default" and v is None)}
    if isinstance(node.get("description"), str):
        node["description"] = inspect.cleandoc(node["description"])
    options = node.get("anyOf")
    if options:
        kept = [option for option in options if option != {"type": "null"}]
        if len(kept) == 1:
            del node["anyOf"]
            node.update(kept[0])
        else:
            node["anyOf"] = kept
    return node


def schema_text() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    print(SCHEMA_PATH)
