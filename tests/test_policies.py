"""A policy named in an article, from ingest to the record: CLI, entity pages, export.

The text goes through the real pipeline (ingest via the CLI runner) into the store
fixture (SQLite, and PostgreSQL where NEWSDESK_TEST_PG is set).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.config import Settings
from newsdesk.store import open_store
from newsdesk.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TEXT = (
    "Japanese Prime Minister Fumio Kishida revived the Abe Doctrine on Monday. "
    "Tokyo will widen its Official Security Assistance to the Philippines. "
    "Japan and the Philippines signed the Reciprocal Access Agreement in Manila."
)


def ingest(location: str, tmp_path: Path) -> None:
    source = tmp_path / "policy.jsonl"
    source.write_text(json.dumps({"id": "p1", "title": "Tokyo's doctrine", "text": TEXT}) + "\n")
    result = CliRunner().invoke(app, ["ingest", str(source), "--db", location])
    assert result.exit_code == 0, result.stderr


def test_newsdesk_entity_shows_a_policy(store_location: str, tmp_path: Path) -> None:
    ingest(store_location, tmp_path)
    result = CliRunner().invoke(app, ["entity", "Abe Doctrine", "--json", "--db", store_location])
    data = json.loads(result.stdout)
    assert result.exit_code == 0
    assert (data["name"], data["kind"], data["country"]) == ("Abe Doctrine", "policy", "JPN")
    assert [a["id"] for a in data["articles"]] == ["p1"]


def test_entity_pages_list_policies_apart_from_agreements(
    store_location: str, tmp_path: Path
) -> None:
    ingest(store_location, tmp_path)
    store = open_store(store_location)
    try:
        client = TestClient(create_app(store, Settings(image_policy="none")))
        index = client.get("/entities").text
        agreements, policies = index.split("Policies and programmes")
        assert "Abe Doctrine" in policies and "Official Security Assistance" in policies
        assert "Reciprocal Access Agreement" in agreements.split("Agreements")[1]
        page = client.get("/entities/policy/Abe%20Doctrine")
        assert page.status_code == 200
        assert "Policies and programmes" in page.text
        assert client.get("/api/entities/policy/Abe%20Doctrine").json()["kind"] == "policy"
    finally:
        store.close()


def test_export_writes_policy_pages(tmp_path: Path) -> None:
    location = str(tmp_path / "news.db")
    ingest(location, tmp_path)
    site = tmp_path / "site"
    result = CliRunner().invoke(app, ["export", str(site), "--db", location])
    assert result.exit_code == 0, result.stderr
    pages = {p.parent.name for p in (site / "entities" / "policy").rglob("index.html")}
    assert any(name.startswith("Abe-Doctrine") or name == "Abe Doctrine" for name in pages)
