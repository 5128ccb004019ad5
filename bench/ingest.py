"""Ingest end to end on one core, with what each stage costs: brief, embed, desk, save.

    .venv/bin/python bench/ingest.py [--limit N] [--corpus PATH]

The tables and the model are loaded first (`warm_up`, its CPU time printed
apart). Every article of the corpus (default: the White House demo corpus, 395
articles) is read, extracted and briefed; the relate rows time alone, on the
same briefs, embedding (headline and lead, MiniLM int8) one at a time and
EMBED_BATCH at a time, MinHash, and all of `prepare`. Then the ingest itself,
as `newsdesk ingest` runs it, into a fresh SQLite database: the new articles of
each batch embedded together (`embed_ahead`), each brief's Editor's Desk
judged against the record stored so far, and the save (MinHash, likeness
profile, story, rows). Run with main's venv against this script for a
baseline: a source without `embed_ahead` embeds in the save, one at a time.
The process pins itself to CPU 0. Each stage gives its wall time and the
process's CPU time: on a shared machine the wall time includes waiting for the
core, and CPU time says what the rate would be with the core to itself.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from itertools import islice
from pathlib import Path

from newsdesk import pipeline
from newsdesk.analyse import embed, neardup
from newsdesk.pipeline import brief_sources, warm_up, with_record
from newsdesk.store import open_store
from newsdesk.store.stories import prepare

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "demo" / "whitehouse-indopacific.jsonl"
# A source from before batched embedding (main's venv, for a baseline) embeds one by one.
EMBED_BATCH = getattr(pipeline, "EMBED_BATCH", 8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    loading = Clock()
    warm_up()
    loaded = loading.lap()
    clock = Clock()
    outcomes = list(islice(brief_sources([str(args.corpus)]), args.limit))
    briefs = [o.brief for o in outcomes if o.brief is not None]
    stages = {"brief (read, extract, analyse)": clock.lap()}
    texts = [embed.embedding_text(b.headline, b.sentences) for b in briefs]
    for text in texts:
        embed.embed_one(text)
    stages["relate: embed, one at a time"] = clock.lap()
    for start in range(0, len(texts), EMBED_BATCH):
        embed.embed(texts[start : start + EMBED_BATCH])
    stages[f"relate: embed, {EMBED_BATCH} at a time"] = clock.lap()
    for brief in briefs:
        neardup.signature(brief.article.text)
    stages["relate: MinHash"] = clock.lap()
    for brief in briefs:
        prepare(brief)
    stages["relate: all of `prepare` (embed one at a time)"] = clock.lap()
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(str(Path(folder) / "bench.db"))
        clock.lap()
        ahead = record = store_only = (0.0, 0.0)
        for start in range(0, len(briefs), EMBED_BATCH):  # as save_outcomes does
            batch = briefs[start : start + EMBED_BATCH]
            if hasattr(store, "embed_ahead"):
                store.embed_ahead(batch)
            ahead = _plus(ahead, clock.lap())
            for brief in batch:
                judged = with_record(store, brief)
                record = _plus(record, clock.lap())
                store.save(judged)
                store_only = _plus(store_only, clock.lap())
        stages["ingest: embed ahead, a batch at a time"] = ahead
        stages["ingest: Editor's Desk against the record"] = record
        stages["ingest: save (MinHash, profile, story, store)"] = store_only
        stories = store.story_count()
        store.close()
    n = len(briefs)
    print(f"{n} articles, {stories} stories, load average {os.getloadavg()[0]:.1f}; "
          f"loading the tables and the model first: {loaded[1]:.1f} s of CPU")  # fmt: skip
    print("| stage | wall s | CPU s | CPU ms/article |\n|---|---|---|---|")
    for name, (wall, cpu) in stages.items():
        print(f"| {name} | {wall:.1f} | {cpu:.1f} | {1000 * cpu / n:.1f} |")
    ingest = [stages["brief (read, extract, analyse)"]]
    ingest += [lap for name, lap in stages.items() if name.startswith("ingest:")]
    wall, cpu = sum(w for w, _ in ingest), sum(c for _, c in ingest)
    print(f"| **ingest end to end** | {wall:.1f} ({n / wall:.1f} art/s) | {cpu:.1f} "
          f"| **{1000 * cpu / n:.1f} ({n / cpu:.1f} articles/s of CPU)** |")  # fmt: skip


def _plus(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return a[0] + b[0], a[1] + b[1]


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
