"""`newsdesk worker` on PostgreSQL: the queue polls and ingests, survives kill -9, parks poison."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from typer.testing import CliRunner

from http_server import LocalServer
from newsdesk.cli import app
from newsdesk.config import Settings
from newsdesk.jobs.queue import (
    RETRIES,
    connected,
    defer_due_feeds,
    ingest_entry,
    install_queue,
    poll_feed,
    work,
)
from newsdesk.sources import Fetcher
from newsdesk.store import open_store
from newsdesk.web.links import Links
from newsdesk.web.pages import Site
from test_poll import item, rss

NEWSDESK = str(Path(sys.executable).with_name("newsdesk"))
QUICK = ["--allow-private", "--stalled-after", "1", "--retry-wait", "1", "--claim-lease", "1"]
KILLS = 20 if os.environ.get("CI") else 3


def serve_feeds(server: LocalServer, feeds: int, entries: int) -> list[str]:
    """`feeds` feeds of `entries` full entries each, all different."""
    return [
        server.add(
            f"/feed-{f}.xml",
            rss(*(item(f * 100 + e) for e in range(entries))),
            content_type="application/rss+xml",
        )
        for f in range(feeds)
    ]


def subscribe(location: str, urls: list[str]) -> None:
    store = open_store(location)
    try:
        for url in urls:
            store.subscribe(url)
    finally:
        store.close()


def articles(location: str) -> dict[str, str]:
    with psycopg.connect(location) as db:
        return dict(db.execute("SELECT id, content_hash FROM articles").fetchall())


def run_worker(
    location: str, *extra: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    command = [NEWSDESK, "worker", "--db", location, *QUICK, *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def test_a_worker_polls_every_due_feed_and_ingests_its_entries(
    postgres_url: str, server: LocalServer
) -> None:
    urls = serve_feeds(server, feeds=3, entries=4)
    subscribe(postgres_url, urls)
    result = CliRunner().invoke(app, ["worker", "--db", postgres_url, "--until-idle", *QUICK])
    assert result.exit_code == 0, result.stderr
    assert len(articles(postgres_url)) == 12
    store = open_store(postgres_url)
    try:
        feeds = store.subscriptions()
    finally:
        store.close()
    assert [feed.articles for feed in feeds] == [4, 4, 4]
    assert all(feed.last_fetched and feed.title == "Coast Wire" for feed in feeds)
    assert all(feed.next_fetch > feed.last_fetched for feed in feeds if feed.last_fetched)


def test_workers_refuse_sqlite_with_the_reason(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["worker", "--db", str(tmp_path / "news.db"), "--until-idle"])
    assert result.exit_code == 2
    assert "workers need PostgreSQL" in result.stderr


def until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_a_poison_job_is_parked_after_its_retries_and_blocks_nothing(
    postgres_url: str, server: LocalServer
) -> None:
    subscribe(postgres_url, serve_feeds(server, feeds=1, entries=2))

    async def poison_then_work() -> None:
        with connected(postgres_url) as queue:
            async with queue.open_async():
                await install_queue(queue)
                await ingest_entry.defer_async(
                    feed="https://x.example/feed", entry={"origin": "poison", "no": "such fields"}
                )
        with Fetcher(timeout=2) as fetcher:
            worker = asyncio.create_task(
                work(postgres_url, fetcher=fetcher, stalled_after=1, retry_wait=1)
            )
            await asyncio.to_thread(until, lambda: _failed_jobs(postgres_url) == 1, 60)
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker

    asyncio.run(poison_then_work())
    assert len(articles(postgres_url)) == 2  # the good feed went through meanwhile
    with psycopg.connect(postgres_url) as db:
        [(task, subject, attempts, error)] = db.execute(
            "SELECT task, subject, attempts, error FROM job_failures"
        ).fetchall()
    assert (task, subject, attempts) == ("newsdesk.ingest_entry", "poison", RETRIES + 1)
    assert error.startswith("TypeError")
    store = open_store(postgres_url)
    try:
        [parked] = store.parked_jobs()
        page = Site(Settings()).sources([], Links(), [], parked_jobs=[parked])
    finally:
        store.close()
    assert "Parked jobs" in page and "newsdesk.ingest_entry" in page and "TypeError" in page


def test_due_feeds_are_deferred_at_once_and_a_waiting_poll_is_not_doubled(
    postgres_url: str,
) -> None:
    urls = [f"https://wire.example/feed-{n}.xml" for n in range(5)]
    subscribe(postgres_url, urls)
    store = open_store(postgres_url)

    async def defer_twice() -> tuple[int, int]:
        with connected(postgres_url) as queue:
            async with queue.open_async():
                await install_queue(queue)
                await poll_feed.configure(
                    lock=f"feed:{urls[0]}", queueing_lock=f"poll:{urls[0]}"
                ).defer_async(url=urls[0], errors=0)  # an earlier poll still waiting
                first = await defer_due_feeds(store, datetime.now(UTC), timedelta(seconds=0))
                again = await defer_due_feeds(store, datetime.now(UTC) + timedelta(seconds=1))
                return first, again

    try:
        first, again = asyncio.run(defer_twice())
    finally:
        store.close()
    assert (first, again) == (4, 0)  # the waiting poll does the fifth; none is queued twice
    with psycopg.connect(postgres_url) as db:
        waiting = db.execute(
            "SELECT args->>'url' FROM procrastinate_jobs WHERE task_name = 'newsdesk.poll_feed'"
        ).fetchall()
    assert sorted(url for (url,) in waiting) == urls


def _failed_jobs(location: str) -> int:
    with psycopg.connect(location) as db:
        [(count,)] = db.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE status = 'failed'"
        ).fetchall()
    return int(count)


def test_kill_minus_nine_loses_nothing_and_stores_nothing_twice(
    postgres_url: str, server: LocalServer, tmp_path: Path
) -> None:
    urls = serve_feeds(server, feeds=8, entries=6)
    reference = f"{postgres_url}"  # filled without interruption first, then emptied
    subscribe(reference, urls)
    assert run_worker(reference, "--until-idle").returncode == 0
    expected = articles(reference)
    assert len(expected) == 48
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("TRUNCATE articles, subscriptions, feeds, feed_polls, job_failures CASCADE")
        db.execute("TRUNCATE procrastinate_jobs, procrastinate_workers CASCADE")
    subscribe(postgres_url, urls)
    chance = random.Random(11)
    command = [NEWSDESK, "worker", "--db", postgres_url, *QUICK]
    for _ in range(KILLS):
        worker = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.3, 2.5))
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    time.sleep(1.5)  # past the stalled-worker timeout and the claim lease
    for _ in range(5):
        run_worker(postgres_url, "--until-idle")
        if len(articles(postgres_url)) >= len(expected):
            break
        time.sleep(1.5)
    assert articles(postgres_url) == expected
    with psycopg.connect(postgres_url) as db:
        [(orphans,)] = db.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS"
            " (SELECT 1 FROM mentions m WHERE m.article_id = a.id)"
        ).fetchall()
    assert orphans == 0
