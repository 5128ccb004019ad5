"""Section labels and the kind of piece, as a reader would judge them."""

from __future__ import annotations

import pytest

from builders import SAMPLE_PAGE
from newsdesk.analyse.entities import find_entities
from newsdesk.analyse.labels import classify
from newsdesk.analyse.sentences import split_sentences
from newsdesk.models import PieceKind


def labels_of(title: str, text: str) -> tuple[tuple[str, ...], PieceKind]:
    sentences = split_sentences(text)
    return classify(title, sentences, find_entities(sentences))


def test_sample_page_is_defense_and_diplomacy_analysis() -> None:
    page = SAMPLE_PAGE.read_text(encoding="utf-8")
    title = page.splitlines()[0]
    body = page[page.index("The diplomatic landscape") : page.index("Share Article")]
    labels, kind = labels_of(title, body)
    assert {"Defense", "Diplomacy"} <= set(labels)
    assert 1 <= len(labels) <= 3
    assert kind is PieceKind.ANALYSIS


# A White House readout (public domain, see shared/corpus).
READOUT = (
    "President Joseph R. Biden, Jr. spoke today with Prime Minister Suga Yoshihide of Japan "
    "at the G7 to discuss shared challenges in the Indo-Pacific and the world, including "
    "COVID-19, climate change, North Korea, China, and preserving peace and stability across "
    "the Taiwan Strait. President Biden affirmed his support for strengthening our alliance, "
    "extending U.S.-Japan cooperation to new areas like the Build Back Better World (B3W) "
    "initiative and strengthening our shared ties with other allies and partners. President "
    "Biden affirmed his support for the Tokyo Olympic Games moving forward with all public "
    "health measures necessary to protect athletes, staff and spectators."
)


def test_white_house_readout_is_a_diplomacy_report() -> None:
    labels, kind = labels_of(
        "Readout of President Biden’s Meeting with Prime Minister Suga Yoshihide of Japan", READOUT
    )
    assert labels[0] == "Diplomacy"
    assert kind is PieceKind.REPORT


def test_opinion_from_title_marker() -> None:
    _, kind = labels_of(
        "Opinion: Manila needs its own navy", "The navy is small. Ships cost money."
    )
    assert kind is PieceKind.OPINION


def test_opinion_from_first_person_argument() -> None:
    text = (
        "I believe the alliance is at a turning point. We must invest in the coast guard now. "
        "In my view, Tokyo should stop hesitating. The government should act this year. "
        "Nobody else will do it for us."
    )
    assert labels_of("Time to choose", text)[1] is PieceKind.OPINION


def test_analysis_from_hedged_language() -> None:
    text = (
        "Analysts say the deal could reshape the region. The move may signal a broader strategy. "
        "However, critics warn it risks a backlash. Its sustainability remains to be seen."
    )
    assert labels_of("What the deal means", text)[1] is PieceKind.ANALYSIS


def test_plain_news_is_a_report() -> None:
    text = (
        "A magnitude 7.1 earthquake struck off the coast on Tuesday. Rescue teams reached the "
        "town by evening. The death toll rose to 12, officials said. Thousands were evacuated."
    )
    labels, kind = labels_of("Earthquake strikes coast", text)
    assert labels[0] == "Disaster"
    assert kind is PieceKind.REPORT


@pytest.mark.parametrize(
    ("title", "text", "section"),
    [
        ("Tariffs rise", "The tariffs on steel exports and imports hit trade.", "Trade"),
        (
            "Chip rules",
            "New semiconductor export controls target AI chips and quantum.",
            "Technology",
        ),
        (
            "Vaccines shipped",
            "The vaccine doses will fight the pandemic and protect health.",
            "Health",
        ),
    ],
)
def test_topic_sections(title: str, text: str, section: str) -> None:
    assert section in labels_of(title, text)[0]


def test_always_at_least_one_label() -> None:
    labels, kind = labels_of("", "Hello there.")
    assert len(labels) == 1
    assert kind is PieceKind.REPORT


def test_two_word_keywords_count() -> None:
    from newsdesk.analyse.labels import classify

    sentences = [
        "Officials discussed supply chains and export controls on chips with trade partners."
    ]
    labels, _ = classify("Supply chains", sentences, ())
    assert labels[0] == "Trade"
