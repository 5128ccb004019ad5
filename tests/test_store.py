"""The store: idempotent saves, one transaction per brief, full-text search, feed state."""

from __future__ import annotations

import sqlite3
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest

from builders import make_brief
from newsdesk.errors import NotFound, StoreError
from newsdesk.models import Entity, EntityKind, Mention
from newsdesk.store import Saved, Store, open_store, postgres_schema


def test_brief_round_trips(store: Store) -> None:
    brief = make_brief()
    assert store.save(brief).outcome == Saved.ADDED
    assert store.get("a1") == brief


def test_same_article_twice_is_stored_once(store: Store) -> None:
    store.save(make_brief())
    assert store.save(make_brief()).outcome == Saved.UNCHANGED
    assert store.count() == 1


def test_same_text_under_another_id_is_one_article(store: Store) -> None:
    store.save(make_brief("a1", url=None))
    again = store.save(make_brief("b2", url=None))
    assert (again.outcome, again.article_id) == (Saved.UNCHANGED, "a1")
    assert store.count() == 1


def test_same_url_with_new_text_updates_in_place(store: Store) -> None:
    store.save(make_brief("a1"))
    changed = make_brief("a1", text="Japan and the Philippines signed a new pact. Manila cheered.")
    assert store.save(changed).outcome == Saved.UPDATED
    assert store.count() == 1
    assert "new pact" in store.get("a1").article.text


def test_many_briefs_are_read_at_once_in_the_order_asked(store: Store) -> None:
    texts = {"a1": "Japan signed a pact.", "b2": "Manila hosted talks.", "c3": "Seoul sent ships."}
    for article_id, text in texts.items():
        store.save(make_brief(article_id, text=text, url=f"https://example.com/{article_id}"))
    found = store.get_many(["c3", "nope", "a1", "a1\x00", "b2"])
    assert [b.article.id for b in found] == ["c3", "a1", "b2"]
    assert found[1] == store.get("a1")
    assert store.get_many([]) == []


def test_unknown_id_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        store.get("nope")


def test_lookups_with_a_nul_byte_find_nothing(store: Store) -> None:
    store.save(make_brief())
    with pytest.raises(NotFound):
        store.get("a1\x00")
    assert store.latest(label="Defense\x00") == []
    assert store.count(label="\x00") == 0
    assert store.feed_state("https://x.org/\x00") is None
    store.record_fetch("https://x.org/feed", etag=None, last_modified=None, error="bad \x00 byte")
    assert store.feeds()[0].errors == 1


def test_failed_save_leaves_nothing_half_written(store: Store) -> None:
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


def test_search_finds_and_marks_words(store: Store) -> None:
    store.save(make_brief("a1"))
    store.save(
        make_brief("a2", title="Rice prices rise", text="Farmers sold rice. Prices rose.", url=None)
    )
    hits = store.search("philippines")
    assert [h.brief.article.id for h in hits] == ["a1"]
    assert "<mark>Philippines</mark>" in hits[0].snippet


@pytest.mark.parametrize("query", ['"', "AND OR NOT", "title:*", "(", "NEAR(", "", "  "])
def test_search_survives_fts_syntax(store: Store, query: str) -> None:
    store.save(make_brief())
    store.search(query)


def test_search_escapes_article_html(store: Store) -> None:
    store.save(make_brief(text="Japan said <script>alert(1)</script> nothing. Manila agreed."))
    snippet = store.search("japan")[0].snippet
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet


def test_latest_and_labels(store: Store) -> None:
    store.save(make_brief("old", url=None, published="2020-01-01", text="Old news. Very old."))
    store.save(
        make_brief("new", url="https://x.org/n", published="2025-06-01", labels=("Economy",))
    )
    assert [b.article.id for b in store.latest()] == ["new", "old"]
    assert [b.article.id for b in store.latest(label="Economy")] == ["new"]
    assert dict(store.labels()) == {"Defense": 1, "Diplomacy": 1, "Economy": 1}


def test_feed_state_is_remembered(store: Store) -> None:
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


def test_reopening_keeps_data(store_location: str) -> None:
    first = open_store(store_location)
    first.save(make_brief())
    first.close()
    again = open_store(store_location)
    assert again.count() == 1
    again.close()


