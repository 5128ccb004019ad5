"""What every request handler needs, held once on ``app.state.desk``."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from fastapi import Request

from newsdesk.config import Settings
from newsdesk.models import Brief
from newsdesk.sources.http import Fetcher
from newsdesk.store import RelatedPanel, Store
from newsdesk.web.cache import PageCache
from newsdesk.web.images import MediaStore
from newsdesk.web.limits import WriteLimiter
from newsdesk.web.links import Links
from newsdesk.web.pages import Site

SECTIONS_TTL = 2.0


@dataclass
class Desk:
    store: Store
    settings: Settings
    site: Site
    cache: PageCache = field(default_factory=PageCache)  # article pages, by path
    listings: PageCache = field(default_factory=lambda: PageCache(ttl=2.0, size=256))
    links: Links = field(default_factory=Links)
    fetcher: Fetcher | None = None  # for POST {"url"}; None: a fresh polite one per request
    media: MediaStore | None = None  # the image proxy's files; None unless image_policy is proxy
    writes: WriteLimiter = field(default_factory=lambda: WriteLimiter(60))

    def forget_pages(self) -> None:
        """After a save through this app: every cached page may be out of date."""
        self.cache.clear()
        self.listings.clear()
        self._sections = (-1e9, [])

    _sections: tuple[float, list[tuple[str, int]]] = field(
        default=(-1e9, []), init=False, repr=False
    )

    def sections(self) -> list[tuple[str, int]]:
        """The labels for the navigation, counted at most once every 2 s (every page shows them)."""
        taken, labels = self._sections
        if time.monotonic() - taken > SECTIONS_TTL:
            labels = self.store.labels()
            self._sections = (time.monotonic(), labels)
        return labels

    def related(self, brief: Brief) -> RelatedPanel:
        """Articles related to `brief`, each with why, its story and its other sources."""
        return self.store.related_panel(brief.article.id)


def desk(request: Request) -> Desk:
    found: Desk = request.app.state.desk
    return found
