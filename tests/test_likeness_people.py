"""Two arrests of one kind told apart by the person each report is about."""

from __future__ import annotations

from newsdesk.analyse.likeness import main_person, profile, same_story, signals


def _report(player: str, position: str) -> list[str]:
    surname = player.split()[-1]
    return [
        f"San Diego Chargers {position} {player} was arrested on suspicion of drunken driving.",
        f"{surname} was stopped on a San Diego freeway early on Sunday, police said.",
        f"The Chargers said {surname} would not comment.",
    ]


def test_reports_mainly_about_different_people_count_against_one_story() -> None:
    jackson = profile(_report("Vincent Jackson", "receiver"))
    also_jackson = profile(_report("Vincent Jackson", "wide receiver"))
    williams = profile(_report("Jamal Williams", "tackle"))
    assert (main_person(jackson), main_person(williams)) == ("jackson", "williams")
    assert signals(jackson, also_jackson, 0.9).other_main_person == 0.0
    apart = signals(jackson, williams, 0.9)
    assert apart.other_main_person == 1.0
    assert same_story(apart) < same_story(signals(jackson, also_jackson, 0.9))


def test_places_and_common_words_in_capitals_are_not_people() -> None:
    found = profile(
        ["Microsoft Releases Emergency Patch for Internet Explorer in San Diego.",
         "The emergency patch fixes Internet Explorer, Microsoft said."]
    )  # fmt: skip
    assert found.prominent == {}
