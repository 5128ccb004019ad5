"""The HTML pages and feeds of the live site."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from newsdesk.errors import NewsdeskError
from newsdesk.store.hybrid import NO_FILTERS, SearchFilters, SearchOrder, SearchPage
from newsdesk.web.cache import cache_key
from newsdesk.web.feeds import FEED_SIZE, FeedInfo, atom_feed, json_feed
from newsdesk.web.links import absolute
from newsdesk.web.pages import PAGE_SIZE, Pager, page_count
from newsdesk.web.search import SearchSort, search_filters
from newsdesk.web.state import Desk, desk

router = APIRouter(include_in_schema=False)


def page_route(path: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A page route; HEAD too, for link checkers and monitors."""
    return router.api_route(path, methods=["GET", "HEAD"])


PageNumber = Annotated[int, Query(ge=1, le=100_000, description="Page number, from 1.")]
SearchWords = Annotated[str, Query(max_length=200)]
ATOM_TYPE = "application/atom+xml; charset=utf-8"


def _html(page: str | bytes) -> HTMLResponse:
    return HTMLResponse(page)


SEARCH_TTL = 30.0  # seconds: as long as an article page; listings keep the cache's 2 s


def _listing(
    d: Desk, request: Request, render: Callable[[], str], *, ttl: float | None = None
) -> HTMLResponse:
    """A listing or search page, kept for a moment (see `cache`) with how to render it again."""
    made = time.monotonic()
    body = render().encode()
    key = cache_key(request.url.path, request.url.query)
    d.listings.put(key, body, ttl=ttl, render=lambda: render().encode(), made=made)
    return HTMLResponse(body)


@page_route("/")
async def home(
    request: Request, d: Annotated[Desk, Depends(desk)], page: PageNumber = 1
) -> Response:
    return _listing(d, request, partial(_home, d, page))


