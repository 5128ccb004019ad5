"""Property-based tests: every parser a source or a request reaches, fed what hypothesis makes.

The property is the issue-6 guarantee seen from each parser: whatever the input, the
parser returns its record or raises one of newsdesk's own errors naming the item; the
whole path from a file to a brief never raises at all; the web side never answers 5xx.
With `CI` set each property tries more examples.
"""

from __future__ import annotations

import json
import os
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.config import Settings
from newsdesk.errors import NewsdeskError, SourceError
from newsdesk.extract import extract
from newsdesk.models import RawDocument
from newsdesk.pipeline import brief_sources
from newsdesk.sources.feeds import opml_feed_urls, read_feed
from newsdesk.sources.records import jsonl_document, record_document
from newsdesk.store import open_store
from newsdesk.web.app import create_app

EXAMPLES = 400 if os.environ.get("CI") else 60
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,  # speed lives in bench/, not here
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
TOKEN = "property-token"

# Pieces the markup strategies splice together: real syntax, so examples reach
# the parsers' deep paths rather than stopping at the first byte.
MARKUP = [
    "<rss version='2.0'>",
    "<channel>",
    "<item>",
    "</item>",
    "<title>",
    "</title>",
    "<link>http://127.0.0.1:9/a</link>",
    "<pubDate>Mon, 01 Jan -001 00:00:00 GMT</pubDate>",
    "<feed xmlns='http://www.w3.org/2005/Atom'>",
    "<entry>",
    "<updated>9999-99-99</updated>",
    "<opml version='2.0'><body>",
    "<outline xmlUrl='http://[::1'/>",
    "<outline xmlUrl='http://127.0.0.1:99999/x'/>",
    "</body></opml>",
    "<html>",
    "<body>",
    "<article>",
    "<p>",
    "</p>",
    "<table><tr><td>",
    "<br>",
    "<img src='javascript:alert(1)' alt='",
    "<script>alert(1)</script>",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&#xD800;",
    "&#0;",
    "\x00",
    "\ufeff",
    "\ud800",
    "Japan and the Philippines agreed. ",
    "# Heading\n",
    "* item\n",
    "[link](javascript:x)",
    "```\n",
]
markup = st.lists(st.sampled_from(MARKUP) | st.text(max_size=20), max_size=40).map("".join)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "url", "title", "text", "html", "published", "image", "x"]),
            children,
            max_size=6,
        )
    ),
    max_leaves=20,
)
as_bytes = st.one_of(
    st.binary(max_size=400),
    markup.map(lambda text: text.encode("utf-8", "surrogatepass")),
    markup.map(lambda text: text.encode("utf-16-le", "surrogatepass")),
)


@PROPERTY
@given(data=as_bytes)
def test_a_feed_is_read_or_refused_with_a_reason(data: bytes) -> None:
    try:
        read_feed("feed.xml", data)
    except SourceError as error:
        assert error.item == "feed.xml" and error.reason


@PROPERTY
@given(data=as_bytes)
def test_an_opml_file_gives_urls_or_a_reason(data: bytes) -> None:
    try:
        urls = opml_feed_urls("subs.opml", data)
    except SourceError as error:
        assert error.item == "subs.opml" and error.reason
    else:
        assert all(isinstance(url, str) for url in urls)


@PROPERTY
@given(record=json_values)
def test_a_json_record_is_a_document_or_a_reason(record: object) -> None:
    try:
        document = record_document("records.json", record)
    except SourceError as error:
        assert error.reason
    else:
        assert isinstance(document, RawDocument)


@PROPERTY
@given(line=st.one_of(json_values.map(json.dumps), st.text(max_size=200)))
def test_a_jsonl_line_is_a_document_or_a_reason(line: str) -> None:
    try:
        jsonl_document("lines.jsonl", 7, line)
    except SourceError as error:
        assert "7" in f"{error.item} {error.reason}"


MEDIA_TYPES = {"html": "text/html", "text": "text/plain", "markdown": "text/markdown"}


@PROPERTY
@given(text=markup, kind=st.sampled_from(["html", "text", "markdown"]))
def test_extraction_gives_an_article_or_names_the_document(text: str, kind: str) -> None:
    document = RawDocument(origin="page", text=text, media_type=MEDIA_TYPES[kind])
    try:
        article = extract(document)
    except NewsdeskError as error:
        assert error.item == "page"
    else:
        assert article.text.strip()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("property-files")


SUFFIXES = [".xml", ".rss", ".atom", ".opml", ".html", ".md", ".txt", ".json", ".jsonl", ""]


@PROPERTY
@given(data=as_bytes, suffix=st.sampled_from(SUFFIXES))
def test_the_whole_path_from_a_file_never_raises(files: Path, data: bytes, suffix: str) -> None:
    path = files / f"input{suffix}"
    path.write_bytes(data)
    for outcome in brief_sources([str(path)]):
        assert outcome.brief is not None or outcome.error is not None
        if outcome.error is not None:
            assert outcome.error.reason and str(path) in outcome.origin


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = open_store(str(tmp_path_factory.mktemp("property-db") / "newsdesk.db"))
    settings_ = Settings(api_token=TOKEN, writes_per_minute=1_000_000)
    with TestClient(create_app(store, settings_), raise_server_exceptions=False) as test_client:
        yield test_client
    store.close()


def _json_error(response: object) -> None:
    status = getattr(response, "status_code", 0)
    assert status < 500, (status, getattr(response, "text", "")[:300])


@PROPERTY
@given(body=st.one_of(st.binary(max_size=300), json_values.map(lambda v: json.dumps(v).encode())))
def test_an_api_body_gets_an_answer_never_a_server_error(client: TestClient, body: bytes) -> None:
    response = client.post(
        "/api/articles",
        content=body,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    _json_error(response)
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()


QUERY_TEXT = st.text(alphabet=string.printable + "\x00\ud7ff\u202e\"'%&;<>", max_size=60)


@PROPERTY
@given(
    path=st.sampled_from(["/search", "/api/search", "/", "/api/articles", "/feed.atom"]),
    params=st.dictionaries(
        st.sampled_from(["q", "page", "label", "kind", "limit", "offset", "from", "to", "sort"]),
        QUERY_TEXT,
        max_size=4,
    ),
)
def test_any_query_string_gets_a_page_never_a_server_error(
    client: TestClient, path: str, params: dict[str, str]
) -> None:
    _json_error(client.get(path, params=params))
