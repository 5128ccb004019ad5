"""The Editor's Desk: points a reader can trace, judged against the record when there is one."""

from __future__ import annotations

from dataclasses import replace

import pytest

from builders import SAMPLE_PAGE, country, make_brief, make_event
from newsdesk.analyse.desk import agreement_kind, editors_desk
from newsdesk.analyse.record import DeskRecord, StoredEvent, change_band, graph, trend
from newsdesk.models import Brief, Cited, Entity, EntityKind, Event, Mention, PointKind
from newsdesk.pipeline import brief_sources, save_outcome
from newsdesk.serialize import brief_from_dict, brief_to_dict
from newsdesk.store import Store

PAIR = ("JPN", "PHL")


def _brief(text: str, events: tuple[Event, ...] = (), extra: tuple[Entity, ...] = ()) -> Brief:
    entities = (country("Japan", "JPN", 0, 1), country("Philippines", "PHL", 0, 1), *extra)
    return make_brief("now", text=text, published="2025-06-01", events=events, entities=entities)


def _earlier(*events: Event, day: str = "2024-05-01") -> tuple[StoredEvent, ...]:
    return tuple(
        StoredEvent(f"old{i}", f"Old {i}", None, day, event, "Earlier.")
        for i, event in enumerate(events)
    )


def _kinds(brief: Brief, record: DeskRecord | None = None) -> dict[str, str]:
    analysis = editors_desk(brief, record) if record else editors_desk(brief)
    assert analysis is not None
    return {str(p.kind): p.text for p in analysis.points}


def test_sample_page_alone_gives_traced_points() -> None:
    [outcome] = list(brief_sources([str(SAMPLE_PAGE)]))
    analysis = outcome.brief.analysis
    kinds = {str(p.kind): p for p in analysis.points}
    assert {"actors", "change", "critics", "other_side", "stakes"} <= set(kinds)
    assert "Comprehensive Strategic Partnership" in kinds["change"].text
    assert kinds["critics"].text.startswith("Critics and regional observers warn that")
    assert kinds["other_side"].text.startswith("Southeast Asian nations, the article says,")
    body = len(outcome.brief.sentences) - 9  # the page's own takeaways and analysis follow the body
    for point in analysis.points:
        assert point.sentences or point.articles
        assert all(0 <= i < body for i in point.sentences)  # never the source's own panels


def test_an_agreement_fuller_than_one_on_record_is_an_upgrade() -> None:
    csp = Entity(
        "Comprehensive Strategic Partnership", EntityKind.AGREEMENT, None, (Mention(0, "CSP"),)
    )
    now = _brief("Japan and the Philippines signed a pact. Manila welcomed it. Tokyo will send ships.",
                 (make_event("AGREE", object="Comprehensive Strategic Partnership"),), (csp,))  # fmt: skip
    record = DeskRecord({PAIR: _earlier(make_event("AGREE", object="Strategic Partnership"))})
    change = editors_desk(now, record).points[1]
    assert change.kind == PointKind.CHANGE
    assert change.text.startswith(
        "An upgrade: Japan and the Philippines move from the Strategic Partnership (2024-05)"
    )
    assert (change.sentences, change.articles) == ((0,), ("old0",))


def test_the_first_agreement_of_its_kind_between_the_pair() -> None:
    now = _brief("Japan and the Philippines signed a pact. Manila welcomed it. Tokyo will send ships.",
                 (make_event("AGREE", object="Reciprocal Access Agreement"),))  # fmt: skip
    record = DeskRecord(
        {PAIR: _earlier(make_event("CONSULT"), make_event("AGREE", object="Visiting Forces pact"))}
    )
    assert _kinds(now, record)["change"].startswith(
        "A first: the Reciprocal Access Agreement is the first"
    )
    known = DeskRecord(
        {PAIR: _earlier(make_event("AGREE", object="a Reciprocal Access Agreement"))}
    )
    assert "change" not in _kinds(now, known)
    assert "change" not in _kinds(now)  # "first" needs a record to be first in


def test_a_reversal_and_an_escalation_against_the_record() -> None:
    now = _brief("Japan and the Philippines fell out. Manila protested. Tokyo sent ships.",
                 (make_event("COERCE", sentence=2), make_event("PROTEST", actor="PHL", target="JPN", sentence=1)))  # fmt: skip
    record = DeskRecord({PAIR: _earlier(*(make_event("AID") for _ in range(3)))})
    changes = [p for p in editors_desk(now, record).points if p.kind == PointKind.CHANGE]
    assert changes[0].text.startswith("A reversal from cooperation to conflict")
    assert changes[1].text.startswith(
        "An escalation: the first COERCE event between Japan and the Philippines"
    )
    assert changes[1].sentences == (2,)


