"""The in-memory vector index follows the table it copies, reading only what it lacks."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from newsdesk.analyse import embed
from newsdesk.analyse.embed import DIMENSIONS, to_blob
from newsdesk.store.vectors import Rows, VectorIndex


class Table:
    """An `article_vectors` table in miniature, counting the vectors read from it."""

    def __init__(self) -> None:
        self.rows: dict[int, tuple[str, bytes]] = {}
        self.read = 0

    def put(self, seq: int, article_id: str) -> np.ndarray:
        vector = np.zeros(DIMENSIONS, dtype=np.float32)
        vector[seq % DIMENSIONS] = 1.0
        self.rows[seq] = (article_id, to_blob(vector))
        return vector

    def stamp(self) -> tuple[int, int]:
        return len(self.rows), max(self.rows, default=0)

    def after(self, seq: int) -> Rows:
        return self._read([s for s in sorted(self.rows) if s > seq])

    def seqs(self) -> list[int]:
        return list(self.rows)

    def with_seqs(self, seqs: list[int]) -> Rows:
        return self._read(seqs)

    def _read(self, seqs: list[int]) -> Rows:
        self.read += len(seqs)
        return [(s, *self.rows[s]) for s in seqs]

    def refresh(self, index: VectorIndex) -> None:
        index.refresh(self.stamp(), self.after, seqs=self.seqs, rows_with=self.with_seqs)


def test_rows_committed_out_of_order_are_read_alone_not_the_whole_table() -> None:
    table, index = Table(), VectorIndex(None)
    for seq in range(1, 101):
        table.put(seq, f"a{seq}")
    table.refresh(index)
    assert len(index) == 100 and table.read == 100
    table.put(102, "late-b")  # another process's seq 101 commits after 102
    table.refresh(index)
    table.put(101, "late-a")
    table.read = 0
    table.refresh(index)
    assert table.read == 1, "only the missing row is read"
    del table.rows[5]  # and an article is gone
    table.refresh(index)
    assert table.read == 1 and len(index) == 101 and index.vector("a5") is None
    assert index.nearest(index.vector("late-a"), 1) == [("late-a", 1.0)]  # type: ignore[arg-type]


def test_many_adds_keep_every_vector_and_the_file_reloads_them(tmp_path: Path) -> None:
    table, index = Table(), VectorIndex(tmp_path / "v.npz")
    table.refresh(index)
    for seq in range(1, 1001):
        vector = table.put(seq, f"a{seq}")
        index.add(f"a{seq}", vector, table.stamp(), seq=seq)
    index.add("a7", table.put(1001, "a7"), (1000, 1001), seq=1001)  # replaced: new text
    del table.rows[7]
    assert len(index) == 1000 and index.nearest(index.vector("a999"), 1)[0][0] == "a999"  # type: ignore[arg-type]
    index.save()
    again = VectorIndex(tmp_path / "v.npz")
    table.read = 0
    table.refresh(again)
    assert table.read == 0 and len(again) == 1000
    assert np.array_equal(again.vector("a7"), index.vector("a7"))  # type: ignore[arg-type]
    table.put(1002, "a1002")
    table.refresh(again)
    assert table.read == 1 and len(again) == 1001


def test_texts_embedded_together_ahead_get_the_vectors_they_get_alone() -> None:
    texts = [
        "Japan and the Philippines signed a defence pact.",
        "Readout of the call. " * 40,  # cut at MAX_TOKENS: the others are padded to it
        "Talks",
    ]
    alone = [embed.embed([text])[0] for text in texts]
    embed.embed_ahead(texts)
    together = [embed.embed_one(text) for text in texts]
    for one, other in zip(alone, together, strict=True):
        assert float(one @ other) > 0.9999
    assert not embed._ahead, "each vector made ahead is handed out once"
