"""The JSON API in process: the CLI's fields plus page_url, search, and guarded writes."""

from __future__ import annotations

import json
import threading
import warnings
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from builders import make_brief
from newsdesk.config import Settings
from newsdesk.serialize import brief_to_dict
from newsdesk.sources import Fetcher
from newsdesk.store import Store
from newsdesk.web.api import MAX_BODY
from newsdesk.web.app import create_app

with warnings.catch_warnings():  # starlette nags about httpx2, which we do not need
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PAGES = Path(__file__).parent / "data" / "sources"


@pytest.fixture
def client(store: Store) -> TestClient:
    app = create_app(store, Settings(api_token=TOKEN))
    return TestClient(app, raise_server_exceptions=False)


def test_article_is_the_cli_json_plus_page_url(store: Store, client: TestClient) -> None:
    brief = make_brief()
    store.save(brief)
    response = client.get("/api/articles/a1")
    assert response.status_code == 200
    assert response.json() == brief_to_dict(brief) | {"page_url": "/articles/a1"}


def test_article_list_is_paginated(store: Store, client: TestClient) -> None:
    for n in range(5):
        store.save(make_brief(f"id{n}", text=f"Article {n} text. More words {n}.", url=None))
    first = client.get("/api/articles", params={"per_page": 2}).json()
    assert (first["total"], first["pages"], len(first["articles"])) == (5, 3, 2)
    last = client.get("/api/articles", params={"per_page": 2, "page": 3}).json()
    assert len(last["articles"]) == 1
    assert all(a["page_url"] == f"/articles/{a['id']}" for a in first["articles"])


def test_search_returns_results_with_page_urls(store: Store, client: TestClient) -> None:
    store.save(make_brief())
    found = client.get("/api/search", params={"q": "Manila"}).json()
    assert [r["id"] for r in found["results"]] == ["a1"]
    assert found["results"][0]["page_url"] == "/articles/a1"
    nothing = client.get("/api/search", params={"q": "nowhere"}).json()
    assert nothing["results"] == [] and nothing["total"] == 0


def test_labels_are_listed_with_counts(store: Store, client: TestClient) -> None:
    store.save(make_brief())
    labels = client.get("/api/labels").json()["labels"]
    assert {"label": "Defense", "count": 1, "page_url": "/labels/Defense"} in labels


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/articles/missing", 404),
        ("/api/articles?page=0", 422),
        ("/api/articles?page=x", 422),
        ("/api/articles?page=50", 404),
        ("/api/articles?per_page=1000", 422),
        ("/api/search", 422),
        ("/api/search?q=", 422),
        ("/api/nothing", 404),
    ],
)
def test_bad_api_requests_get_a_json_error(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["status"] == status and error["message"]


def test_openapi_describes_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/articles", "/api/articles/{article_id}", "/api/search"} <= set(paths)


# -- writing ---------------------------------------------------------------


def test_writes_are_refused_when_no_token_is_configured(store: Store) -> None:
    client = TestClient(create_app(store, Settings()), raise_server_exceptions=False)
    response = client.post("/api/articles", json={"text": "Words."}, headers=AUTH)
    assert response.status_code == 403


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", "Bearer"])
def test_writes_need_the_bearer_token(client: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = client.post("/api/articles", json={"text": "Words."}, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["status"] == 401


def test_wrong_content_type_is_415(client: TestClient) -> None:
    response = client.post(
        "/api/articles", content="text=Words", headers=AUTH | {"Content-Type": "text/plain"}
    )
    assert response.status_code == 415


def test_oversized_body_is_413(client: TestClient) -> None:
    body = json.dumps({"text": "x" * (MAX_BODY + 1)})
    headers = AUTH | {"Content-Type": "application/json"}
    assert client.post("/api/articles", content=body, headers=headers).status_code == 413
    chunks = (body[i : i + 65536].encode() for i in range(0, len(body), 65536))
    assert client.post("/api/articles", content=chunks, headers=headers).status_code == 413


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"\xff\xfe", 400),
        (b"[1, 2]", 422),
        (b"{}", 422),
        (b'{"text": ""}', 422),
        (b'{"text": 5}', 422),
        (b'{"text": "Words.", "evil": "x"}', 422),
        (b'{"url": "ftp://example.com/a"}', 422),
    ],
)
def test_invalid_bodies_get_a_clear_4xx(client: TestClient, body: bytes, status: int) -> None:
    headers = AUTH | {"Content-Type": "application/json"}
    response = client.post("/api/articles", content=body, headers=headers)
    assert response.status_code == status
    assert response.json()["error"]["message"]


