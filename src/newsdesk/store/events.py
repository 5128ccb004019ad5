"""The record: every stored brief's events, and the queries over them and the entities.

Both backends share this, as they share subscriptions.py: portable SQL, the
backend's placeholder style, reads (`_rows`). Events are written inside the
brief's own save transaction (`_insert_events`, called by each backend's
`_insert`), and go with their article (ON DELETE CASCADE), so a re-ingest
with new text replaces them and a failed save leaves none.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from newsdesk.analyse.desk import body_sentences
from newsdesk.analyse.record import DeskRecord, StoredEvent
from newsdesk.errors import NotFound
from newsdesk.models import Actor, Brief, Cited, Event
from newsdesk.store.common import now, storable

# Migration 5 on both backends.
MIGRATION = """
CREATE TABLE events (
    article_id     TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,      -- its place in the brief's events
    sentence       INTEGER NOT NULL,
    sentence_text  TEXT NOT NULL,
    action         TEXT NOT NULL,         -- PLOVER category
    actor_name     TEXT NOT NULL,
    actor_country  TEXT,
    actor_sector   TEXT NOT NULL,
    target_name    TEXT,
    target_country TEXT,
    target_sector  TEXT,
    object         TEXT NOT NULL,
    modality       TEXT NOT NULL,
    day            TEXT NOT NULL,         -- the article's date, else the day it was stored
    PRIMARY KEY (article_id, position)
);
CREATE INDEX events_by_countries ON events (actor_country, target_country);
CREATE INDEX events_by_target_country ON events (target_country);
CREATE INDEX events_by_actor_name ON events (actor_name);
CREATE INDEX events_by_target_name ON events (target_name);
CREATE INDEX events_by_day ON events (day, article_id, position);
"""

_INSERT = (
    "INSERT INTO events (article_id, position, sentence, sentence_text, action, actor_name,"
    " actor_country, actor_sector, target_name, target_country, target_sector, object,"
    " modality, day) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
_SELECT = (
    "SELECT e.article_id, a.title, a.url, e.day, e.sentence, e.sentence_text, e.action,"
    " e.actor_name, e.actor_country, e.actor_sector, e.target_name, e.target_country,"
    " e.target_sector, e.object, e.modality FROM events e JOIN articles a ON a.id = e.article_id"
)
_ORDER = " ORDER BY e.day, e.article_id, e.position"
MAX_EVENTS = 2_000  # one page or answer of a record at most


@dataclass(frozen=True, slots=True)
class EntityRow:
    """An entity as the store indexes it, with how many articles name it."""

    name: str
    kind: str
    country: str | None
    role: str
    articles: int


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """An article in a record: enough to list and link it."""

    id: str
    title: str
    url: str | None
    published: str | None
    sentences: tuple[int, ...] = ()  # where it names the entity, when that is the question


def _clean(value: object) -> object:
    # PostgreSQL text holds no NUL; SQLite takes the same replacement.
    return storable(value).replace("\x00", "\ufffd") if isinstance(value, str) else value


def event_rows(brief: Brief) -> list[tuple[object, ...]]:
    """The `events` rows of a brief, in its order."""
    day = brief.article.published or now()
    body = body_sentences(brief)
    rows = []
    for position, event in enumerate(brief.events):
        if event.sentence >= body:
            continue  # from the source's own panels: its takeaways restate the body
        target = event.target
        sentence = (
            brief.sentences[event.sentence] if 0 <= event.sentence < len(brief.sentences) else ""
        )
        values = (brief.article.id, position, event.sentence, sentence, event.action,
                  event.actor.name, event.actor.country, event.actor.sector,
                  target and target.name, target and target.country, target and target.sector,
                  event.object, event.modality, day)  # fmt: skip
        rows.append(tuple(_clean(v) for v in values))
    return rows


class EventStore:
    """Record methods of a store; the backend class provides the hooks below."""

    _placeholder = "?"

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> Sequence[Any]:
        raise NotImplementedError

    def _sql(self, sql: str) -> str:
        return sql if self._placeholder == "?" else sql.replace("?", self._placeholder)

    def _insert_events(self, cursor: Any, brief: Brief) -> None:
        """Inside the save's transaction, on its connection's cursor."""
        rows = event_rows(brief)
        if rows:
            cursor.executemany(self._sql(_INSERT), rows)

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> Sequence[Any]:
        return self._rows(self._sql(sql), tuple(_clean(p) for p in params))

    # -- events ---------------------------------------------------------------

    def events_between(
        self, a: str, b: str, *, before: str | None = None, exclude: str | None = None
    ) -> list[StoredEvent]:
        """Events between countries `a` and `b` (alpha-3), oldest first."""
        where = " WHERE ((e.actor_country = ? AND e.target_country = ?)" \
                " OR (e.actor_country = ? AND e.target_country = ?))"  # fmt: skip
        params: tuple[Any, ...] = (a, b, b, a)
        if before:
            where += " AND e.day < ?"
            params += (before,)
        if exclude:
            where += " AND e.article_id <> ?"
            params += (exclude,)
        rows = self._read(_SELECT + where + _ORDER + f" LIMIT {MAX_EVENTS}", params)
        return [_stored(row) for row in rows]

    def events_of(
        self, *, name: str | None = None, country: str | None = None
    ) -> list[StoredEvent]:
        """Events with `name` as actor or target, or (for a country) any side from `country`."""
        column, value = ("country", country) if country else ("name", name)
        where = f" WHERE e.actor_{column} = ? OR e.target_{column} = ?"
        params = (value, value)
        rows = self._read(_SELECT + where + _ORDER + f" LIMIT {MAX_EVENTS}", params)
        return [_stored(row) for row in rows]

    def all_events(self, *, limit: int = 1_000, offset: int = 0) -> list[StoredEvent]:
        """Every event, oldest first, a batch at a time (for the export)."""
        rows = self._read(_SELECT + _ORDER + " LIMIT ? OFFSET ?", (limit, offset))
        return [_stored(row) for row in rows]

    def pair_counts(self) -> list[tuple[str, str, str, int]]:
        """(actor country, target country, category, events) over the record."""
        rows = self._read(
            "SELECT actor_country, target_country, action, count(*) AS n FROM events"
            " WHERE actor_country IS NOT NULL AND target_country IS NOT NULL"
            " AND actor_country <> target_country GROUP BY actor_country, target_country, action"
        )
        return [(r["actor_country"], r["target_country"], r["action"], int(r["n"])) for r in rows]

    def desk_record(self, brief: Brief, countries: Sequence[str]) -> DeskRecord:
        """What the Editor's Desk judges `brief` against: the record before it.

        The earlier events of each pair of `countries`, and the earlier articles
        naming all of them (else the first two) together.
        """
        before, exclude = brief.article.published, brief.article.id
        pairs = {(a, b) if a < b else (b, a) for a, b in combinations(countries, 2)}
        pair_events = {
            pair: tuple(self.events_between(*pair, before=before, exclude=exclude))
            for pair in sorted(pairs)
        }
        for size in range(len(countries), 1, -1):
            together = self.together(countries[:size], before=before, exclude=exclude)
            if together:
                return DeskRecord(pair_events, tuple(countries[:size]), tuple(together))
        return DeskRecord(pair_events)

    # -- entities -------------------------------------------------------------

    def entity_index(self, *, kind: str | None = None, limit: int = 500) -> list[EntityRow]:
        """Entities by how many articles name them, most first."""
        where, params = (" WHERE e.kind = ?", (kind,)) if kind else ("", ())
        rows = self._read(
            "SELECT e.name, e.kind, e.country, max(m.role) AS role, count(*) AS n"
            " FROM entities e JOIN mentions m ON m.entity_id = e.id" + where
            + " GROUP BY e.id, e.name, e.kind, e.country ORDER BY n DESC, e.name LIMIT ?",
            (*params, limit),
        )  # fmt: skip
        return [
            EntityRow(r["name"], r["kind"], r["country"], r["role"] or "", int(r["n"]))
            for r in rows
        ]

    def entity(self, kind: str, name: str) -> EntityRow:
        rows = self.entity_index_of(kind, name)
        if not rows:
            raise NotFound(f"{kind}/{name}", "no such entity")
        return rows[0]

    def entity_index_of(self, kind: str | None, name: str) -> list[EntityRow]:
        """The entities called `name` (any case), of `kind` when given, best known first."""
        where = " WHERE lower(e.name) = lower(?)" + (" AND e.kind = ?" if kind else "")
        params = (name, kind) if kind else (name,)
        rows = self._read(
            "SELECT e.name, e.kind, e.country, max(m.role) AS role, count(*) AS n"
            " FROM entities e JOIN mentions m ON m.entity_id = e.id" + where
            + " GROUP BY e.id, e.name, e.kind, e.country ORDER BY (e.name = ?) DESC, n DESC",
            (*params, name),
        )  # fmt: skip
        return [
            EntityRow(r["name"], r["kind"], r["country"], r["role"] or "", int(r["n"]))
            for r in rows
        ]

    def country_entity(self, code: str) -> EntityRow | None:
        rows = self._read(
            "SELECT e.name, e.kind, e.country, '' AS role, count(*) AS n FROM entities e"
            " JOIN mentions m ON m.entity_id = e.id WHERE e.kind = 'country' AND e.country = ?"
            " GROUP BY e.id, e.name, e.kind, e.country ORDER BY n DESC LIMIT 1",
            (code,),
        )
        return EntityRow(rows[0]["name"], "country", code, "", int(rows[0]["n"])) if rows else None

    def entity_articles(self, kind: str, name: str, *, limit: int = 200) -> list[ArticleRef]:
        """The articles naming an entity, newest first, with the sentences that do."""
        rows = self._read(
            "SELECT a.id, a.title, a.url, a.published, m.sentences FROM mentions m"
            " JOIN entities e ON e.id = m.entity_id JOIN articles a ON a.id = m.article_id"
            " WHERE e.kind = ? AND e.name = ?"
            " ORDER BY coalesce(a.published, a.ingested_at) DESC, a.id LIMIT ?",
            (kind, name, limit),
        )
        return [_article_ref(row) for row in rows]

    def together(
        self,
        countries: Sequence[str],
        *,
        before: str | None = None,
        exclude: str | None = None,
        limit: int = 200,
    ) -> list[Cited]:
        """Articles naming every one of `countries`, oldest first."""
        if not countries:
            return []
        marks = ",".join("?" * len(countries))
        where = f" WHERE e.kind = 'country' AND e.country IN ({marks})"
        params: tuple[Any, ...] = tuple(countries)
        if before:
            where += " AND coalesce(a.published, a.ingested_at) < ?"
            params += (before,)
        if exclude:
            where += " AND a.id <> ?"
            params += (exclude,)
        rows = self._read(
            "SELECT a.id, a.title, a.published, coalesce(a.published, a.ingested_at) AS day"
            " FROM articles a JOIN mentions m ON m.article_id = a.id"
            " JOIN entities e ON e.id = m.entity_id" + where
            + " GROUP BY a.id, a.title, a.published, a.ingested_at"
            " HAVING count(DISTINCT e.country) = ? ORDER BY day, a.id LIMIT ?",
            (*params, len(set(countries)), limit),
        )  # fmt: skip
        return [Cited(r["id"], r["title"], r["published"]) for r in rows]


def _stored(row: Any) -> StoredEvent:
    target = None
    if row["target_name"] is not None:
        target = Actor(row["target_name"], row["target_country"], row["target_sector"] or "")
    event = Event(
        actor=Actor(row["actor_name"], row["actor_country"], row["actor_sector"]),
        action=row["action"], target=target, object=row["object"], modality=row["modality"],
        sentence=int(row["sentence"]),
    )  # fmt: skip
    return StoredEvent(row["article_id"], row["title"], row["url"], row["day"], event,
                       row["sentence_text"])  # fmt: skip


def _article_ref(row: Any) -> ArticleRef:
    sentences = row["sentences"]
    if isinstance(sentences, str):
        sentences = json.loads(sentences)
    return ArticleRef(row["id"], row["title"], row["url"], row["published"], tuple(sentences))
