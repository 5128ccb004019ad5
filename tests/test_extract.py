"""Extraction: what a reader of the resulting Article would notice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builders import SAMPLE_PAGE
from newsdesk.errors import ExtractionError
from newsdesk.extract import article_id, canonical_url, extract, iso_date
from newsdesk.models import Image, RawDocument
from newsdesk.sanitize import sanitize_html

DATA = Path(__file__).parent / "data" / "sources"
TITLE = "Tokyo’s Manila Gambit: Japan’s Security Pivot and the Rise of a New ‘Quasi-Alliance’"
ALT = (
    "A Philippine soldier in uniform and mask standing on a city street,"
    " showcasing military presence."
)
FURNITURE = ("key takeaways", "editor's", "share article", "related articles", "china daily brief")


def text_doc(text: str, origin: str = "page.txt", **fields: str) -> RawDocument:
    return RawDocument(origin, text, "text/plain", fields=fields)


def html_doc(
    html: str, origin: str = "page.html", url: str | None = None, **fields: str
) -> RawDocument:
    return RawDocument(origin, html, "text/html", url, fields)


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


@pytest.fixture(scope="module")
def sample_text() -> str:
    return SAMPLE_PAGE.read_text("utf-8")


@pytest.fixture(scope="module")
def sample_article(sample_text: str):
    return extract(text_doc(sample_text, "quasi-alliance-page.txt"))


# ---------------------------------------------------------------- the sample page


def test_sample_page_title_dek_and_image(sample_article) -> None:
    assert sample_article.title == TITLE
    assert sample_article.description.startswith("Japan and the Philippines have upgraded")
    assert sample_article.description.endswith("domestic pacifist framework.")
    assert sample_article.image == Image(url=None, alt=ALT)


def test_sample_page_body_is_the_six_paragraphs(sample_article) -> None:
    body = paragraphs(sample_article.text)
    assert len(body) == 6
    assert body[0].startswith("The diplomatic landscape of the Indo-Pacific")
    assert body[-1].endswith("domestic fiscal limits.")
    lowered = sample_article.text.lower()
    assert not [phrase for phrase in FURNITURE if phrase in lowered]
    assert "📰" not in sample_article.text and "No related articles" not in sample_article.text


def test_html_version_of_sample_gives_same_body_and_the_image(sample_article) -> None:
    article = extract(html_doc((DATA / "quasi-alliance.html").read_text("utf-8")))
    assert article.title == TITLE
    assert article.text == sample_article.text
    assert article.image == Image(
        url="https://brief.example.com/images/manila-soldier.jpg", alt=ALT
    )
    assert article.description == sample_article.description
    assert article.site_name == "China Daily Brief"
    assert article.author == "Brief Desk"
    assert article.published == "2025-11-03"
    assert article.language == "en"
    assert article.url == "https://brief.example.com/2025/tokyo-manila-gambit"


def test_html_body_is_sanitised_and_without_furniture() -> None:
    article = extract(html_doc((DATA / "quasi-alliance.html").read_text("utf-8")))
    assert article.html is not None
    assert article.html.count("<p>") == 6
    for unsafe in ("<script", "onclick", "<style", "Key Takeaways", "Share", "Related"):
        assert unsafe not in article.html


# ---------------------------------------------------------------- furniture in HTML


FURNISHED_PAGE = """<html><head><title>Ports reopen after the storm</title></head><body>
<article>
<h1>Ports reopen after the storm</h1>
<p>Share this</p>
<p>The main container ports reopened on Tuesday after a three-day closure, the
port authority said, and the first ships began unloading by noon.</p>
<p>Advertisement</p>
<p>Officials said the backlog of vessels would take about a week to clear, with
priority given to food and fuel cargoes waiting offshore since the weekend.</p>
<p>🚢 ⚓</p>
<h2>Repairs</h2>
<p>Crews repaired two damaged cranes overnight and inspected the breakwater,
which held during the storm despite waves of more than six metres.</p>
<h2>Related Articles</h2>
<ul><li><a href="/a">Storm closes ports</a></li><li><a href="/b">Shipping rates rise</a></li></ul>
<p>We use cookies to improve your experience.</p>
</article></body></html>"""


def test_html_furniture_is_dropped_but_subheadings_stay() -> None:
    article = extract(html_doc(FURNISHED_PAGE))
    body = paragraphs(article.text)
    assert body[0].startswith("The main container ports reopened")
    assert "Repairs" in body
    assert body[-1].startswith("Crews repaired")
    for furniture in ("Share this", "Advertisement", "🚢", "Related", "Storm closes", "cookies"):
        assert furniture not in article.text


def test_unsafe_markup_never_reaches_the_body_html() -> None:
    page = """<html><body><article><h1>Title here</h1>
    <p onclick="steal()">A first paragraph that is long enough to be kept by the extractor as body
    text, with a <a href="javascript:alert(1)">bad link</a> and a <a href="https://ok.example/x">good
    one</a>.</p><script>steal()</script><style>p{}</style>
    <p>A second paragraph, also long enough to count as article text for the extractor here.</p>
    </article></body></html>"""
    html = extract(html_doc(page)).html or ""
    assert "onclick" not in html and "steal" not in html and "javascript:" not in html
    assert '<a href="https://ok.example/x" rel="noopener nofollow">' in html


def test_sanitiser_allowlist() -> None:
    dirty = (
        '<div><h1>Head</h1><p style="x" onmouseover="y">Text <b>bold</b> <i>it</i></p>'
        '<figure><img src="https://i.example/a.png" alt="A" onerror="z"><figcaption>C</figcaption>'
        '</figure><img src="data:image/png;base64,AAAA" alt="d"><iframe src="https://e.x"></iframe></div>'
    )
    assert sanitize_html(dirty) == (
        "<h2>Head</h2><p>Text <strong>bold</strong> <em>it</em></p>"
        '<figure><img src="https://i.example/a.png" alt="A"><figcaption>C</figcaption></figure>'
        '<img alt="d">'
    )


# ---------------------------------------------------------------- images


def page_with_figure(figure: str, head: str = "") -> str:
    text = "<p>" + "The council approved the budget after a long debate on Monday night. " * 4
    return (
        f"<html><head><title>Budget passes</title>{head}</head><body><article>"
        f"<h1>Budget passes</h1>{figure}{text}</p></article></body></html>"
    )


def test_image_alt_falls_back_to_caption_then_title() -> None:
    with_caption = page_with_figure(
        '<figure><img src="/img/council.jpg"><figcaption>Councillors vote.</figcaption></figure>'
    )
    article = extract(html_doc(with_caption, url="https://news.example/budget"))
    assert article.image == Image("https://news.example/img/council.jpg", "Councillors vote.")
    bare = page_with_figure('<figure><img src="https://cdn.example/c.jpg" alt=""></figure>')
    assert extract(html_doc(bare)).image == Image(
        "https://cdn.example/c.jpg", "Picture for the story “Budget passes”"
    )


def test_og_image_alt_meta_is_used() -> None:
    head = (
        '<meta property="og:image" content="https://cdn.example/hero.jpg">'
        '<meta property="og:image:alt" content="The council chamber.">'
    )
    article = extract(html_doc(page_with_figure("", head)))
    assert article.image == Image("https://cdn.example/hero.jpg", "The council chamber.")


def test_page_without_image_has_none() -> None:
    assert extract(html_doc(page_with_figure(""))).image is None


# ---------------------------------------------------------------- text and Markdown


def test_text_title_is_first_line_and_body_the_rest() -> None:
    article = extract(text_doc("Rain returns\n\nIt rained in the capital today.\n\nMore is due."))
    assert article.title == "Rain returns"
    assert article.text == "It rained in the capital today.\n\nMore is due."
    assert article.description is None  # a lede is body, not a standfirst


def test_text_that_starts_with_prose_has_no_title_line() -> None:
    prose = "Japan and the Philippines agreed to expand patrols. Talks went well."
    article = extract(text_doc(prose))
    assert (article.title, article.text) == ("", prose)


def test_text_hard_wrapped_paragraphs_are_rejoined_and_byline_read() -> None:
    text = (
        "Rain returns\n\nBy Ana Cruz\n\nIt rained in the capital today for the first time in\n"
        "three months, the weather office said on Sunday.\n\nMore is due."
    )
    article = extract(text_doc(text))
    assert article.author == "Ana Cruz"
    assert paragraphs(article.text)[0] == (
        "It rained in the capital today for the first time in three months, "
        "the weather office said on Sunday."
    )


MARKDOWN = """---
date: 2024-04-11
---
# Leaders meet in **Washington**

