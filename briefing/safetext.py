"""Make untrusted text safe to put on a terminal.

A briefing file is untrusted input. TOML escapes such as ``"\\u001b"`` let a
file carry ESC, OSC and other control sequences, and bidi overrides can make
text read differently from what it is. The loader passes every string through
``defuse`` so no consumer of the model (``show``, the reader, exports) can
send them to a terminal raw; they are shown as visible stand-ins instead.

Rich markup is a separate matter: it is only interpreted when a string is
*parsed* as markup, so the UI always builds ``Text``/``Content`` objects from
content rather than markup strings.
"""

from __future__ import annotations

from typing import Any

# Bidirectional formatting characters (Trojan Source, CVE-2021-42574).
_BIDI = [1564, 8206, 8207, *list(range(8234, 8239)), *list(range(8294, 8298))]


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20):
        if chr(code) not in "\n\t":
            # U+2400.. are the "control pictures": ESC shows as ␛.
            table[code] = chr(0x2400 + code)
    table[0x7F] = "\u2421"  # ␡
    for code in range(0x80, 0xA0):
        table[code] = f"<U+{code:04X}>"
    for code in _BIDI:
        table[code] = f"<U+{code:04X}>"
    return table


_DEFUSE = _table()


def defuse(text: str) -> str:
    """Replace terminal control and bidi characters with visible stand-ins."""
    if text.isprintable():
        # Fast path: printable text has none of the characters in the table
        # (all of them are in Unicode categories Cc or Cf).
        return text
    return text.translate(_DEFUSE)


def defuse_tree(value: Any) -> Any:
    """``defuse`` every string, key or value, in a parsed TOML document."""
    if isinstance(value, str):
        return defuse(value)
    if isinstance(value, dict):
        return {defuse(k): defuse_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [defuse_tree(v) for v in value]
    return value
