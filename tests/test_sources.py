"""read_sources: files, folders, stdin, pages, feeds and OPML; one clear error per bad item."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from http_server import LocalServer
from newsdesk.errors import FetchError, FormatError, SourceError
from newsdesk.models import RawDocument
from newsdesk.sources import Fetcher, read_sources

ARTICLE = " ".join(["The ministers met in Manila and signed a new defence agreement."] * 12)
PAGE = (
    f"<html><head><title>Page</title></head><body><article><p>{ARTICLE}</p></article></body></html>"
)


class MemoryCache:
    """A FeedCache kept in memory: the state the store will keep per feed URL."""

    def __init__(self) -> None:
        self.state: dict[str, tuple[str | None, str | None]] = {}
        self.log: list[tuple[str, str | None]] = []

    def feed_state(self, url: str) -> tuple[str | None, str | None] | None:
        return self.state.get(url)

    def record_fetch(
        self, url: str, *, etag: str | None, last_modified: str | None, error: str | None
    ) -> None:
        self.state[url] = (etag, last_modified)
        self.log.append((url, error))


def read(*sources: str | Path, **options) -> list[RawDocument | SourceError]:
    return list(read_sources([str(source) for source in sources], **options))


def only_error(items: list) -> SourceError:
    assert len(items) == 1 and isinstance(items[0], SourceError), items
    return items[0]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, "utf-8")
    return path


# ---------------------------------------------------------------- files


def test_each_file_kind_becomes_a_document(tmp_path: Path) -> None:
    html = write(tmp_path / "a.html", PAGE)
    text = write(tmp_path / "b.txt", "Title\n\nBody.")
    markdown = write(tmp_path / "c.md", "# Title\n\nBody.")
    docs = read(html, text, markdown)
    assert [(d.origin, d.media_type) for d in docs] == [
        (str(html), "text/html"),
        (str(text), "text/plain"),
        (str(markdown), "text/markdown"),
    ]
    assert docs[1].text == "Title\n\nBody."


def test_json_article_keeps_its_fields(tmp_path: Path) -> None:
    record = {
        "id": "wh-1",
        "url": "https://example.gov/1",
        "title": "Readout",
        "date": "2021-01-22",
        "text": "The call covered the alliance.",
        "genre": "readout",
    }
    (doc,) = read(write(tmp_path / "one.json", json.dumps(record)))
    assert isinstance(doc, RawDocument)
    assert doc.fields == {
        "id": "wh-1",
        "url": "https://example.gov/1",
        "title": "Readout",
        "published": "2021-01-22",
        "genre": "readout",
    }
    assert (doc.text, doc.url, doc.media_type) == (record["text"], record["url"], "text/plain")


@pytest.mark.parametrize("shape", ["list", "wrapped"])
def test_json_lists_of_articles(tmp_path: Path, shape: str) -> None:
    records = [{"title": "A", "text": "First."}, {"title": "B", "html": "<p>Second.</p>"}]
    data = records if shape == "list" else {"articles": records}
    path = write(tmp_path / "many.json", json.dumps(data))
    docs = read(path)
    assert [d.origin for d in docs] == [f"{path}[0]", f"{path}[1]"]
    assert [d.media_type for d in docs] == ["text/plain", "text/html"]


def test_jsonl_origins_name_the_line_and_bad_lines_do_not_stop_the_file(tmp_path: Path) -> None:
    path = write(
        tmp_path / "news.jsonl",
        '{"id": "a", "text": "One."}\n\nnot json\n{"id": "c", "title": "No text"}\n'
        '{"id": "d", "body": "Four."}\n',
    )
    items = read(path)
    assert [getattr(i, "origin", None) for i in items] == [f"{path}:1", None, None, f"{path}:5"]
    assert str(items[1]) == f"{path}: line 3: not JSON: Expecting value: line 1 column 1 (char 0)"
    assert str(items[2]) == f'{path}: line 4: no article text: needs a "text" or "html" field'
    assert items[0].fields["id"] == "a" and items[3].text == "Four."


def test_folder_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "B\n\nbody")
    write(tmp_path / "a" / "z.md", "# Z\n\nbody")
    write(tmp_path / "a" / "y.html", PAGE)
    write(tmp_path / "notes.docx", b"PK\x03\x04...")
    write(tmp_path / ".hidden" / "x.txt", "hidden")
    docs = read(tmp_path)
    assert [Path(d.origin).relative_to(tmp_path).as_posix() for d in docs] == [
        "a/y.html",
        "a/z.md",
        "b.txt",
    ]


def test_folder_without_readable_files_says_so(tmp_path: Path) -> None:
    write(tmp_path / "photo.png", b"\x89PNG\r\n\x1a\n")
    assert "no files to read in this folder" in only_error(read(tmp_path)).reason


def test_html_charset_comes_from_its_meta_tag(tmp_path: Path) -> None:
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Caf\xe9 in S\xe3o Paulo</p>'
    (doc,) = read(write(tmp_path / "latin.html", page.encode("latin-1")))
    assert "Café in São Paulo" in doc.text


# ---------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00", "binary file (PNG image), not text"),
        ("paper.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary file (PDF document), not text"),
        (
            "bundle.json",
            b"PK\x03\x04\x14\x00",
            "binary file (ZIP archive (or an Office document)), not text",
        ),
        (
            "nul.md",
            b"# Title\n\nabc\x00def",
            "binary file (NUL byte at offset 12), not text",
        ),
        (
            "latin.txt",
            "Title\n\ncafé".encode("latin-1"),
            "not valid UTF-8 (byte 0xe9 at offset 10)",
        ),
        ("blank.txt", b"  \n\n", "empty file"),
        ("zero.html", b"", "empty file"),
        ("broken.json", b'{"title": ', "not JSON: Expecting value: line 1 column 11 (char 10)"),
        ("notext.json", b'{"title": "T"}', 'no article text: needs a "text" or "html" field'),
        ("scalar.json", b"42", "not an article object (got int)"),
        ("binary.jsonl", b"\x1f\x8b\x08\x00", "binary file (gzip archive), not text"),
        ("blank.jsonl", b"\n\n", "empty file"),
    ],
)
def test_bad_file_gives_one_clear_error(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = write(tmp_path / name, content)
    error = only_error(read(path))
    assert isinstance(error, FormatError)
    assert (error.item, error.reason) == (str(path), reason)


def test_unreadable_paths(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    under_a_file = write(tmp_path / "file.txt", "x") / "inner.txt"
    errors = read(missing, under_a_file)
    assert [str(e) for e in errors] == [
        f"{missing}: no such file or directory",
        f"{under_a_file}: not a directory",
    ]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_permission_denied(tmp_path: Path) -> None:
    locked = write(tmp_path / "locked.txt", "Title\n\nBody")
    locked.chmod(0)
    assert only_error(read(locked)).reason == "permission denied"


def test_absurdly_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as sparse:
        sparse.truncate(25_000_000)
    assert only_error(read(path)).reason == "larger than 20 MB (25.0 MB)"


def test_jsonl_line_over_the_cap_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("w") as out:
        out.write('{"text": "' + "x" * 5_100_000 + '"}\n')
        out.write('{"text": "small"}\n')
    items = read(path)
    assert str(items[0]) == f"{path}: line 1: longer than 5 MB"
    assert items[1].origin == f"{path}:2"


def test_invalid_utf8_on_a_jsonl_line(tmp_path: Path) -> None:
    path = write(tmp_path / "x.jsonl", b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    items = read(path)
    assert isinstance(items[0], RawDocument)
    assert items[1].reason == "line 2: not valid UTF-8 (byte 0xe9 at offset 13)"


def test_one_bad_item_never_sinks_the_batch(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", "Title\n\nBody.")
    bad = write(tmp_path / "bad.txt", b"\x00\x01")
    items = read(tmp_path / "gone.txt", good, bad, good)
    assert [type(item).__name__ for item in items] == [
        "SourceError",
        "RawDocument",
        "FormatError",
        "RawDocument",
    ]


# ---------------------------------------------------------------- standard input


@pytest.mark.parametrize(
    ("data", "media_types"),
    [
        ('{"text": "a"}\n{"text": "b"}\n', ["text/plain", "text/plain"]),
        ('[{"html": "<p>a</p>"}]', ["text/html"]),
        ('{\n  "title": "T",\n  "text": "a"\n}\n', ["text/plain"]),
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", ["text/html"]),
        ("# Heading\n\nSome *Markdown*.", ["text/markdown"]),
        ("Plain title\n\nPlain body.", ["text/plain"]),
    ],
)
def test_stdin_is_sniffed(data: str, media_types: list[str]) -> None:
    for stream in (io.StringIO(data), io.BytesIO(data.encode())):
        docs = read("-", stdin=stream)
        assert [d.media_type for d in docs] == media_types
        assert all(d.origin.startswith("<stdin>") for d in docs)


def test_stdin_jsonl_lines_are_numbered() -> None:
    items = read("-", stdin=io.StringIO('{"text": "a"}\n{oops}\n{"text": "c"}\n'))
    assert [getattr(i, "origin", str(i)) for i in items] == [
        "<stdin>:1",
        "<stdin>: line 2: not JSON: Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)",
        "<stdin>:3",
    ]


def test_binary_stdin_is_refused() -> None:
    error = only_error(read("-", stdin=io.BytesIO(b"%PDF-1.4 binary")))
    assert str(error) == "<stdin>: binary file (PDF document), not text"


# ---------------------------------------------------------------- the web


def rss(base: str, *entries: str) -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        f"<link>{base}/</link>{''.join(entries)}</channel></rss>"
    )


def rss_item(title: str, link: str, description: str, guid: str = "") -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link><guid>{guid or link}</guid>"
        f"<pubDate>Mon, 03 Nov 2025 08:30:00 GMT</pubDate>"
        f"<description><![CDATA[{description}]]></description></item>"
    )


def test_page_url_becomes_an_html_document(server: LocalServer, fetcher: Fetcher) -> None:
    final = server.add("/article", PAGE)
    start = server.add("/short", status=302, headers={"Location": "/article"})
    (doc,) = read(start, fetcher=fetcher)
    assert (doc.origin, doc.url, doc.media_type) == (start, final, "text/html")
    assert ARTICLE in doc.text


def test_rss_teasers_are_fetched_and_full_entries_used_as_they_are(
    server: LocalServer, fetcher: Fetcher
) -> None:
    teaser_page = server.add("/story-1", PAGE)
    full = f"<p>{ARTICLE}</p>"
    feed = rss(
        server.url(""),
        rss_item("Teaser story", teaser_page, "Ministers met.", guid="urn:1"),
        rss_item("Full story", server.url("/story-2"), full, guid="urn:2"),
    )
    feed_url = server.add("/feed.xml", feed, content_type="application/rss+xml")
    first, second = read(feed_url, fetcher=fetcher)
    assert (first.origin, first.media_type, first.text) == (teaser_page, "text/html", PAGE)
    assert first.fields["title"] == "Teaser story" and first.fields["entry_id"] == "urn:1"
    assert first.fields["published"] == "2025-11-03T08:30:00+00:00"
    assert first.fields["description"] == "Ministers met."
    assert second.text == full and second.fields["site_name"] == "Wire"
    assert "/story-2" not in server.paths()


def test_atom_feed_sniffed_despite_a_generic_content_type(
    server: LocalServer, fetcher: Fetcher
) -> None:
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Atom wire</title><entry><title>An entry</title><id>tag:x,2025:1</id>"
        f'<link href="{server.url("/e1")}"/><updated>2025-11-03T08:30:00Z</updated>'
        f'<content type="html">&lt;p&gt;{ARTICLE}&lt;/p&gt;</content></entry></feed>'
    )
    (doc,) = read(server.add("/atom", atom, content_type="text/xml"), fetcher=fetcher)
    assert doc.fields["entry_id"] == "tag:x,2025:1" and ARTICLE in doc.text


def test_json_feed(server: LocalServer, fetcher: Fetcher) -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON wire",
        "items": [
            {
                "id": "j1",
                "url": server.url("/j1"),
                "title": "From JSON",
                "content_text": ARTICLE,
                "date_published": "2025-11-03T08:30:00Z",
                "authors": [{"name": "Ana Cruz"}],
            }
        ],
    }
    url = server.add("/feed.json", json.dumps(feed), content_type="application/json")
    (doc,) = read(url, fetcher=fetcher)
    assert doc.media_type == "text/plain" and doc.text == ARTICLE
    assert doc.fields["author"] == "Ana Cruz" and doc.fields["site_name"] == "JSON wire"


def test_failures_on_the_web_are_items_in_the_batch(server: LocalServer, fetcher: Fetcher) -> None:
    server.add("/robots.txt", "User-agent: *\nDisallow: /private\n", content_type="text/plain")
    image = server.add("/photo", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    good = server.add("/good", PAGE)
    items = read(server.url("/missing"), server.url("/private/p"), image, good, fetcher=fetcher)
    assert [str(item) if isinstance(item, SourceError) else item.origin for item in items] == [
        f"{server.url('/missing')}: HTTP 404 Not Found",
        f"{server.url('/private/p')}: disallowed by robots.txt",
        f"{image}: binary response (PNG image), not text",
        good,
    ]
    assert isinstance(items[0], FetchError)


def test_teaser_whose_page_fails_gives_an_error_naming_the_link(
    server: LocalServer, fetcher: Fetcher
) -> None:
    dead = server.url("/gone")
    feed = rss(server.url(""), rss_item("Dead link", dead, "Short."))
    items = read(server.add("/feed", feed, content_type="application/rss+xml"), fetcher=fetcher)
    assert str(only_error(items)) == f"{dead}: HTTP 404 Not Found"


def test_feed_files_on_disk(tmp_path: Path) -> None:
    feed = rss("https://wire.example", rss_item("On disk", "https://wire.example/1", ARTICLE))
    (doc,) = read(write(tmp_path / "wire.rss", feed))
    assert doc.fields["title"] == "On disk" and doc.url == "https://wire.example/1"


def test_xml_file_that_is_not_a_feed(tmp_path: Path) -> None:
    error = only_error(read(write(tmp_path / "data.xml", "<config><a>1</a></config>")))
    assert isinstance(error, FormatError) and error.reason.startswith("not a feed")


# ---------------------------------------------------------------- OPML and the feed cache


def opml(*urls: str) -> str:
    outlines = "".join(f'<outline text="f" type="rss" xmlUrl="{url}"/>' for url in urls)
    return f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'


def test_opml_reads_each_feed_and_records_each_fetch(
    tmp_path: Path, server: LocalServer, fetcher: Fetcher
) -> None:
    feed = rss(server.url(""), rss_item("Listed", server.url("/s"), f"<p>{ARTICLE}</p>"))
    good = server.add("/good.xml", feed, content_type="application/rss+xml", etag='"e1"')
    page = server.add("/page", PAGE)
    missing = server.url("/missing.xml")
    cache = MemoryCache()
    items = read(
        write(tmp_path / "subs.opml", opml(good, page, missing)), fetcher=fetcher, cache=cache
    )
    assert [str(i) if isinstance(i, SourceError) else i.fields["title"] for i in items] == [
        "Listed",
        f"{page}: not a feed (got text/html)",
        f"{missing}: HTTP 404 Not Found",
    ]
    assert cache.log == [
        (good, None),
        (page, "not a feed (got text/html)"),
        (missing, "HTTP 404 Not Found"),
    ]
    assert cache.state[good] == ('"e1"', None)


def test_conditional_get_means_nothing_new_on_the_second_run(
    server: LocalServer, fetcher: Fetcher
) -> None:
    feed = rss(server.url(""), rss_item("Once", server.url("/s"), f"<p>{ARTICLE}</p>"))
    url = server.add(
        "/feed.xml",
        feed,
        content_type="application/rss+xml",
        etag='"v1"',
        last_modified="Mon, 03 Nov 2025 08:00:00 GMT",
    )
    cache = MemoryCache()
    assert len(read(url, fetcher=fetcher, cache=cache)) == 1
    assert read(url, fetcher=fetcher, cache=cache) == []
    assert server.requests[-1].headers["If-None-Match"] == '"v1"'
    assert cache.log == [(url, None), (url, None)]
    assert cache.state[url] == ('"v1"', "Mon, 03 Nov 2025 08:00:00 GMT")


def test_a_page_url_is_not_logged_as_a_feed(server: LocalServer, fetcher: Fetcher) -> None:
    cache = MemoryCache()
    read(server.add("/page", PAGE), server.url("/missing"), fetcher=fetcher, cache=cache)
    assert cache.log == []


def test_known_feed_failing_is_logged(server: LocalServer, fetcher: Fetcher) -> None:
    cache = MemoryCache()
    url = server.url("/feed.xml")
    cache.state[url] = ('"old"', None)
    (error,) = read(url, fetcher=fetcher, cache=cache)
    assert isinstance(error, FetchError)
    assert cache.log == [(url, "HTTP 404 Not Found")]
    assert cache.state[url] == ('"old"', None)  # validators kept for next time


def test_json_feed_file_on_disk_and_its_entries_extract(tmp_path: Path) -> None:
    from newsdesk.extract import article_id, extract

    feed = {
        "version": "https://jsonfeed.org/version/1",
        "items": [{"id": "n1", "title": "Local", "content_html": f"<p>{ARTICLE}</p>"}],
    }
    path = write(tmp_path / "feed.json", json.dumps(feed))
    (doc,) = read(path)
    assert doc.origin == f"{path} entry 1"
    article = extract(doc)
    # A GUID is unique only within its feed: the id comes from the URL or text.
    assert (article.id, article.title, article.text) == (
        article_id(None, ARTICLE),
        "Local",
        ARTICLE,
    )
    assert doc.fields["entry_id"] == "n1"
