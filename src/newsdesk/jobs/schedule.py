"""When to fetch a feed next: pure decisions from what the feed and the server said.

    hints = CadenceHints(ttl_minutes=30, max_age=600)
    after_success(now, hints).next_fetch     # now + 30 min: the slowest hint wins
    after_failure(now, errors=3, retry_after=None).next_fetch   # backed off

A feed says how often it changes (RSS ``<ttl>``, ``sy:updatePeriod`` and
``sy:updateFrequency``); its server says how long a copy stays fresh
(Cache-Control ``max-age``) and when to come back (``Retry-After``). The
poller fetches no sooner than the most patient of these, never more often
than `MIN_INTERVAL`, and at least every `MAX_INTERVAL`. Failures back off
exponentially; after `PARK_AFTER` failures in a row the feed is parked until
a person retries it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

DEFAULT_INTERVAL = timedelta(hours=1)
MIN_INTERVAL = timedelta(minutes=5)
MAX_INTERVAL = timedelta(days=1)
FIRST_BACKOFF = timedelta(minutes=5)
PARK_AFTER = 8  # failures in a row: about a day and a half of backing off

_UPDATE_PERIODS = {
    "hourly": timedelta(hours=1),
    "daily": timedelta(days=1),
    "weekly": timedelta(weeks=1),
    "monthly": timedelta(days=30),
    "yearly": timedelta(days=365),
}


@dataclass(frozen=True, slots=True)
class CadenceHints:
    """What the feed and its server said about how often to come back."""

    ttl_minutes: int | None = None  # RSS <ttl>
    update_period: str | None = None  # sy:updatePeriod: hourly, daily, ...
    update_frequency: int | None = None  # sy:updateFrequency: times per period
    max_age: int | None = None  # Cache-Control max-age, seconds
    retry_after: str | None = None  # Retry-After: seconds or an HTTP date


@dataclass(frozen=True, slots=True)
class Decision:
    """The feed's next fetch, and whether it is parked until a person retries it."""

    next_fetch: datetime
    consecutive_errors: int
    parked: bool = False


def after_success(now: datetime, hints: CadenceHints) -> Decision:
    """The next fetch after a fetch that worked (a 304 included)."""
    return Decision(now + interval(now, hints), consecutive_errors=0)


def after_failure(now: datetime, *, errors: int, retry_after: str | None = None) -> Decision:
    """The next try after the `errors`-th failure in a row, parked after `PARK_AFTER`."""
    backoff = min(FIRST_BACKOFF * 2 ** max(errors - 1, 0), MAX_INTERVAL)
    wait = max(backoff, _retry_after(now, retry_after) or timedelta(0))
    return Decision(now + wait, consecutive_errors=errors, parked=errors >= PARK_AFTER)


def interval(now: datetime, hints: CadenceHints) -> timedelta:
    """How long to wait: the most patient hint, within the bounds; the default without any."""
    said = [
        _minutes(hints.ttl_minutes),
        _period(hints.update_period, hints.update_frequency),
        timedelta(seconds=hints.max_age) if hints.max_age and hints.max_age > 0 else None,
        _retry_after(now, hints.retry_after),
    ]
    known = [wait for wait in said if wait is not None]
    wait = max(known) if known else DEFAULT_INTERVAL
    return min(max(wait, MIN_INTERVAL), MAX_INTERVAL)


def _minutes(value: int | None) -> timedelta | None:
    return timedelta(minutes=value) if value and value > 0 else None


def _period(period: str | None, frequency: int | None) -> timedelta | None:
    length = _UPDATE_PERIODS.get((period or "").strip().lower())
    if length is None:
        return None
    return length / (frequency if frequency and frequency > 0 else 1)


def _retry_after(now: datetime, value: str | None) -> timedelta | None:
    """Retry-After as a wait: delta-seconds or an HTTP date; None when absent or garbled."""
    value = (value or "").strip()
    if value.isdigit():
        return min(timedelta(seconds=int(value)), MAX_INTERVAL)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return min(max(when - now, timedelta(0)), MAX_INTERVAL)
