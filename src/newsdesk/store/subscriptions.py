"""Subscriptions: the feeds newsdesk polls by itself, and the log of each poll.

Both backends share this: the SQL is portable, and each backend lends its
placeholder style, its reads (`_rows`) and its writes (`_write`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from newsdesk.store.common import now

# Migration 4 on both backends: portable SQL (TEXT times in ISO 8601, UTC).
MIGRATION = """
CREATE TABLE subscriptions (
    url                TEXT PRIMARY KEY,
    title              TEXT NOT NULL DEFAULT '',
    site_url           TEXT NOT NULL DEFAULT '',
    added_at           TEXT NOT NULL,
    next_fetch         TEXT NOT NULL,
    consecutive_errors INTEGER NOT NULL DEFAULT 0,
    parked             INTEGER NOT NULL DEFAULT 0,
    last_new           TEXT
);
CREATE INDEX subscriptions_due ON subscriptions (parked, next_fetch);
CREATE TABLE feed_polls (
    url          TEXT NOT NULL,
    polled_at    TEXT NOT NULL,
    new_articles INTEGER NOT NULL,
    error        TEXT
);
CREATE INDEX feed_polls_by_url ON feed_polls (url, polled_at);
CREATE TABLE job_failures (
    job_id    BIGINT PRIMARY KEY,   -- the queue's job (procrastinate_jobs.id, PostgreSQL only)
    task      TEXT NOT NULL,
    subject   TEXT NOT NULL,        -- the feed or entry the job was about
    attempts  INTEGER NOT NULL,
    error     TEXT NOT NULL,
    failed_at TEXT NOT NULL,
    parked    INTEGER NOT NULL DEFAULT 0  -- 1 once its retries are spent
);
"""

_SELECT = """
SELECT s.url, s.title, s.site_url, s.added_at, s.next_fetch, s.consecutive_errors, s.parked,
       s.last_new, f.last_fetched, f.last_error, coalesce(f.errors, 0) AS errors,
       (SELECT coalesce(sum(p.new_articles), 0) FROM feed_polls p WHERE p.url = s.url)
           AS articles,
       (SELECT coalesce(sum(p.new_articles), 0) FROM feed_polls p
         WHERE p.url = s.url AND p.polled_at >= ?) AS articles_week
