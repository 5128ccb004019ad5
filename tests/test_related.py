"""Related articles, near-duplicates and stories on the demo data, on SQLite and PostgreSQL.

The demo's White House texts hold the 11 April 2024 press call previewing the
Biden-Marcos meeting, that day's readout and fact sheet, and five readouts of
Jake Sullivan's calls with Eduardo Año months apart; the sample page is stored
twice, under two site names, with a few words changed.
"""

from __future__ import annotations

import json
import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from typer.testing import CliRunner

from builders import SAMPLE_PAGE
from newsdesk.cli import app as cli
from newsdesk.config import Settings
from newsdesk.pipeline import EMBED_BATCH, brief_sources, save_outcome, save_outcomes
from newsdesk.store import Store, open_store, pgvector
from newsdesk.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo" / "whitehouse-indopacific.jsonl"
PRESS_CALL = "wh-2024-04-11-background-press-call-previewing-the-bilateral-meeting-of-president-biden-and-president-marcos-of-the-philippines-and-the-trilateral-leaders-summit"
READOUT = "wh-2024-04-11-readout-of-president-bidens-meeting-with-philippine-president-ferdinand-marcos-jr-2"
FACT_SHEET = "wh-2024-04-11-fact-sheet-celebrating-the-strength-of-the-u-s-philippines-alliance"
SULLIVAN_ANO = "eduardo-m-ano"  # in the ids of the five readouts
# Others of the same months, so that every list has something to choose from.
NEIGHBOURS = ("wh-2024-04-", "wh-2024-06-", "wh-2024-08-", "wh-2023-10-", "wh-2023-01-")


def _demo_rows() -> list[dict[str, object]]:
    rows = [json.loads(line) for line in DEMO.open(encoding="utf-8")]
    return [r for r in rows if str(r["id"]).startswith(NEIGHBOURS) or SULLIVAN_ANO in str(r["id"])]


def _sample_twice() -> list[dict[str, object]]:
    title, _, text = SAMPLE_PAGE.read_text(encoding="utf-8").partition("\n")
    edited = text.replace("has shifted significantly", "has changed markedly").replace(
        "cemented with hardware", "sealed with hardware"
    )
    return [
        {"id": "sample-a", "title": title, "text": text, "site_name": "Asia Desk",
         "url": "https://asia.example/quasi-alliance", "published": "2025-03-01"},
        {"id": "sample-b", "title": title, "text": edited, "site_name": "Pacific Wire",
         "url": "https://pacific.example/japan-manila", "published": "2025-03-02"},
    ]  # fmt: skip


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.jsonl"
    rows = _demo_rows() + _sample_twice()
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def demo_location(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, demo_file: Path
) -> Iterator[str]:
    """A store holding the demo articles, once per backend for the whole module."""
    if request.param == "sqlite":
        location = str(tmp_path_factory.mktemp("db") / "demo.db")
        schema = None
    else:
        server = request.getfixturevalue("postgres_server")
        schema = f"test_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        location = f"{server}{'&' if '?' in server else '?'}options=-csearch_path%3D{schema}"
    store = open_store(location)
    for outcome in brief_sources([str(demo_file)]):
        assert save_outcome(store, outcome).error is None
    store.close()
    yield location
    if schema is not None:
        with psycopg.connect(request.getfixturevalue("postgres_server"), autocommit=True) as admin:
            admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture
def demo(demo_location: str) -> Iterator[Store]:
    store = open_store(demo_location)
    yield store
    store.close()


def _ids(demo: Store, prefix: str) -> list[str]:
    return [s for story in demo.stories(limit=1000) for s in story.articles if prefix in s]


def test_the_press_call_lists_that_days_readout_and_fact_sheet_with_reasons(demo: Store) -> None:
    found = {item.brief.article.id: item.related for item in demo.related(PRESS_CALL)}
    assert READOUT in found and FACT_SHEET in found
    assert found[READOUT].reason.startswith("same story")
    for related in found.values():
        assert 0.0 <= related.score <= 1.0 and related.reason
        assert {"vector", "text", "entities", "same_story", "recency"} <= set(related.signals)


