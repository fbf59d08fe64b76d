"""Coverage-guided fuzzing of the loader with atheris (libFuzzer).

Every input goes through ``parse_briefing`` as bytes, the way a file does.
What must hold for any input: no exception escapes; the result is a
briefing or problems, never both nor neither; each problem has a place in
the file and prints as one line with no control character in it.

    python tests/fuzz/fuzz_loader.py CORPUS_DIR [libFuzzer flags, e.g. -runs=10000]

``tests/test_fuzz.py`` runs it for a bounded time on a corpus seeded from
the bundled briefing and tests/fuzz/seeds.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    import tomllib  # noqa: F401 - instrumented too: its branches guide the fuzzer into TOML

    from briefing.format.reading import parse_briefing

# Anything the terminal could take as a control: C0 but tab, DEL, C1.
_CONTROLS = {chr(code) for code in (*range(0x09), *range(0x0A, 0x20), *range(0x7F, 0xA0))}


def check_one(data: bytes) -> None:
    result = parse_briefing(data, "fuzz.toml")
    if result.ok:
        assert result.briefing is not None and not result.problems
        return
    assert result.problems, "neither a briefing nor a problem"
    lines = data.count(b"\n") + 1
    for problem in result.problems:
        assert 1 <= problem.line <= lines + 1 and problem.column >= 1, problem
        text = str(problem)
        assert "\n" not in text and not (_CONTROLS & set(text)), repr(text)
        assert text.startswith(f"fuzz.toml:{problem.line}:{problem.column}: error: "), text


def main() -> None:
    atheris.Setup(sys.argv, check_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
