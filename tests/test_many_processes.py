"""Many processes on one database: page caches follow every other process's writes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import httpx

from builders import make_brief
from newsdesk.config import Settings
from newsdesk.store import Store, open_store
from newsdesk.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

NEWSDESK = str(Path(sys.executable).with_name("newsdesk"))
FIRST = "Japan and the Philippines signed a reciprocal access pact in Manila. Both sides cheered."
SECOND = "Japan and the Philippines began talks on a new defence pact in Tokyo. China objected."


def test_a_cached_page_follows_another_processs_save_within_a_second(
    store: Store, store_location: str
) -> None:
    store.save(make_brief("a1", text=FIRST, url=None))
    client = TestClient(create_app(store, Settings()))
    assert "reciprocal access pact" in client.get("/articles/a1").text
    other = open_store(store_location)  # another connection: as another process would be
    try:
        other.save(make_brief("a1", text=SECOND, url=None))
    finally:
        other.close()
    deadline = time.monotonic() + 1.5
    page = client.get("/articles/a1").text
    while "new defence pact" not in page and time.monotonic() < deadline:
        time.sleep(0.1)
        page = client.get("/articles/a1").text
    assert "new defence pact" in page


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_workers_runs_several_processes_that_all_see_new_articles(tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    seed = open_store(db)
    seed.save(make_brief("a1", text=FIRST, url=None))
    seed.close()
    port = free_port()
    server = subprocess.Popen(
        [NEWSDESK, "serve", "--db", db, "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=5) as client:
            _wait_until_up(client)
            assert all(
                "reciprocal access pact" in client.get("/articles/a1").text for _ in range(20)
            )
            writer = open_store(db)
            writer.save(make_brief("a1", text=SECOND, url=None))
            writer.close()
            time.sleep(1.0)
            pages = [client.get("/articles/a1", headers={"Connection": "close"}).text
                     for _ in range(20)]  # fmt: skip
        assert all("new defence pact" in page for page in pages)
    finally:
        server.terminate()
        _, said = server.communicate(timeout=20)
    assert "with 2 processes" in said


def _wait_until_up(client: httpx.Client) -> None:
    deadline = time.monotonic() + 60  # N processes import and warm up on a shared machine
    while time.monotonic() < deadline:
        try:
            if client.get("/").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("newsdesk serve --workers did not start")
