"""SQL injection in every query and path parameter, traversal in every path: nothing leaks.

Against the app in process on SQLite and PostgreSQL: every SQL-injection
string in search, labels, pagination and ids answers 2xx or 4xx (never
500), shows no database error, finds nothing it should not, and changes
nothing. Traversal paths are sent raw (no client normalising ``..``) to a
live uvicorn and all answer 404; the export writes only inside its folder.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from builders import make_brief
from newsdesk.config import Settings
from newsdesk.store import Store, open_store
from newsdesk.web.app import create_app
from newsdesk.web.export import export_site

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SQL = [
    "' OR '1'='1",
    "' OR 1=1 --",
    '" OR ""="',
    "1; DROP TABLE articles; --",
    "'; DROP TABLE articles; --",
    "1' UNION SELECT brief, html FROM articles --",
    "' UNION SELECT name, sql FROM sqlite_master --",
    "' UNION SELECT table_name, 1 FROM information_schema.tables --",
    "1 AND (SELECT count(*) FROM articles) > 0",
    "1' AND SLEEP(5) --",
    "1'; SELECT pg_sleep(5); --",
    "'||(SELECT version())||'",
    "admin'--",
    "') OR ('a'='a",
    "%' OR '%'='",
    "\\'; DELETE FROM articles; --",
    "1e308",
    "-1",
    "0x7fffffffffffffff",
    "99999999999999999999999999",
    "NULL",
    "\x00",
    "' AND extractvalue(1, concat(0x7e, version())) --",
    '"a" NEAR "b"',
    "title:secret",
    "body MATCH 'x'",
    "* OR *",
    '"unterminated',
    "a AND OR NOT b",
    "(((",
    "^*",
    "{a b}",
    "-- comment",
    "/* comment */ 1",
    "';COPY articles TO '/tmp/x';--",
    "$1",
    "?",
    ":name",
]
LEAKS = ("sqlite", "psycopg", "syntax error", "traceback", "operationalerror", "sql", "pg_")


def requests_for(value: str) -> list[str]:
    q = quote(value, safe="")
    return [
        f"/search?q={q}",
        f"/api/search?q={q}",
        f"/search/feed.atom?q={q}",
        f"/labels/{q}",
        f"/labels/{q}?page={q}",
        f"/labels/{q}/feed.atom",
        f"/?page={q}",
        f"/api/articles?page={q}",
        f"/api/articles?per_page={q}",
        f"/articles/{q}",
        f"/api/articles/{q}",
        f"/media/{q}/{q}",
        f"/api/search?q=Manila&limit={q}",
    ]


@pytest.fixture
def client(store: Store, tmp_path: Path) -> TestClient:
    for n, text in enumerate(("Japan and the Philippines signed a pact.", "Ships left Manila.")):
        store.save(make_brief(f"visible-{n}", text=text, url=None))
    settings = Settings(api_token="t", media_dir=str(tmp_path / "media"))
    return TestClient(create_app(store, settings), raise_server_exceptions=False)


def test_sql_injection_strings_leak_nothing_and_never_500(store: Store, client: TestClient) -> None:
    before = [b.article.id for b in store.latest()]
    tried = 0
    for value in SQL:
        for path in requests_for(value):
            answer = client.get(path)
            tried += 1
            assert answer.status_code < 500, (path, answer.status_code, answer.text[:300])
            lowered = answer.text.lower()
            leaked = [word for word in LEAKS if word in lowered and word not in value.lower()]
            assert not leaked, (path, leaked)
        found = client.get("/api/search", params={"q": value}).json().get("results", [])
        assert found == [], (value, [r["id"] for r in found])
    assert tried == len(SQL) * len(requests_for(""))
    assert [b.article.id for b in store.latest()] == before
    assert client.get("/api/search", params={"q": "Manila"}).json()["results"]


def test_sql_injection_in_posted_fields_is_stored_as_text(store: Store, client: TestClient) -> None:
    auth = {"Authorization": "Bearer t"}
    text = "Officials in Manila said talks on the pact would go on next week."
    for n, value in enumerate(SQL[:10]):
        body = {"id": f"sql-{n}", "title": value, "text": f"{text} {value} {n}", "author": value}
        answer = client.post("/api/articles", json=body, headers=auth)
        assert answer.status_code in (200, 201, 422), answer.text
        if answer.status_code == 201:
            assert store.get(f"sql-{n}").article.title == value
    assert store.count() >= 2


# -- traversal -------------------------------------------------------------------

TRAVERSALS = [
    "/static/../../../../etc/passwd",
    "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/....//....//etc/passwd",
    "/static/..\\..\\..\\etc\\passwd",
    "/static/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "/static//etc/passwd",
    "/static/site.css/../../app.py",
    "/static/../app.py",
    "/static/%00../../etc/passwd",
    "/static/..;/..;/etc/passwd",
    "/media/../../etc/passwd",
    "/media/..%2f..%2fsigning-key",
    "/media/signing-key",
    "/media/x/..%2f..%2fsigning-key",
    "/media/..%2f/..%2fsigning-key",
    "/media/%2e%2e/%2e%2e/etc/passwd",
    "/articles/../../etc/passwd",
    "/articles/..%2f..%2f..%2fetc%2fpasswd",
    "/articles/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/api/articles/../../../etc/passwd",
    "/api/articles/..%2f..%2fetc%2fpasswd",
    "/labels/..%2f..%2fetc%2fpasswd",
    "/labels/../../etc/passwd/feed.atom",
    "/..%2f..%2fetc%2fpasswd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/articles/....//....//etc/passwd",
]


class LiveServer:
    def __init__(self, store: Store, media: Path) -> None:
        import uvicorn

        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        settings = Settings(media_dir=str(media))
        config = uvicorn.Config(create_app(store, settings), log_level="warning", lifespan="off")
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

    def raw_get(self, path: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest("GET", path, skip_accept_encoding=True)
            connection.endheaders()
            answer = connection.getresponse()
            return answer.status, answer.read()
        finally:
            connection.close()


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    store = open_store(str(tmp_path / "site.db"))
    store.save(make_brief())
    media = tmp_path / "media"
    with LiveServer(store, media) as server:
        yield server
    store.close()


def test_traversal_in_every_path_is_404(live: LiveServer, tmp_path: Path) -> None:
    assert live.raw_get("/static/site.css")[0] == 200
    key = (tmp_path / "media" / "signing-key").read_bytes()
    for path in TRAVERSALS:
        status, body = live.raw_get(path)
        assert status == 404, (path, status)
        assert b"root:" not in body and key not in body, path
        assert b"[project]" not in body and b"create_app" not in body, path


def test_the_export_writes_only_inside_its_folder(store: Store, tmp_path: Path) -> None:
    for n, hostile in enumerate(
        ("../../../outside", "..\\..\\outside", "/etc/passwd", "a/../../b")
    ):
        brief = make_brief(hostile, text=f"Article {n} about Manila and Tokyo.", url=None)
        store.save(brief)
    site = tmp_path / "work" / "site"
    settings = Settings(image_policy="none")
    export_site(store, site, settings)
    everything = {p for p in (tmp_path / "work").rglob("*") if p.is_file()}
    assert everything and all(site in p.parents for p in everything), sorted(
        str(p) for p in everything if site not in p.parents
    )
