"""The site in real headless Chromium: the sample page's parts in order, copy-link, XSS.

Needs Debian's chromium at /usr/bin/chromium and the `playwright` Python
package (never `playwright install`: browser downloads fail here). Without
chromium the tests skip, except in CI, where they fail.
"""

from __future__ import annotations

import itertools
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from builders import make_brief
from newsdesk.config import Settings
from newsdesk.models import (
    Analysis,
    Article,
    Brief,
    Cited,
    Entity,
    EntityKind,
    Image,
    Mention,
    PieceKind,
    Point,
    PointKind,
    Takeaway,
)
from newsdesk.store import Store, open_store
from newsdesk.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "demo" / "quasi-alliance-page.txt"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)
if not os.environ.get("CI"):
    pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
import uvicorn  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    '"><script>window.__xss=1</script>',
    "'><svg onload=window.__xss=1>",
    "<svg><script>window.__xss=1</script></svg>",
    "javascript:window.__xss=1",
    '<a href="javascript:window.__xss=1">click me</a>',
    '<div style="width: expression(window.__xss=1)">css</div>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    "<body onload=window.__xss=1>",
    "<<script>script>window.__xss=1<</script>/script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "</textarea></title><script>alert(1)</script>",
    "<details open ontoggle=window.__xss=1>",
    "<object data=javascript:alert(1)></object><embed src=javascript:alert(1)>",
]
HOSTILE = " ".join(PAYLOADS)


# -- a real server and a real browser -----------------------------------------


class LiveServer:
    """uvicorn serving the app from a thread, on a free loopback port."""

    def __init__(self, store: Store) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        settings = Settings(site_url=self.url, site_name="The Desk", api_token="t")
        config = uvicorn.Config(create_app(store, settings), log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]})

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        assert self.server.started, "uvicorn did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.socket.close()


def sample_brief() -> Brief:
    from newsdesk.pipeline import brief_sources

    (outcome,) = brief_sources([str(SAMPLE)])
    assert outcome.brief is not None, outcome.error
    return outcome.brief


def hostile_brief(article_id: str, image_url: str) -> Brief:
    sentences = tuple(f"Sentence {i} of {article_id} says {p}." for i, p in enumerate(PAYLOADS))
    article = Article(
        id=article_id, title=f"Hostile {article_id} {HOSTILE}", text="\n\n".join(sentences),
        url=f"javascript:window.__xss=1;{article_id}", html="<p>" + "</p><p>".join(PAYLOADS),
        author=HOSTILE, published="2025-03-01", image=Image(url=image_url, alt=HOSTILE),
        description=HOSTILE, site_name=HOSTILE, origin=HOSTILE,
    )  # fmt: skip
    actor = Entity(
        name=HOSTILE, kind=EntityKind.PERSON, country=PAYLOADS[1], role=PAYLOADS[2],
        mentions=(Mention(0, "x"),),
    )  # fmt: skip
    return Brief(
        article=article, sentences=sentences, dek=HOSTILE,
        takeaways=tuple(Takeaway(p, (i,)) for i, p in enumerate(PAYLOADS[:5])),
        entities=(actor,), labels=("Defense", "'><svg onload=window.__xss=1>"),
        kind=PieceKind.OPINION, analysis=hostile_analysis(),
    )  # fmt: skip


def hostile_analysis() -> Analysis:
    points = tuple(Point(kind, HOSTILE, (0,), ("earlier",)) for kind in PointKind)
    return Analysis(points, prose=HOSTILE, cited=(Cited("earlier", HOSTILE, HOSTILE),))


