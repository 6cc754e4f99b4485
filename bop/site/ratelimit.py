"""A small in-memory rate limit per client address, for the public check-in and kiosk pairing.

Deliberately simple: a sliding window per key, kept in this process only (each gunicorn worker
counts for itself, so the effective limit is at most workers × limit). That is enough to stop a
script from filling the attendance with fake check-ins, without storing anyone's address.
"""
from __future__ import annotations

import threading
import time
from collections import deque


class RateLimit:
    def __init__(self, limit: int, window_seconds: float, max_keys: int = 10_000):
        self.limit = limit
        self.window = window_seconds
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, now: float | None = None) -> bool:
        """Count one request for `key`; False when it is over the limit (and then not counted)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                if len(self._hits) >= self.max_keys:
                    self._forget_idle(now)
                hits = self._hits[key] = deque()
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()

    def _forget_idle(self, now: float) -> None:
        # Bounded memory: drop keys without hits in the window, or everything if all are busy.
        idle = [key for key, hits in self._hits.items() if not hits or hits[-1] <= now - self.window]
        for key in idle or list(self._hits):
            del self._hits[key]
