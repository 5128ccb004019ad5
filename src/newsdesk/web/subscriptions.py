"""Subscriptions on the site and in the API: listed for everyone, changed with the API token.

GET    /api/feeds              every subscription and its polling state
POST   /api/feeds {"url"}      subscribe (checked once, a page's feed found)
DELETE /api/feeds?url=...      unsubscribe
POST   /api/feeds/retry?url=   unpark a failing feed
POST   /sources                the sources page's forms (token in a form field)
"""

from __future__ import annotations

import hmac
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from newsdesk.jobs.subscribe import Checked, check_feed
from newsdesk.sources.http import Fetcher
from newsdesk.web.api import authorise_write, json_body
from newsdesk.web.state import Desk, desk

router = APIRouter()
FeedUrl = Annotated[str, Query(min_length=1, max_length=2000, description="The feed's URL.")]


@router.get("/api/feeds", tags=["feeds"], summary="Every subscription and its polling state.")
async def list_feeds(d: Annotated[Desk, Depends(desk)]) -> dict[str, Any]:
    return {"feeds": [asdict(feed) for feed in d.store.subscriptions()]}


@router.post(
    "/api/feeds",
    tags=["feeds"],
    status_code=201,
    summary="Subscribe to a feed, or to the feed a page links to.",
    description='JSON body {"url"}. Needs `Authorization: Bearer TOKEN`. 201 when subscribed, '
    "200 when it already was, 422 with the reason when the URL is neither a feed nor a page "
    'with one. An unreachable URL is subscribed with a "warning".',
)
async def add_feed(request: Request, d: Annotated[Desk, Depends(desk)]) -> JSONResponse:
    authorise_write(request, d)
    record = await json_body(request)
    checked = await run_in_threadpool(_check, str(record.get("url", "")), d.fetcher)
    if checked.feed_url is None:
        raise HTTPException(422, f"Not subscribed: {checked.refusal}.")
    new = d.store.subscribe(checked.feed_url, title=checked.title)
    body = {"url": checked.feed_url, "title": checked.title, "warning": checked.warning}
    return JSONResponse(body, status_code=201 if new else 200)


@router.delete("/api/feeds", tags=["feeds"], status_code=204, summary="Unsubscribe.")
async def remove_feed(
    request: Request, url: FeedUrl, d: Annotated[Desk, Depends(desk)]
) -> Response:
    authorise_write(request, d)
    if not d.store.unsubscribe(url):
        raise HTTPException(404, "There is no subscription to that URL.")
    return Response(status_code=204)


@router.post("/api/feeds/retry", tags=["feeds"], summary="Unpark a feed and fetch it soon.")
async def retry_feed(
    request: Request, url: FeedUrl, d: Annotated[Desk, Depends(desk)]
) -> dict[str, Any]:
    authorise_write(request, d)
    if not d.store.retry(url):
        raise HTTPException(404, "There is no subscription to that URL.")
    return {"url": url, "retry": True}


@router.post("/sources", include_in_schema=False)
async def manage_sources(
    d: Annotated[Desk, Depends(desk)],
    action: Annotated[str, Form(pattern="^(add|retry|remove)$")],
    token: Annotated[str, Form(max_length=500)] = "",
    url: Annotated[list[str] | None, Form(max_length=2000)] = None,
) -> Response:
    if not _token_matches(token, d.settings.api_token):
        return _sources_page(d, ["The API token is missing or wrong: nothing was changed."], 401)
    urls = [u.strip() for u in url or [] if u.strip()]
    if not urls:
        return _sources_page(d, ["Choose or enter at least one feed."], 400)
    notices = [await _apply(d, action, one) for one in urls]
    d.cache.clear()
    return _sources_page(d, notices, 200)


async def _apply(d: Desk, action: str, url: str) -> str:
    if action == "retry":
        return f"Will retry {url}." if d.store.retry(url) else f"Not subscribed: {url}."
    if action == "remove":
        return (
            f"Unsubscribed from {url}." if d.store.unsubscribe(url) else f"Not subscribed: {url}."
        )
    checked = await run_in_threadpool(_check, url, d.fetcher)
    if checked.feed_url is None:
        return f"Not subscribed to {url}: {checked.refusal}."
    new = d.store.subscribe(checked.feed_url, title=checked.title)
    said = f"Subscribed to {checked.feed_url}." if new else f"Already subscribed to {url}."
    return f"{said} Warning: {checked.warning}." if checked.warning else said


def _sources_page(d: Desk, notices: list[str], status: int) -> HTMLResponse:
    page = d.site.sources(
        d.store.feeds(), d.links, d.sections(), subscriptions=d.store.subscriptions(),
            parked_jobs=d.store.parked_jobs(),
        notices=notices, writable=bool(d.settings.api_token),
    )  # fmt: skip
    return HTMLResponse(page, status_code=status)


def _check(url: str, fetcher: Fetcher | None) -> Checked:
    """Check a URL someone gave the server: never from a private or loopback address."""
    if fetcher is not None:
        return check_feed(url, fetcher=fetcher)
    with Fetcher(allow_private=False) as guarded:
        return check_feed(url, fetcher=guarded)


def _token_matches(given: str, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(given.strip().encode(), (token or "").encode())
