"""Stories and related articles on the site: the story page and the JSON API.

Registered before the articles API, whose ``/api/articles/{id}`` would
otherwise take ``/api/articles/{id}/related`` for an article id.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import HTMLResponse

from newsdesk.related import related_to_dict, story_to_dict
from newsdesk.store import StorySummary
from newsdesk.web.pages import page_count
from newsdesk.web.state import Desk, desk

api = APIRouter(prefix="/api", tags=["stories"])
pages = APIRouter(include_in_schema=False)


def _story_json(d: Desk, story: StorySummary) -> dict[str, Any]:
    return story_to_dict(story) | {"page_url": d.links.story(story.id)}


def _found(d: Desk, story_id: str) -> StorySummary:
    story = d.store.story(story_id)
    if story is None:
        raise HTTPException(404, f"There is no story “{story_id}”.")
    return story


@api.get(
    "/articles/{article_id:path}/related",
    summary="Articles related to one, best first, each with its reason and the parts of its score.",
)
async def related_articles(article_id: str, d: Annotated[Desk, Depends(desk)]) -> dict[str, Any]:
    d.store.get(article_id)  # 404 for an unknown article
    items = d.store.related(article_id)
    return {
        "related": [
            related_to_dict(item) | {"page_url": d.links.article(item.brief.article.id)}
            for item in items
        ],
        "also_reported_by": [
            {"id": r.article_id, "source": r.source} for r in d.store.also_reported_by(article_id)
        ],
    }


@api.get("/stories", summary="Stories, the latest first, a page at a time.")
async def list_stories(
    d: Annotated[Desk, Depends(desk)],
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    total = d.store.story_count()
    pages_ = page_count(total, per_page)
    if page > pages_:
        raise HTTPException(404, f"There is no page {page}: the last page is {pages_}.")
    found = d.store.stories(limit=per_page, offset=(page - 1) * per_page)
    return {
        "stories": [_story_json(d, s) for s in found],
        "page": page,
        "per_page": per_page,
        "pages": pages_,
        "total": total,
    }


@api.get("/stories/{story_id}", summary="One story: its articles oldest first and its sources.")
async def get_story(story_id: str, d: Annotated[Desk, Depends(desk)]) -> dict[str, Any]:
    return _story_json(d, _found(d, story_id))


@pages.api_route("/stories/{story_id}", methods=["GET", "HEAD"])
async def story_page(story_id: str, d: Annotated[Desk, Depends(desk)]) -> HTMLResponse:
    story = _found(d, story_id)
    briefs = d.store.get_many(story.articles)
    return HTMLResponse(d.site.story(story, briefs, d.links, d.sections()))
