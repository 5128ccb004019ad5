"""Fixtures shared by the test modules: a store, a local HTTP server, a fetcher."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from http_server import LocalServer
from newsdesk.sources import Fetcher
from newsdesk.store import Store, open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh SQLite store in a temporary file."""
    opened = open_store(str(tmp_path / "news.db"))
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
