"""Hostile servers on loopback: gzip bombs, redirect loops, slow and dripping servers.

Each is one item of a batch read, briefed and stored the way `ingest` does it,
with a good page after them: each fails with its own reason, none takes
longer than the fetcher's timeouts allow, and the good page is stored.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from http_server import LocalServer
from newsdesk.pipeline import brief_sources, save_outcome
from newsdesk.sources import Fetcher
from newsdesk.store import open_store

PATROLS = (
    "Japan and the Philippines agreed to expand joint patrols in the South China Sea. "
    "The two governments will meet again next month in Manila. Officials said talks went well."
)
PAGE = f"<html><head><title>Patrols</title></head><body><article><h1>Patrols</h1><p>{PATROLS}</p></article></body></html>"
TIMEOUT, TOTAL, MAX_BYTES = 0.5, 1.5, 1_000_000
ROUNDS = 3 if os.environ.get("CI") else 1  # each round: every hostile server once


class Hostile(BaseHTTPRequestHandler):
    """Servers that misbehave in ways `LocalServer`'s plain routes cannot."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, AttributeError):
            getattr(self, "_" + self.path.strip("/").split("/")[0].replace("-", "_"))()

    def _drip(self) -> None:  # headers at once, then a byte every 0.1 s, forever
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        for _ in range(600):
            self.wfile.write(b"<p>")
            self.wfile.flush()
            time.sleep(0.1)

    def _short(self) -> None:  # promises more than it sends, then hangs up
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(PAGE.encode())
        self.close_connection = True

    def _garbage(self) -> None:  # not HTTP at all
        self.wfile.write(b"\x00\xffNOT HTTP\r\n\r\n" * 10)
        self.close_connection = True

    def _silent(self) -> None:  # accepts and says nothing until the client gives up
        time.sleep(5)


@pytest.fixture
def hostile() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def bomb(encoding: str) -> bytes:
    zeros = b"\0" * 50_000_000  # 50 MB of zeros: about 50 KB compressed
    return gzip.compress(zeros, 9) if encoding == "gzip" else zlib.compress(zeros, 9)


def hostile_urls(server: LocalServer, hostile: str) -> dict[str, str]:
    """URL → the words its error must contain."""
    html = {"content_type": "text/html"}
    return {
        server.add("/gzip-bomb", bomb("gzip"), headers={"Content-Encoding": "gzip"}, **html): (
            "larger than 1 MB"
        ),
        server.add("/deflate-bomb", bomb("deflate"), headers={"Content-Encoding": "deflate"}): (
            "larger than 1 MB"
        ),
        server.add("/loop", status=302, headers={"Location": "/loop"}): "too many redirects",
        server.add("/ping", status=301, headers={"Location": "/pong"}): "too many redirects",
        server.add("/pong", status=301, headers={"Location": "/ping"}): "too many redirects",
        server.add("/bad-hop", status=302, headers={"Location": "http://[::1"}): (
            "Invalid URL in location header"
        ),
        server.add("/bad-port", status=302, headers={"Location": "http://127.0.0.1:99999/"}): (
            "redirected to an invalid URL (Port out of range 0-65535)"
        ),
        server.add("/to-ftp", status=302, headers={"Location": "ftp://127.0.0.1/x"}): (
            "not an http(s) URL"
        ),
        server.add("/slow", PAGE, delay=TIMEOUT * 3, **html): "timed out",
        server.add("/endless", stream=10_000_000, **html): "larger than 1 MB",
        server.add("/huge", PAGE, headers={"Content-Length": "99999999999"}, **html): "",
        server.add("/gone", "gone", status=410): "HTTP 410",
        server.add("/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, content_type="image/png"): (
            "binary response (PNG image)"
        ),
        server.add("/nul", b"<p>" + b"\0" * 10, **html): "binary response",
        server.add("/empty", b"", **html): "empty response",
        server.add(
            "/feed", b"<rss version='2.0'><channel><ite", content_type="application/rss+xml"
        ): ("ill-formed XML"),
        f"{hostile}/drip": f"timed out after {TOTAL:g} s in all",
        f"{hostile}/short": "cannot fetch",
        f"{hostile}/garbage": "cannot fetch",
        f"{hostile}/silent": "timed out",
    }


def test_hostile_servers_are_named_and_the_good_page_is_stored(
    tmp_path: Path, server: LocalServer, hostile: str
) -> None:
    expected = hostile_urls(server, hostile)
    good = server.add("/good", PAGE, content_type="text/html")
    store = open_store(str(tmp_path / "news.db"))
    fetcher = Fetcher(timeout=TIMEOUT, total_timeout=TOTAL, max_bytes=MAX_BYTES)
    # The longest a hostile item may take: a timeout on each of six hops, or the total.
    allowed = max(TIMEOUT * (fetcher.max_redirects + 1), TOTAL + TIMEOUT) + 3.0  # + CPU
    sources = [url for _ in range(ROUNDS) for url in expected] + [good]
    slowest, last = 0.0, time.monotonic()
    outcomes = []
    for outcome in brief_sources(sources, fetcher=fetcher, cache=store):
        outcomes.append(save_outcome(store, outcome))
        slowest, last = max(slowest, time.monotonic() - last), time.monotonic()
    fetcher.close()
    *bad, stored = outcomes
    assert len(bad) == len(sources) - 1
    for url, outcome in zip(sources, bad, strict=False):
        assert outcome.error is not None, url
        assert outcome.error.item == url and expected[url] in outcome.error.reason, str(
            outcome.error
        )
        assert "unexpected" not in outcome.error.reason
    assert stored.saved is not None and store.count() == 1
    assert slowest < allowed
    store.close()
