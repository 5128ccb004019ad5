"""Extraction keeps the words apart as a reader sees them, and headlines without the site."""

from __future__ import annotations

from newsdesk.extract import extract
from newsdesk.extract.alt import clean_alt
from newsdesk.extract.title import clean_title
from newsdesk.models import RawDocument

LEAD = "The band announced a fifty-date tour of North America on Monday, starting in June. " * 3


def page(body: str, head: str = "<title>Band sets tour dates</title>") -> str:
    return (
        f"<html><head>{head}</head><body><article><h1>Band sets tour dates</h1>"
        f"<p>{LEAD}</p>{body}<p>{LEAD}</p></article></body></html>"
    )


def text_of(html: str, url: str = "https://news.example/tour") -> str:
    return extract(RawDocument("page.html", html, "text/html", url)).text


def test_line_breaks_separate_the_words_they_fall_between() -> None:
    dates = (
        "<p>June 9 -- Coral Sky Amphitheatre, West Palm Beach, FL<br/>"
        "June 10 -- MIDFLORIDA Credit Union Amphitheatre, Tampa, FL<br/>"
        "June 12 -- Cynthia Woods Mitchell Pavilion, Houston, TX</p>"
    )
    text = text_of(page(dates))
    assert "West Palm Beach, FL\nJune 10" in text
    assert "FLJune" not in text


def test_table_cells_and_rows_stay_apart() -> None:
    table = (
        "<table><tr><th>Pos.</th><th>Driver</th><th>Points</th></tr>"
        "<tr><td>1</td><td>Kyle Busch</td><td>5040</td></tr>"
        "<tr><td>2</td><td>Martin Truex Jr.</td><td>5035</td></tr></table>"
    )
    text = text_of(page(table))
    assert "1 Kyle Busch 5040\n2 Martin Truex Jr. 5035" in text
    assert "Busch5040" not in text and "1Kyle" not in text


def test_inline_markup_joins_as_written() -> None:
    text = text_of(
        page(
            "<p>Tickets go on sale on <b>Friday</b>, the band's <a href='/x'>site</a> says, and cost more than last year.</p>"
        )
    )
    assert "on sale on Friday, the band's site says" in text


def test_a_picture_caption_repeated_as_a_paragraph_is_not_body() -> None:
    alt = "The band on stage in Houston, TX, during its last tour."
    figure = f"<figure><img src='https://img.example/band.jpg' alt='{alt}'></figure><p>{alt}</p>"
    assert alt not in text_of(page(figure))


def test_headlines_lose_the_site_name_but_keep_their_own_separators() -> None:
    naija = "LinkNaija | Nigeria's popular news platform"
    assert (
        clean_title(f"{naija}: BREAKING NEWS: Chelsea activate release clause", naija)
        == "BREAKING NEWS: Chelsea activate release clause"
    )
    assert clean_title(
        "Army chiefs meet in Abuja - The Paradigm", None, "https://theparadigm.ng/a"
    ) == ("Army chiefs meet in Abuja")
    assert (
        clean_title("Bike & Style book review | MoreBikes", "MoreBikes")
        == "Bike & Style book review"
    )
    assert clean_title("The Medium is the Message | Inexhibit", "Inexhibit magazine") == (
        "The Medium is the Message"
    )
    kept = (
        "Milan Design Week 2018 | Anastassiades' light installation for FLOS",
        "The Guardian view on Hong Kong: a city on the brink | Editorial",
        "Express: the new train timetable",
    )
    for title in kept:
        assert clean_title(title, "Inexhibit magazine", "https://www.express.co.uk/x") == title


def test_page_title_is_read_without_the_site_name() -> None:
    head = (
        "<title>Band sets tour dates - The Paradigm</title>"
        '<meta property="og:site_name" content="The Paradigm">'
    )
    html = page("", head).replace("<h1>Band sets tour dates</h1>", "")
    article = extract(RawDocument("page.html", html, "text/html", "https://theparadigm.ng/tour"))
    assert article.title == "Band sets tour dates"


def test_alt_text_is_cleaned_of_slugs_and_credits() -> None:
    assert clean_alt("111819 Hong Kong Protests") == ""
    assert clean_alt("hk_protest-2019.jpg") == ""
    assert clean_alt("Protesters clash with police [File: Reuters]") == (
        "Protesters clash with police"
    )
    assert clean_alt("Esper and Lich shake hands. Photo: Hau Dinh, AP / Copyright 2019") == (
        "Esper and Lich shake hands."
    )
    assert clean_alt("A soldier stands guard in Manila. REUTERS/Eloisa Lopez") == (
        "A soldier stands guard in Manila."
    )
    assert clean_alt("The band on stage (Getty Images)") == "The band on stage"
    assert clean_alt("Ministers shake hands") == "Ministers shake hands"


def test_an_image_without_usable_alt_is_described_from_the_headline() -> None:
    figure = "<figure><img src='https://img.example/111819-hk.jpg' alt='111819 Hong Kong Protests'></figure>"
    article = extract(RawDocument("page.html", page(figure), "text/html", "https://news.example/t"))
    assert article.image is not None
    assert article.image.alt == "Picture for the story “Band sets tour dates”"


def test_an_unparsable_url_leaves_the_title_alone() -> None:
    assert clean_title("Ports reopen - Example", None, "http://[zz]/") == "Ports reopen - Example"
