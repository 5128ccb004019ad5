"""Malformed API bodies against a real uvicorn on loopback: a 4xx JSON error each, and
the client's one keep-alive connection still usable after every one of them."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from newsdesk.config import Settings
from newsdesk.store import Store, open_store
from newsdesk.web.app import create_app

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
PATROLS = (
    "Japan and the Philippines agreed to expand joint patrols in the South China Sea. "
    "The two governments will meet again next month in Manila. Officials said talks went well."
)
DEEP = b"[" * 100_000 + b"]" * 100_000
MALFORMED = [
    DEEP,
    b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    b'{"text": "' + PATROLS.encode() + b'", "title": ' + b"9" * 5000 + b"}",
    b'{"url": "http://127.0.0.1:99999/x"}',
    b'{"url": "http://[::1"}',
    b'{"url": "http://127.0.0.1:abc/"}',
    b'{"text": "\\ud800"}',
    b'{"text": "short \\udc00 text"}',
    b"\xff\xfe{\x00",
    b'{"text": "unterminated',
    b"[]",
    b"null",
    b'{"text": 12}',
    b'{"nope": "x"}',
    b"",
    b"\x00" * 64,
    b'{"text": "' + b"\xed\xa0\x80" + b'"}',  # a surrogate encoded as bytes: not UTF-8
    b'{"text": NaN}',
]


class LoopbackServer:
    """uvicorn serving the app on 127.0.0.1, on a port the system picks, in a thread."""

    def __init__(self, store: Store) -> None:
        app = create_app(store, Settings(api_token=TOKEN))
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="critical")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    store = open_store(str(tmp_path / "news.db"))
    with LoopbackServer(store) as url:
        yield url
    store.close()


def local_port(response: httpx.Response) -> int:
    """The client side's port of the connection the response came on."""
    return int(response.extensions["network_stream"].get_extra_info("client_addr")[1])


def test_every_malformed_body_is_a_4xx_and_the_connection_lives_on(base_url: str) -> None:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    with httpx.Client(base_url=base_url, limits=limits, timeout=30) as client:
        ports = set()
        for body in MALFORMED:
            answer = client.post("/api/articles", content=body, headers=AUTH)
            assert 400 <= answer.status_code < 500, (body[:40], answer.text[:200])
            error = answer.json()["error"]
            assert error["status"] == answer.status_code and error["message"]
            ports.add(local_port(answer))
            assert client.get("/api/labels").status_code == 200
        good = client.post(
            "/api/articles", json={"title": "Patrols", "text": PATROLS}, headers=AUTH
        )
        assert good.status_code == 201
        ports.add(local_port(good))
    assert len(ports) == 1  # one connection served every request


def test_a_body_with_lone_surrogates_is_stored(base_url: str) -> None:
    body = json.dumps({"title": "Sur \ud800", "text": "\udc00 " + PATROLS}).encode()
    with httpx.Client(base_url=base_url, timeout=30) as client:
        answer = client.post("/api/articles", content=body, headers=AUTH)
        assert answer.status_code == 201, answer.text
        assert answer.json()["title"] == "Sur \ufffd"
        assert client.get(answer.headers["location"]).status_code == 200


class Crashing:
    """A store whose reads crash: a bug the app did not foresee."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def count(self, *, label: str | None = None) -> int:
        raise RuntimeError("a bug")


def test_a_crash_is_a_json_500_and_the_connection_lives_on(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "news.db"))
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    with (
        LoopbackServer(Crashing(store)) as url,  # type: ignore[arg-type]
        httpx.Client(base_url=url, limits=limits, timeout=30) as client,
    ):
        crashed = client.get("/api/articles")
        assert crashed.status_code == 500
        assert crashed.json()["error"]["message"] == "Something went wrong on our side."
        after = client.get("/api/labels")
        assert after.status_code == 200
        assert local_port(after) == local_port(crashed)
    store.close()
