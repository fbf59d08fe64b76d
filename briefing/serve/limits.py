"""How many sessions are open, by user and by address, and which addresses failed to log in too often.

Pure bookkeeping, no I/O: the server asks before it opens a session and
tells when one ends; the clock is passed in, so the rules can be tested alone.
"""

from __future__ import annotations

from collections import Counter, OrderedDict, deque
from dataclasses import dataclass


@dataclass(frozen=True)
class SessionCaps:
    total: int
    per_user: int
    per_address: int


class SessionCounts:
    """Open sessions; ``refusal`` says why one more may not open."""

    def __init__(self) -> None:
        self.total = 0
        self.by_user: Counter[str] = Counter()
        self.by_address: Counter[str] = Counter()

    def refusal(self, caps: SessionCaps, user: str, address: str) -> str | None:
        """Why a session of ``user`` from ``address`` may not open now, or None."""
        if self.total >= caps.total:
            return f"the server is full ({self.total} of {caps.total} sessions open); try again later"
        if self.by_user[user] >= caps.per_user:
            return f"{user} has {self.by_user[user]} sessions open, the most one user may; close one first"
        if self.by_address[address] >= caps.per_address:
            return f"{self.by_address[address]} sessions are open from {address}, the most one address may"
        return None

    def opened(self, user: str, address: str) -> None:
        self.total += 1
        self.by_user[user] += 1
        self.by_address[address] += 1

    def closed(self, user: str, address: str) -> None:
        self.total -= 1
        for counter, key in ((self.by_user, user), (self.by_address, address)):
            counter[key] -= 1
            if counter[key] <= 0:
                del counter[key]


class FailedLogins:
    """Failed logins per address in a sliding window; an address at the limit is refused until they age out.

    Memory is bounded: at most ``limit`` times are kept per address, and
    addresses whose failures all aged out are forgotten. The addresses are
    kept in the order of their last failure, so forgetting looks only at those
    it forgets (and one more): a login costs the same with a hundred thousand
    addresses in the window as with one.
    """

    def __init__(self) -> None:
        self._times: OrderedDict[str, deque[float]] = OrderedDict()

    def failed(self, address: str, now: float, limit: int) -> None:
        times = self._times.get(address)
        if times is None or times.maxlen != limit:
            times = self._times[address] = deque(times or (), maxlen=limit)
        times.append(now)
        self._times.move_to_end(address)

    def blocked_for(self, address: str, now: float, limit: int, window: float) -> float:
        """Seconds until ``address`` may try again (0: it may now)."""
        self._forget(now, window)
        times = self._times.get(address)
        if times is None or len(times) < limit:
            return 0.0
        # The oldest of the last ``limit`` failures leaves the window then.
        return max(0.0, times[-limit] + window - now)

    def _forget(self, now: float, window: float) -> None:
        # The oldest last failure first (the server's clock is monotonic): stop at the first still in the window.
        while self._times:
            address = next(iter(self._times))
            times = self._times[address]
            if times and times[-1] + window > now:
                return
            del self._times[address]
