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
DEMO = ROOT / "data" / "demo" / "whitehouse-indopacific.jsonl"


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


def test_a_listed_leader_the_entity_finder_missed_acts_for_his_country() -> None:
    [event] = events_of("Ariel Sharon condemned the attack on Sunday.")
    assert (event.category, event.actor.country) == ("DISAPPROVE", "ISR")


def test_leaders_of_earlier_years_act_for_their_country() -> None:
    [event] = events_of("Yeltsin rejected the peace plan on Monday.")
    assert (event.category, event.actor.country) == ("REJECT", "RUS")
    [event] = events_of("Gaddafi offered to hand over the two suspects.")
    assert event.actor.country == "LBY"


def test_leaders_of_the_1970s_and_1980s_act_for_their_country() -> None:
    [event] = events_of("President Reagan condemned the Soviet invasion of Afghanistan.")
    assert (event.category, event.actor.country) == ("DISAPPROVE", "USA")
    [event] = events_of("Honecker rejected the reforms on Monday.")
    assert (event.category, event.actor.country) == ("REJECT", "DEU")
    assert events_of("Mengistu accused Sudan of arming the rebels.")[0].actor.country == "ETH"


def test_a_titled_sheikh_with_an_al_surname_is_the_listed_leader() -> None:
    [first, *_] = events_of("Sheikh Hamad bin Khalifa al-Thani met the Saudi king in Riyadh.")
    assert (first.actor.name, first.actor.country) == ("Hamad bin Khalifa al-Thani", "QAT")


def test_a_group_based_or_operating_in_a_country_acts_for_it() -> None:
    [event] = events_of("A rebel group based in Trinidad attacked a police station.")
    assert (event.actor.name, event.actor.country) == ("rebel group", "TTO")
    [event] = events_of("Guerrillas operating in Colombia kidnapped two engineers.")
    assert (event.category, event.actor.name, event.actor.country) == (
        "COERCE",
        "Guerrillas",
        "COL",
    )


def test_former_names_and_seats_of_government_stand_for_the_state() -> None:
    assert events_of("Czechoslovakia expelled two diplomats.")[0].actor.country == "CZE"
    assert events_of("Bonn rejected the demand on Monday.")[0].actor.country == "DEU"
    [event] = events_of("Rangoon accused Thailand of sheltering the rebels.")
    assert (event.actor.country, event.target and event.target.country) == ("MMR", "THA")


def test_peoples_and_regions_of_one_state_act_for_that_state() -> None:
    assert events_of("Zulu militants attacked a township.")[0].actor.country == "ZAF"
    assert events_of("Tigrayan rebels captured the town.")[0].actor.country == "ETH"
    assert events_of("Krajina Serbs shelled the town of Karlovac.")[0].actor.country == "HRV"


def test_a_backing_country_is_not_the_actors_own() -> None:
    [event] = events_of("Pro-Iranian kidnappers in Lebanon released an American hostage.")
    assert (event.actor.country, event.target and event.target.country) == ("LBN", "USA")
    [event] = events_of("Iranian-backed Hezbollah guerrillas withdrew from the village.")
    assert (event.actor.name, event.actor.country) == ("Hezbollah", "LBN")
    [event] = events_of("Syrian-backed militiamen in Lebanon shelled a Christian village.")
    assert event.actor.country == "LBN"
    [event] = events_of("Vietnamese-led forces attacked guerrilla camps.")
    assert event.actor.country == "VNM"  # the leader is the actor


def test_a_city_places_its_actors_but_is_no_actor_itself() -> None:
    [event] = events_of("Police in Karachi arrested 20 people.")
    assert (event.actor.name, event.actor.country) == ("Police", "PAK")
    [event] = events_of("Basra residents protested against the British army.")
    assert (event.actor.country, event.target and event.target.country) == ("IRQ", "GBR")
    assert events_of("Gunmen killed two men in Fallujah.")[0].actor.country == "IRQ"
    assert events_of("Naomi Osaka defeated Serena Williams.") == ()


def test_armed_groups_act_where_they_fight_and_seats_stand_for_governments() -> None:
    assert events_of("FARC rebels kidnapped three soldiers.")[0].actor.country == "COL"
    assert events_of("The PKK attacked an army post.")[0].actor.country == "TUR"
    assert events_of("Chechen rebels ambushed a convoy.")[0].actor.country == "RUS"
    assert events_of("Downing Street said it would send troops.")[0].actor.country == "GBR"


