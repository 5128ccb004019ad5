"""Cached pages while another process writes: served at once, brought up to date in the background."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from newsdesk.web.cache import PageCache


class Data:
    """The store's data version and a page that shows it, counting renders."""

    def __init__(self) -> None:
        self.version = 0
        self.renders = 0

    def render(self) -> bytes:
        self.renders += 1
        return f"version {self.version}".encode()


def _eventually(check: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.01)
    return False


def _cache(data: Data, **options: float) -> PageCache:
    return PageCache(version=lambda: data.version, check_every=0.0, refresh_every=0.0, **options)


def test_a_page_changed_elsewhere_is_served_at_once_then_brought_up_to_date() -> None:
    data = Data()
    cache = _cache(data)
    cache.get("/a")  # the cache learns the version
    cache.put("/a", data.render(), render=data.render)
    data.version = 1  # another process commits
    assert cache.get("/a") == b"version 0", "the reader does not wait for the re-render"
    assert _eventually(lambda: cache.get("/a") == b"version 1")
    renders = data.renders
    for _ in range(20):
        cache.get("/a")
    assert data.renders == renders, "an up-to-date page is not rendered again"


def test_a_page_without_its_render_or_stale_too_long_is_rendered_by_the_request() -> None:
    data = Data()
    cache = _cache(data, max_stale=0.05)
    cache.get("/a")
    cache.put("/a", b"plain")  # no render: dropped on a change, as before
    cache.put("/b", data.render(), render=lambda: time.sleep(1) or b"slow")
    data.version = 1
    assert cache.get("/a") is None
    assert cache.get("/b") == b"version 0"
    time.sleep(0.1)
    assert cache.get("/b") is None, "never older than max_stale"


def test_a_page_that_cannot_be_rendered_again_is_dropped() -> None:
    data = Data()
    cache = _cache(data)
    cache.get("/gone")

    def deleted() -> bytes:
        raise LookupError("no such article")

    cache.put("/gone", b"old", render=deleted)
    data.version = 1
    assert cache.get("/gone") == b"old"
    assert _eventually(lambda: cache.get("/gone") is None)


def test_the_site_shows_another_process_s_article_in_the_related_panel_within_seconds(
    tmp_path: Path,
) -> None:
    import warnings

    from builders import make_brief
    from newsdesk.config import Settings
    from newsdesk.store import open_store
    from newsdesk.web.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    path = str(tmp_path / "news.db")
    site, other = open_store(path), open_store(path)  # the site's, and an ingest's
    site.save(make_brief("pact-1", url="https://one.example/pact"))
    client = TestClient(create_app(site, Settings(db=path)))
    first = client.get("/articles/pact-1").text
    assert "pact-2" not in first
    other.save(make_brief("pact-2", url="https://two.example/pact", published="2025-01-03",
                          text="Japan and the Philippines signed a defence pact in Manila. "
                               "Tokyo will send ships to the Philippines."))  # fmt: skip
    assert _eventually(lambda: "/articles/pact-2" in client.get("/articles/pact-1").text, 10)
    other.close()
    site.close()


def test_a_page_read_lately_is_brought_up_to_date_before_its_next_reader() -> None:
    data = Data()
    cache = PageCache(version=lambda: data.version, check_every=0.05, refresh_every=0.0)
    cache.get("/a")
    cache.put("/a", data.render(), render=data.render)
    cache.get("/a")
    data.version = 1  # another process commits; no reader comes for a while
    assert _eventually(lambda: data.renders == 2, 5), "re-rendered by the watcher"
    assert cache.get("/a") == b"version 1"


def test_closing_the_store_under_a_watching_cache_stops_the_watcher(tmp_path: Path) -> None:
    """The CI crash: a watcher read `data_version` while the store was being closed."""
    import subprocess
    import sys

    script = f"""
import threading
from newsdesk.store import open_store
from newsdesk.web.cache import PageCache
for n in range(40):
    store = open_store({str(tmp_path / "db")!r} + str(n) + ".sqlite")
    cache = PageCache(version=store.data_version, check_every=0.0)
    readers = [threading.Thread(target=lambda: [cache.get("/a") for _ in range(200)])
               for _ in range(2)]
    for reader in readers:
        reader.start()
    store.close()
    for reader in readers:
        try:
            reader.join()
        except Exception:
            pass
print("ok", sum(t.name == "newsdesk-page-watch" for t in threading.enumerate()))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["ok", "0"], "every watcher stopped with its store"


def test_the_watcher_re_renders_only_the_pages_read_last() -> None:
    """An ingest that never stops must not keep the one re-rendering thread busy."""
    from newsdesk.web.cache import WATCHED_PAGES

    data = Data()
    cache = PageCache(version=lambda: data.version, check_every=0.05, refresh_every=0.0)
    keys = [f"/articles/{n}" for n in range(WATCHED_PAGES * 3)]
    for key in keys:
        cache.get(key)
        cache.put(key, data.render(), render=data.render)
        cache.get(key)
    data.renders = 0
    data.version = 1
    assert _eventually(lambda: data.renders >= WATCHED_PAGES, 5)
    time.sleep(0.3)
    assert data.renders == WATCHED_PAGES, "not every page read in the last half minute"
    assert cache.get(keys[-1]) == b"version 1", "the page read last is up to date"


def test_a_page_rendered_just_before_a_change_is_re_rendered_once_it_may_be() -> None:
    data = Data()
    cache = PageCache(version=lambda: data.version, check_every=0.05, refresh_every=0.5)
    cache.get("/a")
    cache.put("/a", data.render(), render=data.render)
    cache.get("/a")
    data.version = 1  # at once after the render: too soon to render again
    assert _eventually(lambda: data.renders == 2, 5), "re-rendered when refresh_every passed"
    assert cache.get("/a") == b"version 1"
