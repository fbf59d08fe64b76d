"""The top of the screen: headline, outlet and date, and the caveats one key away."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from briefing.format.model import Meta


class BriefingHeader(Static):
    """Headline on the first line; where it comes from and the caveats hint below."""

    def __init__(self, meta: Meta, *, headline_only: bool = False, id: str | None = None) -> None:
        super().__init__(Content.styled(meta.headline, "bold") if headline_only else header_content(meta), id=id)


def header_content(meta: Meta) -> Content:
    """Built from parts, never parsed as markup: the headline is untrusted text."""
    outlet = meta.publication or ("not stated" if "publication" in meta.unstated else "unknown")
    published = (
        meta.published.isoformat() if meta.published else "not stated" if "published" in meta.unstated else "unknown"
    )
    parts: list[str | tuple[str, str]] = [
        (meta.headline, "bold"),
        "\n",
        (f"Outlet: {outlet} · Date: {published}", "$text-muted"),
    ]
    if meta.caveats:
        count = len(meta.caveats)
        parts += [" · ", (f"⚠ {count} caveat{'s' if count != 1 else ''} (c)", "bold $warning")]
    return Content.assemble(*parts)
