"""Rendered pages kept in memory: article pages are read far more than written.

A save through this app clears the cache at once. A save by another process
(an ingest, a worker, another web process) changes the store's
`data_version`, which the cache looks at once every `check_every` seconds;
pages kept before that, or past their time to live, are stale. A stale page
that was kept with its `render` function is still served, at once, while one
background thread renders it again (stale while revalidate): an ingest
beside the site never makes readers wait for the pages it touched to be
rebuilt, and a page lags the database by the time it takes to re-render the
pages being read (about a second on a quiet machine, more under load), never
more than `max_stale` seconds, after which it counts as missing and is
rendered for the reader who asks. A thread looks for such changes every
`check_every` seconds and then re-renders at once the pages read last (at most
`WATCHED_PAGES` of those read in the last `READ_LATELY` seconds, in rounds at
most `refresh_every` seconds apart), so that they follow the database within
about a second even before their next reader. A reader's request re-renders a
stale page at most once every `refresh_every` seconds too: an ingest that
never stops must not keep the one re-rendering thread busy, since it shares
the interpreter with the readers. A stale page kept without one is
dropped. The app keeps two caches: article pages, and listings and search
results for a short while, so that under load a listing is rendered once per
period instead of once a request.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger("newsdesk")

Render = Callable[[], bytes]
READ_LATELY = 30.0  # pages read this recently are re-rendered as soon as a change is seen
WATCHED_PAGES = 32  # at most this many of them, the most lately read first


@dataclass(slots=True)
class _Entry:
    page: bytes
    made: float  # when its rendering started
    ttl: float
    render: Render | None
    stale_since: float | None = None
    read: float = 0.0  # when a reader last asked for it

    def stale(self, now: float) -> float | None:
        """Since when the page is stale, if it is."""
        if self.stale_since is not None:
            return self.stale_since
        expires = self.made + self.ttl
        return expires if now > expires else None


class PageCache:
    def __init__(
        self,
        *,
        ttl: float = 300.0,
        size: int = 512,
        version: Callable[[], int] | None = None,
        check_every: float = 0.5,
        max_stale: float = 30.0,
        refresh_every: float = 1.0,
    ) -> None:
        self.ttl = ttl
        self.size = size
        self.max_stale = max_stale
        self.refresh_every = refresh_every
        self._pages: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._version = version
        self._check_every = check_every
        self._seen: int | None = None
        self._checked = 0.0
        self._changed = -1e9  # when a change by another process was last seen
        self._refresher: _Refresher | None = None
        self._watching = False
        self._round_wanted = False  # a change was seen since the last round of re-renders
        self._round_started = -1e9

    def get(self, key: str) -> bytes | None:
        """The page, fresh or (while it is re-rendered) stale; None when there is none to serve."""
        self._watch()
        self._note_changes()
        now = time.monotonic()
        with self._lock:
            entry = self._pages.get(key)
            if entry is None:
                return None
            stale = entry.stale(now)
            if stale is not None and (entry.render is None or now - stale > self.max_stale):
                del self._pages[key]
                return None
            self._pages.move_to_end(key)
            entry.read = now
        if stale is not None and now - entry.made >= self.refresh_every:
            self._refresh(key)
        return entry.page

    def put(
        self,
        key: str,
        page: bytes,
        *,
        ttl: float | None = None,
        render: Render | None = None,
        made: float | None = None,
    ) -> None:
        """Keep `page` for `ttl` seconds (the cache's own by default).

        `render` makes the page again, for serving it stale while it is
        re-rendered; `made` is when the rendering of `page` started.
        """
        made = time.monotonic() if made is None else made
        entry = _Entry(page, made, self.ttl if ttl is None else ttl, render)
        if self._changed > made:  # another process changed the data while it was rendered
            entry.stale_since = self._changed
        with self._lock:
            self._pages[key] = entry
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    def _note_changes(self) -> None:
        """Mark every page stale when the store says another process changed it."""
        now = time.monotonic()
        if self._version is None or now - self._checked < self._check_every:
            return
        self._checked = now
        version = self._version()
        changed = self._seen is not None and version != self._seen
        if changed:
            self._changed = now
            with self._lock:
                for entry in self._pages.values():
                    if entry.stale_since is None:
                        entry.stale_since = now
        self._seen = version
        self._refresh_read_lately(now, choose=changed)

    def _refresh_read_lately(self, now: float, *, choose: bool) -> None:
        """After a change, re-render the pages read last before their next reader comes.

        A round re-renders at most `WATCHED_PAGES` of them, and rounds start at most
        once every `refresh_every` seconds (a change seen sooner waits for the next):
        the one re-rendering thread shares the interpreter with the readers, and an
        ingest that never stops must not keep it busy.
        """
        self._round_wanted = self._round_wanted or choose
        if not self._round_wanted or now - self._round_started < self.refresh_every:
            return
        self._round_wanted, self._round_started = False, now
        with self._lock:
            lately = [(entry.read, key) for key, entry in self._pages.items()
                      if entry.render is not None and entry.stale_since is not None
                      and now - entry.read < READ_LATELY]  # fmt: skip
        for _, key in sorted(lately, reverse=True)[:WATCHED_PAGES]:
            self._refresh(key)

    def _watch(self) -> None:
        """Look for other processes' changes on a thread too, not only when a reader asks."""
        if self._watching or self._version is None or self._check_every <= 0:
            return
        self._watching = True

        def watch() -> None:
            while True:
                time.sleep(self._check_every)
                try:
                    self._note_changes()
                except Exception as error:  # store closed or failed; the next reader restarts it
                    log.debug("newsdesk: page cache watcher stopped: %s", error)
                    self._watching = False
                    return

        threading.Thread(target=watch, name="newsdesk-page-watch", daemon=True).start()

    def _refresh(self, key: str) -> None:
        if self._refresher is None:
            self._refresher = _Refresher(self)
        self._refresher.ask(key)

    def rerender(self, key: str) -> None:
        """Render a stale page again (on the refresher's thread); drop it if that fails."""
        with self._lock:
            entry = self._pages.get(key)
        if entry is None or entry.render is None or entry.stale(time.monotonic()) is None:
            return
        started = time.monotonic()
        try:
            page = entry.render()
        except Exception as error:  # the article was deleted, the database failed...
            log.debug("newsdesk: %s not re-rendered: %s", key, error)
            with self._lock:
                if self._pages.get(key) is entry:
                    del self._pages[key]
            return
        self.put(key, page, ttl=entry.ttl, render=entry.render, made=started)


class _Refresher:
    """One daemon thread re-rendering the stale pages readers asked for, one at a time."""

    def __init__(self, cache: PageCache) -> None:
        self._cache = cache
        self._queue: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._asked: set[str] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._run, name="newsdesk-pages", daemon=True).start()

    def ask(self, key: str) -> None:
        with self._lock:
            if key in self._asked:
                return
            self._asked.add(key)
        self._queue.put(key)

    def _run(self) -> None:
        while True:
            key = self._queue.get()
            with self._lock:
                self._asked.discard(key)
            self._cache.rerender(key)


def cache_key(path: str, query: str = "") -> str:
    """A page's key: its path, and its query string when it has one."""
    return f"{path}?{query}" if query else path
