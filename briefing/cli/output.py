"""What the file-writing commands (``export``, ``review export``) share: one-line messages, the output, the store.

A message is one line on standard error, ``briefing: error: ...`` or
``briefing: warning: ...``, made safe for a terminal (``one_line``): it quotes
file names and the store's words, which may hold anything.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from briefing.format.safetext import one_line

if TYPE_CHECKING:
    from briefing.storage.review import ReviewStore

EXIT_PROBLEM = 1
_T = TypeVar("_T")


def fail(message: str, status: int = EXIT_PROBLEM) -> int:
    """Say what went wrong; the exit status to use."""
    sys.stderr.write(f"briefing: error: {one_line(message)}\n")
    return status


def warn(message: str) -> None:
    sys.stderr.write(f"briefing: warning: {one_line(message)}\n")


def write_result(output: str | None, data: bytes) -> str | None:
    """``data`` on standard output (no ``output``, or ``-``) or into ``output``, all or nothing.

    None when written; otherwise the sentence that says why not.
    """
    if output is None or output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return None
    from briefing.storage.files import write_output

    try:
        write_output(output, data)
    except OSError as error:
        return f"cannot write {output}: {error.strerror or error}"
    return None


def read_review(read: Callable[[ReviewStore], _T]) -> _T | str:
    """``read`` of the user's review store, or the sentence that says why it cannot be read.

    The store is opened with ``create=False``: reading an empty review makes no
    store. A store read with a problem (read-only, say) is read, with a warning.
    """
    from briefing.storage.review import ReviewStore, StoreError

    with ReviewStore.open(create=False) as store:
        if not store.readable:
            return f"the review store cannot be read: {store.problem}"
        try:
            found = read(store)
        except StoreError as error:
            return str(error)
        if store.problem:
            warn(f"review store: {store.problem}")
    return found
