"""Crash safety: kill -9 an `ingest` at random points, on SQLite and on PostgreSQL.

    .venv/bin/python bench/reliability_kills.py        # 50 kills per backend

One uninterrupted `newsdesk ingest` of 80 White House articles is the
reference. Then, on a fresh database, `ingest` runs again and again, each
time killed with SIGKILL after a random delay (seeded) between 0.3 s and 85%
of the reference run's duration (start-up included, so some kills land in
start-up and migration, most in analysing and saving); a run that finishes
before its kill does not count as one. After every kill: SQLite's
``PRAGMA integrity_check`` says ok, and every stored article is whole: its
brief is there and parses, its content hash, mentions and labels are
exactly the reference's (nothing half-written). Every tenth kill, after
the last, and whenever a run finished before its kill, an uninterrupted re-run must finish the job: the database then
equals the reference (ids, content hashes, mention and label counts; nothing
lost or duplicated), and a fresh database starts the next round.
PostgreSQL runs when ``NEWSDESK_TEST_PG`` points at a server.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "data" / "demo" / "whitehouse-indopacific.jsonl"
ARTICLES = 80
ROUND = 10  # kills between two checks that a re-run finishes the job

Snapshot = dict[str, tuple[str, int, int]]  # id -> (content hash, mentions, labels)


def corpus(folder: Path, articles: int = ARTICLES) -> Path:
    lines = SOURCE.read_text("utf-8").splitlines()[:articles]
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def ingest_command(db: str, source: Path) -> list[str]:
    script = Path(sys.executable).with_name("newsdesk")
    runner = [str(script)] if script.exists() else [sys.executable, "-m", "newsdesk.cli"]
    return [*runner, "ingest", "--db", db, str(source)]


def ingest(db: str, source: Path) -> float:
    """One uninterrupted run; its duration in seconds."""
    started = time.monotonic()
    subprocess.run(ingest_command(db, source), capture_output=True, check=False, timeout=600)
    return time.monotonic() - started


def killed_ingest(db: str, source: Path, delay: float) -> bool:
    """Start an ingest and SIGKILL it after `delay` s; True when it was still running."""
    process = subprocess.Popen(
        ingest_command(db, source), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        process.wait(delay)
        return False
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        return True


# -- looking inside the database -----------------------------------------------------

QUERY = (
    "SELECT a.id, a.content_hash, a.brief,"
    " (SELECT count(*) FROM mentions m WHERE m.article_id = a.id),"
    " (SELECT count(*) FROM article_labels l WHERE l.article_id = a.id) FROM articles a"
)


def _rows(db: str, sql: str) -> list[tuple[Any, ...]]:
    if db.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(db) as connection:
            return [tuple(row) for row in connection.execute(sql).fetchall()]
    import sqlite3

    connection = sqlite3.connect(db)
    try:
        return [tuple(row) for row in connection.execute(sql).fetchall()]
    finally:
        connection.close()


def snapshot(db: str) -> tuple[Snapshot, list[str]]:
    """What is stored, and every article that is not whole (no brief, or one that disagrees)."""
    stored: Snapshot = {}
    broken: list[str] = []
    for article_id, digest, brief, mentions, labels in _rows(db, QUERY):
        try:
            parsed = json.loads(brief) if isinstance(brief, str) else brief
            whole = len(parsed["entities"]) == mentions and len(parsed["labels"]) == labels
        except (TypeError, ValueError, KeyError):
            whole = False
        if not whole:
            broken.append(f"{article_id}: brief, mentions or labels missing")
        stored[article_id] = (digest, mentions, labels)
    return stored, broken


def integrity(db: str) -> list[str]:
    if db.startswith("postgresql://"):
        return []
    result = [row[0] for row in _rows(db, "PRAGMA integrity_check")]
    return [] if result == ["ok"] else [f"integrity_check: {result}"]


def problems_after_kill(db: str, reference: Snapshot) -> list[str]:
    if not db.startswith("postgresql://") and not Path(db).exists():
        return []  # killed before the database was created
    try:
        stored, broken = snapshot(db)
    except Exception as error:  # a database killed while it was being created has no tables yet
        if "no such table" in str(error) or "does not exist" in str(error):
            return []
        return [f"cannot read the database: {error}"]
    wrong = [f"{i}: differs from the reference" for i, v in stored.items() if reference.get(i) != v]
    return integrity(db) + broken + wrong


# -- databases -------------------------------------------------------------------------


@contextmanager
def postgres_database(server: str) -> Iterator[str]:
    """A URL whose tables live in a fresh schema, dropped afterwards."""
    import psycopg
    from psycopg import sql

    name = f"kills_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    separator = "&" if "?" in server else "?"
    try:
        yield f"{server}{separator}options=-csearch_path%3D{name}"
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


class Databases:
    """Fresh databases of one backend, one after another."""

    def __init__(self, backend: str, folder: Path, server: str | None = None) -> None:
        self.backend = backend
        self.folder = folder
        self.server = server

    @contextmanager
    def fresh(self) -> Iterator[str]:
        if self.backend == "postgres":
            assert self.server
            with postgres_database(self.server) as url:
                yield url
            return
        yield str(self.folder / f"kills-{uuid.uuid4().hex[:8]}.db")


# -- the run ------------------------------------------------------------------------------


@dataclass
class KillReport:
    backend: str
    kills: int = 0  # processes killed while still running
    survived: int = 0  # kills after which the database was whole
    reruns: int = 0  # re-runs that finished the job
    rerun_failures: int = 0
    problems: list[str] = field(default_factory=list)
    reference_articles: int = 0


def run(backend: str, kills: int, *, seed: int = 6, server: str | None = None) -> KillReport:
    with tempfile.TemporaryDirectory(prefix="newsdesk-kills-") as name:
        folder = Path(name)
        source = corpus(folder)
        databases = Databases(backend, folder, server)
        with databases.fresh() as db:
            duration = ingest(db, source)
            reference, broken = snapshot(db)
        report = KillReport(backend, reference_articles=len(reference))
        report.problems += broken
        _kill_rounds(report, databases, source, reference, duration, kills, random.Random(seed))
    return report


def _kill_rounds(
    report: KillReport,
    databases: Databases,
    source: Path,
    reference: Snapshot,
    duration: float,
    kills: int,
    rng: random.Random,
) -> None:
    attempts = 0
    while report.kills < kills and attempts < 3 * kills:
        with databases.fresh() as db:
            in_round = 0
            while in_round < ROUND and report.kills < kills and attempts < 3 * kills:
                attempts += 1
                killed = killed_ingest(db, source, rng.uniform(0.3, 0.85 * duration))
                found = problems_after_kill(db, reference)
                report.problems += found
                if not killed:  # it finished before the kill: check that, then start afresh
                    break
                report.kills += 1
                report.survived += not found
                in_round += 1
            _finish(report, db, source, reference)


def _finish(report: KillReport, db: str, source: Path, reference: Snapshot) -> None:
    ingest(db, source)
    stored, broken = snapshot(db)
    if stored == reference and not broken and not integrity(db):
        report.reruns += 1
    else:
        report.rerun_failures += 1
        missing = len(set(reference) - set(stored))
        report.problems.append(f"re-run: {missing} missing, {len(broken)} broken")


def rows() -> list[dict[str, str]]:
    kills = int(os.environ.get("NEWSDESK_KILLS", "50"))
    backends = [("SQLite", "sqlite", None)]
    server = os.environ.get("NEWSDESK_TEST_PG")
    if server:
        backends.append(("PostgreSQL", "postgres", server))
    found = []
    for label, backend, url in backends:
        report = run(backend, kills, server=url)
        found.append(
            {
                "check": f"kill -9 of ingest ({label})",
                "tried": f"{report.kills} kills",
                "failed": f"{report.kills - report.survived if report.kills else 0} corrupt",
                "notes": f"integrity check and whole articles after every kill; "
                f"{report.reruns} of {report.reruns + report.rerun_failures} re-runs equal an "
                f"uninterrupted run of {report.reference_articles} articles (ids, hashes, "
                f"mentions, labels)",
            }
        )
    if not server:
        found.append({"check": "kill -9 of ingest (PostgreSQL)", "tried": "-", "failed": "-",
                      "notes": "NEWSDESK_TEST_PG not set"})  # fmt: skip
    return found


if __name__ == "__main__":
    for row in rows():
        print(json.dumps(row))
