"""Briefs an editor would sign: flaw rates and ROUGE, newsdesk beside LEAD-3, in one run.

    .venv/bin/python bench/flaws.py [--json PATH] [--keep DIR] [--limit N]

Briefs every item of three development sets through the whole pipeline
(`brief_items`, as `newsdesk brief --json` does): the 91 Zyte pages
(../shared/eval/extraction-zyte.jsonl, from their HTML), the 250 CNN/DailyMail
articles (takeaways-cnndm.jsonl) and the 395 White House texts
(data/demo/whitehouse-indopacific.jsonl). Each set's `brief --json` lines are
written to a temporary file and counted by `../shared/checks/flaws.py`, the
editor's check, unchanged. LEAD-3 gets the same briefs with its takeaways
replaced by the first three of newsdesk's sentences (its standfirst is
newsdesk's, so "repeats the standfirst" is counted against the same text).

Then ROUGE-1/2/Lsum F1 x100 on CNN/DM of the takeaways a reader is shown: the
briefs of the same pipeline run with `--takeaways 3` (so under their standfirst,
never repeating it, and fewer than three on a short item), beside LEAD-3 of the
same briefs' sentences (newsdesk's splitter), on all 250 articles and on each
half (tune on 1-125, check on 126-250), and the speed of the whole brief
(articles per second, one process).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from rouge_score import rouge_scorer

from newsdesk.models import Brief, RawDocument, Takeaway
from newsdesk.pipeline import brief_items
from newsdesk.serialize import brief_to_dict
from newsdesk.sources.records import record_document

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
FLAWS = SHARED / "checks" / "flaws.py"
SETS = {
    "Zyte": SHARED / "eval" / "extraction-zyte.jsonl",
    "CNN/DM": SHARED / "eval" / "takeaways-cnndm.jsonl",
    "White House": ROOT / "data" / "demo" / "whitehouse-indopacific.jsonl",
}
ROUGE_KEYS = ("rouge1", "rouge2", "rougeLsum")
_RATE = re.compile(r"flagged takeaways (\d+)/(\d+) = ")
_FLAG = re.compile(r"^(brief|takeaway): (.+?)\s+(\d+)$")


@dataclass(frozen=True, slots=True)
class Flaws:
    method: str
    dataset: str
    briefs: int
    takeaways: int
    flagged: int
    counts: dict[str, int]

    @property
    def rate(self) -> float:
        return self.flagged / self.takeaways if self.takeaways else 1.0


@dataclass(frozen=True, slots=True)
class Briefed:
    dataset: str
    briefs: list[Brief]
    seconds: float


def documents(name: str, limit: int | None) -> list[RawDocument]:
    with SETS[name].open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()][:limit]
    if name == "Zyte":  # brief the page, never the gold body
        records = [{"id": r["id"], "url": r["url"], "html": r["html"]} for r in records]
    elif name == "CNN/DM":
        records = [{"id": r["id"], "text": r["text"]} for r in records]
    return [record_document(f"{name}:{i}", r) for i, r in enumerate(records, 1)]


def brief_all(name: str, limit: int | None, takeaways: int = 5) -> Briefed:
    docs = documents(name, limit)
    start = time.perf_counter()
    outcomes = list(brief_items(docs, takeaways=takeaways))
    seconds = time.perf_counter() - start
    for outcome in outcomes:
        if outcome.error is not None:
            print(f"  {name}: {outcome.error}", file=sys.stderr)
    return Briefed(name, [o.brief for o in outcomes if o.brief is not None], seconds)


def lead3(brief: Brief) -> Brief:
    first = brief.sentences[:3]
    return replace(brief, takeaways=tuple(Takeaway(s, (i,)) for i, s in enumerate(first)))


def flaws(method: str, dataset: str, briefs: Sequence[Brief], keep: Path | None) -> Flaws:
    lines = "".join(json.dumps(brief_to_dict(b), ensure_ascii=False) + "\n" for b in briefs)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "briefs.jsonl"
        path.write_text(lines, encoding="utf-8")
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            slug = re.sub(r"\W+", "-", f"{method}-{dataset}").strip("-").lower()
            (keep / f"{slug}.jsonl").write_text(lines, encoding="utf-8")
        report = subprocess.run(
            [sys.executable, str(FLAWS), str(path), "1"], capture_output=True, text=True
        ).stdout
    rate = _RATE.search(report)
    if rate is None:
        raise SystemExit(f"flaws.py said nothing usable:\n{report}")
    counts = {
        f"{m.group(1)}: {m.group(2)}": int(m.group(3))
        for m in map(_FLAG.match, report.splitlines())
        if m
    }
    flagged, total = int(rate.group(1)), int(rate.group(2))
    return Flaws(method, dataset, len(briefs), total, flagged, counts)


def rouge(references: Sequence[str], summaries: Sequence[list[str]]) -> tuple[float, ...]:
    scorer = rouge_scorer.RougeScorer(list(ROUGE_KEYS), use_stemmer=True)
    totals = dict.fromkeys(ROUGE_KEYS, 0.0)
    for reference, summary in zip(references, summaries, strict=True):
        scores = scorer.score(reference, "\n".join(summary))
        for key in ROUGE_KEYS:
            totals[key] += scores[key].fmeasure
    return tuple(round(100 * totals[key] / len(references), 2) for key in ROUGE_KEYS)


def rouge_table(limit: int | None) -> tuple[str, dict[str, Any]]:
    """ROUGE of the three takeaways each CNN/DM brief shows, beside LEAD-3 of its sentences."""
    with SETS["CNN/DM"].open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()][:limit]
    briefs = {b.article.id: b for b in brief_all("CNN/DM", limit, takeaways=3).briefs}
    shown = [briefs.get(r["id"]) for r in rows]
    if None in shown:
        raise SystemExit("some CNN/DM articles got no brief: ROUGE would skip them")
    references = ["\n".join(r["highlights"]) for r in rows]
    ours = [[t.text for t in b.takeaways] for b in shown if b is not None]
    leads = [list(b.sentences[:3]) for b in shown if b is not None]
    middle = len(rows) // 2
    parts = {
        f"1-{len(rows)}": slice(None),
        f"1-{middle}": slice(None, middle),
        f"{middle + 1}-{len(rows)}": slice(middle, None),
    }
    lines_out = [
        "| CNN/DM articles | newsdesk R1 / R2 / RLsum | LEAD-3 R1 / R2 / RLsum | R2 margin |",
        "|---|---|---|---|",
    ]
    scores: dict[str, Any] = {}
    for label, part in parts.items():
        a, b = rouge(references[part], ours[part]), rouge(references[part], leads[part])
        scores[label] = {"newsdesk": a, "lead3": b}
        cells = [" / ".join(f"{x:.2f}" for x in s) for s in (a, b)]
        lines_out.append(f"| {label} | {cells[0]} | {cells[1]} | {a[1] - b[1]:+.2f} |")
    return "\n".join(lines_out), scores


def flaws_table(results: Sequence[Flaws]) -> str:
    names = list(dict.fromkeys(r.dataset for r in results))
    lines = [
        "| method | " + " | ".join(f"{n} flagged" for n in names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for method in dict.fromkeys(r.method for r in results):
        row = {r.dataset: r for r in results if r.method == method}
        cells = [f"{row[n].flagged}/{row[n].takeaways} = {100 * row[n].rate:.1f}%" for n in names]
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def detail_table(results: Sequence[Flaws]) -> str:
    kinds = sorted({k for r in results for k in r.counts})
    lines = [
        "| flag | " + " | ".join(f"{r.method} {r.dataset}" for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]
    for kind in kinds:
        lines.append(
            f"| {kind} | " + " | ".join(str(r.counts.get(kind, 0)) for r in results) + " |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="items per data set (default: all)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--keep", type=Path, help="keep each set's brief --json lines here")
    args = parser.parse_args(argv)
    results: list[Flaws] = []
    speed = {}
    for name in SETS:
        briefed = brief_all(name, args.limit)
        speed[name] = len(briefed.briefs) / briefed.seconds
        print(f"{name}: {len(briefed.briefs)} briefs, {speed[name]:,.0f}/s", file=sys.stderr)
        results.append(flaws("newsdesk", name, briefed.briefs, args.keep))
        results.append(flaws("LEAD-3", name, [lead3(b) for b in briefed.briefs], args.keep))
    results.sort(key=lambda r: r.method != "newsdesk")
    table, scores = rouge_table(args.limit)
    print(flaws_table(results), end="\n\n")
    print(detail_table(results), end="\n\n")
    print(table, end="\n\n")
    print("| whole brief, articles/s | " + " | ".join(f"{n} {s:,.0f}" for n, s in speed.items()))
    if args.json:
        figures = {"flaws": [asdict(r) for r in results], "rouge": scores, "speed": speed}
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
