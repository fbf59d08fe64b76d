"""The library and its search index: built once, kept current cheaply, never trusted when it is not ours."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import MINIMAL

from briefing.analysis.blocks import section_blocks
from briefing.format.reading import parse_briefing
from briefing.library import catalog, indexing
from briefing.library.catalog import Library, briefing_key, index_path_for, scan_library
from briefing.library.search_index import APPLICATION_ID

# An hour ago: older than any clock tick, so a signature is trusted (see RACY_NS).
PAST = 3600


def briefing(
    headline: str = "Ship breaks down",
    paragraphs: tuple[str, ...] = ("The ship drifted.", "Its crew said so."),
    *,
    published: str | None = None,
    tags: tuple[str, ...] = (),
    extra: str = "",
) -> str:
    """MINIMAL with another headline, body text, date, tags and entries."""
    meta = f'headline = "{headline}"\n'
    if published:
        meta += f'published = {published}\nunstated = ["publication", "author", "url"]\n'
    else:
        meta += 'unstated = ["publication", "author", "published", "url"]\n'
    if tags:
        meta += "tags = [" + ", ".join(f'"{tag}"' for tag in tags) + "]\n"
    text = MINIMAL.replace(
        'headline = "Ship breaks down"\nunstated = ["publication", "author", "published", "url"]\n', meta
    )
    body = "[" + ", ".join(f'"{paragraph}"' for paragraph in paragraphs) + "]"
    text = text.replace('paragraphs = ["The ship drifted.", "Its crew said so."]', f"paragraphs = {body}")
    return text + extra


def write(root: Path, name: str, text: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    # Older than the file system's clock tick: its signature can be trusted from the first scan.
    past = path.stat().st_mtime - PAST
    os.utime(path, (past, past))
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    library = tmp_path / "library"
    library.mkdir()
    return library


@pytest.fixture
def index(tmp_path: Path) -> str:
    return str(tmp_path / "index.sqlite3")


def open_library(root: Path, index: str, **options) -> Library:
    return Library.open(str(root), index_path=index, include_bundled=False, **options)


class Counted(NamedTuple):
    reads: list[str]
    parses: list[str]


@pytest.fixture
def counted(monkeypatch) -> Counted:
    """Every file the index reads and parses, by name (in this process: a few files use no workers)."""
    from briefing.storage import files

    counts = Counted([], [])
    read_regular, parse = files.read_regular, indexing.parse_briefing

    def counting_read(path, *args, **kwargs):
        counts.reads.append(os.path.basename(path))
        return read_regular(path, *args, **kwargs)

    def counting_parse(data, file="<string>"):
        counts.parses.append(os.path.basename(file))
        return parse(data, file)

    monkeypatch.setattr(files, "read_regular", counting_read)
    monkeypatch.setattr(indexing, "parse_briefing", counting_parse)
    return counts


def keys(hits) -> list[str]:
    return [hit.key for hit in hits]


# Building and listing


def test_every_briefing_is_listed_valid_or_not(root, index):
    write(root, "ship.toml", briefing(tags=("navy", "Atlantic"), published="2024-12-23"))
    write(root, "2024/kyiv.toml", briefing("Kyiv holds"))
    write(root, "broken.toml", "format = 1\n[meta\n")
    library = open_library(root, index)
    assert [entry.key for entry in library.entries] == ["2024/kyiv", "broken", "ship"]
    kyiv, broken, ship = library.entries
    assert ship.ok and ship.headline == "Ship breaks down" and ship.tags == ("navy", "Atlantic")
    assert ship.published is not None and ship.published.isoformat() == "2024-12-23"
    assert ship.section_ids == ("lede", "body") and ship.sections[1] == ("body", "What happened")
    assert kyiv.path == os.path.join(str(root), "2024", "kyiv.toml") and kyiv.headline == "Kyiv holds"
    assert not broken.ok and broken.problem is not None and broken.problem.startswith("2:")
    assert library.entry(kyiv.path) == kyiv and library.entry("broken") == broken


def test_a_broken_file_keeps_its_headline_when_meta_can_be_read(root, index):
    write(root, "bad.toml", briefing("Readable headline").replace('kind = "ship"', 'kind = "shp"'))
    (entry,) = open_library(root, index).entries
    assert not entry.ok and entry.headline == "Readable headline"
    assert entry.problem is not None and "assets[0].kind" in entry.problem
    line, column, _ = entry.problem.split(":", 2)
    assert line.isdigit() and column.isdigit()


def test_files_that_are_not_briefings_are_listed_with_why(root, index):
    os.mkfifo(root / "pipe.toml")
    write(root, "binary.toml", b"format = 1\x00")
    write(root, "empty.toml", "")
    library = open_library(root, index)
    problems = {entry.key: entry.problem for entry in library.entries}
    assert problems["pipe"] is not None and "FIFO" in problems["pipe"]
    assert problems["binary"] is not None and "NUL" in problems["binary"]
    assert problems["empty"] is not None and "empty file" in problems["empty"]


def test_the_bundled_briefings_are_in_every_library_unless_a_file_has_their_key(root, index, sparta_path):
    library = Library.open(str(root), index_path=index)
    (sparta,) = library.entries
    assert sparta.bundled and sparta.key == "sparta" and sparta.path == str(sparta_path)
    write(root, "sparta.toml", briefing("My own Sparta"))
    library.refresh()
    (mine,) = library.entries
    assert not mine.bundled and mine.headline == "My own Sparta"


def test_keys_are_paths_in_the_library(tmp_path):
    assert briefing_key(tmp_path / "lib" / "2024" / "kyiv.toml", tmp_path / "lib") == "2024/kyiv"
    assert briefing_key(tmp_path / "elsewhere" / "kyiv.toml", tmp_path / "lib") == "kyiv"
    assert briefing_key("sparta.toml", None) == "sparta"


def test_the_scan_skips_hidden_files_and_follows_each_directory_once(root):
    write(root, "a.toml", MINIMAL)
    write(root, ".git/b.toml", MINIMAL)
    write(root, ".hidden.toml", MINIMAL)
    write(root, "notes.txt", "not a briefing")
    write(root, "sub/c.toml", MINIMAL)
    os.symlink(root, root / "sub" / "loop")
    assert scan_library(str(root)) == [str(root / "a.toml"), str(root / "sub" / "c.toml")]


def test_the_scan_is_bounded_and_says_what_it_left_out(root, index, monkeypatch):
    for number in range(5):
        write(root, f"b{number}.toml", MINIMAL)
    write(root, "d1/d2/d3/deep.toml", MINIMAL)
    monkeypatch.setattr(catalog, "MAX_FILES", 3)
    monkeypatch.setattr(catalog, "MAX_DEPTH", 2)
    library = open_library(root, index)
    assert len(library.entries) == 3
    assert any("more than 3 briefings" in problem for problem in library.problems)
    monkeypatch.setattr(catalog, "MAX_FILES", 100)
    library.refresh()
    assert "d1/d2/d3/deep" not in [entry.key for entry in library.entries]
    assert any("more than 2 directories deep" in problem for problem in library.problems)


# Kept current


def test_unchanged_files_are_not_read_again(root, index, counted):
    write(root, "a.toml", MINIMAL)
    write(root, "b.toml", briefing("Another"))
    library = open_library(root, index)
    assert sorted(counted.parses) == ["a.toml", "b.toml"]
    counted.reads.clear()
    counted.parses.clear()
    assert not library.refresh()
    reopened = open_library(root, index)
    assert counted.reads == [] and counted.parses == []
    assert reopened.entries == library.entries


def test_the_same_bytes_under_a_new_time_are_hashed_not_parsed(root, index, counted):
    path = write(root, "a.toml", MINIMAL)
    library = open_library(root, index)
    os.utime(path, (path.stat().st_mtime + 60, path.stat().st_mtime + 60))
    counted.reads.clear()
    counted.parses.clear()
    assert not library.refresh()
    assert counted.reads == ["a.toml"] and counted.parses == []
    counted.reads.clear()
    library.refresh()
    assert counted.reads == []


def test_a_file_written_just_now_is_checked_again_but_not_parsed_again(root, index, counted):
    # Its time may not change with a write in the same clock tick: its bytes decide next time.
    (root / "fresh.toml").write_text(MINIMAL, encoding="utf-8")
    library = open_library(root, index)
    counted.reads.clear()
    counted.parses.clear()
    library.refresh()
    assert counted.reads == ["fresh.toml"] and counted.parses == []


def test_a_changed_file_is_indexed_again(root, index):
    path = write(root, "a.toml", briefing(paragraphs=("The ship drifted toward Lisbon.",)))
    library = open_library(root, index)
    assert keys(library.search("lisbon")) == ["a"]
    write(root, "a.toml", briefing("Renamed", paragraphs=("The ship reached Porto.",)))
    assert path.stat().st_size
    changes = library.refresh()
    assert changes.changed == ("a",) and not changes.added and not changes.removed
    assert library.search("lisbon") == []
    assert keys(library.search("porto")) == ["a"]
    assert library.entries[0].headline == "Renamed"


def test_a_deleted_file_is_removed(root, index):
    write(root, "a.toml", MINIMAL)
    gone = write(root, "b.toml", briefing(paragraphs=("Only here: zanzibar.",)))
    library = open_library(root, index)
    gone.unlink()
    changes = library.refresh()
    assert changes.removed == ("b",)
    assert [entry.key for entry in library.entries] == ["a"]
    assert library.search("zanzibar") == []


def test_a_file_that_breaks_leaves_the_search_and_shows_its_problem(root, index):
    write(root, "a.toml", briefing(paragraphs=("Zanzibar.",)))
    library = open_library(root, index)
    write(root, "a.toml", briefing(paragraphs=("Zanzibar.",)).replace("format = 1", "format = 2"))
    library.refresh()
    (entry,) = library.entries
    assert not entry.ok and entry.problem is not None and "unsupported format version 2" in entry.problem
    assert library.search("zanzibar") == []


def test_many_files_are_parsed_by_worker_processes_with_the_same_result(root, tmp_path, monkeypatch):
    for number in range(6):
        write(root, f"b{number}.toml", briefing(f"Headline {number}", paragraphs=(f"Word{number} and common.",)))
    write(root, "broken.toml", "not = [toml")
    serial = open_library(root, str(tmp_path / "serial.sqlite3"))
    monkeypatch.setattr(indexing, "POOL_FROM", 2)
    monkeypatch.setattr(indexing, "_processors", lambda: 2)

    def not_here(path, known):
        raise AssertionError(f"{path} was parsed in this process, not by a worker")

    monkeypatch.setattr(indexing, "index_file", not_here)
    pooled = open_library(root, str(tmp_path / "pooled.sqlite3"))
    assert pooled.entries == serial.entries
    assert [(hit.key, hit.line, hit.column) for hit in pooled.search("common")] == [
        (hit.key, hit.line, hit.column) for hit in serial.search("common")
    ]


def test_a_second_reader_finds_the_index_current(root, index, counted):
    write(root, "a.toml", MINIMAL)
    first, second = open_library(root, index), open_library(root, index)
    write(root, "b.toml", briefing("Added", paragraphs=("Zanzibar.",)))
    assert first.refresh().added == ("b",)
    counted.parses.clear()
    second.refresh()
    assert counted.parses == []
    assert [entry.key for entry in second.entries] == ["a", "b"]
    assert keys(second.search("zanzibar")) == ["b"]


def test_searches_go_on_while_files_are_indexed(root, index, monkeypatch):
    write(root, "a.toml", briefing(paragraphs=("Zanzibar.",)))
    library = open_library(root, index)
    write(root, "b.toml", MINIMAL)
    parsing, finish = threading.Event(), threading.Event()
    parse = indexing.parse_briefing

    def slow_parse(data, file="<string>"):
        parsing.set()
        assert finish.wait(30)
        return parse(data, file)

    monkeypatch.setattr(indexing, "parse_briefing", slow_parse)
    refresh = threading.Thread(target=library.refresh)
    refresh.start()
    try:
        assert parsing.wait(30)
        # The update waits on the parse of b.toml: the index is not locked meanwhile.
        assert keys(library.search("zanzibar")) == ["a"]
    finally:
        finish.set()
        refresh.join(30)
    assert [entry.key for entry in library.entries] == ["a", "b"]


# Never trusted when it is not ours


def index_rows(index: str) -> int:
    with sqlite3.connect(index) as connection:
        return int(connection.execute("SELECT count(*) FROM files").fetchone()[0])


@pytest.mark.parametrize(
    "damage",
    ["text", "garbage", "truncated", "foreign database", "older schema", "other code"],
)
def test_a_foreign_or_damaged_index_is_made_again(root, index, damage):
    write(root, "a.toml", briefing(paragraphs=("Zanzibar.",)))
    open_library(root, index).close()
    if damage == "text":
        Path(index).write_text("my notes, not an index\n" * 100)
    elif damage == "garbage":
        Path(index).write_bytes(os.urandom(64 * 1024))
    elif damage == "truncated":
        data = Path(index).read_bytes()
        for suffix in ("-wal", "-shm"):
            Path(index + suffix).unlink(missing_ok=True)
        Path(index).write_bytes(data[: len(data) // 2])
    else:
        with sqlite3.connect(index) as connection:
            if damage == "foreign database":
                connection.execute("PRAGMA application_id = 1")
            elif damage == "older schema":
                connection.execute("PRAGMA user_version = 0")
            else:
                connection.execute("UPDATE meta SET value = 'other' WHERE name = 'code'")
    library = open_library(root, index)
    assert [entry.key for entry in library.entries] == ["a"]
    assert keys(library.search("zanzibar")) == ["a"]
    with sqlite3.connect(index) as connection:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_an_index_found_damaged_by_a_search_is_made_again(root, index, monkeypatch):
    write(root, "a.toml", briefing(paragraphs=("Zanzibar.",)))
    library = open_library(root, index)
    search = type(library.index).search
    failures = []

    def damaged_once(self, *args):
        if not failures:
            failures.append(1)
            raise sqlite3.DatabaseError("database disk image is malformed")
        return search(self, *args)

    monkeypatch.setattr(type(library.index), "search", damaged_once)
    assert keys(library.search("zanzibar")) == ["a"]
    assert failures == [1]


def test_an_unusable_cache_directory_keeps_the_index_in_memory(root, tmp_path, monkeypatch):
    write(root, "a.toml", briefing(paragraphs=("Zanzibar.",)))
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o777)
    cache.chmod(0o777)
    monkeypatch.setattr(catalog, "cache_dir", lambda: str(cache / "briefing"))
    (cache / "briefing").mkdir()
    (cache / "briefing").chmod(0o777)
    library = Library.open(str(root), include_bundled=False)
    assert library.problems and "kept in memory" in library.problems[0]
    assert keys(library.search("zanzibar")) == ["a"]


def test_the_index_lives_in_the_private_cache_directory(root):
    write(root, "a.toml", MINIMAL)
    Library.open(str(root), include_bundled=False).close()
    path = index_path_for(str(root))
    assert os.path.isfile(path)
    assert os.stat(os.path.dirname(path)).st_mode & 0o077 == 0
    assert index_path_for(str(root) + "/.") == path


# Searching

LONG = (
    "The convoy left the port at dawn, and by noon the convoy had reached the coast road, "
    "where analysts watching satellite images said a second convoy was forming near the base."
)


@pytest.fixture
def searched(root, index) -> Library:
    write(root, "many.toml", briefing("Convoys", paragraphs=("Convoy, convoy, convoy: the convoy again.",)))
    write(root, "once.toml", briefing("Ports", paragraphs=(LONG,), published="2024-12-01", tags=("Ports",)))
    extra = """
