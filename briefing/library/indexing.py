"""Indexing one file (read, hash, parse, extract), here or in worker processes.

Parsing is most of the cost of building an index (``tomllib`` is pure
Python), so a first build of many files parses them in worker processes, one
per processor, while this process writes what they found into the database.
A worker is a fresh interpreter started with ``sys.executable`` and fed by
pipes: requests and answers are length-prefixed msgpack frames. Not
``multiprocessing``: its spawned children import the parent's main script
again, which a program that embeds the library need not be written for; and
a fork of a process running threads (the reader's) is unsafe. A worker that
cannot start or dies leaves its files to this process: indexing never fails
for want of workers.
"""

from __future__ import annotations

import collections
import contextlib
import os
import struct
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, NamedTuple

import msgspec

from briefing.analysis.index import section_title
from briefing.format.limits import MAX_BYTES
from briefing.format.reading import LoadResult, parse_briefing, peek_meta
from briefing.library.passages import Passage, extract
from briefing.library.query import credibility_facet, kind_facet, reliability_facet

__all__ = ["FileFacts", "index_file", "index_files", "serve"]

# From this many files to parse, worker processes parse them (their start,
# a tenth of a second each, is then well spent).
POOL_FROM = 12
MAX_WORKERS = 8
# Requests sent ahead to each worker, so none waits while this process writes.
AHEAD = 2
_LENGTH = struct.Struct(">I")
# An answer holds a file's passages: a few times its size at most.
MAX_FRAME = 16 * MAX_BYTES


class FileFacts(NamedTuple):
    """What indexing one file found: plain values, sent from a worker as msgpack."""

    sha256: bytes | None
    # The bytes are those of ``known_sha256``: nothing else was looked at.
    unchanged: bool
    ok: bool
    problem: str | None
    headline: str | None
    published: str | None
    tags: list[str]
    sections: list[tuple[str, str]]
    # (number, kind, section, block, ref_kind, ref_id, anchors JSON, text, facets)
    passages: Sequence[tuple[object, ...]]
    names: list[tuple[str, str, str]]


def index_file(path: str, known_sha256: bytes | None) -> FileFacts:
    """Read, hash, parse and extract one file; never raises (a bug becomes the file's problem)."""
    try:
        return _index_file(path, known_sha256)
    except Exception as error:  # a bug of ours must not stop the library: the file shows it
        return _broken(None, f"internal error while indexing: {type(error).__name__}: {error}", None)


def _index_file(path: str, known_sha256: bytes | None) -> FileFacts:
    import hashlib

    from briefing.storage.files import Refused, read_regular

    try:
        data = read_regular(path, MAX_BYTES, limit_of=" for a briefing")
    except Refused as refused:
        return _broken(None, str(refused), None)
    sha256 = hashlib.sha256(data).digest()
    if sha256 == known_sha256:
        return FileFacts(sha256, True, True, None, None, None, [], [], [], [])
    result = _parse(path, data)
    briefing = result.briefing
    if briefing is None or not result.ok:
        problem = result.problems[0] if result.problems else None
        message = "not a briefing"
        where = ""
        if problem is not None:
            # As `briefing check` says it, without the file (the library's row names it).
            message = f"{problem.key}: {problem.message}" if problem.key else problem.message
            where = f"{problem.line}:{problem.column}: " if problem.line else ""
        meta = peek_meta(data)
        return _broken(sha256, where + message, meta.headline if meta else None)
    extracted = extract(briefing, data.decode("utf-8"))
    encode = msgspec.json.encode
    passages = [
        (
            number,
            passage.kind,
            passage.section,
            passage.block,
            passage.ref_kind,
            passage.ref_id,
            encode(passage.anchors).decode(),
            passage.text,
            _facets(passage),
        )
        for number, passage in enumerate(extracted.passages)
    ]
    meta = briefing.meta
    return FileFacts(
        sha256,
        False,
        True,
        None,
        meta.headline,
        meta.published.isoformat() if meta.published else None,
        list(meta.tags),
        [(section.id, section_title(section)) for section in briefing.sections],
        passages,
        extracted.names,
    )


def _facets(passage: Passage) -> str:
    """The words of the ``facets`` column: the entity's kind and the editor's grading (query.py)."""
    facets = []
    if passage.sub is not None:
        facets.append(kind_facet(passage.sub))
    if passage.reliability is not None:
        facets.append(reliability_facet(passage.reliability))
    if passage.credibility is not None:
        facets.append(credibility_facet(passage.credibility))
    return " ".join(facets)


