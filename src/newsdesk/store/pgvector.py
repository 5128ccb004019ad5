"""Nearest vectors in PostgreSQL with pgvector: an HNSW index (cosine) on article_vectors.

Used by the PostgreSQL store when the server has the `vector` extension;
without it the store keeps the exact in-memory index of vectors.py, and
works the same. The vectors stay in their BYTEA column too (the one copy
both backends read), and a `vector(384)` column beside it is what the HNSW
index covers.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from newsdesk.analyse.embed import DIMENSIONS, from_blob
from newsdesk.store.vectors import Stamp

# Both idempotent: run at the first use of vectors on a database with the extension.
SETUP = (
    "CREATE EXTENSION IF NOT EXISTS vector",
    f"ALTER TABLE article_vectors ADD COLUMN IF NOT EXISTS embedding vector({DIMENSIONS})",
    "CREATE INDEX IF NOT EXISTS article_vectors_hnsw ON article_vectors"
    " USING hnsw (embedding vector_cosine_ops)",
)
EF_SEARCH = 100  # candidates HNSW looks at per query, at least
# Recall at a fixed ef_search falls as the table grows (bench/scale.py, recall@10 against
# exact search, two halves of 200 queries): at 100,000 rows 0.991 | 0.981 with 100 (3.5 ms
# p50) and 0.997 | 0.995 with 400 (10.8 ms); at 1,000,000 0.927 | 0.928 with 100,
# 0.951 | 0.947 with 200, 0.969 | 0.961 with 400. So it grows with the table's size.
EF_SEARCH_PER_MILLION = 400
EF_SEARCH_MAX = 1000  # pgvector refuses more
SIZE_TTL_SECONDS = 60.0  # how long the table's row estimate is trusted


def available(db: Any) -> bool:
    """Whether the server can give this database pgvector."""
    row = db.execute(
        "SELECT count(*) AS n FROM pg_available_extensions WHERE name = 'vector'"
    ).fetchone()
    return bool(row and row["n"])


def literal(vector: np.ndarray) -> str:
    return "[" + ",".join(f"{x:.7g}" for x in np.asarray(vector, dtype=np.float32)) + "]"


class PgVectorIndex:
    """The `VectorIndex` interface over pgvector; `db` is the store's connection (lock held)."""

    path = None

    def __init__(self, db: Any) -> None:
        self._db = db
        self._rows_estimate = 0  # pg_class's estimate of the table's rows, for ef_search
        self._size_read = -SIZE_TTL_SECONDS - 1.0
        with db.transaction():  # a savepoint inside a save's transaction
            for statement in SETUP:
                db.execute(statement)
            self._fill_missing()

    def _fill_missing(self) -> None:
        """Vectors stored before the extension was there get their vector column."""
        rows = self._db.execute(
            "SELECT article_id, vector FROM article_vectors WHERE embedding IS NULL"
        ).fetchall()
        for row in rows:
            self._db.execute(
                "UPDATE article_vectors SET embedding = %s::vector WHERE article_id = %s",
                (literal(from_blob(bytes(row["vector"]))), row["article_id"]),
            )

    def refresh(self, stamp: Stamp, rows_after: Any) -> None:
        """Nothing to do: the database's index is always current."""

    def add(self, article_id: str, vector: np.ndarray, stamp: Stamp) -> None:
        self._db.execute(
            "UPDATE article_vectors SET embedding = %s::vector WHERE article_id = %s",
            (literal(vector), article_id),
        )

    def vector(self, article_id: str) -> np.ndarray | None:
        row = self._db.execute(
            "SELECT vector FROM article_vectors WHERE article_id = %s", (article_id,)
        ).fetchone()
        return None if row is None else from_blob(bytes(row["vector"]))

    def nearest(self, vector: np.ndarray, k: int, *, exclude: str = "") -> list[tuple[str, float]]:
        with self._db.transaction():
            self._db.execute(f"SET LOCAL hnsw.ef_search = {self._ef_search()}")
            rows = self._db.execute(
                "SELECT article_id, 1 - (embedding <=> %s::vector) AS cosine FROM article_vectors"
                " WHERE article_id <> %s ORDER BY embedding <=> %s::vector LIMIT %s",
                (literal(vector), exclude, literal(vector), k),
            ).fetchall()
        return [(row["article_id"], float(row["cosine"])) for row in rows]

    def _ef_search(self) -> int:
        if time.monotonic() - self._size_read > SIZE_TTL_SECONDS:
            row = self._db.execute(
                "SELECT reltuples FROM pg_class WHERE oid = 'article_vectors'::regclass"
            ).fetchone()
            self._rows_estimate = max(0, int(row["reltuples"])) if row else 0  # -1: never counted
            self._size_read = time.monotonic()
        wanted = EF_SEARCH_PER_MILLION * self._rows_estimate // 1_000_000
        return min(EF_SEARCH_MAX, max(EF_SEARCH, wanted))

    def save(self) -> None:
        """Nothing to write: the index lives in the database."""