TEXT = (
    "Japan and the Philippines upgrade their ties\n\n"
    "Japan and the Philippines signed a defence pact on Monday. Manila welcomed the deal. "
    "Tokyo will send two frigates next year. China criticised the agreement. "
    "Analysts say the pact changes the balance in the region. Talks continue in March."
)


def test_posting_text_briefs_and_stores_it_once(store: Store, client: TestClient) -> None:
    created = client.post("/api/articles", json={"text": TEXT}, headers=AUTH)
    assert created.status_code == 201, created.text
    article = created.json()
    assert article["title"] == "Japan and the Philippines upgrade their ties"
    assert created.headers["location"] == article["page_url"]
    assert store.get(article["id"]).article.title == article["title"]
    again = client.post("/api/articles", json={"text": TEXT}, headers=AUTH)
    assert again.status_code == 200 and store.count() == 1
    assert client.get(article["page_url"]).status_code == 200


def test_posted_html_is_sanitised(store: Store, client: TestClient) -> None:
    html = "<html><body><article><h1>Hostile page</h1>"
    html += "".join(f"<p>{s}</p>" for s in TEXT.split("\n\n")[1].split(". "))
    html += "<script>window.__xss=1</script><img src=x onerror=alert(1)></article></body></html>"
    created = client.post(
        "/api/articles", json={"html": html, "title": "Hostile page"}, headers=AUTH
    )
    assert created.status_code == 201, created.text
    page = client.get(created.json()["page_url"]).text
    assert "__xss" not in page and "onerror" not in page


@pytest.fixture
def page_server() -> Iterator[str]:
    handler = partial(SimpleHTTPRequestHandler, directory=str(PAGES))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_posting_a_url_fetches_and_briefs_the_page(store: Store, page_server: str) -> None:
    with Fetcher(timeout=2) as local:  # the page server is on loopback, which the default refuses
        app = create_app(store, Settings(api_token=TOKEN), fetcher=local)
        client = TestClient(app, raise_server_exceptions=False)
        url = f"{page_server}/quasi-alliance.html"
        created = client.post("/api/articles", json={"url": url}, headers=AUTH)
        assert created.status_code == 201, created.text
        assert created.json()["title"].startswith("Tokyo’s Manila Gambit")
        gone = client.post("/api/articles", json={"url": f"{page_server}/gone.html"}, headers=AUTH)
        assert gone.status_code == 502


def test_posting_a_loopback_or_private_url_is_refused(client: TestClient, page_server: str) -> None:
    for url in (f"{page_server}/quasi-alliance.html", "http://10.0.0.1/", "http://[::1]:9/"):
        refused = client.post("/api/articles", json={"url": url}, headers=AUTH)
        assert refused.status_code == 502, url
        assert "private or loopback" in refused.json()["error"]["message"]


def test_an_id_with_a_slash_has_a_working_page(store: Store, client: TestClient) -> None:
    store.save(make_brief("wire/2025/42"))
    article = client.get("/api/articles").json()["articles"][0]
    assert client.get(article["page_url"]).status_code == 200
    assert client.get(f"/api/articles/{article['id']}").json()["id"] == "wire/2025/42"


def test_posting_stored_text_again_points_at_the_stored_article(client: TestClient) -> None:
    text = "Japan and the Philippines agreed to expand joint patrols. Manila welcomed the plan."
    first = client.post("/api/articles", json={"title": "Patrols", "text": text}, headers=AUTH)
    again = client.post(
        "/api/articles", json={"title": "Patrols again", "text": text}, headers=AUTH
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["page_url"] == first.json()["page_url"]
    assert client.get(again.headers["location"]).status_code == 200