def test_armed_groups_parties_and_seats_of_the_1980s_carry_their_country() -> None:
    assert events_of("RENAMO rebels attacked a train.")[0].actor.country == "MOZ"
    [event, *_] = events_of("SWAPO guerrillas ambushed a South African patrol.")
    assert (event.actor.country, event.target and event.target.country) == ("NAM", "ZAF")
    assert events_of("The Supreme Soviet rejected the plan.")[0].actor.country == "RUS"
    assert events_of("The Elysee condemned the bombing.")[0].actor.country == "FRA"


def test_transnational_groups_and_ngos_get_no_country_from_the_sentence() -> None:
    [event] = events_of("Al-Qaeda threatened new attacks on the United States.")
    assert (event.actor.country, event.target and event.target.country) == (None, "USA")
    assert events_of("Amnesty International accused Turkey of torture.")[0].actor.country is None


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


def test_people_and_officials_act_for_their_country() -> None:
    [leader] = events_of("Foreign Minister Kuleba condemned the strikes on the city.")
    assert leader.actor.country == "UKR"  # the leaders table
    [titled] = events_of("Vice-President Moody Awori has declined to resign, Kenyan media said.")
    assert (titled.actor.name, titled.actor.country) == ("Moody Awori", "KEN")
    article = (
        "Prime Minister Fumio Kishida arrived in Manila on Friday.",
        "The prime minister condemned the ramming of a Philippine vessel.",
    )
    condemned = events_of(*article)[-1]
    assert condemned.category == "DISAPPROVE"
    assert (condemned.actor.name, condemned.actor.country) == ("prime minister", "JPN")


def test_an_ethnic_group_acts_for_where_it_lives_not_its_kin_state() -> None:
    [event] = events_of("Ethnic Serb militias attacked villages in Bosnia on Sunday.")
    assert event.actor.country == "BIH"


def test_a_body_of_no_country_is_never_given_one() -> None:
    [event] = events_of("The United Nations condemned the attack on the village in Sudan.")
    assert event.actor.country is None


def test_an_act_no_verb_pattern_codes_falls_back_to_its_word() -> None:
    [event] = events_of("Kenyan farmers resorted to demonstrations in Nairobi on Monday.")
    assert (event.category, event.actor.country) == ("PROTEST", "KEN")


def test_a_lead_no_rule_codes_is_read_simply_and_only_the_lead() -> None:
    lead = "A mediation effort between Egypt and Sudan was launched on Saturday by the emir."
    [event] = events_of(lead)
    assert event.category == "CONSULT"
    assert {event.actor.country, event.target and event.target.country} == {"EGY", "SDN"}
    assert [e.sentence for e in events_of("Kenya hosted the talks on Friday.", lead)] == [0]


def test_leaders_acting_together_make_an_event_between_each_pair() -> None:
    events = events_of(
        "President Biden met with President Marcos of the Philippines and Prime Minister "
        "Kishida of Japan at the White House.",
        "The three leaders agreed to expand maritime cooperation.",
    )
    pairs = {
        (e.sentence, frozenset({e.actor.country, e.target and e.target.country})) for e in events
    }
    for sentence in (0, 1):
        assert {
            (sentence, frozenset(p)) for p in (("USA", "PHL"), ("USA", "JPN"), ("JPN", "PHL"))
        } <= pairs
    [joint] = [e for e in events_of("Japan, the Philippines and the United States agreed.")][:1]
    assert (joint.actor.country, joint.target and joint.target.country) == ("JPN", "PHL")


def test_demo_japan_philippines_relation_holds_the_trilateral_readouts(tmp_path: Path) -> None:
    """The White House releases on Japan and the Philippines together (their titles name
    both), with the sample page: the pair's record reaches back to the 2023 and 2024
    trilateral meetings, not only the sample page's three events."""
    import json

    rows = [json.loads(line) for line in DEMO.open(encoding="utf-8")]
    both = [r for r in rows if "Japan" in r["title"] and "Philippines" in r["title"]]
    source = tmp_path / "both.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in both) + "\n", encoding="utf-8")
    db = str(tmp_path / "demo.db")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", "--db", db, str(source), str(SAMPLE)]).exit_code == 0
    result = runner.invoke(app, ["relation", "JPN", "PHL", "--json", "--db", db])
    events = json.loads(result.stdout)["events"]
    trilateral = {e["published"][:4] for e in events if "trilateral" in e["article"]}
    assert {"2023", "2024"} <= trilateral
    assert len({e["article"] for e in events}) > 3
