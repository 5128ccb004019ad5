"""The store: idempotent saves, one transaction per brief, full-text search, feed state."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from builders import make_brief
from newsdesk.errors import ConfigError, NotFound, StoreError
from newsdesk.models import Entity, EntityKind, Mention
from newsdesk.store import Saved, open_store
from newsdesk.store.sqlite import SQLiteStore


def test_brief_round_trips(store: SQLiteStore) -> None:
    brief = make_brief()
    assert store.save(brief).outcome == Saved.ADDED
    assert store.get("a1") == brief


def test_same_article_twice_is_stored_once(store: SQLiteStore) -> None:
    store.save(make_brief())
    assert store.save(make_brief()).outcome == Saved.UNCHANGED
    assert store.count() == 1


def test_same_text_under_another_id_is_one_article(store: SQLiteStore) -> None:
    store.save(make_brief("a1", url=None))
    again = store.save(make_brief("b2", url=None))
    assert (again.outcome, again.article_id) == (Saved.UNCHANGED, "a1")
    assert store.count() == 1


def test_same_url_with_new_text_updates_in_place(store: SQLiteStore) -> None:
    store.save(make_brief("a1"))
    changed = make_brief("a1", text="Japan and the Philippines signed a new pact. Manila cheered.")
    assert store.save(changed).outcome == Saved.UPDATED
    assert store.count() == 1
    assert "new pact" in store.get("a1").article.text


def test_unknown_id_is_not_found(store: SQLiteStore) -> None:
    with pytest.raises(NotFound):
        store.get("nope")


def test_failed_save_leaves_nothing_half_written(store: SQLiteStore) -> None:
    broken = make_brief("a1")
    bad_entity = Entity(
        name=None, kind=EntityKind.COUNTRY, country=None, mentions=(Mention(0, "x"),)
    )  # type: ignore[arg-type]
    broken = type(broken)(
        **{**{f: getattr(broken, f) for f in broken.__slots__}, "entities": (bad_entity,)}
    )
    with pytest.raises(StoreError):
        store.save(broken)
    assert store.count() == 0
    assert store.labels() == []


def test_search_finds_and_marks_words(store: SQLiteStore) -> None:
    store.save(make_brief("a1"))
    store.save(
        make_brief("a2", title="Rice prices rise", text="Farmers sold rice. Prices rose.", url=None)
    )
    hits = store.search("philippines")
    assert [h.brief.article.id for h in hits] == ["a1"]
    assert "<mark>Philippines</mark>" in hits[0].snippet


@pytest.mark.parametrize("query", ['"', "AND OR NOT", "title:*", "(", "NEAR(", "", "  "])
def test_search_survives_fts_syntax(store: SQLiteStore, query: str) -> None:
    store.save(make_brief())
    store.search(query)


def test_search_escapes_article_html(store: SQLiteStore) -> None:
    store.save(make_brief(text="Japan said <script>alert(1)</script> nothing. Manila agreed."))
    snippet = store.search("japan")[0].snippet
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet


def test_latest_and_labels(store: SQLiteStore) -> None:
    store.save(make_brief("old", url=None, published="2020-01-01", text="Old news. Very old."))
    store.save(
        make_brief("new", url="https://x.org/n", published="2025-06-01", labels=("Economy",))
    )
    assert [b.article.id for b in store.latest()] == ["new", "old"]
    assert [b.article.id for b in store.latest(label="Economy")] == ["new"]
    assert dict(store.labels()) == {"Defense": 1, "Diplomacy": 1, "Economy": 1}


def test_feed_state_is_remembered(store: SQLiteStore) -> None:
    assert store.feed_state("https://x.org/feed") is None
    store.record_fetch("https://x.org/feed", etag='"v1"', last_modified=None, error=None)
    store.record_fetch("https://x.org/feed", etag=None, last_modified=None, error="HTTP 500")
    assert store.feed_state("https://x.org/feed") == ('"v1"', None)
    [feed] = store.feeds()
    assert (feed.fetches, feed.errors, feed.last_error) == (2, 1, "HTTP 500")


def test_database_is_wal_with_fts5(tmp_path: Path) -> None:
    path = tmp_path / "n.db"
    open_store(str(path)).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] >= 1
    assert db.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 0


def test_reopening_keeps_data(tmp_path: Path) -> None:
    path = str(tmp_path / "n.db")
    first = open_store(path)
    first.save(make_brief())
    first.close()
    assert open_store(path).count() == 1


def test_postgres_url_is_refused_clearly() -> None:
    with pytest.raises(ConfigError, match="PostgreSQL"):
        open_store("postgresql://localhost/news")
