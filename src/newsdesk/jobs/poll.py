"""Poll subscribed feeds: fetch each due feed, store its new articles, schedule the next fetch.

    reports = poll_due(store, fetcher=fetcher)      # every due feed, once

The fetch is conditional (ETag, Last-Modified); the next fetch follows the
feed's and the server's cadence hints (`jobs.schedule`). A failed feed backs
off and, after repeated failures, is parked until `Store.retry`. One feed's
failure, or one entry's, never stops the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from newsdesk.errors import NewsdeskError, SourceError
from newsdesk.jobs.schedule import CadenceHints, Decision, after_failure, after_success
from newsdesk.pipeline import Outcome, brief_items
from newsdesk.sources.feeds import FeedInfo, read_feed
from newsdesk.sources.http import Fetcher, FetchResult
from newsdesk.sources.reader import read_entries
from newsdesk.store import Saved, Store
from newsdesk.store.subscriptions import PollRecord, Subscription


@dataclass(frozen=True, slots=True)
class PollReport:
    """What polling one feed did."""

    url: str
    new_articles: int
    failed_items: int  # entries that could not be read, briefed or stored
    error: str | None  # why the feed itself failed, if it did
    next_fetch: str
    parked: bool


def poll_due(
    store: Store,
    *,
    fetcher: Fetcher,
    now: datetime | None = None,
    takeaways: int = 5,
    on_error: Callable[[NewsdeskError], None] = lambda error: None,
) -> list[PollReport]:
    """Poll every unparked feed due by `now`, soonest first, one at a time."""
    moment = now or datetime.now(UTC)
    due = store.subscriptions(due_by=_iso(moment))
    return [
        poll_feed(store, feed, fetcher=fetcher, now=moment, takeaways=takeaways, on_error=on_error)
        for feed in due
    ]


def poll_feed(
    store: Store,
    feed: Subscription,
    *,
    fetcher: Fetcher,
    now: datetime,
    takeaways: int = 5,
    on_error: Callable[[NewsdeskError], None] = lambda error: None,
) -> PollReport:
    """Fetch one feed, store its new articles and schedule its next fetch."""
    etag, last_modified = store.feed_state(feed.url) or (None, None)
    try:
        result = fetcher.get(feed.url, etag=etag, last_modified=last_modified)
        info, entries = (
            (FeedInfo(), [])
            if result.not_modified
            else read_feed(feed.url, result.content, url=result.url)
        )
    except SourceError as error:
        on_error(error)
        store.record_fetch(feed.url, etag=etag, last_modified=last_modified, error=error.reason)
        retry_after = getattr(error, "retry_after", None)
        decision = after_failure(now, errors=feed.consecutive_errors + 1, retry_after=retry_after)
        return _recorded(store, feed.url, decision, 0, 0, error=error.reason)
    store.record_fetch(
        feed.url, etag=result.etag or etag, last_modified=result.last_modified or last_modified,
        error=None,
    )  # fmt: skip
    outcomes = brief_items(read_entries(entries, fetcher=fetcher), takeaways=takeaways)
    added, failed = _store_all(store, outcomes, on_error)
    decision = after_success(now, _hints(info, result))
    return _recorded(store, feed.url, decision, added, failed, info=info)


def _store_all(
    store: Store, outcomes: Iterator[Outcome], on_error: Callable[[NewsdeskError], None]
) -> tuple[int, int]:
    """(articles added, items failed) after saving every brief."""
    added = failed = 0
    for outcome in outcomes:
        try:
            if outcome.brief is None:
                raise outcome.error or NewsdeskError(outcome.origin, "no brief")
            added += store.save(outcome.brief).outcome == Saved.ADDED
        except NewsdeskError as error:
            on_error(error)
            failed += 1
    return added, failed


def _hints(info: FeedInfo, result: FetchResult) -> CadenceHints:
    return CadenceHints(
        ttl_minutes=info.ttl_minutes,
        update_period=info.update_period,
        update_frequency=info.update_frequency,
        max_age=result.max_age,
    )


def _recorded(
    store: Store,
    url: str,
    decision: Decision,
    added: int,
    failed: int,
    *,
    error: str | None = None,
    info: FeedInfo | None = None,
) -> PollReport:
    info = info or FeedInfo()
    next_fetch = _iso(decision.next_fetch)
    store.record_poll(
        PollRecord(
            url,
            next_fetch,
            decision.consecutive_errors,
            decision.parked,
            added,
            error,
            title=info.title,
            site_url=info.site_url,
        )
    )
    return PollReport(url, added, failed, error, next_fetch, decision.parked)


def seconds_until_due(store: Store, *, now: datetime | None = None, most: float = 60.0) -> float:
    """How long a poller may sleep: until the next unparked feed is due, within 1 s and `most`."""
    upcoming = [feed.next_fetch for feed in store.subscriptions() if not feed.parked]
    if not upcoming:
        return most
    wait = datetime.fromisoformat(min(upcoming)) - (now or datetime.now(UTC))
    return min(max(wait.total_seconds(), 1.0), most)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")
