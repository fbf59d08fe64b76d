"""``briefing check`` on files shaped to be expensive, against parsing them with ``tomllib`` alone.

Validation must stay linear whatever the shape of a file (issue 11): a chain
of 30,000 places each within the next once took 5.5 minutes to check (the
loop check was quadratic), and 5,000 dangling references 50 s (the "did you
mean" search). Each row runs the whole ``briefing check FILE`` process and
the floor, a process that reads the same file and calls ``tomllib.loads`` on
it, interleaved; the ratio is check time over parse time.

The files are generated here, deterministically, into benchmarks/out/hostile.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from benchmarks.checkbench import FLOOR_PARSE, check_command
from benchmarks.common import PYTHON, alternate, timed_run

HEAD = """\
format = 1

[meta]
headline = "A briefing shaped to be expensive"
unstated = ["publication", "author", "published", "url"]

[[sections]]
id = "lede"
kind = "lede"
paragraphs = ["Nothing to read."]
"""


def chain(places: int, *, loop: bool) -> str:
    """``places`` locations, each within the next; with ``loop``, the last within the first."""
    rows = []
    for n in range(places):
        after = (n + 1) % places if loop else n + 1
        within = f'within = "place-{after}"\n' if after < places else ""
        rows.append(
            f'\n[[locations]]\nid = "place-{n}"\nname = "Place number {n} of the chain"\nkind = "region"\n{within}'
        )
    return HEAD + "".join(rows)


def dangling(count: int) -> str:
    """``count`` assets whose owner is an actor id that does not exist, beside ``count`` actors."""
    rows = "".join(
        f'\n[[assets]]\nid = "asset-{n}"\nname = "Asset {n}"\nkind = "ship"\nowner = "actor-{n}x"\n'
        f'\n[[actors]]\nid = "actor-{n}"\nname = "Actor {n}"\nkind = "state"\n'
        for n in range(count)
    )
    return HEAD + rows


# name -> (what the row says, how the file is made, the exit status `check` must give)
CASES: dict[str, tuple[str, Callable[[], str], int]] = {
    "chain": ("30,000-place `within` chain (valid)", lambda: chain(30_000, loop=False), 0),
    "loop": ("30,000-place `within` loop (one problem)", lambda: chain(30_000, loop=True), 1),
    "dangling": ("5,000 dangling references (5,000 problems)", lambda: dangling(5_000), 1),
}


def write_files(out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, (_, make, _) in CASES.items():
        path = out / f"{name}.toml"
        text = make()
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        paths[name] = path
    return paths


def check_against_parse(path: Path, status: int, runs: int) -> dict[str, list[float]]:
    return alternate(
        runs,
        {
            "parse": lambda: timed_run([PYTHON, "-c", FLOOR_PARSE, str(path)]),
            "check": lambda: timed_run(check_command(str(path)), expect=status),
        },
    )
