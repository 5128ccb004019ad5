"""XSS in real Chromium: every vector in every field a source controls, live and in the export.

    .venv/bin/python bench/reliability_xss.py          # all vectors, prints the rows

Each vector of `tests/data/xss-vectors.json` goes into a JSONL record (title,
html, author, description, url, image url and alt, site name) and a JSON Feed
item (feed title, id, url, title, author, summary, image, content_html); both
are ingested through the real pipeline, the feed's fetch error and URL are
recorded too, and the site is served by uvicorn and exported. Debian's
Chromium (through Playwright) then opens every article page, the listings,
labels, sources and a search for each vector, live and exported, and records
whether any script ran (`window.__xss`, a dialog), every request for another
origin (aborted; images included, under the default ``proxy`` policy), and
every CSP violation (something the escaping let through that the CSP stopped).
The outside world is an `httpx.MockTransport` answering a PNG to any image
URL newsdesk's media proxy asks for.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
VECTORS = REPO / "tests" / "data" / "xss-vectors.json"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
EVIL = "https://evil.test"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
FIELDS = (
    "record title", "record html", "record author", "record description", "record url",
    "record image url", "record image alt", "record site name", "feed title", "feed item id",
    "feed item url", "feed item title", "feed item author", "feed item summary",
    "feed item image", "feed item content_html", "feed fetch error", "search query",
)  # fmt: skip
WATCH_JS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""
SETTLE_JS = "() => new Promise(r => setTimeout(() => r([window.__xss || null, window.__csp]), 30))"


def load_vectors() -> list[str]:
    vectors: list[str] = json.loads(VECTORS.read_text("utf-8"))
    return vectors


# -- the corpus -----------------------------------------------------------------

FILLER = "Officials in Manila and Tokyo said on Tuesday that talks on the pact would go on."


def record(number: int, vector: str) -> dict[str, Any]:
    """One article whose every source-controlled field carries `vector`."""
    url = vector if number % 2 else f"https://news.example/r{number}?{vector}"
    image = vector if number % 2 == 0 else f"{EVIL}/r{number}.png?{vector}"
    return {
        "id": f"rec-{number}",
        "url": url,
        "title": f"Record {number} {vector}",
        "html": f"<p>{FILLER} Item {number}.</p><p>{vector}</p><p>{FILLER}</p>",
        "author": vector,
        "description": f"Summary {number} {vector}",
        "image": {"url": image, "alt": vector},
        "site_name": vector,
        "published": "2025-03-01",
    }


def feed(vectors: list[tuple[int, str]]) -> dict[str, Any]:
    """A JSON Feed whose title and every item field carry a vector."""
    items = [
        {
            "id": f"feed-{n}-{vector}",
            "url": f"https://feed.example/{n}?{vector}",
            "title": f"Feed item {n} {vector}",
            "authors": [{"name": vector}],
            "summary": vector,
            "image": f"{EVIL}/f{n}.png?{vector}" if n % 2 else vector,
            "content_html": f"<p>{FILLER} Entry {n}.</p>{vector}<p>{' '.join([FILLER] * 6)}</p>",
            "date_published": "2025-03-02T10:00:00Z",
        }
        for n, vector in vectors
    ]
    title = " ".join(v for _, v in vectors[:3])
    return {"version": "https://jsonfeed.org/version/1.1", "title": title, "items": items}


@dataclass
class Corpus:
    articles: list[str] = field(default_factory=list)  # ids stored
    failed: list[str] = field(default_factory=list)  # items the pipeline refused, with why


def fill(store: Any, vectors: list[tuple[int, str]], folder: Path) -> Corpus:
    from newsdesk.pipeline import brief_sources

    records = folder / "records.jsonl"
    records.write_text("".join(json.dumps(record(n, v)) + "\n" for n, v in vectors), "utf-8")
    (folder / "feed.json").write_text(json.dumps(feed(vectors)), "utf-8")
    corpus = Corpus()
    for outcome in brief_sources([str(records), str(folder / "feed.json")]):
        if outcome.brief is None:
            corpus.failed.append(str(outcome.error))
            continue
        corpus.articles.append(store.save(outcome.brief).article_id)
    for n, vector in vectors[:20]:
        store.record_fetch(f"https://feeds.example/{n}?{vector}", etag=None, last_modified=None,
                           error=vector)  # fmt: skip
    return corpus


class Internet:
    """The outside world for newsdesk's media proxy: a PNG for every image asked for."""

    def __init__(self) -> None:
        self.requests: list[str] = []

    def __call__(self, request: Any) -> Any:
        import httpx

        self.requests.append(str(request.url))
        return httpx.Response(200, content=PNG, headers={"Content-Type": "image/png"})

    def fetcher(self) -> Any:
        import httpx

        from newsdesk.sources import Fetcher

        return Fetcher(httpx.Client(transport=httpx.MockTransport(self)), respect_robots=False)


# -- a live server and a watched browser ----------------------------------------


