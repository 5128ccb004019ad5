"""Subscriptions on the site and in the API, and `serve --poll` polling in the background."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator

import pytest

from http_server import LocalServer
from newsdesk.config import Settings
from newsdesk.sources import Fetcher
from newsdesk.store import Store
from newsdesk.web.app import create_app
from test_poll import item, rss

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def loopback() -> Iterator[Fetcher]:
    """The tests' feeds live on 127.0.0.1, which the server's default fetcher refuses."""
    with Fetcher(timeout=2) as fetcher:
        yield fetcher


@pytest.fixture
def client(store: Store, loopback: Fetcher) -> TestClient:
    app = create_app(store, Settings(api_token=TOKEN), fetcher=loopback)
    return TestClient(app, raise_server_exceptions=False)


def test_the_api_subscribes_lists_retries_and_removes(
    client: TestClient, server: LocalServer
) -> None:
    feed = server.add("/feed.xml", rss(item(1)), content_type="application/rss+xml")
    assert client.post("/api/feeds", json={"url": feed}).status_code == 401
    added = client.post("/api/feeds", json={"url": feed}, headers=AUTH)
    assert (added.status_code, added.json()["title"]) == (201, "Coast Wire")
    assert client.post("/api/feeds", json={"url": feed}, headers=AUTH).status_code == 200
    [row] = client.get("/api/feeds").json()["feeds"]
    assert {
        "url",
        "title",
        "last_fetched",
        "next_fetch",
        "articles",
        "errors",
        "last_error",
    } <= set(row)
    assert client.post("/api/feeds/retry", params={"url": feed}, headers=AUTH).status_code == 200
    assert client.delete("/api/feeds", params={"url": feed}, headers=AUTH).status_code == 204
    gone = client.delete("/api/feeds", params={"url": feed}, headers=AUTH)
    assert gone.status_code == 404 and "no subscription" in gone.json()["error"]["message"]


def test_the_api_refuses_what_is_not_a_feed_with_the_reason(
    client: TestClient, server: LocalServer
) -> None:
    page = server.add("/about", "<html><body>About us</body></html>")
    refused = client.post("/api/feeds", json={"url": page}, headers=AUTH)
    assert refused.status_code == 422
    assert "no feed linked from it" in refused.json()["error"]["message"]


def test_the_sources_page_manages_subscriptions_behind_the_token(
    store: Store, client: TestClient, server: LocalServer
) -> None:
    feed = server.add("/feed.xml", rss(item(1)), content_type="application/rss+xml")
    wrong = client.post("/sources", data={"action": "add", "url": feed, "token": "guess"})
    assert wrong.status_code == 401 and "nothing was changed" in wrong.text
    assert store.subscriptions() == []
    added = client.post("/sources", data={"action": "add", "url": feed, "token": TOKEN})
    assert added.status_code == 200 and f"Subscribed to {feed}." in added.text
    page = client.get("/sources").text
    assert "Coast Wire" in page and "Articles this week" in page and "never" in page
    removed = client.post("/sources", data={"action": "remove", "url": feed, "token": TOKEN})
    assert f"Unsubscribed from {feed}." in removed.text
    assert "No subscriptions yet" in client.get("/sources").text


def test_a_parked_feed_says_so_on_the_sources_page(store: Store, client: TestClient) -> None:
    from newsdesk.store.subscriptions import PollRecord

    store.subscribe("https://down.example/feed.xml")
    store.record_fetch("https://down.example/feed.xml", etag=None, last_modified=None,
                       error="HTTP 503 Service Unavailable")  # fmt: skip
    store.record_poll(PollRecord("https://down.example/feed.xml", "2026-12-03T00:00:00+00:00",
                                 8, True, 0, "HTTP 503 Service Unavailable"))  # fmt: skip
    page = client.get("/sources").text
    assert "parked" in page and "HTTP 503 Service Unavailable" in page
    assert 'class="failing"' in page


def test_serve_poll_stores_new_articles_in_the_background(
    store: Store, store_location: str, loopback: Fetcher, server: LocalServer
) -> None:
    feed = server.add("/feed.xml", rss(item(1), item(2)), content_type="application/rss+xml")
    store.subscribe(feed)
    app = create_app(store, Settings(db=store_location), fetcher=loopback, poll=True)
    with TestClient(app) as client:
        deadline = time.monotonic() + 20
        while store.count() < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert store.count() == 2
        home = client.get("/").text  # the two near-identical entries are one story there
        assert "Patrols, day" in home and "1 more in this story" in home
    assert store.subscriptions()[0].articles == 2
