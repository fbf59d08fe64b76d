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

import re
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


def defuse_tree(document: dict[str, Any]) -> dict[str, Any]:
    """``defuse`` every string, key or value, of a parsed TOML document, in place.

    A loop over an explicit stack, not recursion: nesting comes from the file.
    Only tables with a key to change are rebuilt (in their order); everything
    else is changed where it stands, so a clean document costs one look at
    each string.
    """
    stack: list[dict[str, Any] | list[Any]] = [document]
    while stack:
        container = stack.pop()
        if isinstance(container, dict):
            if not all(key.isprintable() for key in container):
                defused = {defuse(key): value for key, value in container.items()}
                container.clear()
                container.update(defused)
            items: Any = container.items()
        else:
            items = enumerate(container)
        changed: list[tuple[Any, str]] = []
        for key, value in items:
            if isinstance(value, str):
                if not value.isprintable():
                    changed.append((key, defuse(value)))
            elif isinstance(value, (dict, list)):
                stack.append(value)
        for key, value in changed:
            container[key] = value
    return document


# In JSON as msgspec writes it, what ``defuse`` never leaves in a string: an
# escaped control other than \n and \t (an odd run of backslashes before b, f,
# r or u00XX), and, raw, DEL, C1 controls and the bidi characters (UTF-8).
# Each search starts from a single byte, which ``re`` finds at C speed; the
# precise patterns are tried only where one is.
_JSON_ESCAPE = re.compile(rb"\\(?:[bfr]|u00[01])")
_JSON_ESCAPED_CONTROL = re.compile(rb"(\\+)(?:[bfr]|u00[01][0-9a-fA-F])")
_JSON_RAW_LEAD = re.compile(rb"[\x7f\xc2\xd8\xe2]")
_JSON_RAW_CONTROL = re.compile(rb"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]")


def is_defused_json(encoded: bytes) -> bool:
    """Whether every string of a value encoded as JSON (``msgspec.json.encode``) is as ``defuse`` leaves it.

    Scans in C: far cheaper than walking a large model's strings in Python.
    The same characters as ``defuse``'s table (tests/test_safetext.py holds
    the two together).
    """
    for lead in _JSON_RAW_LEAD.finditer(encoded):
        if _JSON_RAW_CONTROL.match(encoded, lead.start()):
            return False
    if _JSON_ESCAPE.search(encoded) is None:
        return True
    return not any(len(match.group(1)) % 2 for match in _JSON_ESCAPED_CONTROL.finditer(encoded))


def _one_line_table() -> dict[int, str]:
    table = dict(_DEFUSE)
    table.update({ord("\n"): "\\n", ord("\t"): "\\t"})
    # Lone surrogates: bytes of a file name that are not UTF-8 (os.fsdecode).
    table.update({code: "\ufffd" for code in range(0xD800, 0xE000)})
    return table


_ONE_LINE = _one_line_table()


def one_line(text: str) -> str:
    """``defuse``, with newlines and tabs written as ``\\n`` and ``\\t``: text for one line of a report.

    Also for file names, which may hold anything but ``/`` and NUL: bytes
    that are not UTF-8 show as U+FFFD.
    """
    if text.isprintable():
        return text
    return text.translate(_ONE_LINE)