def test_each_sullivan_ano_readout_lists_the_others_yet_each_call_is_its_own_story(
    demo: Store,
) -> None:
    calls = sorted(_ids(demo, SULLIVAN_ANO))
    assert len(calls) == 5
    for call in calls:
        related = {item.brief.article.id: item.related.reason for item in demo.related(call)}
        others = [other for other in calls if other != call]
        assert all(other in related for other in others), call
        earlier = [related[o] for o in others if o < call]
        assert all(r.startswith("earlier call between the same officials") for r in earlier)
    stories = {demo.story_of(call).id for call in calls}  # type: ignore[union-attr]
    assert len(stories) == 5, "calls months apart are separate developments"


def test_the_sample_page_from_two_sites_is_one_story_member_shown_once(demo: Store) -> None:
    story = demo.story_of("sample-a")
    assert story is not None and story == demo.story_of("sample-b")
    assert set(story.sources) == {"Asia Desk", "Pacific Wire"}
    assert [r.source for r in demo.also_reported_by("sample-a")] == ["Pacific Wire"]
    assert [r.source for r in demo.also_reported_by("sample-b")] == ["Asia Desk"]
    assert "sample-b" not in {item.brief.article.id for item in demo.related("sample-a")}


def test_related_lists_never_hold_both_copies_of_a_near_duplicate(demo: Store) -> None:
    for article in (PRESS_CALL, READOUT, FACT_SHEET):
        ids = {item.brief.article.id for item in demo.related(article)}
        assert not {"sample-a", "sample-b"} <= ids


def test_article_page_shows_related_reasons_and_also_reported_by(demo: Store) -> None:
    client = TestClient(create_app(demo, Settings(site_url="https://d.example")))
    page = client.get(f"/articles/{PRESS_CALL}").text
    assert "No related articles found" not in page
    assert "same story" in page and "Readout of President Biden’s Meeting" in page
    sample = client.get("/articles/sample-a").text
    assert "Also reported by" in sample and "Pacific Wire" in sample


def test_story_page_and_home_page_group_articles_by_story(demo: Store) -> None:
    client = TestClient(create_app(demo, Settings(site_url="https://d.example")))
    story = demo.story_of(PRESS_CALL)
    assert story is not None and len(story.articles) >= 3
    page = client.get(f"/stories/{story.id}")
    assert page.status_code == 200
    assert f"{len(story.articles)} articles" in page.text and "The White House" in page.text
    assert page.text.index("Readout of President Biden") > 0
    home = client.get("/").text
    assert "more in this story" in home
    assert client.get("/stories/nope").status_code == 404


def test_the_exported_site_shows_related_articles_and_story_pages(
    demo: Store, tmp_path: Path
) -> None:
    from newsdesk.web.export import export_site
    from newsdesk.web.links import file_name

    site = tmp_path / "site"
    export_site(demo, site, Settings(site_url="https://d.example", image_policy="none"))
    article = site / "articles" / file_name(PRESS_CALL) / "index.html"
    page = article.read_text(encoding="utf-8")
    assert "No related articles found" not in page
    assert "same story" in page and "Readout of President Biden’s Meeting" in page
    story = demo.story_of(PRESS_CALL)
    assert story is not None
    link = f'href="../../stories/{file_name(story.id)}/index.html"'
    assert link in page, "the article links to its story page, relatively"
    story_page = (site / "stories" / file_name(story.id) / "index.html").read_text("utf-8")
    assert f"{len(story.articles)} articles" in story_page
    assert f'href="../../articles/{file_name(READOUT)}/index.html"' in story_page
    assert len(list((site / "stories").glob("*/index.html"))) == demo.story_count()
    assert "Pacific Wire" in (site / "articles" / "sample-a" / "index.html").read_text("utf-8")
    assert "more in this story" in (site / "index.html").read_text("utf-8")


