"""Wires the stages: sources → extract → analyse → (store).

Each stage is a pure function of the record before it; this module only
connects them and turns one item's failure into an `Outcome` so that the
batch goes on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from newsdesk.analyse.entities import find_entities
from newsdesk.analyse.labels import classify
from newsdesk.analyse.sentences import split_sentences
from newsdesk.analyse.takeaways import select_takeaways, standfirst
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


def analyse(article: Article, *, takeaways: int = 5) -> Brief:
    """Everything newsdesk makes of one article."""
    sentences = tuple(split_sentences(article.text))
    if not sentences:
        raise ExtractionError(article.origin or article.id, "no sentences in the article text")
    entities = find_entities(sentences)
    labels, kind = classify(article.title, sentences, entities)
    return Brief(
        article=article,
        sentences=sentences,
        dek=standfirst(sentences, title=article.title, description=article.description),
        takeaways=select_takeaways(sentences, title=article.title, count=takeaways),
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
    stdin: IO[bytes] | None = None,
) -> Iterator[Outcome]:
    """Read, extract and analyse every source, one `Outcome` per item, in order."""
    for item in read_sources(sources, fetcher=fetcher, cache=cache, stdin=stdin):
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
