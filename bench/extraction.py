"""Article-body extraction: newsdesk beside plain trafilatura on the same pages.

    .venv/bin/python bench/extraction.py [--limit N] [--json PATH] [--worst N]

Scores ../shared/eval/extraction-zyte.jsonl (91 real news pages with the Zyte
article-extraction benchmark's gold ``articleBody``) with the benchmark's own
metric: 4-word shingles of ``\\w+`` tokens (case kept); on each page the
true-positive, false-positive and false-negative shingle counts are normalised
to sum 1; precision and recall are averaged over pages and F1 is taken of the
two averages. newsdesk is `newsdesk.extract.extract` on the page as
``text/html`` with its URL; the baseline is
``trafilatura.extract(html, include_comments=False)`` in the same run. Both
are also scored on each half of the pages (1-45 and 46-91, in file order):
tune on the first half only and keep a change only if the second agrees.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import trafilatura

from newsdesk.errors import NewsdeskError
from newsdesk.extract import extract
from newsdesk.models import RawDocument

EVAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "extraction-zyte.jsonl"
WORD = re.compile(r"\w+")
SHINGLE = 4
HALF = 45

Extractor = Callable[[str, str], str]


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    url: str
    html: str
    gold: str


@dataclass(frozen=True, slots=True)
class PageScore:
    precision: float
    recall: float


@dataclass(frozen=True, slots=True)
class Score:
    method: str
    pages: str
    precision: float
    recall: float
    f1: float
    seconds: float


def load(path: Path = EVAL, limit: int | None = None) -> list[Page]:
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    pages = [Page(r["id"], r["url"], r["html"], r.get("articleBody") or "") for r in rows]
    return pages[:limit] if limit else pages


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """As the benchmark counts them: a text shorter than four words is one shingle."""
    tokens = WORD.findall(text)
    starts = range(max(1, len(tokens) - SHINGLE + 1))
    return Counter(shingle for i in starts if (shingle := tuple(tokens[i : i + SHINGLE])))


def page_score(predicted: str, gold: str) -> PageScore:
    """The benchmark's per-page precision and recall, from counts normalised to sum 1."""
    found, wanted = shingles(predicted), shingles(gold)
    tp = sum((found & wanted).values())
    fp = sum((found - wanted).values())
    fn = sum((wanted - found).values())
    total = tp + fp + fn
    if total:
        tp, fp, fn = tp / total, fp / total, fn / total
    if fp == fn == 0:
        return PageScore(1.0, 1.0)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return PageScore(precision, recall)


def overall(method: str, label: str, scores: Sequence[PageScore], seconds: float) -> Score:
    precision = sum(s.precision for s in scores) / len(scores)
    recall = sum(s.recall for s in scores) / len(scores)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(method, label, precision, recall, f1, seconds)


def newsdesk_text(html: str, url: str) -> str:
    try:
        return extract(RawDocument(url, html, "text/html", url)).text
    except NewsdeskError:
        return ""


def trafilatura_text(html: str, url: str) -> str:
    return trafilatura.extract(html, include_comments=False) or ""


METHODS: dict[str, Extractor] = {"newsdesk": newsdesk_text, "trafilatura": trafilatura_text}


def score_pages(extractor: Extractor, pages: Sequence[Page]) -> tuple[list[PageScore], float]:
    start = time.perf_counter()
    texts = [extractor(page.html, page.url) for page in pages]
    seconds = time.perf_counter() - start
    return [page_score(text, page.gold) for text, page in zip(texts, pages, strict=True)], seconds


def halves(pages: Sequence[Page]) -> dict[str, slice]:
    if len(pages) <= HALF:
        return {f"1-{len(pages)}": slice(0, len(pages))}
    return {
        f"1-{len(pages)}": slice(0, len(pages)),
        f"1-{HALF}": slice(0, HALF),
        f"{HALF + 1}-{len(pages)}": slice(HALF, len(pages)),
    }


def run(pages: Sequence[Page]) -> tuple[list[Score], dict[str, list[PageScore]]]:
    results: list[Score] = []
    per_page: dict[str, list[PageScore]] = {}
    for method, extractor in METHODS.items():
        scores, seconds = score_pages(extractor, pages)
        per_page[method] = scores
        for label, part in halves(pages).items():
            share = seconds * len(scores[part]) / len(scores)
            results.append(overall(method, label, scores[part], share))
    return results, per_page


def table(results: Sequence[Score]) -> str:
    lines = [
        "| method | pages | precision | recall | F1 | pages/s |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        count = _page_count(r.pages)
        speed = count / r.seconds if r.seconds else 0.0
        lines.append(
            f"| {r.method} | {r.pages} | {r.precision:.3f} | {r.recall:.3f} | {r.f1:.3f}"
            f" | {speed:.1f} |"
        )
    return "\n".join(lines)


def _page_count(label: str) -> int:
    first, last = label.split("-")
    return int(last) - int(first) + 1


def worst(pages: Sequence[Page], per_page: dict[str, list[PageScore]], count: int) -> str:
    """The pages where newsdesk falls furthest below trafilatura (F1 per page)."""

    def f1(s: PageScore) -> float:
        return (
            2 * s.precision * s.recall / (s.precision + s.recall) if s.precision + s.recall else 0
        )

    gaps = sorted(
        (f1(per_page["newsdesk"][i]) - f1(per_page["trafilatura"][i]), i) for i in range(len(pages))
    )
    lines = []
    for gap, i in gaps[:count]:
        ours, theirs = per_page["newsdesk"][i], per_page["trafilatura"][i]
        lines.append(
            f"{i + 1:3d} {gap:+.3f} newsdesk P/R {ours.precision:.2f}/{ours.recall:.2f}"
            f" trafilatura {theirs.precision:.2f}/{theirs.recall:.2f} {pages[i].url[:70]}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages")
    args = parser.parse_args(argv)
    pages = load(limit=args.limit)
    results, per_page = run(pages)
    print(table(results))
    if args.worst:
        print(worst(pages, per_page, args.worst), file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