def _parse(path: str, data: bytes) -> LoadResult:
    """The briefing from the cache of validated briefings when the reader put it there, else parsed."""
    from briefing.storage import parsed_cache

    cached = parsed_cache.lookup(path, data)
    if cached is not None:
        return LoadResult(path, briefing=cached)
    return parse_briefing(data, path)


def _broken(sha256: bytes | None, problem: str, headline: str | None) -> FileFacts:
    return FileFacts(sha256, False, False, problem, headline, None, [], [], [], [])


def index_files(requests: Sequence[tuple[str, bytes | None]]) -> Iterator[FileFacts]:
    """``index_file`` of each (path, known hash), in order: by worker processes when there are many."""
    workers = min(_processors(), MAX_WORKERS)
    if len(requests) < POOL_FROM or workers < 2 or not sys.executable:
        for path, known in requests:
            yield index_file(path, known)
        return
    yield from _Pool(workers).run(requests)


def _processors() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# The worker's side


def serve() -> None:
    """A worker's loop: a request from standard input, its facts to standard output, until input ends."""
    requests = sys.stdin.buffer
    answers = sys.stdout.buffer
    decoder = msgspec.msgpack.Decoder(tuple[bytes, bytes | None])
    encoder = msgspec.msgpack.Encoder()
    while True:
        frame = _read_frame(requests)
        if frame is None:
            return
        path, known = decoder.decode(frame)
        facts = index_file(os.fsdecode(path), known)
        try:
            answer = encoder.encode(facts)
        except (msgspec.EncodeError, UnicodeEncodeError) as error:
            answer = encoder.encode(_broken(None, f"internal error while indexing: {error}", None))
        _write_frame(answers, answer)


def _read_frame(stream: IO[bytes]) -> bytes | None:
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(head)
    if length > MAX_FRAME:
        return None
    body = stream.read(length)
    return body if len(body) == length else None


def _write_frame(stream: IO[bytes], body: bytes) -> None:
    stream.write(_LENGTH.pack(len(body)) + body)
    stream.flush()


# This process's side

# The worker's program: this package found where this process finds it.
_WORKER = "import sys; sys.path[:0] = sys.argv[1:]; from briefing.library.indexing import serve; serve()"


class _Worker:
    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.decoder = msgspec.msgpack.Decoder(FileFacts)

    def index(self, path: str, known: bytes | None) -> FileFacts:
        """The facts of one file from this worker's process; in this process if it cannot answer."""
        try:
            process = self.process or self._start()
            assert process.stdin is not None and process.stdout is not None
            _write_frame(process.stdin, msgspec.msgpack.encode((os.fsencode(path), known)))
            frame = _read_frame(process.stdout)
            if frame is not None:
                return self.decoder.decode(frame)
        except (OSError, ValueError, msgspec.DecodeError):
            pass
        self.close()
        return index_file(path, known)

    def _start(self) -> subprocess.Popen[bytes]:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _WORKER, *[entry for entry in sys.path if entry]],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # A worker says nothing: a Ctrl+C or a bug in one is this process's to report.
            stderr=subprocess.DEVNULL,
        )
        return self.process

    def close(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        with contextlib.suppress(OSError, ValueError):
            if process.stdin is not None:
                process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


class _Pool:
    """Worker processes, each driven by a thread of this process that waits on its pipes."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.local = threading.local()
        self.workers: list[_Worker] = []
        self.lock = threading.Lock()

    def _worker(self) -> _Worker:
        worker: _Worker | None = getattr(self.local, "worker", None)
        if worker is None:
            worker = self.local.worker = _Worker()
            with self.lock:
                self.workers.append(worker)
        return worker

    def _index(self, path: str, known: bytes | None) -> FileFacts:
        return self._worker().index(path, known)

    def run(self, requests: Iterable[tuple[str, bytes | None]]) -> Iterator[FileFacts]:
        from concurrent.futures import Future, ThreadPoolExecutor

        pending: collections.deque[Future[FileFacts]] = collections.deque()
        queue = iter(requests)
        threads = ThreadPoolExecutor(self.size, thread_name_prefix="briefing-index")
        try:
            for path, known in queue:
                pending.append(threads.submit(self._index, path, known))
                if len(pending) >= self.size * AHEAD:
                    break
            while pending:
                facts = pending.popleft().result()
                following = next(queue, None)
                if following is not None:
                    pending.append(threads.submit(self._index, *following))
                yield facts
        finally:
            # Stopped early (Ctrl+C, an error writing): nothing more is parsed.
            for future in pending:
                future.cancel()
            threads.shutdown(wait=True, cancel_futures=True)
            with self.lock:
                for worker in self.workers:
                    worker.close()
