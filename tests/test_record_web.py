"""The record on the site: entity and relationship pages, the graph, feeds, the API.

Events are built here (tests/builders.py): the pages are tested apart from the event coder.
"""

from __future__ import annotations

import re
import warnings
import xml.etree.ElementTree as ET

import pytest

from builders import country, make_brief, make_event
from newsdesk.config import Settings
from newsdesk.models import Analysis, Cited, Entity, EntityKind, Mention, Point, PointKind
from newsdesk.store import Store
from newsdesk.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SITE = "https://news.example.org"
TEXT = "Japan and the Philippines signed a pact. Manila welcomed it. Tokyo will send ships."


@pytest.fixture
def client(store: Store) -> TestClient:
    app = create_app(store, Settings(site_url=SITE, site_name="The Desk", image_policy="none"))
    return TestClient(app, raise_server_exceptions=False)


def _entities() -> tuple[Entity, ...]:
    return (
        country("Japan", "JPN", 0, 2),
        country("Philippines", "PHL", 0, 1),
        Entity(
            "Ferdinand Marcos Jr.", EntityKind.PERSON, "PHL", (Mention(1, "Marcos"),), "President"
        ),
        Entity("Philippine Coast Guard", EntityKind.ORGANISATION, "PHL", (Mention(2, "PCG"),)),
        Entity("Reciprocal Access Agreement", EntityKind.AGREEMENT, None, (Mention(0, "RAA"),)),
        Entity("TC-90", EntityKind.WEAPON, "JPN", (Mention(2, "TC-90"),)),
    )


@pytest.fixture
def record(store: Store) -> Store:
    """Three articles over two months between Japan and the Philippines, one with the US."""
    for article_id, day, events in [
        ("early", "2024-01-10", (make_event("CONSULT", sentence=0),)),
        ("mid", "2024-01-20", (make_event("AGREE", sentence=0, object="Reciprocal Access Agreement"),)),
        ("late", "2024-03-05", (make_event("AID", sentence=2, object="TC-90"),
                                make_event("MOBILIZE", actor="USA", target="PHL", sentence=1))),
    ]:  # fmt: skip
        text = f"{TEXT} It happened on {day}."
        store.save(make_brief(article_id, text=text, url=f"https://e.com/{article_id}",
                              published=day, events=events, entities=_entities()))  # fmt: skip
    return store


def test_relation_page_has_a_timeline_linking_each_event_to_its_sentence(
    record: Store, client: TestClient
) -> None:
    page = client.get("/relations/JPN/PHL")
    assert page.status_code == 200
    assert "<h1>Japan and the Philippines</h1>" in page.text
    timeline = page.text[page.text.index('class="timeline"') :]
    links = re.findall(r'href="/articles/(\w+)#s-(\d+)"', timeline)
    assert links == [("early", "0"), ("mid", "0"), ("late", "2")]  # oldest first
    assert "Reciprocal Access Agreement" in timeline


def test_relation_page_draws_an_accessible_svg_trend(record: Store, client: TestClient) -> None:
    html = client.get("/relations/PHL/JPN").text  # either order, names or codes
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert "Japan and the Philippines" in root.find("s:title", ns).text
    assert "2024-01: 2 events" in root.find("s:desc", ns).text
    assert len(root.findall(".//s:rect", ns)) == 2  # January and March; February is a gap
    assert "script" not in svg and "style=" not in svg
    assert "2024-03</th><td>1</td><td>+10.0</td><td>AID 1</td>" in html
    assert client.get("/relations/Japan/the%20Philippines").status_code == 200


def test_relation_page_is_404_for_unknown_or_quiet_pairs(record: Store, client: TestClient) -> None:
    for path in ("/relations/JPN/NARNIA", "/relations/JPN/JPN", "/relations/JPN/FRA",
                 "/relations/JPN/%00", "/relations/JPN/" + "X" * 5000):  # fmt: skip
        page = client.get(path)
        assert page.status_code == 404, path
        assert "<html" in page.text


def test_graph_links_every_edge_to_its_pair_page(record: Store, client: TestClient) -> None:
    html = client.get("/relations").text
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    edges = re.findall(r'<a href="(/relations/[A-Z]{3}/[A-Z]{3})"><title>([^<]+)</title><line', svg)
    assert dict(edges) == {
        "/relations/JPN/PHL": "Japan and Philippines: 3 events, mean score +5.0",
        "/relations/PHL/USA": "Philippines and United States: 1 events, mean score -5.5",
    }
    for path, _ in edges:
        assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    ("kind", "name"),
    [("country", "Japan"), ("person", "Ferdinand Marcos Jr."),
     ("organisation", "Philippine Coast Guard"), ("agreement", "Reciprocal Access Agreement"),
     ("weapon", "TC-90")],
)  # fmt: skip
def test_every_kind_of_entity_has_a_page(
    record: Store, client: TestClient, kind: str, name: str
) -> None:
    page = client.get(f"/entities/{kind}/{name}")
    assert page.status_code == 200
    assert f"<h1>{name}</h1>" in page.text
    assert page.text.count('href="/articles/') >= 3  # its three articles


