"""Ingest end to end on one core, with what each stage costs: brief, relate (embed, MinHash, profile), store.

    .venv/bin/python bench/ingest.py [--limit N] [--corpus PATH]

Every article of the corpus (default: the White House demo corpus, 395
articles) is read, extracted and briefed, then saved into a fresh SQLite
database, which embeds it (headline and lead, MiniLM int8), signs it (MinHash),
assigns its story and stores its vector. The relate stage is timed apart by
running `prepare` alone on the same briefs. The process pins itself to CPU 0.
Each stage gives its wall time and the process's CPU time: on a shared
machine the wall time includes waiting for the core, and CPU time says what
the rate would be with the core to itself.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from newsdesk.analyse import embed
from newsdesk.pipeline import brief_sources, save_outcome
from newsdesk.store import open_store
from newsdesk.store.stories import prepare

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "demo" / "whitehouse-indopacific.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    embed.embed_one("warm up the model")
    clock = Clock()
    outcomes = [o for o in brief_sources([str(args.corpus)]) if o.brief is not None]
    outcomes = outcomes[: args.limit]
    brief = clock.lap()
    for outcome in outcomes:
        assert outcome.brief is not None
        prepare(outcome.brief)
    relate = clock.lap()
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(str(Path(folder) / "bench.db"))
        clock.lap()
        for outcome in outcomes:
            save_outcome(store, outcome)
        save = clock.lap()
        stories = store.story_count()
        store.close()
    n = len(outcomes)
    print(f"{n} articles, {stories} stories, load average {os.getloadavg()[0]:.1f}")
    print("| stage | wall s | CPU s | CPU ms/article |\n|---|---|---|---|")
    for name, (wall, cpu) in (("brief (extract, analyse)", brief),
                              ("relate (embed, MinHash, profile)", relate),
                              ("save (relate + story + store)", save)):  # fmt: skip
        print(f"| {name} | {wall:.1f} | {cpu:.1f} | {1000 * cpu / n:.1f} |")
    wall, cpu = brief[0] + save[0], brief[1] + save[1]
    print(f"| **ingest end to end** | {wall:.1f} ({n / wall:.1f} art/s) | {cpu:.1f} "
          f"| **{n / cpu:.1f} articles/s of CPU** |")  # fmt: skip


class Clock:
    """Wall and process CPU time since the last lap."""

    def __init__(self) -> None:
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        lap = (wall - self._wall, cpu - self._cpu)
        self._wall, self._cpu = wall, cpu
        return lap


if __name__ == "__main__":
    main()
