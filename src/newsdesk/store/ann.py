"""Approximate nearest neighbours for large indexes: usearch HNSW over int8 vectors, re-scored.

Exact search (vectors.py) reads every stored vector: 9 / 12 ms (p50 / p99)
at 100,000 on a quiet core of this machine, 68 / 100 ms under load, so about
ten times that at 1,000,000 (bench/scale.py). From `APPROXIMATE_FROM`
vectors on, `VectorIndex.nearest` asks this graph for `OVERFETCH` times the
candidates it needs and ranks them by their exact cosine from the float32
matrix it already holds, so the scores it returns are exact and only a rare
true neighbour can be missed: at 100,000, 0.6 / 0.8 ms with recall@10 0.995
and recall@50 0.984 against exact search; built in 5.7 s (2 threads, quiet),
read back from its file in 0.6 s. At 1,000,000 the search looks further
(`EXPANSION_PER_MILLION`) to keep recall@10 above 0.95. The graph keeps int8 vectors, a quarter of
the float32 matrix (about 50 MB per 100,000).

Keys are a 64-bit hash of the article id, so the graph stays valid however
the matrix is reordered (a reload compacts it); a replaced article's key is
removed and added again. The graph is kept in a file beside the vector
index (`<db>-vectors.usearch`) so that a restart does not rebuild it; an
unreadable file is rebuilt from the matrix with one warning, never trusted
further than the keys it holds.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger("newsdesk")

APPROXIMATE_FROM = 50_000  # below it exact search takes under 10 ms: no graph to build or keep
OVERFETCH = 2  # graph candidates per neighbour asked for, re-scored exactly
MIN_FETCH = 64
CONNECTIVITY = 16  # usearch's default; the graph's edges per node
EXPANSION_ADD = 64  # 32 builds 4x faster but drops recall@10 to 0.92 (bench/scale.py)
EXPANSION_SEARCH = 128
# A graph's recall at a fixed expansion falls as it grows (recall@10 0.995 at 100,000 but
# 0.90 at 1,000,000 with 128; 0.93 with 256, 0.94 with 512, 0.955 with 1,024, the same
# with float16 vectors: bench/scale.py), so the expansion grows with the graph.
EXPANSION_PER_MILLION = 1024
STALE_SHARE = 0.2  # a graph holding this share of keys no longer stored is rebuilt


def key_of(article_id: str) -> int:
    """The graph's key for an article: stable across processes and reloads."""
    return int.from_bytes(hashlib.blake2b(article_id.encode(), digest_size=8).digest(), "little")


def keys_of(article_ids: Sequence[str]) -> np.ndarray:
    return np.fromiter((key_of(i) for i in article_ids), dtype=np.uint64, count=len(article_ids))


class ApproximateIndex:
    """An HNSW graph over some of a `VectorIndex`'s rows, kept in step by `sync`."""

    def __init__(self, path: Path | None, dimensions: int) -> None:
        self.path = path
        self._dimensions = dimensions
        self._graph: Any = None
        self._ids: list[str] | None = None  # the VectorIndex's id list last synced
        self._synced = 0  # rows of that list already in the graph
        self._names: dict[int, str] = {}  # key -> article id
        self._dirty = False

    def sync(self, ids: list[str], matrix: np.ndarray, where: dict[str, int]) -> None:
        """Put every live row of the index (`ids`, `matrix`, `where`) into the graph."""
        if self._graph is None:
            self._graph = self._read() or self._new()
        replacing = ids is self._ids  # rows appended to the list synced: new or replaced vectors
        if not replacing:  # a new list (a reload): the graph's keys stand for their vectors
            self._ids, self._synced = ids, 0
        fresh = [(n, ids[n]) for n in range(self._synced, len(ids)) if where.get(ids[n]) == n]
        self._synced = len(ids)
        self._names.update((key_of(i), i) for _, i in fresh)
        if fresh:
            self._add([n for n, _ in fresh], [i for _, i in fresh], matrix, replacing=replacing)
        if len(self._graph) > len(where) * (1 + STALE_SHARE) + MIN_FETCH:
            log.info("newsdesk: rebuilding the vector graph (%d stale keys)",
                     len(self._graph) - len(where))  # fmt: skip
            self._graph, self._synced = self._new(), 0
            self.sync(ids, matrix, where)

    def candidates(self, vector: np.ndarray, k: int) -> list[str]:
        """The ids of about the `OVERFETCH * k` nearest vectors in the graph, roughly nearest first."""
        fetch = max(MIN_FETCH, OVERFETCH * k)
        self._graph.expansion_search = max(EXPANSION_SEARCH, fetch, self._expansion())
        found = self._graph.search(np.asarray(vector, dtype=np.float32), fetch, threads=1)
        names = self._names
        return [names[key] for key in np.asarray(found.keys).tolist() if key in names]

    def _expansion(self) -> int:
        return EXPANSION_PER_MILLION * len(self._graph) // 1_000_000

    def save(self) -> None:
        if self.path is None or self._graph is None or not self._dirty:
            return
        temporary = self.path.with_name(self.path.name + ".tmp")
        self._graph.save(str(temporary))
        os.replace(temporary, self.path)
        self._dirty = False

    def _add(
        self, rows: list[int], article_ids: list[str], matrix: np.ndarray, *, replacing: bool
    ) -> None:
        keys = keys_of(article_ids)
        known = np.asarray(self._graph.contains(keys), dtype=bool).reshape(-1)
        if replacing and known.any():
            self._graph.remove(keys[known])
        elif known.any():
            keys, rows = keys[~known], [r for r, k in zip(rows, known, strict=True) if not k]
        if len(keys):
            self._graph.add(keys, matrix[rows], threads=os.cpu_count() or 1)
            self._dirty = True

    def _new(self) -> Any:
        from usearch.index import Index

        return Index(ndim=self._dimensions, metric="ip", dtype="i8",
                     connectivity=CONNECTIVITY, expansion_add=EXPANSION_ADD)  # fmt: skip

    def _read(self) -> Any:
        if self.path is None or not self.path.exists():
            return None
        from usearch.index import Index

        try:
            graph = Index.restore(str(self.path))
        except (RuntimeError, ValueError, OSError) as error:
            graph = None
            log.warning("newsdesk: the vector graph %s is unreadable (%s): rebuilt",
                        self.path, error)  # fmt: skip
        if graph is not None and graph.ndim != self._dimensions:
            log.warning("newsdesk: the vector graph %s does not match: rebuilt", self.path)
            graph = None
        return graph
