"""Key Takeaways and the standfirst, as a reader of the brief would see them."""

import pytest

from builders import SAMPLE_PAGE
from newsdesk.analyse.entities import find_entities
from newsdesk.analyse.sentences import split_sentences
from newsdesk.analyse.takeaways import select_takeaways, standfirst, standfirst_and_takeaways
from newsdesk.models import Article, Takeaway
from newsdesk.pipeline import analyse

TITLE = "Tokyo’s Manila Gambit: Japan’s Security Pivot and the Rise of a New ‘Quasi-Alliance’"

# From eval/takeaways-cnndm.jsonl (a Daily Mail article: a video pointer and photo
# captions run into the text).
KITE = (
    "As attempts to break a world record go, it was pretty impressive. A Chinese team took a "
    "kite measuring an astonishing 6,000 metres (3.7 miles) to a kite flying festival - aiming "
    "to break the world record by a massive 1,000 metres. But they had overlooked the fact that "
    "their kite was so big, it posed a danger to passing aircraft. The kite, dubbed 'centipede "
    "with a dragon's head', was set to fly at the Wulong International Kite Festival last "
    "Saturday in Chongqing in south-western China, according to People's Daily Online. Scroll "
    "down for video Flying high: Half of the 6,000-metre-long dragon-themed kite took to the "
    "sky in Chongqing last Saturday Skilful: The kite weighs 200 kilograms and requires three "
    "experienced kite flyers to manoeuvre. Historical: A popular pastime in China, kite flying "
    "dates back some 2,000 years Global appeal: Professional kite flying teams from over 13 "
    "countries participated in the festival."
)


@pytest.fixture(scope="module")
def sample_sentences() -> list[str]:
    page = SAMPLE_PAGE.read_text(encoding="utf-8")
    body = page[page.index("The diplomatic landscape") : page.index("Share Article")]
    return split_sentences(body)


def test_sample_page_gets_five_faithful_takeaways_in_reading_order(sample_sentences):
    takeaways = select_takeaways(sample_sentences, title=TITLE)
    assert len(takeaways) == 5
    for takeaway in takeaways:
        (index,) = takeaway.sentences
        assert takeaway.text == sample_sentences[index]
    indexes = [t.sentences[0] for t in takeaways]
    assert indexes == sorted(indexes)


def test_sample_page_takeaways_lead_with_the_news_and_cover_the_article(sample_sentences):
    takeaways = select_takeaways(sample_sentences, title=TITLE)
    assert "Comprehensive Strategic Partnership" in takeaways[0].text
    assert any("Reciprocal Access Agreement" in t.text for t in takeaways)
    second_half = len(sample_sentences) // 2
    assert any(t.sentences[0] >= second_half for t in takeaways)


def test_brief_of_the_sample_page_covers_the_hardware_beyond_the_lead(sample_sentences):
    # The site's editor picked the frigates and aircraft; they are the sentence densest in
    # named things (weapons, the coast guard), which the pipeline's entities tell.
    body = "\n\n".join(sample_sentences)
    brief = analyse(Article(id="quasi-alliance", title=TITLE, text=body))
    texts = [t.text for t in brief.takeaways]
    assert len(texts) == 5
    assert "Comprehensive Strategic Partnership" in texts[0]
    assert any("Reciprocal Access Agreement" in text for text in texts)
    assert any("Abukuma-class" in text for text in texts)


def test_standfirst_and_takeaways_at_once_match_the_separate_calls(sample_sentences):
    entities = find_entities(sample_sentences)
    dek, takeaways = standfirst_and_takeaways(
        sample_sentences, title=TITLE, count=5, entities=entities
    )
    assert dek == standfirst(sample_sentences, title=TITLE)
    assert takeaways == select_takeaways(sample_sentences, title=TITLE, entities=entities)


def test_questions_and_interviewers_lines_are_not_takeaways_past_the_lead():
    # A press call (White House, public domain): the news, then questions and answers.
    sentences = [
        "The United States and the Philippines agreed on Monday to expand joint patrols in "
        "the South China Sea.",
        "The two governments will also open four new sites to American forces under their "
        "defence cooperation agreement.",
        "Officials said the first joint patrol would sail from Subic Bay next month.",
        "Q Madam Vice President, would you support a visit by the U.S. House Speaker to Taiwan?",
        "Will the patrols include Japan and Australia, the other Quad partners in the region?",
        "Q: Thank you, Secretary Blinken, and thank you to Foreign Secretary Manalo as well.",
        "The Philippine Coast Guard and the U.S. Coast Guard will train together in Manila.",
        "The Pentagon will send two P-8 Poseidon aircraft to Clark Air Base for the patrols.",
    ]
    texts = [t.text for t in select_takeaways(sentences, count=5)]
    assert len(texts) == 5
    assert not any(text.endswith("?") or text.startswith("Q") for text in texts)


