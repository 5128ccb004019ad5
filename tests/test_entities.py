"""Entities a reader would expect to see listed for an article, and none they would not."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from builders import SAMPLE_PAGE
from newsdesk.analyse.entities import find_entities
from newsdesk.analyse.sentences import split_sentences
from newsdesk.cli import app
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


def test_gulf_and_clerical_titles_and_al_surnames_make_a_full_name() -> None:
    found = entities_of(
        "Kuwaiti Sheikh Sabah al-Ahmad al-Sabah met Iraqi Ayatollah Ali al-Sistani. "
        "Egyptian President Abdel Fattah el-Sisi was not there."
    )
    assert found["Sabah al-Ahmad al-Sabah"].role == "Sheikh"
    assert found["Sabah al-Ahmad al-Sabah"].country == "KWT"
    assert found["Ali al-Sistani"].role == "Ayatollah"
    assert found["Abdel Fattah el-Sisi"].country == "EGY"


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


# --- one entity per person, and policies (issue 7, point 8) ---------------------------------

IMPEACHMENT = (
    "Gordon Sondland, the U.S. ambassador to the European Union, testified on Wednesday. "
    "Ambassador Sondland said he followed the president's orders. "
    "Kurt Volker, the former special envoy, spoke next. "
    "Yet Ambassador Volker said he knew nothing. Sondland later flew to Brussels."
)


def test_surname_only_person_takes_the_full_name_given_earlier() -> None:
    found = entities_of(IMPEACHMENT)
    sondland, volker = found["Gordon Sondland"], found["Kurt Volker"]
    assert "Sondland" not in found and "Volker" not in found
    assert (sondland.kind, sondland.role) == (EntityKind.PERSON, "Ambassador")
    assert [(m.sentence, m.text) for m in sondland.mentions] == [
        (0, "Gordon Sondland"), (1, "Sondland"), (4, "Sondland")]  # fmt: skip
    assert [m.sentence for m in volker.mentions] == [2, 3]


def test_full_name_given_after_the_surname_is_found_too() -> None:
    found = entities_of(
        "Mr. Assange denies wrongdoing. WikiLeaks founder Julian Assange was arrested in London."
    )
    assert [m.sentence for m in found["Julian Assange"].mentions] == [0, 1]


def test_two_people_with_one_surname_leave_the_surname_alone() -> None:
    found = entities_of("Mr. Miller spoke. Anna Miller and Tom Miller disagreed with him.")
    assert "Miller" in found
    assert not {"Anna Miller", "Tom Miller"} & set(found)


@pytest.mark.parametrize(
    "words_before",
    ["Yet Ambassador", "Climate Envoy", "Japan's", "The"],
)
def test_words_that_are_not_given_names_are_not_kept(words_before: str) -> None:
    found = entities_of(f"Envoy Kerry arrived. {words_before} Kerry spoke about climate.")
    assert set(found) & {n for n in found if n.endswith("Kerry")} == {"Kerry"}


def test_spellings_of_one_surname_are_one_person() -> None:
    found = entities_of(
        "President Zelenskiy spoke to reporters in Kyiv. "
        "Volodymyr Zelenskyy thanked the allies. Later, Zelensky left for Warsaw."
    )
    people = [e for e in found.values() if e.kind is EntityKind.PERSON]
    assert [p.name for p in people] == ["Volodymyr Zelenskyy"]
    assert [m.text for m in people[0].mentions] == ["Zelenskiy", "Volodymyr Zelenskyy", "Zelensky"]
    assert (people[0].role, people[0].country) == ("President", "UKR")


def test_spellings_merge_by_rule_for_people_no_table_lists() -> None:
    found = entities_of("Minister Olha Stefanyshyna spoke. Later, Minister Stefanishyna left.")
    assert [e.name for e in found.values() if e.kind is EntityKind.PERSON] == ["Olha Stefanyshyna"]


def test_transliterations_listed_as_variants_find_the_full_name() -> None:
    found = entities_of("Col. Gadhafi spoke on television. Muammar Qaddafi ruled for decades.")
    gaddafi = found["Muammar Qaddafi"]
    assert (gaddafi.role, [m.text for m in gaddafi.mentions]) == (
        "Colonel", ["Gadhafi", "Muammar Qaddafi"])  # fmt: skip


@pytest.mark.parametrize(
    ("first", "second"), [("Johnson", "Johnston"), ("Hanson", "Hansen"), ("Martin", "Marin")]
)
def test_near_surnames_of_different_people_stay_apart(first: str, second: str) -> None:
    found = entities_of(f"Mr. {first} spoke. Then Mr. {second} answered him.")
    assert {first, second} <= set(found)


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Abe Doctrine", "JPN"),
        ("Free and Open Indo-Pacific", None),
        ("Official Security Assistance", "JPN"),
        ("Belt and Road Initiative", "CHN"),
        ("Indo-Pacific Strategy", None),
    ],
)
def test_listed_doctrines_strategies_and_programmes_are_policies(
    name: str, country: str | None
) -> None:
    entity = entities_of(f"Officials discussed the {name} on Monday.")[name]
    assert (entity.kind, entity.country) == (EntityKind.POLICY, country)


@pytest.mark.parametrize(
    ("text", "name", "kind", "country"),
    [
        ("India's Look West Policy began.", "Look West Policy", EntityKind.POLICY, "IND"),
        ("The Monroe Doctrine is old.", "Monroe Doctrine", EntityKind.POLICY, None),
        ("Japan's National Security Strategy was revised.", "National Security Strategy",
         EntityKind.POLICY, "JPN"),
        ("Seoul ran the Youth Leaders Programme.", "Youth Leaders Programme", EntityKind.POLICY,
         None),
        ("Tokyo backs a Free and Open Pacific.", "Free and Open Pacific", EntityKind.POLICY, None),
        ("They set up the Trilateral Maritime Security Cooperation Framework.",
         "Trilateral Maritime Security Cooperation Framework", EntityKind.AGREEMENT, None),
        ("They began the U.S.-Japan Critical Minerals Initiative.",
         "U.S.-Japan Critical Minerals Initiative", EntityKind.AGREEMENT, None),
        ("They signed the Reciprocal Access Agreement.", "Reciprocal Access Agreement",
         EntityKind.AGREEMENT, None),
    ],
)  # fmt: skip
def test_unlisted_policies_are_known_by_their_head_words(
    text: str, name: str, kind: EntityKind, country: str | None
) -> None:
    entity = entities_of(text)[name]
    assert (entity.kind, entity.country) == (kind, country)


def test_a_title_a_body_or_a_un_agency_is_not_a_policy() -> None:
    found = entities_of(
        "The Deputy Secretary for Strategy met the World Food Programme in Rome. "
        "The Office of National Drug Control Policy and the Bureau of Cyberspace and Digital "
        "Policy joined them."
    )
    assert not [e.name for e in found.values() if e.kind is EntityKind.POLICY]
    assert found["World Food Programme"].kind is EntityKind.ORGANISATION


def test_brief_json_carries_policies_and_full_names() -> None:
    text = (
        "Japanese Prime Minister Fumio Kishida set out the Abe Doctrine anew on Monday. "
        "Gordon Sondland, the U.S. ambassador to the European Union, praised the "
        "Free and Open Indo-Pacific. Ambassador Sondland said Japan would expand its "
        "Official Security Assistance to the Philippines. President Zelenskiy welcomed it, and "
        "Volodymyr Zelenskyy thanked Tokyo."
    )
    result = CliRunner().invoke(app, ["brief", "--json", "-"], input=text)
    assert result.exit_code == 0, result.stderr
    entities = {e["name"]: e for e in json.loads(result.stdout.splitlines()[0])["entities"]}
    for policy in ("Abe Doctrine", "Free and Open Indo-Pacific", "Official Security Assistance"):
        assert entities[policy]["kind"] == "policy"
    assert entities["Gordon Sondland"]["mentions"] == [1, 2]  # the sentences naming him
    assert entities["Volodymyr Zelenskyy"]["mentions"] == [3]
    assert "Sondland" not in entities and "Zelenskiy" not in entities
