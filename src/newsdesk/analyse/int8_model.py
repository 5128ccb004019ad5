"""The embedding model with int8 MatMuls, derived once from the shipped model file.

The shipped file stores each weight matrix as int8 with one float scale per
output column, and dequantises it in the graph (Cast, Mul) before a float32
MatMul: onnxruntime folds that into float weights at load, so the model runs
float32 GEMMs. `derive` rewrites each such MatMul, and the bias Add after it,
into one `DynamicQuantizeMatMul` (onnxruntime's contrib op: the activations
quantised to uint8 per call, the same int8 weights and scales as the file,
int32 accumulation), which runs on the core's integer dot products: about half
the CPU time a text (bench/README.md, "Ingest speed"). The attention's own
MatMuls (activation by activation) stay float, and so do the first two layers'
feed-forward down-projections (`FLOAT_DOWN_PROJECTIONS`).

The rewrite needs the `onnx` package (about a second to import), so it is done
once and cached under `$XDG_CACHE_HOME/newsdesk/models`. The derived file is
pinned by its sha256 like the shipped one: a cached file that does not match
is rebuilt (with a warning), and a build that does not match (another `onnx`
may write other bytes) is not run: the shipped model runs as it is, with a
warning, so only a model the benchmarks measured is ever run.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

DERIVED_SHA256 = "a2ef9aa802b35f8e278715836b4603a7a902cb6b5eca0757d7d0d32bed22b5b4"
DERIVED_NAME = f"all-MiniLM-L6-v2-int8-matmulinteger-{DERIVED_SHA256[:16]}.onnx"

# The first layers' GELU outputs have outliers that one uint8 scale per run cannot hold:
# kept float, these two MatMuls bring the error of pair cosines against the float model
# from 0.030 to 0.009 on the White House corpus (all six: 0.008), at no measurable cost.
FLOAT_DOWN_PROJECTIONS = 2

log = logging.getLogger("newsdesk")


def cache_directory() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "newsdesk" / "models"


def load(source: Path, cache: Path) -> bytes:
    """The derived model's bytes: from `cache` when they match the pin, else built from `source`.

    `source` is the shipped model file, already checked against its own pin.
    """
    path = cache / DERIVED_NAME
    cached = _read(path)
    if cached is not None:
        if _digest(cached) == DERIVED_SHA256:
            return cached
        log.warning("%s: the derived embedding model does not match its sha256: rebuilt", path)
    shipped = source.read_bytes()
    derived = derive(shipped)
    digest = _digest(derived)
    if digest != DERIVED_SHA256:  # another onnx writes other bytes: never run an unmeasured model
        log.warning("%s: the int8 model derived from it does not match (sha256 %s, expected %s):"
                    " running the shipped model as it is, at about twice the CPU time",
                    source, digest, DERIVED_SHA256)  # fmt: skip
        return shipped
    _write(path, derived)
    return derived


def derive(model: bytes) -> bytes:
    """The model with every dequantised-weight MatMul (and its bias Add) run on int8."""
    import onnx

    proto = onnx.load_from_string(model)
    graph = proto.graph
    nodes = _rewritten(graph)
    del graph.node[:]
    graph.node.extend(nodes)
    _drop_unused(graph)
    proto.opset_import.append(onnx.helper.make_opsetid("com.microsoft", 1))
    serialised: bytes = proto.SerializeToString()
    return serialised


def _rewritten(graph: Any) -> list[Any]:
    from onnx import helper, numpy_helper

    initializers = {i.name: i for i in graph.initializer}
    producer = {output: node for node in graph.node for output in node.output}
    consumers: dict[str, list[Any]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    nodes, folded, down_projections = [], set(), 0
    for node in graph.node:
        weight = _int8_weight(node, producer, initializers)
        if weight is not None and _is_down_projection(initializers[weight[0]]):
            down_projections += 1
            if down_projections <= FLOAT_DOWN_PROJECTIONS:
                weight = None
        if weight is None:
            nodes.append(node)
            continue
        quantised, scale = weight
        columns = numpy_helper.to_array(initializers[scale]).reshape(-1)
        graph.initializer.append(numpy_helper.from_array(columns, f"{scale}_columns"))
        inputs, outputs = [node.input[0], quantised, f"{scale}_columns"], list(node.output)
        add = _bias_add(node, consumers, initializers)
        if add is not None:
            bias = add.input[1] if add.input[0] == node.output[0] else add.input[0]
            inputs += ["", bias]  # no zero point: the weights are symmetric
            outputs = list(add.output)
            folded.add(add.name)
        nodes.append(
            helper.make_node(
                "DynamicQuantizeMatMul",
                inputs,
                outputs,
                name=f"{node.name}_int8",
                domain="com.microsoft",
            )
        )
    return [node for node in nodes if node.op_type != "Add" or node.name not in folded]


def _int8_weight(node: Any, producer: dict[str, Any], initializers: dict[str, Any]) -> Any:
    """(int8 weights, scale) names when `node` is MatMul(x, Mul(Cast(int8 weights), scale))."""
    if node.op_type != "MatMul":
        return None
    mul = producer.get(node.input[1])
    if mul is None or mul.op_type != "Mul" or mul.input[1] not in initializers:
        return None
    cast = producer.get(mul.input[0])
    if cast is None or cast.op_type != "Cast" or cast.input[0] not in initializers:
        return None
    weights = initializers[cast.input[0]]
    if weights.data_type != 3 or len(weights.dims) != 2:  # 3: INT8
        return None
    return cast.input[0], mul.input[1]


def _is_down_projection(weights: Any) -> bool:
    """The feed-forward block's second MatMul (1536 to 384), which reads the GELU's output."""
    rows, columns = weights.dims
    return bool(rows > columns)


def _bias_add(node: Any, consumers: dict[str, list[Any]], initializers: dict[str, Any]) -> Any:
    """The Add of a 1-d constant that alone reads `node`'s output, if there is one."""
    readers = consumers.get(node.output[0], [])
    if len(readers) != 1 or readers[0].op_type != "Add" or not readers[0].name:
        return None
    add = readers[0]
    other = add.input[1] if add.input[0] == node.output[0] else add.input[0]
    constant = initializers.get(other)
    return add if constant is not None and len(constant.dims) == 1 else None


def _drop_unused(graph: Any) -> None:
    """Remove the nodes and initializers nothing reads any more (the weights' Cast and Mul)."""
    while True:
        read = {name for node in graph.node for name in node.input}
        read |= {output.name for output in graph.output}
        live = [node for node in graph.node if any(o in read for o in node.output)]
        if len(live) == len(graph.node):
            break
        del graph.node[:]
        graph.node.extend(live)
    kept = [i for i in graph.initializer if i.name in read]
    del graph.initializer[:]
    graph.initializer.extend(kept)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        log.warning("%s: cannot read the derived embedding model (%s): rebuilt", path, error)
        return None


def _write(path: Path, derived: bytes) -> None:
    """Write atomically (workers may build at once); a cache that cannot be written is skipped."""
    part = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".part") as part:
            part.write(derived)
        os.replace(part.name, path)
    except OSError as error:
        if part is not None:
            Path(part.name).unlink(missing_ok=True)
        log.warning("%s: cannot cache the derived embedding model (%s): built again next time",
                    path, error)  # fmt: skip


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
