"""Every row of the results, declared once: what it measures, against what, and its bar.

The measuring code (benchmarks/run.py and the modules it drives) produces
numbers; a row's wording, unit, bar and baseline come from here only, so the
table of bars can be read (and changed) in one place. ``{…}`` in a name is
filled in by the measuring code (a key, a file count).
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.report import Row


@dataclass(frozen=True)
class Bar:
    bench: str
    name: str
    unit: str
    # The product's median may be at most this many times the baseline's; None: reported only.
    limit: float | None
    baseline_is: str
    note: str = ""

    def row(
        self,
        baseline: float,
        product: float,
        samples: tuple[int, int] = (0, 0),
        *,
        text: tuple[str, str] | None = None,
        passed: bool | None = None,
        **fill: object,
    ) -> Row:
        return Row(
            self.bench,
            self.name.format(**fill),
            baseline,
            product,
            self.unit,
            self.limit,
            self.baseline_is.format(**fill),
            note=self.note.format(**fill),
            samples=samples,
            text=text,
            passed_override=passed,
        )


_MINIMAL = "minimal Textual app: one Static with the headline"
_STOCK = (
    "the same screen from stock widgets (OptionList, Static, TabbedContent, DataTable, Footer), "
    "the file read with tomllib, no cache"
)

BARS: dict[str, Bar] = {
    # 1, 5: start-up
    "first-frame": Bar("1", "first frame (the headline), 120x40 tmux", "ms", 1.10, _MINIMAL),
    "complete-screen": Bar(
        "1", "complete main screen (sections, reader, assets table, footer), 120x40 tmux", "ms", 1.05, _STOCK
    ),
    "memory": Bar("5", "peak RSS at the first frame (VmHWM)", "MiB", 1.2, "the same minimal app, same moment"),
    "first-frame-no-bytecode": Bar(
        "1",
        "first frame, no bytecode cache",
        "ms",
        None,
        "the same minimal app",
        "briefing's modules compiled at every start (PYTHONDONTWRITEBYTECODE=1, editable install)",
    ),
    "first-frame-first-open": Bar(
        "1",
        "first frame, first open of the file",
        "ms",
        None,
        "the same minimal app",
        "BRIEFING_CACHE=0: the Sparta briefing parsed and checked before the first frame, as on the first open "
        "of a file; every other row opens it again, from the reader's cache of validated briefings",
    ),
    "complete-screen-first-open": Bar(
        "1",
        "complete main screen, first open of the file",
        "ms",
        None,
        "the same stock-widget screen",
        "BRIEFING_CACHE=0: parsed and checked like the baseline, which never has a cache",
    ),
    # 2: check
    "check-imports": Bar("2", "`check` imports no Textual/Rich, `show` no Textual", "", None, "python -X importtime"),
    "check-sparta": Bar(
        "2", "`briefing check sparta.toml`, whole process", "ms", 1.5, "`python -c 'import tomllib, msgspec'`"
    ),
    "check-sparta-no-bytecode": Bar(
        "2", "`briefing check sparta.toml`, no bytecode cache", "ms", None, "the same floor"
    ),
    # 3: keys
    "key-assets": Bar("3", "assets table `{key}`", "ms", 1.5, "one DataTable, same rows, same size"),
    "key-sections": Bar("3", "sections `{key}`", "ms", 1.5, "one Static, text replaced"),
    "key-sections-scroll": Bar(
        "3",
        "sections `{key}`, vs a scrolling Static",
        "ms",
        None,
        "one Static in a VerticalScroll, text replaced",
        "not the issue's baseline: shows how much of the gap is Textual's own cost of a scrolling reader",
    ),
    "key-tmux": Bar("3", "tmux send-keys `{key}`, to first change (spot check)", "ms", None, "{compared}"),
    "key-tmux-exits": Bar("3", "tmux spot check: sessions where the app exited", "", None, "—"),
    # 4: scale
    "check-many": Bar(
        "4a", "`briefing check` × {files} files, one process", "s", 1.5, "read + `tomllib.loads` only, one process"
    ),
    "huge-warm": Bar(
        "4b",
        "first frame, 5,000-asset briefing (cache warm)",
        "ms",
        1.5,
        "the reader on the Sparta briefing",
        "opened before: the reader's cache of validated briefings ($XDG_CACHE_HOME/briefing) holds it",
    ),
    "huge-first-open": Bar(
        "4b",
        "first frame, 5,000-asset briefing (first open)",
        "ms",
        1.5,
        "the reader on the Sparta briefing",
        "BRIEFING_CACHE=0: parsed and validated from the TOML, as on the first open of a file; the headline is on "
        "the loading screen the reader shows while it parses in the background",
    ),
    "huge-settled": Bar(
        "4b",
        "whole screen settled, 5,000-asset briefing (first open)",
        "ms",
        None,
        "the reader on the Sparta briefing, settled",
        "not a bar: when the main screen with all its panes has stopped changing",
    ),
    "key-huge": Bar("4c", "5,000-row table `{key}`", "ms", 1.5, "one DataTable, same rows, same size"),
    # H, G: hostile shapes, the map
    "hostile": Bar(
        "H", "`briefing check`, {label}", "ms", None, "read + `tomllib.loads` of the same file, one process"
    ),
    "map": Bar("G", "{label}", "ms", None, "{floor}"),
    # 14: the library, search, review
    "library-open": Bar(
        "L1",
        "library of {files} briefings on screen (index warm), 120x40 tmux",
        "ms",
        1.5,
        "the complete main screen of the Sparta briefing alone",
        "complete: the list's title with its count, the first rows and the footer",
    ),
    "index-build": Bar(
        "L2", "first index build of {files} briefings", "s", 1.5, "reading + `tomllib.loads` of the same files"
    ),
    "index-update": Bar(
        "L2",
        "index brought up to date after one of {files} files changed (open + rescan + re-index)",
        "s",
        0.05,
        "the first build of the same files",
    ),
    "search": Bar(
        "L3",
        "library search, median of {queries} queries (parse, run, hits)",
        "ms",
        1.5,
        "the same FTS5 statement through bare sqlite3 on the same index",
    ),
    "search-frame": Bar(
        "L3",
        "library search against a frame (16 ms), median of {queries} queries",
        "ms",
        1.0,
        "16 ms, one frame at 60 Hz",
        "the ratio is the search's median over 16 ms: at most 1.0 keeps it within a frame",
    ),
    "flag-saved": Bar(
        "L4",
        "key to committed flag: the `I` key's action in a running reader",
        "ms",
        1.5,
        "a bare sqlite3 insert + commit, WAL and synchronous=FULL",
        "from the start of the key's action to the commit of its transaction; the notice and the pane's "
        "redraw come after the save",
    ),
    # S: `briefing serve ssh`, from the client's side (the OpenSSH client in tmux, loopback)
    "serve-library": Bar(
        "S1",
        "`ssh HOST`: the library screen complete, 120x40 tmux",
        "ms",
        0.5,
        "a cold local `briefing LIBDIR` (a new process), the same screen",
        "complete: a row's headline and the footer's Open and Quit; from `new-session` of the pane running `ssh` "
        "(connection, key exchange, login, the reader's first frames) against `new-session` of the pane "
        "running `briefing`",
    ),
    "serve-sparta": Bar(
        "S1",
        "`ssh -t HOST sparta`: the complete main screen, 120x40 tmux",
        "ms",
        0.5,
        "a cold local `briefing LIBDIR/sparta.toml`, the same screen",
        "complete: bar 1's needles (the section list, the lede, the assets table, the footer)",
    ),
    "serve-burst-served": Bar("S2", "{count} sessions opened at once: all served", "", None, "—"),
    "serve-burst": Bar(
        "S2",
        "{count} sessions opened at once: median complete main screen",
        "ms",
        3.0,
        "one session alone (before and after the burst, same run)",
        "the panes made first, each `ssh` held at a gate, then all released with one write through the tmux "
        "control client; each session timed from that write to its complete screen. The machine's {cores} cores "
        "run the server, the readers, the {count} clients and tmux (RESULTS.md gives the CPU each used)",
    ),
    "serve-burst-p90": Bar(
        "S2", "{count} sessions opened at once: p90 complete main screen", "ms", None, "one session alone"
    ),
    "serve-burst-max": Bar(
        "S2", "{count} sessions opened at once: slowest complete main screen", "ms", None, "one session alone"
    ),
    "serve-memory-sparta": Bar(
        "S3",
        "memory per idle session, main screen: the reader's USS",
        "MiB",
        1.0,
        "VmRSS of a local `briefing` on the same screen",
        "USS = Private_Clean + Private_Dirty of /proc/<reader>/smaps_rollup, the screen still for 1 s; the pages "
        "the reader still shares with the server's warm process are not counted (they are paid once)",
    ),
    "serve-memory-library": Bar(
        "S3",
        "memory per idle session, library screen: the reader's USS",
        "MiB",
        1.0,
        "VmRSS of a local `briefing` on the same screen",
    ),
    "serve-memory-many": Bar(
        "S3",
        "memory per idle session, {count} open at once (mean reader USS), main screen",
        "MiB",
        None,
        "VmRSS of a local `briefing` on the same screen",
    ),
    # 16: exports
    "export": Bar(
        "E1",
        "`briefing export` of the 5,000-asset briefing `--to {to}`",
        "s",
        2.0,
        "`briefing show` of the same file, `--width 100`",
        "whole processes, output to /dev/null, the cache of validated briefings off for both (each parses and "
        "checks the file)",
    ),
}
