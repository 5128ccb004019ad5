"""The web site in process: pages in the sample's order, errors, headers, escaping."""

from __future__ import annotations

import re
import warnings
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest

from builders import make_brief
from newsdesk.config import Settings
from newsdesk.models import Brief, Image
from newsdesk.store import Store
from newsdesk.web.app import create_app

with warnings.catch_warnings():  # starlette nags about httpx2, which we do not need
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SITE = "https://news.example.org"


@pytest.fixture
def client(store: Store) -> TestClient:
    app = create_app(store, Settings(site_url=SITE, site_name="The Desk", api_token="secret"))
    return TestClient(app, raise_server_exceptions=False)


# Each numbered brief on its own subject, so that none joins another's story.
SUBJECTS = (
    "rice harvest", "chess final", "volcano eruption", "bank merger", "rail strike",
    "film festival", "vaccine trial", "bridge collapse", "space launch", "wine auction",
    "flood warning", "tax reform", "marathon record", "museum theft", "oil spill",
    "election recount", "coral bleaching", "drone ban", "jazz concert", "mine rescue",
    "wheat prices", "ferry sinking", "robot surgery", "salmon fishing", "glacier melt",
)  # fmt: skip


def numbered(n: int, **changes: object) -> Brief:
    subject = SUBJECTS[n % len(SUBJECTS)]
    text = f"The {subject} began {n} days ago. Crowds watched the {subject}. Talks ended."
    return make_brief(
        f"n{n}", title=f"Story number {n}", text=text, url=f"https://e.com/{n}", **changes
    )  # type: ignore[arg-type]


def test_article_page_has_every_part_of_the_sample_in_order(
    store: Store, client: TestClient
) -> None:
    store.save(make_brief())
    page = client.get("/articles/a1")
    assert page.status_code == 200
    marks = [
        "<h1", 'class="standfirst"', "<figure", "Key Takeaways", "<ol>", "Editor’s",
        "Strategic Analysis", 'class="labels"', 'class="article-body"', "Share Article",
        "Related Articles", "No related articles found",
    ]  # fmt: skip
    positions = [page.text.index(mark) for mark in marks]
    assert positions == sorted(positions)


def test_takeaways_link_to_the_sentences_they_came_from(store: Store, client: TestClient) -> None:
    store.save(make_brief())
    html = client.get("/articles/a1").text
    for target in re.findall(r'class="trace" href="#(s-\d+)"', html):
        assert f'id="{target}"' in html
    assert '<span class="sentence" id="s-1">Manila welcomed it.</span>' in html


def test_html_body_is_sanitised_and_anchored(store: Store, client: TestClient) -> None:
    brief = make_brief()
    html = "<p>Japan and the Philippines signed a pact. Manila welcomed it.</p><script>x()</script>"
    html += '<p onclick="x()">Tokyo will send ships.</p>'
    store.save(replace(brief, article=replace(brief.article, html=html)))
    page = client.get("/articles/a1").text
    assert "<script>x()" not in page and "onclick" not in page
    assert '<span class="sentence-anchor" id="s-2"></span>Tokyo will send ships.' in page


def test_without_an_image_the_placeholder_is_decorative_and_uncaptioned(
    store: Store, client: TestClient
) -> None:
    brief = make_brief()
    picture_line = Image(url=None, alt="A Philippine soldier in uniform on a city street.")
    store.save(replace(brief, article=replace(brief.article, image=picture_line)))
    page = client.get("/articles/a1").text
    figure = page.split("<figure")[1].split("</figure>")[0]
    assert 'aria-hidden="true"' in figure
    assert "<img" not in figure and "figcaption" not in figure and "soldier" not in figure
    assert 'role="img"' not in figure and "aria-label" not in figure


def test_unsafe_image_urls_are_not_used(store: Store, client: TestClient) -> None:
    brief = make_brief()
    image = Image(url="javascript:alert(1)", alt="A photo")
    store.save(replace(brief, article=replace(brief.article, image=image)))
    page = client.get("/articles/a1").text
    assert "javascript:" not in page
    assert 'aria-hidden="true"><div class="hero-placeholder">' in page


def test_hero_alt_is_the_source_words_without_slugs_and_credits(
    store: Store, client: TestClient
) -> None:
    headline_alt = "Picture for the story “Japan and the Philippines sign a defence pact”"
    cases = {
        "credited": ("Protesters march in Kowloon [File: Reuters]", "Protesters march in Kowloon"),
        "slug": ("111819 Hong Kong Protests", headline_alt),
    }
    for article_id, (alt, _) in cases.items():
        brief = make_brief(
            article_id,
            url=f"https://example.com/news/{article_id}",
            text=f"{alt}. Tokyo will send ships.",
        )
        image = Image(url="https://example.com/pact.jpg", alt=alt)
        store.save(replace(brief, article=replace(brief.article, image=image)))
    for article_id, (_, shown) in cases.items():
        figure = (
            client.get(f"/articles/{article_id}").text.split("<figure")[1].split("</figure>")[0]
        )
        assert f'alt="{shown}"' in figure
        assert ("<figcaption>" in figure) is (shown != headline_alt)


