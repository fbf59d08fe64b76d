"""The review as a document: JSON to move it between stores, Markdown to share it with people.

``briefing review export`` writes a versioned JSON document,
``{"format": "briefing-review", "version": 1, ...}``, described by the JSON
Schema shipped as ``briefing/review.schema.json`` (generated from the Structs
below; a test keeps the file current, ``python -m briefing.storage.review_exchange``
regenerates it). It round-trips exactly: a fresh store that imports an export
exports the same document again, but for the time of the export.

``briefing review import`` merges one into the store (``ReviewStore.merge``):
nothing is duplicated, the newer of two versions of a note or a grading wins,
nothing is removed.

A document comes from elsewhere, so ``from_json`` trusts none of it: at most
``MAX_DOCUMENT_BYTES``, of exactly this shape (no unknown field, every value of
its type and within the store's limits), or an ``ExchangeError`` that says what
is wrong and where (``$.briefings[...].notes[3].body``).
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec

from briefing.format.safetext import defuse, one_line
from briefing.storage.review import (
    FLAG_BY_NAME,
    MAX_ID_CHARS,
    MAX_KEY_CHARS,
    MAX_NOTE_CHARS,
    TIMESTAMP_PATTERN,
    Anchor,
    Credibility,
    FlagName,
    MergeReport,
    Reliability,
    ReviewContents,
    ReviewNote,
    ReviewStore,
    Target,
    TargetKind,
    UserGrading,
    grading_problem,
    is_timestamp,
    now,
    target_problem,
)

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAX_DOCUMENT_BYTES",
    "ExchangeError",
    "ImportReport",
    "ReviewDocument",
    "build_schema",
    "export_document",
    "from_json",
    "import_document",
    "review_of",
    "to_json",
    "to_markdown",
]

FORMAT_NAME: Literal["briefing-review"] = "briefing-review"
FORMAT_VERSION: Literal[1] = 1
# An export of years of notes is a few MiB; this bounds what one import reads and holds.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "review.schema.json"
SCHEMA_ID = "urn:briefing:review:1"

# What an import reports: the merge's counts.
ImportReport = MergeReport


class ExchangeError(Exception):
    """A document that is not a review export, in one line: what is wrong and where."""


Timestamp = Annotated[
    str, msgspec.Meta(pattern=TIMESTAMP_PATTERN, description="ISO 8601, UTC, to the second: 2024-12-23T10:00:00Z")
]
Key = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=MAX_KEY_CHARS,
        description="The briefing's key: its path in the library, without .toml (sparta, 2024/kyiv).",
    ),
]
EntryId = Annotated[str, msgspec.Meta(max_length=MAX_ID_CHARS)]


class On(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """What a flag, note or grading is on: the briefing itself (no id), a section or an entry."""

    kind: TargetKind
    id: EntryId = ""


class Flagged(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    on: On
    flags: Annotated[list[FlagName], msgspec.Meta(min_length=1)]


class Note(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    """A note; a note on a passage has the passage's anchor."""

    id: Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{32}$", description="The note's identity in every store.")]
    on: On
    body: Annotated[str, msgspec.Meta(max_length=MAX_NOTE_CHARS)]
    anchor: Anchor | None = None
    created: Timestamp
    updated: Timestamp


