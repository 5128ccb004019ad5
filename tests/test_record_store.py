"""The record in the store: events saved with their brief, queries over events and entities.

One suite for both backends (the `store` fixture runs each test on SQLite and PostgreSQL).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from builders import make_brief, make_event
from newsdesk.errors import NotFound, StoreError
from newsdesk.models import Actor
from newsdesk.store import Saved, Store


def test_events_are_saved_with_their_brief(store: Store) -> None:
    brief = make_brief("a1", events=(make_event("AGREE", sentence=0, object="a defence pact"),))
    store.save(brief)
    [stored] = store.events_between("JPN", "PHL")
    assert (stored.article_id, stored.event, stored.published) == (
        "a1",
        brief.events[0],
        "2025-01-02",
    )
    assert stored.sentence_text == brief.sentences[0]
    assert store.get("a1").events == brief.events


def test_pair_events_come_oldest_first_either_way_round(store: Store) -> None:
    store.save(make_brief("late", published="2025-03-01", text=_text("late"),
                          events=(make_event("AID", actor="PHL", target="JPN"),)))  # fmt: skip
    store.save(make_brief("early", published="2024-01-01", text=_text("early"), url=None,
                          events=(make_event("CONSULT"),)))  # fmt: skip
    assert [s.article_id for s in store.events_between("PHL", "JPN")] == ["early", "late"]
    assert [s.article_id for s in store.events_between("JPN", "PHL", before="2025-01-01")] == [
        "early"
    ]
    assert [s.article_id for s in store.events_between("JPN", "PHL", exclude="early")] == ["late"]


def test_reingest_with_new_text_replaces_the_events(store: Store) -> None:
    store.save(make_brief("a1", events=(make_event("AGREE"), make_event("CONSULT"))))
    changed = make_brief("a1", text="Japan and the Philippines fell out. Manila protested loudly.",
                         events=(make_event("PROTEST", actor="PHL", target="JPN"),))  # fmt: skip
    assert store.save(changed).outcome == Saved.UPDATED
    assert [s.event.action for s in store.events_between("JPN", "PHL")] == ["PROTEST"]


def test_a_failed_save_leaves_no_events(store: Store) -> None:
    bad = make_brief("a1", events=(make_event("AGREE"),))
    bad = replace(bad, labels=(None,))  # type: ignore[arg-type]
    with pytest.raises(StoreError):
        store.save(bad)
    assert store.events_between("JPN", "PHL") == []
    assert store.all_events() == []


def test_events_of_an_entity_and_of_a_country(store: Store) -> None:
    store.save(make_brief("a1", events=(make_event("AGREE"),
                                        make_event("AID", actor="USA", target="PHL"))))  # fmt: skip
    assert len(store.events_of(country="PHL")) == 2
    assert [s.event.action for s in store.events_of(name="Japan")] == ["AGREE"]
    assert store.events_of(name="Nobody") == []


def test_pair_counts_feed_the_graph(store: Store) -> None:
    store.save(make_brief("a1", events=(make_event("AGREE"), make_event("AGREE"),
                                        make_event("AID", actor="USA", target="PHL"))))  # fmt: skip
    assert sorted(store.pair_counts()) == [("JPN", "PHL", "AGREE", 2), ("USA", "PHL", "AID", 1)]


def test_entities_are_indexed_with_their_articles(store: Store) -> None:
    store.save(make_brief("a1"))
    store.save(make_brief("a2", text=_text("two"), url=None))
    [japan] = store.entity_index(kind="country")
    assert (japan.name, japan.country, japan.articles) == ("Japan", "JPN", 2)
    assert store.entity("country", "Japan") == japan
    assert store.entity_index_of(None, "japan") == [japan]
    assert store.country_entity("JPN") == japan
    assert {a.id for a in store.entity_articles("country", "Japan")} == {"a1", "a2"}
    assert store.entity_articles("country", "Japan")[0].sentences == (0, 2)
    with pytest.raises(NotFound):
        store.entity("person", "Japan")


def test_an_entity_learns_its_country_once_and_keeps_it(store: Store) -> None:
    [japan] = make_brief("a1").entities
    store.save(make_brief("a1", entities=(replace(japan, country=None),)))
    assert store.entity("country", "Japan").country is None
    store.save(make_brief("a2", text=_text("two"), url=None))
    store.save(make_brief("a3", text=_text("three"), url=None,
                          entities=(replace(japan, country="XXX"),)))  # fmt: skip
    assert store.entity("country", "Japan").country == "JPN"
    assert store.entity("country", "Japan").articles == 3


def test_odd_entity_names_find_nothing(store: Store) -> None:
    store.save(make_brief("a1"))
    for odd in ("Japan\x00", "J%", "'; DROP TABLE entities; --", "\ud800"):
        with pytest.raises(NotFound):
            store.entity("country", odd)
        assert store.events_of(name=odd) == []


def test_articles_naming_countries_together(store: Store) -> None:
    store.save(make_brief("a1", published="2024-01-01"))
    store.save(make_brief("a2", published="2025-01-01", text=_text("two"), url=None))
    assert [c.id for c in store.together(["JPN"])] == ["a1", "a2"]
    assert [c.id for c in store.together(["JPN"], before="2024-06-01")] == ["a1"]
    assert [c.id for c in store.together(["JPN"], exclude="a1")] == ["a2"]
    assert store.together(["JPN", "PHL"]) == []


def test_all_events_in_batches(store: Store) -> None:
    store.save(
        make_brief("a1", events=tuple(make_event("AGREE", sentence=i % 3) for i in range(5)))
    )
    assert len(store.all_events(limit=3)) == 3
    assert len(store.all_events(limit=3, offset=3)) == 2


def test_an_event_without_a_target_is_kept(store: Store) -> None:
    lone = replace(make_event("MOBILIZE"), target=None)
    store.save(make_brief("a1", events=(lone,)))
    assert store.events_of(name="Japan")[0].event == lone
    assert store.events_between("JPN", "PHL") == []


def test_odd_characters_in_event_fields_are_stored(store: Store) -> None:
    odd = replace(make_event("AGREE"), object="pact <b>bold</b>",
                  target=Actor("Phil\ud800ippines", "PHL", "government"))  # fmt: skip
    store.save(make_brief("a1", events=(odd,)))
    [stored] = store.events_between("JPN", "PHL")
    assert "<b>bold</b>" in stored.event.object


def _text(word: str) -> str:
    return (
        f"Japan and the Philippines met about {word}. Manila said {word}. Tokyo agreed on {word}."
    )
