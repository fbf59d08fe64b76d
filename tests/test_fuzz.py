"""The loader under coverage-guided fuzzing (tests/fuzz/fuzz_loader.py), for a bounded time.

libFuzzer mutates the seeds and the bundled briefing, guided by which
branches of the loader and of tomllib each input reaches, and stops at the
first input that breaks a property (an exception, a problem off the file or
on two lines), or takes over 30 s, or more than 2 GiB. The time budget is
how long to search, not a limit anything is measured against.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.storage.paths import default_briefing_path

FUZZ = Path(__file__).with_name("fuzz")
SECONDS = int(os.environ.get("BRIEFING_FUZZ_SECONDS", "60"))


def atheris_missing() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return True
    return False


def test_the_loader_survives_coverage_guided_fuzzing(tmp_path):
    if atheris_missing():
        if os.environ.get("BRIEFING_REQUIRE_FUZZ"):
            pytest.fail("atheris is required (BRIEFING_REQUIRE_FUZZ is set) but not installed")
        pytest.skip("atheris has no wheel for this platform")
    corpus = tmp_path / "corpus"
    shutil.copytree(FUZZ / "seeds", corpus)
    shutil.copy(default_briefing_path(), corpus / "sparta.toml")
    run = subprocess.run(
        [
            sys.executable,
            str(FUZZ / "fuzz_loader.py"),
            str(corpus),
            f"-dict={FUZZ / 'toml.dict'}",
            f"-max_total_time={SECONDS}",
            "-max_len=8192",
            "-timeout=30",
            "-rss_limit_mb=2048",
            f"-artifact_prefix={tmp_path}/",
            "-print_final_stats=1",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=SECONDS + 600,
    )
    crashes = sorted(tmp_path.glob("crash-*")) + sorted(tmp_path.glob("timeout-*")) + sorted(tmp_path.glob("oom-*"))
    found = "\n".join(f"{path.name}: {path.read_bytes()!r}" for path in crashes)
    assert run.returncode == 0 and not crashes, f"{found}\n{run.stderr[-4000:]}"
    assert "Done " in run.stderr
    # It did search: thousands of inputs, not a start-up failure.
    executed = int(
        next(line for line in run.stderr.splitlines() if "stat::number_of_executed_units" in line).split()[-1]
    )
    assert executed > 1000
