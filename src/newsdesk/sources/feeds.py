"""RSS, Atom and JSON Feed entries (parsed with feedparser), and OPML lists of feeds."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.sax import SAXParseException

import feedparser
from lxml import etree

from newsdesk.errors import FormatError
from newsdesk.extract.identity import PLAUSIBLE_YEARS
from newsdesk.sources.decode import without_surrogates
from newsdesk.sources.records import parse_json, record_fields

FULL_CONTENT_CHARS = 500  # an entry shorter than this is a teaser: fetch its page
_FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
)
_OPML_TYPES = frozenset({"text/x-opml", "application/x-opml", "text/opml"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry: its own content (maybe a teaser), its link and what the feed said of it."""

    origin: str
    link: str | None
    content: str
    media_type: str  # "text/html" or "text/plain"
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def is_teaser(self) -> bool:
        return len(" ".join(_TAG.sub(" ", self.content).split())) < FULL_CONTENT_CHARS


def feed_kind(data: bytes, content_type: str = "") -> str | None:
    """ "feed", "json-feed" or "opml" when `data` is one, else None."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if content_type in _OPML_TYPES or b"<opml" in head:
        return "opml"
    if head.startswith(b"{"):
        is_json_feed = b"jsonfeed.org/version" in head.replace(b"\\/", b"/")
        return "json-feed" if is_json_feed or content_type == "application/feed+json" else None
    if content_type in _FEED_TYPES or re.search(rb"<(rss|feed|rdf:rdf)[\s>]", head):
        return "feed"
    return None


def is_json_feed(data: Any) -> bool:
    version = data.get("version") if isinstance(data, dict) else None
    return isinstance(version, str) and "jsonfeed.org/version" in version


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed's entries, and what was wrong with its XML when it was not well formed."""

    entries: list[FeedEntry]
    problem: FormatError | None = None


def parse_feed(origin: str, data: bytes, *, url: str | None = None) -> ParsedFeed:
    """Entries of an RSS or Atom feed; `FormatError` when `data` is not a feed.

    Ill-formed XML (a truncated file) raises when no entry could be read, and
    is the `problem` of the entries that could; an undefined entity such as
    `&nbsp;` is forgiven, as feedparser reads past it.
    """
    headers = {"content-location": url} if url else None
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=True)
    problem = _xml_problem(parsed.get("bozo_exception"))
    if not parsed.entries and (problem or not parsed.get("version")):
        raise FormatError(origin, f"not a feed: {problem}" if problem else "not a feed")
    site = parsed.feed.get("title", "")
    entries = [
        _entry(origin, number, entry, site) for number, entry in enumerate(parsed.entries, 1)
    ]
    read = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'} read, any after lost"
    return ParsedFeed(entries, FormatError(origin, f"{problem}; {read}") if problem else None)


def _xml_problem(error: BaseException | None) -> str | None:
    """Why the XML is not well formed ("ill-formed XML (unclosed token)"), if it is not."""
    if not isinstance(error, SAXParseException) or "undefined entity" in str(error):
        return None
    return f"ill-formed XML ({error.getMessage()})"


def _entry(origin: str, number: int, entry: Mapping[str, Any], site: str) -> FeedEntry:
    link = entry.get("link") or None
    content, content_type = _entry_content(entry)
    # A GUID is unique only within its feed (often "?p=123"), so it is kept as
    # "entry_id" and the article's id comes from its canonical URL instead.
    fields = {
        "entry_id": entry.get("id", ""),
        "url": link or "",
        "title": entry.get("title", ""),
        "published": _iso(entry.get("published_parsed") or entry.get("updated_parsed")),
        "author": entry.get("author", ""),
        "description": _teaser(entry),
        "image": _entry_image(entry),
        "site_name": site,
    }
    media_type = "text/html" if content_type in _HTML_TYPES else "text/plain"
    kept = {name: value for name, value in fields.items() if value}
    return FeedEntry(link or f"{origin} entry {number}", link, content, media_type, kept)


def _entry_content(entry: Mapping[str, Any]) -> tuple[str, str]:
    contents = [c for c in entry.get("content", []) if c.get("value")]
    if contents:
        best = max(contents, key=lambda c: len(c["value"]))
        return best["value"], best.get("type", "text/html")
    detail = entry.get("summary_detail") or {}
    return entry.get("summary", ""), detail.get("type", "text/html")


def _teaser(entry: Mapping[str, Any]) -> str:
    """The entry's summary as plain text, when it is a short blurb."""
    summary = " ".join(_TAG.sub(" ", entry.get("summary", "")).split())
    return summary if len(summary) < FULL_CONTENT_CHARS else ""


def _entry_image(entry: Mapping[str, Any]) -> str:
    for media in entry.get("media_content", []) + entry.get("media_thumbnail", []):
        if media.get("url") and media.get("medium", "image") == "image":
            return str(media["url"])
    for link in entry.get("links", []):
        if link.get("rel") == "enclosure" and link.get("type", "").startswith("image/"):
            return str(link.get("href", ""))
    return ""


def _iso(parsed: time.struct_time | None) -> str:
    """A feedparser date as ISO 8601; "" for none, an impossible one or year 0."""
    if not parsed or parsed[0] not in PLAUSIBLE_YEARS:
        return ""
    try:
        return datetime(*parsed[:6], tzinfo=UTC).isoformat()
    except (ValueError, OverflowError):
        return ""


def parse_json_feed(origin: str, feed: Mapping[str, Any]) -> list[FeedEntry]:
    """Entries of a JSON Feed (https://jsonfeed.org/version/1.1)."""
    items = feed.get("items")
    if not isinstance(items, list):
        raise FormatError(origin, 'not a JSON Feed: no "items" list')
    site = str(feed.get("title", ""))
    return [
        _json_entry(origin, number, item, site)
        for number, item in enumerate(items, 1)
        if isinstance(item, dict)
    ]


def _json_entry(origin: str, number: int, item: Mapping[str, Any], site: str) -> FeedEntry:
    fields = record_fields(
        {
            "entry_id": item.get("id"),
            "url": item.get("url") or item.get("external_url"),
            "title": item.get("title"),
            "published": item.get("date_published") or item.get("date_modified"),
            "author": item.get("authors") or item.get("author"),
            "description": item.get("summary"),
            "image": item.get("image") or item.get("banner_image"),
            "site_name": site,
        }
    )
    html, text = item.get("content_html"), item.get("content_text")
    content, media_type = (html, "text/html") if html else (text or "", "text/plain")
    link = fields.get("url")
    content = without_surrogates(str(content))
    return FeedEntry(link or f"{origin} entry {number}", link, content, media_type, fields)


def load_json_feed(origin: str, data: bytes) -> list[FeedEntry]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FormatError(origin, f"not a JSON Feed: {error}") from None
    feed = parse_json(origin, text, "not a JSON Feed: ")
    if not is_json_feed(feed):
        raise FormatError(origin, 'not a JSON Feed: no jsonfeed.org "version"')
    return parse_json_feed(origin, feed)


def opml_feed_urls(origin: str, data: bytes) -> list[str]:
    """The xmlUrl of every outline in an OPML file, in document order."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise FormatError(origin, f"not valid OPML: {error}") from None
    urls = [str(outline.get("xmlUrl")).strip() for outline in root.iter("outline")
            if outline.get("xmlUrl")]  # fmt: skip
    if not urls:
        raise FormatError(origin, "no feeds in the OPML (no outline has an xmlUrl)")
    return urls
