"""Ingest spread over workers, and the cost of scheduling many feeds, on this machine.

    .venv/bin/python bench/workers.py --db postgresql://.../bench [--feeds 200] [--entries 5]

A loopback HTTP server plays `--feeds` RSS feeds of `--entries` full entries
each, the texts taken from the White House demo corpus (realistic sizes:
median ~700 words; the few shorter than a teaser left out, since their pages
would be fetched) with a number changed in each copy so that no two are the
same article. For 1, 2 and 4 `newsdesk worker` processes on a fresh schema
of the PostgreSQL database, it times the subscribe-to-stored run (wall time
until every article is stored), and beside them the one-process pollers a
laptop user would run: `newsdesk poll --once` on SQLite and on PostgreSQL.
Beside each wall time, the CPU the newsdesk processes used per stored article
(the database server's not included): when it stays flat from 1 to 4 workers,
the work does not grow with contention, and a wall time that does not shrink
means waiting (or other load on the machine), not more work.

Then the scheduling overhead at `--many` subscriptions: claiming every due
feed (`Store.claim_due`); the worker's scheduling ticks, which claim the due
feeds and defer their polls into the queue in one batch per claim (at
10,000 feeds 1.5 s, where one round trip per poll took 10.5 s); and listing them (`Store.subscriptions`, what the sources page and `feeds list`
read), on both backends.

Prints a Markdown table; `--json PATH` writes the figures too.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
from psycopg import sql

from newsdesk.jobs.poll import iso
from newsdesk.jobs.queue import connected, defer_due_feeds, install_queue
from newsdesk.sources.feeds import FULL_CONTENT_CHARS
from newsdesk.store import open_store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "demo" / "whitehouse-indopacific.jsonl"
NEWSDESK = str(Path(sys.executable).with_name("newsdesk"))


def feed_bodies(feeds: int, entries: int) -> dict[str, bytes]:
    texts = [json.loads(line) for line in CORPUS.open(encoding="utf-8")]
    texts = [t for t in texts if len(t["text"]) >= FULL_CONTENT_CHARS]  # shorter is a teaser
    bodies = {}
    for f in range(feeds):
        items = []
        for e in range(entries):
            source = texts[(f * entries + e) % len(texts)]
            body = f"{source['text']}\n\nReference {f}-{e}."  # a copy is another article
            items.append(
                f"<item><title>{escape(source['title'])}</title>"
                f"<link>https://wire.example/{f}/{e}</link><guid>urn:{f}:{e}</guid>"
                f"<description>{escape(body)}</description></item>"
            )
        bodies[f"/feed-{f}.xml"] = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire '
            f"{f}</title><link>https://wire.example/</link><ttl>60</ttl>{''.join(items)}"
            "</channel></rss>"
        ).encode()
    return bodies


@contextmanager
def feed_server(bodies: dict[str, bytes]) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            body = bodies.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


@contextmanager
def fresh_schema(server: str) -> Iterator[str]:
    name = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    separator = "&" if "?" in server else "?"
    try:
        yield f"{server}{separator}options=-csearch_path%3D{name}"
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


def subscribe(location: str, urls: list[str]) -> None:
    store = open_store(location)
    try:
        for url in urls:
            store.subscribe(url)
    finally:
        store.close()


def stored(location: str) -> int:
    store = open_store(location)
    try:
        return store.count()
    finally:
        store.close()


def settled(location: str, feeds: int) -> bool:
    """Every feed polled once and no poll or ingest job left to do."""
    with psycopg.connect(location) as db:
        if db.execute("SELECT to_regclass('procrastinate_jobs')").fetchone() == (None,):
            return False  # no worker has started yet
        [(polled, pending)] = db.execute(
            "SELECT count(*) FILTER (WHERE task_name = 'newsdesk.poll_feed'"
            " AND status = 'succeeded'), count(*) FILTER (WHERE status IN ('todo', 'doing')"
            " AND task_name IN ('newsdesk.poll_feed', 'newsdesk.ingest_entry'))"
            " FROM procrastinate_jobs"
        ).fetchall()
    return polled >= feeds and pending == 0


def time_workers(location: str, workers: int, feeds: int) -> tuple[float, float]:
    """Wall seconds from starting `workers` worker processes until every feed is
    ingested, and the CPU seconds those processes used."""
    command = [NEWSDESK, "worker", "--db", location, "--allow-private"]
    cpu, start = children_cpu(), time.perf_counter()
    running = [subprocess.Popen(command, stderr=subprocess.DEVNULL) for _ in range(workers)]
    try:
        while not settled(location, feeds):
            time.sleep(0.1)
        wall = time.perf_counter() - start
    finally:
        for process in running:
            process.terminate()
        for process in running:
            process.wait(timeout=30)
    return wall, children_cpu() - cpu


def time_poll_once(location: str) -> tuple[float, float]:
    cpu, start = children_cpu(), time.perf_counter()
    subprocess.run([NEWSDESK, "poll", "--once", "--db", location], check=False,
                   stderr=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - start, children_cpu() - cpu


def children_cpu() -> float:
    """CPU seconds (user + system) of the child processes that have ended."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def scheduling(location: str, many: int, *, queue: bool) -> dict[str, float]:
    """Seconds to list, to claim every due feed, and (PostgreSQL) to defer a poll job each."""
    store = open_store(location)
    try:
        for n in range(many):
            store.subscribe(f"https://feeds{n % 97}.example/{n}.xml")
        start = time.perf_counter()
        store.subscriptions()
        listing = time.perf_counter() - start
        start = time.perf_counter()
        now = iso(datetime.now(UTC))
        while store.claim_due(now=now, until="9999", limit=200):
            pass
        claiming = time.perf_counter() - start
    finally:
        store.close()
    result = {"list": listing, "claim": claiming}
    if queue:
        result["schedule"] = asyncio.run(_schedule_all(location))
    return result


