"""The server's log: one JSON object a line, for ``jq``, journald and log shippers.

Every line has ``time`` (UTC, ISO 8601), ``event`` and the fields of that
event; text from clients (user names, commands, terminal types) is written as
JSON strings, so a control character in it is escaped, never sent raw.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import IO, Any


class EventLog:
    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr

    @classmethod
    def open(cls, target: str) -> EventLog:
        if target == "-":
            return cls(sys.stderr)
        return cls(open(target, "a", encoding="utf-8", buffering=1))

    def write(self, event: str, **fields: Any) -> None:
        record = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": event, **fields}
        try:
            self.stream.write(json.dumps(record, ensure_ascii=True, default=str) + "\n")
            self.stream.flush()
        except (OSError, ValueError):
            # A full disk or a closed log must not stop the sessions.
            pass
