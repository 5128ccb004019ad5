"""The record's pages, feeds and API: entities, relationships, the graph.

Views only: the reads and decisions are `newsdesk.record`'s; an unknown or
odd entity or country is NotFound, which the error handlers make a 404 page
(or a JSON 404 under /api/).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from newsdesk.analyse.record import country_name, mean
from newsdesk.errors import NotFound
from newsdesk.record import (
    ENTITY_KINDS,
    entity_dict,
    entity_record,
    relation_dict,
    relation_graph,
    relation_record,
)
from newsdesk.web.charts import relation_graph as graph_chart
from newsdesk.web.charts import trend_chart
from newsdesk.web.event_feeds import event_feed
from newsdesk.web.feeds import FeedInfo
from newsdesk.web.links import absolute
from newsdesk.web.state import Desk, desk

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["record"])
ATOM_TYPE = "application/atom+xml; charset=utf-8"
KIND_TITLES = {
    "country": "Countries", "person": "People", "organisation": "Organisations",
    "agreement": "Agreements and frameworks", "weapon": "Weapons systems", "policy": "Policies",
}  # fmt: skip
Dep = Annotated[Desk, Depends(desk)]


def _page(d: Desk, template: str, **context: Any) -> HTMLResponse:
    html = d.site.render(template, d.links, d.sections(), country_name=country_name, **context)
    return HTMLResponse(html)


@pages.api_route("/entities", methods=["GET", "HEAD"])
async def entities(d: Dep) -> Response:
    groups = [(kind, KIND_TITLES[kind], rows) for kind in ENTITY_KINDS
              if (rows := d.store.entity_index(kind=kind, limit=300))]  # fmt: skip
    return _page(d, "entities.html", groups=groups)


@pages.api_route("/entities/{kind}/{name}", methods=["GET", "HEAD"])
async def entity(kind: str, name: str, d: Dep) -> Response:
    record = entity_record(d.store, kind, name)
    feed = d.links.entity_feed(kind, record.entity.name)
    return _page(d, "entity.html", record=record, entity=record.entity,
                 kind_title=KIND_TITLES[kind], feed=feed)  # fmt: skip


@pages.api_route("/entities/{kind}/{name}/feed.atom", methods=["GET", "HEAD"])
async def entity_feed(kind: str, name: str, d: Dep) -> Response:
    record = entity_record(d.store, kind, name)
    page = d.links.entity(kind, record.entity.name)
    info = _info(d, f"{d.settings.site_name}: {record.entity.name}", d.links.entity_feed(kind, name), page)
    return Response(event_feed(record.events, info), media_type=ATOM_TYPE)


@pages.api_route("/relations", methods=["GET", "HEAD"])
async def relations(d: Dep) -> Response:
    edges = relation_graph(d.store)
    chart = graph_chart(edges, country_name, d.links.relation, _country_page(d))
    return _page(d, "relations.html", edges=edges, chart=chart)


@pages.api_route("/relations/{first}/{second}", methods=["GET", "HEAD"])
async def relation(first: str, second: str, d: Dep) -> Response:
    record = relation_record(d.store, first, second)
    chart = trend_chart(record.periods, record.title)
    feed = d.links.relation_feed(record.a.code, record.b.code)
    mean_score = mean(s.score for s in record.events)
    return _page(d, "relation.html", record=record, chart=chart, feed=feed, mean_score=mean_score)


@pages.api_route("/relations/{first}/{second}/feed.atom", methods=["GET", "HEAD"])
async def relation_feed(first: str, second: str, d: Dep) -> Response:
    record = relation_record(d.store, first, second)
    a, b = record.a.code, record.b.code
    info = _info(d, f"{d.settings.site_name}: {record.title}", d.links.relation_feed(a, b),
                 d.links.relation(a, b))  # fmt: skip
    return Response(event_feed(record.events, info), media_type=ATOM_TYPE)


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


def _country_page(d: Desk) -> Any:
    return lambda code: d.links.entity("country", country_name(code))


def _info(d: Desk, title: str, feed_path: str, page_path: str) -> FeedInfo:
    site = d.settings.site_url
    return FeedInfo(title=title, feed_url=absolute(site, feed_path),
                    page_url=absolute(site, page_path), site_url=site, links=d.links)  # fmt: skip


__all__ = ["NotFound", "api", "pages"]
