"""The web site and JSON API: `create_app` wires a store and settings into FastAPI.

Every handler touching the store is ``async`` so that all database access
happens on the event-loop thread, one request at a time; slow work
(fetching, analysing) goes to the thread pool.
"""

from __future__ import annotations

import os
from importlib.resources import files

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.config import Settings, make_settings
from newsdesk.sources.http import Fetcher
from newsdesk.store import Store, open_store
from newsdesk.web.api import router as api_router
from newsdesk.web.cache import PageCache
from newsdesk.web.errors import install_error_handlers
from newsdesk.web.pages import Site
from newsdesk.web.polling import polling_lifespan
from newsdesk.web.state import Desk
from newsdesk.web.subscriptions import router as subscriptions_router
from newsdesk.web.views import router as page_router

POLL_VARIABLE = "NEWSDESK_SERVE_POLL"  # tells `app_from_environment` to poll too
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
]


_HTML_HEADERS = [(b"content-type", b"text/html; charset=utf-8"), *SECURITY_HEADERS]


class SecurityHeaders:
    """Adds the headers above to every response, errors included (outermost layer)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in SECURITY_HEADERS}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = kept + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CachedPages:
    """Answers GET/HEAD for a page already in the cache without routing it (the hot path).

    Only pages the views put in the cache are served from it; everything else,
    and every miss, goes through FastAPI as usual.
    """

    def __init__(self, app: ASGIApp, cache: PageCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        page = None
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            page = self.cache.get(scope["path"]) if not scope["query_string"] else None
        if page is None:
            await self.app(scope, receive, send)
            return
        headers = [*_HTML_HEADERS, (b"content-length", str(len(page)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        body = page if scope["method"] == "GET" else b""
        await send({"type": "http.response.body", "body": body})


class NewsdeskApp(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        stack = SecurityHeaders(super().build_middleware_stack())
        return CachedPages(stack, self.state.desk.cache)


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
    cache = PageCache(version=store.data_version)
    app.state.desk = Desk(
        store=store, settings=settings, site=Site(settings), cache=cache, fetcher=fetcher
    )
    install_error_handlers(app)
    app.include_router(api_router)
    app.include_router(subscriptions_router)
    app.include_router(page_router)
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
