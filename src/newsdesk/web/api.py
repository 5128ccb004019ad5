"""The JSON API under ``/api/``: articles carry exactly `brief_to_dict` plus ``page_url``."""

from __future__ import annotations

import hmac
import json
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from newsdesk.extract.identity import url_problem
from newsdesk.models import Brief, RawDocument
from newsdesk.serialize import brief_to_dict
from newsdesk.sources.http import Fetcher
from newsdesk.store import Saved
from newsdesk.store.hybrid import SearchFilters, SearchOrder
from newsdesk.web.pages import page_count
from newsdesk.web.search import SearchSort, search_filters
from newsdesk.web.state import Desk, desk

router = APIRouter(prefix="/api", tags=["articles"])

MAX_BODY = 2 * 1024 * 1024
ACCEPTED_KEYS = {"url", "html", "text", "title", "id", "published", "author", "description"}


def article_json(d: Desk, brief: Brief) -> dict[str, Any]:
    return brief_to_dict(brief) | {"page_url": d.links.article(brief.article.id)}


@router.get("/articles", summary="The latest briefs, newest first, a page at a time.")
async def list_articles(
    d: Annotated[Desk, Depends(desk)],
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    total = d.store.count()
    pages = page_count(total, per_page)
    if page > pages:
        raise HTTPException(404, f"There is no page {page}: the last page is {pages}.")
    briefs = d.store.latest(limit=per_page, offset=(page - 1) * per_page)
    return {
        "articles": [article_json(d, b) for b in briefs],
        "page": page,
        "per_page": per_page,
        "pages": pages,
        "total": total,
    }


@router.get(
    "/articles/{article_id:path}", summary="One brief, with the same fields as `brief --json`."
)
async def get_article(article_id: str, d: Annotated[Desk, Depends(desk)]) -> dict[str, Any]:
    return article_json(d, d.store.get(article_id))


@router.get(
    "/search",
    summary="Hybrid search: full text and meaning fused, best match or newest first, a page at a time.",
)
async def search_articles(
    d: Annotated[Desk, Depends(desk)],
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words to look for.")],
    filters: Annotated[SearchFilters, Depends(search_filters)],
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=100, description="Results per page.")] = 20,
    sort: SearchSort = SearchOrder.RELEVANCE,
) -> dict[str, Any]:
    found = d.store.search_page(
        q, limit=limit, offset=(page - 1) * limit, filters=filters, order=sort
    )
    return {
        "results": [
            article_json(d, hit.brief) | {"matched": list(hit.matched)} for hit in found.results
        ],
        "total": found.total,
        "page": page,
        "pages": page_count(found.total, limit),
    }


@router.get("/labels", summary="Every label with its number of briefs.")
async def list_labels(d: Annotated[Desk, Depends(desk)]) -> dict[str, Any]:
    return {
        "labels": [
            {"label": label, "count": count, "page_url": d.links.label(label)}
            for label, count in d.store.labels()
        ]
    }


@router.post(
    "/articles",
    status_code=201,
    summary="Brief and store an article.",
    description='JSON body: {"url"}, or {"html", "url"?, "title"?}, or {"text", "title"?}. '
    "Needs `Authorization: Bearer TOKEN`. 201 when added, 200 when already stored.",
)
async def create_article(request: Request, d: Annotated[Desk, Depends(desk)]) -> JSONResponse:
    authorise_write(request, d)
    record = await json_body(request)
    brief = await run_in_threadpool(_brief_from_record, record, d.fetcher)
    saved = d.store.save(brief)
    d.forget_pages()
    body = article_json(d, d.store.get(saved.article_id))
    status = 201 if saved.outcome is Saved.ADDED else 200
    return JSONResponse(body, status_code=status, headers={"Location": body["page_url"]})


def authorise_write(request: Request, d: Desk) -> None:
    """Every write through the API: the bearer token, then the per-token rate limit."""
    _authorise(request, d.settings.api_token)
    _within_limit(d, request)


def _authorise(request: Request, token: str | None) -> None:
    if not token:
        raise HTTPException(403, "Writing is disabled: no API token is configured.")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), token.encode()
    ):
        raise HTTPException(
            401, "A valid bearer token is required.", {"WWW-Authenticate": "Bearer"}
        )


def _within_limit(d: Desk, request: Request) -> None:
    wait = d.writes.wait_for(request.headers.get("authorization", ""))
    if wait:
        per_minute = d.writes.per_minute
        raise HTTPException(
            429,
            f"Too many writes: at most {per_minute} a minute with one token. Retry in {wait} s.",
            {"Retry-After": str(wait)},
        )


async def json_body(request: Request) -> dict[str, Any]:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise HTTPException(415, "Send the article as application/json.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise HTTPException(413, f"The body is larger than {MAX_BODY} bytes.")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise HTTPException(413, f"The body is larger than {MAX_BODY} bytes.")
    return _record(bytes(body))


def _record(body: bytes) -> dict[str, Any]:
    try:
        record = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise HTTPException(400, f"The body is not valid JSON: {error}") from None
    except RecursionError:
        raise HTTPException(400, "The body is JSON nested too deeply.") from None
    except ValueError as error:  # an integer of more than 4,300 digits
        raise HTTPException(400, f"The body is not usable JSON: {error}") from None
    if not isinstance(record, dict):
        raise HTTPException(422, "The body must be a JSON object.")
    unknown = sorted(set(record) - ACCEPTED_KEYS)
    if unknown:
        raise HTTPException(422, f"Unknown fields: {', '.join(unknown)}.")
    if not any(
        isinstance(record.get(k), str) and record[k].strip() for k in ("url", "html", "text")
    ):
        raise HTTPException(422, 'Give a "url", an "html" or a "text" field (a non-empty string).')
    if any(not isinstance(value, str) for value in record.values()):
        raise HTTPException(422, "Every field must be a string.")
    if record.get("url") and not record["url"].lower().startswith(("http://", "https://")):
        raise HTTPException(422, '"url" must be an http(s) URL.')
    problem = record.get("url") and url_problem(record["url"])
    if problem:
        raise HTTPException(422, f'"url" is not a valid URL: {problem}.')
    return record


def _brief_from_record(record: dict[str, Any], fetcher: Fetcher | None) -> Brief:
    from newsdesk.pipeline import brief_document
    from newsdesk.sources.records import record_document

    if record.get("html") or record.get("text"):
        # Posted text reads like a text file: without a "title", its first line is the headline.
        document = replace(record_document("api", record), title_in_text=True)
    else:
        document = _fetch(record["url"], fetcher)
    return brief_document(document)[0]


def _fetch(url: str, fetcher: Fetcher | None) -> RawDocument:
    """The one page at `url`; by default never from a private or loopback address."""
    from newsdesk.sources import read_page

    if fetcher is not None:
        return read_page(url, fetcher=fetcher)
    with Fetcher(allow_private=False) as guarded:
        return read_page(url, fetcher=guarded)
