"""The web site and JSON API: `create_app` wires a store and settings into FastAPI.

Every handler touching the store is ``async`` so that requests reach the
database from the event-loop thread, one at a time; slow work (fetching,
analysing) goes to the thread pool, and the page caches re-render stale
pages on a thread of their own (web/cache.py), through the store's lock.
"""

from __future__ import annotations

import os
from importlib.resources import files

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.config import Settings, make_settings, media_directory
from newsdesk.sources.http import Fetcher
from newsdesk.store import Store, open_store
from newsdesk.web.api import router as api_router
from newsdesk.web.cache import PageCache, cache_key
from newsdesk.web.errors import install_error_handlers
from newsdesk.web.images import MediaStore, shared_fetcher
from newsdesk.web.limits import WriteLimiter
from newsdesk.web.pages import Site
from newsdesk.web.polling import polling_lifespan
from newsdesk.web.record import api as record_api
from newsdesk.web.record import pages as record_pages
from newsdesk.web.state import Desk
from newsdesk.web.stories import api as stories_api
from newsdesk.web.stories import pages as story_pages
from newsdesk.web.subscriptions import router as subscriptions_router
from newsdesk.web.views import router as page_router

POLL_VARIABLE = "NEWSDESK_SERVE_POLL"  # tells `app_from_environment` to poll too


def content_security_policy(image_policy: str = "proxy") -> str:
    """The CSP; images from elsewhere only when the image policy is ``direct``."""
    images = "'self' https: data:" if image_policy == "direct" else "'self' data:"
    return (
        f"default-src 'self'; script-src 'self'; style-src 'self'; img-src {images}; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )


def security_headers(image_policy: str = "proxy") -> list[tuple[bytes, bytes]]:
    return [
        (b"content-security-policy", content_security_policy(image_policy).encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"x-frame-options", b"DENY"),
    ]


CONTENT_SECURITY_POLICY = content_security_policy()
SECURITY_HEADERS = security_headers()


class SecurityHeaders:
    """Adds the security headers to every response, errors included (outermost layer)."""

    def __init__(self, app: ASGIApp, headers: list[tuple[bytes, bytes]]) -> None:
        self.app = app
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in self.headers}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = kept + self.headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CachedPages:
    """Answers GET/HEAD for a page already in the cache without routing it (the hot path).

    Only pages the views put in the cache are served from it; everything else,
    and every miss, goes through FastAPI as usual.
    """

    def __init__(
        self, app: ASGIApp, caches: tuple[PageCache, ...], headers: list[tuple[bytes, bytes]]
    ) -> None:
        self.app = app
        self.caches = caches
        self.headers = [(b"content-type", b"text/html; charset=utf-8"), *headers]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        page = None
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            key = cache_key(scope["path"], scope["query_string"].decode("latin-1"))
            page = next((p for c in self.caches if (p := c.get(key)) is not None), None)
        if page is None:
            await self.app(scope, receive, send)
            return
        headers = [*self.headers, (b"content-length", str(len(page)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        body = page if scope["method"] == "GET" else b""
        await send({"type": "http.response.body", "body": body})


class NewsdeskApp(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        headers = security_headers(self.state.desk.settings.image_policy)
        stack = SecurityHeaders(super().build_middleware_stack(), headers)
        desk = self.state.desk
        return CachedPages(stack, (desk.cache, desk.listings), headers)


def create_app(
    store: Store, settings: Settings, *, fetcher: Fetcher | None = None, poll: bool = False
) -> FastAPI:
    """The site over `store`; with `poll`, subscriptions are polled in the background."""
    app = NewsdeskApp(
        lifespan=polling_lifespan(settings.db) if poll else None,
        title=settings.site_name,
        summary="Strategic briefs of news articles, made offline.",
        version=_version(),
        docs_url=None,  # /docs is our own page: Swagger UI would load scripts from a CDN
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    media = None
    if settings.image_policy == "proxy":
        media = MediaStore(media_directory(settings), shared_fetcher(fetcher))
    site = Site(settings, media.images() if media else None)
    app.state.desk = Desk(
        store=store, settings=settings, site=site, fetcher=fetcher, media=media,
        writes=WriteLimiter(settings.writes_per_minute),
        cache=PageCache(version=store.data_version),
        listings=PageCache(ttl=2.0, size=256, version=store.data_version),
    )  # fmt: skip
    install_error_handlers(app)
    app.include_router(stories_api)  # before api_router: see web/stories.py
    app.include_router(api_router)
    app.include_router(record_api)
    app.include_router(record_pages)
    app.include_router(subscriptions_router)
    app.include_router(page_router)
    app.include_router(story_pages)
    static = files("newsdesk.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsdesk")
    except PackageNotFoundError:
        return "0"


def app_from_environment() -> FastAPI:
    """The app each process of `serve --workers N` builds, from the ``NEWSDESK_*`` settings."""
    settings = make_settings()
    return create_app(open_store(settings.db), settings, poll=os.environ.get(POLL_VARIABLE) == "1")
