"""Story repair: a join that shows a story to hold two events splits it (store/decide.py)."""

from __future__ import annotations

import sqlite3

import numpy as np

from builders import make_brief
from newsdesk.analyse.likeness import profile
from newsdesk.analyse.neardup import signature
from newsdesk.models import Brief
from newsdesk.store import decide, open_store

QUAKE = (
    "A magnitude {m} earthquake struck {place} early on {day}, toppling houses in {town}.",
    "Rescuers in {town} pulled {n} people from the rubble, the {place} civil defence said.",
    "The quake's epicentre lay {km} kilometres south of {town}, seismologists at {agency} said.",
)
EVENTS = (
    dict(m="6.1", place="Indonesia", day="Tuesday", town="Padang", n="12", km="40",
         agency="BMKG"),
    dict(m="5.4", place="Peru", day="Sunday", town="Arequipa", n="3", km="85",
         agency="IGP"),
)  # fmt: skip


def _member(event: int, copy: int) -> decide.Member:
    sentences = [s.format(**EVENTS[event]) for s in QUAKE[copy:] + QUAKE[:copy]]
    text = " ".join(sentences)
    names = [EVENTS[event]["place"], EVENTS[event]["town"], EVENTS[event]["agency"]]
    return decide.Member(f"e{event}-{copy}", "s1", None, "", profile(sentences, names),
                         signature(text))  # fmt: skip


def _cosines(events: list[int], across: float) -> np.ndarray:
    same = np.equal.outer(events, events)
    return np.where(same, 0.9, across)


def test_a_story_of_two_events_loses_the_group_its_first_article_is_not_in() -> None:
    members = [_member(0, 0), _member(0, 1), _member(1, 0), _member(0, 2), _member(1, 1),
               _member(1, 2)]  # fmt: skip
    leaving = decide.split_off(members, _cosines([0, 0, 1, 0, 1, 1], 0.6))
    assert [m.article_id for m in leaving] == ["e1-0", "e1-1", "e1-2"]


def test_a_story_of_one_event_stays_whole() -> None:
    members = [_member(0, copy) for copy in range(3)] + [_member(0, 0), _member(0, 1)]
    assert decide.split_off(members, _cosines([0] * 5, 0.9)) == []


def test_a_stray_article_alone_does_not_split_a_story() -> None:
    members = [_member(0, 0), _member(0, 1), _member(0, 2), _member(1, 0)]
    assert decide.split_off(members, _cosines([0, 0, 0, 1], 0.6)) == []


def _brief(event: int, copy: int) -> Brief:
    sentences = [s.format(**EVENTS[event]) for s in QUAKE[copy:] + QUAKE[:copy]]
    place = EVENTS[event]["place"]
    return make_brief(f"e{event}-{copy}", title=f"Earthquake in {place}", text=" ".join(sentences),
                      url=f"https://example.com/{event}/{copy}", published="2025-03-02",
                      entities=())  # fmt: skip


def test_a_story_an_early_wrong_join_mixed_splits_and_keeps_its_id_for_its_first_event(
    store_location: str,
) -> None:
    store = open_store(store_location)
    for event, copy in ((0, 0), (0, 1), (0, 2), (1, 0), (1, 1)):
        store.save(_brief(event, copy))
    first = store.story_of("e0-0")
    assert first is not None
    _put_all_in_one_story(store_location, first.id)  # what one early wrong join leaves behind
    store.save(_brief(1, 2))
    kept, split = store.story_of("e0-0"), store.story_of("e1-2")
    store.close()
    assert kept is not None and split is not None
    assert kept.id == first.id and set(kept.articles) == {"e0-0", "e0-1", "e0-2"}
    assert set(split.articles) == {"e1-0", "e1-1", "e1-2"}


def _put_all_in_one_story(location: str, story_id: str) -> None:
    if location.startswith("postgresql"):
        import psycopg

        with psycopg.connect(location, autocommit=True) as pg:
            pg.execute("UPDATE story_members SET story_id = %s", (story_id,))
        return
    with sqlite3.connect(location) as db:
        db.execute("UPDATE story_members SET story_id = ?", (story_id,))
