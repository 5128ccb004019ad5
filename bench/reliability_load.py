"""Load while writing: 50 connections against `newsdesk serve` while another process ingests.

    .venv/bin/python bench/reliability_load.py                 # 60 s, 1,000 articles
    .venv/bin/python bench/reliability_load.py --seconds 20 --src /work/main/src

A SQLite database starts with 200 articles (variants of the demo corpus:
each a demo article with its own id, URL and closing sentence); `newsdesk
serve` (one uvicorn worker, as shipped) serves it while `newsdesk ingest`
adds 1,000 more from another process. Three wrk processes share the 50
connections, one per page type, so each type gets its own latency figures:
article pages (20 connections, cycling through the first 200 articles),
home and listing pages (15: ``/``, ``/?page=2``, ``/labels/...``) and search
(15, cycling through 40 queries). Errors are wrk's non-2xx answers plus its
socket errors. ``--src`` serves another checkout's code (for a before/after
on the same machine in one run). Needs Debian's wrk.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
DEMO = [
    REPO / "data" / "demo" / "whitehouse-indopacific.jsonl",
    REPO / "data" / "demo" / "wikinews-2004.jsonl",
]
QUERIES = [
    "Japan", "Philippines", "China", "security", "alliance", "president", "Korea", "trade",
    "Manila", "Tokyo", "defense", "India", "Australia", "cooperation", "summit", "election",
    "Biden", "Indo-Pacific", "minister", "talks", "economic", "Taiwan", "Vietnam", "navy",
    "statement", "climate", "agreement", "military", "visit", "Quad", "people", "meeting",
    "government", "region", "support", "partners", "war", "peace", "energy", "health",
]  # fmt: skip
PAGE_TYPES = {"article": 20, "home": 15, "search": 15}  # connections each


def variants(count: int, offset: int = 0) -> list[dict[str, str]]:
    """`count` distinct articles made from the demo corpus."""
    base = [json.loads(line) for path in DEMO for line in path.read_text("utf-8").splitlines()]
    base = [record for record in base if len(record.get("text", "").split()) >= 40]
    made = []
    for number in range(offset, offset + count):
        record = dict(base[number % len(base)])
        record["id"] = f"load-{number}"
        record["url"] = f"https://load.example/articles/{number}"
        record["text"] = f"{record['text']}\n\nThis is edition {number} of the load corpus."
        made.append(record)
    return made


def write_jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def prepare(folder: Path, existing: int, ingested: int) -> tuple[str, Path, list[str]]:
    """The database (with `existing` articles), the file to ingest, and the stored ids."""
    from newsdesk.pipeline import brief_sources
    from newsdesk.store import open_store

    db = str(folder / "load.db")
    store = open_store(db)
    seed = write_jsonl(folder / "seed.jsonl", variants(existing))
    ids = []
    for outcome in brief_sources([str(seed)]):
        if outcome.brief is not None:
            ids.append(store.save(outcome.brief).article_id)
    labels = [label for label, _ in store.labels()][:4]
    store.close()
    source = write_jsonl(folder / "incoming.jsonl", variants(ingested, offset=existing))
    return db, source, [*ids, *(f"label:{label}" for label in labels)]


def newsdesk(*arguments: str, src: str | None = None, **popen: object) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    command = [sys.executable, "-c", "from newsdesk.cli import main; main()", *arguments]
    return subprocess.Popen(command, env=env, **popen)  # type: ignore[call-overload, no-any-return]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


def paths_for(page_type: str, stored: list[str]) -> list[str]:
    ids = [i for i in stored if not i.startswith("label:")]
    labels = [i.removeprefix("label:") for i in stored if i.startswith("label:")]
    if page_type == "article":
        return [f"/articles/{quote(i, safe='')}" for i in ids]
    if page_type == "home":
        pages = ["/", "/?page=2"] if len(ids) > 20 else ["/"]
        return [*pages, *(f"/labels/{quote(label, safe='')}" for label in labels)]
    return [f"/search?q={quote(q)}" for q in QUERIES]


LUA = """
paths = {%s}
counter = math.random(#paths)
request = function()
  counter = counter %% #paths + 1
  return wrk.format("GET", paths[counter])
end
"""


@dataclass(frozen=True, slots=True)
class Figures:
    requests: int
    errors: int
    p50_ms: float
    p99_ms: float


def milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def parse_wrk(output: str) -> Figures:
    percent = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+(\S+)\s*$", output, re.MULTILINE))
    total = re.search(r"(\d+) requests in", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx[1]) if non_2xx else 0
    errors += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return Figures(
        requests=int(total[1]) if total else 0,
        errors=errors,
        p50_ms=milliseconds(percent["50"]) if "50" in percent else float("nan"),
        p99_ms=milliseconds(percent["99"]) if "99" in percent else float("nan"),
    )


def start_wrk(
    url: str, paths: list[str], connections: int, seconds: int, folder: Path, name: str
) -> subprocess.Popen[str]:
    script = folder / f"{name}.lua"
    script.write_text(LUA % ", ".join(json.dumps(p) for p in paths))
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(script),
        url,
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@dataclass(frozen=True, slots=True)
class LoadResult:
    seconds: int
    ingested: int  # articles the other process stored while the load ran
    stored: int  # articles it stored in all, once it had finished
    ingest_seconds: float  # how long the other process took to store them all
    pages: dict[str, Figures]

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.pages.values())


def run(
    seconds: int = 60, ingest: int = 1000, existing: int = 200, src: str | None = None
) -> LoadResult:
    with tempfile.TemporaryDirectory(prefix="newsdesk-load-") as name:
        folder = Path(name)
        db, source, stored = prepare(folder, existing, ingest)
        port = free_port()
        server = newsdesk(
            "serve", "--db", db, "--port", str(port), src=src, stderr=subprocess.DEVNULL
        )
        try:
            wait_for(port)
            return _drive(f"http://127.0.0.1:{port}", db, source, stored, seconds, src, folder)
        finally:
            server.terminate()
            server.wait(10)


def _drive(
    url: str, db: str, source: Path, stored: list[str], seconds: int, src: str | None, folder: Path
) -> LoadResult:
    from newsdesk.store import open_store

    for page_type in PAGE_TYPES:  # warm up: one request per path
        for path in paths_for(page_type, stored):
            with urllib.request.urlopen(url + path, timeout=30) as answer:
                answer.read()
    before = _count(db, open_store)
    started = time.monotonic()
    writer = newsdesk(
        "ingest",
        "--db",
        db,
        str(source),
        src=src,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    loads = {
        t: start_wrk(url, paths_for(t, stored), c, seconds, folder, t)
        for t, c in PAGE_TYPES.items()
    }
    outputs = {t: process.communicate()[0] for t, process in loads.items()}
    during = _count(db, open_store) - before
    writer.wait(600)  # let it finish: every article must be stored in the end
    ingest_seconds = round(time.monotonic() - started, 1)
    pages = {t: parse_wrk(o) for t, o in outputs.items()}
    return LoadResult(seconds, during, _count(db, open_store) - before, ingest_seconds, pages)


def _count(db: str, open_store: object) -> int:
    store = open_store(db)  # type: ignore[operator]
    try:
        return int(store.count())
    finally:
        store.close()


def table(results: dict[str, LoadResult]) -> str:
    lines = [
        "| code | page type | requests | errors | p50 ms | p99 ms |",
        "|---|---|---|---|---|---|",
    ]
    for label, result in results.items():
        for page_type, f in result.pages.items():
            lines.append(
                f"| {label} | {page_type} | {f.requests:,} | {f.errors} | {f.p50_ms:.1f} | {f.p99_ms:.1f} |"
            )
    return "\n".join(lines)


def ingest_line(result: LoadResult, asked: int) -> str:
    """What the other process did: how many it stored during the load, and when it finished."""
    return (
        f"{result.ingested} of {asked} articles ingested during the {result.seconds} s load; "
        f"{result.stored} stored in all after {result.ingest_seconds} s"
    )


def rows() -> list[dict[str, str]]:
    if not shutil.which("wrk"):
        return [{"check": "load while writing", "tried": "-", "failed": "-", "notes": "needs wrk"}]
    seconds = int(os.environ.get("NEWSDESK_LOAD_SECONDS", "60"))
    result = run(seconds)
    found = []
    for page_type, f in result.pages.items():
        found.append(
            {
                "check": f"load while ingesting: {page_type} pages",
                "tried": f"{f.requests:,} requests",
                "failed": f"{f.errors} errors",
                "notes": f"p50 {f.p50_ms:.1f} ms, p99 {f.p99_ms:.1f} ms; 50 connections for "
                f"{seconds} s in all while another process ingested {result.ingested} articles",
            }
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--ingest", type=int, default=1000)
    parser.add_argument(
        "--src", action="append", default=[], help="another checkout's src/ to compare (repeatable)"
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = {}
    for src in [*args.src, None]:
        label = "this checkout" if src is None else src
        results[label] = run(args.seconds, args.ingest, src=src)
        print(f"{label}: {ingest_line(results[label], args.ingest)}", file=sys.stderr)
    print(table(results))
    if args.json:
        data = {label: asdict(result) for label, result in results.items()}
        args.json.write_text(json.dumps(data, indent=2) + "\n")


if __name__ == "__main__":
    main()
