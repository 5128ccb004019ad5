"""Rendered pages kept in memory: article pages are read far more than written.

A save through this app clears the cache at once. A save by another process
(an ingest, a worker, another web process) changes the store's
`data_version`, which the cache looks at once every `check_every` seconds:
no page lags behind the database by more than that. The app keeps two:
article pages, and listings and search results for a short while, so that
under load a listing is rendered once per period instead of once a request.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class PageCache:
    def __init__(
        self,
        *,
        ttl: float = 300.0,
        size: int = 512,
        version: Callable[[], int] | None = None,
        check_every: float = 0.5,
    ) -> None:
        self.ttl = ttl
        self.size = size
        self._pages: OrderedDict[str, tuple[float, bytes]] = OrderedDict()  # key: (expiry, page)
        self._version = version
        self._check_every = check_every
        self._seen: int | None = None
        self._checked = 0.0

    def get(self, key: str) -> bytes | None:
        self._drop_if_stale()
        entry = self._pages.get(key)
        if entry is None or time.monotonic() > entry[0]:
            return None
        self._pages.move_to_end(key)
        return entry[1]

    def put(self, key: str, page: bytes, *, ttl: float | None = None) -> None:
        """Keep `page` for `ttl` seconds (the cache's own by default)."""
        self._pages[key] = (time.monotonic() + (self.ttl if ttl is None else ttl), page)
        self._pages.move_to_end(key)
        while len(self._pages) > self.size:
            self._pages.popitem(last=False)

    def clear(self) -> None:
        self._pages.clear()

    def _drop_if_stale(self) -> None:
        """Clear everything when the store says another process changed it."""
        now = time.monotonic()
        if self._version is None or now - self._checked < self._check_every:
            return
        self._checked = now
        version = self._version()
        if self._seen is not None and version != self._seen:
            self.clear()
        self._seen = version


def cache_key(path: str, query: str = "") -> str:
    """A page's key: its path, and its query string when it has one."""
    return f"{path}?{query}" if query else path
