"""The sentence splitter on real news text (snippets copied from the development data)."""

import pytest

from newsdesk.analyse.sentences import split_sentences

# From the sample page (samples/quasi-alliance-page.txt).
SAMPLE_PARAGRAPHS = (
    "The diplomatic landscape of the Indo-Pacific has shifted significantly as Tokyo and "
    "Manila elevate their relationship to a 'Comprehensive Strategic Partnership.' During "
    "recent high-level talks, Japanese Prime Minister Sanae Takaichi and Philippine President "
    "Ferdinand Marcos Jr. signaled a deepening of security ties that many analysts view as the "
    "birth of a functional quasi-alliance.\n\n"
    "Share Article\n\n"
    "Beyond diplomatic labels, the partnership is being cemented with hardware."
)


def test_sample_page_paragraphs_titles_and_quoted_endings():
    assert split_sentences(SAMPLE_PARAGRAPHS) == [
        "The diplomatic landscape of the Indo-Pacific has shifted significantly as Tokyo and "
        "Manila elevate their relationship to a 'Comprehensive Strategic Partnership.'",
        "During recent high-level talks, Japanese Prime Minister Sanae Takaichi and Philippine "
        "President Ferdinand Marcos Jr. signaled a deepening of security ties that many analysts "
        "view as the birth of a functional quasi-alliance.",
        "Share Article",
        "Beyond diplomatic labels, the partnership is being cemented with hardware.",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        # corpus/whitehouse-indopacific.jsonl
        "President Joseph R. Biden, Jr. met today with President Ferdinand Marcos Jr. of the "
        "Philippines.",
        "And the invitation came to President Biden and also Dr. Biden as well.",
        "The contents of this call will be embargoed until 9:00 p.m. Eastern Time tonight.",
        "And you’ve spoken broadly about rules of the road that Mr. Biden wants to emphasize.",
        # eval/stories-ecbplus.jsonl and corpus/wikinews-2004.jsonl
        "Papua police chief Maj. Gen. Bagus Ekodanto said he had received reports that a hotel "
        'and a rice warehouse had been "destroyed", but he did not know if anyone had been '
        "killed in the incidences.",
        '"SCO" was the No. 1 company query for 2004 in Google\'s report.',
        # eval/takeaways-bbc.jsonl
        "BA's shares closed up four pence at 274.5 pence.",
        '"Arrivals to other destinations such as... Maldives and Sri Lanka also thrived.',
    ],
)
def test_abbreviations_initials_decimals_and_ellipses_inside_a_sentence(sentence):
    assert split_sentences(sentence) == [sentence]


def test_sentence_ending_inside_closing_quotes():
    # eval/takeaways-cnndm.jsonl (Kilmarnock article)
    text = (
        "‘I had a taste of it (management) at Hearts and really enjoyed it. It’s a fantastic "
        "opportunity. ‘But I’ve said all along, it’s not about me. They have worked so hard "
        "and they have taken on board everything I have tried to tell them.’ Ex-Killie and "
        "Hearts player Locke added."
    )
    assert split_sentences(text) == [
        "‘I had a taste of it (management) at Hearts and really enjoyed it.",
        "It’s a fantastic opportunity.",
        "‘But I’ve said all along, it’s not about me.",
        "They have worked so hard and they have taken on board everything I have tried to "
        "tell them.’",
        "Ex-Killie and Hearts player Locke added.",
    ]


def test_question_inside_quotes_followed_by_speech_verb_is_one_sentence():
    # eval/takeaways-cnndm.jsonl
    text = "'Maybe if I was missing some teeth they would hire me, huh?' she says."
    assert split_sentences(text) == [text]


def test_questions_and_short_sentences_split():
    # eval/takeaways-cnndm.jsonl (Boston, CNN)
    text = (
        "Boston (CNN)Guilty across the board. But will he face death? After deliberating for "
        "11½ hours, jurors found Dzhokhar Tsarnaev guilty on Wednesday of all 30 counts he faced "
        "in the Boston Marathon bombing trial."
    )
    assert split_sentences(text)[:2] == [
        "Boston (CNN)Guilty across the board.",
        "But will he face death?",
    ]
    assert len(split_sentences(text)) == 3


