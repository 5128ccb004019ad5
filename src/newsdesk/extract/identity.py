"""An article's stable id, canonical URL and ISO 8601 date."""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Callable
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from dateutil import parser as dateutil_parser


def article_id(url: str | None, text: str) -> str:
    """A stable id: from the canonical URL if there is one, else from the text."""
    key = canonical_url(url) if url else " ".join(text.lower().split())
    return hashlib.sha256(key.encode()).hexdigest()[:16]


_TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def url_problem(url: str) -> str | None:
    """Why `url` cannot be parsed ("Port out of range 0-65535", "Invalid IPv6 URL"), or None."""
    try:
        _ = urlsplit(url.strip()).port  # reading the port is what checks it
    except ValueError as error:
        return str(error)
    return None


def canonical_url(url: str) -> str:
    """`url` with case, port, fragment, tracking parameters and trailing slash normalised.

    A URL that cannot be parsed (see `url_problem`) is its own canonical form.
    """
    if url_problem(url):
        return url.strip()
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in _TRACKING_PARAMS
    ]
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((scheme, host, path, urlencode(query), ""))


_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%d.%m.%Y")


# Dates outside these years are taken for no date: year 0 or 99999 is a broken
# feed, and dates at datetime's own limits overflow when moved between time zones.
PLAUSIBLE_YEARS = range(1800, 2201)


def iso_date(value: str | None) -> str | None:
    """`value` (ISO 8601, RFC 2822 or a date-led string) as ISO 8601, or None.

    None too for a date that does not exist (2024-13-45) or an implausible year.
    """
    if not value or not value.strip():
        return None
    moment = _parse_date(value.strip()[:100])
    if moment is None or moment.year not in PLAUSIBLE_YEARS:
        return None
    return moment.isoformat()


def _parse_date(text: str) -> datetime | date | None:
    for parse in (_iso_8601, parsedate_to_datetime, *_STRPTIMES, _date_led, _written):
        try:
            moment = parse(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
        if moment is not None:
            return moment
    return None


def _iso_8601(text: str) -> datetime | date:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _date_led(text: str) -> date | None:
    led = re.match(r"\d{4}-\d{2}-\d{2}", text)
    return date.fromisoformat(led[0]) if led else None


_TWO_DEFAULTS = (datetime(2001, 1, 1), datetime(2002, 2, 2))
_ZONE_HOURS = {"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8,
               "PDT": -7, "GMT": 0, "UTC": 0, "BST": 1, "CET": 1, "CEST": 2}  # fmt: skip
_ZONES = {name: hours * 3600 for name, hours in _ZONE_HOURS.items()}


def _written(text: str) -> datetime | date | None:
    """Any other common form ("Saturday, November 13, 2004 3:00 PM EST"), only when complete.

    dateutil fills what a text leaves out from a default; parsed against two
    different defaults, an incomplete date ("November 2004") comes out twice
    differently and is refused rather than given an invented day.
    """
    if not re.search(r"\b\d{4}\b", text):
        return None
    with warnings.catch_warnings():  # a zone it does not know is left out, not an error
        warnings.simplefilter("ignore")
        first, second = (
            dateutil_parser.parse(text, default=d, tzinfos=_ZONES) for d in _TWO_DEFAULTS
        )
    if first.date() != second.date():
        return None
    timed = first.time() == second.time() and re.search(r"\d:\d\d", text)
    return first if timed else first.date()


def _strptime(pattern: str) -> Callable[[str], date]:
    return lambda text: datetime.strptime(text, pattern).date()


_STRPTIMES = tuple(_strptime(pattern) for pattern in _DATE_FORMATS)
