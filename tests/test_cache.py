"""The reader's cache of large validated briefings: faster, never stale, never trusted blindly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL, large_briefing

from briefing import cache, loader
from briefing.loader import load_briefing


def entries() -> list[str]:
    directory = cache.cache_dir()
    return sorted(os.listdir(directory)) if os.path.isdir(directory) else []


@pytest.fixture
def no_parsing(monkeypatch):
    def parse(*args, **kwargs):
        raise AssertionError("the file was parsed although a valid cache entry exists")

    return lambda: monkeypatch.setattr(loader, "parse_briefing", parse)


def test_a_large_briefing_is_served_from_the_cache_the_second_time(write, no_parsing):
    path = write(large_briefing())
    assert path.stat().st_size >= loader.CACHED_FROM
    first = load_briefing(path, cache=True)
    assert first.ok and len(entries()) == 1
    no_parsing()
    second = load_briefing(path, cache=True)
    assert second.ok
    assert second.briefing == first.briefing


def test_entries_are_private_to_the_user(write):
    load_briefing(write(large_briefing()), cache=True)
    (entry,) = entries()
    assert os.stat(os.path.join(cache.cache_dir(), entry)).st_mode & 0o077 == 0


def test_small_briefings_write_nothing(write, sparta_path):
    assert load_briefing(write(MINIMAL), cache=True).ok
    assert load_briefing(sparta_path, cache=True).ok
    assert entries() == []


def test_opening_a_small_briefing_does_not_load_the_cache_or_its_hashing():
    # A few milliseconds of every start of the reader on an everyday briefing.
    code = (
        "import sys; from briefing.loader import open_briefing, default_briefing_path; "
        "assert open_briefing(default_briefing_path(), cache=True).ok; "
        "print(sorted(m for m in sys.modules if m in ('briefing.cache', 'hashlib')))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.stdout.strip() == "[]", run.stderr


def test_without_the_flag_nothing_is_cached(write):
    assert load_briefing(write(large_briefing())).ok
    assert entries() == []


def test_the_cache_can_be_turned_off(write, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    assert load_briefing(write(large_briefing()), cache=True).ok
    assert entries() == []


def test_a_changed_file_is_parsed_again(write):
    path = write(large_briefing())
    load_briefing(path, cache=True)
    path.write_text(large_briefing().replace('headline = "Ship breaks down"', 'headline = "Ship repaired"'))
    result = load_briefing(path, cache=True)
    assert result.briefing.meta.headline == "Ship repaired"
    assert len(entries()) == 2


def test_invalid_files_are_never_cached(write):
    path = write(large_briefing().replace('owner = "navy"', 'owner = "nobody"'))
    assert not load_briefing(path, cache=True).ok
    assert entries() == []


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"\x81\xa6format\x02"])
def test_a_broken_entry_is_ignored_and_replaced(write, damage):
    path = write(large_briefing())
    load_briefing(path, cache=True)
    (entry,) = entries()
    full = os.path.join(cache.cache_dir(), entry)
    with open(full, "wb") as stream:
        stream.write(damage)
    result = load_briefing(path, cache=True)
    assert result.ok
    with open(full, "rb") as stream:
        assert len(stream.read()) > 1000


def test_an_entry_breaking_the_rules_is_not_trusted(write):
    """A tampered entry that decodes but has a dangling reference falls back to the file."""
    import msgspec

    path = write(large_briefing())
    good = load_briefing(path, cache=True).briefing
    (entry,) = entries()
    tampered = msgspec.structs.replace(
        good, assets=[msgspec.structs.replace(good.assets[0], owner="nobody"), *good.assets[1:]]
    )
    with open(os.path.join(cache.cache_dir(), entry), "wb") as stream:
        stream.write(msgspec.msgpack.encode(tampered))
    assert load_briefing(path, cache=True).briefing.assets[0].owner == "navy"


def test_entries_written_by_another_model_are_not_read(write, tmp_path, monkeypatch):
    from briefing import model

    path = write(large_briefing())
    assert load_briefing(path, cache=True).ok
    assert cache.lookup(path.read_bytes()) is not None
    changed = tmp_path / "model.py"
    changed.write_bytes(Path(model.__file__).read_bytes() + b"\n# a field added\n")
    monkeypatch.setattr(model, "__file__", str(changed))
    cache._fingerprint.cache_clear()
    try:
        assert cache.lookup(path.read_bytes()) is None
    finally:
        monkeypatch.undo()
        cache._fingerprint.cache_clear()
