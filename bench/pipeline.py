"""End-to-end speed from raw text on one core: newsdesk beside pysbd + sumy LexRank.

    .venv/bin/python bench/pipeline.py [--limit N] [--json PATH]

Two corpora: the 250 CNN/DailyMail articles of ../shared/eval/takeaways-cnndm.jsonl
and the White House Indo-Pacific demo corpus (data/demo/whitehouse-indopacific.jsonl).
Each article is a plain-text `RawDocument`; newsdesk runs `analyse(extract(doc))`
(three takeaways, like the peer's three sentences, plus standfirst, entities and
labels), the peer pysbd's sentence splitter and sumy's LexRank (a regex word
tokenizer instead of NLTK punkt, set up as in bench/takeaways.py). Load is building
the tools and their first call on a short document, timed apart from the run.
Then `newsdesk ingest` of each corpus into a fresh temporary SQLite database,
through the command line (CPU time of the child process, so including Python's start
and the imports, which the start-up row gives alone), and once more into the same database: the
second run stores nothing new. Every timing is CPU seconds (the process's, or
the child's for the CLI), not wall time, which on a shared machine also counts the
waits for the core; each in-process timing is the best of two runs; the ingest runs are timed once.

The process pins itself to CPU 0 (and its children inherit that) where the
platform allows it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar

import pysbd

from newsdesk.extract import extract
from newsdesk.models import RawDocument
from newsdesk.pipeline import analyse
from takeaways import sumy_summariser  # bench/takeaways.py: sets NLTK_DATA to an empty dir

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / ".." / "shared" / "eval"
CORPORA = {
    "CNN/DM": EVAL / "takeaways-cnndm.jsonl",
    "White House": ROOT / "data" / "demo" / "whitehouse-indopacific.jsonl",
}
NEWSDESK_CLI = Path(sys.executable).with_name("newsdesk")
WARM_UP = "Japan and the Philippines signed a defence pact. Officials in Manila welcomed it."
IMPORTS = {
    "newsdesk": "import newsdesk.pipeline, newsdesk.extract",
    "pysbd + sumy LexRank": "import pysbd, sumy.summarizers.lex_rank, sumy.nlp.stemmers",
}
REPEAT = 2
T = TypeVar("T")


@dataclass(frozen=True)
class Result:
    method: str
    corpus: str
    articles: int
    articles_per_second: float
    load_seconds: float
    import_seconds: float
    stage_per_second: dict[str, float]


def timed(function: Callable[[], T]) -> tuple[T, float]:
    """The value and the CPU seconds it took, this process's and its children's (the CLI
    runs): on a shared machine wall time also counts the waits for the core."""
    start = _cpu_seconds()
    value = function()
    return value, _cpu_seconds() - start


def _cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def best_of(function: Callable[[], T]) -> tuple[T, float]:
    """The fastest of REPEAT runs: on a shared machine the slower ones measure the neighbours."""
    runs = [timed(function) for _ in range(REPEAT)]
    return min(runs, key=lambda run: run[1])


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        return f"pinned to CPU {min(os.sched_getaffinity(0))}"
    return "not pinned (no sched_setaffinity here)"


def load_records(path: Path, limit: int | None) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    return records[:limit] if limit else records


def documents(path: Path, records: Sequence[dict]) -> list[RawDocument]:
    return [
        RawDocument(
            origin=f"{path.name}:{number}",
            text=record["text"],
            media_type="text/plain",
            url=record.get("url"),
            fields={k: str(record[k]) for k in ("id", "title") if record.get(k)},
        )
        for number, record in enumerate(records, start=1)
    ]


def bench_newsdesk(corpus: str, records: Sequence[dict]) -> Result:
    warm_up = RawDocument(origin="warm-up", text=WARM_UP, media_type="text/plain")
    _, first_call = timed(lambda: analyse(extract(warm_up), takeaways=3))
    docs = documents(CORPORA[corpus], records)
    briefs, seconds = best_of(lambda: [analyse(extract(doc), takeaways=3) for doc in docs])
    articles, extract_seconds = best_of(lambda: [extract(doc) for doc in docs])
    _, analyse_seconds = best_of(lambda: [analyse(a, takeaways=3) for a in articles])
    n = len(briefs)
    stages = {"extract": n / extract_seconds, "analyse": n / analyse_seconds}
    imports = import_seconds(IMPORTS["newsdesk"])
    return Result("newsdesk", corpus, n, n / seconds, first_call, imports, stages)


def import_seconds(statement: str) -> float:
    """CPU time of the imports in a fresh interpreter, less the interpreter's own start."""
    _, bare = timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True))
    _, full = timed(lambda: subprocess.run([sys.executable, "-c", statement], check=True))
    return max(full - bare, 0.0)