class LiveServer:
    """uvicorn serving the app from a thread, on a free loopback port."""

    def __init__(self, app_for: Any) -> None:
        import uvicorn

        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        config = uvicorn.Config(app_for(self.url), log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]})

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.socket.close()


@dataclass(frozen=True, slots=True)
class PageCheck:
    url: str
    executed: bool
    foreign: tuple[str, ...]
    violations: tuple[str, ...]


class Watcher:
    """One Chromium page: every request not for `home` is logged and aborted."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(java_script_enabled=True)
        self.context.add_init_script(WATCH_JS)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.home = ""
        self.foreign: list[str] = []
        self.dialogs = 0
        self.page.on("dialog", self._dialog)
        self.context.route("**/*", self._route)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs += 1
        dialog.dismiss()

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.home) or url.startswith("data:"):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def check(self, url: str, home: str) -> PageCheck:
        self.home, self.foreign, self.dialogs = home, [], 0
        self.page.goto(url, wait_until="load")
        xss, violations = self.page.evaluate(SETTLE_JS)
        frames = any(f.evaluate("() => window.__xss || null") for f in self.page.frames[1:])
        executed = bool(xss) or frames or self.dialogs > 0
        return PageCheck(url, executed, tuple(self.foreign), tuple(violations))


@contextmanager
def chromium() -> Iterator[Watcher]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield Watcher(browser)
        finally:
            browser.close()


# -- the run --------------------------------------------------------------------


@dataclass
class Report:
    vectors: int
    corpus: Corpus
    live: list[PageCheck] = field(default_factory=list)
    export: list[PageCheck] = field(default_factory=list)
    proxied: int = 0  # image requests newsdesk made on readers' behalf

    def executed(self) -> list[PageCheck]:
        return [c for c in self.live + self.export if c.executed]

    def foreign(self) -> list[str]:
        return [url for c in self.live + self.export for url in c.foreign]

    def violations(self) -> list[str]:
        return [f"{c.url}: {v}" for c in self.live + self.export for v in c.violations]


def live_pages(base: str, store: Any, vectors: list[tuple[int, str]]) -> list[str]:
    from newsdesk.web.links import Links

    links = Links()
    pages = [base + links.article(article_id) for article_id in _all_ids(store)]
    pages += [f"{base}/", f"{base}/?page=2", f"{base}/sources", f"{base}/docs"]
    pages += [base + links.label(label) for label, _ in store.labels()]
    pages += [f"{base}/search?q={quote(v)}" for _, v in vectors]
    return pages


def _all_ids(store: Any) -> list[str]:
    return [brief.article.id for brief in store.latest(limit=100_000)]


def run(vectors: list[tuple[int, str]], folder: Path) -> Report:
    """Ingest, serve, export and open every page in Chromium; the findings."""
    from newsdesk.config import Settings
    from newsdesk.store import open_store
    from newsdesk.web.app import create_app
    from newsdesk.web.export import export_site

    store = open_store(str(folder / "xss.db"))
    internet = Internet()
    report = Report(vectors=len(vectors), corpus=fill(store, vectors, folder))
    media = str(folder / "media")

    def app_for(url: str) -> Any:
        settings = Settings(site_url=url, media_dir=media, api_token="t")
        return create_app(store, settings, fetcher=internet.fetcher())

    site = folder / "site"
    export_site(store, site, Settings(media_dir=media), fetcher=internet.fetcher())
    with LiveServer(app_for) as live, chromium() as watcher:
        for url in live_pages(live.url, store, vectors):
            report.live.append(watcher.check(url, live.url + "/"))
        for page in sorted(site.rglob("*.html")):
            report.export.append(watcher.check(page.as_uri(), site.as_uri() + "/"))
    report.proxied = len(internet.requests)
    store.close()
    return report


def rows() -> list[dict[str, str]]:
    if not CHROMIUM.exists():
        return [
            {
                "check": "XSS in Chromium",
                "tried": "-",
                "failed": "-",
                "notes": "needs /usr/bin/chromium",
            }
        ]
    vectors = list(enumerate(load_vectors()))
    with tempfile.TemporaryDirectory(prefix="newsdesk-xss-") as name:
        report = run(vectors, Path(name))
    pages = len(report.live) + len(report.export)
    notes = (
        f"{len(FIELDS)} fields each, {len(report.corpus.articles)} articles; {len(report.live)} live "
        f"and {len(report.export)} exported pages in Chromium; {len(report.foreign())} requests to "
        f"other origins; {len(report.violations())} CSP violations; {report.proxied} images "
        f"fetched by the media proxy instead of the reader"
    )
    return [
        {
            "check": "XSS vectors in every source field (live + export)",
            "tried": f"{report.vectors} vectors, {pages} pages",
            "failed": f"{len(report.executed())} executed",
            "notes": notes,
        }
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    for row in rows():
        print(json.dumps(row))
    os._exit(0)
