"""Entities a reader would expect to see listed for an article, and none they would not."""

from __future__ import annotations

import pytest

from builders import SAMPLE_PAGE
from newsdesk.analyse.entities import find_entities
from newsdesk.analyse.sentences import split_sentences
from newsdesk.models import Entity, EntityKind


def entities_of(text: str) -> dict[str, Entity]:
    return {entity.name: entity for entity in find_entities(split_sentences(text))}


def names(text: str) -> set[tuple[str, EntityKind]]:
    return {(entity.name, entity.kind) for entity in entities_of(text).values()}


@pytest.fixture(scope="module")
def sample_page() -> dict[str, Entity]:
    page = SAMPLE_PAGE.read_text(encoding="utf-8")
    return entities_of(page[: page.index("Share Article")])


@pytest.mark.parametrize(
    ("name", "kind", "country"),
    [
        ("Japan", EntityKind.COUNTRY, "JPN"),
        ("Philippines", EntityKind.COUNTRY, "PHL"),
        ("United States", EntityKind.COUNTRY, "USA"),
        ("China", EntityKind.COUNTRY, "CHN"),
        ("Sanae Takaichi", EntityKind.PERSON, "JPN"),
        ("Ferdinand Marcos Jr.", EntityKind.PERSON, "PHL"),
        ("Reciprocal Access Agreement", EntityKind.AGREEMENT, None),
        ("Comprehensive Strategic Partnership", EntityKind.AGREEMENT, None),
        ("Official Security Assistance", EntityKind.POLICY, "JPN"),
        ("Abukuma-class frigate", EntityKind.WEAPON, None),
        ("TC-90", EntityKind.WEAPON, "JPN"),
        ("Philippine Coast Guard", EntityKind.ORGANISATION, "PHL"),
        ("Japan Self-Defense Forces", EntityKind.ORGANISATION, "JPN"),
    ],
)
def test_sample_page_names_its_actors(
    sample_page: dict[str, Entity], name: str, kind: EntityKind, country: str | None
) -> None:
    entity = sample_page[name]
    assert entity.kind is kind
    assert entity.country == country


def test_sample_page_people_carry_their_titles(sample_page: dict[str, Entity]) -> None:
    assert sample_page["Sanae Takaichi"].role == "Prime Minister"
    assert sample_page["Ferdinand Marcos Jr."].role == "President"


def test_surname_and_administration_mentions_join_the_person(
    sample_page: dict[str, Entity],
) -> None:
    surfaces = {m.text for m in sample_page["Sanae Takaichi"].mentions}
    assert surfaces == {"Sanae Takaichi", "Takaichi"}  # "the Takaichi administration"


def test_sample_page_lists_only_the_five_kinds_and_no_chrome(
    sample_page: dict[str, Entity],
) -> None:
    assert not {"Key Takeaways", "Editor's", "Strategic Analysis", "China Daily"} & set(sample_page)
    assert all(isinstance(entity.kind, EntityKind) for entity in sample_page.values())


def test_entities_are_ordered_by_first_mention() -> None:
    found = find_entities(["Manila hosted talks.", "Later, Tokyo and Manila agreed."])
    assert [e.name for e in found] == ["Philippines", "Japan"]
    assert [(m.sentence, m.text) for m in found[0].mentions] == [(0, "Manila"), (1, "Manila")]


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Officials from the People's Republic of China arrived.", "CHN"),
        ("The Republic of Korea hosted the meeting.", "KOR"),
        ("The DPRK fired a missile.", "PRK"),
        ("U.S. officials met their U.K. counterparts.", "USA"),
        ("U.S. officials met their U.K. counterparts.", "GBR"),
        ("Filipino fishermen were harassed.", "PHL"),
        ("The Japanese Prime Minister spoke.", "JPN"),
        ("Washington and Canberra agreed.", "AUS"),
        ("Washington and Canberra agreed.", "USA"),
        ("Talks in Hanoi and Taipei ended.", "VNM"),
        ("Talks in Hanoi and Taipei ended.", "TWN"),
        ("The U.S.-ROK alliance is ironclad.", "KOR"),
    ],
)
def test_countries_from_names_demonyms_capitals_and_abbreviations(text: str, country: str) -> None:
    assert country in {e.country for e in find_entities([text]) if e.kind is EntityKind.COUNTRY}


@pytest.mark.parametrize(
    "text",
    [
        "In May the Washington Post reported that Chad Smith visited Washington state.",
        "Monday was quiet. March brought rain. The Strategy was unclear.",
        "The South China Sea and the Korean Peninsula are tense, Latin American leaders said.",
        "Michael Jordan and George Washington never met.",
        "The G-7 leaders discussed COVID-19 vaccines and H-1B visas.",
        "Beijing Olympics organisers and Seoul National University held a forum.",
        "However, Strong Growth Continued Through December.",
    ],
)
def test_tricky_sentences_yield_no_countries_people_or_weapons(text: str) -> None:
    unwanted = {EntityKind.COUNTRY, EntityKind.PERSON, EntityKind.WEAPON, EntityKind.AGREEMENT}
    assert not [e.name for e in find_entities(split_sentences(text)) if e.kind in unwanted]


