"""Adding subscriptions: check each URL once, find a page's feed, say what was done.

    check_feed(url, fetcher=fetcher)   # a `Checked`: the feed to subscribe, or why not

A URL that answers with a feed is subscribed under the feed's title; a page
is subscribed through the feed it links to (``<link rel="alternate">``); a
URL that cannot be fetched now is subscribed with a warning (the poller
retries it on its schedule); a URL that answers with neither is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from newsdesk.errors import FetchError, FormatError, SourceError
from newsdesk.sources.feeds import feed_kind, read_feed
from newsdesk.sources.http import Fetcher

_FEED_LINK_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")


@dataclass(frozen=True, slots=True)
class Checked:
    """What checking one URL found: the feed URL to subscribe (None: refused) and any warning."""

    url: str  # as given
    feed_url: str | None
    title: str = ""
    warning: str | None = None  # subscribed anyway, but the user should know
    refusal: str | None = None  # not subscribed, and why


def check_feed(url: str, *, fetcher: Fetcher) -> Checked:
    """Fetch `url` once to see whether it is a feed, a page with a feed, or neither."""
    if not url.lower().startswith(("http://", "https://")):
        return Checked(url, None, refusal="not an http(s) URL")
    try:
        result = fetcher.get(url)
    except FetchError as error:
        return Checked(url, url, warning=f"could not fetch it now ({error.reason}); will retry")
    if feed_kind(result.content, result.content_type) in ("feed", "json-feed"):
        return _as_feed(url, url, result.content, result.url)
    found = _linked_feed(result.content, result.url)
    if found is None:
        kind = result.content_type or "no content type"
        return Checked(url, None, refusal=f"not a feed, and no feed linked from it ({kind})")
    try:
        linked = fetcher.get(found)
    except FetchError as error:
        return Checked(
            url, found, warning=f"its feed {found} could not be fetched ({error.reason})"
        )
    return _as_feed(url, found, linked.content, linked.url)


def _as_feed(url: str, feed_url: str, content: bytes, final_url: str) -> Checked:
    try:
        info = read_feed(feed_url, content, url=final_url).info
    except SourceError as error:
        return Checked(url, None, refusal=error.reason)
    return Checked(url, feed_url, title=info.title)


def _linked_feed(content: bytes, base: str) -> str | None:
    """The first feed a page links to with ``<link rel="alternate" type="...rss+xml">``."""
    try:
        page = lxml.html.fromstring(content)
    except (etree.ParserError, ValueError):
        return None
    for link in page.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "alternate" in rel and (link.get("type") or "").lower() in _FEED_LINK_TYPES:
            href = (link.get("href") or "").strip()
            if href:
                return urljoin(base, href)
    return None


def opml(feeds: list[tuple[str, str]]) -> str:
    """An OPML 2.0 document listing (url, title) feeds."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = "newsdesk subscriptions"
    body = etree.SubElement(root, "body")
    for url, title in feeds:
        etree.SubElement(body, "outline", type="rss", text=title or url, title=title or url,
                         xmlUrl=url)  # fmt: skip
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode()


__all__ = ["Checked", "FormatError", "check_feed", "opml"]