![Three leaders at a podium](https://img.example/summit.jpg)

The leaders of [Japan](https://example.com/jp), the *Philippines* and the United States met on
Thursday and agreed to hold `joint` patrols.

## What they agreed

- More joint patrols
- A new maritime dialogue

> "This is a new era," one official said.

Share this article

## Related Articles

- [Earlier summit](https://example.com/old)
"""


def test_markdown_is_flattened_to_plain_text() -> None:
    article = extract(RawDocument("summit.md", MARKDOWN, "text/markdown"))
    assert article.title == "Leaders meet in Washington"
    assert article.published == "2024-04-11"
    assert article.image == Image("https://img.example/summit.jpg", "Three leaders at a podium")
    assert paragraphs(article.text) == [
        "The leaders of Japan, the Philippines and the United States met on Thursday and agreed "
        "to hold joint patrols.",
        "What they agreed",
        "More joint patrols\nA new maritime dialogue",
        '"This is a new era," one official said.',
    ]


# ---------------------------------------------------------------- structured fields and errors


def test_structured_fields_win_over_extraction() -> None:
    doc = text_doc(
        "Some body text that says what happened.",
        id="wire-42",
        title="The wire's headline",
        url="https://wire.example/42",
        published="Mon, 03 Nov 2025 08:30:00 +0800",
    )
    article = extract(doc)
    assert (article.id, article.title, article.url) == (
        "wire-42",
        "The wire's headline",
        doc.fields["url"],
    )
    assert article.published == "2025-11-03T08:30:00+08:00"
    assert article.text == "Some body text that says what happened."


def test_html_fields_win_too() -> None:
    article = extract(
        html_doc((DATA / "quasi-alliance.html").read_text(), title="Feed title", id="e1")
    )
    assert (article.title, article.id) == ("Feed title", "e1")


@pytest.mark.parametrize(
    "doc",
    [
        text_doc("Only a title\n\n"),
        text_doc("Title\n\nShare this\n\nRelated Articles\n\nSomething else entirely."),
        html_doc("<html><body><nav><a href='/'>Home</a></nav><p>Subscribe</p></body></html>"),
        RawDocument("empty.md", "# Heading only\n", "text/markdown"),
    ],
)
def test_no_article_text_is_an_error_naming_the_document(doc: RawDocument) -> None:
    with pytest.raises(ExtractionError, match=re.escape(f"{doc.origin}: no article text found")):
        extract(doc)


def test_a_short_html_fragment_still_gives_its_text() -> None:
    doc = html_doc("<p>A short feed summary.</p><p>Second line.</p>", title="Entry title")
    article = extract(doc)
    assert article.text == "A short feed summary.\n\nSecond line."
    assert article.html == "<p>A short feed summary.</p><p>Second line.</p>"


# ---------------------------------------------------------------- ids, URLs, dates


def test_canonical_url_normalises_what_does_not_change_the_page() -> None:
    assert (
        canonical_url("HTTPS://News.Example.com:443/a/b/?utm_source=x&id=3&fbclid=y&gclid=z#top")
        == "https://news.example.com/a/b?id=3"
    )
    assert canonical_url("http://example.com:8080") == "http://example.com:8080/"


def test_article_id_is_stable_and_short() -> None:
    one = article_id("https://news.example.com/story?utm_medium=rss", "text")
    assert one == article_id("https://NEWS.example.com/story/#comments", "other text")
    assert re.fullmatch(r"[0-9a-f]{16}", one)
    assert article_id(None, "Some  text\nhere") == article_id(None, "some text here")
    assert article_id(None, "some text") != article_id(None, "other text")


def test_id_of_an_article_without_input_id_comes_from_its_url() -> None:
    article = extract(text_doc("T\n\nBody text.", url="https://a.example/x?utm_source=feed"))
    assert article.id == article_id("https://a.example/x", "")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-01-22", "2021-01-22"),
        ("2025-11-03T08:30:00Z", "2025-11-03T08:30:00+00:00"),
        ("Mon, 03 Nov 2025 08:30:00 GMT", "2025-11-03T08:30:00+00:00"),
        ("November 13, 2004", "2004-11-13"),
        ("not a date", None),
        ("", None),
    ],
)
def test_dates_become_iso_8601(value: str, expected: str | None) -> None:
    assert iso_date(value) == expected


def test_mediawiki_residue_is_removed_from_text() -> None:
    # Real openings from the Wikinews demo corpus (wikinews-2004.jsonl).
    text = (
        "thumb|left|Colin Powell\n{{byline|date[w:Paul Volcker|Paul Volcker]], a former American "
        "official investigating the diverted funds scandal, has talked to [[United Nations]] staff."
    )
    doc = RawDocument(origin="w.jsonl:5", text=text, media_type="text/plain", fields={"title": "T"})
    article = extract(doc)
    assert article.text == (
        "Paul Volcker, a former American official investigating the diverted funds scandal, "
        "has talked to United Nations staff."
    )


def test_control_characters_never_reach_the_article() -> None:
    # A JSON "\u0000" decodes to a NUL that PostgreSQL refuses to store.
    doc = RawDocument(
        origin="a.jsonl:1",
        text="Ministers met in Manila.\x00 They agreed on patrols.",
        media_type="text/plain",
        fields={"id": "a\x00b", "title": "Pa\x07trols"},
    )
    article = extract(doc)
    assert (article.id, article.title) == ("ab", "Patrols")
    assert article.text == "Ministers met in Manila. They agreed on patrols."


def test_a_json_record_without_title_keeps_its_first_line_in_the_body() -> None:
    # An ECB+ development record: id and text, the lead sentence on a line of its own.
    text = (
        "Perennial party girl Tara Reid checked herself into Promises Treatment Center, "
        "her rep told People.\n\"We appreciate your respect to her and her family's privacy "
        'at this time," the rep told the magazine.'
    )
    from newsdesk.sources.records import record_document

    article = extract(record_document("ecb.jsonl:1", {"id": "1", "text": text}))
    assert article.title == ""
    assert article.text.startswith("Perennial party girl Tara Reid checked herself")