def test_new_leader_is_found_from_title_without_a_table_entry() -> None:
    found = entities_of(
        "Japanese Prime Minister Hana Suzuki met Vietnamese Defense Minister Phan Van Giang. "
        "Later, Suzuki said the Vietnamese Coast Guard would join the drills."
    )
    suzuki = found["Hana Suzuki"]
    assert (suzuki.kind, suzuki.role, suzuki.country) == (
        EntityKind.PERSON,
        "Prime Minister",
        "JPN",
    )
    assert [m.sentence for m in suzuki.mentions] == [0, 1]
    assert found["Phan Van Giang"].role == "Defense Minister"
    assert found["Phan Van Giang"].country == "VNM"
    assert found["Vietnamese Coast Guard"].kind is EntityKind.ORGANISATION
    assert found["Vietnamese Coast Guard"].country == "VNM"


# Real sentences from the White House briefing room (public domain, see shared/corpus).
def test_white_house_readout_people_and_countries() -> None:
    found = entities_of(
        "President Joseph R. Biden, Jr. spoke today with Prime Minister Kishida Fumio of Japan "
        "to congratulate him on his election. President Biden looks forward to welcoming "
        "Republic of Korea President Moon Jae-in to the White House on May 21, 2021."
    )
    assert found["Joe Biden"].role == "President"
    assert [m.text for m in found["Joe Biden"].mentions] == ["Joseph R. Biden, Jr.", "Biden"]
    assert (found["Fumio Kishida"].role, found["Fumio Kishida"].country) == (
        "Prime Minister",
        "JPN",
    )
    assert found["Moon Jae-in"].country == "KOR"
    assert found["White House"].kind is EntityKind.ORGANISATION
    assert "May" not in found


def test_white_house_agreements_and_abbreviations() -> None:
    found = entities_of(
        "The National Security Advisors welcomed the 70th anniversary of the Mutual Defense "
        "Treaty and discussed opportunities to strengthen the U.S.-Philippines Alliance. "
        "We are strengthening our security cooperation related to the Enhanced Defense "
        "Cooperation Agreement, or “EDCA.” The EDCA sites will grow."
    )
    assert found["Mutual Defense Treaty"].kind is EntityKind.AGREEMENT
    edca = found["Enhanced Defense Cooperation Agreement"]
    assert [m.text for m in edca.mentions] == [
        "Enhanced Defense Cooperation Agreement",
        "EDCA",
        "EDCA",
    ]
    assert {"United States", "Philippines"} <= set(found)


def test_abbreviation_in_parentheses_becomes_an_alias() -> None:
    found = entities_of(
        "The two sides launched the Joint Maritime Domain Awareness Framework (MDAF) today. "
        "Officials said MDAF would start next year."
    )
    framework = found["Joint Maritime Domain Awareness Framework"]
    assert framework.kind is EntityKind.AGREEMENT  # "Joint": a framework between parties
    assert [(m.sentence, m.text) for m in framework.mentions][1:] == [(0, "MDAF"), (1, "MDAF")]


def test_weapons_from_table_and_patterns() -> None:
    found = entities_of(
        "The Philippines will buy BrahMos missiles, HIMARS and Patriot missile batteries, "
        "plus two Arleigh Burke-class destroyers and MQ-9B drones."
    )
    weapons = {e.name for e in found.values() if e.kind is EntityKind.WEAPON}
    assert weapons == {
        "BrahMos",
        "HIMARS",
        "Patriot",
        "Arleigh Burke-class destroyer",
        "MQ-9 Reaper",
    }


def test_organisations_from_table_and_patterns() -> None:
    found = entities_of(
        "Gen. Romeo Brawner Jr. said the Armed Forces of the Philippines watched the "
        "People’s Liberation Army Navy. ASEAN and NATO officials and the Pentagon agreed."
    )
    assert found["Romeo Brawner Jr."].role == "General"
    assert found["Armed Forces of the Philippines"].country == "PHL"
    assert found["People's Liberation Army Navy"].country == "CHN"
    assert found["U.S. Department of Defense"].country == "USA"
    assert {"Association of Southeast Asian Nations", "North Atlantic Treaty Organization"} <= set(
        found
    )


def test_quoted_agreement_name_is_cleaned() -> None:
    found = entities_of("They upgraded ties to a 'Comprehensive Strategic Partnership,' he said.")
    partnership = found["Comprehensive Strategic Partnership"]
    assert [m.text for m in partnership.mentions] == ["Comprehensive Strategic Partnership"]


def test_empty_input() -> None:
    assert find_entities([]) == ()
