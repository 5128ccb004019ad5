"""Vectors, near-duplicates and stories: what relating articles needs, stored beside them.

Both backends share this mixin, as they share subscriptions.py. When a brief
is saved, `_prepare_relations` computes (outside any lock) its embedding,
MinHash signature and likeness profile; `_record_relations`, inside the
save's transaction, asks for the candidates (the nearest vectors, and the
articles of the last days), lets `decide.assign` choose the story, and
stores the vector and the story membership. Reading, `related` and the
story queries hand their candidates to the pure functions in decide.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from newsdesk.analyse import embed, neardup
from newsdesk.analyse.likeness import Profile, profile
from newsdesk.models import Brief, EntityKind
from newsdesk.store import decide, pgvector
from newsdesk.store.common import content_hash, now, storable
from newsdesk.store.hybrid import HybridSearchStore
from newsdesk.store.pgvector import PgVectorIndex
from newsdesk.store.vectors import Rows, Stamp, VectorIndex

# Migration 6 on both backends; {blob} and {seq} are each backend's spelling.
MIGRATION = """
CREATE TABLE article_vectors (
    seq        {seq},
    article_id TEXT NOT NULL UNIQUE REFERENCES articles (id) ON DELETE CASCADE,
    model      TEXT NOT NULL,
    vector     {blob} NOT NULL          -- float32, little-endian
);
CREATE TABLE story_members (
    article_id   TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id     TEXT NOT NULL,
    duplicate_of TEXT,                  -- the earlier article this one repeats
    day          TEXT NOT NULL,         -- YYYY-MM-DD: published, else stored
    source       TEXT NOT NULL,         -- the site, feed or file that carried it
    title        TEXT NOT NULL,
    signature    {blob} NOT NULL,       -- MinHash of its shingles (analyse/neardup.py)
    profile      TEXT NOT NULL          -- JSON (analyse/likeness.py)
);
CREATE INDEX story_members_by_story ON story_members (story_id, day);
CREATE INDEX story_members_by_day ON story_members (day);
"""
SQLITE_MIGRATION = MIGRATION.format(blob="BLOB", seq="INTEGER PRIMARY KEY")
POSTGRES_MIGRATION = MIGRATION.format(
    blob="BYTEA", seq="BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
)

CANDIDATES = 50  # nearest vectors asked for, as in bench/stories.py
STORY_WINDOW = 4  # latest members read per story wanted, at first, by `stories`
RECENT_CANDIDATES = 200  # articles of the story window, for an article without a vector
_MEMBER_COLUMNS = "article_id, story_id, duplicate_of, day, source, title, signature, profile"


@dataclass(frozen=True, slots=True, eq=False)
class Prepared:
    """What relating needs of a brief, computed before the save's transaction."""

    vector: np.ndarray | None
    signature: neardup.Signature
    profile: Profile
    day: str
    source: str
    title: str


@dataclass(frozen=True, slots=True)
class RelatedArticle:
    brief: Brief
    related: decide.Related


@dataclass(frozen=True, slots=True)
class StorySummary:
    """A story as `newsdesk stories --json` gives it."""

    id: str
    title: str
    articles: tuple[str, ...]  # oldest first
    sources: tuple[str, ...]
    first: str
    last: str
    lead: str = ""  # the id of its latest article that repeats no other


@dataclass(frozen=True, slots=True)
class Reporter:
    """Another source that carried (nearly) the same article."""

    article_id: str
    source: str


@dataclass(frozen=True, slots=True)
class RelatedPanel:
    """What an article page shows under Related Articles."""

    related: tuple[RelatedArticle, ...] = ()
    also_reported_by: tuple[Reporter, ...] = ()
    story: StorySummary | None = None


def source_of(brief: Brief) -> str:
    article = brief.article
    if article.site_name:
        return article.site_name
    if article.url:
        host = urlsplit(article.url).hostname or ""
        return host.removeprefix("www.") or article.url
    return PurePath(article.origin).name or "unknown"


def day_of(published: str | None) -> str:
    if published:
        try:
            return date.fromisoformat(published[:10]).isoformat()
        except ValueError:
            pass
    return now()[:10]


def story_id_for(article_id: str) -> str:
    return "s" + hashlib.sha256(article_id.encode()).hexdigest()[:12]


