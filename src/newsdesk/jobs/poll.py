"""Poll subscribed feeds: fetch each due feed, store its new articles, schedule the next fetch.

    reports = poll_due(store, fetcher=fetcher)      # every due feed, once, in this process

The fetch is conditional (ETag, Last-Modified); the next fetch follows the
feed's and the server's cadence hints (`jobs.schedule`). A failed feed backs
off and, after repeated failures, is parked until `Store.retry`. One feed's
failure, or one entry's, never stops the others. `fetch_feed` is the part
the queue's workers share: they hand the entries to other jobs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from newsdesk.errors import NewsdeskError, SourceError
from newsdesk.jobs.schedule import CadenceHints, Decision, after_failure, after_success
from newsdesk.pipeline import Outcome, brief_items
from newsdesk.sources.feeds import FeedEntry, FeedInfo, ParsedFeed, read_feed
from newsdesk.sources.http import Fetcher, FetchResult
from newsdesk.sources.reader import read_entries
from newsdesk.store import Saved, Store
from newsdesk.store.subscriptions import PollRecord

MAX_ENTRIES = 500  # a feed that suddenly lists more is cut to its first entries
CLAIM_LEASE = timedelta(minutes=10)  # a claimed feed is due again after this if never polled
CLAIM_BATCH = 200
ErrorSink = Callable[[NewsdeskError], None]


@dataclass(frozen=True, slots=True)
class PollReport:
    """What polling one feed did."""

    url: str
    new_articles: int
    failed_items: int  # entries that could not be read, briefed or stored
    error: str | None  # why the feed itself failed, if it did
    next_fetch: str
    parked: bool


@dataclass(frozen=True, slots=True)
class Fetched:
    """A feed fetched and parsed: its entries (none when unchanged) and when to come back."""

    info: FeedInfo
    entries: tuple[FeedEntry, ...]
    decision: Decision


def poll_due(
    store: Store,
    *,
    fetcher: Fetcher,
    now: datetime | None = None,
    takeaways: int = 5,
    on_error: ErrorSink = lambda error: None,
) -> list[PollReport]:
    """Poll every unparked feed due by `now`, soonest first, one at a time.

    Each feed is claimed first, so pollers in several processes never take
    the same one.
    """
    moment = now or datetime.now(UTC)
    due = store.claim_due(now=iso(moment), until=iso(moment + CLAIM_LEASE), limit=CLAIM_BATCH)
    return [
        poll_feed(store, url, errors, fetcher=fetcher, now=moment, takeaways=takeaways,
                  on_error=on_error)
        for url, errors in due
    ]  # fmt: skip


def poll_feed(
    store: Store,
    url: str,
    errors_so_far: int,
    *,
    fetcher: Fetcher,
    now: datetime,
    takeaways: int = 5,
    on_error: ErrorSink = lambda error: None,
) -> PollReport:
    """Fetch one feed, store its new articles and schedule its next fetch."""
    fetched = fetch_feed(store, url, errors_so_far, fetcher=fetcher, now=now, on_error=on_error)
    if isinstance(fetched, PollReport):
        return fetched
    outcomes = brief_items(read_entries(fetched.entries, fetcher=fetcher), takeaways=takeaways)
    added, failed = store_outcomes(store, outcomes, on_error)
    return record(store, url, fetched.decision, added, failed, info=fetched.info)


def fetch_feed(
    store: Store,
    url: str,
    errors_so_far: int,
    *,
    fetcher: Fetcher,
    now: datetime,
    on_error: ErrorSink = lambda error: None,
) -> Fetched | PollReport:
    """The feed's entries and next fetch; on failure, the failure's report (already recorded)."""
    etag, last_modified = store.feed_state(url) or (None, None)
    try:
        result = fetcher.get(url, etag=etag, last_modified=last_modified, cut=True)
        feed = (
            ParsedFeed([])
            if result.not_modified
            else read_feed(url, result.content, url=result.url)
        )
    except SourceError as error:
        on_error(error)
        store.record_fetch(url, etag=etag, last_modified=last_modified, error=error.reason)
        decision = after_failure(
            now, errors=errors_so_far + 1, retry_after=error_retry_after(error)
        )
        return record(store, url, decision, 0, 0, error=error.reason)
    store.record_fetch(url, etag=result.etag or etag,
                       last_modified=result.last_modified or last_modified, error=None)  # fmt: skip
    if result.cut:
        cap = f"{fetcher.max_bytes / 1_000_000:g} MB"
        on_error(
            SourceError(url, f"larger than {cap}: cut at {cap}, {len(feed.entries)} entries read")
        )
    elif feed.problem is not None:
        on_error(feed.problem)
    if len(feed.entries) > MAX_ENTRIES:
        reason = f"{len(feed.entries)} entries: only the first {MAX_ENTRIES} are read"
        on_error(SourceError(url, reason))
    decision = after_success(now, _hints(feed.info, result))
    return Fetched(feed.info, tuple(feed.entries[:MAX_ENTRIES]), decision)


def store_outcomes(
    store: Store, outcomes: Iterable[Outcome], on_error: ErrorSink
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


def record(
    store: Store,
    url: str,
    decision: Decision,
    added: int,
    failed: int,
    *,
    error: str | None = None,
    info: FeedInfo | None = None,
) -> PollReport:
    """Log the poll and schedule the next one; its report."""
    info = info or FeedInfo()
    next_fetch = iso(decision.next_fetch)
    poll = PollRecord(url, next_fetch, decision.consecutive_errors, decision.parked, added, error,
                      title=info.title, site_url=info.site_url)  # fmt: skip
    store.record_poll(poll)
    return PollReport(url, added, failed, error, next_fetch, decision.parked)


def seconds_until_due(store: Store, *, now: datetime | None = None, most: float = 60.0) -> float:
    """How long a poller may sleep: until the next unparked feed is due, within 1 s and `most`."""
    upcoming = store.next_due()
    if upcoming is None:
        return most
    wait = datetime.fromisoformat(upcoming) - (now or datetime.now(UTC))
    return min(max(wait.total_seconds(), 1.0), most)


def error_retry_after(error: SourceError) -> str | None:
    return getattr(error, "retry_after", None)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _hints(info: FeedInfo, result: FetchResult) -> CadenceHints:
    return CadenceHints(
        ttl_minutes=info.ttl_minutes,
        update_period=info.update_period,
        update_frequency=info.update_frequency,
        max_age=result.max_age,
    )
