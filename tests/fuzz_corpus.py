"""A seeded corpus of malformed and adversarial input files, the same for every seed and count.

    for case in corpus(seed=6, count=10_000): case.name, case.data

Every case is a file a user might hand `newsdesk brief` or `ingest`: well-formed
documents of each kind (RSS, Atom, JSON Feed, OPML, HTML, Markdown, text, JSON,
JSONL) truncated, mis-encoded, re-encoded as UTF-16 without a BOM, sprinkled
with NUL bytes, nested thousands deep, stretched into huge lines, given absurd
dates, bad URLs, lone surrogates and wrongly typed fields, or flipped byte by
byte. No case makes newsdesk reach the network: every URL in them points at
127.0.0.1 port 9, or is not a URL at all, and while they run no name but
loopback resolves.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import re
import shutil
import socket
import sqlite3
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import Result
from typer.testing import CliRunner

PATROLS = (
    "Japan and the Philippines agreed to expand joint patrols in the South China Sea. "
    "The two governments will meet again next month in Manila. Officials said talks went well."
)
GOOD_ID = "fuzz-good-article"
GOOD_TEXT = (  # no case holds this text, so storing it is never deduplicated away
    "Vietnam and Australia opened a maritime training centre in Da Nang on Tuesday. "
    "Both navies will send instructors there from next year. Officials called it a milestone."
)
NOWHERE = "http://127.0.0.1:9"  # the discard port: a connection there is refused at once

ABSURD_DATES = [
    "0000-01-01T00:00:00Z", "-001-01-01", "99999-12-31", "Mon, 01 Jan -001 00:00:00 GMT",
    "Fri, 31 Dec 99999 23:59:59 +9999", "2024-13-45", "2024-02-30T25:61:61Z", "1e400",
    "9" * 400, "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "NaN", "", " ",
    "Sat, 01 Jan 0001 00:00:00 +0100", "yesterday", "2024-01-01T00:00:00+99:99",
]  # fmt: skip
BAD_URLS = [
    f"{NOWHERE}:99999/x", "http://127.0.0.1:abc/x", "http://[::1", "http://[zz]/", "http://",
    "https://:0/", "javascript:alert(1)", "http://127.0.0.1:-1/", "ftp://127.0.0.1:9/x",
    "http://\udcff/", "http://%zz/", "http:///x", "//127.0.0.1:9/x", "http://[::1]:99999/",
    "http://a b/", "\x00http://127.0.0.1:9/", "http://127.0.0.1:9/" + "a" * 5000,
    "http://user:pass@[v1.x]/",
]  # fmt: skip
LONE_SURROGATES = ["\ud800", "\udfff", "\udbff\u0041", "a\udc80b"]
STRANGE_VALUES: list[object] = [
    None, 0, -1, 1.5, 1e308, True, [], {}, [[[[["x"]]]]], {"name": {"name": "n"}},
    "\ud800", "\udc00\ud800", "\x00\x01\x02", "\u202e\u200b", "x" * 10_000, [None], [1, 2],
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Case:
    name: str  # a file name whose suffix says the kind newsdesk will read it as
    data: bytes
    kind: str  # the mutation: "truncated", "utf16", ...


def _rss(rng: random.Random) -> str:
    items = "".join(
        f"<item><title>Item {n}</title><link>{NOWHERE}/{n}</link>"
        f"<pubDate>{rng.choice(['Mon, 02 Jan 2025 10:00:00 GMT', *ABSURD_DATES])}</pubDate>"
        f"<description><![CDATA[<p>{PATROLS * 6}</p>]]></description></item>"
        for n in range(rng.randint(1, 3))
    )
    return (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>C</title>{items}</channel></rss>"
    )


def _atom(rng: random.Random) -> str:
    entries = "".join(
        f"<entry><title>E{n}</title><id>urn:e{n}</id><link href='{NOWHERE}/e{n}'/>"
        f"<updated>{rng.choice(['2025-01-02T10:00:00Z', *ABSURD_DATES])}</updated>"
        f"<content type='html'>&lt;p&gt;{PATROLS * 6}&lt;/p&gt;</content></entry>"
        for n in range(rng.randint(1, 3))
    )
    return f"<feed xmlns='http://www.w3.org/2005/Atom'><title>A</title>{entries}</feed>"


def _json_feed(rng: random.Random) -> str:
    items = [
        {"id": str(n), "url": rng.choice([f"{NOWHERE}/j{n}", *BAD_URLS]),
         "content_text": PATROLS * 6, "date_published": rng.choice(ABSURD_DATES)}
        for n in range(rng.randint(1, 3))
    ]  # fmt: skip
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": items})


def _opml(rng: random.Random) -> str:
    outlines = "".join(
        f'<outline text="f" xmlUrl="{_xml_attribute(rng.choice(BAD_URLS))}"/>' for _ in range(3)
    )
    return f'<opml version="2.0"><head/><body>{outlines}</body></opml>'


def _xml_attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _html(rng: random.Random) -> str:
    paragraphs = "".join(f"<p>{PATROLS}</p>" for _ in range(rng.randint(1, 4)))
    return (
        f"<!doctype html><html><head><title>Page</title>"
        f"<meta property='article:published_time' content='{rng.choice(ABSURD_DATES)}'>"
        f"<link rel='canonical' href='{_xml_attribute(rng.choice(BAD_URLS))}'></head>"
        f"<body><article><h1>Headline</h1>{paragraphs}</article></body></html>"
    )


def _markdown(rng: random.Random) -> str:
    return f"# Headline\n\n{PATROLS}\n\n> {PATROLS}\n\n* one\n* two\n\n![img]({rng.choice(BAD_URLS)})\n"


def _text(rng: random.Random) -> str:
    return f"Headline\n\n{PATROLS}\n\n{PATROLS}\n"


def _record(rng: random.Random) -> dict[str, object]:
    record: dict[str, object] = {"id": f"r{rng.randrange(10**9)}", "title": "T", "text": PATROLS}
    for _ in range(rng.randint(1, 3)):
        field = rng.choice(["id", "url", "title", "text", "html", "published", "author", "image"])
        record[field] = rng.choice(
            [rng.choice(STRANGE_VALUES), rng.choice(BAD_URLS), rng.choice(ABSURD_DATES)]
        )
    return record


def _json(rng: random.Random) -> str:
    return json.dumps([_record(rng) for _ in range(rng.randint(1, 3))])


def _jsonl(rng: random.Random) -> str:
    return "\n".join(json.dumps(_record(rng)) for _ in range(rng.randint(1, 4))) + "\n"


BASES: dict[str, Callable[[random.Random], str]] = {
    ".rss": _rss, ".atom": _atom, ".json": _json_feed, ".opml": _opml, ".html": _html,
    ".md": _markdown, ".txt": _text, ".jsonl": _jsonl,
}  # fmt: skip
RECORDS = {".json": _json, ".jsonl": _jsonl}


def _base(rng: random.Random) -> tuple[str, str]:
    suffix = rng.choice([*BASES, ".json", ".jsonl"])
    make = RECORDS[suffix] if suffix in RECORDS and rng.random() < 0.6 else BASES[suffix]
    return suffix, make(rng)


# -- mutations: each returns (suffix, bytes)


def truncated(rng: random.Random) -> tuple[str, bytes]:
    suffix, text = _base(rng)
    data = text.encode("utf-8", "surrogatepass")
    return suffix, data[: rng.randrange(1, max(2, len(data)))]


def mis_encoded(rng: random.Random) -> tuple[str, bytes]:
    suffix, text = _base(rng)
    text = text.replace("Manila", rng.choice(["Manilà", "Maníla", "マニラ", "Мани́ла", "Man€la"]))
    encoding = rng.choice(["latin-1", "cp1252", "shift_jis", "koi8-r", "utf-8"])
    data = text.encode(encoding, "replace")
    if encoding == "utf-8":  # a valid file with one bad byte somewhere
        at = rng.randrange(len(data))
        data = data[:at] + bytes([rng.choice([0x80, 0xC3, 0xFF, 0xED])]) + data[at:]
    return suffix, data


def utf16_without_bom(rng: random.Random) -> tuple[str, bytes]:
    suffix, text = _base(rng)
    return suffix, text.encode(rng.choice(["utf-16-le", "utf-16-be"]), "surrogatepass")


def nul_bytes(rng: random.Random) -> tuple[str, bytes]:
    suffix, text = _base(rng)
    data = bytearray(text.encode("utf-8", "surrogatepass"))
    for _ in range(rng.randint(1, 5)):
        data.insert(rng.randrange(len(data) + 1), 0)
    return suffix, bytes(data)


def deeply_nested(rng: random.Random) -> tuple[str, bytes]:
    depth = rng.choice([300, 1_000, 5_000, 50_000])
    shapes = {
        ".json": lambda: "[" * depth + "]" * depth,
        ".jsonl": lambda: '{"text": ' + '{"a": ' * depth + "1" + "}" * depth + "}\n",
        ".html": lambda: "<html><body>" + "<div>" * depth + PATROLS + "</div>" * depth,
        ".rss": lambda: "<rss version='2.0'><channel>" + "<x>" * depth + "</x>" * depth,
        ".opml": lambda: "<opml><body>" + "<outline>" * depth + "</outline>" * depth,
        ".md": lambda: "# T\n\n" + ">" * depth + " " + PATROLS + "\n",
        ".txt": lambda: "T\n\n" + "(" * depth + PATROLS + ")" * depth,
    }
    suffix = rng.choice(list(shapes))
    return suffix, shapes[suffix]().encode()


def huge_line(rng: random.Random) -> tuple[str, bytes]:
    size = rng.choice([300_000, 300_000, 1_000_000, 5_100_000])
    word = rng.choice(["word ", "x", "Japan ", "<b>", "\\u0041", "é"])
    line = (word * (size // len(word) + 1))[:size]
    shapes = {
        ".jsonl": lambda: json.dumps({"id": "h", "text": line}) + "\n",
        ".txt": lambda: "Headline\n\n" + line,
        ".html": lambda: f"<html><body><p>{line}</p></body></html>",
        ".md": lambda: "# H\n\n" + line,
    }
    suffix = rng.choice(list(shapes))
    return suffix, shapes[suffix]().encode()


def absurd_fields(rng: random.Random) -> tuple[str, bytes]:
    suffix = rng.choice([".json", ".jsonl", ".rss", ".atom", ".html", ".opml"])
    make = RECORDS.get(suffix) or BASES[suffix]
    return suffix, make(rng).encode("utf-8", "surrogatepass")


def escaped_surrogates(rng: random.Random) -> tuple[str, bytes]:
    record = _record(rng)
    field = rng.choice(["title", "text", "id", "author", "url"])
    record[field] = rng.choice(LONE_SURROGATES) + " " + PATROLS
    suffix = rng.choice([".json", ".jsonl"])
    return suffix, (json.dumps(record) + "\n").encode()


def flipped_bytes(rng: random.Random) -> tuple[str, bytes]:
    suffix, text = _base(rng)
    data = bytearray(text.encode("utf-8", "surrogatepass"))
    for _ in range(rng.randint(1, 20)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return suffix, bytes(data)


def wrong_suffix(rng: random.Random) -> tuple[str, bytes]:
    _, text = _base(rng)
    return rng.choice(list(BASES)), text.encode("utf-8", "surrogatepass")


def random_bytes(rng: random.Random) -> tuple[str, bytes]:
    size = rng.choice([1, 2, 16, 200, 4096])
    return rng.choice(list(BASES)), bytes(rng.randrange(256) for _ in range(size))


MUTATIONS: dict[str, tuple[Callable[[random.Random], tuple[str, bytes]], float]] = {
    # name: (mutation, weight); huge lines are few because each costs a second
    "truncated": (truncated, 20),
    "mis-encoded": (mis_encoded, 10),
    "utf16": (utf16_without_bom, 6),
    "nul": (nul_bytes, 8),
    "nested": (deeply_nested, 6),
    "huge-line": (huge_line, 0.3),
    "absurd-fields": (absurd_fields, 20),
    "surrogates": (escaped_surrogates, 8),
    "flipped": (flipped_bytes, 12),
    "wrong-suffix": (wrong_suffix, 5),
    "random-bytes": (random_bytes, 4),
}


def corpus(*, seed: int = 6, count: int = 10_000, start: int = 0) -> Iterator[Case]:
    """Cases `start` to `count`, the same ones for the same seed (each its own `Random`)."""
    names = list(MUTATIONS)
    weights = [MUTATIONS[name][1] for name in names]
    for index in range(start, count):
        rng = random.Random(f"{seed}:{index}")
        kind = rng.choices(names, weights)[0]
        suffix, data = MUTATIONS[kind][0](rng)
        yield Case(f"c{index:05d}-{kind}{suffix}", data, kind)


# -- feeding the corpus through the command line


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What one batch of cases and the good article after them did to `brief` and `ingest`."""

    tried: int
    crashes: tuple[str, ...]  # a traceback, an exit code other than 0 or 1, a silent drop
    good_briefed: bool
    good_stored: bool
    seconds: float

    @property
    def ok(self) -> bool:
        return not self.crashes and self.good_briefed and self.good_stored


