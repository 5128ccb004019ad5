"""`export_site`: the whole site as files whose every internal link resolves."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from builders import make_brief
from newsdesk.config import Settings
from newsdesk.store import Store, open_store
from newsdesk.web.export import export_site

SITE = "https://briefs.example.org"


class References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.urls += [v for k, v in values.items() if k in ("href", "src") and v]
        if values.get("id"):
            self.ids.add(str(values["id"]))


def references(page: Path) -> References:
    parser = References()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(str(tmp_path / "export.db"))
    for n in range(23):
        text = f"Event {n} happened today. Officials reacted on day {n}. Markets moved."
        labels = ("Defense", "Science & Tech") if n % 2 else ("Economy",)
        s.save(make_brief(f"item-{n}", title=f"Item {n}", text=text, url=None, labels=labels))
    s.save(make_brief("odd/id?x", title="Odd id", text="An odd id. Still works.", url=None))
    yield s
    s.close()


@pytest.fixture
def site(store: Store, tmp_path: Path) -> Path:
    directory = tmp_path / "site"
    written = export_site(store, directory, Settings(site_url=SITE, site_name="Briefs"))
    assert written == sum(1 for p in directory.rglob("*") if p.is_file())
    return directory


def test_export_writes_every_page(site: Path) -> None:
    assert (site / "index.html").is_file()
    assert (site / "page" / "2" / "index.html").is_file()
    assert len(list((site / "articles").glob("*/index.html"))) == 24
    assert (site / "labels" / "Defense" / "index.html").is_file()
    assert (site / "labels" / "Defense" / "feed.atom").is_file()
    assert (site / "sources" / "index.html").is_file()
    assert (site / "static" / "site.css").is_file()


def test_every_internal_link_resolves_to_a_file(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    checked = 0
    for page in pages:
        found = references(page)
        for url in found.urls:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                continue
            if not parts.path:
                assert parts.fragment in found.ids, f"{page}: dangling #{parts.fragment}"
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if url.endswith("/"):
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(site)} links to missing {url}"
            assert site.resolve() in target.parents, f"{url} leaves the site"
            checked += 1
    assert checked > 500


def test_article_pages_have_public_canonical_urls(site: Path) -> None:
    page = (site / "articles" / "item-3" / "index.html").read_text()
    assert f'<link rel="canonical" href="{SITE}/articles/item-3/">' in page
    assert "/search" not in page


def test_feeds_are_valid_and_point_at_the_public_site(site: Path) -> None:
    atom = ET.parse(site / "feed.atom").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = atom.findall("a:entry", ns)
    assert len(entries) == 24
    link = entries[0].find("a:link", ns)
    assert link is not None and link.get("href", "").startswith(f"{SITE}/articles/")
    feed = json.loads((site / "feed.json").read_text())
    assert feed["version"] == "https://jsonfeed.org/version/1.1" and len(feed["items"]) == 24
    labelled = ET.parse(site / "labels" / "Defense" / "feed.atom").getroot()
    assert len(labelled.findall("a:entry", ns)) == 12  # 11 odd items and "odd/id?x"


def test_export_into_an_existing_folder_replaces_pages(store: Store, tmp_path: Path) -> None:
    directory = tmp_path / "again"
    settings = Settings(site_url=SITE)
    first = export_site(store, directory, settings)
    assert export_site(store, directory, settings) == first


def test_export_command_writes_the_site(store: Store, tmp_path: Path) -> None:
    import typer
    from typer.testing import CliRunner

    from newsdesk.web.commands import export

    cli = typer.Typer()
    cli.command()(export)
    cli.command()(lambda: None)  # two commands, so typer keeps the command name
    db = str(tmp_path / "export.db")
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "out"), "--db", db])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "index.html").is_file()
    assert "wrote" in result.output