def test_share_links_carry_the_canonical_url_encoded(store: Store, client: TestClient) -> None:
    store.save(make_brief(title="War & peace? 100% sure"))
    html = client.get("/articles/a1").text
    canonical = f"{SITE}/articles/a1"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert 'name="twitter:card" content="summary_large_image"' in html
    hrefs = dict(re.findall(r'class="share-(\w+)" href="([^"]+)"', html))
    assert set(hrefs) == {"x", "facebook", "linkedin", "whatsapp", "telegram", "reddit", "email"}
    reddit = parse_qs(urlsplit(hrefs["reddit"].replace("&amp;", "&")).query)
    assert reddit == {"url": [canonical], "title": ["War & peace? 100% sure"]}
    assert hrefs["email"].startswith("mailto:?subject=War%20%26%20peace%3F%20100%25%20sure")


def test_home_page_paginates(store: Store, client: TestClient) -> None:
    for n in range(25):
        store.save(numbered(n, published=f"2025-01-{n + 1:02d}"))
    first = client.get("/").text
    assert first.count('class="card"') == 20
    assert "Story number 24" in first and 'rel="next" href="/?page=2"' in first
    second = client.get("/?page=2").text
    assert second.count('class="card"') == 5 and "Story number 0" in second


def test_label_page_lists_only_that_label(store: Store, client: TestClient) -> None:
    store.save(numbered(1, labels=("Economy",)))
    store.save(numbered(2, labels=("Defense",)))
    page = client.get("/labels/Economy").text
    assert "Story number 1" in page and "Story number 2" not in page
    assert 'href="/labels/Economy/feed.atom"' in page


def test_search_highlights_matches(store: Store, client: TestClient) -> None:
    store.save(make_brief())
    page = client.get("/search", params={"q": "Manila"}).text
    assert "<mark>Manila</mark>" in page
    assert 'href="/articles/a1"' in page


def test_sources_page_shows_last_fetch_and_errors(store: Store, client: TestClient) -> None:
    store.record_fetch("https://feeds.example.com/rss", etag=None, last_modified=None, error=None)
    store.record_fetch(
        "https://bad.example.com/rss", etag=None, last_modified=None, error="HTTP 500"
    )
    page = client.get("/sources").text
    assert "https://feeds.example.com/rss" in page
    assert "HTTP 500" in page


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/articles/no-such-id", 404),
        ("/articles/%00%ff", 404),
        ("/?page=abc", 400),
        ("/?page=0", 400),
        ("/?page=-1", 400),
        ("/?page=99", 404),
        ("/?page=1e9999", 400),
        ("/labels/Nothing", 404),
        ("/labels/Nothing/feed.atom", 404),
        ("/search?q=" + "x" * 201, 400),
        ("/search?q=%ZZ%ff", 200),
        ("/search/feed.atom", 400),
        ("/no/such/page", 404),
        ("/static/nothing.css", 404),
    ],
)
def test_bad_requests_get_a_proper_html_error_page(
    store: Store, client: TestClient, path: str, status: int
) -> None:
    store.save(make_brief())
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    if status >= 400:
        assert "<h1>" in response.text and f"Error {status}" in response.text


def test_wrong_method_is_405_not_500(client: TestClient) -> None:
    assert client.post("/").status_code == 405


def test_every_response_carries_the_security_headers(store: Store, client: TestClient) -> None:
    store.save(make_brief())
    for path in (
        "/",
        "/articles/a1",
        "/articles/missing",
        "/static/site.css",
        "/api/articles",
        "/docs",
    ):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_script_or_style(store: Store, client: TestClient) -> None:
    store.save(make_brief())
    for path in ("/", "/articles/a1", "/search?q=japan", "/sources", "/docs", "/nope"):
        html = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert "<style" not in html and " style=" not in html, path
        assert not re.search(r"\son\w+=", html), path


XSS = '"><script>window.__xss=1</script><img src=x onerror="window.__xss=1">'


def test_hostile_text_is_escaped_everywhere(store: Store, client: TestClient) -> None:
    brief = make_brief(title=XSS, text=f"{XSS} is a sentence. Another one follows here.")
    store.save(brief)
    for path in ("/", "/articles/a1", "/search?q=script", f"/search?q={XSS}", "/feed.atom"):
        body = client.get(path).text
        assert "<script>window" not in body and "<img src=x" not in body, path


def test_docs_is_a_self_contained_page(client: TestClient) -> None:
    page = client.get("/docs").text
    assert "/api/articles" in page and "openapi.json" in page
    assert "cdn" not in page.lower()


def test_head_requests_are_answered(store: Store, client: TestClient) -> None:
    store.save(make_brief())
    response = client.head("/articles/a1")
    assert response.status_code == 200 and response.content == b""


def test_an_untitled_article_is_headed_by_its_own_first_words(
    store: Store, client: TestClient
) -> None:
    brief = make_brief("untitled", title="", url=None)
    store.save(brief)
    page = client.get("/articles/untitled").text
    assert '<h1 class="headline">Japan and the Philippines signed a pact.</h1>' in page
    assert (
        '"/articles/untitled">Japan and the Philippines signed a pact.</a>' in client.get("/").text
    )
