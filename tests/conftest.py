"""Fixtures shared by the test modules: a store, a local HTTP server, a fetcher.

The `store` fixture runs each test on SQLite and on PostgreSQL. PostgreSQL
needs a server: `export NEWSDESK_TEST_PG="$(.ci/postgres.sh)"` starts one.
Without it the PostgreSQL runs are skipped, except under CI, where they fail.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

sys.path.insert(0, str(Path(__file__).parent))

from http_server import LocalServer
from newsdesk.sources import Fetcher
from newsdesk.store import Store, open_store


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The URL of the PostgreSQL database the tests may fill (NEWSDESK_TEST_PG)."""
    url = os.environ.get("NEWSDESK_TEST_PG")
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail("NEWSDESK_TEST_PG is not set: CI must test PostgreSQL (see .ci/postgres.sh)")
    pytest.skip("NEWSDESK_TEST_PG is not set: start a server with .ci/postgres.sh")


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A URL whose tables live in a fresh schema of their own, dropped after the test."""
    name = f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    separator = "&" if "?" in postgres_server else "?"
    yield f"{postgres_server}{separator}options=-csearch_path%3D{name}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


@pytest.fixture(params=["sqlite", "postgres"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a fresh, empty store opens: a temporary SQLite file or a PostgreSQL schema."""
    if request.param == "sqlite":
        return str(tmp_path / "news.db")
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    """A fresh store, once on SQLite and once on PostgreSQL."""
    opened = open_store(store_location)
    yield opened
    opened.close()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A real HTTP server on 127.0.0.1 whose routes a test adds."""
    with LocalServer() as running:
        yield running


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(timeout=2) as shared:
        yield shared
