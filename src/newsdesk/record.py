"""The record as the CLI, the API and the pages read it: an entity's, a pair's, the graph.

Thin reads over the store plus the pure decisions of `analyse.record`, and
the JSON shapes DESIGN.md fixes for `newsdesk entity` and `newsdesk relation`
(the API serves the same dictionaries).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from newsdesk.analyse.record import (
    Counterpart,
    Country,
    Edge,
    Period,
    StoredEvent,
    counterparts,
    country_aliases,
    country_name,
    country_named,
    graph,
    trend,
)
from newsdesk.errors import NotFound
from newsdesk.models import Cited, EntityKind
from newsdesk.store import Store
from newsdesk.store.events import ArticleRef, EntityRow

ENTITY_KINDS = tuple(str(kind) for kind in EntityKind)  # every kind an entity page exists for
MAX_NAME_CHARS = 300
_ODD = re.compile(r"[\x00-\x1f\x7f\ufffd\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class EntityRecord:
    entity: EntityRow
    aliases: tuple[str, ...]
    articles: tuple[ArticleRef, ...]
    events: tuple[StoredEvent, ...]
    counterparts: tuple[Counterpart, ...]


@dataclass(frozen=True, slots=True)
class RelationRecord:
    a: Country
    b: Country
    events: tuple[StoredEvent, ...]  # oldest first
    periods: tuple[Period, ...]
    articles: tuple[Cited, ...] = ()  # articles naming both, oldest first

    @property
    def title(self) -> str:
        return f"{_with_the(self.a.name)} and {_with_the(self.b.name)}"


def _with_the(name: str) -> str:
    return f"the {name}" if name.startswith(("Philippines", "United ", "Netherlands")) else name


def plausible_name(name: str) -> bool:
    """Whether `name` could be stored at all: odd characters and huge names never are."""
    return 0 < len(name) <= MAX_NAME_CHARS and not _ODD.search(name)


def entity_record(store: Store, kind: str, name: str) -> EntityRecord:
    """Everything the record holds on one entity; NotFound for an unknown one."""
    if kind not in ENTITY_KINDS or not plausible_name(name):
        raise NotFound(f"{kind}/{name}", "no such entity")
    entity = store.entity(kind, name)
    country = entity.country if kind == "country" else None
    events = store.events_of(country=country) if country else store.events_of(name=entity.name)
    names = {entity.name}
    return EntityRecord(
        entity=entity,
        aliases=_aliases(entity),
        articles=tuple(store.entity_articles(kind, entity.name)),
        events=tuple(events),
        counterparts=tuple(counterparts(events, names=names, country=country)),
    )


def find_entity(store: Store, name: str) -> EntityRecord:
    """The entity a person means by `name`: a country by name, alias or code, else by name."""
    if not plausible_name(name):
        raise NotFound(name, "no such entity")
    country = country_named(name)
    row = store.country_entity(country.code) if country else None
    if row is None:
        rows = store.entity_index_of(None, name)
        if not rows:
            raise NotFound(name, "no such entity")
        row = rows[0]
    return entity_record(store, row.kind, row.name)


def _aliases(entity: EntityRow) -> tuple[str, ...]:
    if entity.kind != "country" or not entity.country:
        return ()
    return tuple(a for a in country_aliases(entity.country) if a != entity.name)


def relation_record(store: Store, first: str, second: str) -> RelationRecord:
    """The events between two countries (codes or names) and their trend; NotFound if none."""
    a, b = (country_named(x) if plausible_name(x) else None for x in (first, second))
    if a is None or b is None:
        unknown = first if a is None else second
        raise NotFound(unknown, "not a country newsdesk knows")
    if a.code == b.code:
        raise NotFound(f"{first}/{second}", "a relationship needs two countries")
    a, b = sorted((a, b), key=lambda c: c.code)
    events = tuple(store.events_between(a.code, b.code))
    if not events:
        raise NotFound(
            f"{a.code}/{b.code}", f"no events between {a.name} and {b.name} in the record"
        )
    articles = tuple(store.together([a.code, b.code]))
    return RelationRecord(a, b, events, tuple(trend(events)), articles)


def relation_graph(store: Store) -> list[Edge]:
    return graph(store.pair_counts())


# -- JSON ---------------------------------------------------------------------------


def stored_event_dict(stored: StoredEvent) -> dict[str, Any]:
    event = stored.event
    target = event.target
    return {
        "article": stored.article_id,
        "published": stored.published,
        "url": stored.url,
        "actor": {
            "name": event.actor.name,
            "country": event.actor.country,
            "sector": event.actor.sector,
        },
        "action": event.action,
        "category": event.category,
        "target": target
        and {"name": target.name, "country": target.country, "sector": target.sector},
        "object": event.object,
        "modality": event.modality,
        "sentence": event.sentence,
        "text": stored.sentence_text,
        "score": stored.score,
    }


def entity_dict(record: EntityRecord) -> dict[str, Any]:
    entity = record.entity
    return {
        "name": entity.name,
        "kind": entity.kind,
        "country": entity.country,
        "role": entity.role,
        "aliases": list(record.aliases),
        "articles": [
            {"id": a.id, "title": a.title, "url": a.url, "published": a.published,
             "sentences": list(a.sentences)}
            for a in record.articles
        ],
        "events": [stored_event_dict(s) for s in record.events],
        "counterparts": [
            {"name": c.name, "country": c.country, "events": c.events, "score": c.score}
            for c in record.counterparts
        ],
    }  # fmt: skip


def relation_dict(record: RelationRecord) -> dict[str, Any]:
    return {
        "a": {"country": record.a.code, "name": record.a.name},
        "b": {"country": record.b.code, "name": record.b.name},
        "events": [stored_event_dict(s) for s in record.events],
        "trend": [
            {"period": p.period, "events": p.events, "score": p.score,
             "counts": dict(p.counts), "change": p.change}
            for p in record.periods
        ],
        "articles": [{"id": c.id, "title": c.title, "published": c.published} for c in record.articles],
    }  # fmt: skip


__all__ = ["country_name"]