def test_api_related_and_stories(demo: Store) -> None:
    client = TestClient(create_app(demo, Settings(site_url="https://d.example")))
    related = client.get(f"/api/articles/{PRESS_CALL}/related").json()["related"]
    assert {READOUT, FACT_SHEET} <= {r["id"] for r in related}
    assert set(related[0]) >= {"id", "title", "url", "published", "score", "reason", "signals"}
    stories = client.get("/api/stories?per_page=100").json()
    assert stories["total"] == demo.story_count()
    one = client.get(f"/api/stories/{stories['stories'][0]['id']}").json()
    assert set(one) >= {"id", "title", "articles", "sources", "first", "last"}
    assert client.get("/api/articles/nope/related").status_code == 404


def test_cli_related_and_stories_json(demo_location: str) -> None:
    if demo_location.startswith("postgresql"):
        pytest.skip("the command line is the same on both backends")
    result = CliRunner().invoke(cli, ["related", PRESS_CALL, "--json", "--db", demo_location])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines and all(set(line) == {"id", "title", "url", "published", "score", "reason",
                                       "signals"} for line in lines)  # fmt: skip
    assert [line["score"] for line in lines] == sorted(
        (line["score"] for line in lines), reverse=True
    )
    result = CliRunner().invoke(cli, ["stories", "--json", "--db", demo_location])
    stories = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 0 and stories
    sample = next(s for s in stories if "sample-a" in s["articles"])
    assert sample["articles"] == ["sample-a", "sample-b"] and sample["first"] == "2025-03-01"


def test_a_corrupt_or_stale_vector_index_is_rebuilt_with_one_warning(
    tmp_path: Path, demo_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = str(tmp_path / "news.db")
    outcomes = [o for o in brief_sources([str(demo_file)]) if o.brief is not None]
    chosen = {PRESS_CALL, READOUT, FACT_SHEET, "sample-a"}
    store = open_store(path)
    for outcome in outcomes:
        if outcome.brief is not None and outcome.brief.article.id in chosen:
            save_outcome(store, outcome)
    first = [item.brief.article.id for item in store.related(READOUT)]
    store.close()
    index = Path(path + "-vectors.npz")
    assert index.exists(), "the index is kept beside the database"
    index.write_bytes(b"not an index at all")
    store = open_store(path)
    with caplog.at_level("WARNING", logger="newsdesk"):
        assert [item.brief.article.id for item in store.related(READOUT)] == first
        store.related(PRESS_CALL)
    assert len([r for r in caplog.records if "vector index" in r.getMessage()]) == 1
    store.close()
    index.unlink()  # missing: rebuilt from the database, silently
    store = open_store(path)
    assert [item.brief.article.id for item in store.related(READOUT)] == first
    other = open_store(path)  # another process adds an article: the index follows
    save_outcome(other, outcomes[-1])
    other.close()
    assert "sample-b" in {m for s in store.stories(limit=100) for m in s.articles}
    assert [r.source for r in store.also_reported_by("sample-a")] == ["Pacific Wire"]
    store.close()


def test_a_model_file_that_does_not_match_stops_with_an_error_naming_it(tmp_path: Path) -> None:
    from newsdesk.analyse.embed import MODEL_SHA256, checked
    from newsdesk.errors import ConfigError

    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"weights from somewhere else")
    with pytest.raises(ConfigError) as raised:
        checked(fake, MODEL_SHA256)
    assert str(fake) in str(raised.value) and "does not match" in str(raised.value)


def test_hybrid_search_counts_every_result_pages_filters_and_sorts(demo: Store) -> None:
    from newsdesk.store.hybrid import SearchFilters, SearchOrder

    first = demo.search_page("Philippines", limit=5)
    second = demo.search_page("Philippines", limit=5, offset=5)
    assert first.total > 10 and second.total == first.total
    assert not {f.brief.article.id for f in first.results} & {
        f.brief.article.id for f in second.results
    }
    window = SearchFilters(since="2024-04-01", until="2024-04-30")
    april = demo.search_page("Philippines", limit=100, filters=window, order=SearchOrder.DATE)
    days = [f.brief.article.published or "" for f in april.results]
    assert april.total == len(days) and all("2024-04-01" <= d[:10] <= "2024-04-30" for d in days)
    assert days == sorted(days, reverse=True) and READOUT in {
        f.brief.article.id for f in april.results
    }
    assert all("<mark>" in f.snippet for f in april.results if "text" in f.matched)
    assert demo.search_page("Philippines", filters=SearchFilters(kind="opinion")).total == 0


