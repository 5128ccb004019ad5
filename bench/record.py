"""The record's costs on one core: the Editor's Desk per article, its record queries, the pages.

    .venv/bin/python bench/record.py [--json PATH]

Briefs the demo corpus (data/demo: White House, Wikinews, the sample page) in
process, then stores them in a fresh temporary SQLite database as `ingest`
does (desk judged against the record, events saved in the brief's
transaction). Reports the desk's share of briefing (article-only points), the
time per article to read its record and judge it, and the median time of the
record's reads behind the pages: `relation_record`, `entity_record`,
`relation_graph`. Each timing is the best of two runs (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from newsdesk.analyse.desk import editors_desk, main_countries
from newsdesk.pipeline import brief_sources
from newsdesk.record import entity_record, relation_graph, relation_record
from newsdesk.store import open_store

ROOT = Path(__file__).resolve().parents[1]
DEMO = [str(ROOT / "data" / "demo" / n) for n in
        ("whitehouse-indopacific.jsonl", "wikinews-2004.jsonl", "quasi-alliance-page.txt")]  # fmt: skip


def best(run: Callable[[], object], times: int = 2) -> float:
    taken = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        taken.append(time.perf_counter() - started)
    return min(taken)


def median_ms(run: Callable[[], object], times: int = 15) -> float:
    taken = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        taken.append(time.perf_counter() - started)
    return round(statistics.median(taken) * 1000, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    briefs = [o.brief for o in brief_sources(DEMO) if o.brief is not None]
    whole = best(lambda: [o for o in brief_sources(DEMO)])
    desk = best(lambda: [editors_desk(b) for b in briefs])
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(str(Path(folder) / "bench.db"))
        started = time.perf_counter()
        for brief in briefs:
            record = store.desk_record(brief, main_countries(brief))
            store.save(replace(brief, analysis=editors_desk(brief, record)))
        stored = time.perf_counter() - started
        judged = best(
            lambda: [editors_desk(b, store.desk_record(b, main_countries(b))) for b in briefs]
        )
        edges = relation_graph(store)
        busiest = edges[0] if edges else None
        figures = {
            "articles": len(briefs),
            "events": sum(len(b.events) for b in briefs),
            "brief_articles_per_s": round(len(briefs) / whole, 1),
            "desk_alone_ms_per_article": round(desk / len(briefs) * 1000, 3),
            "desk_share_of_brief": round(desk / whole, 3),
            "record_and_desk_ms_per_article": round(judged / len(briefs) * 1000, 3),
            "store_with_record_articles_per_s": round(len(briefs) / stored, 1),
            "relation_graph_ms": median_ms(lambda: relation_graph(store)),
            "entity_record_japan_ms": median_ms(lambda: entity_record(store, "country", "Japan")),
        }
        if busiest:
            figures["busiest_pair"] = f"{busiest.a}-{busiest.b} ({busiest.events} events)"
            figures["relation_record_busiest_ms"] = median_ms(
                lambda: relation_record(store, busiest.a, busiest.b)
            )
        store.close()
    for name, value in figures.items():
        print(f"{name:36} {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")


if __name__ == "__main__":
    main()
