"""The event coder: who did what to whom, in the sample page and in sentences a user writes."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from newsdesk.analyse.entities import find_entities
from newsdesk.analyse.events import find_events
from newsdesk.cli import app
from newsdesk.models import Event

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "demo" / "quasi-alliance-page.txt"


def events_of(*sentences: str) -> tuple[Event, ...]:
    return find_events(sentences, find_entities(sentences))


def sample_events() -> list[dict]:
    import json

    result = CliRunner().invoke(app, ["brief", "--json", str(SAMPLE)])
    assert result.exit_code == 0
    return json.loads(result.stdout)["events"]


def test_sample_page_events_are_those_the_article_reports() -> None:
    events = sample_events()
    found = {(e["action"], e["modality"]) for e in events}
    assert ("AGREE", "asserted") in found  # the Comprehensive Strategic Partnership
    assert ("CONSULT", "negotiating") in found  # the Reciprocal Access Agreement
    assert ("AID", "planned") in found  # frigates and TC-90 aircraft
    assert ("MOBILIZE", "asserted") in found  # missiles and exercises
    assert ("DISAPPROVE", "asserted") in found  # the critics
    by_action = {e["action"]: e for e in events}
    assert "Comprehensive Strategic Partnership" in by_action["AGREE"]["object"]
    assert "Reciprocal Access Agreement" in by_action["CONSULT"]["object"]
    aid = by_action["AID"]
    assert (aid["actor"]["country"], aid["target"]["country"]) == ("JPN", "PHL")
    assert "Abukuma-class" in aid["object"] and "TC-90" in aid["object"]
    assert by_action["MOBILIZE"]["actor"]["sector"] == "military"
    assert by_action["DISAPPROVE"]["actor"]["name"].lower() == "critics"


def test_each_event_has_the_shape_design_fixes() -> None:
    for event in sample_events():
        assert set(event) >= {"actor", "target", "action", "object", "modality", "sentence"}
        assert set(event["actor"]) == {"name", "country", "sector"}
        assert event["modality"] in {"asserted", "planned", "negotiating", "denied", "hypothetical"}
        assert isinstance(event["sentence"], int)


def test_engaging_with_a_country_is_not_fighting() -> None:
    events = events_of("Vietnam is engaging actively with Japan on maritime security.")
    assert all(e.action != "FIGHT" for e in events)


def test_unknown_name_never_becomes_a_country() -> None:
    [event] = events_of("Zubrowkan soldiers attacked the village of Lutz on Sunday.")
    assert event.action in {"FIGHT", "ASSAULT"}
    assert event.actor.country is None


def test_sentence_without_an_actor_yields_no_event() -> None:
    assert events_of("It was attacked on Sunday, they said.") == ()
    assert events_of("The weather was fine in the morning and people went out.") == ()


def test_modality_follows_the_words_around_the_verb() -> None:
    [denied] = events_of("Bangladesh refused to sign the trade agreement with India.")
    assert denied.action == "REJECT"
    [planned] = events_of("Japan will send aid to the Philippines next year.")
    assert (planned.modality, planned.category) == ("planned", "AGREE")
    [hypothetical] = events_of("Iran could attack Iraq if the talks fail.")
    assert hypothetical.modality == "hypothetical"
    assert hypothetical.category == "THREATEN"


def test_passive_voice_swaps_actor_and_target() -> None:
    [event] = events_of("The convoy was attacked by Sudanese rebels near Juba.")
    assert event.actor.country == "SDN"
    assert event.actor.sector == "rebels"


def test_arrests_are_coercion_and_coordinated_verbs_share_their_subject() -> None:
    [arrest] = events_of("Police arrested 20 protesters in Ankara on Sunday.")
    assert arrest.action == "COERCE"
    events = events_of(
        "A roadside bomb near Samarra killed one U.S. soldier and wounded two others."
    )
    assert all(e.actor.country != "USA" for e in events)  # the victim is not the attacker
