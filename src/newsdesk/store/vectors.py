"""Exact nearest-neighbour search over the stored vectors, kept in memory and in a file.

The database holds every vector (`article_vectors`); this index is a copy in
one matrix, so that a search is one matrix product (about 4 ms at 50,000
vectors). For SQLite it is also kept in a file beside the database, read at
start instead of every row; the file carries the table's stamp (row count
and last sequence number) and is rebuilt from the table when missing, stale,
corrupt or made by another model, never trusted as the only copy.

Adding is amortised O(1): the matrix is a view of a buffer that doubles
when full. Each row remembers its sequence number, so that a refresh after
other processes' commits reads only the rows it lacks, even when their
sequence numbers committed out of order (PostgreSQL's identity column).
"""

from __future__ import annotations

import logging
import os
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from newsdesk.analyse.embed import DIMENSIONS, MODEL_NAME, from_blob
from newsdesk.store.ann import APPROXIMATE_FROM, ApproximateIndex

log = logging.getLogger("newsdesk")

Stamp = tuple[int, int]  # (rows, last sequence number) of article_vectors
Rows = Iterable[tuple[int, str, bytes]]  # (seq, article_id, vector)
UNKNOWN_SEQ = -1  # a row added without its sequence number


class VectorIndex:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.stamp: Stamp = (-1, -1)
        self._ids: list[str] = []
        self._where: dict[str, int] = {}
        self._seqs: dict[int, str] = {}  # sequence number -> article id, of the live rows
        self._seq_of: dict[str, int] = {}  # the other way
        self._unknown: set[str] = set()  # live rows added without their sequence number
        self._buffer = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._alive_buffer = np.zeros(0, dtype=bool)  # False where a row was replaced or dropped
        self._dirty = False
        graph = path.with_suffix(".usearch") if path is not None else None
        self._approximate = ApproximateIndex(graph, DIMENSIONS)

    def __len__(self) -> int:
        return len(self._where)

    @property
    def _matrix(self) -> np.ndarray:
        """One row per row added, live or not (a view: no copy)."""
        return self._buffer[: len(self._ids)]

    @property
    def _alive(self) -> np.ndarray:
        return self._alive_buffer[: len(self._ids)]

    def refresh(
        self,
        stamp: Stamp,
        rows_after: Callable[[int], Rows],
        *,
        seqs: Callable[[], Iterable[int]] | None = None,
        rows_with: Callable[[list[int]], Rows] | None = None,
    ) -> None:
        """Bring the index up to the table's `stamp`: from the file, the rows it lacks, or all rows.

        With `seqs` (every sequence number in the table) and `rows_with`
        (the rows of some), rows committed out of order or deleted by other
        processes are reconciled without reading every vector again.
        """
        if stamp == self.stamp:
            return
        if self.stamp == (-1, -1) and self._load_file(stamp):
            return
        if not self._catch_up(stamp, rows_after, seqs, rows_with):
            self._clear()
            self._add_rows(rows_after(-1))
        self.stamp, self._dirty = stamp, True

    def _catch_up(
        self,
        stamp: Stamp,
        rows_after: Callable[[int], Rows],
        seqs: Callable[[], Iterable[int]] | None,
        rows_with: Callable[[list[int]], Rows] | None,
    ) -> bool:
        """Read the rows after the last one known, then reconcile; False if still out of step."""
        rows, last = self.stamp
        if rows < 0:
            return False
        if last <= stamp[1]:
            self._add_rows(rows_after(last))
            if len(self) == stamp[0]:
                return True
        if seqs is None or rows_with is None:
            return False
        return self._reconcile(seqs, rows_with) and len(self) == stamp[0]

    def _reconcile(
        self, seqs: Callable[[], Iterable[int]], rows_with: Callable[[list[int]], Rows]
    ) -> bool:
        """Drop the rows gone from the table, read those missing; False if a row's seq is unknown."""
        if self._unknown:
            return False
        present = set(seqs())
        self.drop([self._seqs[seq] for seq in self._seqs.keys() - present])
        missing = sorted(present - self._seqs.keys())
        if missing:
            self._add_rows(rows_with(missing))
        return True

    def add(
        self, article_id: str, vector: np.ndarray, stamp: Stamp, *, seq: int = UNKNOWN_SEQ
    ) -> None:
        """Add (or replace) one article's vector, stored as row `seq`; `stamp` is the table's now."""
        self._add_rows([(seq, article_id, np.asarray(vector, dtype="<f4").tobytes())])
        self.stamp, self._dirty = stamp, True

    def vector(self, article_id: str) -> np.ndarray | None:
        row = self._where.get(article_id)
        return None if row is None else self._matrix[row]

    def nearest(self, vector: np.ndarray, k: int, *, exclude: str = "") -> list[tuple[str, float]]:
        """The `k` stored articles nearest `vector` by cosine, nearest first.

        Exact below `APPROXIMATE_FROM` vectors; beyond, the HNSW graph's
        candidates ranked by their exact cosine (ann.py).
        """
        if not self._where:
            return []
        if len(self._where) >= APPROXIMATE_FROM:
            return self._nearest_approximately(vector, k, exclude)
        scores = self._matrix @ vector
        scores = np.where(self._alive, scores, -2.0)
        take = min(len(scores), k + 1)
        top = np.argpartition(-scores, take - 1)[:take]
        found = sorted(((self._ids[n], float(scores[n])) for n in top), key=lambda p: -p[1])
        return [(i, s) for i, s in found if i != exclude and s > -2.0][:k]

    def _nearest_approximately(
        self, vector: np.ndarray, k: int, exclude: str
    ) -> list[tuple[str, float]]:
        self._approximate.sync(self._ids, self._matrix, self._where)
        found = [i for i in self._approximate.candidates(vector, k + 1) if i in self._where]
        scores = self._matrix[[self._where[i] for i in found]] @ vector if found else []
        ranked = sorted(zip(found, (float(s) for s in scores), strict=True), key=lambda p: -p[1])
        return [(i, s) for i, s in ranked if i != exclude][:k]

    def save(self) -> None:
        """Write the file (atomically) if the index changed since it was read or written."""
        self._approximate.save()
        if self.path is None or not self._dirty:
            return
        live = sorted(self._where.items(), key=lambda p: p[1])
        temporary = self.path.with_name(self.path.name + ".tmp")
        with temporary.open("wb") as out:
            np.savez(
                out, ids=np.array([i for i, _ in live], dtype=str),
                matrix=self._matrix[[n for _, n in live]] if live else self._matrix,
                seqs=np.array([self._seq_of.get(i, UNKNOWN_SEQ) for i, _ in live], dtype=np.int64),
                stamp=np.array(self.stamp), model=np.array(MODEL_NAME),
            )  # fmt: skip
        os.replace(temporary, self.path)
        self._dirty = False

    def _load_file(self, stamp: Stamp) -> bool:
        if self.path is None or not self.path.exists():
            return False
        try:
            with np.load(self.path, allow_pickle=False) as data:
                ids, matrix = list(data["ids"]), data["matrix"].astype(np.float32)
                found = tuple(int(x) for x in data["stamp"])
                model = str(data["model"])
                seqs = (
                    [int(x) for x in data["seqs"]] if "seqs" in data else [UNKNOWN_SEQ] * len(ids)
                )
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as error:
            log.warning("newsdesk: the vector index %s is unreadable (%s): rebuilt from the "
                        "database", self.path, error)  # fmt: skip
            return False
        if model != MODEL_NAME or matrix.shape != (len(ids), DIMENSIONS) or found != stamp:
            if model != MODEL_NAME or matrix.shape != (len(ids), DIMENSIONS):
                log.warning("newsdesk: the vector index %s does not match this database "
                            "or model: rebuilt from the database", self.path)  # fmt: skip
            return False
        self._clear()
        self._ids, self._buffer = [str(i) for i in ids], matrix
        self._where = {i: n for n, i in enumerate(self._ids)}
        for seq, article_id in zip(seqs, self._ids, strict=True):
            self._remember(seq, article_id)
        self._alive_buffer = np.ones(len(self._ids), dtype=bool)
        self.stamp = stamp
        return True

    def _add_rows(self, rows: Rows) -> None:
        for seq, article_id, blob in rows:
            self._forget(article_id)
            row = len(self._ids)
            self._reserve(row + 1)
            self._buffer[row] = from_blob(bytes(blob))
            self._alive_buffer[row] = True
            self._ids.append(article_id)
            self._where[article_id] = row
            self._remember(seq, article_id)

    def _remember(self, seq: int, article_id: str) -> None:
        if seq == UNKNOWN_SEQ:
            self._unknown.add(article_id)
        else:
            self._seqs[seq], self._seq_of[article_id] = article_id, seq

    def _reserve(self, rows: int) -> None:
        """Room for `rows` rows, doubling the buffer when it is full (amortised O(1) adds)."""
        if rows <= len(self._buffer):
            return
        size = max(rows, 2 * len(self._buffer), 64)
        buffer = np.zeros((size, DIMENSIONS), dtype=np.float32)
        buffer[: len(self._ids)] = self._matrix
        alive = np.zeros(size, dtype=bool)
        alive[: len(self._ids)] = self._alive
        self._buffer, self._alive_buffer = buffer, alive

    def _forget(self, article_id: str) -> None:
        row = self._where.pop(article_id, None)
        if row is not None:
            self._alive_buffer[row] = False
            self._seqs.pop(self._seq_of.pop(article_id, UNKNOWN_SEQ), None)
            self._unknown.discard(article_id)

    def _clear(self) -> None:
        self._ids, self._where, self._seqs, self._seq_of = [], {}, {}, {}
        self._unknown = set()
        self._buffer = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._alive_buffer = np.zeros(0, dtype=bool)

    def drop(self, article_ids: Iterable[str]) -> None:
        for article_id in article_ids:
            self._forget(article_id)
