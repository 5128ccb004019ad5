"""Quality gate: the event coder on the pinned PLOVER development sentences.

Scored as bench/events.py scores it (the first event of each sentence against the gold
event: its category, its actor's and its target's country), on the whole pinned file
and on the held-out half that no rule was tuned on. The floors are the measured figures
minus about two points; raise them when the coder improves.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from dataclasses import asdict
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLOVER = ROOT / ".." / "shared" / "eval" / "events-plover.jsonl"
PINNED_SHA256 = "e0396b537ba7554e3117e64612ea1229efc8f65d82ca50fef5935be5ce0b794b"
# measured, all 164: type 0.805, macro-F1 0.767, actor 0.908, target 0.788;
# held-out (odd) 82: type 0.756, actor 0.854 (the verb-keyword table: 0.671, 0.768).
# The held-out actor floor sits just under its figure (issue 9's aim, 0.85): one sentence
# lost fails it.
FLOORS = {
    "all": {"type_accuracy": 0.78, "macro_f1": 0.74, "actor_country": 0.89, "target_country": 0.76},
    "held-out": {"type_accuracy": 0.73, "actor_country": 0.85},
}

pytestmark = pytest.mark.skipif(
    not PLOVER.is_file(), reason=f"development data not found at {PLOVER} (../shared/eval)"
)


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_events", ROOT / "bench" / "events.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores() -> dict[str, dict[str, float]]:
    assert hashlib.sha256(PLOVER.read_bytes()).hexdigest() == PINNED_SHA256, (
        "the gold file changed: measure again with bench/events.py and reset the floors"
    )
    bench = _bench()
    gold = bench.load_gold(PLOVER)
    guesses = [bench.newsdesk(g.text) for g in gold]
    held_out = [i for i, g in enumerate(gold) if g.index % 2]
    return {
        "all": asdict(bench.score(gold, guesses)),
        "held-out": asdict(
            bench.score([gold[i] for i in held_out], [guesses[i] for i in held_out])
        ),
    }


@pytest.mark.parametrize(
    ("sample", "metric"), [(s, m) for s, floors in FLOORS.items() for m in floors]
)
def test_event_coding_stays_above_its_floor(
    scores: dict[str, dict[str, float]], sample: str, metric: str
) -> None:
    assert scores[sample][metric] >= FLOORS[sample][metric]
