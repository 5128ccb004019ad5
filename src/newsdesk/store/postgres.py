"""The PostgreSQL store: a weighted tsvector with a GIN index, one transaction per brief.

Same behaviour as the SQLite store, tested by the same suite. One
connection in autocommit mode; every write is an explicit transaction and a
lock keeps the web app's threads from interleaving on the connection.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from newsdesk.errors import NotFound, StoreError
from newsdesk.extract import canonical_url
from newsdesk.models import Brief
from newsdesk.serialize import brief_to_dict
from newsdesk.store import FeedRecord, Saved, SaveResult, SearchHit
from newsdesk.store.changes import ChangeListener
from newsdesk.store.common import (
    LATEST_ORDER,
    MATCH_START,
    MATCH_STOP,
    content_hash,
    decoded_brief,
    mark_snippet,
    now,
    query_words,
    storable,
    without_password,
)
from newsdesk.store.events import EventStore
from newsdesk.store.postgres_schema import LATEST_VERSION, pending
from newsdesk.store.stories import StoryStore
from newsdesk.store.subscriptions import SubscriptionStore

Row = dict[str, Any]

_BRIEF_COLUMNS = "brief::text AS brief, html, ingested_at"  # text: decoded once (decoded_brief)
_CONNECT_TIMEOUT_SECONDS = 10
_MIGRATION_LOCK = 0x6E657773  # any constant: one migration at a time per database
# ts_rank weights for D, C, B, A: a title word (A) counts five times a body word (B), as in SQLite.
_RANK_WEIGHTS = "{0.1, 0.2, 0.2, 1.0}"
_HEADLINE_OPTIONS = (
    f'StartSel="{MATCH_START}", StopSel="{MATCH_STOP}", '
    'MaxWords=24, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
)
# PostgreSQL's text parser takes "<b>" in plain text for a tag and drops it from
# a headline; these stand in for the angle brackets there and are put back after.
_ANGLE_STAND_INS = "\x04\x05"
_ANGLES_BACK = str.maketrans(_ANGLE_STAND_INS, "<>")


class PostgresStore(StoryStore, SubscriptionStore, EventStore):
    _placeholder = "%s"

    def __init__(self, location: str) -> None:
        self.location = without_password(location)
        self._conninfo = location
        self._lock = threading.Lock()
        self._listener: ChangeListener | None = None
        self._db = _connect(location, self.location)
        try:
            self._migrate()
        except BaseException:
            self._db.close()
            raise

    def _migrate(self) -> None:
        try:
            with self._transaction():
                self._db.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
                current = self._schema_version()
                if current > LATEST_VERSION:
                    raise StoreError(
                        self.location, f"database schema v{current} is newer than this newsdesk"
                    )
                for version, sql in pending(current):
                    self._db.execute(sql)
                    self._db.execute(
                        "INSERT INTO newsdesk_schema (version, applied_at) VALUES (%s, %s)",
                        (version, now()),
                    )
        except psycopg.Error as error:
            raise StoreError(self.location, f"cannot prepare the database: {error}") from error

    def _schema_version(self) -> int:
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS newsdesk_schema"
            " (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        return int(self._one("SELECT coalesce(max(version), 0) AS v FROM newsdesk_schema")["v"])

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """All or nothing: a failure rolls back everything done inside."""
        with self._lock:
            self._reconnect_if_lost()
            with self._db.transaction():
                yield

    def _reconnect_if_lost(self) -> None:
        """After a server restart the call that met it fails; the next one reconnects."""
        if self._db.broken:
            self._db = _connect(self._conninfo, self.location)

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> Row:
        row = self._db.execute(sql, params).fetchone()
        assert row is not None, "an aggregate query returns a row"
        return row

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[Row]:
        with self._lock:
            self._reconnect_if_lost()
            try:
                return self._db.execute(sql, params).fetchall()
            except psycopg.Error as error:
                raise StoreError(self.location, f"query failed: {error}") from error

    def _write(self, item: str, statements: list[tuple[str, tuple[Any, ...]]]) -> list[Row]:
        """Run the statements in one transaction; the rows the last one returned."""
        try:
            with self._transaction():
                rows: list[Row] = []
                for sql, params in statements:
                    clean = tuple(_storable(p) if isinstance(p, str) else p for p in params)
                    cursor = self._db.execute(sql, clean)
                    rows = cursor.fetchall() if cursor.description else []
                return rows
        except psycopg.Error as error:
            raise StoreError(item, f"could not store: {error}") from error

    # -- writing -----------------------------------------------------------

    def save(self, brief: Brief) -> SaveResult:
        try:
            try:
                return self._save(brief)
            except psycopg.errors.UniqueViolation:
                # Another worker stored the same article between our look-up and
                # insert; a second attempt finds it.
                return self._save(brief)
        except psycopg.Error as error:
            raise StoreError(brief.article.id, f"could not store: {error}") from error

    def _save(self, brief: Brief) -> SaveResult:
        article = brief.article
        digest = content_hash(article.text)
        canonical = article.url and _storable(canonical_url(article.url))
        prepared = self._prepare_relations(brief, digest)
        with self._transaction():
            existing = self._find_existing(article.id, canonical, digest)
            if existing is not None and existing["content_hash"] == digest:
                return SaveResult(Saved.UNCHANGED, existing["id"])
            if existing is not None:  # new text under a known id or URL replaces its rows
                self._db.execute(
                    "DELETE FROM articles WHERE id = %s OR canonical_url = %s",
                    _values((article.id, canonical)),
                )
            self._insert(brief, canonical, digest)
            self._record_relations(_storable(article.id), brief, prepared)
        return SaveResult(Saved.ADDED if existing is None else Saved.UPDATED, _storable(article.id))

    def _find_existing(self, article_id: str, canonical: str | None, digest: str) -> Row | None:
        return self._db.execute(
            "SELECT id, content_hash FROM articles WHERE id = %s OR canonical_url = %s "
            "OR content_hash = %s ORDER BY (content_hash = %s) DESC LIMIT 1",
            _values((article_id, canonical, digest, digest)),
        ).fetchone()

    def _insert(self, brief: Brief, canonical: str | None, digest: str) -> None:
        article = brief.article
        self._db.execute(
            "INSERT INTO articles (id, url, canonical_url, content_hash, title, dek, body, html,"
            " published, kind, brief, ingested_at)"
            " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            _values((
                article.id, article.url, canonical, digest, article.title, brief.dek,
                article.text, article.html, article.published, str(brief.kind),
                Jsonb(brief_to_dict(brief), dumps=_json_text), now(),
            )),
        )  # fmt: skip
        with self._db.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO article_labels (article_id, label) VALUES (%s, %s)",
                [_values((article.id, label)) for label in brief.labels],
            )
        # Entities in one order: two workers upserting the same ones cannot deadlock.
        for entity in sorted(brief.entities, key=lambda e: (e.name or "", str(e.kind))):
            entity_id = self._entity_id(entity.name, str(entity.kind), entity.country)
            self._db.execute(
                "INSERT INTO mentions (article_id, entity_id, role, sentences)"
                " VALUES (%s,%s,%s,%s)",
                _values((article.id, entity_id, entity.role, Jsonb(list(entity.sentence_indexes)))),
            )
        with self._db.cursor() as cursor:
            self._insert_events(cursor, brief)

    def _entity_id(self, name: str, kind: str, country: str | None) -> int:
        # Read before writing: an upsert would row-lock busy entities ("United
        # States") until the save commits, so concurrent workers' saves would
        # wait for each other. Only a new entity, or a country learnt for the
        # first time, writes (and locks) its row.
        row = self._entity_row(name, kind)
        if row is None:
            self._db.execute(
                "INSERT INTO entities (name, kind, country) VALUES (%s,%s,%s)"
                " ON CONFLICT (name, kind) DO NOTHING",
                _values((name, kind, country)),
            )
            row = self._entity_row(name, kind)
            assert row is not None, "inserted, or inserted by another transaction that committed"
        if country is not None and row["country"] is None:
            self._db.execute(
                "UPDATE entities SET country = %s WHERE id = %s AND country IS NULL",
                (country, row["id"]),
            )
        return int(row["id"])

    def _entity_row(self, name: str, kind: str) -> Row | None:
        return self._db.execute(
            "SELECT id, country FROM entities WHERE name = %s AND kind = %s", _values((name, kind))
        ).fetchone()

    # -- reading -----------------------------------------------------------

    def get(self, article_id: str) -> Brief:
        rows = self._rows(
            f"SELECT {_BRIEF_COLUMNS} FROM articles WHERE id = %s", (_storable(article_id),)
        )
        if not rows:
            raise NotFound(article_id, "no such article")
        return _brief(rows[0])

    def get_many(self, article_ids: Sequence[str]) -> list[Brief]:
        """The stored briefs of `article_ids` in one read, in their order; unknown ids left out."""
        if not article_ids:
            return []
        wanted = [_storable(i) for i in article_ids]
        rows = self._rows(
            f"SELECT id, {_BRIEF_COLUMNS} FROM articles WHERE id = ANY(%s)", (wanted,)
        )
        found = {row["id"]: _brief(row) for row in rows}
        return [found[i] for i in wanted if i in found]

    def latest(self, *, limit: int = 20, offset: int = 0, label: str | None = None) -> list[Brief]:
        where, params = _label_filter(label)
        rows = self._rows(
            f"SELECT {_BRIEF_COLUMNS} FROM articles {where} "
            f"ORDER BY {LATEST_ORDER} LIMIT %s OFFSET %s",
            (*params, limit, offset),
        )
        return [_brief(row) for row in rows]

    def count(self, *, label: str | None = None) -> int:
        where, params = _label_filter(label)
        [row] = self._rows(f"SELECT count(*) AS n FROM articles {where}", params)
        return int(row["n"])

    def labels(self) -> list[tuple[str, int]]:
        rows = self._rows(
            "SELECT label, count(*) AS n FROM article_labels GROUP BY label ORDER BY n DESC, label"
        )
        return [(row["label"], int(row["n"])) for row in rows]

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        words = query_words(query)
        if not words:
            return []
        # plainto_tsquery takes any text and requires every word, as the SQLite
        # query does; the headline is made only for the rows that are returned.
        rows = self._rows(
            "SELECT brief::text AS brief, html, ts_headline('newsdesk', translate(body, '<>', %s), q, %s) AS snip"
            " FROM ("
            " SELECT brief, html, body, q, ts_rank(%s, search, q) AS rank, id"
            " FROM articles, plainto_tsquery('newsdesk', %s) AS q WHERE search @@ q"
            " ORDER BY rank DESC, id LIMIT %s"
            ") AS top ORDER BY rank DESC, id",
            (_ANGLE_STAND_INS, _HEADLINE_OPTIONS, _RANK_WEIGHTS, " ".join(words), limit),
        )
        return [SearchHit(brief=_brief(row), snippet=_snippet(row["snip"])) for row in rows]

    # -- feeds (the FeedCache the sources use) -------------------------------

    def feed_state(self, url: str) -> tuple[str | None, str | None] | None:
        rows = self._rows("SELECT etag, last_modified FROM feeds WHERE url = %s", (_storable(url),))
        return (rows[0]["etag"], rows[0]["last_modified"]) if rows else None

    def record_fetch(
        self, url: str, *, etag: str | None, last_modified: str | None, error: str | None
    ) -> None:
        failed = int(error is not None)
        url, error = _storable(url), error and _storable(error)
        with self._transaction():
            self._db.execute(
                "INSERT INTO feeds (url, etag, last_modified, last_fetched, last_error, fetches, errors)"
                " VALUES (%s,%s,%s,%s,%s,1,%s) ON CONFLICT (url) DO UPDATE SET"
                " etag = coalesce(excluded.etag, feeds.etag),"
                " last_modified = coalesce(excluded.last_modified, feeds.last_modified),"
                " last_fetched = excluded.last_fetched, last_error = excluded.last_error,"
                " fetches = feeds.fetches + 1, errors = feeds.errors + excluded.errors",
                (url, etag, last_modified, now(), error, failed),
            )

    def feeds(self) -> list[FeedRecord]:
        rows = self._rows(
            "SELECT url, last_fetched, last_error, fetches, errors FROM feeds ORDER BY url"
        )
        return [FeedRecord(**row) for row in rows]

    def data_version(self) -> int:
        """A number that changes when any process changes the articles (LISTEN/NOTIFY)."""
        with self._lock:
            if self._listener is None:
                self._listener = ChangeListener(self._conninfo)
        return self._listener.version

    def close(self) -> None:
        with self._lock:
            if self._listener is not None:
                self._listener.close()
            self.close_vectors()
            self._db.close()


def _connect(location: str, shown_as: str) -> psycopg.Connection[Row]:
    try:
        params = {"connect_timeout": _CONNECT_TIMEOUT_SECONDS, **conninfo_to_dict(location)}
        conninfo = make_conninfo("", **params)
        return psycopg.connect(conninfo, autocommit=True, row_factory=dict_row)
    except psycopg.Error as error:
        raise StoreError(shown_as, f"cannot connect: {error}") from error


def _label_filter(label: str | None) -> tuple[str, tuple[str, ...]]:
    if label is None:
        return "", ()
    where = "WHERE id IN (SELECT article_id FROM article_labels WHERE label = %s)"
    return where, (_storable(label),)


def _storable(text: str) -> str:
    """PostgreSQL text cannot hold NUL (a look-up with one, `/articles/%00`, finds nothing),
    nor lone surrogates (see `storable`)."""
    return storable(text).replace("\x00", "\ufffd")


def _values(values: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(_storable(value) if isinstance(value, str) else value for value in values)


def _json_text(value: Any) -> str:
    return storable(json.dumps(value, ensure_ascii=False))


def _snippet(headline: str) -> str:
    return mark_snippet(headline.translate(_ANGLES_BACK))


def _brief(row: Row) -> Brief:
    brief = decoded_brief(row["brief"], row["html"])
    return replace(brief, ingested_at=row.get("ingested_at"))