async def _schedule_all(location: str) -> float:
    """Seconds for the worker's scheduling ticks to claim every feed and defer its poll."""
    with psycopg.connect(location, autocommit=True) as db:  # every feed due again
        db.execute("UPDATE subscriptions SET next_fetch = '1970-01-01T00:00:00+00:00'")
    store = open_store(location)
    try:
        with connected(location) as app:
            async with app.open_async():
                await install_queue(app)
                start = time.perf_counter()
                while await defer_due_feeds(store, datetime.now(UTC)):
                    pass
                return time.perf_counter() - start
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="postgresql:// URL of a scratch database")
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=5)
    parser.add_argument("--many", type=int, default=10_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    expected = args.feeds * args.entries
    figures: dict[str, object] = {"feeds": args.feeds, "articles": expected}
    with feed_server(feed_bodies(args.feeds, args.entries)) as base:
        urls = [f"{base}/feed-{f}.xml" for f in range(args.feeds)]
        for workers in (1, 2, 4):
            with fresh_schema(args.db) as location:
                subscribe(location, urls)
                wall, cpu = time_workers(location, workers, args.feeds)
                figures[f"workers_{workers}"], figures[f"cpu_{workers}"] = wall, cpu
                figures[f"stored_{workers}"] = stored(location)
        with tempfile.TemporaryDirectory() as folder:
            location = str(Path(folder) / "bench.db")
            subscribe(location, urls)
            figures["poll_once_sqlite"], figures["cpu_sqlite"] = time_poll_once(location)
            figures["stored_sqlite"] = stored(location)
        with fresh_schema(args.db) as location:
            subscribe(location, urls)
            figures["poll_once_postgres"], figures["cpu_postgres"] = time_poll_once(location)
            figures["stored_postgres"] = stored(location)
    with fresh_schema(args.db) as location:
        figures["schedule_postgres"] = scheduling(location, args.many, queue=True)
    with tempfile.TemporaryDirectory() as folder:
        figures["schedule_sqlite"] = scheduling(str(Path(folder) / "s.db"), args.many, queue=False)
    print(table(figures, args.many))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


def table(figures: dict[str, object], many: int) -> str:
    one = float(figures["workers_1"])  # type: ignore[arg-type]
    rows = ["| ingest of the feeds | stored | seconds | articles/s | vs 1 worker"
            " | CPU ms per article |", "|---|---|---|---|---|---|"]  # fmt: skip
    runs = [(f"newsdesk worker x{w} (PostgreSQL)", f"workers_{w}", f"stored_{w}", f"cpu_{w}")
            for w in (1, 2, 4)]  # fmt: skip
    runs += [("newsdesk poll --once (SQLite)", "poll_once_sqlite", "stored_sqlite", "cpu_sqlite"),
             ("newsdesk poll --once (PostgreSQL)", "poll_once_postgres", "stored_postgres",
              "cpu_postgres")]  # fmt: skip
    for name, key, count, cpu in runs:
        seconds = float(figures[key])  # type: ignore[arg-type]
        articles = int(figures[count])  # type: ignore[call-overload]
        per_article = 1000 * float(figures[cpu]) / max(articles, 1)  # type: ignore[arg-type]
        rows.append(f"| {name} | {articles} | {seconds:.1f} | {articles / seconds:.1f} |"
                    f" {one / seconds:.2f}x | {per_article:.0f} |")  # fmt: skip
    rows += ["", f"| scheduling {many:,} feeds | list | claim all | claim and defer each poll"
             " (the worker's ticks) |", "|---|---|---|---|"]  # fmt: skip
    for backend in ("postgres", "sqlite"):
        part: dict[str, float] = figures[f"schedule_{backend}"]  # type: ignore[assignment]
        ticks = f"{part['schedule']:.2f} s" if "schedule" in part else "(no queue)"
        rows.append(f"| {backend} | {part['list']:.2f} s | {part['claim']:.2f} s | {ticks} |")
    return "\n".join(rows)


if __name__ == "__main__":
    main()
