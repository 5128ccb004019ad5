"""The record's decisions, pure: event scores, a pair's trend and change bands, the graph.

The store hands over `StoredEvent`s (an event with the article and sentence
it came from); everything here is arithmetic on them, so the CLI, the API,
the pages and the Editor's Desk all judge the record the same way.

Scores are PLOVER's cooperation-conflict scores (-10 most conflictual, +10
most cooperative; ../shared/reference/README.md). PLOVER's 2021 manual has
no score for four of the 18 categories newsdesk speaks; ours, documented:
INVESTIGATE -2 (as the manual's ACCUSE mode "investigate"), DEMAND -1.5
(between REQUEST 0 and ACCUSE -2: a demand presses harder than a request),
DISAPPROVE -2.5 (ACCUSE's middle), FIGHT -9.5 (between ASSAULT -9 and its
unconventional -10).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from newsdesk.models import Cited, Event

CATEGORY_SCORES: dict[str, float] = {
    "AGREE": 2.5, "CONSULT": 2.5, "SUPPORT": 5.0, "CONCEDE": 4.5, "COOPERATE": 9.5,
    "AID": 10.0, "RETREAT": 6.5, "INVESTIGATE": -2.0, "DEMAND": -1.5, "DISAPPROVE": -2.5,
    "REJECT": -2.0, "THREATEN": -3.5, "PROTEST": -5.0, "MOBILIZE": -5.5, "SANCTION": -6.0,
    "COERCE": -7.0, "ASSAULT": -9.0, "FIGHT": -9.5,
}  # fmt: skip
CATEGORIES = tuple(CATEGORY_SCORES)
COOPERATIVE = frozenset(c for c, s in CATEGORY_SCORES.items() if s > 0)

# ACLED's change bands: a period against the average of the previous ones.
BAND_WINDOW = 4
LARGE_CHANGE = 0.25
MODERATE_CHANGE = 0.10
QUIET_AVERAGE = 2  # at most this many events a period on average ...
QUIET_LATEST = 5  # ... and at most this many in the latest: always "limited"


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as the store keeps it: with its article, date and sentence."""

    article_id: str
    title: str
    url: str | None
    published: str | None  # the article's date, else the day it was stored
    event: Event
    sentence_text: str

    @property
    def score(self) -> float:
        return event_score(self.event)

    @property
    def month(self) -> str:
        return (self.published or "")[:7] or "undated"


@dataclass(frozen=True, slots=True)
class DeskRecord:
    """What the store knows before an article: the Editor's Desk judges against it.

    `pair_events` are the earlier events between each pair of the article's
    countries; `together` the earlier articles naming all of `countries`.
    """

    pair_events: dict[tuple[str, str], tuple[StoredEvent, ...]]
    countries: tuple[str, ...] = ()
    together: tuple[Cited, ...] = ()


EMPTY_RECORD = DeskRecord(pair_events={})


@dataclass(frozen=True, slots=True)
class Period:
    """One month of a pair's record."""

    period: str  # "2024-04"
    events: int
    score: float  # mean cooperation-conflict score of its events
    counts: tuple[tuple[str, int], ...]  # (category, events), most first
    change: str  # "large increase", "moderate increase", "limited change", "large decrease"


@dataclass(frozen=True, slots=True)
class Edge:
    """Two countries in the graph: how many events between them and their mean score."""

    a: str
    b: str
    events: int
    score: float


def event_score(event: Event) -> float:
    """The category's score; a denied or hypothetical event counts for nothing."""
    if event.modality in ("denied", "negated", "hypothetical"):
        return 0.0
    return CATEGORY_SCORES.get(event.action, 0.0)


def pair_of(event: Event) -> tuple[str, str] | None:
    """The two countries an event is between, in alphabetical order; None if not two."""
    a = event.actor.country
    b = event.target.country if event.target else None
    if not a or not b or a == b:
        return None
    return (a, b) if a < b else (b, a)


def mean(values: Iterable[float]) -> float:
    found = list(values)
    return round(sum(found) / len(found), 2) if found else 0.0


