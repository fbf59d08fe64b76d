"""Turn a briefing's bytes into a typed model or a list of precise problems.

Nothing here raises on bad content: every failure becomes a ``Problem`` with
the file, line and column, so ``briefing check``, ``briefing show`` and the
reader all report the same thing in the same words. Reading the bytes from
disk is storage's (briefing/storage/briefing_files.py); this module never
touches a file, and reads a text as TOML or as the JSON form
(json_form.py) only as its caller says.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

from briefing.format.kinds import BY_COLLECTION
from briefing.format.limits import MAX_BYTES, TomlError, parse_toml
from briefing.format.model import FORMAT_VERSION, Briefing, Meta
from briefing.format.problems import Finding, Problem, Syntax, describe_value, did_you_mean, locate
from briefing.format.safetext import defuse_tree
from briefing.format.validation import check_semantics


class LoadResult(msgspec.Struct):
    """Either a briefing or the problems that stop it being one."""

    file: str
    briefing: Briefing | None = None
    problems: list[Problem] = []

    @property
    def ok(self) -> bool:
        return self.briefing is not None and not self.problems


class PendingLoad:
    """A file read into memory whose parsing is still to come.

    The reader shows its first frame while a large file parses (a 3 MiB file
    takes about a second with ``tomllib``), then calls ``finish``.
    """

    def __init__(self, file: str, data: bytes, syntax: Syntax = "toml") -> None:
        self.file = file
        self.data = data
        self.syntax: Syntax = syntax

    def finish(self) -> LoadResult:
        return parse_briefing(self.data, self.file, syntax=self.syntax)

    def preview(self) -> Meta | None:
        # The JSON form has no headline to peek at: the loading screen goes without one.
        return peek_meta(self.data) if self.syntax == "toml" else None


# A table header at the start of a line, and its name.
_TABLE_HEADER = re.compile(rb"^[ \t]*\[\[?([^\]\n]*)\]", re.MULTILINE)
_PEEK_BYTES = 64 * 1024


def _header_name(match: re.Match[bytes]) -> bytes:
    return re.sub(rb"[ \t]", b"", match.group(1))


def peek_meta(data: bytes) -> Meta | None:
    """The ``[meta]`` table alone, read without parsing the rest of the file.

    Only a title to show while the whole file parses: anything unusual (meta
    written as dotted keys, a table header inside a multi-line string, a
    problem) gives None, and the full parse decides what the file is.
    """
    headers = _TABLE_HEADER.finditer(data, 0, _PEEK_BYTES)
    start = next((h.start() for h in headers if _header_name(h) == b"meta"), None)
    if start is None:
        return None
    # [meta] runs on through its own sub-tables ([[meta.caveats]]) to the next table.
    end = next((h.start() for h in headers if not _header_name(h).startswith(b"meta.")), len(data))
    chunk = data[start:end]
    if len(chunk) > _PEEK_BYTES:
        return None
    try:
        raw = parse_toml(chunk.decode("utf-8"))
        return msgspec.convert(defuse_tree(raw)["meta"], Meta)
    except (UnicodeDecodeError, TomlError, msgspec.ValidationError, KeyError):
        return None


_EMPTY_HINTS: dict[Syntax, str] = {
    "toml": "a briefing needs at least `format = 1`, a [meta] table and one [[sections]] entry",
    "json": 'a briefing needs at least {"format": 1, "meta": {…}, "sections": [{…}]}',
}


def parse_briefing(data: bytes | str, file: str = "<string>", *, syntax: Syntax = "toml") -> LoadResult:
    """Validate a briefing held in memory, written in ``syntax``; ``file`` names it in problems."""
    if isinstance(data, bytes):
        text_or_problem = _decode(data, file)
        if isinstance(text_or_problem, Problem):
            return LoadResult(file, problems=[text_or_problem])
        text = text_or_problem
    else:
        text = data
    if len(text) > MAX_BYTES:
        return failure(file, f"text is over the {_mib(MAX_BYTES)} limit for a briefing")
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return failure(file, "empty file", hint=_EMPTY_HINTS[syntax])
    if syntax == "json":
        return _from_json(text, file)
    try:
        raw = parse_toml(text)
    except TomlError as error:
        return LoadResult(file, problems=[Problem(file, error.line, error.column, error.message)])
    return _from_document(defuse_tree(raw), text, file, "toml")


def _from_json(text: str, file: str) -> LoadResult:
    # Here, not at the top: starting on a TOML briefing does not pay for the JSON form.
    from briefing.format.json_form import JsonError, read_json

    try:
        members = read_json(text)
    except JsonError as error:
        problem = Problem(file, error.line, error.column, error.message, key=error.key, hint=error.hint)
        return LoadResult(file, problems=[problem])
    if isinstance(members, Finding):
        return LoadResult(file, problems=locate([members], text, file, "json"))
    return _from_document(defuse_tree(members), text, file, "json")


def _from_document(raw: dict[str, Any], text: str, file: str, syntax: Syntax) -> LoadResult:
    """The same checks for either syntax: the format version, the types, then the rules."""
    findings = _check_format(raw)
    if findings:
        return LoadResult(file, problems=locate(findings, text, file, syntax))
    try:
        # Fast path: a valid file is decoded in one call.
        briefing = msgspec.convert(raw, Briefing)
    except msgspec.ValidationError:
        return LoadResult(file, problems=locate(_structure_findings(raw), text, file, syntax))
    findings = check_semantics(briefing)
    if findings:
        return LoadResult(file, problems=locate(findings, text, file, syntax))
    return LoadResult(file, briefing=briefing)


def _check_format(raw: dict[str, Any]) -> list[Finding]:
    if "format" not in raw:
        return [
            Finding(
                (),
                "missing `format` version key",
                expected=f"`format = {FORMAT_VERSION}` at the top of the file",
            )
        ]
    version = raw["format"]
    if type(version) is not int:
        return [
            Finding(
                ("format",), "`format` must be a whole number", expected="an integer", found=describe_value(version)
            )
        ]
    if version != FORMAT_VERSION:
        return [
            Finding(
                ("format",),
                f"unsupported format version {version}",
                expected=f"{FORMAT_VERSION}",
                found=str(version),
                hint="this version of briefing reads format 1 only; a newer briefing may need a newer release",
            )
        ]
    return []


def _structure_findings(raw: dict[str, Any]) -> list[Finding]:
    """Every structural problem, at most one per table, in file order."""
    from briefing.format.explain import convert_findings  # only invalid files pay for it

    findings: list[Finding] = []
    for key, value in raw.items():
        if key == "format":
            continue
        if key == "meta":
            findings.extend(convert_findings(value, Meta, ("meta",)))
        elif key in BY_COLLECTION:
            # Each entry is decoded on its own, so one bad asset does not hide
            # the problems of the next.
            if not isinstance(value, list):
                findings.append(
                    Finding(
                        (key,),
                        f"`{key}` must be an array of tables",
                        expected=f"[[{key}]] entries",
                        found=describe_value(value),
                    )
                )
                continue
            for index, item in enumerate(value):
                findings.extend(convert_findings(item, BY_COLLECTION[key].model, (key, index)))
        else:
            findings.append(
                Finding(
                    (key,),
                    f"unknown key `{key}`",
                    hint=did_you_mean(key, Briefing.__struct_fields__) or _TOP_LEVEL_HINT,
                    prefer="key",
                )
            )
    if "meta" not in raw:
        findings.append(
            Finding((), "missing required table [meta]", expected="a [meta] table with at least `headline`")
        )
    if "sections" not in raw:
        findings.append(Finding((), "missing required [[sections]]", expected="at least one [[sections]] entry"))
    elif isinstance(raw["sections"], list) and not raw["sections"]:
        findings.append(
            Finding(
                ("sections",),
                "a briefing needs at least one section",
                expected="at least one [[sections]] entry",
                found="none",
            )
        )
    if not findings:
        # Every piece decodes on its own, so the document as a whole cannot
        # fail; reaching here would be a bug in this function.
        findings.append(Finding((), "the document does not match the briefing format"))
    return findings


_TOP_LEVEL_HINT = "top-level keys are: " + ", ".join(Briefing.__struct_fields__)


def _decode(data: bytes, file: str) -> str | Problem:
    nul = data.find(b"\x00")
    if nul != -1:
        line, column = _byte_position(data, nul)
        return Problem(file, line, column, "binary file: contains a NUL byte", hint="a briefing is UTF-8 text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _byte_position(data, error.start)
        bad = data[error.start : error.start + 1].hex()
        return Problem(
            file,
            line,
            column,
            f"not valid UTF-8: byte 0x{bad} cannot start or continue a character",
            hint="save the file as UTF-8",
        )


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and character column of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


def internal_failure(file: str, error: BaseException) -> LoadResult:
    """A bug of briefing's own, reported like a problem of the file rather than as a traceback."""
    return failure(
        file,
        f"internal error while reading: {type(error).__name__}: {error}",
        hint="this is a bug in briefing; please report it with the file",
    )


def failure(file: str, message: str, *, hint: str | None = None) -> LoadResult:
    """A file that is not a briefing as a whole (unreadable, empty, too large): one problem at its start."""
    return LoadResult(file, problems=[Problem(file, 1, 1, message, hint=hint)])


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"
