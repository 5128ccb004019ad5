"""Wires the stages: sources → extract → analyse → (store).

Each stage is a pure function of the record before it; this module only
connects them and turns one item's failure into an `Outcome` so that the
batch goes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from newsdesk.analyse.entities import find_entities
from newsdesk.analyse.labels import classify
from newsdesk.analyse.sentences import split_sentences
from newsdesk.analyse.takeaways import standfirst_and_takeaways
from newsdesk.errors import ExtractionError, NewsdeskError
from newsdesk.extract import extract
from newsdesk.models import Article, Brief, RawDocument
from newsdesk.sources import FeedCache, read_sources
from newsdesk.sources.http import Fetcher


@dataclass(frozen=True, slots=True)
class Outcome:
    """One input item's result: a brief, or the error that stopped it."""

    origin: str
    brief: Brief | None = None
    error: NewsdeskError | None = None


MIN_WORDS = 8


def analyse(article: Article, *, takeaways: int = 5) -> Brief:
    """Everything newsdesk makes of one article.

    Takeaways, standfirst and labels come from the body alone; the source's
    asides (its own panels) follow the body's sentences so that the actors
    they name are found too.
    """
    words = len(article.text.split())
    if words < MIN_WORDS:
        raise ExtractionError(
            article.origin or article.id, f"too little text to brief ({words} words)"
        )
    body = tuple(split_sentences(article.text))
    asides = tuple(s for aside in article.asides for s in split_sentences(aside))
    entities = find_entities(body + asides)
    labels, kind = classify(article.title, body, entities)
    dek, points = standfirst_and_takeaways(
        body,
        title=article.title,
        description=article.description,
        count=takeaways,
        entities=entities,
    )
    return Brief(
        article=article,
        sentences=body + asides,
        dek=dek,
        takeaways=points,
        entities=entities,
        labels=labels,
        kind=kind,
    )


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
    try:
        article = extract(document)
        return Outcome(origin=document.origin, brief=analyse(article, takeaways=takeaways))
    except NewsdeskError as error:
        return Outcome(origin=document.origin, error=error)
    except Exception as error:  # a bug or a library crash must not sink the batch
        reason = f"unexpected {type(error).__name__}: {error}"
        return Outcome(origin=document.origin, error=NewsdeskError(document.origin, reason))
