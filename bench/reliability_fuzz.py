"""Fuzzing: the seeded corpus of 10,000 malformed inputs through `brief` and `ingest`.

    .venv/bin/python bench/reliability_fuzz.py            # all 10,000, one row
    .venv/bin/python bench/reliability_fuzz.py --count 500

The corpus is `tests/fuzz_corpus.py`'s (the CI test runs the same one): batches of 50
bad files with a good article after them. A failure is a traceback, an exit code other
than 0 or 1, a stderr line that names no item or reason, a silent drop, or the good
article not briefed or not stored.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fuzz_corpus import BATCH, run_corpus

COUNT = 10_000


def rows(count: int = COUNT) -> list[dict[str, str]]:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="newsdesk-fuzz-") as name:
        results = run_corpus(Path(name), count=count)
    crashes = [crash for result in results for crash in result.crashes]
    lost = sum(not (result.good_briefed and result.good_stored) for result in results)
    slowest = max(result.seconds for result in results)
    notes = (
        f"{len(results)} batches of {BATCH} through `brief` and `ingest`, a good article "
        f"after each: {lost} good articles lost; slowest batch {slowest:.0f} s; "
        f"{time.monotonic() - started:.0f} s in all"
    )
    return [
        {
            "check": "Malformed inputs (seeded corpus)",
            "tried": f"{sum(result.tried for result in results):,} inputs",
            "failed": f"{len(crashes)} crashes",
            "notes": notes,
        }
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=COUNT)
    for row in rows(parser.parse_args().count):
        print(row)
