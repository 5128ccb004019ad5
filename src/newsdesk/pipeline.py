"""Wires the stages: sources → extract → analyse → (store).

Each stage is a pure function of the record before it; this module only
connects them, bounds the work one item may cost, and turns one item's
failure, whatever raised it, into an `Outcome` so that the batch goes on.
Each stage has one guard: reading in `read_sources` (per item), extracting
and analysing in `brief_document`'s caller, saving in `save_outcome`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from typing import BinaryIO

from newsdesk.analyse.desk import editors_desk, main_countries
from newsdesk.analyse.entities import find_entities
from newsdesk.analyse.events import find_events
from newsdesk.analyse.labels import classify
from newsdesk.analyse.sentences import split_sentences
from newsdesk.analyse.takeaways import standfirst_and_takeaways
from newsdesk.errors import ExtractionError, NewsdeskError, StoreError, unexpected
from newsdesk.extract import extract
from newsdesk.extract.identity import url_problem
from newsdesk.llm import ProseWriter
from newsdesk.models import Article, Brief, RawDocument
from newsdesk.sources import FeedCache, read_sources
from newsdesk.sources.http import Fetcher
from newsdesk.store import SaveResult, Store

MIN_WORDS = 8
EMBED_BATCH = 8  # articles embedded ahead of their saves (the int8 model runs each alone)

# Bounds on one item's work, so that none takes more than ~2 s on one core.
# Each is several times what any article of the development and demo data
# needs (the longest: 217 KB of HTML without scripts, 58 KB of text, 656
# sentences, 2,082 capitalised words, 886 blocks of HTML, 578 lines of
# text); what is cut is said in a warning.
MAX_HTML_CHARS = 400_000  # after dropping scripts, styles and SVG
MAX_TEXT_CHARS = 200_000
MAX_BLOCKS = 2_000  # paragraphs, list items, lines: extraction's cost is per block
MAX_SENTENCES = 1_500
MAX_NAME_WORDS = 4_000  # capitalised words entities are looked for in: their cost grows as a square

_HEAVY_HTML = re.compile(
    r"<(style|svg|noscript|template|script(?![^>]*ld\+json))\b[^>]*>.*?</\1\s*>", re.S | re.I
)
_NAME_WORD = re.compile(r"\b[A-Z]\w")
_HTML_BLOCK = re.compile(
    r"<(?:p|li|div|br|tr|td|h[1-6]|blockquote|pre|section|article|dd|dt|figure|table)\b", re.I
)
_LINE = re.compile(r"\n")


@dataclass(frozen=True, slots=True)
class Outcome:
    """One input item's result: a brief (maybe stored), or the error that stopped it.

    `warnings` say what was cut or ignored in an item that still succeeded.
    """

    origin: str
    brief: Brief | None = None
    error: NewsdeskError | None = None
    warnings: tuple[str, ...] = ()
    saved: SaveResult | None = None


@dataclass(frozen=True, slots=True)
class Bounded:
    """A value within the bounds, and what had to be cut to get it there."""

    value: str
    warnings: tuple[str, ...] = ()


def analyse(article: Article, *, takeaways: int = 5) -> Brief:
    """Everything newsdesk makes of one article.

    Takeaways, standfirst and labels come from the body alone; the source's
    asides (its own panels) follow the body's sentences so that the actors
    they name are found too.
    """
    return analysed(article, takeaways=takeaways)[0]


def analysed(article: Article, *, takeaways: int = 5) -> tuple[Brief, tuple[str, ...]]:
    """`analyse`, with the warnings of what the bounds cut."""
    words = len(article.text.split())
    if words < MIN_WORDS:
        raise ExtractionError(
            article.origin or article.id, f"too little text to brief ({words} words)"
        )
    body, warnings = _bounded_sentences(split_sentences(article.text))
    asides = tuple(s for aside in article.asides for s in split_sentences(aside))
    asides = asides[: max(0, MAX_SENTENCES - len(body))]
    named = _name_bound(body + asides)
    if named < len(body + asides):
        warnings += (
            f"entities looked for in the first {named:,} of {len(body + asides):,} sentences "
            f"(more than {MAX_NAME_WORDS:,} capitalised words)",
        )
    entities = find_entities((body + asides)[:named])
    labels, kind = classify(article.title, body, entities, url=article.url, author=article.author)
    dek, points = standfirst_and_takeaways(
        body, title=article.title, description=article.description, count=takeaways,
        entities=entities,
    )  # fmt: skip
    brief = Brief(
        article=article,
        sentences=body + asides,
        dek=dek,
        takeaways=points,
        entities=entities,
        labels=labels,
        kind=kind,
        events=find_events(body + asides, entities),
    )
    brief = replace(
        brief, analysis=editors_desk(brief)
    )  # from the article; `with_record` adds the record
    return brief, warnings


def _bounded_sentences(sentences: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if len(sentences) <= MAX_SENTENCES:
        return tuple(sentences), ()
    cut = f"analysed the first {MAX_SENTENCES:,} of {len(sentences):,} sentences"
    return tuple(sentences[:MAX_SENTENCES]), (cut,)


def _name_bound(sentences: Sequence[str]) -> int:
    """How many leading sentences hold at most `MAX_NAME_WORDS` capitalised words."""
    total = 0
    for index, sentence in enumerate(sentences):
        total += len(_NAME_WORD.findall(sentence))
        if total > MAX_NAME_WORDS:
            return index
    return len(sentences)


def bounded_document(document: RawDocument) -> tuple[RawDocument, tuple[str, ...]]:
    """`document` cut to what one item may cost to extract, with what was cut."""
    if document.media_type == "text/html":
        bounded = _bounded_html(document.text)
    else:
        bounded = _bounded_text(document.text, MAX_TEXT_CHARS)
    if bounded.value is document.text:
        return document, ()
    return replace(document, text=bounded.value), bounded.warnings


def _bounded_html(html: str) -> Bounded:
    light = _HEAVY_HTML.sub("", html) if len(html) > MAX_HTML_CHARS else html
    end = min(len(light), MAX_HTML_CHARS, _nth_start(_HTML_BLOCK, light, MAX_BLOCKS))
    if end == len(light):
        return Bounded(light if len(light) < len(html) else html)
    return Bounded(light[:end], (_cut_message(len(light), end, "HTML", MAX_HTML_CHARS),))


def _bounded_text(text: str, limit: int) -> Bounded:
    end = min(len(text), limit, _nth_start(_LINE, text, MAX_BLOCKS))
    if end == len(text):
        return Bounded(text)
    paragraph_end = text.rfind("\n\n", 0, end)
    end = paragraph_end if paragraph_end > end // 2 else end
    return Bounded(text[:end], (_cut_message(len(text), end, "text", limit),))


def _nth_start(pattern: re.Pattern[str], text: str, n: int) -> int:
    """Where the `n`th match of `pattern` in `text` starts; the text's length if fewer."""
    for count, match in enumerate(pattern.finditer(text), 1):
        if count == n:
            return match.start()
    return len(text)


