"""Atom feeds of events: one per entity and one per relationship, newest event first.

A feed reader following "Japan and the Philippines" shows each new event as
an entry linking to the sentence it came from. Built with ElementTree, like
web/feeds.py, so every text is escaped by construction.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from html import escape

from newsdesk.analyse.record import StoredEvent
from newsdesk.web.feeds import ATOM, FEED_SIZE, FeedInfo, _link, _text, atom_head, rfc3339
from newsdesk.web.links import absolute


def event_title(stored: StoredEvent) -> str:
    event = stored.event
    target = f" {event.target.name}" if event.target else ""
    obj = f": {event.object}" if event.object else ""
    modality = f" ({event.modality})" if event.modality != "asserted" else ""
    return f"{event.actor.name} {event.action}{target}{obj}{modality}"


def event_feed(events: Sequence[StoredEvent], info: FeedInfo) -> bytes:
    """The newest `FEED_SIZE` of `events` (given oldest first) as an Atom document."""
    newest = list(reversed(events))[:FEED_SIZE]
    dates = [d for d in (rfc3339(s.published) for s in newest) if d]
    feed = atom_head(info, max(dates) if dates else "1970-01-01T00:00:00Z")
    for stored in newest:
        _entry(feed, stored, info)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _entry(feed: ET.Element, stored: StoredEvent, info: FeedInfo) -> None:
    event = stored.event
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    _text(entry, "title", event_title(stored))
    key = f"{stored.article_id}:{event.sentence}:{event.action}:{event.actor.name}"
    _text(entry, "id", f"urn:newsdesk:event:{key}")
    _text(entry, "updated", rfc3339(stored.published) or "1970-01-01T00:00:00Z")
    page = absolute(info.site_url, info.links.public_article(stored.article_id))
    _link(entry, f"{page}#s-{event.sentence}", "alternate", "text/html")
    ET.SubElement(entry, f"{{{ATOM}}}category", {"term": event.action})
    _text(entry, "summary", stored.sentence_text)
    html = f"<p>“{escape(stored.sentence_text)}”</p><p>From {escape(stored.title)}</p>"
    _text(entry, "content", html, type="html")
