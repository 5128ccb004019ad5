"""Every HTML page of the site, rendered from briefs with Jinja2 (autoescape on).

Used by the live app and by the static export alike; a `Links` object says
where the other pages are, so one template serves both.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from http import HTTPStatus
from pathlib import PurePath
from typing import Any

import nh3
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from newsdesk.config import Settings
from newsdesk.extract.alt import caption, image_alt
from newsdesk.models import ENTITY_KIND_TITLES, Brief, PieceKind
from newsdesk.store import (
    FeedRecord,
    JobFailure,
    RelatedPanel,
    StorySummary,
    Subscription,
)
from newsdesk.store.hybrid import SearchFilters, SearchOrder, SearchPage
from newsdesk.web.body import body_html
from newsdesk.web.entity_links import entity_links
from newsdesk.web.images import Images
from newsdesk.web.links import Links, absolute
from newsdesk.web.share import share_links

PAGE_SIZE = 20

ENTITY_GROUPS = tuple(ENTITY_KIND_TITLES.items())


@dataclass(frozen=True, slots=True)
class Pager:
    page: int
    pages: int
    link: Callable[[int], str]

    @property
    def previous(self) -> str | None:
        return self.link(self.page - 1) if self.page > 1 else None

    @property
    def next(self) -> str | None:
        return self.link(self.page + 1) if self.page < self.pages else None


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, math.ceil(total / size))


def web_link_url(url: str | None) -> str | None:
    """Only http(s) links are followed; a javascript: or data: URL is never a link."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


def long_date(value: str | None) -> str:
    if not value:
        return ""
    try:
        day: date = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return f"{day.day} {day:%B %Y}"


WORDS_PER_MINUTE = 230  # an adult reading prose on a screen


def reading_time(text: str) -> str:
    minutes = max(1, round(len(text.split()) / WORDS_PER_MINUTE))
    return f"{minutes} min read"


def mark_snippet(snippet: str) -> Markup:
    """The store's snippet is escaped text with <mark>; keep only that, to be sure."""
    return Markup(nh3.clean(snippet, tags={"mark"}, attributes={}))


def story_cards(
    briefs: Sequence[Brief], stories: Mapping[str, StorySummary]
) -> list[tuple[Brief, StorySummary | None]]:
    """The briefs with one card per story: the first of each, with its story when it holds more."""
    cards: list[tuple[Brief, StorySummary | None]] = []
    shown: set[str] = set()
    for brief in briefs:
        story = stories.get(brief.article.id)
        if story is not None and story.id in shown:
            continue
        if story is not None:
            shown.add(story.id)
        cards.append((brief, story if story is not None and len(story.articles) > 1 else None))
    return cards


class Site:
    """Renders pages to strings; holds no store, so the export can use it too.

    `images` applies the image policy to every image a page shows; without
    it only ``direct`` shows any (a proxied image needs somewhere to live).
    """

    def __init__(self, settings: Settings, images: Images | None = None) -> None:
        self.settings = settings
        self.images = images or Images(settings.image_policy)
        self.env = Environment(
            loader=PackageLoader("newsdesk.web", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["long_date"] = long_date
        self.env.filters["entity_links"] = entity_links

    def render(
        self, template: str, links: Links, sections: Sequence[tuple[str, int]], **context: Any
    ) -> str:
        return self.env.get_template(template).render(
            site_name=self.settings.site_name, links=links, sections=sections, **context
        )

    def article(
        self,
        brief: Brief,
        links: Links,
        sections: Sequence[tuple[str, int]],
        related: RelatedPanel | None = None,
    ) -> str:
        article = brief.article
        canonical = absolute(self.settings.site_url, links.public_article(article.id))
        groups = [
            (title, [e for e in brief.entities if e.kind == kind]) for kind, title in ENTITY_GROUPS
        ]
        hero = article.image.url if article.image else None
        site_url = self.settings.site_url
        return self.render(
            "article.html", links, sections,
            brief=brief, article=article, canonical=canonical,
            image_url=self.images.src(hero, root=links.root, base=article.url),
            share_image=self.images.public(hero, site_url=site_url, base=article.url),
            image_alt=image_alt(article.image.alt if article.image else None, brief.headline),
            image_caption=caption(article.image.alt if article.image else None, brief.headline),
            source_url=web_link_url(article.url),
            source_name=article.site_name or PurePath(article.origin).name or "Unknown",
            entity_groups=[(title, found) for title, found in groups if found],
            body=body_html(brief, partial(self.images.src, root=links.root, base=article.url)),
            shares=share_links(canonical, brief.headline),
            panel=related or RelatedPanel(), reading_time=reading_time(article.text),
        )  # fmt: skip

    def listing(
        self,
        title: str,
        briefs: Sequence[Brief],
        pager: Pager,
        links: Links,
        sections: Sequence[tuple[str, int]],
        feed: str | None = None,
        stories: Mapping[str, StorySummary] | None = None,
    ) -> str:
        """A page of briefs; with `stories`, one card per story, saying how many more it holds."""
        cards = (
            [(brief, None) for brief in briefs] if stories is None else story_cards(briefs, stories)
        )
        return self.render(
            "listing.html", links, sections, title=title, cards=cards, pager=pager, feed=feed
        )

    def story(
        self,
        story: StorySummary,
        briefs: Sequence[Brief],
        links: Links,
        sections: Sequence[tuple[str, int]],
    ) -> str:
        return self.render("story.html", links, sections, story=story, briefs=briefs)

    def search_results(
        self,
        query: str,
        found: SearchPage,
        pager: Pager,
        links: Links,
        sections: Sequence[tuple[str, int]],
        *,
        filters: SearchFilters,
        sort: SearchOrder,
    ) -> str:
        results = [(hit.brief, mark_snippet(hit.snippet)) for hit in found.results]
        return self.render(
            "search.html", links, sections, query=query, results=results, total=found.total,
            pager=pager, filters=filters, sort=str(sort), kinds=[str(k) for k in PieceKind],
        )  # fmt: skip

    def sources(
        self,
        feeds: Sequence[FeedRecord],
        links: Links,
        sections: Sequence[tuple[str, int]],
        *,
        subscriptions: Sequence[Subscription] = (),
        parked_jobs: Sequence[JobFailure] = (),
        notices: Sequence[str] = (),
        writable: bool = False,
    ) -> str:
        subscribed = {feed.url for feed in subscriptions}
        return self.render(
            "sources.html", links, sections, subscriptions=subscriptions, notices=notices,
            feeds=[feed for feed in feeds if feed.url not in subscribed], writable=writable,
            parked_jobs=parked_jobs,
        )  # fmt: skip

    def error(
        self, status: int, message: str, links: Links, sections: Sequence[tuple[str, int]] = ()
    ) -> str:
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        return self.render(
            "error.html", links, sections, status=status, phrase=phrase, message=message
        )

    def docs(
        self, schema: dict[str, Any], links: Links, sections: Sequence[tuple[str, int]] = ()
    ) -> str:
        return self.render("docs.html", links, sections, schema=schema)

    def labels(self, links: Links, sections: Sequence[tuple[str, int]]) -> str:
        """Every label with how many briefs carry it, most used first."""
        return self.render("labels.html", links, sections)
