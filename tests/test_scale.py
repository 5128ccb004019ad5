"""What keeps pages fast past 100,000 articles (bench/scale.py) without changing what they show."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from builders import make_brief
from newsdesk.pipeline import brief_sources, save_outcome
from newsdesk.store import Store, stories
from newsdesk.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo" / "whitehouse-indopacific.jsonl"
EVAL = ROOT.parent / "shared" / "eval"


def _save_days(store: Store, days: int) -> list[str]:
    """One article a day, each on its own subject, a few sharing a day."""
    ids = []
    for n in range(days):
        day = f"2025-01-{1 + n // 2:02d}"
        text = f"Report {n}: the council of district {n} voted on budget line {n * 7}. It passed."
        brief = make_brief(f"a{n}", title=f"District {n} budget", text=text,
                           url=f"https://x.org/{n}", published=day)  # fmt: skip
        ids.append(store.save(brief).article_id)
    return ids


@pytest.mark.parametrize("window", [stories.STORY_WINDOW, 1])
def test_stories_pages_list_every_story_once_latest_first(
    store: Store, monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    monkeypatch.setattr(stories, "STORY_WINDOW", window)
    ids = _save_days(store, 14)
    every = {s.id: s for i in ids if (s := store.story_of(i)) is not None}
    expected = sorted(
        sorted(every.values(), key=lambda s: s.id), key=lambda s: s.last, reverse=True
    )
    pages = [store.stories(limit=3, offset=offset) for offset in range(0, len(every) + 3, 3)]
    assert [s.id for page in pages for s in page] == [s.id for s in expected]
    assert store.stories(limit=1000) == expected


def test_label_pages_count_and_list_as_before(store: Store) -> None:
    for n in range(6):
        labels = ("Economy",) if n % 3 else ("Defense", "Economy")
        store.save(make_brief(f"b{n}", text=f"Item {n} on trade quotas. Talks go on.",
                              url=f"https://y.org/{n}", published=f"2025-02-0{n + 1}",
                              labels=labels))  # fmt: skip
    assert store.count(label="Defense") == 2 and store.count(label="Economy") == 6
    assert store.count(label="Nothing") == 0
    assert [b.article.id for b in store.latest(label="Defense")] == ["b3", "b0"]
    assert [b.article.id for b in store.latest(label="Economy", limit=2, offset=1)] == ["b4", "b3"]


def _full_scans(db: sqlite3.Connection, statements: list[str]) -> list[str]:
    """The tables the statements read row by row without an index (EXPLAIN QUERY PLAN)."""
    found = []
    for sql in statements:
        for row in db.execute(f"EXPLAIN QUERY PLAN {sql}"):
            if match := re.fullmatch(r"SCAN (\w+)", row[3]):
                found.append(f"{match[1]} in {sql[:60]}")
    return found


def test_the_home_article_and_stories_pages_scan_no_table_in_full(tmp_path: Path) -> None:
    store = SQLiteStore(str(tmp_path / "n.db"))
    ids = _save_days(store, 6)
    store.related(ids[0])  # the vector index is read once, at the first query
    statements: list[str] = []  # as run, with their values in place
    store._db.set_trace_callback(statements.append)
    store.latest(limit=20)
    store.latest(label="Defense", limit=20)
    store.count(label="Defense")
    store.also_reported_by(ids[1])
    store.story_of(ids[1])
    store.stories(limit=20)
    store.related(ids[1])
    store._db.set_trace_callback(None)
    reads = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    assert len(reads) > 8 and _full_scans(store._db, reads) == []
    store.close()


def test_an_article_stored_by_another_process_is_related_at_once(tmp_path: Path) -> None:
    rows = [json.loads(line) for line in DEMO.open(encoding="utf-8")]
    calls = [r for r in rows if "eduardo-m-ano" in str(r["id"])]
    first, last = tmp_path / "first.jsonl", tmp_path / "last.jsonl"
    first.write_text("\n".join(json.dumps(r) for r in calls[:-1]), encoding="utf-8")
    last.write_text(json.dumps(calls[-1]), encoding="utf-8")
    reader, writer = SQLiteStore(str(tmp_path / "n.db")), SQLiteStore(str(tmp_path / "n.db"))
    for outcome in brief_sources([str(first)]):
        assert save_outcome(writer, outcome).error is None
    before = {r.brief.article.id for r in reader.related(calls[0]["id"])}
    for outcome in brief_sources([str(last)]):
        assert save_outcome(writer, outcome).error is None
    after = {r.brief.article.id: r.related for r in reader.related(calls[0]["id"])}
    assert calls[-1]["id"] not in before and calls[-1]["id"] in after
    assert after[calls[-1]["id"]].signals["vector"] > 0.5  # the reader's index has its vector
    reader.close()
    writer.close()


@pytest.mark.skipif(not (EVAL / "takeaways-bbc.jsonl").exists(), reason="needs ../shared/eval")
def test_the_scale_bench_runs_at_a_thousand_articles(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "scale.py"), "--sizes", "1000",
         "--store-sizes", "1000", "--backends", "sqlite", "--real", "60",
         "--cache", str(tmp_path / "material.npz"), "--json", str(tmp_path / "scale.json")],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads((tmp_path / "scale.json").read_text(encoding="utf-8"))
    [vectors], [sqlite] = figures["vectors"], figures["stores"]
    assert vectors["size"] == 1000 and vectors["exact"]["related"]["p99"] > 0
    assert sqlite["related"]["p99"] > 0 and sqlite["search total"]["minister"] >= 1
    assert "| 1,000 | sqlite |" in done.stdout
