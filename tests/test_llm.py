"""The optional LLM against a real local OpenAI-compatible server: kept, dropped, never fatal."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import SAMPLE_PAGE
from llm_server import ChatServer
from newsdesk.cli import app
from newsdesk.config import Settings
from newsdesk.llm import ProseWriter, prose_writer
from newsdesk.models import Brief
from newsdesk.pipeline import brief_sources, save_outcome
from newsdesk.store import Store, open_store
from newsdesk.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

GOOD = (
    "Japan and the Philippines raise their relationship to the Comprehensive Strategic "
    "Partnership [2]. Critics and regional observers warn that this diplomacy carries risks [3]."
)


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    with ChatServer() as server:
        yield server


@pytest.fixture
def sample() -> Brief:
    [outcome] = list(brief_sources([str(SAMPLE_PAGE)]))
    assert outcome.brief is not None
    return outcome.brief


def writer(chat: ChatServer, timeout: float = 2.0) -> ProseWriter:
    settings = Settings(
        llm_base_url=chat.base_url, llm_model="local", llm_api_key="k3y", llm_timeout=timeout
    )
    found = prose_writer(settings)
    assert found is not None
    return found


def test_off_by_default() -> None:
    assert prose_writer(Settings()) is None
    assert prose_writer(Settings(llm_base_url="http://127.0.0.1:9/v1")) is None  # no model


def test_traceable_sentences_are_kept_with_their_point_numbers(
    chat: ChatServer, sample: Brief
) -> None:
    chat.reply = GOOD
    with writer(chat) as prose:
        analysis = prose.add_prose(sample).analysis
    assert analysis.prose == (
        "Japan and the Philippines raise their relationship to the Comprehensive Strategic "
        "Partnership [2]. Critics and regional observers warn that this diplomacy carries risks [3]."
    )
    assert analysis.dropped == 0
    request = chat.requests[0]
    assert request["model"] == "local"
    assert chat.headers[0]["Authorization"] == "Bearer k3y"
    user = request["messages"][1]["content"]
    assert "1. (actors)" in user and "Abukuma" not in user  # the points only, not the article


def test_sentences_saying_more_than_their_points_are_dropped(
    chat: ChatServer, sample: Brief
) -> None:
    chat.reply = (
        GOOD + " Vladimir Putin welcomed the pact [2]."  # a name no point holds
        " Japan will send 40 frigates [2]."  # a number no point holds
        " The pact changes everything."  # no citation
        " Japan acts [99]."  # no such point
    )
    with writer(chat) as prose:
        analysis = prose.add_prose(sample).analysis
    assert analysis.dropped == 4
    assert "Putin" not in analysis.prose and "40" not in analysis.prose


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script> Japan and the Philippines raise their relationship [2].",
    "Japan and the Philippines raise their relationship, see [this](https://evil.example) [2].",
    "Japan and the Philippines raise their relationship <a href=x>here</a> [2].",
    "Japan and the Philippines raise their relationship at www.evil.example [2].",
])  # fmt: skip
def test_replies_injecting_markup_or_links_are_dropped(
    chat: ChatServer, sample: Brief, hostile: str
) -> None:
    chat.reply = hostile
    with writer(chat) as prose:
        analysis = prose.add_prose(sample).analysis
    assert analysis.prose is None and analysis.dropped == 1


@pytest.mark.parametrize("failure", ["malformed", "status", "shape", "empty"])
def test_a_failing_endpoint_leaves_the_desk_alone(
    chat: ChatServer, sample: Brief, failure: str
) -> None:
    chat.raw = {"malformed": b"{not json", "shape": b'{"choices": []}', "empty": b""}.get(failure)
    chat.status = 500 if failure == "status" else 200
    with writer(chat) as prose:
        assert prose.add_prose(sample) == sample
        assert prose.failures == 1


def test_a_slow_endpoint_is_given_up_on_in_time(chat: ChatServer, sample: Brief) -> None:
    chat.reply, chat.delay = GOOD, 3.0
    started = time.monotonic()
    with writer(chat, timeout=0.5) as prose:
        assert prose.add_prose(sample) == sample
    assert time.monotonic() - started < 2.5


def test_an_absent_endpoint_never_fails_an_ingest(store: Store, sample: Brief) -> None:
    settings = Settings(llm_base_url="http://127.0.0.1:9/v1", llm_model="local", llm_timeout=1)
    with ProseWriter(settings) as prose:
        [outcome] = list(brief_sources([str(SAMPLE_PAGE)]))
        saved = save_outcome(store, outcome, prose=prose)
    assert saved.error is None
    assert store.get(saved.saved.article_id).analysis.points


def test_ingest_stores_the_prose_and_the_page_shows_it_escaped(
    chat: ChatServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat.reply = GOOD + " <b>Japan</b> wins [1]. Japan acts [1]. Nobody knows [9]."
    monkeypatch.setenv("NEWSDESK_LLM_BASE_URL", chat.base_url)
    monkeypatch.setenv("NEWSDESK_LLM_MODEL", "local")
    db = str(tmp_path / "llm.db")
    result = CliRunner().invoke(app, ["ingest", "--db", db, str(SAMPLE_PAGE)])
    assert result.exit_code == 0, result.stderr
    store = open_store(db)
    [brief] = store.latest()
    assert brief.analysis.dropped == 2 and brief.analysis.prose.startswith(
        "Japan and the Philippines"
    )
    html = (
        TestClient(create_app(store, Settings(image_policy="none")))
        .get(f"/articles/{brief.article.id}")
        .text
    )
    desk = html[html.index('class="editors-desk"') : html.index("</aside>")]
    assert "Partnership [2]." in desk and "<b>" not in desk
    assert "2 sentences that said more than the points were left out" in desk
    store.close()
