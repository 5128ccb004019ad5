"""The SQLite store: WAL mode, FTS5 over title and body, one transaction per brief."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from newsdesk.errors import NotFound, StoreError
from newsdesk.extract import canonical_url
from newsdesk.models import Brief
from newsdesk.serialize import brief_from_dict, brief_to_dict
from newsdesk.store import FeedRecord, Saved, SaveResult, SearchHit
from newsdesk.store.common import (
    MATCH_START,
    MATCH_STOP,
    content_hash,
    mark_snippet,
    now,
    query_words,
)
from newsdesk.store.schema import LATEST_VERSION, pending

_BRIEF_COLUMNS = "brief, html"


class SQLiteStore:
    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.RLock()
        try:
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA busy_timeout = 5000")
            self._migrate()
        except sqlite3.Error as error:
            raise StoreError(path, f"cannot open database: {error}") from error

    def _migrate(self) -> None:
        current = self._db.execute("PRAGMA user_version").fetchone()[0]
        if current > LATEST_VERSION:
            raise StoreError(self.path, f"database schema v{current} is newer than this newsdesk")
        for version, sql in pending(current):
            try:
                self._db.executescript(
                    f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;"
                )
            except sqlite3.Error:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """All or nothing: a failure rolls back everything done inside.

        The lock keeps threads sharing the connection (the web app's) from
        interleaving their transactions.
        """
        with self._lock:
            if not self._db.in_transaction:
                self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
            if self._db.in_transaction:
                self._db.execute("COMMIT")

    # -- writing -----------------------------------------------------------

    def save(self, brief: Brief) -> SaveResult:
        article = brief.article
        digest = content_hash(article.text)
        canonical = article.url and canonical_url(article.url)
        try:
            with self._transaction():
                existing = self._find_existing(article.id, canonical, digest)
                if existing is not None and existing["content_hash"] == digest:
                    return SaveResult(Saved.UNCHANGED, existing["id"])
                if existing is not None:
                    self._db.execute("DELETE FROM articles WHERE id = ?", (existing["id"],))
                self._insert(brief, canonical, digest)
        except sqlite3.Error as error:
            raise StoreError(article.id, f"could not store: {error}") from error
        return SaveResult(Saved.ADDED if existing is None else Saved.UPDATED, article.id)

    def _find_existing(
        self, article_id: str, canonical: str | None, digest: str
    ) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self._db.execute(
            "SELECT id, content_hash FROM articles WHERE id = ? OR canonical_url = ? "
            "OR content_hash = ? ORDER BY (content_hash = ?) DESC LIMIT 1",
            (article_id, canonical, digest, digest),
        ).fetchone()
        return row

    def _insert(self, brief: Brief, canonical: str | None, digest: str) -> None:
        article = brief.article
        self._db.execute(
            "INSERT INTO articles (id, url, canonical_url, content_hash, title, dek, body, html,"
            " published, kind, brief, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                article.id, article.url, canonical, digest, article.title, brief.dek,
                article.text, article.html, article.published, str(brief.kind),
                json.dumps(brief_to_dict(brief), ensure_ascii=False), now(),
            ),
        )  # fmt: skip
        self._db.executemany(
            "INSERT INTO article_labels (article_id, label) VALUES (?, ?)",
            [(article.id, label) for label in brief.labels],
        )
        for entity in brief.entities:
            entity_id = self._entity_id(entity.name, str(entity.kind), entity.country)
            self._db.execute(
                "INSERT INTO mentions (article_id, entity_id, role, sentences) VALUES (?,?,?,?)",
                (article.id, entity_id, entity.role, json.dumps(entity.sentence_indexes)),
            )

    def _entity_id(self, name: str, kind: str, country: str | None) -> int:
        self._db.execute(
            "INSERT INTO entities (name, kind, country) VALUES (?,?,?) "
            "ON CONFLICT (name, kind) DO UPDATE SET country = coalesce(entities.country, excluded.country)",
            (name, kind, country),
        )
        row = self._db.execute(
            "SELECT id FROM entities WHERE name = ? AND kind = ?", (name, kind)
        ).fetchone()
        return int(row[0])

    # -- reading -----------------------------------------------------------

    def get(self, article_id: str) -> Brief:
        row = self._db.execute(
            f"SELECT {_BRIEF_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            raise NotFound(article_id, "no such article")
        return _brief(row)

    def latest(self, *, limit: int = 20, offset: int = 0, label: str | None = None) -> list[Brief]:
        where, params = _label_filter(label)
        rows = self._db.execute(
            f"SELECT {_BRIEF_COLUMNS} FROM articles {where} "
            "ORDER BY coalesce(published, ingested_at) DESC, id LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [_brief(row) for row in rows]

    def count(self, *, label: str | None = None) -> int:
        where, params = _label_filter(label)
        return int(self._db.execute(f"SELECT count(*) FROM articles {where}", params).fetchone()[0])

    def labels(self) -> list[tuple[str, int]]:
        rows = self._db.execute(
            "SELECT label, count(*) AS n FROM article_labels GROUP BY label ORDER BY n DESC, label"
        )
        return [(row["label"], row["n"]) for row in rows]

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        match = fts_query(query)
        if not match:
            return []
        rows = self._db.execute(
            "SELECT a.brief, a.html, snippet(articles_fts, 1, ?, ?, ' … ', 24) AS snip "
            "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT ?",
            (MATCH_START, MATCH_STOP, match, limit),
        )
        return [SearchHit(brief=_brief(row), snippet=mark_snippet(row["snip"])) for row in rows]

    # -- feeds (the FeedCache the sources use) -------------------------------

    def feed_state(self, url: str) -> tuple[str | None, str | None] | None:
        row = self._db.execute(
            "SELECT etag, last_modified FROM feeds WHERE url = ?", (url,)
        ).fetchone()
        return None if row is None else (row["etag"], row["last_modified"])

    def record_fetch(
        self, url: str, *, etag: str | None, last_modified: str | None, error: str | None
    ) -> None:
        failed = int(error is not None)
        with self._transaction():
            self._db.execute(
                "INSERT INTO feeds (url, etag, last_modified, last_fetched, last_error, fetches, errors)"
                " VALUES (?,?,?,?,?,1,?) ON CONFLICT (url) DO UPDATE SET"
                " etag = coalesce(excluded.etag, feeds.etag),"
                " last_modified = coalesce(excluded.last_modified, feeds.last_modified),"
                " last_fetched = excluded.last_fetched, last_error = excluded.last_error,"
                " fetches = feeds.fetches + 1, errors = feeds.errors + excluded.errors",
                (url, etag, last_modified, now(), error, failed),
            )

    def feeds(self) -> list[FeedRecord]:
        rows = self._db.execute(
            "SELECT url, last_fetched, last_error, fetches, errors FROM feeds ORDER BY url"
        )
        return [FeedRecord(**dict(row)) for row in rows]

    def close(self) -> None:
        self._db.close()


def fts_query(text: str) -> str:
    """A user's words as a safe FTS5 query: each word quoted, all required."""
    return " ".join(f'"{word}"' for word in query_words(text))


def _label_filter(label: str | None) -> tuple[str, tuple[str, ...]]:
    if label is None:
        return "", ()
    return "WHERE id IN (SELECT article_id FROM article_labels WHERE label = ?)", (label,)


def _brief(row: sqlite3.Row) -> Brief:
    return brief_from_dict(json.loads(row["brief"]), html=row["html"])
