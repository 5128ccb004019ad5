"""What every request handler needs, held once on ``app.state.desk``."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request

from newsdesk.config import Settings
from newsdesk.models import Brief
from newsdesk.sources.http import Fetcher
from newsdesk.store import Store
from newsdesk.web.cache import PageCache
from newsdesk.web.images import MediaStore
from newsdesk.web.limits import WriteLimiter
from newsdesk.web.links import Links
from newsdesk.web.pages import Site


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

    def sections(self) -> list[tuple[str, int]]:
        return self.store.labels()

    def related(self, brief: Brief) -> list[tuple[Brief, str]]:
        """Articles related to `brief`, each with why; filled by the related-articles work."""
        return []


def desk(request: Request) -> Desk:
    found: Desk = request.app.state.desk
    return found
