"""screenshots/ holds what the app draws now: regenerate with `briefing screenshots`."""

from __future__ import annotations

import pytest
from conftest import ROOT

from briefing.app.screenshots import SHOTS, capture


@pytest.mark.parametrize("shot", SHOTS, ids=[s.filename for s in SHOTS])
async def test_screenshot_is_current(shot):
    path = ROOT / "screenshots" / shot.filename
    assert path.is_file(), f"{path} missing: run `briefing screenshots`"
    assert path.read_text(encoding="utf-8") == await capture(shot), f"{path} is stale: run `briefing screenshots`"


def test_readme_shows_the_screenshots():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for shot in SHOTS:
        assert f"screenshots/{shot.filename}" in readme
