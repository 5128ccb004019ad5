"""How often the write API may be used: at most N writes per minute per token.

A flood of writes is answered 429 with ``Retry-After`` before any body is
read or any article analysed, so it costs readers almost nothing.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import deque

WINDOW = 60.0  # seconds


class WriteLimiter:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._recent: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait_for(self, token: str, now: float | None = None) -> int:
        """0 when `token` may write now (and counts the write), else the seconds to wait."""
        now = time.monotonic() if now is None else now
        key = hashlib.sha256(token.encode()).hexdigest()  # no secret kept as a dict key
        with self._lock:
            recent = self._recent.setdefault(key, deque())
            while recent and now - recent[0] >= WINDOW:
                recent.popleft()
            if len(recent) >= self.per_minute:
                return max(1, math.ceil(recent[0] + WINDOW - now))
            recent.append(now)
            return 0