@pytest.fixture(scope="module")
def sample() -> Brief:
    return sample_brief()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, sample: Brief) -> Iterator[LiveServer]:
    store = open_store(str(tmp_path_factory.mktemp("browser") / "site.db"))
    store.save(sample)
    store.save(make_brief("plain"))
    with LiveServer(store) as live:
        yield live
    store.close()


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    store = open_store(str(tmp_path_factory.mktemp("hostile") / "site.db"))
    store.save(make_brief("plain"))
    store.save(hostile_brief("hostile-1", "javascript:window.__xss=1"))
    store.save(hostile_brief("hostile-2", 'https://img.invalid/a.jpg" onerror="window.__xss=1'))
    store.record_fetch(HOSTILE, etag=None, last_modified=None, error=HOSTILE)
    with LiveServer(store) as live:
        yield live
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


class Watched:
    """A page that records dialogs, CSP violations and every non-loopback request (aborted)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []
        self.outside: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.route("**/*", self._route)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    yield Watched(context.new_page())
    context.close()


# -- the sample page ----------------------------------------------------------

PARTS = [
    ("headline", "h1"),
    ("standfirst", ".standfirst"),
    ("hero figure", "figure.hero"),
    ("Key Takeaways", ".takeaways ol"),
    ("Editor's Desk", "aside.editors-desk"),
    ("Strategic Analysis", "aside.editors-desk h3"),
    ("labels", "nav.labels"),
    ("body", ".article-body"),
    ("Share Article", "section.share"),
    ("Related Articles", "section.related"),
]

ORDER_JS = """(selectors) => {
  const all = Array.from(document.querySelectorAll('*'));
  return selectors.map(s => all.indexOf(document.querySelector(s)));
}"""


def heading(page: Page, selector: str) -> str:
    """A heading's words as written (inner_text would apply CSS text-transform)."""
    return " ".join((page.text_content(selector) or "").split())


def test_sample_page_shows_every_part_in_order(
    server: LiveServer, watched: Watched, sample: Brief
) -> None:
    page = watched.page
    page.goto(f"{server.url}/articles/{sample.article.id}")
    positions = page.evaluate(ORDER_JS, [selector for _, selector in PARTS])
    missing = [name for (name, _), at in zip(PARTS, positions, strict=True) if at < 0]
    assert not missing
    assert positions == sorted(positions)
    assert page.inner_text("h1") == sample.article.title
    assert page.inner_text(".standfirst") == sample.dek
    hero = page.evaluate(
        "() => { const f = document.querySelector('figure.hero'); const i = f.querySelector('img');"
        " return [i ? i.getAttribute('alt') : null, f.getAttribute('aria-hidden')]; }"
    )
    assert (hero[0] or "").strip() or hero[1] == "true"  # an image has alt; a placeholder hides
    assert heading(page, ".takeaways h2") == "Key Takeaways"
    assert page.locator(".takeaways ol > li").count() == 5
    assert heading(page, "aside.editors-desk h2") == "Editor’s Desk"
    assert heading(page, "section.share h2") == "Share Article"
    assert heading(page, "section.related h2") == "Related Articles"
    # The other stored brief (Japan and the Philippines sign a pact) is related, saying why.
    assert page.locator("section.related .related-list li .reason").count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "article.png"), full_page=True)
    assert not watched.outside, "the page must not load anything from elsewhere"
    assert not watched.console_errors


def test_takeaway_links_jump_to_their_source_sentences(
    server: LiveServer, watched: Watched, sample: Brief
) -> None:
    page = watched.page
    page.goto(f"{server.url}/articles/{sample.article.id}")
    link = page.locator(".takeaways ol > li a.trace").first
    target = link.get_attribute("href")
    assert target and target.startswith("#s-")
    link.click()
    assert page.evaluate("() => location.hash") == target
    assert page.locator(f"[id='{target[1:]}']").is_visible()


def test_copy_link_puts_the_canonical_url_on_the_clipboard(
    server: LiveServer, browser: Browser, sample: Brief
) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    url = f"{server.url}/articles/{sample.article.id}"
    page.goto(url)
    page.get_by_role("button", name="Copy link").click()
    page.wait_for_function("document.querySelector('.copy-status').textContent.length > 0")
    assert page.evaluate("navigator.clipboard.readText()") == url
    assert "copied" in page.inner_text(".copy-status")
    context.close()


