"""The record's pages, feeds and API: entities, relationships, the graph.

Views only: the reads and decisions are `newsdesk.record`'s; an unknown or
odd entity or country is NotFound, which the error handlers make a 404 page
(or a JSON 404 under /api/).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response

from newsdesk.analyse.record import Edge, country_name, mean
from newsdesk.models import ENTITY_KIND_TITLES
from newsdesk.record import (
    ENTITY_KINDS,
    EntityRecord,
    RelationRecord,
    entity_dict,
    entity_record,
    relation_dict,
    relation_graph,
    relation_record,
)
from newsdesk.store import Store
from newsdesk.store.events import EntityRow
from newsdesk.web.charts import relation_graph as graph_chart
from newsdesk.web.charts import trend_chart
from newsdesk.web.event_feeds import event_feed
from newsdesk.web.feeds import FeedInfo
from newsdesk.web.links import Links, absolute
from newsdesk.web.pages import Site
from newsdesk.web.state import Desk, desk

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["record"])
ATOM_TYPE = "application/atom+xml; charset=utf-8"
KIND_TITLES = {str(kind): title for kind, title in ENTITY_KIND_TITLES.items()}
Dep = Annotated[Desk, Depends(desk)]


@dataclass(frozen=True, slots=True)
class RecordPages:
    """Renders the record's pages; the live views and the static export share it."""

    site: Site
    links: Links
    sections: Sequence[tuple[str, int]]
    countries: dict[str, str]  # code -> the name its entity page has

    def country_href(self, code: str | None) -> str | None:
        """The country's page, when it has one (an export writes only those)."""
        name = self.countries.get(code or "")
        return self.links.entity("country", name) if name else None

    def _render(self, template: str, **context: Any) -> str:
        return self.site.render(template, self.links, self.sections, country_name=country_name,
                                country_href=self.country_href, **context)  # fmt: skip

    def entities(self, groups: Sequence[tuple[str, str, Sequence[EntityRow]]]) -> str:
        return self._render("entities.html", groups=groups)

    def entity(self, record: EntityRecord) -> str:
        entity = record.entity
        return self._render("entity.html", record=record, entity=entity,
                            kind_title=KIND_TITLES.get(entity.kind, entity.kind),
                            feed=self.links.entity_feed(entity.kind, entity.name))  # fmt: skip

    def relations(self, edges: Sequence[Edge]) -> str:
        chart = graph_chart(edges, country_name, self.links.relation,
                            lambda code: self.country_href(code) or self.links.relations())  # fmt: skip
        return self._render("relations.html", edges=edges, chart=chart)

    def relation(self, record: RelationRecord) -> str:
        return self._render("relation.html", record=record, chart=trend_chart(record.periods, record.title),
                            feed=self.links.relation_feed(record.a.code, record.b.code),
                            mean_score=mean(s.score for s in record.events))  # fmt: skip


def entity_groups(store: Store) -> list[tuple[str, str, list[EntityRow]]]:
    return [(kind, KIND_TITLES[kind], rows) for kind in ENTITY_KINDS
            if (rows := store.entity_index(kind=kind, limit=300))]  # fmt: skip


def record_pages(d: Desk) -> RecordPages:
    return RecordPages(d.site, d.links, d.sections(), known_countries(d.store))


def known_countries(store: Store) -> dict[str, str]:
    rows = store.entity_index(kind="country", limit=1_000)
    return {row.country: row.name for row in reversed(rows) if row.country}


@pages.api_route("/entities", methods=["GET", "HEAD"])
async def entities(d: Dep) -> Response:
    return HTMLResponse(record_pages(d).entities(entity_groups(d.store)))


@pages.api_route("/entities/{kind}/{name}", methods=["GET", "HEAD"])
async def entity(kind: str, name: str, d: Dep) -> Response:
    return HTMLResponse(record_pages(d).entity(entity_record(d.store, kind, name)))


@pages.api_route("/entities/{kind}/{name}/feed.atom", methods=["GET", "HEAD"])
async def entity_feed(kind: str, name: str, d: Dep) -> Response:
    record = entity_record(d.store, kind, name)
    info = entity_feed_info(d.settings.site_url, d.settings.site_name, d.links, record)
    return Response(event_feed(record.events, info), media_type=ATOM_TYPE)


@pages.api_route("/relations", methods=["GET", "HEAD"])
async def relations(d: Dep) -> Response:
    return HTMLResponse(record_pages(d).relations(relation_graph(d.store)))


@pages.api_route("/relations/{first}/{second}", methods=["GET", "HEAD"])
async def relation(first: str, second: str, d: Dep) -> Response:
    return HTMLResponse(record_pages(d).relation(relation_record(d.store, first, second)))


@pages.api_route("/relations/{first}/{second}/feed.atom", methods=["GET", "HEAD"])
async def relation_feed(first: str, second: str, d: Dep) -> Response:
    record = relation_record(d.store, first, second)
    info = relation_feed_info(d.settings.site_url, d.settings.site_name, d.links, record)
    return Response(event_feed(record.events, info), media_type=ATOM_TYPE)


def entity_feed_info(site_url: str, site_name: str, links: Links, record: EntityRecord) -> FeedInfo:
    entity = record.entity
    return _info(site_url, links, f"{site_name}: {entity.name}",
                 links.entity_feed(entity.kind, entity.name), links.entity(entity.kind, entity.name))  # fmt: skip


def relation_feed_info(
    site_url: str, site_name: str, links: Links, record: RelationRecord
) -> FeedInfo:
    a, b = record.a.code, record.b.code
    return _info(site_url, links, f"{site_name}: {record.title}", links.relation_feed(a, b),
                 links.relation(a, b))  # fmt: skip


@api.get("/entities/{kind}/{name}", summary="An entity: its articles, events and counterparts.")
async def api_entity(kind: str, name: str, d: Dep) -> dict[str, Any]:
    record = entity_record(d.store, kind, name)
    return entity_dict(record) | {"page_url": d.links.entity(kind, record.entity.name)}


@api.get(
    "/relations/{first}/{second}",
    summary="Two countries' events, oldest first, and their monthly trend.",
    description="Countries as ISO 3166 alpha-3 codes or names.",
)
async def api_relation(first: str, second: str, d: Dep) -> dict[str, Any]:
    record = relation_record(d.store, first, second)
    return relation_dict(record) | {"page_url": d.links.relation(record.a.code, record.b.code)}


def _info(site_url: str, links: Links, title: str, feed_path: str, page_path: str) -> FeedInfo:
    """`links` root-absolute (the live site's, or ``Links(static=True)`` for the export)."""
    return FeedInfo(title=title, feed_url=absolute(site_url, feed_path),
                    page_url=absolute(site_url, page_path), site_url=site_url, links=links)  # fmt: skip