def prepare(brief: Brief) -> Prepared:
    text = embed.embedding_text(brief.headline, brief.sentences)
    return Prepared(
        vector=embed.embed_one(text) if text.strip() else None,
        signature=neardup.signature(brief.article.text),
        profile=profile(
            brief.sentences,
            [e.name for e in brief.entities],
            [e.name for e in brief.entities if e.kind is EntityKind.PERSON],
        ),
        day=day_of(brief.article.published),
        source=source_of(brief),
        title=brief.headline,
    )


class StoryStore(HybridSearchStore):
    """Story, vector and related-article methods of a store; the backend provides the hooks."""

    _placeholder = "?"
    _lock: Any
    _db: Any
    _vector_index: VectorIndex | PgVectorIndex | None = None
    _vectors_seen: object = None  # the `_change_token` when the index was last refreshed

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> Sequence[Any]:
        raise NotImplementedError

    def get(self, article_id: str) -> Brief:
        raise NotImplementedError

    def get_many(self, article_ids: Sequence[str]) -> list[Brief]:
        raise NotImplementedError

    def _sql(self, sql: str) -> str:
        return sql if self._placeholder == "?" else sql.replace("?", self._placeholder)

    def _fetch(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """A read on the connection, for use while the lock (or a transaction) is held."""
        return list(self._db.execute(self._sql(sql), _clean(params)).fetchall())

    @property
    def _vectors(self) -> VectorIndex | PgVectorIndex:
        """pgvector's HNSW index where PostgreSQL has it; else the exact index (vectors.py)."""
        if self._vector_index is None:
            if self._placeholder != "?" and pgvector.available(self._db):
                self._vector_index = PgVectorIndex(self._db)
                return self._vector_index
            path = getattr(self, "path", None)  # SQLite's; PostgreSQL keeps the index in memory
            beside = Path(f"{path}-vectors.npz") if path and path != ":memory:" else None
            self._vector_index = VectorIndex(beside)
        return self._vector_index

    @property
    def vector_search(self) -> str:
        """How nearest vectors are found: "pgvector HNSW" or "exact"."""
        with self._lock:
            return "pgvector HNSW" if isinstance(self._vectors, PgVectorIndex) else "exact"

    # -- writing (inside the save's transaction) ------------------------------

    def embed_ahead(self, briefs: Sequence[Brief]) -> None:
        """Embed together the briefs whose text is not stored yet, ahead of their saves."""
        digests = {content_hash(b.article.text): b for b in briefs}
        if not digests:
            return
        marks = ",".join("?" * len(digests))
        known = self._rows(
            self._sql(f"SELECT content_hash FROM articles WHERE content_hash IN ({marks})"),
            tuple(digests),
        )
        stored = {row["content_hash"] for row in known}
        embed.embed_ahead([
            embed.embedding_text(b.headline, b.sentences)
            for digest, b in digests.items() if digest not in stored
        ])  # fmt: skip

    def _prepare_relations(self, brief: Brief, digest: str) -> Prepared | None:
        """`prepare(brief)` before the save's transaction; None when the text is already stored."""
        known = self._rows(self._sql("SELECT 1 FROM articles WHERE content_hash = ?"), (digest,))
        return None if known else prepare(brief)

    def _record_relations(self, article_id: str, brief: Brief, prepared: Prepared | None) -> None:
        prepared = prepared or prepare(brief)
        self._refresh_vectors()
        new = decide.Newcomer(prepared.profile, prepared.signature, prepared.day,
                              title=prepared.title, article_id=article_id)  # fmt: skip
        assignment = decide.assign(new, self._candidates(article_id, prepared))
        story = assignment.story_id or story_id_for(article_id)
        self._db.execute(
            self._sql(f"INSERT INTO story_members ({_MEMBER_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)"),
            _clean((article_id, story, assignment.duplicate_of, prepared.day, prepared.source,
                    prepared.title, neardup.to_blob(prepared.signature),
                    prepared.profile.to_json())),
        )  # fmt: skip
        if prepared.vector is not None:
            self._store_vector(article_id, prepared.vector)
        if assignment.story_id is not None:
            self._repair_story(assignment.story_id, prepared.day)

    def _repair_story(self, story_id: str, day: str) -> None:
        """Move out of a story the group a join shows to be another story (`decide.split_off`).

        The members checked are the story's latest within STORY_DAYS of `day`
        (oldest first, so the earliest one's group stays; the article that
        started the story stays, whichever it is); the group that leaves takes
        the id its first member would have started.
        """
        around = date.fromisoformat(day)
        rows = self._fetch(
            f"SELECT {_MEMBER_COLUMNS} FROM story_members WHERE story_id = ? AND day BETWEEN ? AND ?"
            " ORDER BY day DESC, article_id DESC LIMIT ?",
            (story_id, (around - timedelta(days=decide.STORY_DAYS)).isoformat(),
             (around + timedelta(days=decide.STORY_DAYS)).isoformat(), decide.SPLIT_MEMBERS),
        )  # fmt: skip
        members = [_member(row) for row in reversed(rows)]
        leaving = decide.split_off(members, self._cosines([m.article_id for m in members]))
        if any(story_id_for(m.article_id) == story_id for m in leaving):
            leaving = [m for m in members if m not in leaving]  # the article that started it stays
        if not leaving:
            return
        ids = tuple(m.article_id for m in leaving)
        marks = ",".join("?" * len(ids))
        self._db.execute(
            self._sql(
                f"UPDATE story_members SET story_id = ? WHERE story_id = ?"
                f" AND (article_id IN ({marks}) OR duplicate_of IN ({marks}))"
            ),
            _clean((story_id_for(ids[0]), story_id, *ids, *ids)),
        )

    def _cosines(self, article_ids: list[str]) -> np.ndarray:
        """The vector cosines of these articles, pair by pair (0 where one has no vector)."""
        index = self._vectors
        vectors = [index.vector(a) for a in article_ids]
        width = next((v.shape[0] for v in vectors if v is not None), 1)
        matrix = np.stack([v if v is not None else np.zeros(width) for v in vectors])
        return np.asarray(matrix @ matrix.T, dtype=float)

    def _store_vector(self, article_id: str, vector: np.ndarray) -> None:
        """The vector's row, and the in-memory index told of it without reading the table again."""
        [row] = self._fetch(
            "INSERT INTO article_vectors (article_id, model, vector) VALUES (?,?,?) RETURNING seq",
            (article_id, embed.MODEL_NAME, embed.to_blob(vector)),
        )
        index = self._vectors
        if not isinstance(index, VectorIndex):  # pgvector's reads the table itself
            index.add(article_id, vector, (0, 0))
            return
        # In step with the table since `_refresh_vectors`: one more row, this one.
        stamp = (len(index) + (index.vector(article_id) is None), max(index.stamp[1], row["seq"]))
        index.add(article_id, vector, stamp, seq=int(row["seq"]))

    def _refresh_vectors(self) -> None:
        """Bring the in-memory index up to the table; pgvector's is always current."""
        if not isinstance(self._vectors, VectorIndex):
            return
        token = self._change_token()
        if token is None or token != self._vectors_seen:  # the stamp counts every row
            self._vectors.refresh(
                self._vector_stamp(), self._vector_rows_after,
                seqs=self._vector_seqs, rows_with=self._vector_rows_with,
            )  # fmt: skip
            self._vectors_seen = token

    def _change_token(self) -> object:
        """A value that differs whenever the database may have changed; None when unknown."""
        return None

    def _vector_stamp(self) -> Stamp:
        [row] = self._fetch(
            "SELECT count(*) AS n, coalesce(max(seq), 0) AS last FROM article_vectors"
        )
        return int(row["n"]), int(row["last"])

    def _vector_rows_after(self, seq: int) -> Rows:
        rows = self._fetch(
            "SELECT seq, article_id, vector FROM article_vectors WHERE seq > ? ORDER BY seq", (seq,)
        )
        return [(row["seq"], row["article_id"], row["vector"]) for row in rows]

    def _vector_seqs(self) -> list[int]:
        return [int(row["seq"]) for row in self._fetch("SELECT seq FROM article_vectors")]

    def _vector_rows_with(self, seqs: list[int]) -> Rows:
        """The rows of these sequence numbers, read in chunks (SQLite caps a query's parameters)."""
        found = []
        for start in range(0, len(seqs), 500):
            chunk = tuple(seqs[start : start + 500])
            rows = self._fetch(
                "SELECT seq, article_id, vector FROM article_vectors"
                f" WHERE seq IN ({','.join('?' * len(chunk))}) ORDER BY seq",
                chunk,
            )
            found += [(row["seq"], row["article_id"], row["vector"]) for row in rows]
        return found

    def _candidates(self, article_id: str, prepared: Prepared) -> list[decide.Candidate]:
        """The nearest stored articles by vector, and (without a vector) those of the last days."""
        cosines: dict[str, float] = {}
        if prepared.vector is not None:
            cosines = dict(self._vectors.nearest(prepared.vector, CANDIDATES, exclude=article_id))
        else:
            start = (
                date.fromisoformat(prepared.day) - timedelta(days=decide.STORY_DAYS)
            ).isoformat()
            rows = self._fetch(
                "SELECT article_id FROM story_members WHERE day >= ? ORDER BY day DESC LIMIT ?",
                (start, RECENT_CANDIDATES),
            )
            cosines = {row["article_id"]: 0.0 for row in rows if row["article_id"] != article_id}
        members = self._members(list(cosines))
        return [decide.Candidate(m, cosines[m.article_id]) for m in members]

    def _members(self, article_ids: list[str]) -> list[decide.Member]:
        if not article_ids:
            return []
        marks = ",".join("?" * len(article_ids))
        rows = self._fetch(
            f"SELECT {_MEMBER_COLUMNS} FROM story_members WHERE article_id IN ({marks})",
            tuple(article_ids),
        )
        return [_member(row) for row in rows]

    # -- reading --------------------------------------------------------------

    def _nearest_to_text(self, text: str, k: int) -> list[tuple[str, float]]:
        vector = _query_vector(text)
        with self._lock:
            self._refresh_vectors()
            return self._vectors.nearest(vector, k)

    def related(
        self, article_id: str, *, limit: int = decide.RELATED_LIMIT
    ) -> list[RelatedArticle]:
        """Articles related to `article_id`, best first, each with why; [] when none passes the floor."""
        with self._lock:
            self._refresh_vectors()
            own = self._members([article_id])
        if not own:
            self.get(article_id)  # NotFound for an unknown article; one stored before v6 has none
            return []
        with self._lock:
            mine = own[0]
            vector = self._vectors.vector(article_id)
            cosines = (
                dict(self._vectors.nearest(vector, CANDIDATES, exclude=article_id))
                if vector is not None
                else {}
            )
            together = [m.article_id for m in self._story_members(mine.story_id)]
            for other in together:
                if other != article_id and other not in cosines:
                    other_vector = self._vectors.vector(other)
                    cosines[other] = (
                        float(other_vector @ vector)
                        if vector is not None and other_vector is not None
                        else 0.0
                    )
            candidates = [
                decide.Candidate(m, cosines[m.article_id]) for m in self._members(list(cosines))
            ]
        new = decide.Newcomer(mine.profile, mine.signature, mine.day, title=mine.title,
                              article_id=article_id, story_id=mine.story_id)  # fmt: skip
        found = decide.related(new, candidates)[:limit]
        briefs = {b.article.id: b for b in self.get_many([r.article_id for r in found])}
        return [RelatedArticle(briefs[r.article_id], r) for r in found if r.article_id in briefs]

    def _story_members(self, story_id: str) -> list[decide.Member]:
        rows = self._fetch(
            f"SELECT {_MEMBER_COLUMNS} FROM story_members WHERE story_id = ? ORDER BY day, article_id",
            (story_id,),
        )
        return [_member(row) for row in rows]

    def also_reported_by(self, article_id: str) -> list[Reporter]:
        """The other sources of (nearly) the same article: its repeats, or the one it repeats and its other repeats."""
        rows = self._rows(
            self._sql(
                "SELECT m.article_id, m.source FROM story_members m, story_members me"
                " WHERE me.article_id = ? AND m.article_id <> me.article_id AND ("
                " m.duplicate_of = me.article_id OR m.article_id = me.duplicate_of"
                " OR (me.duplicate_of IS NOT NULL AND m.duplicate_of = me.duplicate_of))"
                " ORDER BY m.day, m.article_id"
            ),
            (article_id,),
        )
        return [Reporter(row["article_id"], row["source"]) for row in rows]

    def related_panel(self, article_id: str) -> RelatedPanel:
        return RelatedPanel(
            related=tuple(self.related(article_id)),
            also_reported_by=tuple(self.also_reported_by(article_id)),
            story=self.story_of(article_id),
        )

    def stories_of(self, article_ids: Sequence[str]) -> dict[str, StorySummary]:
        """The story of each of the articles that has one."""
        if not article_ids:
            return {}
        marks = ",".join("?" * len(article_ids))
        rows = self._rows(
            self._sql(
                f"SELECT article_id, story_id FROM story_members WHERE article_id IN ({marks})"
            ),
            tuple(article_ids),
        )
        found = {row["story_id"]: self.story(row["story_id"]) for row in rows}
        return {row["article_id"]: s for row in rows if (s := found[row["story_id"]]) is not None}

    def story_of(self, article_id: str) -> StorySummary | None:
        rows = self._rows(
            self._sql("SELECT story_id FROM story_members WHERE article_id = ?"), (article_id,)
        )
        return self.story(rows[0]["story_id"]) if rows else None

    def story(self, story_id: str) -> StorySummary | None:
        rows = self._rows(
            self._sql(
                "SELECT article_id, duplicate_of, day, source, title FROM story_members"
                " WHERE story_id = ? ORDER BY day, article_id"
            ),
            (story_id,),
        )
        return _summary(story_id, rows) if rows else None

    def stories(self, *, limit: int = 20, offset: int = 0) -> list[StorySummary]:
        """Stories with their latest article first."""
        ids = self._rows(
            self._sql(
                "SELECT story_id, max(day) AS last FROM story_members WHERE day >= ?"
                " GROUP BY story_id ORDER BY last DESC, story_id LIMIT ? OFFSET ?"
            ),
            (self._stories_since(limit + offset), limit, offset),
        )
        found = [self.story(row["story_id"]) for row in ids]
        return [s for s in found if s is not None]

    def _stories_since(self, wanted: int) -> str:
        """A day on or after which at least `wanted` stories have an article ("" for all).

        The `wanted` latest stories all have an article from that day on (any
        story without one is older than all of them), so `stories` groups the
        members of those days only, not every member ever stored.
        """
        members = max(wanted, 1) * STORY_WINDOW
        while True:
            rows = self._rows(
                self._sql("SELECT day FROM story_members ORDER BY day DESC LIMIT 1 OFFSET ?"),
                (members,),
            )
            if not rows:
                return ""
            day = rows[0]["day"]
            [count] = self._rows(
                self._sql("SELECT count(DISTINCT story_id) AS n FROM story_members WHERE day >= ?"),
                (day,),
            )
            if int(count["n"]) >= wanted:
                return str(day)
            members *= 4

    def story_count(self) -> int:
        rows = self._rows("SELECT count(DISTINCT story_id) AS n FROM story_members")
        return int(rows[0]["n"])

    def close_vectors(self) -> None:
        """Keep the index file up to date for the next start."""
        index = self._vector_index
        if index is not None:
            with suppress(OSError):  # the file is only a copy: the next start rebuilds it
                index.save()


def _clean(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """Strings as both databases take them: no lone surrogates, no NUL (see `storable`)."""
    return tuple(storable(v).replace("\x00", "\ufffd") if isinstance(v, str) else v for v in values)


@lru_cache(maxsize=1024)
def _query_vector(text: str) -> np.ndarray:
    """A search's embedding, made once per query text (about 25 ms each on one core)."""
    vector = embed.embed_one(text)
    vector.flags.writeable = False  # shared by every later search for the same words
    return vector


@lru_cache(maxsize=8192)
def _profile(text: str) -> Profile:
    """Profiles parsed once: the same candidates come back for every article of a story."""
    return Profile.from_json(text)


def _member(row: Any) -> decide.Member:
    return decide.Member(
        article_id=row["article_id"], story_id=row["story_id"], day=row["day"],
        source=row["source"], profile=_profile(row["profile"]),
        signature=neardup.from_blob(bytes(row["signature"])),
        duplicate_of=row["duplicate_of"], title=row["title"],
    )  # fmt: skip


def _summary(story_id: str, rows: Sequence[Any]) -> StorySummary:
    originals = [row for row in rows if row["duplicate_of"] is None] or list(rows)
    sources = tuple(dict.fromkeys(row["source"] for row in rows))
    return StorySummary(
        id=story_id, title=originals[0]["title"],
        articles=tuple(row["article_id"] for row in rows), sources=sources,
        first=rows[0]["day"], last=rows[-1]["day"], lead=originals[-1]["article_id"],
    )  # fmt: skip