def test_web_share_button_only_where_the_browser_can_share(
    server: LiveServer, watched: Watched, sample: Brief
) -> None:
    page = watched.page
    page.goto(f"{server.url}/articles/{sample.article.id}")
    can_share = page.evaluate("typeof navigator.share === 'function'")
    assert page.locator("button.web-share").is_visible() == can_share


def test_page_reads_without_javascript(server: LiveServer, browser: Browser, sample: Brief) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server.url}/articles/{sample.article.id}")
    assert page.locator(".takeaways ol > li").count() == 5
    assert page.locator(".share-links a").count() == 7
    assert not page.locator("button.copy-link").is_visible()
    context.close()


def test_page_is_accessible_in_outline(server: LiveServer, watched: Watched, sample: Brief) -> None:
    page = watched.page
    page.goto(f"{server.url}/articles/{sample.article.id}")
    for landmark in ("header", "nav", "main", "aside", "footer"):
        assert page.locator(landmark).count() >= 1, landmark
    levels = page.evaluate(
        "() => Array.from(document.querySelectorAll('h1,h2,h3,h4')).map(h => +h.tagName[1])"
    )
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()
    assert page.evaluate(CONTRAST_JS) == []


CONTRAST_JS = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    const text = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!el.offsetParent || !text) continue;
    const style = getComputedStyle(el), size = parseFloat(style.fontSize);
    const a = lum(rgb(style.color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const large = size >= 24 || (size >= 18.66 && +style.fontWeight >= 700);
    if (ratio < (large ? 3 : 4.5)) bad.push(`${el.tagName}.${el.className}: ${ratio.toFixed(2)}`);
  }
  return bad;
}"""


def test_page_fits_a_phone_and_prints_without_furniture(
    server: LiveServer, browser: Browser, sample: Brief
) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{server.url}/articles/{sample.article.id}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.emulate_media(media="print")
    assert not page.locator("section.share").is_visible()
    assert not page.locator("nav.sections").is_visible()
    context.close()


# -- hostile input never runs -------------------------------------------------


DANGEROUS = "[href^='javascript' i], [src^='javascript' i], [onerror], [onload], iframe, object"


def test_no_payload_runs_anywhere(hostile_server: LiveServer, watched: Watched) -> None:
    server = hostile_server
    page = watched.page
    page.set_content(PAYLOADS[1])  # the canary: without our escaping and CSP, it runs
    page.wait_for_function("() => window.__xss === 1")
    paths = [
        "/articles/hostile-1",
        "/articles/hostile-2",
        "/",
        "/labels/Defense",
        "/search?q=Hostile",
        "/sources",
        "/feed.atom",
        "/labels/Defense/feed.atom",
        "/feed.json",
        "/api/articles/hostile-1",
    ]
    paths += [f"/search?q={p}" for p in PAYLOADS] + [f"/search/feed.atom?q={p}" for p in PAYLOADS]
    for path in paths:
        response = page.goto(server.url + path.replace("#", "%23"))
        assert response is not None and response.status == 200, path
        page.wait_for_timeout(50)
        assert page.evaluate("() => window.__xss") is None, path
        assert page.locator(DANGEROUS).count() == 0, path
    assert not watched.dialogs
    assert not [e for e in watched.console_errors if "Content Security Policy" in e]


def test_script_injected_past_the_templates_is_blocked_by_the_csp(
    hostile_server: LiveServer, watched: Watched
) -> None:
    page = watched.page
    page.goto(f"{hostile_server.url}/articles/plain")
    page.evaluate(
        "() => { const s = document.createElement('div');"
        " s.innerHTML = '<img src=x onerror=\"window.__xss=1\">'; document.body.append(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__xss") is None
    assert any("Content Security Policy" in e for e in watched.console_errors)