class Grading(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    """The analyst's own grading (Admiralty scale): source reliability A–F, information credibility 1–6."""

    on: On
    reliability: Reliability | None = None
    credibility: Credibility | None = None
    updated: Timestamp


class ReviewOfBriefing(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """The review of one briefing."""

    read: list[EntryId] = []
    flags: list[Flagged] = []
    notes: list[Note] = []
    gradings: list[Grading] = []


class ReviewDocument(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A review export: what one analyst read, flagged, noted and graded, by briefing."""

    format: Literal["briefing-review"]
    version: Literal[1]
    exported: Timestamp
    briefings: dict[Key, ReviewOfBriefing] = {}


class _Head(msgspec.Struct):
    # Read first, so that another format or version is said as such, not as a list of wrong fields.
    # Scalars only: a value nested a million deep is refused at its first bracket.
    format: str | int | float | bool | None = None
    version: str | int | float | bool | None = None


def export_document(store: ReviewStore) -> ReviewDocument:
    """Everything in the store as a document; ``StoreError`` when the store cannot be read."""
    contents = store.contents()
    entries: dict[str, dict[str, list[Any]]] = {}

    def entry(key: str) -> dict[str, list[Any]]:
        return entries.setdefault(key, {"read": [], "flags": [], "notes": [], "gradings": []})

    for key, section in contents.reads:
        entry(key)["read"].append(section)
    flagged: dict[Target, list[FlagName]] = {}
    for target, flag in contents.flags:
        flagged.setdefault(target, []).append(FLAG_BY_NAME[flag].name)
    for target, names in flagged.items():
        entry(target.briefing)["flags"].append(Flagged(On(target.kind, target.id), names))
    for note in contents.notes:
        entry(note.briefing)["notes"].append(
            Note(
                id=note.id,
                on=On(note.kind, note.target),
                body=note.body,
                anchor=note.anchor,
                created=note.created,
                updated=note.updated,
            )
        )
    for target, grading in contents.gradings:
        entry(target.briefing)["gradings"].append(
            Grading(
                on=On(target.kind, target.id),
                reliability=grading.reliability,
                credibility=grading.credibility,
                updated=grading.updated,
            )
        )
    briefings = {key: ReviewOfBriefing(**entries[key]) for key in sorted(entries)}
    return ReviewDocument(format=FORMAT_NAME, version=FORMAT_VERSION, exported=now(), briefings=briefings)


def review_of(store: ReviewStore, key: str) -> ReviewOfBriefing:
    """The review of one briefing, as its export writes it (empty when there is none); raises ``StoreError``."""
    return export_document(store).briefings.get(key, ReviewOfBriefing())


def import_document(store: ReviewStore, document: ReviewDocument) -> ImportReport:
    """Merge the document into the store, in one transaction (``ReviewStore.merge``); raises ``StoreError``."""
    reads: list[tuple[str, str]] = []
    flags: list[tuple[Target, str]] = []
    notes: list[ReviewNote] = []
    gradings: list[tuple[Target, UserGrading]] = []
    for key, review in document.briefings.items():
        reads.extend((key, section) for section in review.read)
        for flagged in review.flags:
            target = Target(key, flagged.on.kind, flagged.on.id)
            flags.extend((target, name) for name in flagged.flags)
        for note in review.notes:
            notes.append(
                ReviewNote(note.id, key, note.on.kind, note.on.id, note.body, note.anchor, note.created, note.updated)
            )
        for grading in review.gradings:
            gradings.append(
                (
                    Target(key, grading.on.kind, grading.on.id),
                    UserGrading(grading.reliability, grading.credibility, grading.updated),
                )
            )
    return store.merge(ReviewContents(reads, flags, notes, gradings))


_ENCODER = msgspec.json.Encoder()


def to_json(document: ReviewDocument) -> bytes:
    """The document as JSON, indented for people who read it, ending in a newline."""
    return msgspec.json.format(_ENCODER.encode(document), indent=2) + b"\n"


def from_json(data: bytes) -> ReviewDocument:
    """The document in ``data``, checked whole; ``ExchangeError`` with what is wrong and where."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ExchangeError(f"over {MAX_DOCUMENT_BYTES / (1024 * 1024):g} MiB, the most a review document may be")
    try:
        head = msgspec.json.decode(data, type=_Head)
    except msgspec.DecodeError as error:
        raise ExchangeError(f"not a review document: {one_line(str(error))}") from None
    except RecursionError:
        # msgspec's own bound on nesting, reached in a value it skips.
        raise ExchangeError("not a review document: values nested too deeply") from None
    if head.format != FORMAT_NAME:
        raise ExchangeError(f"not a review document (its format is {_shown(head.format)}, not {FORMAT_NAME!r})")
    if head.version != FORMAT_VERSION:
        raise ExchangeError(
            f"a review document of version {_shown(head.version)}; this briefing reads version {FORMAT_VERSION}"
        )
    try:
        document = msgspec.json.decode(data, type=ReviewDocument)
    except msgspec.DecodeError as error:
        # One line: msgspec quotes an unknown field's name, which may hold anything.
        raise ExchangeError(one_line(str(error))) from None
    except RecursionError:
        raise ExchangeError("values nested too deeply") from None
    _check(document)
    return document


def _shown(value: object) -> str:
    return "missing" if value is None else one_line(repr(value))[:80]


def _check(document: ReviewDocument) -> None:
    """What the types cannot say: real times, ids that fit their kind, gradings that grade."""
    if not is_timestamp(document.exported):
        raise ExchangeError("not a real time - at `$.exported`")
    for key, review in document.briefings.items():
        where = f"$.briefings[{_shown(key)}]"
        for index, section in enumerate(review.read):
            _check_on(key, On("section", section), f"{where}.read[{index}]")
        for index, flagged in enumerate(review.flags):
            _check_on(key, flagged.on, f"{where}.flags[{index}].on")
        for index, note in enumerate(review.notes):
            _check_on(key, note.on, f"{where}.notes[{index}].on")
            for field in ("created", "updated"):
                if not is_timestamp(getattr(note, field)):
                    raise ExchangeError(f"not a real time - at `{where}.notes[{index}].{field}`")
        for index, grading in enumerate(review.gradings):
            _check_on(key, grading.on, f"{where}.gradings[{index}].on")
            problem = grading_problem(UserGrading(grading.reliability, grading.credibility, grading.updated))
            if problem:
                raise ExchangeError(f"{problem} - at `{where}.gradings[{index}]`")


def _check_on(key: str, on: On, where: str) -> None:
    problem = target_problem(Target(key, on.kind, on.id))
    if problem:
        raise ExchangeError(f"{problem} - at `{where}`")


# The Markdown digest

Describe = Callable[[Target], str | None]


def to_markdown(
    document: ReviewDocument,
    headlines: Mapping[str, str] | None = None,
    describe: Describe | None = None,
) -> str:
    """A digest for people: per briefing, what was read, the flags, the notes (with what they quote), the gradings.

    ``headlines`` names a briefing by its key, ``describe`` what a target is
    ("actor HUR", "section What happened"); without them the keys and ids
    stand in. Text from the store is made safe for a terminal (a digest is
    often read with ``cat``), and inert as Markdown where it is a name; a
    note's body is the analyst's own text and stays Markdown.
    """
    headlines = headlines or {}

    def name(target: Target, bare: bool = False) -> str:
        described = describe(target) if describe is not None else None
        if described:
            return _inline(described)
        if target.kind == "briefing":
            return "the briefing"
        code = f"`{_code(target.id)}`"
        return code if bare else f"{target.kind} {code}"

    count = len(document.briefings)
    blocks = [f"# Review of {count} briefing{'' if count == 1 else 's'}", f"Exported on {_when(document.exported)}."]
    for key, review in document.briefings.items():
        headline = headlines.get(key)
        blocks.append(f"## {_inline(headline)} (`{_code(key)}`)" if headline else f"## `{_code(key)}`")
        if review.read:
            sections = ", ".join(name(Target(key, "section", section), bare=True) for section in review.read)
            blocks.append(f"Read: {sections}.")
        if review.flags:
            blocks.append("### Flags")
            blocks.append(
                "\n".join(
                    f"- **{', '.join(FLAG_BY_NAME[flag].label for flag in flagged.flags)}**: "
                    + name(Target(key, flagged.on.kind, flagged.on.id))
                    for flagged in review.flags
                )
            )
        if review.notes:
            blocks.append("### Notes")
        for note in review.notes:
            blocks.append(f"#### On {name(Target(key, note.on.kind, note.on.id))}, {_when(note.updated)}")
            if note.anchor is not None:
                blocks.append(f"> {_inline(' '.join(note.anchor.exact.split()))}")
            blocks.append(defuse(note.body).strip("\n") or "(empty)")
        if review.gradings:
            blocks.append("### Your gradings")
            blocks.append(
                "\n".join(
                    f"- {name(Target(key, grading.on.kind, grading.on.id))}: "
                    f"**{grading.reliability or '–'}{grading.credibility or '–'}** ({_when(grading.updated)})"
                    for grading in review.gradings
                )
            )
    return "\n\n".join(blocks) + "\n"


def _when(timestamp: str) -> str:
    return f"{timestamp[:10]} {timestamp[11:16]} UTC"


_MARKDOWN_SPECIALS = str.maketrans({char: "\\" + char for char in "\\`*_[]<>|&~#"})


def _inline(text: str) -> str:
    """A name in running Markdown text: one line, safe on a terminal, no markup of its own."""
    return one_line(text).translate(_MARKDOWN_SPECIALS)


def _code(text: str) -> str:
    """Text inside a code span: one line, safe, its backticks (which would end the span) made quotes."""
    return one_line(text).replace("`", "'")


# The JSON Schema


def build_schema() -> dict[str, Any]:
    schema = _clean(msgspec.json.schema(ReviewDocument))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"Review export of briefing (version {FORMAT_VERSION})",
        "description": "What an analyst read, flagged, noted and graded, by briefing. See docs/review.md.",
        **schema,
    }


def _clean(node: Any) -> Any:
    """Descriptions as ``inspect.cleandoc`` leaves them: msgspec's releases differ on docstrings' indentation."""
    if isinstance(node, list):
        return [_clean(item) for item in node]
    if not isinstance(node, dict):
        return node
    cleaned = {key: _clean(value) for key, value in node.items()}
    if isinstance(cleaned.get("description"), str):
        cleaned["description"] = inspect.cleandoc(cleaned["description"])
    return cleaned


def schema_text() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    print(SCHEMA_PATH)
