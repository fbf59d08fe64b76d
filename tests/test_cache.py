"""The reader's cache of validated briefings: faster, never stale, never trusted blindly."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import msgspec
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


@pytest.mark.parametrize("size", ["small", "large"])
def test_a_briefing_is_served_from_the_cache_the_second_time(write, no_parsing, size):
    path = write(MINIMAL if size == "small" else large_briefing())
    first = load_briefing(path, cache=True)
    assert first.ok and len(entries()) == 1
    no_parsing()
    second = load_briefing(path, cache=True)
    assert second.ok
    assert second.briefing == first.briefing


def test_the_bundled_briefing_is_cached_like_any_other(sparta_path, no_parsing):
    assert load_briefing(sparta_path, cache=True).ok
    no_parsing()
    assert load_briefing(sparta_path, cache=True).ok


def test_entries_are_private_to_the_user(write):
    load_briefing(write(large_briefing()), cache=True)
    (entry,) = entries()
    assert os.stat(os.path.join(cache.cache_dir(), entry)).st_mode & 0o077 == 0


def test_without_the_flag_nothing_is_cached(write):
    assert load_briefing(write(large_briefing())).ok
    assert entries() == []


def test_the_cache_can_be_turned_off(write, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    assert load_briefing(write(large_briefing()), cache=True).ok
    assert entries() == []


@pytest.mark.parametrize("new", ["Ship repaired", "Ship braeks down"], ids=["longer", "same-size"])
def test_a_changed_file_is_parsed_again_and_its_entry_replaced(write, new):
    path = write(MINIMAL)
    load_briefing(path, cache=True)
    path.write_text(MINIMAL.replace('headline = "Ship breaks down"', f'headline = "{new}"'))
    result = load_briefing(path, cache=True)
    assert result.briefing.meta.headline == new
    assert len(entries()) == 1
    assert load_briefing(path, cache=True).briefing.meta.headline == new


def test_the_same_bytes_at_another_path_are_checked_there_once(write, tmp_path):
    path = write(MINIMAL)
    load_briefing(path, cache=True)
    copy = tmp_path / "elsewhere" / "copy.toml"
    copy.parent.mkdir()
    shutil.copy(path, copy)
    assert load_briefing(copy, cache=True).file == str(copy)
    assert len(entries()) == 2


def test_entries_of_other_releases_are_removed_when_one_is_written(write):
    os.makedirs(cache.cache_dir())
    stale = os.path.join(cache.cache_dir(), "parsed-0123abcd-89abcdef.msgpack")
    Path(stale).write_bytes(b"from an older briefing")
    unrelated = os.path.join(cache.cache_dir(), "notes.txt")
    Path(unrelated).write_text("not ours to remove")
    load_briefing(write(MINIMAL), cache=True)
    assert not os.path.exists(stale)
    assert os.path.exists(unrelated)
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
    path = write(large_briefing())
    good = load_briefing(path, cache=True).briefing
    (entry,) = entries()
    tampered = msgspec.structs.replace(
        good, assets=[msgspec.structs.replace(good.assets[0], owner="nobody"), *good.assets[1:]]
    )
    with open(os.path.join(cache.cache_dir(), entry), "wb") as stream:
        stream.write(msgspec.msgpack.encode(cache.Entry(path.read_bytes(), tampered)))
    assert load_briefing(path, cache=True).briefing.assets[0].owner == "navy"


def test_an_entry_is_never_served_for_other_bytes(write):
    """Even an entry named for the file, but written from other bytes, is not used."""
    path = write(MINIMAL)
    other = load_briefing(write(MINIMAL.replace("Ship breaks down", "Ship sails on"), name="other.toml")).briefing
    os.makedirs(cache.cache_dir())
    with open(cache.entry_path(str(path)), "wb") as stream:
        stream.write(msgspec.msgpack.encode(cache.Entry(b"format = 1", other)))
    assert load_briefing(path, cache=True).briefing.meta.headline == "Ship breaks down"


def test_entries_written_by_another_model_are_not_read(write, tmp_path, monkeypatch):
    from briefing import model

    path = write(large_briefing())
    assert load_briefing(path, cache=True).ok
    assert cache.lookup(str(path), path.read_bytes()) is not None
    changed = tmp_path / "model.py"
    changed.write_bytes(Path(model.__file__).read_bytes() + b"\n# a field added\n")
    monkeypatch.setattr(model, "__file__", str(changed))
    cache._fingerprint.cache_clear()
    try:
        assert cache.lookup(str(path), path.read_bytes()) is None
    finally:
        monkeypatch.undo()
        cache._fingerprint.cache_clear()