def test_search_page_and_api_say_the_true_count_and_paginate(demo: Store) -> None:
    client = TestClient(create_app(demo, Settings(site_url="https://d.example")))
    total = demo.search_page("Philippines").total
    page = client.get("/search", params={"q": "Philippines"}).text
    assert f"{total} briefs found" in page and total > 10
    found = client.get("/api/search", params={"q": "Philippines", "page": 2, "limit": 5}).json()
    assert found["total"] == total and len(found["results"]) == 5 and found["page"] == 2
    assert client.get("/api/search", params={"q": "x", "since": "April"}).status_code == 422


def test_postgresql_finds_neighbours_with_pgvector_where_the_server_has_it(
    demo: Store, demo_location: str
) -> None:
    if not demo_location.startswith("postgresql"):
        pytest.skip("pgvector is PostgreSQL's")
    with psycopg.connect(demo_location) as db:
        has_it = db.execute(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'"
        ).fetchone()
    assert demo.vector_search == ("pgvector HNSW" if has_it else "exact")  # type: ignore[attr-defined]
    if os.environ.get("NEWSDESK_TEST_PGVECTOR"):
        assert has_it, "NEWSDESK_TEST_PGVECTOR is set: this server must have pgvector"


def test_pgvector_looks_further_in_a_larger_table(
    demo: Store, demo_location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if demo.vector_search != "pgvector HNSW":  # type: ignore[attr-defined]
        pytest.skip("pgvector's search")
    with psycopg.connect(demo_location, autocommit=True) as db:
        db.execute("ANALYZE article_vectors")
        [rows] = db.execute("SELECT count(*) FROM article_vectors").fetchone() or [0]
    index = demo._vectors  # type: ignore[attr-defined]
    monkeypatch.setattr(pgvector, "SIZE_TTL_SECONDS", -1.0)  # the estimate read at each query
    assert index._ef_search() == pgvector.EF_SEARCH  # a small table: the floor
    monkeypatch.setattr(pgvector, "EF_SEARCH_PER_MILLION", 300 * 1_000_000 // rows)
    assert 290 <= index._ef_search() <= 300  # as if a table of 750,000 at 400 per million
    monkeypatch.setattr(pgvector, "EF_SEARCH_PER_MILLION", 10**12)
    assert index._ef_search() == pgvector.EF_SEARCH_MAX
    assert demo.related(PRESS_CALL)


def test_ingest_embedding_a_batch_at_a_time_finds_the_same_stories_and_related(
    demo: Store, demo_location: str, demo_file: Path, tmp_path: Path
) -> None:
    if demo_location.startswith("postgresql"):
        pytest.skip("compared with the exact index: pgvector's HNSW may order near ties apart")
    batched = open_store(str(tmp_path / "batched.db"))
    try:
        saved = list(save_outcomes(batched, brief_sources([str(demo_file)])))
        assert len(saved) > 2 * EMBED_BATCH and all(o.error is None for o in saved)
        assert _stories(batched) == _stories(demo)
        for article in (PRESS_CALL, READOUT, FACT_SHEET):
            assert _related(batched, article) == _related(demo, article)
        again = list(save_outcomes(batched, brief_sources([str(demo_file)])))
        assert {str(o.saved.outcome) for o in again if o.saved} == {"unchanged"}
    finally:
        batched.close()


def _stories(store: Store) -> list[tuple[str, ...]]:
    return sorted(story.articles for story in store.stories(limit=1000))


def _related(store: Store, article_id: str) -> list[tuple[str, str]]:
    return [(r.brief.article.id, r.related.reason) for r in store.related(article_id)]