def test_the_trend_point_compares_the_article_with_the_record() -> None:
    now = _brief("Japan and the Philippines signed a pact. Manila welcomed it. Tokyo will send ships.",
                 (make_event("AID", sentence=2),))  # fmt: skip
    record = DeskRecord({PAIR: _earlier(make_event("CONSULT"), make_event("AGREE"))})
    text = _kinds(now, record)["trend"]
    assert "2 earlier events between Japan and the Philippines" in text
    assert "more cooperative than the record" in text


def test_the_record_point_names_the_earlier_articles_on_the_same_countries() -> None:
    now = _brief(
        "Japan and the Philippines signed a pact. Manila welcomed it. Tokyo will send ships."
    )
    together = tuple(Cited(f"a{i}", title, day) for i, (title, day) in enumerate([
        ("Rice prices", "2022-01-01"),
        ("Trilateral Meeting of Japan, the Philippines and the United States", "2023-09-07"),
        ("Japan and the Philippines meet", "2024-04-11"),
    ]))  # fmt: skip
    record = DeskRecord({}, ("JPN", "PHL", "USA"), together)
    [point] = [p for p in editors_desk(now, record).points if p.kind == PointKind.RECORD]
    assert point.articles[:2] == ("a1", "a2")
    assert point.text.startswith("The record: 3 earlier articles name Japan, the Philippines and")


def test_nothing_to_analyse_is_null_and_untraceable_points_are_never_made() -> None:
    bare = replace(
        make_brief(text="Rain fell all day. The river rose. Roads were shut."), entities=()
    )
    assert editors_desk(bare) is None
    assert brief_to_dict(bare)["analysis"] is None


def test_analysis_round_trips_through_json() -> None:
    [outcome] = list(brief_sources([str(SAMPLE_PAGE)]))
    data = brief_to_dict(outcome.brief)
    assert set(data["analysis"]) >= {"points", "prose"}
    assert brief_from_dict(data).analysis == outcome.brief.analysis


def test_ingest_judges_the_desk_against_the_stored_record(store: Store) -> None:
    store.save(make_brief("old", published="2024-01-01", url=None,
                          text="Japan and the Philippines held talks. Manila hosted them. Tokyo agreed.",
                          entities=(country("Japan", "JPN", 0), country("Philippines", "PHL", 0))))  # fmt: skip
    [outcome] = list(brief_sources([str(SAMPLE_PAGE)]))
    saved = save_outcome(store, outcome)
    stored = store.get(saved.saved.article_id)
    record = [p for p in stored.analysis.points if p.kind == PointKind.RECORD]
    assert record and record[0].articles == ("old",)
    assert stored.analysis.cited[0].title == "Japan and the Philippines sign a defence pact"


@pytest.mark.parametrize(("latest", "previous", "band"), [
    (10, [4, 4, 4, 4], "large increase"), (9, [8, 8, 8, 8], "moderate increase"),
    (8, [8, 8, 8, 8], "limited change"), (2, [8, 8, 8, 8], "large decrease"),
    (5, [1, 2, 1, 2], "limited change"),  # a quiet series
    (3, [], "limited change"),
])  # fmt: skip
def test_acled_change_bands(latest: int, previous: list[int], band: str) -> None:
    assert change_band(latest, previous) == band


def test_trend_by_month_and_graph_edges() -> None:
    events = _earlier(make_event("AID"), make_event("PROTEST"), day="2024-05-02") + _earlier(
        make_event("AGREE"), day="2024-07-01"
    )
    periods = trend(events)
    assert [(p.period, p.events, p.score) for p in periods] == [
        ("2024-05", 2, 2.5),
        ("2024-07", 1, 2.5),
    ]
    assert dict(periods[0].counts) == {"AID": 1, "PROTEST": 1}
    [edge] = graph([("JPN", "PHL", "AID", 2), ("PHL", "JPN", "PROTEST", 2)])
    assert (edge.a, edge.b, edge.events, edge.score) == ("JPN", "PHL", 4, 2.5)


def test_agreement_kinds_ignore_qualifiers() -> None:
    assert agreement_kind("Comprehensive Strategic Partnership") == agreement_kind(
        "the Strategic Partnership"
    )
    assert agreement_kind("Reciprocal Access Agreement") == "reciprocal access agreement"
