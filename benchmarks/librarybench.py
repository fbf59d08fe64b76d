"""Issue 14: the library, its search index, and saving a review, each against its floor in the same run.

In process, interleaved (ABAB…), medians compared:

* the first index build of N briefings against reading and ``tomllib``-parsing them;
* bringing the index up to date after one file changed, against that first build;
* a library search (parse the query, run it, make the hits) against the same FTS5
  statement run with bare ``sqlite3`` on the same database, over 50 queries;
* a flag saved by the key's handler in a running reader against a bare ``sqlite3``
  insert and commit with the store's settings (WAL, synchronous=FULL).

Opening the library is measured in tmux with the other first paints (run.py).
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
import tomllib
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import SPARTA, alternate, median

# Words of the generated text's one phrase stand in nearly every passage: FTS5 ranks
# every passage for them (150 ms and more with bare sqlite3 too), which no frame holds.
# An analyst searches for names: the 50 queries are built from the corpus's own names
# (places, actors, assets, tags), alone and with words, prefixes, phrases and filters.
COMMON_WORDS = ("convoy", "tarmac", "negotiations", "overnight", "withdrawal", "shipping")
KINDS = ("ship", "aircraft", "air_base", "naval_base", "troops", "equipment")


def queries(files: Sequence[Path], count: int = 50, seed: int = 14) -> list[str]:
    """``count`` searches of one to three words and filters, drawn from the names in ``files``."""
    rng = random.Random(seed)
    names: set[str] = set()
    tags: set[str] = set()
    for path in files[:40]:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
        tags.update(document["meta"].get("tags", []))
        for collection in ("actors", "locations", "assets"):
            for entry in document.get(collection, []):
                names.update(word for word in entry["name"].split() if word[:1].isupper() and len(word) > 4)
    pool, tag_pool = sorted(names), sorted(tags)
    makers = (
        lambda: rng.choice(pool),
        lambda: f"{rng.choice(pool)} {rng.choice(pool)}",
        lambda: f"{rng.choice(pool)} {rng.choice(COMMON_WORDS)}",
        lambda: rng.choice(pool)[:5] + "*",
        lambda: f'"port of {rng.choice(pool)}"',
        lambda: f"{rng.choice(pool)} kind:{rng.choice(KINDS)}",
        lambda: f"{rng.choice(pool)} before:2024-12-20",
        lambda: f"{rng.choice(pool)} tag:{rng.choice(tag_pool)}",
        lambda: f"{rng.choice(pool)} credibility<=3",
        lambda: f"{rng.choice(pool)} unread",
    )
    return [makers[number % len(makers)]() for number in range(count)]


def parse_all(files: Sequence[Path]) -> float:
    started = time.perf_counter()
    for path in files:
        tomllib.loads(path.read_bytes().decode("utf-8"))
    return time.perf_counter() - started


def build(library_dir: Path, index: Path) -> float:
    from briefing.library.catalog import Library

    for stale in index.parent.glob(index.name + "*"):
        stale.unlink()
    started = time.perf_counter()
    Library.open(str(library_dir), index_path=str(index), include_bundled=False).close()
    return time.perf_counter() - started


def copy_library(files: Sequence[Path], directory: Path) -> Path:
    """The generated briefings copied into a library directory of their own (one file is changed later)."""
    library_dir = directory / "library"
    library_dir.mkdir()
    for path in files:
        shutil.copyfile(path, library_dir / path.name)
    return library_dir


def build_rows(library_dir: Path, index: Path, runs: int) -> dict[str, list[float]]:
    """First build against the parse floor, then one changed file against the build; the index is left warm."""
    from briefing.library.catalog import Library

    copies = sorted(library_dir.glob("*.toml"))
    times = alternate(
        runs, {"parse": lambda: parse_all(copies), "build": lambda: build(library_dir, index)}, warmup=False
    )
    # The index is warm now: one file's bytes change (its headline), the rest stay.
    changed = copies[len(copies) // 2]
    text = changed.read_text(encoding="utf-8")
    updates = []
    for run in range(max(runs, 3)):
        text = text.replace('headline = "', f'headline = "{run} ', 1)
        changed.write_text(text, encoding="utf-8")
        # Backdated: a file written the moment before a scan is hashed again at the next one.
        os.utime(changed, (time.time() - 10, time.time() - 10))
        started = time.perf_counter()
        library = Library.open(str(library_dir), index_path=str(index), include_bundled=False)
        updates.append(time.perf_counter() - started)
        library.close()
    times["update"] = updates
    return times


def search_rows(library_dir: Path, index: Path, texts: Sequence[str], rounds: int) -> dict[str, list[float]]:
    """Per query, the median of ``rounds`` runs of each; the lists hold one value per query."""
    from briefing.library.catalog import Library
    from briefing.library.query import parse_query
    from briefing.library.search_index import FILE_SHIFT

    library = Library.open(str(library_dir), index_path=str(index), include_bundled=False)
    bare = sqlite3.connect(str(index))
    review = EmptyReview()
    product: list[float] = []
    baseline: list[float] = []
    try:
        for text in texts:
            query = parse_query(text)
            allowed = library.index.allowed_files(query, review)
            sql = (
                "SELECT f.rowid, highlight(passages_fts, 0, char(1), char(2)), p.kind, p.section, p.block, "
                "p.ref_kind, p.ref_id, p.anchors FROM passages_fts f JOIN passages p ON p.id = f.rowid "
                "WHERE passages_fts MATCH ?"
            )
            values: list[object] = [query.fts()]
            if allowed is not None:
                sql += f" AND (f.rowid >> {FILE_SHIFT}) IN (SELECT value FROM json_each(?))"
                values.append("[" + ",".join(str(n) for n in sorted(allowed)) + "]")
            sql += " ORDER BY f.rank LIMIT 200"

            def ours(text: str = text) -> float:
                started = time.perf_counter()
                library.search(text, review)
                return time.perf_counter() - started

            def theirs(sql: str = sql, values: list[object] = values) -> float:
                started = time.perf_counter()
                bare.execute(sql, values).fetchall()
                return time.perf_counter() - started

            times = alternate(rounds, {"ours": ours, "bare": theirs})
            product.append(median(times["ours"]))
            baseline.append(median(times["bare"]))
    finally:
        bare.close()
        library.close()
    return {"search": product, "bare": baseline}


class EmptyReview:
    """A review store with nothing in it, for the review filters of the queries."""

    def summary(self) -> dict[str, object]:
        return {}

    def keys_with(self, what: str) -> set[str]:
        return set()

    def sections_read(self, briefing: str) -> set[str]:
        return set()


def bare_connection(path: Path) -> sqlite3.Connection:
    """A connection with the store's settings, and a table like its flags."""
    connection = sqlite3.connect(str(path), isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE IF NOT EXISTS flags (briefing TEXT, kind TEXT, target TEXT, flag TEXT, at TEXT)")
    return connection


def bare_insert(connection: sqlite3.Connection, number: int) -> float:
    """One insert in its own transaction, committed: seconds."""
    started = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    connection.execute(
        "INSERT INTO flags VALUES (?, ?, ?, ?, ?)", ("sparta", "asset", f"a{number}", "important", "now")
    )
    connection.execute("COMMIT")
    return time.perf_counter() - started


async def _flag_in_reader(store_path: Path, bare_path: Path, count: int) -> dict[str, list[float]]:
    from briefing.app.app import BriefingApp
    from briefing.storage.briefing_files import load_briefing
    from briefing.storage.review import ReviewStore

    result = load_briefing(SPARTA)
    assert result.briefing is not None
    store = ReviewStore.open(store_path)
    app = BriefingApp(result.briefing, path=str(SPARTA), review=store)
    times: list[float] = []
    committed: list[float] = []
    toggle = store.toggle_flag

    def timed_toggle(*args: object) -> bool:
        # The moment the flag is committed: what the key's action does after it (a notice,
        # the pane's redraw) comes after the save.
        done = toggle(*args)  # type: ignore[arg-type]
        committed.append(time.perf_counter())
        return done

    store.toggle_flag = timed_toggle  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        screen = app.screen
        bare = bare_connection(bare_path)
        baseline: list[float] = []
        for number in range(count):
            # What the key runs: the selection found, the flag saved in one transaction.
            started = time.perf_counter()
            screen.action_toggle_flag("important")  # type: ignore[attr-defined]
            times.append(committed[-1] - started)
            await pilot.pause()
            # The baseline in the same process, between the same frames: the same threads,
            # the same disk.
            baseline.append(bare_insert(bare, number))
            await pilot.pause()
        bare.close()
    store.close()
    return {"flag": times, "bare": baseline}


def flag_rows(count: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory(prefix="briefing-review-") as tmp:
        return asyncio.run(_flag_in_reader(Path(tmp) / "review.sqlite3", Path(tmp) / "bare.sqlite3", count))


def summary(times: list[float]) -> str:
    return f"median {statistics.median(times) * 1000:.2f} ms, max {max(times) * 1000:.2f} ms (n={len(times)})"
