from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from briefing.storage.paths import default_briefing_path

# Every Hypothesis example gets this long, far above what any takes (they run
# in milliseconds): only a hang or a blow-up fails it, not a busy machine.
PER_EXAMPLE_DEADLINE_MS = 5000
settings.register_profile("briefing", deadline=PER_EXAMPLE_DEADLINE_MS)
settings.load_profile("briefing")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed"

# A small briefing that uses every table of the format once.
MINIMAL = """\
format = 1

[meta]
headline = "Ship breaks down"
unstated = ["publication", "author", "published", "url"]

[[sections]]
id = "lede"
kind = "lede"
paragraphs = ["A ship broke down."]

[[sections]]
id = "body"
kind = "body"
title = "What happened"
paragraphs = ["The ship drifted.", "Its crew said so."]

[[assets]]
id = "ship"
name = "The ship"
kind = "ship"
owner = "navy"
location = "sea"

[[actors]]
id = "navy"
name = "The navy"
kind = "military"

[[quotes]]
id = "crew-says"
speaker = "navy"
text = "We are drifting."
section = "body"

[[locations]]
id = "sea"
name = "The sea"
kind = "sea_area"

[[events]]
id = "breakdown"
what = "A ship broke down."
when = { date = 2024-12-23, precision = "exact", basis = "article" }
where = "sea"
"""


def large_briefing(assets: int = 1700) -> str:
    """MINIMAL with ``assets`` more assets: past the cache threshold at the default."""
    rows = "".join(
        f'\n[[assets]]\nid = "asset-{n}"\nname = "Asset number {n} of a large briefing"\n'
        f'kind = "equipment"\nstatus = "listed to make this file larger than the cache threshold"\n'
        for n in range(assets)
    )
    return MINIMAL + rows


@pytest.fixture(autouse=True)
def private_dirs(tmp_path_factory, monkeypatch):
    """No test reads or writes the user's own cache, settings, library or review store."""
    home = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))


@pytest.fixture
def sparta_path() -> Path:
    return default_briefing_path()


@pytest.fixture
def write(tmp_path: Path):
    """Write text (or bytes) to a .toml file in a temporary directory."""

    def _write(content: str | bytes, name: str = "briefing.toml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


def seed_article() -> Path | None:
    """shared/seed/article.txt beside the checkout, as CI provides it."""
    path = SEED / "article.txt"
    if path.is_file():
        return path
    if os.environ.get("BRIEFING_REQUIRE_SEED"):
        pytest.fail(f"{path} is required (BRIEFING_REQUIRE_SEED is set) but missing")
    pytest.skip(f"{path} not present beside the checkout")
    return None
