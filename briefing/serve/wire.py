"""Messages between the server, the warm process and the readers: one JSON object per datagram, with descriptors.

The sockets are ``socketpair(AF_UNIX, SOCK_SEQPACKET)``: message boundaries
are kept and a peer that exits closes its end, which the other end reads as
an empty message. Nothing listens on a path, so no other user can connect.
"""

from __future__ import annotations

import contextlib
import json
import socket
from typing import Any

MAX_MESSAGE = 64 * 1024
MAX_DESCRIPTORS = 4


def pair() -> tuple[socket.socket, socket.socket]:
    return socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)


def send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    data = json.dumps(message).encode()
    if fds:
        socket.send_fds(sock, [data], fds)
    else:
        sock.send(data)


class Closed(Exception):
    """The peer has gone: its end of the socket is closed."""


def receive(sock: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """The next message and the descriptors that came with it; ``Closed`` once the peer is gone.

    ``BlockingIOError`` on a non-blocking socket with nothing to read.
    """
    try:
        data, fds, _flags, _address = socket.recv_fds(sock, MAX_MESSAGE, MAX_DESCRIPTORS)
    except (ConnectionResetError, BrokenPipeError):
        raise Closed from None
    if not data:
        for fd in fds:
            _close(fd)
        raise Closed
    try:
        message = json.loads(data)
    except ValueError:
        message = None
    if not isinstance(message, dict):
        for fd in fds:
            _close(fd)
        return {}, []
    return message, fds


def _close(fd: int) -> None:
    import os

    with contextlib.suppress(OSError):
        os.close(fd)
