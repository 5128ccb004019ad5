"""The int8 embedding model derived from the shipped file: pinned, cached, rebuilt when damaged."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from newsdesk.analyse import embed, int8_model

TEXTS = [
    "Joint Statement of Japan and the Philippines. The leaders signed the Reciprocal Access "
    "Agreement in Manila and agreed to expand maritime cooperation in the South China Sea.",
    "A magnitude 6.1 earthquake struck northern California early on Sunday, damaging "
    "buildings in Napa and leaving thousands without power.",
    "Microsoft released an emergency patch for Internet Explorer after attackers exploited "
    "a flaw in the browser.",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.mktemp("models")
    int8_model.load(embed.model_file(), cache)
    return cache


def test_the_derived_model_is_cached_under_its_pinned_name(built: Path) -> None:
    cached = built / int8_model.DERIVED_NAME
    assert int8_model.load(embed.model_file(), built) == cached.read_bytes()
    assert [p.name for p in built.iterdir()] == [int8_model.DERIVED_NAME]  # no temporary left


def test_a_corrupt_derived_file_is_rebuilt_with_a_warning(
    built: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good = (built / int8_model.DERIVED_NAME).read_bytes()
    damaged = tmp_path / int8_model.DERIVED_NAME
    middle = len(good) // 2
    damaged.write_bytes(good[:middle] + bytes([good[middle] ^ 0xFF]) + good[middle + 1 :])
    with caplog.at_level(logging.WARNING, logger="newsdesk"):
        loaded = int8_model.load(embed.model_file(), tmp_path)
    assert loaded == good and damaged.read_bytes() == good
    assert "does not match its sha256: rebuilt" in caplog.text and str(damaged) in caplog.text


def test_a_cache_that_cannot_be_written_still_gives_the_model(
    built: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    with caplog.at_level(logging.WARNING, logger="newsdesk"):
        loaded = int8_model.load(embed.model_file(), blocked)
    assert loaded == (built / int8_model.DERIVED_NAME).read_bytes()
    assert "cannot cache the derived embedding model" in caplog.text


def test_a_model_that_derives_to_something_else_runs_as_shipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import onnx
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["y"])],
        "other",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])],
    )
    other = tmp_path / "model.onnx"
    other.write_bytes(helper.make_model(graph).SerializeToString())
    onnx.checker.check_model(str(other))
    with caplog.at_level(logging.WARNING, logger="newsdesk"):
        loaded = int8_model.load(other, tmp_path / "cache")
    assert loaded == other.read_bytes()
    assert str(other) in caplog.text and "does not match" in caplog.text
    assert not (tmp_path / "cache" / int8_model.DERIVED_NAME).exists()


def test_int8_vectors_and_their_similarities_stay_close_to_the_float_models(built: Path) -> None:
    import onnxruntime

    int8 = embed.embed(TEXTS)
    float_model = onnxruntime.InferenceSession(
        str(embed.model_file()), providers=["CPUExecutionProvider"]
    )
    reference = np.stack([_float_vector(float_model, text) for text in TEXTS])
    assert np.all((int8 * reference).sum(axis=1) > 0.98)
    assert np.abs(int8 @ int8.T - reference @ reference.T).max() < 0.03  # pairs rank alike


def test_a_text_runs_on_its_own_tokens_without_padding() -> None:
    tokens = embed._model().tokenizer.encode_batch(["Short.", " ".join(TEXTS * 4)])
    assert len(tokens[0].ids) < 8 and len(tokens[1].ids) == embed.MAX_TOKENS


def test_a_text_has_the_same_vector_alone_and_among_others() -> None:
    together = embed.embed([*TEXTS, "Short."])
    alone = np.stack([embed.embed([text])[0] for text in [*TEXTS, "Short."]])
    assert np.array_equal(together, alone)


def _float_vector(session: object, text: str) -> np.ndarray:
    ids = np.array([embed._model().tokenizer.encode(text).ids], dtype=np.int64)
    feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": 0 * ids}
    pooled = session.run(None, feeds)[0][0].mean(axis=0)  # type: ignore[attr-defined]
    return pooled / np.linalg.norm(pooled)