def trend(events: Sequence[StoredEvent]) -> list[Period]:
    """One row per month with events, oldest first, each with its change band."""
    by_month: dict[str, list[StoredEvent]] = defaultdict(list)
    for stored in events:
        by_month[stored.month].append(stored)
    months = sorted(m for m in by_month if m != "undated")
    counts: list[int] = []
    periods = []
    for month in months:
        found = by_month[month]
        categories = Counter(s.event.action for s in found).most_common()
        periods.append(
            Period(month, len(found), mean(s.score for s in found), tuple(categories),
                   change_band(len(found), counts[-BAND_WINDOW:]))
        )  # fmt: skip
        counts.append(len(found))
    return periods


def change_band(latest: int, previous: Sequence[int]) -> str:
    """ACLED's band for `latest` events against the average of the `previous` periods."""
    if not previous:
        return "limited change"
    average = sum(previous) / len(previous)
    if average <= QUIET_AVERAGE and latest <= QUIET_LATEST:
        return "limited change"
    change = (latest - average) / average if average else 1.0
    if change > LARGE_CHANGE:
        return "large increase"
    if change > MODERATE_CHANGE:
        return "moderate increase"
    if change < -LARGE_CHANGE:
        return "large decrease"
    return "limited change"


def graph(pair_counts: Iterable[tuple[str, str, str, int]]) -> list[Edge]:
    """Edges from (country, country, category, events) rows, busiest first."""
    totals: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for a, b, category, count in pair_counts:
        if a and b and a != b:
            totals[(a, b) if a < b else (b, a)][category] += count
    edges = [Edge(a, b, sum(c.values()), _weighted_mean(c)) for (a, b), c in totals.items()]
    return sorted(edges, key=lambda e: (-e.events, e.a, e.b))


def _weighted_mean(counts: Counter[str]) -> float:
    total = sum(counts.values())
    score = sum(CATEGORY_SCORES.get(c, 0.0) * n for c, n in counts.items())
    return round(score / total, 2) if total else 0.0


@dataclass(frozen=True, slots=True)
class Counterpart:
    name: str
    country: str | None
    events: int
    score: float


def counterparts(
    events: Sequence[StoredEvent], *, names: set[str], country: str | None
) -> list[Counterpart]:
    """Who the entity (known by `names`, or its `country`) has events with, most first."""
    found: dict[tuple[str, str | None], list[float]] = defaultdict(list)
    for stored in events:
        event = stored.event
        sides = [event.actor, event.target] if event.target else [event.actor]
        own = [s for s in sides if s.name in names or (country and s.country == country)]
        for side in sides:
            if own and side not in own and not (country and side.country == country):
                found[(side.name, side.country)].append(stored.score)
    ranked = [Counterpart(n, c, len(s), mean(s)) for (n, c), s in found.items()]
    return sorted(ranked, key=lambda c: (-c.events, c.name))


@dataclass(frozen=True, slots=True)
class Country:
    code: str  # ISO 3166 alpha-3
    name: str


def country_named(text: str) -> Country | None:
    """The country `text` names: an alpha-3 code, its name or an alias (any case).

    An unknown name is None, never a guessed code.
    """
    wanted = " ".join(text.split()).casefold().removeprefix("the ")
    return _country_table().get(wanted)


def country_name(code: str) -> str:
    found = _country_table().get(code.casefold())
    return found.name if found else code


@cache
def _country_table() -> dict[str, Country]:
    table: dict[str, Country] = {}
    source = files("newsdesk.data").joinpath("countries.tsv").read_text(encoding="utf-8")
    for line in source.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, name, aliases, *_ = [*line.split("\t"), "", ""]
        country = Country(code, name)
        for form in [code, name, *aliases.split("|")]:
            key = form.lstrip("~").strip().casefold()
            if key:
                table.setdefault(key, country)
    return table


def country_aliases(code: str) -> tuple[str, ...]:
    """Every form the country table knows `code` by, its name first."""
    country = _country_table().get(code.casefold())
    if country is None:
        return ()
    forms = [f for f, c in _country_forms() if c == country.code]
    return tuple(dict.fromkeys([country.name, *forms]))


@cache
def _country_forms() -> tuple[tuple[str, str], ...]:
    source = files("newsdesk.data").joinpath("countries.tsv").read_text(encoding="utf-8")
    forms = []
    for line in source.splitlines():
        if line.strip() and not line.startswith("#"):
            code, name, aliases, *_ = [*line.split("\t"), "", ""]
            forms += [
                (f.lstrip("~").strip(), code) for f in [name, *aliases.split("|")] if f.strip()
            ]
    return tuple(forms)
