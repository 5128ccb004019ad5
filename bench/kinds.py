"""Kind of piece (report, analysis, opinion) on labelled development examples.

    .venv/bin/python bench/kinds.py [--wrong]

The examples: the 91 Zyte pages (../shared/eval/extraction-zyte.jsonl), labelled
by hand in bench/kinds.tsv (11 are opinion or analysis, the rest reports), the
395 White House texts and the 44 Wikinews articles of data/demo (official
statements, transcripts and news reports: all reports). newsdesk's kind (the
publisher's marks first, see analyse/kind.py, then the language) is compared
with the language rule alone, which was the rule before issue 7.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsdesk.analyse.labels import _piece_kind, classify
from newsdesk.analyse.sentences import split_sentences
from newsdesk.errors import NewsdeskError
from newsdesk.extract import extract
from newsdesk.models import Article, PieceKind, RawDocument

ROOT = Path(__file__).resolve().parents[1]
ZYTE = ROOT / ".." / "shared" / "eval" / "extraction-zyte.jsonl"
DEMO = (
    ROOT / "data" / "demo" / "whitehouse-indopacific.jsonl",
    ROOT / "data" / "demo" / "wikinews-2004.jsonl",
)


@dataclass(frozen=True, slots=True)
class Example:
    source: str
    article: Article
    kind: PieceKind


def _labels() -> dict[str, PieceKind]:
    rows = (
        line.split("\t") for line in (ROOT / "bench" / "kinds.tsv").read_text("utf-8").splitlines()
    )
    return {row[0]: PieceKind(row[1]) for row in rows if row[0] and not row[0].startswith("#")}


def examples() -> Iterator[Example]:
    labels = _labels()
    for line in ZYTE.open(encoding="utf-8"):
        page = json.loads(line)
        try:
            article = extract(RawDocument(page["url"], page["html"], "text/html", page["url"]))
        except NewsdeskError:
            continue
        yield Example("Zyte", article, labels.get(page["id"][:8], PieceKind.REPORT))
    for path in DEMO:
        for number, line in enumerate(path.open(encoding="utf-8"), 1):
            row = json.loads(line)
            fields = {k: str(row[k]) for k in ("title", "url") if row.get(k)}
            doc = RawDocument(
                f"{path.name}:{number}",
                row["text"],
                "text/plain",
                fields=fields,
                title_in_text=False,
            )
            yield Example(path.stem.split("-")[0], extract(doc), PieceKind.REPORT)


def kinds(article: Article) -> tuple[PieceKind, PieceKind]:
    sentences = split_sentences(article.text)
    _, ours = classify(article.title, sentences, (), url=article.url, author=article.author)
    return ours, _piece_kind(article.title, sentences)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wrong", action="store_true", help="list the examples each gets wrong")
    args = parser.parse_args(argv)
    right: Counter[tuple[str, str]] = Counter()
    total: Counter[str] = Counter()
    for example in examples():
        for method, kind in zip(("newsdesk", "language only"), kinds(example.article), strict=True):
            for source in (example.source, "all"):
                right[(method, source)] += kind == example.kind
            if args.wrong and kind != example.kind:
                print(
                    f"{method}: said {kind} of a {example.kind}: {example.article.title[:70]}",
                    file=sys.stderr,
                )
        total[example.source] += 1
        total["all"] += 1
    print("| method | " + " | ".join(f"{s} ({n})" for s, n in total.items()) + " |")
    print("|---|" + "---|" * len(total))
    for method in ("newsdesk", "language only"):
        cells = " | ".join(f"{right[(method, s)] / n:.3f}" for s, n in total.items())
        print(f"| {method} | {cells} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
