"""Key Takeaways benchmark: newsdesk beside LEAD-3, sumy and newspaper4k on the same articles.

newsdesk's takeaways are those its brief shows a reader (the pipeline's
`analyse`, entities included, so under the standfirst and never repeating it);
its speed is the whole brief's.

    .venv/bin/python bench/takeaways.py [--limit N] [--count 3] [--json PATH]

Scores ROUGE-1/2/Lsum F1 x100 (rouge-score, stemming on, Lsum on newline-joined
sentences, reference = all highlights joined by newlines) on every CNN/DailyMail
article of ../shared/eval/takeaways-cnndm.jsonl and on the first 300 BBC
articles of takeaways-bbc.jsonl, and articles per second on one core; then
newsdesk and LEAD-3 on each half of the CNN/DM articles (tune on the first
half only; a change should help on both).

The peers need NLTK's punkt data, which cannot be downloaded, so they get pysbd's
sentences (and sumy a regex word tokenizer); their speed is end to end
(pysbd + summariser) with the summariser alone in brackets. NLTK_DATA points at
an empty directory so that nothing is fetched. newspaper4k's summariser returns
nothing without a title: it gets the BBC title, or on CNN/DM the first sentence.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

os.environ["NLTK_DATA"] = tempfile.mkdtemp(prefix="nltk-empty-")

import pysbd
from rouge_score import rouge_scorer

from newsdesk import models
from newsdesk.analyse.sentences import split_sentences
from newsdesk.pipeline import analyse

EVAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval"
DATASETS = {"CNN/DM": ("takeaways-cnndm.jsonl", 250), "BBC": ("takeaways-bbc.jsonl", 300)}
WORD = re.compile(r"\w+")
T = TypeVar("T")

# A summariser gets (sentences, title, count) and returns the chosen sentences.
Summariser = Callable[[Sequence[str], str, int], list[str]]


@dataclass(frozen=True)
class Article:
    text: str
    title: str
    reference: str


@dataclass(frozen=True)
class Result:
    method: str
    dataset: str
    rouge1: float
    rouge2: float
    rouge_lsum: float
    articles_per_second: float
    summariser_per_second: float | None
    load_seconds: float


def load(name: str, limit: int) -> list[Article]:
    path = EVAL / DATASETS[name][0]
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for _, line in zip(range(limit), lines, strict=False)]
    return [Article(r["text"], r.get("title", ""), "\n".join(r["highlights"])) for r in rows]


def rouge(
    articles: Sequence[Article], summaries: Sequence[list[str]]
) -> tuple[float, float, float]:
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    totals = [0.0, 0.0, 0.0]
    for article, summary in zip(articles, summaries, strict=True):
        scores = scorer.score(article.reference, "\n".join(summary))
        for i, key in enumerate(("rouge1", "rouge2", "rougeLsum")):
            totals[i] += scores[key].fmeasure
    r1, r2, rl = (round(100 * total / len(articles), 2) for total in totals)
    return r1, r2, rl


def newsdesk(article: Article, count: int) -> list[str]:
    """The takeaways the brief shows a reader: the whole pipeline, under its standfirst."""
    brief = analyse(
        models.Article(id="bench", title=article.title, text=article.text), takeaways=count
    )
    return [t.text for t in brief.takeaways]


class RegexWordTokenizer:
    """sumy's tokenizer interface without NLTK punkt."""

    def to_words(self, text: str) -> list[str]:
        return WORD.findall(text)

    def to_sentences(self, text: str) -> list[str]:
        return [text]


def sumy_summariser(kind: str) -> Summariser:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    classes = {
        "LexRank": LexRankSummarizer,
        "TextRank": TextRankSummarizer,
        "LSA": LsaSummarizer,
        "Luhn": LuhnSummarizer,
    }
    summariser = classes[kind](Stemmer("english"))
    summariser.stop_words = get_stop_words("english")
    tokenizer = RegexWordTokenizer()

    def summarise(sentences: Sequence[str], title: str, count: int) -> list[str]:
        paragraph = Paragraph([Sentence(s, tokenizer) for s in sentences])
        document = ObjectDocumentModel([paragraph])
        return [str(s) for s in summariser(document, count)]

    return summarise


def newspaper_summariser() -> Summariser:
    """newspaper.nlp.summarize with its NLTK splitter replaced by the given sentences."""
    from newspaper import nlp, settings
    from newspaper.text import StopWords

    stopwords = StopWords("en")

    def summarise(sentences: Sequence[str], title: str, count: int) -> list[str]:
        title = title or (sentences[0] if sentences else "")
        keys = nlp.keywords(" ".join(sentences), stopwords, settings.SUMMARIZE_KEYWORD_COUNT)
        title_words = list(stopwords.tokenizer(title))
        ranked = nlp.scored_sentences(list(sentences), title_words, keys, stopwords)[:count]
        return [sentence for _, sentence, _ in sorted(ranked)]

    return summarise


