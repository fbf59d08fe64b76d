"""The reader's cache of validated briefings: faster, never stale, never trusted blindly."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import msgspec
import pytest
from conftest import MINIMAL, large_briefing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.format import reading as loader
from briefing.storage import parsed_cache as cache
from briefing.storage.briefing_files import load_briefing


def entries() -> list[str]:
    directory = cache.cache_dir()
    names = os.listdir(directory) if os.path.isdir(directory) else []
    return sorted(name for name in names if name.startswith(cache.PREFIX))


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
    os.makedirs(cache.cache_dir(), mode=0o700)
    stale = os.path.join(cache.cache_dir(), "parsed-0123abcd-89abcdef.msgpack")
    Path(stale).write_bytes(b"from an older briefing")
    unrelated = os.path.join(cache.cache_dir(), "notes.txt")
    Path(unrelated).write_text("not ours to remove")
    load_briefing(write(MINIMAL), cache=True)
    assert not os.path.exists(stale)
    assert os.path.exists(unrelated)
    assert len(entries()) == 1


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
        stream.write(cache.encode_entry(str(path), path.read_bytes(), tampered))
    assert load_briefing(path, cache=True).briefing.assets[0].owner == "navy"


def test_an_entry_is_never_served_for_other_bytes(write):
    """Even an entry named for the file, but written from other bytes, is not used."""
    path = write(MINIMAL)
    other = load_briefing(write(MINIMAL.replace("Ship breaks down", "Ship sails on"), name="other.toml")).briefing
    os.makedirs(cache.cache_dir(), mode=0o700)
    with open(os.path.join(cache.cache_dir(), cache.entry_name(str(path))), "wb") as stream:
        stream.write(cache.encode_entry(str(path), b"format = 1", other))
    assert load_briefing(path, cache=True).briefing.meta.headline == "Ship breaks down"


# -- a cache that can never serve the wrong thing ------------------------------------------------


def entry_file(path) -> str:
    return os.path.join(cache.cache_dir(), cache.entry_name(str(path)))


def plant(path, blob: bytes) -> None:
    """Write an entry for ``path`` by hand, as someone crafting one would."""
    os.makedirs(cache.cache_dir(), mode=0o700, exist_ok=True)
    with open(entry_file(path), "wb") as stream:
        stream.write(blob)


def test_the_directory_is_made_private(write):
    load_briefing(write(MINIMAL), cache=True)
    assert os.stat(cache.cache_dir()).st_mode & 0o777 == 0o700


@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777])
def test_a_directory_others_can_write_is_not_used(write, mode):
    os.makedirs(cache.cache_dir())
    os.chmod(cache.cache_dir(), mode)
    path = write(MINIMAL)
    assert load_briefing(path, cache=True).ok
    assert entries() == []
    assert cache.unusable == f"{cache.cache_dir()} can be written by other users (mode {mode:04o})"


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a directory to another user")
def test_a_directory_of_another_user_is_not_used(write):
    os.makedirs(cache.cache_dir(), mode=0o700)
    os.chown(cache.cache_dir(), 65534, 65534)
    assert load_briefing(write(MINIMAL), cache=True).ok
    assert entries() == []
    assert cache.unusable == f"{cache.cache_dir()} belongs to another user"


def test_a_link_in_place_of_the_directory_is_not_followed(write, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    os.makedirs(os.path.dirname(cache.cache_dir()), exist_ok=True)
    os.symlink(elsewhere, cache.cache_dir())
    assert load_briefing(write(MINIMAL), cache=True).ok
    assert list(elsewhere.iterdir()) == []
    assert "is a symbolic link" in cache.unusable


def test_a_link_planted_at_the_entry_is_replaced_not_written_through(write, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's own file")
    path = write(MINIMAL)
    os.makedirs(cache.cache_dir(), mode=0o700)
    os.symlink(victim, entry_file(path))
    assert load_briefing(path, cache=True).ok
    assert victim.read_text() == "the user's own file"
    assert not os.path.islink(entry_file(path))
    assert load_briefing(path, cache=True).ok


HOSTILE_HEADLINES = {
    "osc52": "\x1b]52;c;ZXZpbA==\x07",
    "title": "\x1b]0;pwned\x07",
    "clear": "\x1b[2J\x1b[H",
    "bidi": "\u202egnirts",
}


@pytest.mark.parametrize("name", list(HOSTILE_HEADLINES))
def test_an_entry_holding_terminal_controls_is_not_served(write, no_parsing, name):
    path = write(MINIMAL)
    good = load_briefing(path, cache=True).briefing
    evil = msgspec.structs.replace(good, meta=msgspec.structs.replace(good.meta, headline=HOSTILE_HEADLINES[name]))
    plant(path, cache.encode_entry(str(path), path.read_bytes(), evil))
    assert cache.lookup(str(path), path.read_bytes()) is None
    assert load_briefing(path, cache=True).briefing.meta.headline == "Ship breaks down"


def test_an_entry_of_another_format_is_not_served(write):
    path = write(MINIMAL)
    good = load_briefing(path, cache=True).briefing
    plant(path, cache.encode_entry(str(path), path.read_bytes(), msgspec.structs.replace(good, format=99)))
    assert cache.lookup(str(path), path.read_bytes()) is None


def test_an_entry_for_another_file_is_not_served(write):
    path = write(MINIMAL)
    other = write(MINIMAL.replace("Ship breaks down", "Ship sails on"), name="other.toml")
    briefing_of_other = load_briefing(other).briefing
    # The same bytes, but the entry says it was made for the other file.
    plant(path, cache.encode_entry(str(other), path.read_bytes(), briefing_of_other))
    assert cache.lookup(str(path), path.read_bytes()) is None
    assert load_briefing(path, cache=True).briefing.meta.headline == "Ship breaks down"


def test_an_oversized_entry_is_not_read(write, monkeypatch):
    path = write(MINIMAL)
    load_briefing(path, cache=True)
    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", 100)
    assert cache.lookup(str(path), path.read_bytes()) is None


def test_an_entry_that_is_a_fifo_is_not_waited_for(write):
    path = write(MINIMAL)
    os.makedirs(cache.cache_dir(), mode=0o700)
    os.mkfifo(entry_file(path))
    # Returns at once (a blocking open would hang the test run), then replaces it.
    assert cache.lookup(str(path), path.read_bytes()) is None
    assert load_briefing(path, cache=True).ok
    assert cache.lookup(str(path), path.read_bytes()) is not None


@pytest.mark.parametrize("module", cache.FINGERPRINTED)
def test_entries_of_other_code_are_not_served(write, tmp_path, monkeypatch, module):
    import importlib

    path = write(MINIMAL)
    assert load_briefing(path, cache=True).ok
    target = importlib.import_module(module)
    changed = tmp_path / f"{module.rsplit('.', 1)[-1]}.py"
    changed.write_bytes(Path(target.__file__).read_bytes() + b"\n# changed\n")
    with monkeypatch.context() as patch:
        patch.setattr(target, "__file__", str(changed))
        cache.code_fingerprint.cache_clear()
        try:
            assert cache.lookup(str(path), path.read_bytes()) is None
        finally:
            cache.code_fingerprint.cache_clear()
    assert cache.lookup(str(path), path.read_bytes()) is not None


def age(path: str, seconds: float) -> None:
    then = os.stat(path).st_mtime - seconds
    os.utime(path, (then, then))


def test_leftovers_are_removed_when_a_prune_is_due(write, tmp_path):
    gone = write(MINIMAL, name="gone.toml")
    load_briefing(gone, cache=True)
    gone.unlink()
    directory = cache.cache_dir()
    stale = os.path.join(directory, f".{cache.PREFIX}x.entry.abc123.tmp")
    fresh = os.path.join(directory, f".{cache.PREFIX}y.entry.def456.tmp")
    for temporary in (stale, fresh):
        Path(temporary).write_bytes(b"half an entry")
    age(stale, 2 * cache.STALE_TEMPORARY_SECONDS)
    # Pruned at most hourly: make the last prune an hour and more ago.
    age(os.path.join(directory, ".pruned"), 2 * cache.PRUNE_EVERY_SECONDS)
    kept = write(MINIMAL.replace("Ship breaks down", "Kept"), name="kept.toml")
    load_briefing(kept, cache=True)
    assert entries() == [cache.entry_name(str(kept))]
    assert not os.path.exists(stale)
    assert os.path.exists(fresh), "a writer may still be at work on this one"


def test_no_prune_within_the_hour(write):
    gone = write(MINIMAL, name="gone.toml")
    load_briefing(gone, cache=True)
    gone.unlink()
    load_briefing(write(MINIMAL, name="other.toml"), cache=True)
    assert len(entries()) == 2


def test_the_cache_stays_under_its_cap_least_recently_used_first(write, monkeypatch):
    paths = [write(MINIMAL.replace("Ship breaks down", f"Ship {n}"), name=f"f{n}.toml") for n in range(4)]
    for n, path in enumerate(paths[:3]):
        load_briefing(path, cache=True)
        age(entry_file(path), 100 - n)
    size = os.stat(entry_file(paths[0])).st_size
    # f0 was used again: f1 is now the least recently used.
    assert load_briefing(paths[0], cache=True).ok
    monkeypatch.setattr(cache, "MAX_TOTAL_BYTES", 3 * size + size // 2)
    load_briefing(paths[3], cache=True)
    assert entries() == sorted(cache.entry_name(str(p)) for p in (paths[0], paths[2], paths[3]))


# -- the cache as a store: whatever happens to it, it serves what a fresh parse would ------------

VARIANTS = [
    MINIMAL,
    MINIMAL.replace("Ship breaks down", "Ship sails on"),
    MINIMAL.replace('owner = "navy"', 'owner = "nobody"'),  # invalid: never cached
    MINIMAL.replace("The ship drifted.", "The ship drifted \\u001b[2J on."),
]
operations = st.lists(
    st.tuples(
        st.sampled_from(["write", "load", "damage", "truncate", "remove"]),
        st.integers(0, 2),  # which of three files
        st.integers(0, len(VARIANTS) - 1),
        st.integers(0, 10_000),  # where a damage lands
        st.integers(1, 255),  # and what it flips
    ),
    max_size=25,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations)
def test_any_history_of_writes_loads_and_damage_serves_what_a_fresh_parse_gives(tmp_path, steps):
    directory = tmp_path / f"run-{len(list(tmp_path.iterdir()))}"
    directory.mkdir()
    files = [directory / f"f{n}.toml" for n in range(3)]
    for path in files:
        path.write_text(VARIANTS[0], encoding="utf-8")
    for operation, which, variant, where, flip in steps:
        path = files[which]
        entry = entry_file(path)
        if operation == "write":
            path.write_text(VARIANTS[variant], encoding="utf-8")
        elif operation == "load":
            cached = load_briefing(path, cache=True)
            fresh = load_briefing(path)
            assert (cached.briefing, [str(p) for p in cached.problems]) == (
                fresh.briefing,
                [str(p) for p in fresh.problems],
            )
        elif os.path.exists(entry):
            blob = Path(entry).read_bytes()
            if operation == "damage" and blob:
                at = where % len(blob)
                blob = blob[:at] + bytes([blob[at] ^ flip]) + blob[at + 1 :]
            elif operation == "truncate":
                blob = blob[: where % (len(blob) + 1)]
            else:
                os.unlink(entry)
                continue
            Path(entry).write_bytes(blob)


def test_an_entry_damaged_into_another_valid_briefing_is_not_served(write):
    """One flipped bit in a stored headline still decodes, and is still valid: the body's CRC catches it."""
    path = write(MINIMAL)
    load_briefing(path, cache=True)
    blob = Path(entry_file(path)).read_bytes()
    # The second copy of the headline is the model's (the first is in the stored file).
    at = blob.index(b"Ship breaks down", blob.index(b"Ship breaks down") + 1)
    Path(entry_file(path)).write_bytes(blob[:at] + b"Ship brEaks down" + blob[at + 16 :])
    assert cache.lookup(str(path), path.read_bytes()) is None
    assert load_briefing(path, cache=True).briefing.meta.headline == "Ship breaks down"
