"""The site and the command line as a reader and a new user meet them (issue 7, point 10)."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
import time
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import make_brief
from newsdesk.cli import app
from newsdesk.config import Settings
from newsdesk.extract import iso_date
from newsdesk.store import Store
from newsdesk.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def client(store: Store) -> TestClient:
    app_ = create_app(store, Settings(site_url="https://news.example.org", site_name="The Desk"))
    return TestClient(app_, raise_server_exceptions=False, follow_redirects=False)


TEXTS = {
    1: "The port of Manila reopened after the storm. Ships queued for two days.",
    2: "Farmers in Luzon count the cost of the floods. Rice prices rose by a fifth.",
    3: "Tokyo and Manila signed a defence pact. Patrols begin in the spring.",
    4: "A new ferry links Cebu and Bohol. Tickets sold out within an hour.",
}


def brief(n: int, published: str | None, labels: tuple[str, ...] = ("Defense",)):
    return make_brief(
        f"a{n}", title=f"Story {n}", text=TEXTS[n],
        url=f"https://e.example/{n}", published=published, labels=labels,
    )  # fmt: skip


def test_atom_updated_is_the_publication_or_ingestion_time_never_1970(
    store: Store, client: TestClient
) -> None:
    store.save(brief(1, "2004-11-13"))
    store.save(brief(2, None))
    feed = ET.fromstring(client.get("/feed.atom").content)
    updated = {
        e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}updated") for e in feed.iter(f"{ATOM}entry")
    }
    assert updated["Story 1"] == "2004-11-13T00:00:00Z"
    assert updated["Story 2"] and not updated["Story 2"].startswith("1970")
    assert feed.findtext(f"{ATOM}updated") == updated["Story 2"]  # the newest change


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("November 13, 2004", "2004-11-13"),
        ("Saturday, November 13, 2004", "2004-11-13"),
        ("Sat, 13 Nov 2004 10:00:00 +0000", "2004-11-13T10:00:00+00:00"),
        ("2004-11-13", "2004-11-13"),
        ("2004-11-13T10:00:00Z", "2004-11-13T10:00:00+00:00"),
        ("Nov. 13, 2004, 10:05 a.m. EST", "2004-11-13T10:05:00-05:00"),
        ("November 2004", None),  # no day: not given an invented one
    ],
)
def test_dates_in_common_forms_are_read(written: str, read: str | None) -> None:
    assert iso_date(written) == read


def test_latest_lists_dated_news_newest_first_and_undated_after(
    store: Store, client: TestClient
) -> None:
    store.save(brief(1, "2004-11-13"))
    store.save(brief(2, None))
    store.save(brief(3, "2004-12-01"))
    time.sleep(1.1)  # ingestion times are kept to the second
    store.save(brief(4, None))
    page = client.get("/").text
    order = [int(n) for n in re.findall(r">Story (\d)<", page)]
    assert order == [3, 1, 4, 2]


def test_label_urls_ignore_case_and_all_labels_have_an_index(
    store: Store, client: TestClient
) -> None:
    store.save(brief(1, "2004-11-13", labels=("Defense", "Trade Policy")))
    moved = client.get("/labels/defense")
    assert (moved.status_code, moved.headers["location"]) == (301, "/labels/Defense")
    assert client.get("/labels/DEFENSE/feed.atom").status_code == 200
    index = client.get("/labels")
    assert index.status_code == 200
    assert '<a href="/labels/Trade%20Policy">Trade Policy</a>' in index.text
    assert "1 brief<" in index.text


def test_every_page_has_the_same_navigation(store: Store, client: TestClient) -> None:
    store.save(brief(1, "2004-11-13"))
    paths = ["/", "/articles/a1", "/labels", "/labels/Defense", "/sources", "/docs", "/nowhere"]
    navs = {
        path: re.search(r'<nav class="sections".*?</nav>', client.get(path).text, re.S)
        for path in paths
    }
    assert all(navs.values()), navs
    assert len({nav.group() for nav in navs.values() if nav}) == 1
    assert "All labels" in navs["/"].group() and "Defense" in navs["/nowhere"].group()


def test_article_page_names_sentences_and_gives_the_reading_time(
    store: Store, client: TestClient
) -> None:
    store.save(brief(1, "2004-11-13"))
    page = client.get("/articles/a1").text
    assert ">sentence 2</a>" in page and "¶" not in page
    assert '<span class="reading-time">1 min read</span>' in page


def test_stylesheet_has_a_dark_scheme(client: TestClient) -> None:
    css = client.get("/static/site.css").text
    assert "@media (prefers-color-scheme: dark)" in css


def test_version_and_help_without_type_noise() -> None:
    runner = CliRunner()
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and re.fullmatch(r"newsdesk \d+\.\d+\.\d+\S*\n", version.stdout)
    for command in (["--help"], ["brief", "--help"], ["ingest", "--help"], ["serve", "--help"]):
        assert "<bool>" not in runner.invoke(app, command, env={"COLUMNS": "120"}).stdout


def test_one_item_is_singular(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Rain returns\n\nIt rained in the capital today, for the first time in May.\n")
    result = CliRunner().invoke(app, ["ingest", "--db", str(tmp_path / "n.db"), str(note)])
    assert "newsdesk: 1 item: 1 added" in result.stderr


def test_an_unknown_host_is_said_plainly() -> None:
    result = CliRunner().invoke(app, ["brief", "https://no-such-host.invalid/story"])
    assert result.exit_code == 1
    assert "could not resolve no-such-host.invalid" in result.stderr
    assert "Errno" not in result.stderr


def _ingest(tmp_path: Path, *, terminal: bool) -> str:
    corpus = tmp_path / "items.jsonl"
    lines = [
        f'{{"id": "n{i}", "text": "Ships sailed on day {i}. Talks went on."}}' for i in range(30)
    ]
    corpus.write_text("\n".join(lines) + "\n")
    newsdesk = str(Path(sys.executable).parent / "newsdesk")
    command = [newsdesk, "ingest", "--db", str(tmp_path / "p.db"), str(corpus)]
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    if not terminal:
        return subprocess.run(command, capture_output=True, text=True, env=env, check=False).stderr
    leader, follower = pty.openpty()
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=follower, env=env) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait()
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_ingest_shows_progress_on_a_terminal_only(tmp_path: Path) -> None:
    (tmp_path / "quiet").mkdir()
    quiet = _ingest(tmp_path / "quiet", terminal=False)
    assert quiet.strip() == f"newsdesk: 30 items: 30 added ({tmp_path / 'quiet' / 'p.db'})"
    shown = _ingest(tmp_path, terminal=True)
    assert re.search(r"\b\d+ items\b.*━", shown), shown[-500:]
