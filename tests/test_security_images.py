"""The image policy: by default readers' browsers never contact a source's servers.

``proxy`` serves every image a page shows from newsdesk's own origin
(``/media/...``), fetched by newsdesk (size cap, images only, cached on disk),
and the CSP says ``img-src 'self' data:``; ``direct`` links the source;
``none`` shows no image. The export bundles the images it shows. The
internet is the one thing mocked (an `httpx.MockTransport`).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from builders import make_brief
from newsdesk.config import Settings, make_settings
from newsdesk.errors import ConfigError
from newsdesk.models import Image
from newsdesk.sources import Fetcher
from newsdesk.store import Store
from newsdesk.web.app import create_app
from newsdesk.web.export import export_site

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 32
SITE = "https://briefs.example"
BODY = (
    "<p>Japan and the Philippines signed a pact. Manila welcomed it. Tokyo will send ships.</p>"
    '<figure><img src="https://img.example/body.jpg" alt="The signing"></figure>'
    '<p>Relative: <img src="/pictures/map.gif" alt="A map"></p>'
    '<p>Plain http: <img src="http://tracker.example/pixel.gif" alt="">'
    '<img src="https://img.example/page.html" alt="not an image"></p>'
)


class Internet:
    """The outside world: a few images, a page posing as one, and a note of every request."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.files = {
            "https://img.example/hero.png": (PNG, "image/png"),
            "https://img.example/body.jpg": (JPEG, "image/jpeg"),
            "https://news.example/pictures/map.gif": (GIF, "image/gif"),
            "http://tracker.example/pixel.gif": (GIF, "image/gif"),
            "https://img.example/page.html": (b"<html>hello</html>", "image/png"),
            "https://img.example/huge.png": (PNG + b"\x00" * 6_000_000, "image/png"),
            "https://img.example/text.png": (PNG, "text/html"),
        }

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(str(request.url))
        found = self.files.get(str(request.url))
        if found is None:
            return httpx.Response(404)
        return httpx.Response(200, content=found[0], headers={"Content-Type": found[1]})

    def fetcher(self) -> Fetcher:
        return Fetcher(httpx.Client(transport=httpx.MockTransport(self)), respect_robots=False)


@pytest.fixture
def internet() -> Internet:
    return Internet()


def pictured_brief(article_id: str = "pictured", hero: str = "https://img.example/hero.png"):
    brief = make_brief(article_id)
    article = replace(
        brief.article,
        url="https://news.example/story",
        html=BODY,
        image=Image(url=hero, alt="Ministers shake hands"),
    )
    return replace(brief, article=article)


def client_for(store: Store, internet: Internet, tmp_path: Path, **settings: object) -> TestClient:
    chosen = Settings(site_url=SITE, media_dir=str(tmp_path / "media"), **settings)  # type: ignore[arg-type]
    app = create_app(store, chosen, fetcher=internet.fetcher())
    return TestClient(app, raise_server_exceptions=False)


def image_sources(html: str) -> list[str]:
    return re.findall(r'<img[^>]*\ssrc="([^"]*)"', html)


def test_proxy_serves_every_image_from_the_site_itself(
    store: Store, internet: Internet, tmp_path: Path
) -> None:
    store.save(pictured_brief())
    client = client_for(store, internet, tmp_path)
    page = client.get("/articles/pictured")
    assert page.status_code == 200
    sources = image_sources(page.text)
    assert len(sources) == 5, sources  # hero, body, the relative one, http, the fake
    assert all(src.startswith("/media/") for src in sources), sources
    assert "img-src 'self' data:;" in page.headers["content-security-policy"]
    og_image = re.search(r'<meta property="og:image" content="([^"]*)"', page.text)
    assert og_image and og_image[1] == SITE + sources[0]
    assert not internet.requests, "nothing is fetched until a reader's browser asks"

    hero = client.get(sources[0])
    assert (hero.status_code, hero.headers["content-type"], hero.content) == (200, "image/png", PNG)
    assert client.get(sources[1]).content == JPEG
    assert client.get(sources[2]).content == GIF  # /pictures/map.gif, against the article's URL
    assert internet.requests[-1] == "https://news.example/pictures/map.gif"
    assert client.get(sources[4]).status_code == 404  # HTML posing as a PNG is no image
    assert "max-age" in hero.headers["cache-control"]
    assert hero.headers["x-content-type-options"] == "nosniff"


def test_images_are_fetched_once_and_kept_on_disk(
    store: Store, internet: Internet, tmp_path: Path
) -> None:
    store.save(pictured_brief())
    client = client_for(store, internet, tmp_path)
    hero = image_sources(client.get("/articles/pictured").text)[0]
    assert client.get(hero).content == PNG
    again = client_for(store, internet, tmp_path)  # a restart: same directory, same key
    assert again.get(hero).content == PNG
    assert internet.requests.count("https://img.example/hero.png") == 1
    assert list((tmp_path / "media").rglob("*.png"))


