"""Where every page lives, for the live site and for the static export.

The live site uses root-absolute paths (``/articles/ID``); the export uses
paths relative to the page being written (``../../articles/ID/``), so the
exported folder works from any directory of any web server, and even from
``file://``. Templates only ever ask a `Links` object, never build URLs.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

_SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,80}")


def file_name(value: str) -> str:
    """A name safe as one path segment on any file system, stable for `value`."""
    if _SAFE_NAME.fullmatch(value):
        return value
    readable = re.sub(r"[^A-Za-z0-9]+", "-", value).strip("-")[:60] or "item"
    return f"{readable}-{hashlib.sha1(value.encode()).hexdigest()[:10]}"


def site_path(value: str) -> str:
    return quote(value, safe="")


@dataclass(frozen=True, slots=True)
class Links:
    """URL builders; `root` is "/" live, or the way back up to the export's root."""

    root: str = "/"
    static: bool = False

    def home(self, page: int = 1) -> str:
        if page <= 1:
            return self.root if not self.static else self.root + "index.html"
        return self._dir(f"page/{page}") if self.static else f"{self.root}?page={page}"

    def article(self, article_id: str) -> str:
        if self.static:
            return self._dir(f"articles/{file_name(article_id)}")
        return f"{self.root}articles/{site_path(article_id)}"

    def public_article(self, article_id: str) -> str:
        """The article's root-absolute path on the public site, for canonical and share URLs."""
        if self.static:
            return f"/articles/{file_name(article_id)}/"
        return f"/articles/{site_path(article_id)}"

    def story(self, story_id: str) -> str:
        if self.static:
            return self._dir(f"stories/{file_name(story_id)}")
        return f"{self.root}stories/{site_path(story_id)}"

    def label(self, label: str, page: int = 1) -> str:
        if self.static:
            suffix = f"/page/{page}" if page > 1 else ""
            return self._dir(f"labels/{file_name(label)}{suffix}")
        query = f"?page={page}" if page > 1 else ""
        return f"{self.root}labels/{site_path(label)}{query}"

    def labels(self) -> str:
        return self._dir("labels") if self.static else f"{self.root}labels"

    def label_feed(self, label: str) -> str:
        name = file_name(label) if self.static else site_path(label)
        return f"{self.root}labels/{name}/feed.atom"

    def search(self, query: str = "") -> str:
        return f"{self.root}search" + (f"?{urlencode({'q': query})}" if query else "")

    def search_page(self, query: str, filters: object, sort: object, page: int = 1) -> str:
        """A search with its filters (a `SearchFilters`) and order, at one page."""
        params = {"q": query, "sort": str(sort)}
        params |= {k: v for k in ("label", "kind", "since", "until") if (v := getattr(filters, k))}
        if page > 1:
            params["page"] = str(page)
        return f"{self.root}search?{urlencode(params)}"

    def search_feed(self, query: str) -> str:
        return f"{self.root}search/feed.atom?{urlencode({'q': query})}"

    def entities(self) -> str:
        return self._dir("entities") if self.static else f"{self.root}entities"

    def entity(self, kind: str, name: str) -> str:
        if self.static:
            return self._dir(f"entities/{file_name(kind)}/{file_name(name)}")
        return f"{self.root}entities/{site_path(kind)}/{site_path(name)}"

    def entity_feed(self, kind: str, name: str) -> str:
        if self.static:
            return f"{self.root}entities/{file_name(kind)}/{file_name(name)}/feed.atom"
        return f"{self.root}entities/{site_path(kind)}/{site_path(name)}/feed.atom"

    def relations(self) -> str:
        return self._dir("relations") if self.static else f"{self.root}relations"

    def relation(self, a: str, b: str) -> str:
        a, b = sorted((a, b))
        name = f"relations/{file_name(a)}/{file_name(b)}"
        return self._dir(name) if self.static else f"{self.root}{name}"

    def relation_feed(self, a: str, b: str) -> str:
        a, b = sorted((a, b))
        return f"{self.root}relations/{file_name(a)}/{file_name(b)}/feed.atom"

    def sources(self) -> str:
        return self._dir("sources") if self.static else f"{self.root}sources"

    def feed_atom(self) -> str:
        return f"{self.root}feed.atom"

    def feed_json(self) -> str:
        return f"{self.root}feed.json"

    def asset(self, name: str) -> str:
        return f"{self.root}static/{name}"

    def _dir(self, path: str) -> str:
        return f"{self.root}{path}/index.html"


def absolute(site_url: str, path: str) -> str:
    """A root-absolute path on the public site (`site_url`) as a full URL."""
    return site_url.rstrip("/") + path