def _cut_message(size: int, kept: int, what: str, limit: int) -> str:
    return (
        f"{what} cut to its first {kept:,} of {size:,} characters "
        f"(one item is read up to {MAX_BLOCKS:,} blocks or {limit:,} characters)"
    )


def brief_document(document: RawDocument, *, takeaways: int = 5) -> tuple[Brief, tuple[str, ...]]:
    """Extract and analyse one document within the bounds; the warnings say what was cut."""
    document, warnings = bounded_document(document)
    article, ignored = _checked_article(document, extract(document))
    brief, cut = analysed(article, takeaways=takeaways)
    return brief, warnings + ignored + cut


def _checked_article(document: RawDocument, article: Article) -> tuple[Article, tuple[str, ...]]:
    """The article without a URL nobody could open, saying what was ignored and why."""
    warnings: tuple[str, ...] = ()
    problem = article.url and url_problem(article.url)
    if problem:
        article = replace(article, url=None)
        warnings += (f"url ignored: not a valid URL ({problem})",)
    given = document.fields.get("published", "")
    if given.strip() and not article.published:
        warnings += (f"published date ignored: {given[:40]!r} is not a date newsdesk can read",)
    return article, warnings


def brief_sources(
    sources: Sequence[str],
    *,
    takeaways: int = 5,
    fetcher: Fetcher | None = None,
    cache: FeedCache | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[Outcome]:
    """Read, extract and analyse every source, one `Outcome` per item, in order."""
    items = read_sources(sources, fetcher=fetcher, cache=cache, stdin=stdin)
    yield from brief_items(items, takeaways=takeaways)


def brief_items(
    items: Iterable[RawDocument | NewsdeskError], *, takeaways: int = 5
) -> Iterator[Outcome]:
    """Extract and analyse documents already read, one `Outcome` per item, in order."""
    for item in items:
        if isinstance(item, NewsdeskError):
            yield Outcome(origin=item.item, error=item)
        else:
            yield _brief_one(item, takeaways)


def _brief_one(document: RawDocument, takeaways: int) -> Outcome:
    """The extracting and analysing stages' guard: any exception is this item's error."""
    try:
        brief, warnings = brief_document(document, takeaways=takeaways)
    except NewsdeskError as error:
        return Outcome(origin=document.origin, error=error)
    except Exception as error:  # a bug or a library crash must not sink the batch
        return Outcome(
            origin=document.origin, error=NewsdeskError(document.origin, unexpected(error))
        )
    return Outcome(origin=document.origin, brief=brief, warnings=warnings)


def save_outcomes(
    store: Store, outcomes: Iterable[Outcome], *, prose: ProseWriter | None = None
) -> Iterator[Outcome]:
    """`save_outcome` for each, in order, the new ones' embeddings made `EMBED_BATCH` at a time."""
    batch: list[Outcome] = []
    for outcome in outcomes:
        batch.append(outcome)
        if len(batch) == EMBED_BATCH:
            yield from _save_batch(store, batch, prose)
            batch = []
    yield from _save_batch(store, batch, prose)


def _save_batch(store: Store, batch: list[Outcome], prose: ProseWriter | None) -> Iterator[Outcome]:
    briefs = [o.brief for o in batch if o.brief is not None]
    with suppress(Exception):  # only a speed-up: each save then embeds, and reports, for itself
        store.embed_ahead(briefs)
    for outcome in batch:
        yield save_outcome(store, outcome, prose=prose)


def save_outcome(store: Store, outcome: Outcome, *, prose: ProseWriter | None = None) -> Outcome:
    """The saving stage's guard: the brief stored in one transaction, or the item's error.

    The store rolls the transaction back whatever was raised, so a failed save
    leaves nothing half-written.
    """
    if outcome.brief is None:
        return outcome
    item = outcome.brief.article.id
    try:
        brief = with_record(store, outcome.brief)
        brief = prose.add_prose(brief) if prose else brief
        return replace(outcome, brief=brief, saved=store.save(brief))
    except StoreError as error:
        return replace(outcome, brief=None, error=error)
    except Exception as error:
        return replace(
            outcome, brief=None, error=StoreError(item, f"not stored: {unexpected(error)}")
        )


_WARM_UP = Article(
    id="newsdesk-warm-up",
    title="Japan and the Philippines sign a defence pact",
    text="Japan and the Philippines signed a Reciprocal Access Agreement in Manila on Monday. "
    "Prime Minister Fumio Kishida said the pact lets their forces train together. "
    "China criticised the agreement, and the United States welcomed it.",
    origin="warm-up",
)


def warm_up() -> None:
    """Load every model and table an ingest uses, by briefing and embedding a small article.

    Nothing is stored. A long-running worker calls it at start, so that its
    first job is not the one that pays for loading them (several seconds).
    """
    from newsdesk.store.stories import prepare

    prepare(analyse(_WARM_UP))


def with_record(store: Store, brief: Brief) -> Brief:
    """The brief with its Editor's Desk judged against the record the store holds before it."""
    record = store.desk_record(brief, main_countries(brief))
    return replace(brief, analysis=editors_desk(brief, record))