[[assets]]
id = "frigate"
name = "Admiral Grigorovich"
kind = "ship"
aliases = ["the frigate"]
evidence = ["The frigate sailed past the convoy."]
grading = { reliability = "B", credibility = 2 }
"""
    write(
        root,
        "ships.toml",
        briefing("Frigates", paragraphs=("No word of it here.",), published="2024-12-20", extra=extra),
    )
    return open_library(root, index)


def test_hits_are_ranked_by_bm25(searched, index):
    hits = searched.search("convoy")
    assert hits[0].key == "many" and hits[0].section_id == "body"
    assert set(keys(hits)) == {"many", "once", "ships"}
    with sqlite3.connect(index) as connection:
        ranked = connection.execute(
            "SELECT text FROM passages WHERE id IN (SELECT rowid FROM passages_fts WHERE passages_fts MATCH 'convoy' "
            "ORDER BY bm25(passages_fts) LIMIT 1)"
        ).fetchone()[0]
    assert hits[0].mark == ranked


def test_prefix_and_phrase_queries(searched):
    assert set(keys(searched.search("conv*"))) == {"many", "once", "ships"}
    assert keys(searched.search('"satellite images"')) == ["once"]
    assert searched.search('"images satellite"') == []
    assert keys(searched.search('"second conv"*')) == ["once"]


def test_words_are_found_whatever_their_case_and_accents(root, index):
    write(root, "a.toml", briefing(paragraphs=("A café in Zürich.",)))
    library = open_library(root, index)
    assert keys(library.search("CAFE zurich")) == ["a"]


def test_filters_compose(searched):
    assert keys(searched.search("convoy kind:ship")) == ["ships"]
    assert searched.search("convoy kind:ship")[0].kind == "entity"
    assert keys(searched.search("convoy credibility<=2")) == ["ships"]
    assert searched.search("convoy credibility<2") == []
    assert keys(searched.search("convoy reliability<=C")) == ["ships"]
    assert keys(searched.search("convoy tag:ports")) == ["once"]
    assert set(keys(searched.search("convoy after:2024-11-30"))) == {"once", "ships"}
    assert keys(searched.search("convoy after:2024-11-30 before:2024-12-20")) == ["once"]
    assert searched.search("convoy kind:ship tag:ports") == []
    assert set(keys(searched.search("convoy actor:navy"))) == {"many", "once", "ships"}
    assert set(keys(searched.search('convoy actor:"THE NAVY"'))) == {"many", "once", "ships"}
    assert searched.search("convoy actor:army") == []


def test_a_query_of_filters_alone_lists_what_they_select(searched):
    assert [entry.key for entry in searched.matching("kind:ship")] == ["many", "once", "ships"]
    assert [entry.key for entry in searched.matching("credibility<=2")] == ["ships"]
    assert [entry.key for entry in searched.matching("after:2024-11-30")] == ["once", "ships"]
    assert len(searched.search("kind:ship")) == 4
    (frigate,) = searched.search("kind:ship credibility<=2")
    assert frigate.kind == "entity" and frigate.ref is not None and frigate.ref.id == "frigate"
    assert frigate.where == "Asset Admiral Grigorovich"
    headlines = searched.search("tag:ports")
    assert [(hit.kind, hit.key, hit.where) for hit in headlines] == [("headline", "once", "Headline")]


class Counts(NamedTuple):
    sections_read: int
    flags: int = 0
    notes: int = 0


class FakeReview:
    """What the review store answers (storage.review.ReviewStore), for the filters."""

    def __init__(self, read: dict[str, set[str]], flagged: set[str] = frozenset(), noted: set[str] = frozenset()):
        self.read = read
        self.flagged = set(flagged)
        self.noted = set(noted)

    def summary(self):
        return {key: Counts(len(sections)) for key, sections in self.read.items()}

    def keys_with(self, what):
        return self.flagged if what == "flagged" else self.noted

    def sections_read(self, briefing):
        return set(self.read.get(briefing, ()))


def test_review_filters_ask_the_store(searched):
    review = FakeReview(
        {"many": {"lede", "body"}, "once": {"lede"}, "ships": {"lede", "gone"}}, flagged={"once"}, noted={"ships"}
    )
    assert set(keys(searched.search("convoy unread", review))) == {"once", "ships"}
    assert keys(searched.search("convoy flagged", review)) == ["once"]
    assert keys(searched.search("convoy noted", review)) == ["ships"]
    assert searched.search("convoy flagged noted", review) == []
    assert [entry.key for entry in searched.matching("unread", review)] == ["once", "ships"]
    # Without a store nothing is flagged, noted or known to be read.
    assert searched.search("convoy flagged") == []


def test_a_hit_knows_its_passage_in_the_reader(searched, root):
    (hit,) = [hit for hit in searched.search('"second convoy"') if hit.kind == "text"]
    assert hit.section_id == "body" and hit.section_title == "What happened" and hit.where == "What happened"
    parsed = parse_briefing((root / "once.toml").read_bytes()).briefing
    assert parsed is not None
    blocks = section_blocks(parsed.sections[1], parsed.quotes)
    assert hit.block is not None and hit.start is not None and hit.end is not None
    assert blocks[hit.block].text[hit.start : hit.end] == "second convoy"
    assert hit.mark == blocks[hit.block].text
    assert hit.matched == "second convoy"


def test_a_quote_set_apart_is_a_quote_hit(root, index):
    write(root, "a.toml", briefing(paragraphs=("Its crew said “We are drifting.” on the radio.",)))
    library = open_library(root, index)
    (hit,) = library.search("drifting")
    assert hit.kind == "quote" and hit.ref is not None and hit.ref.kind == "quote" and hit.ref.id == "crew-says"
    assert hit.section_id == "body" and hit.block == 1


def test_the_snippet_is_one_line_around_the_match(searched):
    (hit,) = [hit for hit in searched.search("forming") if hit.kind == "text"]
    assert "\n" not in hit.snippet and len(hit.snippet) <= 110
    assert hit.snippet.startswith("…") and "forming" in hit.snippet
    for start, end in hit.spans:
        assert hit.snippet[start:end].casefold() == "forming"
    (entity,) = searched.search("sailed")
    assert entity.snippet == "The frigate sailed past the convoy."
    assert [entity.snippet[s:e] for s, e in entity.spans] == ["sailed"]


ESCAPED = r"""
[[locations]]
id = "port"
name = "Port of Tartus"
kind = "port"
aliases = ['C:\Tartus', "Caf\u00e9 \"harbour\" Tartus"]
"""

MULTILINE = '''
[[actors]]
id = "analyst"
name = "An analyst"
kind = "person"
role = """
Watches the harbour
and the Tartus roads."""
'''


def test_line_and_column_point_at_the_matched_word_in_the_file(root, index):
    text = briefing(paragraphs=("The ship drifted past Tartus.", "Then Tartus again.")) + ESCAPED + MULTILINE
    path = write(root, "a.toml", text)
    lines = path.read_text(encoding="utf-8").split("\n")
    library = open_library(root, index)
    hits = library.search("tartus")
    assert len(hits) == 4
    for hit in hits:
        assert lines[hit.line - 1][hit.column - 1 :].casefold().startswith("tartus"), hit
    # One inside escapes ("Caf\u00e9 \"harbour\""), one in a multi-line string.
    harbour = library.search("harbour")
    assert len(harbour) == 2
    for hit in harbour:
        assert lines[hit.line - 1][hit.column - 1 :].startswith("harbour"), hit


def test_positions_survive_layouts_the_fast_path_does_not_know(root, index):
    # Inline tables and arrays of them: the positions come from the full scan instead.
    text = (
        'format = 1\nmeta = { headline = "Odd layout: Tartus", unstated = ["publication", "author", "published", '
        '"url"] }\nsections = [\n  { id = "lede", kind = "lede", paragraphs = ["Nothing in Tartus moved."] },\n]\n'
    )
    path = write(root, "odd.toml", text)
    lines = path.read_text(encoding="utf-8").split("\n")
    hits = open_library(root, index).search("tartus")
    assert {hit.kind for hit in hits} == {"headline", "text"}
    for hit in hits:
        assert lines[hit.line - 1][hit.column - 1 :].startswith("Tartus"), hit


def test_the_same_entity_in_other_briefings(root, index):
    write(root, "a.toml", MINIMAL)
    # Same id, other name; other id, same name; an alias that is the name; nothing in common.
    write(root, "b.toml", MINIMAL.replace('name = "The navy"', 'name = "Fleet"'))
    write(root, "c.toml", MINIMAL.replace('id = "navy"', 'id = "sailors"').replace('"navy"', '"sailors"'))
    extra = '\n[[actors]]\nid = "marine"\nname = "Marines"\nkind = "military"\naliases = ["THE NAVY"]\n'
    write(
        root,
        "d.toml",
        MINIMAL.replace('id = "navy"', 'id = "army"')
        .replace('"navy"', '"army"')
        .replace('name = "The navy"', 'name = "The army"')
        + extra,
    )
    write(
        root,
        "e.toml",
        MINIMAL.replace('id = "navy"', 'id = "army"')
        .replace('"navy"', '"army"')
        .replace('name = "The navy"', 'name = "The army"'),
    )
    library = open_library(root, index)
    found = library.appearances("actor", "navy", "The navy")
    assert [entry.key for entry in found] == ["a", "b", "c", "d"]
    assert [entry.key for entry in library.appearances("asset", "navy", "The navy")] == []
    assert [entry.key for entry in library.appearances("actor", "nobody", "Fleet", ["the army"])] == ["b", "d", "e"]