_LINE = re.compile(r"newsdesk: (?:(?:error|warning): \S.*: \S.*|\d+ items: .*)")
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def run_batch(cases: list[Case], folder: Path) -> BatchResult:
    """Write the cases and a good article into `folder`, then `brief` and `ingest` them all."""
    started = time.monotonic()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for case in cases:
        (folder / case.name).write_bytes(case.data)
        paths.append(str(folder / case.name))
    good = folder / "zz-good.jsonl"
    good.write_text(
        json.dumps({"id": GOOD_ID, "title": "Training centre", "text": GOOD_TEXT}) + "\n"
    )
    db = folder / "fuzz.db"
    with _offline():
        briefed = _invoke(["brief", "--json", *paths, str(good)])
        stored = _invoke(["ingest", "--db", str(db), *paths, str(good)])
    origins = [brief.get("source", {}).get("origin", "") for brief in _briefs(briefed.stdout)]
    crashes = _crashes("brief", briefed, paths, origins) + _crashes(
        "ingest", stored, paths, origins
    )
    return BatchResult(
        tried=len(cases),
        crashes=tuple(crashes),
        good_briefed=_last_id(briefed.stdout) == GOOD_ID,
        good_stored=_stored(db, GOOD_ID),
        seconds=time.monotonic() - started,
    )