FROM subscriptions s LEFT JOIN feeds f ON f.url = s.url
"""


@dataclass(frozen=True, slots=True)
class Subscription:
    """A feed newsdesk polls, with what its polls have done so far."""

    url: str
    title: str
    site_url: str
    added_at: str
    next_fetch: str
    consecutive_errors: int
    parked: bool  # after repeated failures, until a person retries it
    last_new: str | None  # when a poll last stored a new article
    last_fetched: str | None
    last_error: str | None
    errors: int  # failed fetches in all
    articles: int  # new articles its polls stored
    articles_week: int  # of which in the last seven days


@dataclass(frozen=True, slots=True)
class PollRecord:
    """What one poll of a feed did, for `SubscriptionStore.record_poll`."""

    url: str
    next_fetch: str
    consecutive_errors: int
    parked: bool
    new_articles: int
    error: str | None = None
    title: str = ""  # the feed's own title and site, when the poll read them
    site_url: str = ""


@dataclass(frozen=True, slots=True)
class JobFailure:
    """Why a job of the queue failed; `parked` once it will not be tried again."""

    job_id: int
    task: str
    subject: str  # the feed or entry the job was about
    attempts: int
    error: str
    failed_at: str = ""
    parked: bool = False


class SubscriptionStore:
    """Subscription methods of a store; the backend class provides the hooks below."""

    _placeholder = "?"

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> Sequence[Any]:
        raise NotImplementedError

    def _write(self, item: str, statements: list[tuple[str, tuple[Any, ...]]]) -> Sequence[Any]:
        """Run the statements in one transaction; the rows the last one returned."""
        raise NotImplementedError

    def _sql(self, sql: str) -> str:
        return sql if self._placeholder == "?" else sql.replace("?", self._placeholder)

    def subscribe(self, url: str, *, title: str = "") -> bool:
        """Subscribe to `url`, due at once; False when it was already subscribed."""
        sql = self._sql(
            "INSERT INTO subscriptions (url, title, added_at, next_fetch) VALUES (?,?,?,?)"
            " ON CONFLICT (url) DO NOTHING RETURNING url"
        )
        stamp = now()
        return bool(self._write(url, [(sql, (url, title, stamp, stamp))]))

    def unsubscribe(self, url: str) -> bool:
        """Stop polling `url` (its articles stay); False when it was not subscribed."""
        sql = self._sql("DELETE FROM subscriptions WHERE url = ? RETURNING url")
        return bool(self._write(url, [(sql, (url,))]))

    def retry(self, url: str) -> bool:
        """Unpark `url` and make it due now; False when it is not subscribed."""
        sql = self._sql(
            "UPDATE subscriptions SET parked = 0, consecutive_errors = 0, next_fetch = ?"
            " WHERE url = ? RETURNING url"
        )
        return bool(self._write(url, [(sql, (now(), url))]))

    def subscriptions(self, *, due_by: str | None = None) -> list[Subscription]:
        """Every subscription by URL; with `due_by`, the unparked ones due by then, soonest first."""
        week_ago = (datetime.now(UTC) - timedelta(days=7)).isoformat(timespec="seconds")
        if due_by is None:
            rows = self._rows(self._sql(_SELECT + " ORDER BY s.url"), (week_ago,))
        else:
            where = " WHERE s.parked = 0 AND s.next_fetch <= ? ORDER BY s.next_fetch, s.url"
            rows = self._rows(self._sql(_SELECT + where), (week_ago, due_by))
        return [_subscription(row) for row in rows]

    def next_due(self) -> str | None:
        """When the next unparked feed is due; None without any."""
        rows = self._rows("SELECT min(next_fetch) AS due FROM subscriptions WHERE parked = 0")
        return rows[0]["due"] if rows else None

    def record_poll(self, poll: PollRecord) -> None:
        """Log one poll and schedule the next, in one transaction."""
        stamp = now()
        update = self._sql(
            "UPDATE subscriptions SET next_fetch = ?, consecutive_errors = ?, parked = ?,"
            " title = CASE WHEN ? <> '' THEN ? ELSE title END,"
            " site_url = CASE WHEN ? <> '' THEN ? ELSE site_url END,"
            " last_new = CASE WHEN ? > 0 THEN ? ELSE last_new END WHERE url = ?"
        )
        log = self._sql(
            "INSERT INTO feed_polls (url, polled_at, new_articles, error) VALUES (?,?,?,?)"
        )
        params = (poll.next_fetch, poll.consecutive_errors, int(poll.parked), poll.title,
                  poll.title, poll.site_url, poll.site_url, poll.new_articles, stamp, poll.url)  # fmt: skip
        self._write(
            poll.url,
            [(log, (poll.url, stamp, poll.new_articles, poll.error)), (update, params)],
        )

    def claim_due(self, *, now: str, until: str, limit: int = 100) -> list[tuple[str, int]]:
        """Take up to `limit` due feeds for polling: (url, errors in a row) of each.

        None of them is due again before `until`, unless its poll reschedules it.

        Safe between processes: the condition is re-checked on the row each
        claimer updates, so two claimers never take the same feed.
        """
        sql = self._sql(
            "UPDATE subscriptions SET next_fetch = ? WHERE parked = 0 AND next_fetch <= ?"
            " AND url IN (SELECT url FROM subscriptions WHERE parked = 0 AND next_fetch <= ?"
            " ORDER BY next_fetch LIMIT ?) RETURNING url, consecutive_errors"
        )
        rows = self._write("due feeds", [(sql, (until, now, now, limit))])
        return [(row["url"], row["consecutive_errors"]) for row in rows]

    def record_new_articles(self, url: str, count: int) -> None:
        """Credit a feed with articles stored from it after its poll (by the queue's jobs)."""
        stamp = now()
        log = self._sql(
            "INSERT INTO feed_polls (url, polled_at, new_articles, error) VALUES (?,?,?,NULL)"
        )
        update = self._sql("UPDATE subscriptions SET last_new = ? WHERE url = ?")
        self._write(url, [(log, (url, stamp, count)), (update, (stamp, url))])

    def record_job_failure(self, failure: JobFailure) -> None:
        """Remember why a job of the queue failed, for the sources page."""
        sql = self._sql(
            "INSERT INTO job_failures (job_id, task, subject, attempts, error, failed_at, parked)"
            " VALUES (?,?,?,?,?,?,?) ON CONFLICT (job_id) DO UPDATE SET attempts ="
            " excluded.attempts, error = excluded.error, failed_at = excluded.failed_at,"
            " parked = excluded.parked"
        )
        params = (failure.job_id, failure.task, failure.subject, failure.attempts, failure.error,
                  failure.failed_at or now(), int(failure.parked))  # fmt: skip
        self._write(failure.subject, [(sql, params)])

    def forget_job_failure(self, job_id: int) -> None:
        """A job that failed before has now succeeded."""
        self._write(
            str(job_id), [(self._sql("DELETE FROM job_failures WHERE job_id = ?"), (job_id,))]
        )

    def parked_jobs(self) -> list[JobFailure]:
        """Jobs that failed on every try, newest first."""
        rows = self._rows(
            "SELECT job_id, task, subject, attempts, error, failed_at, parked FROM job_failures"
            " WHERE parked = 1 ORDER BY failed_at DESC, job_id"
        )
        return [JobFailure(**{**dict(row), "parked": bool(row["parked"])}) for row in rows]


def _subscription(row: Any) -> Subscription:
    values = dict(row)
    values["parked"] = bool(values["parked"])
    return Subscription(**values)
