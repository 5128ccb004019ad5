"""Hybrid search: full-text matches and nearest vectors fused by reciprocal rank.

A result is an article that matches every word of the query (FTS5 or the
tsvector, as `Store.search`) or whose embedding is at least `SEMANTIC_FLOOR`
alike the query's; the two rankings are fused with reciprocal rank fusion
(each list adds 1 / (RRF_K + rank)). The count is that of every result
after the filters, not of one page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from html import escape
from typing import Any

from newsdesk.models import Brief
from newsdesk.store.common import query_words

RRF_K = 60
MAX_TEXT_MATCHES = 5_000
VECTOR_CANDIDATES = 100
# The query "ships" finds articles about navies at 0.45 and more; unrelated ones sit
# at 0.1-0.3 (MiniLM cosine between a few words and a headline and lead).
SEMANTIC_FLOOR = 0.45
SNIPPET_WORDS = 24


class SearchOrder(StrEnum):
    RELEVANCE = "relevance"
    DATE = "date"


@dataclass(frozen=True, slots=True)
class SearchFilters:
    label: str | None = None
    kind: str | None = None
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None


NO_FILTERS = SearchFilters()


@dataclass(frozen=True, slots=True)
class Found:
    """One result: the brief, a snippet (safe HTML with <mark>) and how it was found."""

    brief: Brief
    snippet: str
    matched: tuple[str, ...]  # "text", "meaning" or both


@dataclass(frozen=True, slots=True)
class SearchPage:
    results: tuple[Found, ...]
    total: int


_SQLITE_TEXT = (
    "SELECT a.id FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
    " WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT ?"
)
_POSTGRES_TEXT = (
    "SELECT id FROM articles, plainto_tsquery('newsdesk', %s) AS q WHERE search @@ q"
    " ORDER BY ts_rank('{0.1, 0.2, 0.2, 1.0}', search, q) DESC, id LIMIT %s"
)


def fuse(*rankings: Sequence[str]) -> list[tuple[str, float]]:
    """Reciprocal rank fusion of ranked id lists, best first."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores.items(), key=lambda p: (-p[1], p[0]))


def snippet(text: str, words: Sequence[str]) -> str:
    """Escaped text around the first match, with <mark> around every matching word."""
    stems = [_stem(w.casefold()) for w in words]
    tokens = text.split()
    hits = [i for i, t in enumerate(tokens) if _matches(t, stems)]
    start = max(0, (hits[0] if hits else 0) - SNIPPET_WORDS // 3)
    window = tokens[start : start + SNIPPET_WORDS]
    marked = [f"<mark>{escape(t)}</mark>" if _matches(t, stems) else escape(t) for t in window]
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_WORDS < len(tokens) else ""
    return prefix + " ".join(marked) + suffix


def _stem(word: str) -> str:
    return re.sub(r"(ing|ed|es|s)$", "", word) if len(word) > 4 else word


def _matches(token: str, stems: Sequence[str]) -> bool:
    word = re.sub(r"^\W+|\W+$", "", token).casefold()
    return bool(word) and any(word.startswith(stem) and stem for stem in stems)


class HybridSearchStore:
    """`search_page` for both backends; needs `_rows`, `_sql`, `get` and the vector index."""

    _placeholder = "?"

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> Sequence[Any]:
        raise NotImplementedError

    def get(self, article_id: str) -> Brief:
        raise NotImplementedError

    def get_many(self, article_ids: Sequence[str]) -> list[Brief]:
        raise NotImplementedError

    def _nearest_to_text(self, text: str, k: int) -> list[tuple[str, float]]:
        raise NotImplementedError

    def search_page(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        filters: SearchFilters = NO_FILTERS,
        order: SearchOrder = SearchOrder.RELEVANCE,
    ) -> SearchPage:
        words = query_words(query)
        if not words:
            return SearchPage((), 0)
        by_text = self._text_ranking(words)
        by_meaning = [
            i for i, s in self._nearest_to_text(" ".join(words), VECTOR_CANDIDATES)
            if s >= SEMANTIC_FLOOR
        ]  # fmt: skip
        fused = fuse(by_text, by_meaning)
        kept = self._filtered([i for i, _ in fused], filters, order)
        text_set, meaning_set = set(by_text), set(by_meaning)
        page = []
        for brief in self.get_many(kept[offset : offset + limit]):
            article_id = brief.article.id
            how = tuple(
                n for n, s in (("text", text_set), ("meaning", meaning_set)) if article_id in s
            )
            body = snippet(brief.article.text, words) if "text" in how else escape(brief.dek)
            page.append(Found(brief, body, how))
        return SearchPage(tuple(page), len(kept))

    def _text_ranking(self, words: list[str]) -> list[str]:
        if self._placeholder == "?":
            match = " ".join(f'"{word}"' for word in words)
            rows = self._rows(_SQLITE_TEXT, (match, MAX_TEXT_MATCHES))
        else:
            rows = self._rows(_POSTGRES_TEXT, (" ".join(words), MAX_TEXT_MATCHES))
        return [row["id"] for row in rows]

    def _filtered(self, ids: list[str], filters: SearchFilters, order: SearchOrder) -> list[str]:
        """`ids` that pass the filters, in their order or newest first."""
        if not ids:
            return []
        where, params = ["id IN (SELECT value FROM json_each(?))"], [_json_list(ids)]
        if self._placeholder != "?":
            where = ["id = ANY(%s)"]
            params = [ids]  # type: ignore[list-item]
        mark = self._placeholder
        if filters.label:
            where.append(f"id IN (SELECT article_id FROM article_labels WHERE label = {mark})")
            params.append(filters.label)
        if filters.kind:
            where.append(f"kind = {mark}")
            params.append(filters.kind)
        day = "substr(coalesce(published, ingested_at), 1, 10)"
        if filters.since:
            where.append(f"{day} >= {mark}")
            params.append(filters.since)
        if filters.until:
            where.append(f"{day} <= {mark}")
            params.append(filters.until)
        rows = self._rows(
            f"SELECT id, coalesce(published, ingested_at) AS stamp FROM articles"
            f" WHERE {' AND '.join(where)}",
            tuple(params),
        )
        if order is SearchOrder.DATE:
            rows = sorted(rows, key=lambda r: (r["stamp"] or "", r["id"]), reverse=True)
            return [row["id"] for row in rows]
        passing = {row["id"] for row in rows}
        return [i for i in ids if i in passing]


def _json_list(ids: list[str]) -> str:
    return json.dumps(ids)
