"""Atom and JSON Feed documents for any list of briefs.

Built with ElementTree and json, never by string concatenation, so every
title and summary is escaped by construction; characters XML forbids are
dropped.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from newsdesk.models import Brief
from newsdesk.web.links import Links, absolute

FEED_SIZE = 50  # entries in every feed
ATOM = "http://www.w3.org/2005/Atom"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class FeedInfo:
    """What a feed is about and where it lives (absolute URLs)."""

    title: str
    feed_url: str
    page_url: str
    site_url: str
    links: Links


def clean(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


def rfc3339(value: str | None) -> str | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat().replace("+00:00", "Z")


def entry_html(brief: Brief) -> str:
    items = "".join(f"<li>{escape(t.text)}</li>" for t in brief.takeaways)
    return f"<p>{escape(brief.dek)}</p><h2>Key Takeaways</h2><ol>{items}</ol>"


def _page(info: FeedInfo, brief: Brief) -> str:
    return absolute(info.site_url, info.links.public_article(brief.article.id))


def entry_updated(brief: Brief) -> str:
    """When the entry last changed: its publication date, else when it came in."""
    moment = rfc3339(brief.article.published) or rfc3339(brief.ingested_at)
    return moment or datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _updated(briefs: Sequence[Brief]) -> str:
    dates = [entry_updated(brief) for brief in briefs]
    if dates:
        return max(dates, key=lambda d: datetime.fromisoformat(d.replace("Z", "+00:00")))
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = clean(text)
    return element


def _link(parent: ET.Element, href: str, rel: str, media_type: str | None = None) -> None:
    attributes = {"href": href, "rel": rel} | ({"type": media_type} if media_type else {})
    ET.SubElement(parent, f"{{{ATOM}}}link", attributes)


def atom_head(info: FeedInfo, updated: str) -> ET.Element:
    """An Atom `<feed>` with its title, id, date, links and author, ready for entries."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", info.title)
    _text(feed, "id", info.feed_url)
    _text(feed, "updated", updated)
    _link(feed, info.feed_url, "self", "application/atom+xml")
    _link(feed, info.page_url, "alternate", "text/html")
    _text(ET.SubElement(feed, f"{{{ATOM}}}author"), "name", info.title.split(":")[0])
    return feed


def atom_feed(briefs: Sequence[Brief], info: FeedInfo) -> bytes:
    feed = atom_head(info, _updated(briefs))
    for brief in briefs:
        _atom_entry(feed, brief, info)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _atom_entry(feed: ET.Element, brief: Brief, info: FeedInfo) -> None:
    article = brief.article
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    _text(entry, "title", brief.headline)
    _text(entry, "id", f"urn:newsdesk:article:{article.id}")
    _text(entry, "updated", entry_updated(brief))
    if published := rfc3339(article.published):
        _text(entry, "published", published)
    _link(entry, _page(info, brief), "alternate", "text/html")
    if article.author:
        _text(ET.SubElement(entry, f"{{{ATOM}}}author"), "name", article.author)
    for label in brief.labels:
        ET.SubElement(entry, f"{{{ATOM}}}category", {"term": clean(label)})
    _text(entry, "summary", brief.dek)
    _text(entry, "content", entry_html(brief), type="html")


def json_feed(briefs: Sequence[Brief], info: FeedInfo) -> str:
    """A JSON Feed 1.1 document (https://jsonfeed.org/version/1.1)."""
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": info.title,
        "home_page_url": info.page_url,
        "feed_url": info.feed_url,
        "items": [_json_item(brief, info) for brief in briefs],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1)


def _json_item(brief: Brief, info: FeedInfo) -> dict[str, object]:
    article = brief.article
    item: dict[str, object] = {
        "id": article.id,
        "url": _page(info, brief),
        "title": brief.headline,
        "summary": brief.dek,
        "content_html": entry_html(brief),
        "tags": list(brief.labels),
    }
    if article.url:
        item["external_url"] = article.url
    if published := rfc3339(article.published):
        item["date_published"] = published
    if article.image and article.image.url:
        item["image"] = article.image.url
    if article.author:
        item["authors"] = [{"name": article.author}]
    return item
