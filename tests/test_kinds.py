"""The kind of piece follows the publisher's own marks (issue 7, point 7)."""

from __future__ import annotations

import pytest

from newsdesk.analyse.kind import marked_kind
from newsdesk.analyse.labels import classify
from newsdesk.models import PieceKind

REPORT = ["Voters in the West Bank and Gaza will choose a new president on 9 January."]


@pytest.mark.parametrize(
    ("title", "url", "author", "kind"),
    [
        ("The Guardian view on Hong Kong: a city on the brink | Editorial", None, None, "opinion"),
        ("Column: The merger sends a dismal signal", None, None, "opinion"),
        (
            "Prince Andrew's interview",
            "https://e.example/opinion/in-prince-andrews",
            None,
            "opinion",
        ),
        (
            "A city on the brink",
            "https://www.theguardian.com/commentisfree/2019/nov/18/x",
            None,
            "opinion",
        ),
        ("A city on the brink", None, "The Editorial Board", "opinion"),
        ("Analysis: what the pact changes", None, None, "analysis"),
        (
            "Palestinians to elect new president on January 9",
            "https://en.wikinews.org/wiki/P",
            None,
            None,
        ),
        ("Opinion polls show a close race", "https://e.example/news/polls", "Jane Doe", None),
    ],
)
def test_publisher_marks_decide_the_kind(
    title: str, url: str | None, author: str | None, kind: str | None
) -> None:
    assert marked_kind(title, url, author) == (PieceKind(kind) if kind else None)


def test_a_marked_editorial_is_opinion_even_when_written_like_a_report() -> None:
    _, kind = classify("Hong Kong on the brink | Editorial", REPORT, ())
    assert kind is PieceKind.OPINION
    _, kind = classify("Palestinians to elect new president on January 9", REPORT, ())
    assert kind is PieceKind.REPORT


def test_an_unparsable_url_is_no_mark() -> None:
    assert marked_kind("Ports reopen", "http://[::1/opinion/x") is None