def _home(d: Desk, page: int) -> str:
    pager = _pager(d.store.count(), page, d.links.home)
    briefs = d.store.latest(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    stories = d.store.stories_of([brief.article.id for brief in briefs])
    return d.site.listing("Latest briefs", briefs, pager, d.links, d.sections(), stories=stories)


@page_route("/articles/{article_id:path}")
async def article(article_id: str, request: Request, d: Annotated[Desk, Depends(desk)]) -> Response:
    made = time.monotonic()
    render = partial(_article, d, article_id)
    page = render()
    d.cache.put(request.url.path, page, render=render, made=made)  # served by app.CachedPages
    return _html(page)


def _article(d: Desk, article_id: str) -> bytes:
    brief = d.store.get(article_id)
    return d.site.article(brief, d.links, d.sections(), d.related(brief)).encode()


@page_route("/labels")
async def labels(d: Annotated[Desk, Depends(desk)]) -> Response:
    return _html(d.site.labels(d.links, d.store.labels()))


def _label_named(d: Desk, asked: str) -> str:
    """The label as stored, whatever the case of the URL; 404 when there is none."""
    wanted = asked.casefold()
    found = next((name for name, _ in d.store.labels() if name.casefold() == wanted), None)
    if found is None:
        raise HTTPException(404, f"There is no label called “{asked}”.")
    return found


@page_route("/labels/{label}")
async def label(
    label: str, request: Request, d: Annotated[Desk, Depends(desk)], page: PageNumber = 1
) -> Response:
    named = _label_named(d, label)
    if named != label:
        return RedirectResponse(d.links.label(named, page), status_code=301)
    return _listing(d, request, partial(_label_page, d, label, page))


def _label_page(d: Desk, label: str, page: int) -> str:
    pager = _pager(d.store.count(label=label), page, lambda n: d.links.label(label, n))
    briefs = d.store.latest(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, label=label)
    feed = d.links.label_feed(label)
    return d.site.listing(label, briefs, pager, d.links, d.sections(), feed=feed)


@page_route("/search")
async def search(
    request: Request,
    d: Annotated[Desk, Depends(desk)],
    q: SearchWords = "",
    page: PageNumber = 1,
    filters: Annotated[SearchFilters, Depends(search_filters)] = NO_FILTERS,
    sort: SearchSort = SearchOrder.RELEVANCE,
) -> Response:
    render = partial(_search_page, d, q, page, filters, sort)
    return _listing(d, request, render, ttl=SEARCH_TTL)


def _found(d: Desk, q: str, page: int, filters: SearchFilters, sort: SearchOrder) -> SearchPage:
    if not q.strip():
        return SearchPage((), 0)
    offset = (page - 1) * PAGE_SIZE
    return d.store.search_page(q, limit=PAGE_SIZE, offset=offset, filters=filters, order=sort)


def _search_page(
    d: Desk,
    q: str,
    page: int,
    filters: SearchFilters,
    sort: SearchOrder,
) -> str:
    found = _found(d, q, page, filters, sort)
    pager = _pager(found.total, page, lambda n: d.links.search_page(q, filters, sort, n))
    return d.site.search_results(
        q.strip(), found, pager, d.links, d.sections(), filters=filters, sort=sort
    )


@page_route("/sources")
async def sources(d: Annotated[Desk, Depends(desk)]) -> Response:
    return _html(
        d.site.sources(
            d.store.feeds(), d.links, d.sections(), subscriptions=d.store.subscriptions(),
            parked_jobs=d.store.parked_jobs(),
            writable=bool(d.settings.api_token),
        )
    )  # fmt: skip


@page_route("/feed.atom")
async def site_feed(d: Annotated[Desk, Depends(desk)]) -> Response:
    info = _info(d, d.settings.site_name, d.links.feed_atom(), d.links.home())
    return Response(atom_feed(d.store.latest(limit=FEED_SIZE), info), media_type=ATOM_TYPE)


@page_route("/feed.json")
async def site_json_feed(d: Annotated[Desk, Depends(desk)]) -> Response:
    info = _info(d, d.settings.site_name, d.links.feed_json(), d.links.home())
    body = json_feed(d.store.latest(limit=FEED_SIZE), info)
    return Response(body, media_type="application/feed+json; charset=utf-8")


@page_route("/labels/{label}/feed.atom")
async def label_feed(label: str, d: Annotated[Desk, Depends(desk)]) -> Response:
    label = _label_named(d, label)
    briefs = d.store.latest(limit=FEED_SIZE, label=label)
    title = f"{d.settings.site_name}: {label}"
    info = _info(d, title, d.links.label_feed(label), d.links.label(label))
    return Response(atom_feed(briefs, info), media_type=ATOM_TYPE)


@page_route("/search/feed.atom")
async def search_feed(
    d: Annotated[Desk, Depends(desk)], q: Annotated[str, Query(min_length=1, max_length=200)]
) -> Response:
    hits = d.store.search(q, limit=FEED_SIZE)
    title = f"{d.settings.site_name}: search for “{q}”"
    info = _info(d, title, d.links.search_feed(q), d.links.search(q))
    return Response(atom_feed([hit.brief for hit in hits], info), media_type=ATOM_TYPE)


@page_route("/media/{signature}/{encoded}")
async def media(signature: str, encoded: str, d: Annotated[Desk, Depends(desk)]) -> Response:
    """A proxied image: only one a page of this site shows (the path is signed)."""
    url = d.media.signer.url(signature, encoded) if d.media else None
    if d.media is None or url is None:
        raise HTTPException(404, "There is no such image.")
    try:
        found = await run_in_threadpool(d.media.load, url)
    except NewsdeskError:
        raise HTTPException(404, "The image is not available.") from None
    cache = {"Cache-Control": "public, max-age=31536000, immutable"}
    return FileResponse(found.path, media_type=found.media_type, headers=cache)


@page_route("/docs")
async def docs(request: Request, d: Annotated[Desk, Depends(desk)]) -> Response:
    return _html(d.site.docs(request.app.openapi(), d.links, d.sections()))


def _pager(total: int, page: int, link: Callable[[int], str]) -> Pager:
    pages = page_count(total)
    if page > pages:
        raise HTTPException(404, f"There is no page {page}: the last page is {pages}.")
    return Pager(page=page, pages=pages, link=link)


def _info(d: Desk, title: str, feed_path: str, page_path: str) -> FeedInfo:
    site = d.settings.site_url
    return FeedInfo(
        title=title,
        feed_url=absolute(site, feed_path),
        page_url=absolute(site, page_path),
        site_url=site,
        links=d.links,
    )
