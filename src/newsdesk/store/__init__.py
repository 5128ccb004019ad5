"""Storage: one narrow interface, a SQLite and a PostgreSQL implementation behind it.

`open_store` picks one from the location ("newsdesk.db" or "postgresql://...").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from newsdesk.analyse.record import DeskRecord, StoredEvent
from newsdesk.errors import ConfigError
from newsdesk.models import Brief, Cited
from newsdesk.store.common import without_password
from newsdesk.store.events import ArticleRef, EntityRow
from newsdesk.store.hybrid import NO_FILTERS, SearchFilters, SearchOrder, SearchPage
from newsdesk.store.stories import RelatedArticle, RelatedPanel, Reporter, StorySummary
from newsdesk.store.subscriptions import JobFailure, PollRecord, Subscription


class Saved(StrEnum):
    """What `Store.save` did with a brief."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What `Store.save` did, and the id under which the article is stored.

    The id differs from the brief's when the same text or URL was already
    stored under another one.
    """

    outcome: Saved
    article_id: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    brief: Brief
    snippet: str  # HTML: escaped text with <mark> around the matches


@dataclass(frozen=True, slots=True)
class FeedRecord:
    url: str
    last_fetched: str | None
    last_error: str | None
    fetches: int
    errors: int


class Store(Protocol):
    def save(self, brief: Brief) -> SaveResult: ...

    def embed_ahead(self, briefs: Sequence[Brief]) -> None: ...

    def get(self, article_id: str) -> Brief: ...

    def get_many(self, article_ids: Sequence[str]) -> list[Brief]: ...

    def latest(
        self, *, limit: int = 20, offset: int = 0, label: str | None = None
    ) -> list[Brief]: ...

    def count(self, *, label: str | None = None) -> int: ...

    def labels(self) -> list[tuple[str, int]]: ...

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]: ...

    def feed_state(self, url: str) -> tuple[str | None, str | None] | None: ...

    def record_fetch(
        self, url: str, *, etag: str | None, last_modified: str | None, error: str | None
    ) -> None: ...

    def feeds(self) -> list[FeedRecord]: ...

    def subscribe(self, url: str, *, title: str = "") -> bool: ...

    def unsubscribe(self, url: str) -> bool: ...

    def retry(self, url: str) -> bool: ...

    def subscriptions(self, *, due_by: str | None = None) -> list[Subscription]: ...

    def next_due(self) -> str | None: ...

    def record_poll(self, poll: PollRecord) -> None: ...

    def claim_due(self, *, now: str, until: str, limit: int = 100) -> list[tuple[str, int]]: ...

    def record_new_articles(self, url: str, count: int) -> None: ...

    def record_job_failure(self, failure: JobFailure) -> None: ...

    def forget_job_failure(self, job_id: int) -> None: ...

    def parked_jobs(self) -> list[JobFailure]: ...

    # -- the record (store/events.py) --

    def events_between(
        self, a: str, b: str, *, before: str | None = None, exclude: str | None = None
    ) -> list[StoredEvent]: ...

    def events_of(
        self, *, name: str | None = None, country: str | None = None
    ) -> list[StoredEvent]: ...

    def all_events(self, *, limit: int = 1_000, offset: int = 0) -> list[StoredEvent]: ...

    def pair_counts(self) -> list[tuple[str, str, str, int]]: ...

    def desk_record(self, brief: Brief, countries: Sequence[str]) -> DeskRecord: ...

    def entity_index(self, *, kind: str | None = None, limit: int = 500) -> list[EntityRow]: ...

    def entity(self, kind: str, name: str) -> EntityRow: ...

    def entity_index_of(self, kind: str | None, name: str) -> list[EntityRow]: ...

    def country_entity(self, code: str) -> EntityRow | None: ...

    def entity_articles(self, kind: str, name: str, *, limit: int = 200) -> list[ArticleRef]: ...

    def together(
        self,
        countries: Sequence[str],
        *,
        before: str | None = None,
        exclude: str | None = None,
        limit: int = 200,
    ) -> list[Cited]: ...
    def search_page(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        filters: SearchFilters = NO_FILTERS,
        order: SearchOrder = SearchOrder.RELEVANCE,
    ) -> SearchPage: ...

    def related(self, article_id: str, *, limit: int = 8) -> list[RelatedArticle]: ...

    def also_reported_by(self, article_id: str) -> list[Reporter]: ...

    def related_panel(self, article_id: str) -> RelatedPanel: ...

    def stories_of(self, article_ids: Sequence[str]) -> dict[str, StorySummary]: ...

    def story(self, story_id: str) -> StorySummary | None: ...

    def story_of(self, article_id: str) -> StorySummary | None: ...

    def stories(self, *, limit: int = 20, offset: int = 0) -> list[StorySummary]: ...

    def story_count(self) -> int: ...

    def data_version(self) -> int:
        """Changes when another connection or process has changed the stored articles."""
        ...

    def close(self) -> None: ...


def open_store(location: str) -> Store:
    """Open (creating and migrating if needed) the database at `location`."""
    # The backends import this module, so they are imported here, when first used.
    if location.startswith(("postgres://", "postgresql://")):
        try:
            from newsdesk.store.postgres import PostgresStore
        except ModuleNotFoundError as error:
            if not (error.name or "").startswith("psycopg"):
                raise
            raise ConfigError(
                without_password(location),
                "PostgreSQL needs psycopg: pip install 'newsdesk[postgres]'",
            ) from error
        return PostgresStore(location)
    from newsdesk.store.sqlite import SQLiteStore

    return SQLiteStore(location)
