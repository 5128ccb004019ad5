"""What the SQLite and PostgreSQL stores share: content hashes, search words, snippets."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from functools import lru_cache
from html import escape

from newsdesk.models import Brief
from newsdesk.serialize import brief_from_dict

# Control characters no article text contains: the database puts them around
# the matches in a snippet, and `mark_snippet` turns them into <mark> after escaping.
MATCH_START = "\x02"
MATCH_STOP = "\x03"

MAX_QUERY_WORDS = 32
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """`text` as every database and encoder takes it: lone surrogates become U+FFFD.

    Sources already replace them; the store does too, so that no brief built
    elsewhere can fail half-way through a save.
    """
    return _LONE_SURROGATE.sub("\ufffd", text)


def storable_values(values: tuple[object, ...]) -> tuple[object, ...]:
    """Query parameters with every string made `storable`."""
    return tuple(storable(value) if isinstance(value, str) else value for value in values)


def content_hash(text: str) -> str:
    """Same text, same hash, whatever the whitespace and case."""
    normal = " ".join(storable(text).split()).casefold()
    return hashlib.sha256(normal.encode()).hexdigest()


def query_words(text: str) -> list[str]:
    """The words of a user's search, with any query syntax dropped."""
    return re.findall(r"\w+", text)[:MAX_QUERY_WORDS]


def mark_snippet(snippet: str) -> str:
    """A snippet with sentinels as safe HTML: escaped text, <mark> around the matches."""
    return escape(snippet).replace(MATCH_START, "<mark>").replace(MATCH_STOP, "</mark>")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def without_password(location: str) -> str:
    """A connection URL fit for messages and logs: any password replaced by ***."""
    hidden = re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", location)
    return re.sub(r"(password=)[^&\s]*", r"\1***", hidden)


# "Latest": dated articles newest first; undated ones after them, by when they came in,
# so that a batch of undated texts never buries the dated news.
LATEST_ORDER = "(published IS NULL), published DESC, ingested_at DESC, id"

# Migration 7 on both backends: the indexes the pages need past 100,000 articles
# (bench/scale.py). The first serves LATEST_ORDER as written (the home page read and
# sorted every article: 250 ms at 100,000); the second finds an article's repeats
# ("also reported by": a scan of every story member, 180 ms at 100,000).
SCALE_INDEXES = f"""
CREATE INDEX articles_latest ON articles ({LATEST_ORDER});
CREATE INDEX story_members_by_duplicate ON story_members (duplicate_of)
    WHERE duplicate_of IS NOT NULL;
"""


@lru_cache(maxsize=256)
def decoded_brief(stored: str, html: str | None) -> Brief:
    """A stored brief's JSON text, decoded once: the same JSON is the same (frozen) brief.

    Pages read the same briefs again and again (the latest, the related
    ones), and decoding one costs about a millisecond; comparing the text
    costs microseconds.
    """
    return brief_from_dict(json.loads(stored), html=html)
