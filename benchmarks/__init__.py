"""Performance benchmarks of the reader, ``briefing check`` and ``briefing show``.

Not part of the test suite (pytest collects ``tests/`` only). Run with
``python -m benchmarks`` (full) or ``python -m benchmarks --quick``; see README.md.
"""
