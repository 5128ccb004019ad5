"""Rendered pages kept in memory: article pages are read far more than written.

A save through this app clears the cache at once; a save by another
process (``newsdesk ingest`` on the same database) shows after `ttl` seconds.
The app keeps two: article pages for 30 s, and listings (which change with
every article ingested elsewhere) for 2 s and search results for 30 s, so
that under load a listing or a search is rendered once per period instead of
once a request, and does not hold up the article pages queued behind it on
the event loop.
"""

from __future__ import annotations

import time
from collections import OrderedDict


class PageCache:
    def __init__(self, *, ttl: float = 30.0, size: int = 512) -> None:
        self.ttl = ttl
        self.size = size
        self._pages: OrderedDict[str, tuple[float, bytes]] = OrderedDict()  # key: (expiry, page)

    def get(self, key: str) -> bytes | None:
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


def cache_key(path: str, query: str = "") -> str:
    """A page's key: its path, and its query string when it has one."""
    return f"{path}?{query}" if query else path
