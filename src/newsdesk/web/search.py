"""The search parameters the page and the API share: filters by label, kind and dates, and order."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from newsdesk.models import PieceKind
from newsdesk.store.hybrid import SearchFilters, SearchOrder

DAY = r"^\d{4}-\d{2}-\d{2}$"
SearchSort = Annotated[SearchOrder, Query(description="relevance (default) or date, newest first.")]


def search_filters(
    label: Annotated[str | None, Query(max_length=100, description="Only this label.")] = None,
    kind: Annotated[PieceKind | None, Query(description="report, analysis or opinion.")] = None,
    since: Annotated[
        str | None, Query(pattern=DAY, description="From this day, YYYY-MM-DD.")
    ] = None,
    until: Annotated[
        str | None, Query(pattern=DAY, description="Until this day, YYYY-MM-DD.")
    ] = None,
) -> SearchFilters:
    return SearchFilters(
        label=label or None, kind=str(kind) if kind else None, since=since, until=until
    )
