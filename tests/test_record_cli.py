"""`newsdesk entity`, `relation` and `export-events` through the CLI runner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import make_brief, make_event
from newsdesk.cli import app
from newsdesk.store import open_store


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "record.db")
    store = open_store(path)
    store.save(make_brief("a1", published="2024-02-01",
                          events=(make_event("AGREE", object="=HYPERLINK(\"x\")"),
                                  make_event("PROTEST", actor="PHL", target="JPN", sentence=1))))  # fmt: skip
    store.save(make_brief("a2", published="2024-01-01", url=None, text="Tokyo sent aid. Manila thanked it. Talks went on.",
                          events=(make_event("AID", sentence=0),)))  # fmt: skip
    store.close()
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_relation_json_oldest_first_with_scores_and_trend(db: str) -> None:
    code, out, _ = run("relation", "Philippines", "JPN", "--json", "--db", db)
    data = json.loads(out)
    assert code == 0
    assert [(e["article"], e["action"], e["score"]) for e in data["events"]] == [
        ("a2", "AID", 10.0), ("a1", "AGREE", 2.5), ("a1", "PROTEST", -5.0)]  # fmt: skip
    assert [(t["period"], t["events"], t["score"]) for t in data["trend"]] == [
        ("2024-01", 1, 10.0), ("2024-02", 2, -1.25)]  # fmt: skip


def test_entity_json_by_name_alias_or_code(db: str) -> None:
    for name in ("Japan", "japan", "JPN", "Nippon"):
        code, out, _ = run("entity", name, "--json", "--db", db)
        data = json.loads(out)
        assert code == 0, name
        assert (data["name"], data["kind"], data["country"]) == ("Japan", "country", "JPN")
        assert {a["id"] for a in data["articles"]} == {"a1", "a2"}
        assert len(data["events"]) == 3


def test_unknown_names_fail_with_a_message(db: str) -> None:
    assert run("entity", "Atlantis", "--db", db)[0] == 1
    code, _, err = run("relation", "JPN", "Narnia", "--db", db)
    assert code == 1 and "Narnia: not a country newsdesk knows" in err


def test_export_events_csv_and_jsonl(db: str) -> None:
    code, out, _ = run("export-events", "--format", "csv", "--db", db)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 3
    assert rows[0]["date"] == "2024-01-01" and rows[0]["category"] == "AID"
    assert rows[1]["object"].startswith("'=")  # never a formula in a spreadsheet
    assert rows[2]["score"] == "-5.0" and rows[2]["actor_country"] == "PHL"
    code, out, _ = run("export-events", "--format", "jsonl", "--db", db)
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["article_id"] for line in lines] == ["a2", "a1", "a1"]
    assert lines[1]["text"] == "Japan and the Philippines signed a pact."
    assert run("export-events", "--format", "xml", "--db", db)[0] == 2
