"""`newsdesk serve --poll`: the poller as a background task of the site, for one-process installs.

It polls through a store connection of its own, off the event loop, and
clears the page cache on the loop when a poll stored something new. Feeds
are fetched as the API fetches: never from a private or loopback address.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from newsdesk.errors import NewsdeskError
from newsdesk.jobs.poll import poll_due, seconds_until_due
from newsdesk.sources.http import Fetcher
from newsdesk.store import Store, open_store
from newsdesk.web.state import Desk

log = logging.getLogger("newsdesk.poll")


def polling_lifespan(
    location: str, *, most: float = 60.0
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A FastAPI lifespan that polls the subscriptions of the store at `location`."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(_poll_until(stop, app.state.desk, location, most))
        try:
            yield
        finally:
            stop.set()
            await task

    return lifespan


async def _poll_until(stop: asyncio.Event, desk: Desk, location: str, most: float) -> None:
    store = await run_in_threadpool(open_store, location)
    fetcher = desk.fetcher or Fetcher(allow_private=False)
    try:
        while not stop.is_set():
            wait = await _poll_round(store, fetcher, desk, most)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), wait)
    finally:
        if fetcher is not desk.fetcher:
            fetcher.close()
        store.close()


async def _poll_round(store: Store, fetcher: Fetcher, desk: Desk, most: float) -> float:
    """Poll what is due; the seconds to wait before the next round."""
    try:
        reports = await run_in_threadpool(poll_due, store, fetcher=fetcher, on_error=_log)
        if any(report.new_articles for report in reports):
            desk.cache.clear()
        return await run_in_threadpool(seconds_until_due, store, most=most)
    except NewsdeskError as error:  # the database failed: say so, and try again later
        log.error("polling stopped for a while: %s", error)
        return most


def _log(error: NewsdeskError) -> None:
    log.warning("%s", error)
