"""The JSON Schema shipped for editors matches the model and accepts the content."""

from __future__ import annotations

import json
import tomllib

from briefing.format.schema import SCHEMA_PATH, build_schema
from briefing.storage.paths import default_briefing_path


def same_words(node):
    """The schema with each description's whitespace collapsed: what it says, not how it is wrapped."""
    if isinstance(node, list):
        return [same_words(item) for item in node]
    if isinstance(node, dict):
        return {
            key: " ".join(value.split()) if key == "description" and isinstance(value, str) else same_words(value)
            for key, value in node.items()
        }
    return node


def test_shipped_schema_is_current():
    shipped = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert same_words(shipped) == same_words(build_schema()), "run `python -m briefing.format.schema` to regenerate"


def test_descriptions_are_clean_text():
    """Docstrings come out without their source indentation, whatever msgspec does with them."""
    grading = build_schema()["$defs"]["Grading"]["description"]
    assert grading.startswith("A source grading on the NATO / Admiralty scale")
    assert "\n    " not in grading
    assert "\nAlways the content editor's judgement" in grading


def test_shipped_schema_words_differ_when_the_model_changes():
    """The comparison above is not blind: a changed word is a difference."""
    schema = build_schema()
    changed = json.loads(json.dumps(schema).replace("STANAG 2511", "STANAG 2512"))
    assert same_words(changed) != same_words(schema)


def test_schema_describes_the_format():
    schema = build_schema()
    root = schema["$defs"]["Briefing"]
    assert root["properties"]["format"]["const"] == 1
    assert root["additionalProperties"] is False
    assert set(root["required"]) == {"format", "meta", "sections"}
    actor_kinds = schema["$defs"]["Actor"]["properties"]["kind"]["enum"]
    assert "intelligence_agency" in actor_kinds and "think_tank" in actor_kinds
    # TOML has no null: optional keys are absent, never null.
    assert '"null"' not in json.dumps(schema)


def test_sparta_keys_are_all_in_the_schema():
    """Every key used by the bundled briefing is a property the schema allows."""
    schema = build_schema()
    defs = schema["$defs"]
    document = tomllib.loads(default_briefing_path().read_text(encoding="utf-8"))

    def allowed(definition):
        if "$ref" in definition:
            return allowed(defs[definition["$ref"].split("/")[-1]])
        if "anyOf" in definition:
            keys = set()
            for option in definition["anyOf"]:
                keys |= allowed(option)
            return keys
        return set(definition.get("properties", {}))

    def check(value, definition):
        if "$ref" in definition:
            return check(value, defs[definition["$ref"].split("/")[-1]])
        if isinstance(value, dict) and "propertyNames" in definition:
            # A table of named entries (`links`): the names the schema allows, each entry checked.
            assert set(value) <= set(definition["propertyNames"]["enum"]), set(value)
            for item in value.values():
                check(item, definition["additionalProperties"])
        elif isinstance(value, dict):
            keys = allowed(definition)
            assert set(value) <= keys, set(value) - keys
            for key, item in value.items():
                options = [d for d in definition.get("anyOf", [definition]) if "properties" in d or "$ref" in d]
                for option in options:
                    resolved = defs[option["$ref"].split("/")[-1]] if "$ref" in option else option
                    if key in resolved.get("properties", {}):
                        check(item, resolved["properties"][key])
                        break
        elif isinstance(value, list) and "items" in definition:
            for item in value:
                check(item, definition["items"])

    check(document, schema)