def test_country_page_lists_events_and_counterparts(record: Store, client: TestClient) -> None:
    html = client.get("/entities/country/Philippines").text
    counterparts = html[html.index("Counterparts") : html.index('id="events-heading"')]
    assert (
        'href="/relations/JPN/PHL"' in counterparts and 'href="/relations/PHL/USA"' in counterparts
    )
    assert html.count('class="timeline-event"') == 4


def test_odd_entity_urls_are_404_pages(record: Store, client: TestClient) -> None:
    for path in ("/entities/country/Jap%00an", "/entities/country/%ED%A0%80", "/entities/planet/Japan",
                 "/entities/country/%3Cscript%3E", "/entities/country/" + "a" * 400,
                 "/entities/policy/Abe%20Doctrine", "/entities/country/..%2F..%2Fetc",
                 "/api/entities/country/%00"):  # fmt: skip
        page = client.get(path)
        assert page.status_code == 404, path
        assert "<script>" not in page.text


def test_entities_index_groups_by_kind_and_links(record: Store, client: TestClient) -> None:
    html = client.get("/entities").text
    for kind, name in (
        ("country", "Japan"),
        ("weapon", "TC-90"),
        ("person", "Ferdinand%20Marcos%20Jr."),
    ):
        assert f'href="/entities/{kind}/{name}"' in html


def test_entity_names_on_the_article_page_are_links(record: Store, client: TestClient) -> None:
    html = client.get("/articles/late").text
    for kind, name in (("country", "Japan"), ("organisation", "Philippine%20Coast%20Guard")):
        assert f'href="/entities/{kind}/{name}"' in html


def test_the_desk_links_its_points_to_sentences_and_earlier_articles(
    store: Store, client: TestClient
) -> None:
    store.save(
        make_brief("old", url=None, text="Ships sailed. Talks began in Manila. Then they ended.")
    )
    analysis = Analysis(
        points=(Point(PointKind.CHANGE, "An upgrade.", (0,)),
                Point(PointKind.RECORD, "The record.", (), ("old",))),
        cited=(Cited("old", "Old talks", "2024-01-01"),),
    )  # fmt: skip
    brief = make_brief("new")
    store.save(
        type(brief)(**{**{f: getattr(brief, f) for f in brief.__slots__}, "analysis": analysis})
    )
    html = client.get("/articles/new").text
    desk = html[html.index('class="editors-desk"') : html.index("</aside>")]
    assert '<a class="trace" href="#s-0"' in desk
    assert (
        '<a class="trace trace-article" href="/articles/old">Old talks (1 January 2024)</a>' in desk
    )
    assert "not ready yet" not in html


def test_feeds_of_an_entity_and_a_relationship(record: Store, client: TestClient) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for path in ("/relations/JPN/PHL/feed.atom", "/entities/country/Japan/feed.atom"):
        response = client.get(path)
        assert response.headers["content-type"].startswith("application/atom+xml")
        entries = ET.fromstring(response.content).findall("a:entry", ns)
        assert len(entries) == 3
        first = entries[0]  # newest first
        assert first.find("a:title", ns).text == "Japan AID Philippines: TC-90"
        assert first.find("a:link", ns).get("href") == f"{SITE}/articles/late#s-2"
    assert client.get("/relations/JPN/FRA/feed.atom").status_code == 404


def test_api_gives_the_record_as_json(record: Store, client: TestClient) -> None:
    body = client.get("/api/relations/PHL/JPN").json()
    assert [e["article"] for e in body["events"]] == ["early", "mid", "late"]
    assert [e["score"] for e in body["events"]] == [2.5, 2.5, 10.0]
    assert [(t["period"], t["events"]) for t in body["trend"]] == [("2024-01", 2), ("2024-03", 1)]
    entity = client.get("/api/entities/country/Japan").json()
    assert (entity["name"], entity["kind"], entity["country"]) == ("Japan", "country", "JPN")
    assert "Nippon" in entity["aliases"]
    assert {a["id"] for a in entity["articles"]} == {"early", "mid", "late"}
    assert client.get("/api/relations/JPN/NOWHERE").json()["error"]["status"] == 404


def test_record_pages_keep_the_strict_csp(record: Store, client: TestClient) -> None:
    for path in ("/relations/JPN/PHL", "/relations", "/entities/country/Japan"):
        response = client.get(path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert "<script>" not in response.text and "http://" not in response.text.replace(
            "http://www.w3.org/2000/svg", ""
        )


def test_the_export_writes_the_record_and_every_link_resolves(record: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from urllib.parse import unquote, urlsplit

    from newsdesk.web.export import export_site
    from test_export import references

    site = tmp_path / "site"
    export_site(record, site, Settings(site_url=SITE, image_policy="none"))
    assert (site / "relations/JPN/PHL/index.html").is_file()
    assert (site / "relations/JPN/PHL/feed.atom").is_file()
    assert (site / "entities/country/Japan/index.html").is_file()
    for page in [*site.glob("entities/**/index.html"), *site.glob("relations/**/index.html"),
                 *site.glob("articles/*/index.html")]:  # fmt: skip
        for url in references(page).urls:
            parts = urlsplit(url)
            if parts.scheme or not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page.relative_to(site)} links to missing {url}"
