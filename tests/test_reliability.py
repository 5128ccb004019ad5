"""Bad input never sinks a batch: each cause of issue 6, and the guard at every stage.

Every case puts a good article after the bad one: it must always come out
(briefed, or stored), the bad one must be named with its reason, and the
exit code must be 1 whenever anything failed.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from builders import make_brief
from http_server import LocalServer
from newsdesk.cli import app
from newsdesk.extract import canonical_url, iso_date
from newsdesk.models import Brief, Mention
from newsdesk.pipeline import MAX_SENTENCES, Outcome, brief_sources, save_outcome
from newsdesk.sources import Fetcher, read_sources
from newsdesk.sources.feeds import parse_feed
from newsdesk.store import Store, open_store
from newsdesk.store.common import content_hash

PATROLS = (
    "Japan and the Philippines agreed to expand joint patrols in the South China Sea. "
    "The two governments will meet again next month in Manila. Officials said talks went well."
)
GOOD = {"id": "good", "title": "Patrols expand", "text": PATROLS}
DEEP = "[" * 100_000 + "]" * 100_000


def run(*args: str) -> tuple[int, list[dict], str, bytes]:
    result = CliRunner().invoke(app, list(args))
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return result.exit_code, lines, result.stderr, result.stdout_bytes


def jsonl(path: Path, *rows: object) -> str:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", "utf-8"
    )
    return str(path)


def stored_ids(location: str) -> set[str]:
    store = open_store(location)
    try:
        return {brief.article.id for brief in store.latest(limit=100)}
    finally:
        store.close()


# -- 1. deep nesting


def test_deeply_nested_jsonl_line_is_named_and_the_next_line_stored(
    tmp_path: Path, store_location: str
) -> None:
    source = jsonl(tmp_path / "deep.jsonl", DEEP, GOOD)
    code, _, stderr, _ = run("ingest", "--db", store_location, source)
    assert code == 1
    assert "deep.jsonl: line 1: JSON nested too deeply" in stderr
    assert "Traceback" not in stderr
    assert stored_ids(store_location) == {"good"}


@pytest.mark.parametrize("content", [DEEP, '{"articles": ' + DEEP + "}", '{"a":' * 50_000])
def test_deeply_nested_json_file_is_named(tmp_path: Path, content: str) -> None:
    (tmp_path / "deep.json").write_text(content)
    good = jsonl(tmp_path / "good.jsonl", GOOD)
    code, briefs, stderr, _ = run("brief", "--json", str(tmp_path / "deep.json"), good)
    assert code == 1
    assert "deep.json: " in stderr and "JSON" in stderr
    assert [b["id"] for b in briefs] == ["good"]


def test_json_value_nested_within_the_limit_is_read(tmp_path: Path) -> None:
    nested = {"id": "n1", "title": [[[[["Nested title"]]]]], "text": PATROLS}
    code, [brief], _, _ = run("brief", "--json", jsonl(tmp_path / "n.jsonl", nested))
    assert code == 0
    assert brief["title"] == "Nested title"


def test_an_integer_too_long_to_read_is_a_named_line_error(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "big.jsonl", '{"id": ' + "7" * 5000 + "}", GOOD)
    code, briefs, stderr, _ = run("brief", "--json", source)
    assert code == 1
    assert "big.jsonl: line 1: not usable JSON" in stderr
    assert [b["id"] for b in briefs] == ["good"]


# -- 2. lone surrogates


SURROGATES = [
    {"id": "sg1", "title": "sur", "text": "\ud800 " + PATROLS},
    {"id": "sg2", "title": "\udc80 title", "text": PATROLS.replace("Manila", "Cebu")},
    {"id": "sg3\udfff", "text": PATROLS.replace("Manila", "Davao"), "author": "\ud83d"},
]


def test_lone_surrogates_are_stored_as_replacement_characters(
    tmp_path: Path, store_location: str
) -> None:
    rows = [json.dumps(row) for row in SURROGATES]  # json.dumps writes them as \\ud800 escapes
    code, _, stderr, _ = run("ingest", "--db", store_location, jsonl(tmp_path / "s.jsonl", *rows))
    assert code == 0, stderr
    assert stored_ids(store_location) == {"sg1", "sg2", "sg3\ufffd"}


def test_brief_json_with_lone_surrogates_is_valid_utf8(tmp_path: Path) -> None:
    rows = [json.dumps(row) for row in SURROGATES]
    code, briefs, _, stdout = run("brief", "--json", jsonl(tmp_path / "s.jsonl", *rows))
    assert code == 0
    stdout.decode("utf-8")  # strict: raises on a surrogate's bytes
    assert briefs[1]["title"] == "\ufffd title"


def test_store_saves_a_brief_holding_lone_surrogates(store: Store) -> None:
    brief = make_brief("s\ud800", title="T\udc00", text="Japan \ud800 signed. Manila said so.")
    saved = store.save(brief)
    assert saved.article_id == "s\ufffd"
    assert store.get("s\ufffd").article.title == "T\ufffd"
    assert content_hash("a \ud800") == content_hash("a \ufffd")


# -- 3. bad URLs


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:99999/x", "http://127.0.0.1:abc/x", "http://[::1/x", "http://[zz]/"]
)
def test_a_record_with_an_unparsable_url_is_stored_without_it(
    tmp_path: Path, store_location: str, url: str
) -> None:
    source = jsonl(tmp_path / "u.jsonl", {"id": "bp1", "url": url, "text": PATROLS})
    code, _, stderr, _ = run("ingest", "--db", store_location, source)
    assert code == 0, stderr
    assert "u.jsonl:1: url ignored: not a valid URL" in stderr
    store = open_store(store_location)
    assert store.get("bp1").article.url is None
    store.close()


def test_canonical_url_never_raises() -> None:
    assert canonical_url("http://127.0.0.1:99999/x") == "http://127.0.0.1:99999/x"
    assert canonical_url(" http://[::1 ") == "http://[::1"
    assert canonical_url("HTTP://Example.com:80/a/?utm_source=x&b=1#top") == (
        "http://example.com/a?b=1"
    )


# -- 4. OPML


def test_opml_with_a_bad_xml_url_loses_only_that_entry(tmp_path: Path, server: LocalServer) -> None:
    entry = f"<item><title>Patrols</title><link>{server.url('/a')}</link>"
    feed = f"<rss version='2.0'><channel><title>C</title>{entry}<description><![CDATA[<p>{PATROLS * 5}</p>]]></description></item></channel></rss>"
    feed_url = server.add("/feed.xml", feed, content_type="application/rss+xml")
    opml = tmp_path / "subs.opml"
    opml.write_text(
        f'<opml version="2.0"><body><outline xmlUrl="http://[::1"/>'
        f'<outline xmlUrl="{feed_url}"/></body></opml>'
    )
    code, briefs, stderr, _ = run("brief", "--json", str(opml))
    assert code == 1, stderr
    assert stderr.count("error") == 1, stderr
    assert "http://[::1: not a valid URL (Invalid IPv6 URL)" in stderr
    assert [b["title"] for b in briefs] == ["Patrols"]


# -- 5. dates


def rss(*items: str) -> bytes:
    return f"<rss version='2.0'><channel><title>C</title>{''.join(items)}</channel></rss>".encode()


def item(title: str, date: str) -> str:
    return (
        f"<item><title>{title}</title><link>https://example.com/{title}</link>"
        f"<pubDate>{date}</pubDate><description><![CDATA[<p>{PATROLS * 5}</p>]]></description></item>"
    )


@pytest.mark.parametrize(
    "date", ["0000-01-01T00:00:00Z", "99999-01-01T00:00:00Z", "Sat, 01 Jan 0001 00:00:00 +0100"]
)
def test_an_absurd_feed_date_is_no_date(date: str) -> None:
    [entry] = parse_feed("f.xml", rss(item("a", date))).entries
    assert "published" not in entry.fields


@pytest.mark.parametrize(
    "value", ["0000-01-01", "99999-01-01", "-001-01-01", "2024-13-45", "0001-01-01T00:00:00+05:00"]
)
def test_absurd_dates_anywhere_are_no_date(value: str) -> None:
    assert iso_date(value) is None


def test_a_record_with_an_absurd_date_is_stored_and_the_date_ignored(tmp_path: Path) -> None:
    record = {"id": "d1", "published": "99999-01-01", "text": PATROLS}
    code, [brief], stderr, _ = run("brief", "--json", jsonl(tmp_path / "d.jsonl", record))
    assert code == 0
    assert brief["published"] is None
    assert "d.jsonl:1: published date ignored: '99999-01-01'" in stderr


# -- 6. ill-formed feeds


def test_a_truncated_feed_file_is_a_named_error(tmp_path: Path) -> None:
    feed = tmp_path / "cut.rss"
    feed.write_text("<rss version='2.0'><channel><title>C</title><ite")
    code, _, stderr, _ = run("brief", str(feed))
    assert code == 1
    assert "cut.rss: not a feed: ill-formed XML (unclosed token)" in stderr


def test_a_feed_cut_after_its_entries_gives_them_and_says_the_rest_is_lost(
    tmp_path: Path,
) -> None:
    feed = tmp_path / "cut.rss"
    feed.write_bytes(rss(item("first", "Mon, 02 Jan 2025 10:00:00 GMT"))[:-16])
    code, briefs, stderr, _ = run("brief", "--json", str(feed))
    assert code == 1
    assert [b["title"] for b in briefs] == ["first"]
    assert "cut.rss: ill-formed XML" in stderr and "1 entry read, any after lost" in stderr


def test_an_undefined_entity_is_forgiven() -> None:
    parsed = parse_feed("f.xml", rss(item("a&nbsp;b", "Mon, 02 Jan 2025 10:00:00 GMT")))
    assert parsed.problem is None and len(parsed.entries) == 1


# -- the guard at each stage


class Crash(RuntimeError):
    pass


def test_an_unexpected_error_while_reading_is_that_items_error() -> None:
    page = "<html><body><article><h1>Patrols</h1><p>" + PATROLS + "</p></article>"

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/crash":
            raise Crash("the transport broke")
        return httpx.Response(200, headers={"content-type": "text/html"}, text=page)

    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        fetcher = Fetcher(client, respect_robots=False)
        urls = ["http://news.test/crash", "http://news.test/good"]
        items = list(read_sources(urls, fetcher=fetcher))
    assert str(items[0]) == "http://news.test/crash: unexpected Crash: the transport broke"
    assert getattr(items[1], "origin", None) == "http://news.test/good"


def test_an_unexpected_error_while_analysing_is_that_items_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsdesk.pipeline

    real = newsdesk.pipeline.find_entities

    def fragile(sentences: tuple[str, ...]) -> object:
        if "Cebu" in " ".join(sentences):
            raise ValueError("cannot cope")
        return real(sentences)

    monkeypatch.setattr(newsdesk.pipeline, "find_entities", fragile)
    bad = {"id": "bad", "text": PATROLS.replace("Manila", "Cebu")}
    outcomes = list(brief_sources([jsonl(tmp_path / "a.jsonl", bad, GOOD)]))
    assert str(outcomes[0].error) == f"{tmp_path / 'a.jsonl'}:1: unexpected ValueError: cannot cope"
    assert outcomes[1].brief is not None


def broken_brief() -> Brief:
    """A brief whose save fails after its article row: a mention that is not JSON."""
    brief = make_brief("broken", text="Other text. Entirely new.")
    entity = replace(brief.entities[0], mentions=(Mention(object(), "x"),))  # type: ignore[arg-type]
    return replace(brief, entities=(entity,))


def test_a_save_that_fails_half_way_leaves_nothing_and_the_batch_goes_on(store: Store) -> None:
    failed = save_outcome(store, Outcome("broken", brief=broken_brief()))
    assert failed.brief is None
    assert "broken: not stored: unexpected TypeError" in str(failed.error)
    assert store.count() == 0  # the article row written before the mentions was rolled back
    assert save_outcome(store, Outcome("good", brief=make_brief("good"))).saved is not None
    assert [b.article.id for b in store.latest()] == ["good"]


def test_sqlite_is_intact_after_a_failed_save(tmp_path: Path) -> None:
    location = str(tmp_path / "news.db")
    store = open_store(location)
    save_outcome(store, Outcome("broken", brief=broken_brief()))
    save_outcome(store, Outcome("good", brief=make_brief("good")))
    store.close()
    db = sqlite3.connect(location)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT count(*) FROM mentions").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 1


# -- 10. bounded work per item


def test_an_enormous_item_is_cut_and_says_so(tmp_path: Path) -> None:
    long = tmp_path / "long.txt"
    long.write_text("Patrols\n\n" + (PATROLS + "\n\n") * 20_000)
    code, [brief], stderr, _ = run("brief", "--json", str(long))
    assert code == 0
    assert "newsdesk: warning: " in stderr and "long.txt: text cut to its first" in stderr
    assert len(brief["sentences"]) <= MAX_SENTENCES


def test_too_many_sentences_are_cut_and_it_is_said(tmp_path: Path) -> None:
    many = tmp_path / "many.txt"
    many.write_text("Patrols\n\n" + " ".join(f"Ship {n} sailed on." for n in range(3000)))
    code, [brief], stderr, _ = run("brief", "--json", str(many))
    assert code == 0
    assert f"many.txt: analysed the first {MAX_SENTENCES:,} of 3,000 sentences" in stderr
    assert len(brief["sentences"]) == MAX_SENTENCES
