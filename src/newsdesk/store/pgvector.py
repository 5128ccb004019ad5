"""Nearest vectors in PostgreSQL with pgvector: an HNSW index (cosine) on article_vectors.

Used by the PostgreSQL store when the server has the `vector` extension;
without it the store keeps the exact in-memory index of vectors.py, and
works the same. The vectors stay in their BYTEA column too (the one copy
both backends read), and a `vector(384)` column beside it is what the HNSW
index covers.
"""

from __future__ import annotations

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
EF_SEARCH = 100  # candidates HNSW looks at per query: recall near 1 at this corpus size


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
            self._db.execute(f"SET LOCAL hnsw.ef_search = {int(EF_SEARCH)}")
            rows = self._db.execute(
                "SELECT article_id, 1 - (embedding <=> %s::vector) AS cosine FROM article_vectors"
                " WHERE article_id <> %s ORDER BY embedding <=> %s::vector LIMIT %s",
                (literal(vector), exclude, literal(vector), k),
            ).fetchall()
        return [(row["article_id"], float(row["cosine"])) for row in rows]

    def save(self) -> None:
        """Nothing to write: the index lives in the database."""
