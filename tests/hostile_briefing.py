"""A valid briefing whose every string a renderer shows is an attack on the page that shows it.

``write_hostile_briefing(path)`` writes it; ``briefing check`` passes it, with
warnings (its sources do not read as citations, its statuses drop hedges): it
is about what the exports make of text, not about what the loader refuses.
Every table of the format is there, and every note, link and date path the
exports print: assets, actors, quotes (found in their paragraphs, so they are
set apart), locations (one placed by the editor, one from outside reporting),
events, links of every basis with the article's hedges, caveats and notes of
both bases.

Each string holds, around a label naming its field (``«headline»``):

* markup that runs or fetches in a browser (``<script>``, ``onerror``, an
  ``<svg onload>`` after a closed attribute, ``<style>@import``), entities,
  ``javascript:`` and ``https:`` URLs, a bare ``www.`` address and an e-mail
  address (which a forge makes links of), Markdown links, images, autolinks,
  reference definitions and footnotes, backslash escapes of its own;
* Markdown that starts a block where it starts a line (``# h``, ``- item``,
  ``1. item``, ``> q``, ``===``, a table row, a fence, a four-space indent),
  each after a line break of its own, and inline Markdown (backticks,
  asterisks, underscores, ``~~``);
* control characters, TOML-escaped (ESC with an OSC title sequence, BEL,
  NUL, DEL, a C1 control, CR), and a right-to-left override.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What runs, fetches or links when a renderer lets it through: each is looked for, as text, in the exports.
MARKUP = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "<iframe src=javascript:alert(1)></iframe>",
    "javascript:alert(1)",
    "https://example.invalid/x.png",
    "www.example.com/w someone@example.com",
    "[link](https://example.invalid)",
    "![img](https://example.invalid/i.png)",
    "<style>@import url(https://example.invalid/s.css)</style>",
    "<https://example.invalid/auto>",
    "[x] [^1]",
    "\\*not emphasis\\* \\<b>",
    "&lt;b&gt;",
    "&amp;",
    "`code` ``x``",
    "*star* **bold** _under_ __dunder__ ~~strike~~",
)
# Markdown that starts a block at the start of a line; each string has them after line breaks, and one first.
LINE_STARTS = (
    "# h",
    "- item",
    "+ item",
    "1. item",
    "2) item",
    "> q",
    "===",
    "---",
    "| a | b |",
    "```",
    "    indented",
    "[x]: https://example.invalid/ref",
    "[^1]: a footnote",
)
# Control and bidi characters, as TOML escapes write them: the loader shows them as stand-ins.
CONTROLS = "\u001b]0;pwned\u0007 \u0000 \u007f \u009b \u202e\r"
# A hostname the page would fetch from, were anything fetched: a test looks for it in every request.
HOST = "example.invalid"


def hostile(label: str, start: int = 0) -> str:
    """A string full of attacks, led by one of the line starts, holding «label» to say which field it is."""
    first = LINE_STARTS[start % len(LINE_STARTS)]
    lines = "".join(f"\n{line} {label}" for line in LINE_STARTS)
    return f"{first} «{label}» {' '.join(MARKUP)}{lines}\r\n\t{CONTROLS}end of {label}"


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes and every control or bidi character escaped."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif code < 0x20 or 0x7F <= code < 0xA0 or 0x2000 <= code < 0x2070:
            out.append(f"\\u{code:04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


# The article's own words that hedge the links: each is in the text of the body below.
HEDGE_LOCATION = "reportedly <script>alert('hedge')</script>"
HEDGE_AFFILIATION = "<img src=x onerror=alert('intended')>"
HEDGE_WITHIN = "`possibly` *within*"
HEDGE_REPORTED = "\"><svg onload=alert('reported')>"
HEDGES = (HEDGE_LOCATION, HEDGE_AFFILIATION, HEDGE_WITHIN, HEDGE_REPORTED)

QUOTE_FIRST = hostile("quote one", 3)
QUOTE_SECOND = hostile("quote two", 5)


def hostile_briefing() -> str:
    """The briefing's TOML text."""
    h = hostile
    s = toml_string
    body = [
        h("body paragraph one", 1) + " " + " ".join(HEDGES),
        h("before the quote", 2) + f" “{QUOTE_FIRST}” " + h("after the quote", 4),
        f"“{QUOTE_SECOND}” " + h("after quote two", 6),
        h("body paragraph three", 9),
    ]
    return f"""\
format = 1

[meta]
headline = {s(h("headline"))}
publication = {s(h("publication", 1))}
author = {s(h("author", 2))}
published = 2024-12-23
url = {s("javascript:alert(document.domain)//https://example.invalid/x.png " + h("url", 3))}
language = {s('en"><script>alert(1)</script>' + h("language"))}
tags = [{s(h("tag one", 4))}, {s(h("tag two", 5))}]

[[meta.caveats]]
text = {s(h("editor caveat", 6))}

[[meta.caveats]]
text = {s(h("external caveat", 7))}
basis = "external"
source = {s(h("caveat source", 8))}

[[sections]]
id = "lede"
kind = "lede"
paragraphs = [{s(h("lede paragraph", 0))}, {s(h("lede paragraph two", 10))}]

[[sections]]
id = "glance"
kind = "glance"
title = {s(h("glance title", 1))}
bullets = [{s(h("bullet one", 2))}, {s(h("bullet two", 3))}]

[[sections]]
id = "body"
kind = "body"
title = {s(h("body title", 4))}
paragraphs = [{", ".join(s(paragraph) for paragraph in body)}]

[[assets]]
id = "ship"
name = {s(h("asset name", 5))}
kind = "ship"
aliases = [{s(h("asset alias", 6))}]
count = {{ value = 3, precision = "approximate", stated = {s(h("count stated", 7))} }}
status = {s(h("asset status", 8))}
location = "port"
owner = "navy"
reported_by = ["agency"]
reported_in = ["sighting"]
evidence = [{s(body[0])}]
grading = {{ reliability = "C", credibility = 3, note = {s(h("grading note", 9))} }}
links.location = {{ basis = "hedged", hedge = {s(HEDGE_LOCATION)} }}
links.owner = {{ basis = "inferred", note = {s(h("owner link note", 10))} }}
links.reported_by = {{ basis = "external", source = {s(h("by source", 0))}, note = {s(h("by note", 1))} }}

[[assets.notes]]
text = {s(h("asset note", 2))}

[[assets.notes]]
text = {s(h("asset external note", 3))}
basis = "external"
source = {s(h("asset note source", 4))}

[[actors]]
id = "navy"
name = {s(h("navy name", 5))}
kind = "military"
aliases = [{s(h("navy alias", 6))}]
role = {s(h("navy role", 7))}
affiliation = "state"
links.affiliation = {{ basis = "intended", hedge = {s(HEDGE_AFFILIATION)} }}

[[actors.notes]]
text = {s(h("navy note", 8))}

[[actors]]
id = "state"
name = {s(h("state name", 9))}
kind = "state"

[[actors]]
id = "agency"
name = {s(h("agency name", 10))}
kind = "intelligence_agency"
role = {s(h("agency role", 0))}

[[quotes]]
id = "first"
speaker = "navy"
text = {s(QUOTE_FIRST)}
section = "body"
context = {s(h("quote context", 1))}
grading = {{ reliability = "B", credibility = 2, note = {s(h("quote grading note", 2))} }}

[quotes.when]
date = 2024-12-20
precision = "inferred"
basis = "external"
stated = {s(h("quote stated", 3))}
source = {s(h("quote date source", 4))}
note = {s(h("quote date note", 5))}

[[quotes.notes]]
text = {s(h("quote note", 6))}

[[quotes]]
id = "second"
speaker = "agency"
text = {s(QUOTE_SECOND)}
section = "body"
when = {{ date = 2024-12-21, precision = "exact", basis = "external", source = {s(h("second date source", 7))} }}

[[locations]]
id = "port"
name = {s(h("port name", 8))}
kind = "port"
aliases = [{s(h("port alias", 9))}]
within = "country"
near = "sea"
links.within = {{ basis = "hedged", hedge = {s(HEDGE_WITHIN)} }}
links.near = {{ basis = "external", source = {s(h("near source", 10))} }}

[locations.position]
lat = 38.7
lon = -9.1
precision = "approximate"
basis = "editor"
uncertainty_km = 50
note = {s(h("position note", 0))}

[[locations.notes]]
text = {s(h("port note", 1))}

[[locations]]
id = "country"
name = {s(h("country name", 2))}
kind = "country"
position = {{ lat = 39.5, lon = -8.0, precision = "approximate", basis = "external", source = {s(h("source", 3))} }}

[[locations]]
id = "sea"
name = {s(h("sea name", 4))}
kind = "sea_area"

[[events]]
id = "sighting"
what = {s(h("event what", 5))}
where = "sea"
actors = ["navy"]
reported_by = ["agency"]
section = "body"
grading = {{ reliability = "D", credibility = 4, note = {s(h("event grading note", 6))} }}
links.where = {{ basis = "inferred", note = {s(h("where note", 7))} }}
links.actors = {{ basis = "external", source = {s(h("actors source", 8))} }}
links.reported_by = {{ basis = "hedged", hedge = {s(HEDGE_REPORTED)} }}

[events.when]
date = 2024-12-19
precision = "approximate"
basis = "editor"
until = 2024-12-20
stated = {s(h("event stated", 9))}
note = {s(h("event date note", 10))}

[[events.notes]]
text = {s(h("event note", 0))}

[[events]]
id = "breakdown"
what = {s(h("second event what", 1))}
where = "port"

[events.when]
date = 2024-12-22
precision = "exact"
basis = "external"
on_or_before = true
source = {s(h("breakdown source", 2))}
"""


def write_hostile_briefing(path: Path) -> Path:
    """Write the hostile briefing to ``path`` (UTF-8) and return it."""
    path.write_text(hostile_briefing(), encoding="utf-8")
    return path


def run_cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m briefing ARGS`` as a user runs it, with ``home`` for its home, cache, settings and data."""
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
    }
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )


def export_with_cli(source: Path, to: str, home: Path) -> bytes:
    """``briefing export SOURCE --to TO -o FILE``; the file's bytes (the command must succeed and say so)."""
    output = home / f"{source.stem}.{to}"
    run = run_cli(home, "export", str(source), "--to", to, "-o", str(output))
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Exported “") and run.stderr == ""
    return output.read_bytes()
