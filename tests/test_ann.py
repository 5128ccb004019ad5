"""The approximate index beyond APPROXIMATE_FROM vectors: same answers as exact search, kept in a file."""

from __future__ import annotations

import numpy as np
import pytest

from newsdesk.store import vectors
from newsdesk.store.ann import ApproximateIndex
from newsdesk.store.vectors import VectorIndex


def _clustered(count: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((count // 10 + 1, 384)).astype(np.float32)
    matrix = centres[rng.integers(0, len(centres), count)] + 0.5 * rng.standard_normal(
        (count, 384)
    ).astype(np.float32)
    return (matrix / np.linalg.norm(matrix, axis=1, keepdims=True)).astype(np.float32)


def _filled(index: VectorIndex, matrix: np.ndarray) -> VectorIndex:
    rows = [(n + 1, f"a{n}", matrix[n].astype("<f4").tobytes()) for n in range(len(matrix))]
    index.refresh((len(rows), len(rows)), lambda after: [r for r in rows if r[0] > after])
    return index


def _exact(matrix: np.ndarray, query: int, k: int) -> list[str]:
    scores = matrix @ matrix[query]
    return [f"a{n}" for n in np.argsort(-scores) if n != query][:k]


@pytest.fixture
def approximate_from_300(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectors, "APPROXIMATE_FROM", 300)


@pytest.mark.usefixtures("approximate_from_300")
def test_large_index_finds_the_exact_neighbours_with_exact_scores(tmp_path):
    matrix = _clustered(2_000)
    index = _filled(VectorIndex(tmp_path / "db-vectors.npz"), matrix)
    found = [index.nearest(matrix[q], 10, exclude=f"a{q}") for q in range(0, 2_000, 50)]
    recall = np.mean(
        [len({i for i, _ in f} & set(_exact(matrix, q, 10))) / 10
         for f, q in zip(found, range(0, 2_000, 50), strict=True)]
    )  # fmt: skip
    assert recall >= 0.95
    article, score = found[0][0]
    assert score == pytest.approx(float(matrix[int(article[1:])] @ matrix[0]), abs=1e-5)
    assert all(i != "a0" for i, _ in found[0])


@pytest.mark.usefixtures("approximate_from_300")
def test_replaced_and_dropped_vectors_are_never_returned(tmp_path):
    matrix = _clustered(1_000)
    index = _filled(VectorIndex(None), matrix)
    index.nearest(matrix[0], 5)
    index.drop(["a1", "a2"])
    index.add("a3", -matrix[3], (1_000, 1_001))  # now far from everything near a3
    near = dict(index.nearest(matrix[3], 20))
    assert "a1" not in near and "a2" not in near
    assert near.get("a3", -1.0) < 0.0 or "a3" not in near
    assert index.nearest(-matrix[3], 1)[0][0] == "a3"


def test_the_graph_file_is_read_back_and_a_corrupt_one_rebuilt(tmp_path, caplog):
    matrix = _clustered(500)
    ids = [f"a{n}" for n in range(500)]
    where = {i: n for n, i in enumerate(ids)}
    graph = ApproximateIndex(tmp_path / "g.usearch", 384)
    graph.sync(ids, matrix, where)
    graph.save()
    again = ApproximateIndex(tmp_path / "g.usearch", 384)
    again.sync(list(ids), matrix, where)
    assert again.candidates(matrix[7], 5)[0] == "a7"
    (tmp_path / "g.usearch").write_bytes(b"not a graph")
    rebuilt = ApproximateIndex(tmp_path / "g.usearch", 384)
    rebuilt.sync(ids, matrix, where)
    assert rebuilt.candidates(matrix[7], 5)[0] == "a7"
    assert "unreadable" in caplog.text


@pytest.mark.usefixtures("approximate_from_300")
def test_a_larger_graph_is_searched_further(monkeypatch):
    """Recall at a fixed expansion falls as a graph grows, so the expansion grows with it."""
    from newsdesk.store import ann

    matrix = _clustered(2_000, seed=3)
    index = _filled(VectorIndex(None), matrix)
    index.nearest(matrix[0], 10)
    graph = index._approximate._graph
    assert graph.expansion_search == ann.EXPANSION_SEARCH  # 2,000 vectors: the floor
    monkeypatch.setattr(ann, "EXPANSION_PER_MILLION", 200_000)  # 2,000 vectors: 400
    found = index.nearest(matrix[7], 10, exclude="a7")
    assert graph.expansion_search == 400
    assert {i for i, _ in found} == set(_exact(matrix, 7, 10))