def test_count_is_respected_and_fewer_only_when_the_article_is_short(sample_sentences):
    assert len(select_takeaways(sample_sentences, count=3)) == 3
    assert len(select_takeaways(sample_sentences, count=8)) == 8
    every = select_takeaways(sample_sentences, count=len(sample_sentences))
    assert [t.sentences[0] for t in every] == list(range(len(sample_sentences)))
    short = sample_sentences[:2]
    assert len(select_takeaways(short, count=5)) == 2
    assert select_takeaways([], count=5) == ()


def test_video_pointers_and_photo_captions_never_become_takeaways():
    texts = [t.text for t in select_takeaways(split_sentences(KITE), count=5)]
    assert texts
    assert not any("Scroll down" in t or "Historical:" in t for t in texts)


def test_cnn_dateline_is_trimmed_but_the_sentence_index_kept():
    # eval/takeaways-cnndm.jsonl
    sentences = [
        "Kathmandu, Nepal (CNN)Rescuers in Nepal have pulled a man from the wreckage of a "
        "building where he was stuck for a staggering 82 hours after the devastating "
        "earthquake that hit the country Saturday.",
        "His survival is unusual, as experts say it's rare for people to survive more than "
        "72 hours trapped under rubble.",
    ]
    first = select_takeaways(sentences, count=1)
    assert first == (
        Takeaway(
            "Rescuers in Nepal have pulled a man from the wreckage of a building where he was "
            "stuck for a staggering 82 hours after the devastating earthquake that hit the "
            "country Saturday.",
            (0,),
        ),
    )


def test_a_sentence_repeating_a_chosen_one_is_skipped():
    sentences = [
        "Japan and the Philippines upgraded their ties to a Comprehensive Strategic Partnership.",
        "Japan and the Philippines upgraded their ties to a Comprehensive Strategic Partnership "
        "on Friday.",
        "Japan is set to export Abukuma-class frigates and TC-90 training aircraft to Manila.",
    ]
    chosen = [t.sentences[0] for t in select_takeaways(sentences, count=2)]
    assert chosen == [0, 2]


def test_standfirst_uses_a_good_description_from_the_source(sample_sentences):
    description = (
        "Japan and the Philippines have upgraded their ties to a 'Comprehensive Strategic "
        "Partnership,' launching negotiations for intelligence sharing and increased defense "
        "exports."
    )
    assert standfirst(sample_sentences, title=TITLE, description=description) == description


@pytest.mark.parametrize("description", [None, "", TITLE, "Read more", "Japan and the..."])
def test_standfirst_falls_back_to_the_lead_when_the_description_is_poor(
    sample_sentences, description
):
    dek = standfirst(sample_sentences, title=TITLE, description=description)
    assert dek == sample_sentences[0]


def test_standfirst_adds_the_second_sentence_when_the_lead_is_short():
    sentences = [
        "Boston (CNN)Guilty across the board on all counts today.",
        "After deliberating for 11½ hours, jurors found Dzhokhar Tsarnaev guilty on Wednesday "
        "of all 30 counts he faced in the Boston Marathon bombing trial.",
        "Seventeen of the 30 counts were capital charges.",
    ]
    assert standfirst(sentences) == (
        "Guilty across the board on all counts today. After deliberating for 11½ hours, jurors "
        "found Dzhokhar Tsarnaev guilty on Wednesday of all 30 counts he faced in the Boston "
        "Marathon bombing trial."
    )


def test_standfirst_of_nothing_is_empty():
    assert standfirst([]) == ""


def test_a_long_source_description_is_cut_to_two_sentences() -> None:
    from newsdesk.analyse.takeaways import standfirst

    description = (
        "Ministers met in Manila. They signed a pact on patrols. "
        "Critics said the deal went too far. Talks resume in May."
    )
    assert standfirst(["Body sentence one here."], description=description) == (
        "Ministers met in Manila. They signed a pact on patrols."
    )


def test_press_call_pleasantries_and_speaker_labels_are_not_takeaways() -> None:
    from newsdesk.analyse.takeaways import select_takeaways

    # From a White House background press call in the demo corpus.
    sentences = [
        "Good afternoon everyone, and thanks very much for joining us on short notice.",
        "Today’s call is going to be on background, attributed to “senior administration officials.”",
        "And thanks, guys, for your patience.",
        "Tomorrow, Jake Sullivan will welcome the national security advisors of Japan and Korea.",
        "SENIOR ADMINISTRATION OFFICIAL: The meeting will be held at the Naval Academy in Annapolis.",
        "SENIOR ADMINISTRATION OFFICIAL: — would be the national security advisors of Korea and Japan.",
    ]
    texts = [t.text for t in select_takeaways(sentences, count=5)]
    assert texts == [
        "Tomorrow, Jake Sullivan will welcome the national security advisors of Japan and Korea.",
        "The meeting will be held at the Naval Academy in Annapolis.",
    ]
