"""Exports: a briefing for people and systems outside the terminal.

Every format is declared once, in ``FORMATS``: its name (``--to``), the suffix
of the file it writes, the words the help and the palette use, and the module
whose ``render(subject) -> bytes`` writes it. A format's module is imported
only when it is used (the STIX one loads the ``stix2`` library).

What is exported is an ``ExportSubject``: the briefing, its key in the review
store, and, with ``--review``, what the analyst read, flagged, noted and graded
in it (marked as theirs in every format, never mixed with the article's words
or the editor's).

This package sits beside the library, over storage, analysis and the format;
it imports no Textual and no Rich.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from briefing.format.model import Briefing
    from briefing.storage.review_exchange import ReviewOfBriefing

__all__ = ["FORMATS", "FORMAT_BY_NAME", "ExportFormat", "ExportSubject", "render"]


class ExportSubject(NamedTuple):
    """What one export writes.

    A NamedTuple, not a dataclass: `briefing check` builds the command line,
    which names the formats, and starts faster without the dataclasses module.
    """

    briefing: Briefing
    # The briefing's name in the review store (briefing.library.catalog.briefing_key).
    key: str
    # With --review: the analyst's own reading of it; None without.
    review: ReviewOfBriefing | None = None


class ExportFormat(NamedTuple):
    name: str  # the value of --to
    suffix: str  # of the file it writes beside the briefing
    title: str  # what the palette and the help call it
    description: str
    module: str  # holds ``render(subject: ExportSubject) -> bytes``

    def renderer(self) -> Callable[[ExportSubject], bytes]:
        module = importlib.import_module(self.module)
        render: Callable[[ExportSubject], bytes] = module.render
        return render


FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat(
        "md",
        ".md",
        "Markdown",
        "the whole briefing, readable as plain text and on a forge",
        "briefing.export.markdown",
    ),
    ExportFormat(
        "html",
        ".html",
        "HTML",
        "one self-contained page, nothing fetched, for print too",
        "briefing.export.html",
    ),
    ExportFormat(
        "json",
        ".json",
        "JSON",
        "the model, by its schema; `briefing check` reads it back",
        "briefing.export.json_export",
    ),
    ExportFormat(
        "stix",
        ".stix.json",
        "STIX 2.1",
        "a bundle for threat-intelligence platforms (OpenCTI, MISP)",
        "briefing.export.stix",
    ),
)
FORMAT_BY_NAME: dict[str, ExportFormat] = {export.name: export for export in FORMATS}


def render(subject: ExportSubject, format_name: str) -> bytes:
    """The subject in the named format (one of ``FORMATS``)."""
    return FORMAT_BY_NAME[format_name].renderer()(subject)
