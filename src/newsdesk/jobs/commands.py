"""`newsdesk feeds ...` and `newsdesk poll`: subscriptions and the poller, on any store."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from newsdesk.errors import ConfigError, NewsdeskError, SourceError
from newsdesk.jobs.poll import PollReport, poll_due, seconds_until_due
from newsdesk.jobs.subscribe import check_feed, opml
from newsdesk.sources.feeds import opml_feed_urls
from newsdesk.sources.http import Fetcher
from newsdesk.store import Store
from newsdesk.web.commands import Database, open_store_or_exit, settings_or_exit

feeds = typer.Typer(help="Subscriptions: the feeds `newsdesk poll` fetches by itself.",
                    no_args_is_help=True)  # fmt: skip
stderr = Console(stderr=True, highlight=False, soft_wrap=True)

Urls = Annotated[list[str], typer.Argument(help="Feed or page URLs, or OPML files to import.")]
MAX_WAIT = 60.0  # seconds the poller sleeps at most between looks at the schedule


def _store(db: str | None) -> Store:
    return open_store_or_exit(settings_or_exit(db=db).db)


def _say(message: str) -> None:
    stderr.print(f"newsdesk: {message}", markup=False)


@feeds.command("add")
def add(urls: Urls, db: Database = None) -> None:
    """Subscribe to feeds: each URL is checked once; a page's own feed is found."""
    store, failed = _store(db), 0
    try:
        with Fetcher() as fetcher:
            for url in _expand(urls):
                failed += not _add_one(store, url, fetcher)
    finally:
        store.close()
    raise typer.Exit(1 if failed else 0)


def _expand(urls: list[str]) -> list[str]:
    """The URLs, with each OPML file replaced by the feeds it lists."""
    expanded: list[str] = []
    for url in urls:
        path = Path(url)
        if url.lower().startswith(("http://", "https://")) or not path.is_file():
            expanded.append(url)
            continue
        try:
            expanded += opml_feed_urls(url, path.read_bytes())
        except (OSError, SourceError) as error:
            _say(f"error: {url}: {getattr(error, 'reason', error)}")
    return expanded


def _add_one(store: Store, url: str, fetcher: Fetcher) -> bool:
    checked = check_feed(url, fetcher=fetcher)
    if checked.feed_url is None:
        _say(f"error: {url}: not subscribed: {checked.refusal}")
        return False
    if checked.warning:
        _say(f"warning: {url}: {checked.warning}")
    new = store.subscribe(checked.feed_url, title=checked.title)
    shown = checked.feed_url if checked.feed_url == url else f"{checked.feed_url} (from {url})"
    _say(f"{'subscribed to' if new else 'already subscribed to'} {shown}")
    return True


@feeds.command("list")
def list_feeds(
    db: Database = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per feed per line.")
    ] = False,
) -> None:
    """Every subscription: last and next fetch, articles, errors, the last error."""
    store = _store(db)
    try:
        subscriptions = store.subscriptions()
    finally:
        store.close()
    if as_json:
        for feed in subscriptions:
            print(json.dumps(asdict(feed), ensure_ascii=False))
        return
    table = Table("feed", "last fetched", "next fetch", "articles", "week", "errors", "last error")
    for feed in subscriptions:
        state = "parked" if feed.parked else feed.next_fetch
        table.add_row(feed.title or feed.url, feed.last_fetched or "never", state,
                      str(feed.articles), str(feed.articles_week), str(feed.consecutive_errors),
                      feed.last_error or "")  # fmt: skip
    Console().print(table)


@feeds.command("remove")
def remove(
    urls: Annotated[list[str], typer.Argument(help="Feed URLs.")], db: Database = None
) -> None:
    """Unsubscribe (the articles already stored stay)."""
    _each(db, urls, lambda store, url: store.unsubscribe(url), "unsubscribed from")


@feeds.command("retry")
def retry(
    urls: Annotated[list[str], typer.Argument(help="Feed URLs.")], db: Database = None
) -> None:
    """Unpark feeds that failed repeatedly, and fetch them at the next poll."""
    _each(db, urls, lambda store, url: store.retry(url), "will retry")


def _each(db: str | None, urls: list[str], act: typer.models.Any, done: str) -> None:
    store, failed = _store(db), 0
    try:
        for url in urls:
            if act(store, url):
                _say(f"{done} {url}")
            else:
                _say(f"error: {url}: not subscribed")
                failed += 1
    finally:
        store.close()
    raise typer.Exit(1 if failed else 0)


@feeds.command("export")
def export_opml(db: Database = None) -> None:
    """Print the subscriptions as OPML, for another feed reader."""
    store = _store(db)
    try:
        print(opml([(feed.url, feed.title) for feed in store.subscriptions()]), end="")
    finally:
        store.close()


def poll(
    db: Database = None,
    once: Annotated[
        bool, typer.Option("--once", help="Poll every due feed once and exit.")
    ] = False,
) -> None:
    """Fetch subscribed feeds on their own cadence and store their new articles."""
    store = _store(db)
    failed = False
    try:
        with Fetcher() as fetcher:
            while True:
                reports = poll_due(store, fetcher=fetcher, on_error=_report_error)
                failed = any(report.error for report in reports)
                for report in reports:
                    _say(_summary(report))
                if once:
                    break
                time.sleep(seconds_until_due(store, most=MAX_WAIT))
    except KeyboardInterrupt:
        pass
    finally:
        store.close()
    raise typer.Exit(1 if once and failed else 0)


def _report_error(error: NewsdeskError) -> None:
    _say(f"error: {error}")


def _summary(report: PollReport) -> str:
    if report.error:
        then = "parked until retried" if report.parked else f"next try {report.next_fetch}"
        return f"{report.url}: failed ({then})"
    new = f"{report.new_articles} new article{'' if report.new_articles == 1 else 's'}"
    return f"{report.url}: {new}, next fetch {report.next_fetch}"


def worker(
    db: Database = None,
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Jobs at once.")] = 1,
    until_idle: Annotated[
        bool, typer.Option("--until-idle", help="Stop when no job is left (for cron and tests).")
    ] = False,
    allow_private: Annotated[
        bool,
        typer.Option("--allow-private", help="Also fetch feeds on loopback and private addresses."),
    ] = False,
    stalled_after: Annotated[float, typer.Option(hidden=True, min=0.5)] = 30.0,
    retry_wait: Annotated[int, typer.Option(hidden=True, min=1)] = 2,
    claim_lease: Annotated[float, typer.Option(hidden=True, min=0.5)] = 600.0,
) -> None:
    """Process the PostgreSQL job queue: poll feeds and brief their entries (run many)."""
    import asyncio
    from datetime import timedelta

    from newsdesk.jobs.queue import work

    location = settings_or_exit(db=db).db
    try:
        with Fetcher(allow_private=allow_private) as fetcher:
            asyncio.run(work(location, fetcher=fetcher, concurrency=concurrency,
                             until_idle=until_idle, stalled_after=stalled_after,
                             retry_wait=retry_wait,
                             claim_lease=timedelta(seconds=claim_lease)))  # fmt: skip
    except NewsdeskError as error:
        _say(f"error: {error}")
        raise typer.Exit(2 if isinstance(error, ConfigError) else 1) from error
    except KeyboardInterrupt:
        pass