def test_us_at_sentence_end_before_a_clear_opener():
    # eval/takeaways-cnndm.jsonl and corpus/whitehouse-indopacific.jsonl
    text = (
        "The Minneapolis area is home to the largest concentration of Somali immigrants in the "
        "U.S. Since 2007, more than 22 young Somali men have also traveled from Minnesota to "
        "Somalia to join the militant group al-Shabab. Read more about the U.S. Japan Climate "
        "Partnership here."
    )
    assert split_sentences(text) == [
        "The Minneapolis area is home to the largest concentration of Somali immigrants in the "
        "U.S.",
        "Since 2007, more than 22 young Somali men have also traveled from Minnesota to Somalia "
        "to join the militant group al-Shabab.",
        "Read more about the U.S. Japan Climate Partnership here.",
    ]


def test_numbered_list_items_and_headings_are_their_own_sentences():
    # corpus/whitehouse-indopacific.jsonl (fact sheet on the Indo-Pacific Strategy)
    text = (
        "OUR VISION FOR THE INDO-PACIFIC\n\n"
        "1. An Indo-Pacific that is Free and Open\n"
        "2. An Indo-Pacific that is Connected\n\n"
        "The United States will pursue five objectives."
    )
    assert split_sentences(text) == [
        "OUR VISION FOR THE INDO-PACIFIC",
        "1. An Indo-Pacific that is Free and Open",
        "2. An Indo-Pacific that is Connected",
        "The United States will pursue five objectives.",
    ]


def test_hard_wrapped_lines_are_joined():
    text = (
        "Critics and regional observers, however, warn that this diplomacy carries\n"
        "significant risks. There are growing concerns."
    )
    assert split_sentences(text) == [
        "Critics and regional observers, however, warn that this diplomacy carries "
        "significant risks.",
        "There are growing concerns.",
    ]


def test_empty_text_has_no_sentences():
    assert split_sentences("") == []
    assert split_sentences("\n\n  \n") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The attack happened on Wednesday.The stabbing was the third this year.",
            ["The attack happened on Wednesday.", "The stabbing was the third this year."],
        ),
        ('He said."The time is now," she said.', ["He said.", '"The time is now," she said.']),
        ("Visit Amazon.Com for the offer.", ["Visit Amazon.Com for the offer."]),
        ("Prices rose in the U.S.The market fell.", ["Prices rose in the U.S.The market fell."]),
        ("They met Dr.Smith in Manila.", ["They met Dr.Smith in Manila."]),
    ],
)
def test_a_full_stop_glued_to_a_capitalised_word_ends_a_sentence(text, expected):
    # point 2 of issue 7: "Wednesday.The stabbing" made one sentence of a whole article
    assert split_sentences(text) == expected


def test_a_caption_run_into_the_next_sentence_is_cut_before_it():
    # eval/takeaways-cnndm.jsonl (DailyMail): the caption ends with no full stop.
    text = (
        "Schumacher Junior is pictured in the team garage ahead of the first race of the season "
        "on Saturday He links up with team-mate Harrison Newey."
    )
    assert split_sentences(text) == [
        "Schumacher Junior is pictured in the team garage ahead of the first race of the season "
        "on Saturday",
        "He links up with team-mate Harrison Newey.",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "He told The Times that the plan was off.",  # after a function word
        "It is something Secretary Yellen discussed with Vice Premier Liu He when they met.",
        "She went to see The Doobie Brothers in Nashville last year.",  # a name, not an opener
        "I have used Steven Covey’s The 7 Habits of Highly Effective People as a guide.",
    ],
)
def test_a_capitalised_the_or_he_inside_a_sentence_is_not_a_break(sentence):
    assert split_sentences(sentence) == [sentence]


def test_chinese_and_japanese_stops_end_sentences_without_a_space():
    # eval/extraction-zyte.jsonl (note100yen.com), and a quotation that goes on after its 」
    text = (
        "そんな用途を考慮してか、Kindleや楽天koboにはデスクトップアプリが用意されています。"
        "今回はそのKindleデスクトップアプリに関する話。彼は「計画は発表された。」と言った。"
    )
    assert split_sentences(text) == [
        "そんな用途を考慮してか、Kindleや楽天koboにはデスクトップアプリが用意されています。",
        "今回はそのKindleデスクトップアプリに関する話。",
        "彼は「計画は発表された。」と言った。",
    ]
