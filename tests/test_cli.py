"""The command line through its runner: output formats, exit codes, idempotent ingest."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.store import open_store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "demo" / "quasi-alliance-page.txt"
WIKINEWS = ROOT / "data" / "demo" / "wikinews-2004.jsonl"
PATROLS = (
    "Japan and the Philippines agreed to expand joint patrols in the South China Sea. "
    "The two governments will meet again next month in Manila. Officials said talks went well."
)


def run(*args: str, stdin: str | None = None) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return result.exit_code, lines, result.stderr


def write_jsonl(path: Path, *rows: object) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


def test_sample_page_brief_as_json() -> None:
    code, [brief], _ = run("brief", "--json", str(SAMPLE))
    assert code == 0
    assert brief["title"].startswith("Tokyo’s Manila Gambit")
    assert len(brief["takeaways"]) == 5
    assert all(t["sentences"] for t in brief["takeaways"])
    for takeaway in brief["takeaways"]:
        cited = " ".join(brief["sentences"][i] for i in takeaway["sentences"])
        assert takeaway["text"] in cited or cited in takeaway["text"]
    assert brief["dek"]
    countries = {e["country"] for e in brief["entities"] if e["kind"] == "country"}
    assert {"JPN", "PHL", "USA", "CHN"} <= countries


def test_sample_page_brief_as_markdown_in_page_order() -> None:
    result = CliRunner().invoke(app, ["brief", str(SAMPLE)])
    assert result.exit_code == 0
    text = result.stdout
    order = ["# Tokyo’s Manila Gambit", "## Key Takeaways", "1. ", "5. ", "## Editor's Desk",
             "**Labels:**", "## Article\n\nThe diplomatic landscape"]  # fmt: skip
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_jsonl_ids_kept_in_order_and_takeaways_capped(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "two.jsonl",
        {"id": "first-42", "title": "Ministers meet", "text": SAMPLE.read_text()},
        {"id": "second-7", "text": PATROLS},
    )
    code, briefs, _ = run("brief", "--json", "--takeaways", "3", str(path))
    assert code == 0
    assert [b["id"] for b in briefs] == ["first-42", "second-7"]
    assert all(1 <= len(b["takeaways"]) <= 3 for b in briefs)


def test_standard_input_is_a_source() -> None:
    code, [brief], _ = run("brief", "--json", "-", stdin="Patrols expand\n\n" + PATROLS)
    assert code == 0
    assert brief["title"] == "Patrols expand"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "bad.jsonl",
            '{"id": "ok", "text": "Fine text here. More of it."}\nnot json\n',
            "not JSON",
        ),
        ("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00binary", "binary"),
        ("latin.txt", "Caf\xe9 news\n\nThe caf\xe9 opened.".encode("latin-1"), "UTF-8"),
        ("empty.txt", "", "empty"),
        ("short.txt", "Headline\n\nToo short to brief.", "too little text"),
    ],
)
def test_bad_input_is_named_and_the_batch_goes_on(
    tmp_path: Path, name: str, content: str | bytes, reason: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content if isinstance(content, bytes) else content.encode())
    good = tmp_path / "good.txt"
    good.write_text("Patrols expand\n\n" + PATROLS)
    code, briefs, stderr = run("brief", "--json", str(bad), str(good))
    assert code == 1
    assert briefs[-1]["title"] == "Patrols expand"
    assert name in stderr and reason.lower() in stderr.lower()


def test_missing_file_is_named(tmp_path: Path) -> None:
    code, _, stderr = run("brief", str(tmp_path / "nowhere.html"))
    assert code == 1
    assert "nowhere.html" in stderr


def test_usage_errors_exit_2() -> None:
    assert run("brief", "--takeaways", "0", str(SAMPLE))[0] == 2
    assert run("brief")[0] == 2
    assert run("frobnicate")[0] == 2


def count_articles(db: Path) -> int:
    return sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]


def test_demo_corpus_ingests_without_a_failure_and_idempotently(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    code, _, stderr = run("ingest", "--db", str(db), str(SAMPLE), str(WIKINEWS))
    assert (code, "error" in stderr) == (0, False), stderr
    assert count_articles(db) == 45  # the sample and the 44 Wikinews articles
    code, _, stderr = run("ingest", "--db", str(db), str(SAMPLE), str(WIKINEWS))
    assert code == 0 and "45 unchanged" in stderr
    assert count_articles(db) == 45


def test_interrupted_ingest_finishes_without_duplicates(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    rows = WIKINEWS.read_text().splitlines()
    whole = write_jsonl(tmp_path / "whole.jsonl", *rows)
    first_part = write_jsonl(tmp_path / "part.jsonl", *rows[:20])
    assert run("ingest", "--db", str(db), str(first_part))[0] == 0
    assert run("ingest", "--db", str(db), str(whole))[0] == 0
    assert count_articles(db) == len(rows) == 44


def test_ingest_reads_db_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("NEWSDESK_DB", str(db))
    assert run("ingest", str(SAMPLE))[0] == 0
    assert count_articles(db) == 1


def test_ingest_reads_db_from_the_settings_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSDESK_DB", raising=False)
    (tmp_path / "newsdesk.toml").write_text('db = "from-file.db"\n')
    assert run("ingest", str(SAMPLE))[0] == 0
    assert count_articles(tmp_path / "from-file.db") == 1


def test_ingest_into_postgres_is_idempotent(postgres_url: str) -> None:
    assert run("ingest", "--db", postgres_url, str(SAMPLE))[0] == 0
    code, _, stderr = run("ingest", "--db", postgres_url, str(SAMPLE))
    assert code == 0
    assert "1 unchanged" in stderr
    store = open_store(postgres_url)
    assert store.count() == 1
    assert store.search("Philippines")
    store.close()


def test_alt_text_is_never_empty_even_without_title_or_image(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "u.jsonl", {"id": "u", "text": PATROLS})
    code, [brief], _ = run("brief", "--json", str(path))
    assert code == 0
    assert brief["image"]["url"] is None
    assert brief["image"]["alt"].startswith("Japan and the Philippines agreed")
