"""Ingest end to end on one core, with what each stage costs: brief, relate (embed, MinHash, profile), store.

    .venv/bin/python bench/ingest.py [--limit N] [--corpus PATH]

Every article of the corpus (default: the White House demo corpus, 395
articles) is read, extracted and briefed, then saved into a fresh SQLite
database, which embeds it (headline and lead, MiniLM int8), signs it (MinHash),
assigns its story and stores its vector. The relate stage is timed apart by
running `prepare` alone on the same briefs. The process pins itself to CPU 0.
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
    started = time.perf_counter()
    outcomes = [o for o in brief_sources([str(args.corpus)]) if o.brief is not None]
    outcomes = outcomes[: args.limit]
    brief_s = time.perf_counter() - started
    started = time.perf_counter()
    for outcome in outcomes:
        assert outcome.brief is not None
        prepare(outcome.brief)
    relate_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(str(Path(folder) / "bench.db"))
        started = time.perf_counter()
        for outcome in outcomes:
            save_outcome(store, outcome)
        save_s = time.perf_counter() - started
        stories = store.story_count()
        store.close()
    n = len(outcomes)
    total = brief_s + save_s
    print(f"{n} articles, {stories} stories, load average {os.getloadavg()[0]:.1f}")
    print("| stage | s | ms/article |\n|---|---|---|")
    for name, seconds in (("brief (extract, analyse)", brief_s),
                          ("relate (embed, MinHash, profile)", relate_s),
                          ("save (relate + story + store)", save_s)):  # fmt: skip
        print(f"| {name} | {seconds:.1f} | {1000 * seconds / n:.1f} |")
    print(f"| **ingest end to end** | {total:.1f} | **{n / total:.1f} articles/s** |")


if __name__ == "__main__":
    main()
