"""Subscriptions and the poller: cadence, conditional GET, backoff, parking, the CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from http_server import LocalServer
from newsdesk.cli import app
from newsdesk.jobs.poll import poll_due
from newsdesk.jobs.schedule import (
    MAX_INTERVAL,
    MIN_INTERVAL,
    PARK_AFTER,
    CadenceHints,
    after_failure,
    after_success,
    interval,
)
from newsdesk.sources import Fetcher
from newsdesk.store import Store

FIXED = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # for the pure schedule
# Polls happen a day from now, when feeds subscribed during the run are due.
NOW = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
STORY = (
    "Japan and the Philippines agreed on {day} to expand joint coast guard patrols in the "
    "South China Sea, officials in Manila said. The two governments will hold talks on a "
    "reciprocal access agreement next month. Defence ministers from both countries welcomed "
    "the plan and said it would deter coercion at sea. China's foreign ministry criticised "
    "the move and urged restraint from both sides. Analysts in Tokyo said the arrangement "
    "marks a new stage in the partnership between the two maritime democracies. "
)


def rss(*items: str, extra: str = "") -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel>'
        f"<title>Coast Wire</title><link>https://wire.example/</link>{extra}"
        f"{''.join(items)}</channel></rss>"
    )


def item(n: int) -> str:
    text = STORY.format(day=f"day {n}") * 2
    return (
        f"<item><title>Patrols, day {n}</title><link>https://wire.example/{n}</link>"
        f"<guid>urn:{n}</guid><description>{text}</description></item>"
    )


# -- the schedule (pure) -----------------------------------------------------


def test_the_most_patient_hint_sets_the_interval() -> None:
    hints = CadenceHints(ttl_minutes=30, max_age=600)
    assert interval(FIXED, hints) == timedelta(minutes=30)
    assert interval(FIXED, CadenceHints(update_period="daily", update_frequency=4)) == timedelta(
        hours=6
    )
    assert interval(FIXED, CadenceHints()) == timedelta(hours=1)


def test_the_interval_stays_within_bounds() -> None:
    assert interval(FIXED, CadenceHints(max_age=1)) == MIN_INTERVAL
    assert interval(FIXED, CadenceHints(update_period="yearly")) == MAX_INTERVAL
    assert interval(FIXED, CadenceHints(ttl_minutes=-5, update_period="fortnightly")) == timedelta(
        hours=1
    )


def test_retry_after_as_seconds_or_a_date_is_honoured() -> None:
    assert after_failure(FIXED, errors=1, retry_after="7200").next_fetch == FIXED + timedelta(
        hours=2
    )
    date = "Wed, 02 Dec 2026 15:00:00 GMT"
    assert after_failure(FIXED, errors=1, retry_after=date).next_fetch == FIXED + timedelta(hours=3)
    assert after_failure(FIXED, errors=1, retry_after="soon").next_fetch == FIXED + timedelta(
        minutes=5
    )


def test_failures_back_off_exponentially_then_park() -> None:
    waits = [after_failure(FIXED, errors=n).next_fetch - FIXED for n in range(1, 5)]
    assert waits == [timedelta(minutes=m) for m in (5, 10, 20, 40)]
    assert not after_failure(FIXED, errors=PARK_AFTER - 1).parked
    parked = after_failure(FIXED, errors=PARK_AFTER)
    assert parked.parked and parked.next_fetch - FIXED <= MAX_INTERVAL
    assert after_success(FIXED, CadenceHints()).consecutive_errors == 0


# -- the store ---------------------------------------------------------------


def test_subscriptions_are_stored_once_and_removed(store: Store) -> None:
    assert store.subscribe("https://wire.example/feed", title="Wire")
    assert not store.subscribe("https://wire.example/feed")
    [feed] = store.subscriptions()
    assert (feed.url, feed.title, feed.articles, feed.parked) == (
        "https://wire.example/feed", "Wire", 0, False,
    )  # fmt: skip
    assert store.unsubscribe("https://wire.example/feed")
    assert not store.unsubscribe("https://wire.example/feed")
    assert store.subscriptions() == []


# -- polling a real server ---------------------------------------------------


@pytest.fixture
def polled(store: Store, server: LocalServer) -> tuple[Store, LocalServer, str]:
    url = server.add("/feed.xml", rss(item(1), item(2), extra="<ttl>90</ttl>"),
                     content_type="application/rss+xml", etag='"v1"')  # fmt: skip
    store.subscribe(url)
    return store, server, url


def test_a_due_feed_is_polled_and_its_articles_stored(
    polled: tuple[Store, LocalServer, str],
) -> None:
    store, _, _ = polled
    with Fetcher(timeout=2) as fetcher:
        [report] = poll_due(store, fetcher=fetcher, now=NOW)
    assert (report.new_articles, report.error) == (2, None)
    assert store.count() == 2
    [feed] = store.subscriptions()
    assert feed.title == "Coast Wire" and feed.site_url == "https://wire.example/"
    assert (feed.articles, feed.next_fetch) == (2, (NOW + timedelta(minutes=90)).isoformat())
    assert feed.last_new is not None and feed.last_fetched is not None


def test_a_feed_is_not_polled_before_it_is_due_and_then_conditionally(
    polled: tuple[Store, LocalServer, str],
) -> None:
    store, server, _ = polled
    with Fetcher(timeout=2) as fetcher:
        poll_due(store, fetcher=fetcher, now=NOW)
        assert poll_due(store, fetcher=fetcher, now=NOW + timedelta(minutes=30)) == []
        [again] = poll_due(store, fetcher=fetcher, now=NOW + timedelta(hours=2))
    assert (again.new_articles, again.error) == (0, None)
    feed_requests = [seen for seen in server.requests if seen.path == "/feed.xml"]
    assert len(feed_requests) == 2
    assert feed_requests[1].headers.get("If-None-Match") == '"v1"'
    assert store.count() == 2


def test_a_failing_feed_backs_off_parks_and_is_retried(store: Store, server: LocalServer) -> None:
    url = server.add("/down.xml", "boom", status=503, headers={"Retry-After": "900"})
    store.subscribe(url)
    moment = NOW
    with Fetcher(timeout=2) as fetcher:
        for _ in range(PARK_AFTER):
            [report] = poll_due(store, fetcher=fetcher, now=moment)
            assert report.error is not None and "503" in report.error
            moment = datetime.fromisoformat(report.next_fetch)
        [feed] = store.subscriptions()
        assert feed.parked and feed.consecutive_errors == PARK_AFTER
        assert feed.last_error is not None and "503" in feed.last_error
        assert poll_due(store, fetcher=fetcher, now=moment + timedelta(days=30)) == []
        assert store.retry(url)
        server.add("/down.xml", rss(item(3)), content_type="application/rss+xml")
        [report] = poll_due(store, fetcher=fetcher, now=datetime.now(UTC))
    assert (report.new_articles, report.error) == (1, None)
    assert not store.subscriptions()[0].parked


def test_retry_after_sets_the_first_backoff(store: Store, server: LocalServer) -> None:
    url = server.add("/busy.xml", "slow down", status=429, headers={"Retry-After": "3600"})
    store.subscribe(url)
    with Fetcher(timeout=2) as fetcher:
        [report] = poll_due(store, fetcher=fetcher, now=NOW)
    assert report.next_fetch == (NOW + timedelta(hours=1)).isoformat()


def test_one_bad_feed_does_not_stop_the_others(store: Store, server: LocalServer) -> None:
    store.subscribe(server.add("/a.xml", "<html>not a feed</html>"))
    store.subscribe(server.add("/b.xml", rss(item(4)), content_type="application/rss+xml"))
    with Fetcher(timeout=2) as fetcher:
        reports = {r.url.rsplit("/", 1)[1]: r for r in poll_due(store, fetcher=fetcher, now=NOW)}
    assert reports["a.xml"].error is not None and "not a feed" in reports["a.xml"].error
    assert reports["b.xml"].new_articles == 1


# -- the CLI -----------------------------------------------------------------


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_feeds_add_finds_a_pages_feed_and_refuses_what_is_none(
    server: LocalServer, tmp_path: Path
) -> None:
    db = str(tmp_path / "news.db")
    feed = server.add("/feed.xml", rss(item(1)), content_type="application/rss+xml")
    page = server.add(
        "/", '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        "</head><body>Home</body></html>",
    )  # fmt: skip
    plain = server.add("/about", "<html><body>About us</body></html>")
    code, _, said = cli("feeds", "add", "--db", db, page, plain)
    assert code == 1
    assert f"subscribed to {feed} (from {page})" in said
    assert f"{plain}: not subscribed: not a feed, and no feed linked from it" in said
    code, out, _ = cli("feeds", "list", "--db", db, "--json")
    [row] = [json.loads(line) for line in out.splitlines()]
    assert (row["url"], row["title"], row["last_fetched"], row["errors"]) == (
        feed, "Coast Wire", None, 0,
    )  # fmt: skip
    assert {"next_fetch", "articles", "last_error"} <= set(row)


def test_an_unreachable_feed_is_subscribed_with_a_warning(tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    code, _, said = cli("feeds", "add", "--db", db, "http://127.0.0.1:9/feed.xml")
    assert code == 0
    assert "warning: http://127.0.0.1:9/feed.xml: could not fetch it now" in said


def test_poll_once_exports_and_reimports(server: LocalServer, tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    feed = server.add("/feed.xml", rss(item(1), item(2)), content_type="application/rss+xml")
    assert cli("feeds", "add", "--db", db, feed)[0] == 0
    code, _, said = cli("poll", "--once", "--db", db)
    assert code == 0 and f"{feed}: 2 new articles" in said
    code, opml, _ = cli("feeds", "export", "--db", db)
    assert f'xmlUrl="{feed}"' in opml and 'title="Coast Wire"' in opml
    (tmp_path / "subs.opml").write_text(opml)
    other = str(tmp_path / "other.db")
    code, _, said = cli("feeds", "add", "--db", other, str(tmp_path / "subs.opml"))
    assert code == 0 and f"subscribed to {feed}" in said
    assert cli("feeds", "remove", "--db", other, feed)[0] == 0
    assert cli("feeds", "remove", "--db", other, feed)[0] == 1


def test_poll_once_says_a_feed_failed_in_its_exit_code(server: LocalServer, tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    url = server.add("/gone.xml", "gone", status=410)
    cli("feeds", "add", "--db", db, url)
    code, _, said = cli("poll", "--once", "--db", db)
    assert code == 1 and "HTTP 410" in said and f"{url}: failed (next try" in said


def test_a_feed_of_ten_thousand_items_is_cut_with_a_message(
    store: Store, server: LocalServer
) -> None:
    from newsdesk.jobs.poll import MAX_ENTRIES

    items = "".join(  # links on loopback, answered 404: no name is looked up in DNS
        f"<item><title>Note {n}</title><link>{server.url(f'/n/{n}')}</link>"
        f"<description>Short note {n}.</description></item>"
        for n in range(10_000)
    )
    store.subscribe(server.add("/huge.xml", rss(items), content_type="application/rss+xml"))
    said: list[str] = []
    with Fetcher(timeout=5) as fetcher:
        [report] = poll_due(store, fetcher=fetcher, now=NOW, on_error=lambda e: said.append(str(e)))
    assert f"10000 entries: only the first {MAX_ENTRIES} are read" in said[0]
    assert report.error is None and report.failed_items == MAX_ENTRIES  # each page missing


def test_a_fifty_megabyte_feed_is_cut_at_the_cap_and_its_first_entries_read(
    store: Store, server: LocalServer
) -> None:
    padding = (
        "<item><title>Padding</title><description>" + "x" * 50_000_000 + "</description></item>"
    )
    url = server.add(
        "/vast.xml", rss(item(1), item(2), padding), content_type="application/rss+xml"
    )
    store.subscribe(url)
    said: list[str] = []
    with Fetcher(timeout=5) as fetcher:
        [report] = poll_due(store, fetcher=fetcher, now=NOW, on_error=lambda e: said.append(str(e)))
    assert any("larger than 5 MB: cut at 5 MB" in line for line in said), said
    assert report.error is None and report.new_articles == 2


def test_a_redirect_loop_is_subscribed_with_a_warning(server: LocalServer, tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    loop = server.add("/loop", "", status=302, headers={"Location": "/loop"})
    code, _, said = cli("feeds", "add", "--db", db, loop)
    assert code == 0 and "too many redirects" in said and "will retry" in said


def test_the_poller_sleeps_until_the_next_unparked_feed_is_due(store: Store) -> None:
    from newsdesk.jobs.poll import seconds_until_due
    from newsdesk.store.subscriptions import PollRecord

    assert seconds_until_due(store, most=600) == 600
    store.subscribe("https://a.example/feed")
    store.subscribe("https://b.example/feed")
    soon = datetime.now(UTC) + timedelta(minutes=2)
    store.record_poll(
        PollRecord("https://a.example/feed", soon.isoformat(timespec="seconds"), 0, False, 0)
    )
    store.record_poll(
        PollRecord(
            "https://b.example/feed",
            (soon - timedelta(hours=1)).isoformat(timespec="seconds"),
            8,
            True,
            0,
            "gone",
        )
    )
    assert 100 < seconds_until_due(store, most=600) <= 120