@pytest.mark.parametrize(
    "url",
    [
        "https://img.example/huge.png",
        "https://img.example/text.png",
        "https://img.example/none.png",
    ],
)
def test_oversized_mistyped_or_missing_images_are_not_served(
    store: Store, internet: Internet, tmp_path: Path, url: str
) -> None:
    store.save(pictured_brief(hero=url))
    client = client_for(store, internet, tmp_path)
    hero = image_sources(client.get("/articles/pictured").text)[0]
    assert client.get(hero).status_code == 404


def test_media_paths_are_signed_so_it_is_no_open_proxy(
    store: Store, internet: Internet, tmp_path: Path
) -> None:
    store.save(pictured_brief())
    client = client_for(store, internet, tmp_path)
    hero = image_sources(client.get("/articles/pictured").text)[0]
    _, _, signature, encoded = hero.split("/")
    import base64

    other = base64.urlsafe_b64encode(b"http://169.254.169.254/latest").decode().rstrip("=")
    for path in (f"/media/{signature}/{other}", f"/media/{'0' * 32}/{encoded}", "/media/x/y"):
        assert client.get(path).status_code == 404, path
    assert not internet.requests


def test_direct_links_the_sources_https_images(
    store: Store, internet: Internet, tmp_path: Path
) -> None:
    store.save(pictured_brief())
    page = client_for(store, internet, tmp_path, image_policy="direct").get("/articles/pictured")
    assert image_sources(page.text) == [
        "https://img.example/hero.png",
        "https://img.example/body.jpg",
        "https://news.example/pictures/map.gif",
        "https://img.example/page.html",
    ]
    assert "img-src 'self' https: data:;" in page.headers["content-security-policy"]
    assert (
        client_for(store, internet, tmp_path, image_policy="direct").get("/media/a/b").status_code
        == 404
    )


def test_none_shows_no_image_but_keeps_the_hero_placeholder(
    store: Store, internet: Internet, tmp_path: Path
) -> None:
    store.save(pictured_brief())
    page = client_for(store, internet, tmp_path, image_policy="none").get("/articles/pictured")
    assert image_sources(page.text) == []
    assert "<img" not in page.text
    assert "hero-placeholder" in page.text
    assert "og:image" not in page.text
    assert "img-src 'self' data:;" in page.headers["content-security-policy"]


def test_the_export_bundles_the_images_it_shows(
    store: Store, internet: Internet, tmp_path: Path
) -> None:
    store.save(pictured_brief())
    broken = pictured_brief("broken", hero="https://img.example/missing.png")
    store.save(replace(broken, article=replace(broken.article, url=None, html=None, text="Other.")))
    settings = Settings(site_url=SITE, media_dir=str(tmp_path / "media"))
    warned: list[str] = []
    site = tmp_path / "site"
    export_site(
        store, site, settings, fetcher=internet.fetcher(), warn=lambda e: warned.append(str(e))
    )
    page = (site / "articles" / "pictured" / "index.html").read_text()
    sources = image_sources(page)
    assert len(sources) == 4, sources  # the HTML posing as a PNG is left out
    assert all(src.startswith("../../media/") for src in sources), sources
    for src in sources:
        assert (site / "articles" / "pictured" / src).resolve().is_file(), src
    assert {p.suffix for p in (site / "media").iterdir()} == {".png", ".jpg", ".gif"}
    assert "hero-placeholder" in (site / "articles" / "broken" / "index.html").read_text()
    assert any("missing.png" in line and "left out" in line for line in warned)
    for html in site.rglob("*.html"):
        assert not re.search(r'src="https?:', html.read_text()), html


def test_the_image_policy_is_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    none = tmp_path / "none.toml"
    assert make_settings(config_file=none).image_policy == "proxy"
    monkeypatch.setenv("NEWSDESK_IMAGE_POLICY", "direct")
    assert make_settings(config_file=none).image_policy == "direct"
    assert make_settings(config_file=none, image_policy="none").image_policy == "none"
    with pytest.raises(ConfigError, match="image_policy"):
        make_settings(config_file=none, image_policy="sometimes")


# -- writes are rate-limited per token ----------------------------------------


def test_a_flood_of_writes_gets_429_with_retry_after(store: Store, tmp_path: Path) -> None:
    settings = Settings(api_token="t", writes_per_minute=3, media_dir=str(tmp_path / "m"))
    client = TestClient(create_app(store, settings), raise_server_exceptions=False)
    auth = {"Authorization": "Bearer t"}
    text = "Ministers met in Manila on Tuesday to sign a pact about ships and aircraft."
    answers = [
        client.post("/api/articles", json={"text": f"{text} Number {n}."}, headers=auth)
        for n in range(6)
    ]
    assert [a.status_code for a in answers] == [201, 201, 201, 429, 429, 429]
    refused = answers[3]
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert "Too many writes" in refused.json()["error"]["message"]
    assert store.count() == 3
    assert client.get("/").status_code == 200  # readers are not limited
    assert client.post("/api/articles", json={"text": text}).status_code == 401