def bench_peer(corpus: str, records: Sequence[dict]) -> Result:
    segmenter, build_seconds = timed(lambda: pysbd.Segmenter(language="en", clean=False))
    segment = segmenter.segment
    summarise, build_summariser = timed(lambda: sumy_summariser("LexRank"))
    _, first_call = timed(lambda: summarise(_sentences(segment, WARM_UP), "", 3))
    texts = [record["text"] for record in records]
    split, split_seconds = best_of(lambda: [_sentences(segment, text) for text in texts])
    _, summarise_seconds = best_of(lambda: [summarise(s, "", 3) for s in split])
    n = len(texts)
    stages = {"pysbd": n / split_seconds, "LexRank": n / summarise_seconds}
    end_to_end = n / (split_seconds + summarise_seconds)
    load = build_seconds + build_summariser + first_call
    imports = import_seconds(IMPORTS["pysbd + sumy LexRank"])
    return Result("pysbd + sumy LexRank", corpus, n, end_to_end, load, imports, stages)


def _sentences(segment: Callable[[str], list[str]], text: str) -> list[str]:
    return [s.strip() for s in segment(text) if s.strip()]


def bench_ingest(corpus: str, records: Sequence[dict]) -> list[Result]:
    """`newsdesk ingest` into a fresh SQLite file, then the same again (nothing new)."""
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as folder:
        source = Path(folder) / "articles.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        database = Path(folder) / "bench.db"
        _, startup = timed(lambda: _run_cli("--help"))
        _, first = timed(lambda: _run_cli("ingest", str(source), "--db", str(database)))
        _, again = timed(lambda: _run_cli("ingest", str(source), "--db", str(database)))
        size = database.stat().st_size / 1e6
    n = len(records)
    return [
        Result("newsdesk ingest (new DB)", corpus, n, n / first, 0, startup, {"DB MB": size}),
        Result("newsdesk ingest (again, stored)", corpus, n, n / again, 0, startup, {}),
    ]


def _run_cli(*arguments: str) -> None:
    completed = subprocess.run(
        [str(NEWSDESK_CLI), *arguments], capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    if completed.returncode != 0:
        raise SystemExit(f"newsdesk {' '.join(arguments)} failed:\n{completed.stderr}")


def markdown(results: Sequence[Result]) -> str:
    corpora = list(dict.fromkeys(r.corpus for r in results))
    counts = {r.corpus: r.articles for r in results}
    header = " | ".join(f"{c} ({counts[c]}) art/s | {c} stages" for c in corpora)
    lines = [
        f"| method | {header} | load s | import (CLI start) s |",
        "|---|" + "---|---|" * len(corpora) + "---|---|",
    ]
    for method in dict.fromkeys(r.method for r in results):
        row = {r.corpus: r for r in results if r.method == method}
        cells = " | ".join(_cells(row[c]) if c in row else "| " for c in corpora)
        load = max(r.load_seconds for r in row.values())
        imports = max(r.import_seconds for r in row.values())
        lines.append(f"| {method} | {cells} | {load:.3f} | {imports:.2f} |")
    return "\n".join(lines)


def _cells(result: Result) -> str:
    stages = ", ".join(f"{name} {value:,.1f}" for name, value in result.stage_per_second.items())
    return f"{result.articles_per_second:,.1f} | {stages or '-'}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="articles per corpus (default: all)")
    parser.add_argument("--no-ingest", action="store_true", help="skip the CLI ingest runs")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    missing = [str(path) for path in CORPORA.values() if not path.is_file()]
    if missing:
        parser.error(f"corpus not found: {', '.join(missing)}")
    print(pin_to_one_core(), file=sys.stderr)
    results: list[Result] = []
    for corpus, path in CORPORA.items():
        records = load_records(path, args.limit)
        print(f"{corpus}: {len(records)} articles", file=sys.stderr)
        results += [bench_newsdesk(corpus, records), bench_peer(corpus, records)]
        if not args.no_ingest:
            results += bench_ingest(corpus, records)
    print(markdown(results))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
