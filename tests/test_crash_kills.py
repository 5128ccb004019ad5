"""Crash safety: kill -9 of `newsdesk ingest` at random points, on SQLite and PostgreSQL.

The harness is `bench/reliability_kills.py` (it also makes the README's
rows). With ``CI`` set each backend takes 50 kills; otherwise 4. After every
kill the database passes its integrity check and holds only whole articles
(brief, mentions and labels exactly as an uninterrupted run stores them);
re-running then finishes the job and the database equals the uninterrupted
run's (ids, content hashes, mention and label counts).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import reliability_kills as harness

KILLS = 50 if os.environ.get("CI") else 4


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_kill_9_never_corrupts_and_a_rerun_finishes_the_job(
    backend: str, request: pytest.FixtureRequest
) -> None:
    server = request.getfixturevalue("postgres_server") if backend == "postgres" else None
    report = harness.run(backend, KILLS, server=server)
    assert report.reference_articles == harness.ARTICLES
    assert report.problems == []
    assert report.kills == KILLS
    assert report.survived == report.kills
    assert report.reruns >= 1 and report.rerun_failures == 0