def test_title_matches_rank_above_body_matches(store: Store) -> None:
    store.save(
        make_brief("body", title="Ministers meet", text="They talked about rice. Then left.")
    )
    store.save(
        make_brief(
            "title", title="Rice exports grow", text="Farmers sold more. Prices held.", url=None
        )
    )
    assert [hit.brief.article.id for hit in store.search("rice")] == ["title", "body"]


def test_search_needs_every_word(store: Store) -> None:
    store.save(make_brief("a1"))
    assert store.search("Japan Philippines")
    assert store.search("Japan Brazil") == []


def test_threads_can_share_a_store(store: Store) -> None:
    def save_and_read(n: int) -> None:
        store.save(make_brief(f"t{n}", text=f"Report number {n} on ships. It is short.", url=None))
        store.search("ships")
        store.latest(limit=5)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(save_and_read, range(40)))
    assert store.count() == 40
    assert len(store.search("ships", limit=100)) == 40


def test_two_writers_store_each_article_once(store_location: str) -> None:
    briefs = [
        make_brief(f"w{n}", text=f"Story {n} about ports. More on it.", url=None) for n in range(20)
    ]
    writers = [open_store(store_location), open_store(store_location)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = pool.map(lambda w: [w.save(b).outcome for b in briefs], writers)
        results = [o for per_writer in outcomes for o in per_writer]
    assert results.count(Saved.ADDED) == 20 and results.count(Saved.UNCHANGED) == 20
    assert writers[0].count() == 20
    for writer in writers:
        writer.close()


def test_unreachable_postgres_is_named_without_its_password() -> None:
    with pytest.raises(StoreError, match="cannot connect") as raised:
        open_store("postgresql://newsdesk:s3cret@127.0.0.1:1/news")
    assert "s3cret" not in str(raised.value)
    assert "127.0.0.1:1/news" in str(raised.value)


def test_postgres_schema_version_is_kept_and_checked(postgres_url: str) -> None:
    open_store(postgres_url).close()
    with psycopg.connect(postgres_url, autocommit=True) as db:
        latest = db.execute("SELECT max(version) FROM newsdesk_schema").fetchone()
        assert latest == (postgres_schema.LATEST_VERSION,)
        db.execute("INSERT INTO newsdesk_schema VALUES (99, 'the future')")
    with pytest.raises(StoreError, match="v99 is newer"):
        open_store(postgres_url)


def test_a_lost_connection_is_reopened(postgres_url: str) -> None:
    name = f"lost-{uuid.uuid4().hex}"  # so that only this store's connection is ended
    store = open_store(f"{postgres_url}&application_name={name}")
    store.save(make_brief())
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            (name,),
        )
    with pytest.raises(StoreError):
        store.count()
    assert store.count() == 1
    store.close()


def test_an_untitled_brief_without_image_round_trips(store) -> None:
    brief = make_brief("u1", title="", url=None)
    brief = type(brief)(
        **{
            **{f: getattr(brief, f) for f in brief.__slots__},
            "article": replace(brief.article, image=None),
        }
    )
    store.save(brief)
    assert store.get("u1") == brief


def _open_and_close(path: str) -> None:
    open_store(path).close()


def test_processes_creating_one_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    import multiprocessing

    for attempt in range(5):
        path = str(tmp_path / f"race{attempt}.db")
        context = multiprocessing.get_context("fork")
        workers = [context.Process(target=_open_and_close, args=(path,)) for _ in range(3)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(30)
        assert [w.exitcode for w in workers] == [0, 0, 0]
        assert open_store(path).count() == 0


def test_new_text_matching_two_stored_rows_replaces_both(store) -> None:
    store.save(make_brief("a", url="https://x.org/one", text="First story here. It has words."))
    store.save(make_brief("b", url="https://x.org/two", text="Second story here. Other words."))
    merged = make_brief("a", url="https://x.org/two", text="A rewrite of both. New words now.")
    assert store.save(merged).outcome == Saved.UPDATED
    assert store.count() == 1
    assert store.get("a").article.url == "https://x.org/two"


def test_search_finds_short_common_words(store) -> None:
    store.save(
        make_brief(
            "who",
            title="WHO warns of a new outbreak",
            url=None,
            text="The WHO said it would act. Ministers agreed.",
        )
    )
    assert [hit.brief.article.id for hit in store.search("WHO")] == ["who"]
    assert [hit.brief.article.id for hit in store.search("warning")] == ["who"]