def _invoke(args: list[str]) -> Result:
    from newsdesk.cli import app

    return CliRunner().invoke(app, args)


@contextmanager
def _offline() -> Iterator[None]:
    """No name but loopback resolves: a URL a mutation bent never reaches the network.

    The one stand-in of the suite, at its true outer boundary (the resolver).
    """
    real = socket.getaddrinfo

    def loopback_only(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in _LOOPBACK:
            raise socket.gaierror(socket.EAI_NONAME, f"offline: {name} is not resolved")
        return real(host, *args, **kwargs)

    socket.getaddrinfo = loopback_only
    try:
        yield
    finally:
        socket.getaddrinfo = real


def _crashes(command: str, result: Result, paths: list[str], origins: list[str]) -> list[str]:
    """Tracebacks, odd exit codes, stderr lines that name nothing, inputs dropped silently."""
    found = []
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        found.append(f"{command}: {type(result.exception).__name__}: {result.exception}")
    if result.exit_code not in (0, 1):
        found.append(f"{command}: exit code {result.exit_code}")
    if "Traceback" in result.output:
        found.append(f"{command}: a traceback in its output")
    lines = result.stderr.splitlines()
    found += [f"{command}: a line naming no item: {line[:120]!r}" for line in lines
              if not _LINE.fullmatch(line)]  # fmt: skip
    silent = _silent(result.stderr, paths, origins)
    found += [f"{command}: {path} gave nothing and no message" for path in silent]
    return found


def _silent(stderr: str, paths: list[str], origins: list[str]) -> list[str]:
    """Inputs neither named on stderr nor the origin of a brief.

    Feed and OPML entries are named by their links, not by their file: each
    brief or message about such an item may account for one unnamed input.
    """
    items = [line.split(": ", 2)[2] for line in stderr.splitlines() if ": error: " in line or ": warning: " in line]  # fmt: skip
    named = [*origins, *items]
    unnamed = [path for path in paths if not any(name.startswith(path) for name in named)]
    elsewhere = sum(1 for name in named if not any(name.startswith(path) for path in paths))
    return unnamed[elsewhere:]


def _briefs(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def _last_id(stdout: str) -> str | None:
    briefs = _briefs(stdout)
    return briefs[-1].get("id") if briefs else None


def _stored(db: Path, article_id: str) -> bool:
    try:
        with closing(sqlite3.connect(db)) as connection:
            row = connection.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,))
            return row.fetchone() is not None
    except sqlite3.Error:
        return False


BATCH = 50


def run_corpus(folder: Path, *, seed: int = 6, count: int = 10_000) -> list[BatchResult]:
    """Every batch of `BATCH` cases, run on as many processes as there are cores."""
    starts = range(0, count, BATCH)
    jobs = [
        (folder / f"batch-{start:05d}", seed, start, min(count, start + BATCH)) for start in starts
    ]
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers <= 1:
        return [_run_job(job) for job in jobs]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(_run_job, jobs))


def _run_job(job: tuple[Path, int, int, int]) -> BatchResult:
    folder, seed, start, stop = job
    result = run_batch(list(corpus(seed=seed, count=stop, start=start)), folder)
    shutil.rmtree(folder, ignore_errors=True)
    return result
