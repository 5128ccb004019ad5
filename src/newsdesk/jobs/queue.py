"""The job queue on PostgreSQL: polling and ingest spread over `newsdesk worker` processes.

    run_worker("postgresql://.../news", concurrency=1)   # process jobs until stopped

The queue is procrastinate's, in the same database as the articles, so it
needs no other service. Its jobs:

- ``schedule_due_feeds``, every 10 s: claims the feeds that are due (a claim
  is atomic, so two workers never take one feed) and defers a poll for each;
- ``poll_feed``: fetches one feed (a lock per feed: never two at once) and
  defers one ``ingest_entry`` per entry, so briefing spreads over workers;
- ``ingest_entry``: reads, briefs and stores one entry;
- ``retry_stalled_jobs``, every 30 s: a job whose worker died (kill -9) is
  put back in the queue. Storing is idempotent, so a job run again after a
  crash stores nothing twice.

A job that fails unexpectedly is retried with exponential backoff, then left
failed ("parked") with its error, which the sources page lists. Bad input
(a feed that is not a feed, an entry with no text) is not a job failure: it
is reported and recorded like any bad item.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.types import JSONDict

from newsdesk.errors import ConfigError, ExtractionError, NewsdeskError, SourceError
from newsdesk.jobs.poll import (
    CLAIM_BATCH,
    CLAIM_LEASE,
    Fetched,
    fetch_feed,
    iso,
    record,
    store_outcomes,
)
from newsdesk.pipeline import brief_items, warm_up
from newsdesk.sources.feeds import FeedEntry
from newsdesk.sources.http import Fetcher
from newsdesk.sources.reader import read_entries
from newsdesk.store import Store, open_store
from newsdesk.store.subscriptions import JobFailure

log = logging.getLogger("newsdesk.worker")

RETRIES = 4  # then the job is left failed: 5 attempts in all
RETRY = procrastinate.RetryStrategy(max_attempts=RETRIES, exponential_wait=2)  # 4 to 32 s
# One app per process, as procrastinate means it; `connected` gives it the database.
queue = procrastinate.App(connector=procrastinate.PsycopgConnector())


@queue.periodic(cron="*/10 * * * * *")
@queue.task(
    name="newsdesk.schedule_due_feeds", queueing_lock="schedule_due_feeds", pass_context=True
)
async def schedule_due_feeds(context: procrastinate.JobContext, timestamp: int) -> int:
    """Claim the due feeds and defer a poll for each; how many were deferred."""
    store: Store = context.additional_context["store"]
    lease: timedelta = context.additional_context["claim_lease"]
    return await defer_due_feeds(store, datetime.now(UTC), lease)


async def defer_due_feeds(store: Store, now: datetime, lease: timedelta = CLAIM_LEASE) -> int:
    claimed = await asyncio.to_thread(
        store.claim_due, now=iso(now), until=iso(now + lease), limit=CLAIM_BATCH
    )
    polls = [_poll_job(url, errors) for url, errors in claimed]
    try:  # one round trip for the whole claim
        return len(await queue.job_manager.batch_defer_jobs_async(polls)) if polls else 0
    except AlreadyEnqueued:  # some feed's last poll still waits: defer the others one by one
        return sum([await _defer_unless_waiting(poll) for poll in polls])


def _poll_job(url: str, errors: int) -> procrastinate.jobs.Job:
    """A poll of one feed: never two at once (lock), never two waiting (queueing lock)."""
    deferrer = poll_feed.configure(lock=f"feed:{url}", queueing_lock=f"poll:{url}")
    return deferrer.make_new_job(url=url, errors=errors)


async def _defer_unless_waiting(poll: procrastinate.jobs.Job) -> int:
    try:
        await queue.job_manager.defer_job_async(poll)
    except AlreadyEnqueued:  # its last poll is still waiting: that one will do
        return 0
    return 1


@queue.task(name="newsdesk.poll_feed", retry=RETRY, pass_context=True)
async def poll_feed(context: procrastinate.JobContext, url: str, errors: int) -> int:
    """Fetch one feed and defer an ingest job per entry; how many entries were deferred."""
    store: Store = context.additional_context["store"]
    fetcher: Fetcher = context.additional_context["fetcher"]
    with _failure_recorded(context, store, url):
        fetched = await asyncio.to_thread(
            fetch_feed, store, url, errors, fetcher=fetcher, now=datetime.now(UTC), on_error=_warn
        )
        if not isinstance(fetched, Fetched):
            return 0
        # The entries are queued before the fetch is recorded: a crash in between
        # fetches the feed again rather than losing its entries to a 304.
        jobs: list[JSONDict] = [{"feed": url, "entry": entry_record(e)} for e in fetched.entries]
        if jobs:
            await ingest_entry.batch_defer_async(*jobs)
        await asyncio.to_thread(record, store, url, fetched.decision, 0, 0, info=fetched.info)
        return len(fetched.entries)


@queue.task(name="newsdesk.ingest_entry", retry=RETRY, pass_context=True)
def ingest_entry(context: procrastinate.JobContext, feed: str, entry: dict[str, Any]) -> int:
    """Read, brief and store one feed entry; how many articles were added (0 or 1)."""
    store: Store = context.additional_context["store"]
    fetcher: Fetcher = context.additional_context["fetcher"]
    with _failure_recorded(context, store, str(entry.get("origin", feed))):
        items = read_entries([FeedEntry(**entry)], fetcher=fetcher)
        added, _ = store_outcomes(store, brief_items(items), _raise_unless_bad_input)
        if added:
            store.record_new_articles(feed, added)
        return added


@queue.periodic(cron="*/30 * * * * *")
@queue.task(
    name="newsdesk.retry_stalled_jobs", queueing_lock="retry_stalled_jobs", pass_context=True
)
async def retry_stalled_jobs(context: procrastinate.JobContext, timestamp: int) -> int:
    """Put back the jobs of workers that stopped sending heartbeats; how many."""
    return await _retry_stalled(context.app, context.additional_context["stalled_after"])


async def _retry_stalled(app: procrastinate.App, stalled_after: float) -> int:
    stalled = list(await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after))
    for job in stalled:
        await app.job_manager.retry_job(job)
    return len(stalled)


def entry_record(entry: FeedEntry) -> JSONDict:
    """A feed entry as JSON PostgreSQL accepts (no NUL, no lone surrogate)."""
    return {key: _clean(value) for key, value in asdict(entry).items()}


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, str):
        return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    return value


def _warn(error: NewsdeskError) -> None:
    log.warning("%s", error)


def _raise_unless_bad_input(error: NewsdeskError) -> None:
    """Bad input is reported and done with; anything else fails the job, to be retried."""
    if isinstance(error, SourceError | ExtractionError):
        _warn(error)
        return
    raise error


@contextmanager
def _failure_recorded(
    context: procrastinate.JobContext, store: Store, subject: str
) -> Iterator[None]:
    """Record why the job failed (for the sources page), then let the queue retry it."""
    job = context.job
    try:
        yield
    except Exception as error:
        attempt = job.attempts + 1
        store.record_job_failure(
            JobFailure(int(job.id or 0), job.task_name, subject, attempt,
                       f"{type(error).__name__}: {error}", parked=attempt > RETRIES)
        )  # fmt: skip
        raise
    if job.attempts:  # it failed before: it is not parked any more
        store.forget_job_failure(int(job.id or 0))


@contextmanager
def connected(location: str, *, retry_wait: int = 2) -> Iterator[procrastinate.App]:
    """The queue on the database at `location` (PostgreSQL only), for the block's duration.

    A failed job waits ``retry_wait ** attempt`` seconds before its next try.
    """
    if not location.startswith(("postgres://", "postgresql://")):
        raise ConfigError(
            location, "workers need PostgreSQL; with SQLite use `newsdesk poll` or `serve --poll`"
        )
    for task in (poll_feed, ingest_entry):
        task.retry_strategy = procrastinate.RetryStrategy(
            max_attempts=RETRIES, exponential_wait=retry_wait
        )
    with queue.replace_connector(procrastinate.PsycopgConnector(conninfo=location)) as app:
        yield app


async def install_queue(app: procrastinate.App) -> None:
    """Create the queue's tables the first time (procrastinate's own schema)."""
    present = await app.connector.execute_query_one_async(
        "SELECT to_regclass('procrastinate_jobs') IS NOT NULL AS present"
    )
    if not present["present"]:
        await app.schema_manager.apply_schema_async()


async def work(
    location: str,
    *,
    fetcher: Fetcher,
    concurrency: int = 1,
    stalled_after: float = 30.0,
    retry_wait: int = 2,
    claim_lease: timedelta = CLAIM_LEASE,
    until_idle: bool = False,
) -> None:
    """Process jobs until stopped (or, with `until_idle`, until none is left).

    On start, the jobs of workers that died are put back in the queue and
    the feeds due now are scheduled, so a worker started after a crash (or
    from cron with `until_idle`) picks up where the others stopped.
    """
    store = await asyncio.to_thread(open_store, location)
    await asyncio.to_thread(warm_up)  # models and tables loaded before the first job
    try:
        with connected(location, retry_wait=retry_wait) as app:
            await _run(app, store, fetcher, concurrency, stalled_after, claim_lease, until_idle)
    finally:
        store.close()


async def _run(
    app: procrastinate.App,
    store: Store,
    fetcher: Fetcher,
    concurrency: int,
    stalled_after: float,
    claim_lease: timedelta,
    until_idle: bool,
) -> None:
    async with app.open_async():
        await install_queue(app)
        await _retry_stalled(app, stalled_after)
        await defer_due_feeds(store, datetime.now(UTC), claim_lease)
        await app.run_worker_async(
            concurrency=concurrency,
            wait=not until_idle,
            additional_context={"store": store, "fetcher": fetcher,
                                "stalled_after": stalled_after, "claim_lease": claim_lease},
            update_heartbeat_interval=max(stalled_after / 5, 0.5),
            stalled_worker_timeout=stalled_after,
        )  # fmt: skip