def lead(sentences: Sequence[str], title: str, count: int) -> list[str]:
    return list(sentences[:count])


def timed(function: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    value = function()
    return value, time.perf_counter() - start


def bench_newsdesk(name: str, articles: list[Article], count: int) -> list[Result]:
    warm_up = Article("Japan and the Philippines signed a pact in Manila on Friday. " * 3, "", "")
    _, load_seconds = timed(lambda: newsdesk(warm_up, count))
    summaries, seconds = timed(lambda: [newsdesk(a, count) for a in articles])
    leads, lead_seconds = timed(lambda: [split_sentences(a.text)[:count] for a in articles])
    n = len(articles)
    r1, r2, rl = rouge(articles, summaries)
    lead_r1, lead_r2, lead_rl = rouge(articles, leads)
    return [
        Result("newsdesk", name, r1, r2, rl, n / seconds, None, load_seconds),
        Result(
            "LEAD-3 (newsdesk splitter)", name, lead_r1, lead_r2, lead_rl, n / lead_seconds, None, 0
        ),
    ]


def halves(articles: list[Article], count: int) -> str:
    """newsdesk and LEAD-3 on each half: tune on the first, check that the second agrees."""
    middle = len(articles) // 2
    lines = [
        "| CNN/DM articles | newsdesk R1 / R2 / RLsum | LEAD-3 R1 / R2 / RLsum |",
        "|---|---|---|",
    ]
    for label, part in (
        (f"1-{middle}", articles[:middle]),
        (f"{middle + 1}-{len(articles)}", articles[middle:]),
    ):
        ours = rouge(part, [newsdesk(a, count) for a in part])
        leads = rouge(part, [split_sentences(a.text)[:count] for a in part])
        cells = [" / ".join(f"{score:.2f}" for score in scores) for scores in (ours, leads)]
        lines.append(f"| {label} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def peers() -> list[tuple[str, Callable[[], Summariser]]]:
    """Each peer's name and how to build it (building is timed as its load)."""
    sumy = [
        (f"sumy {kind}", partial(sumy_summariser, kind))
        for kind in ("LexRank", "TextRank", "LSA", "Luhn")
    ]
    return [("LEAD-3 (pysbd)", lambda: lead), *sumy, ("newspaper4k summary", newspaper_summariser)]


def bench_peers(name: str, articles: list[Article], count: int) -> list[Result]:
    segmenter = pysbd.Segmenter(language="en", clean=False)
    split, split_seconds = timed(
        lambda: [[s.strip() for s in segmenter.segment(a.text) if s.strip()] for a in articles]
    )
    results = []
    for method, make in peers():
        summarise, load_seconds = timed(make)
        summaries, seconds = timed(
            partial(_summarise_all, summarise, split, [a.title for a in articles], count)
        )
        n = len(articles)
        r1, r2, rl = rouge(articles, summaries)
        end_to_end = n / (split_seconds + seconds)
        results.append(Result(method, name, r1, r2, rl, end_to_end, n / seconds, load_seconds))
        print(f"  {name}: {method} done", file=sys.stderr)
    return results


def _summarise_all(
    summarise: Summariser, split: list[list[str]], titles: list[str], count: int
) -> list[list[str]]:
    return [summarise(s, title, count) for s, title in zip(split, titles, strict=True)]


def markdown(results: list[Result]) -> str:
    names = list(dict.fromkeys(r.dataset for r in results))
    header = (
        "| method | "
        + " | ".join(f"{n} R1 / R2 / RLsum | {n} art/s" for n in names)
        + " | load s |"
    )
    lines = [header, "|---|" + "---|---|" * len(names) + "---|"]
    for method in dict.fromkeys(r.method for r in results):
        row = {r.dataset: r for r in results if r.method == method}
        cells = [_cells(row[n]) for n in names]
        load_seconds = max(r.load_seconds for r in row.values())
        lines.append(f"| {method} | " + " | ".join(cells) + f" | {load_seconds:.2f} |")
    return "\n".join(lines)


def _cells(r: Result) -> str:
    speed = f"{r.articles_per_second:,.0f}"
    if r.summariser_per_second is not None:
        speed += f" ({r.summariser_per_second:,.0f})"
    return f"{r.rouge1:.2f} / {r.rouge2:.2f} / {r.rouge_lsum:.2f} | {speed}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="articles per data set (default 250 / 300)")
    parser.add_argument("--count", type=int, default=3, help="takeaways per article")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    if not EVAL.is_dir():
        parser.error(f"no evaluation data at {EVAL}")
    results: list[Result] = []
    for name, (_, default_limit) in DATASETS.items():
        articles = load(name, args.limit or default_limit)
        print(f"{name}: {len(articles)} articles", file=sys.stderr)
        results += bench_newsdesk(name, articles, args.count)
        results += bench_peers(name, articles, args.count)
    print(markdown(results))
    print()
    print(halves(load("CNN/DM", args.limit or DATASETS["CNN/DM"][1]), args.count))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
