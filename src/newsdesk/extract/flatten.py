"""An element's text with the whitespace a reader sees between its parts.

Both vocabularies pass through here: trafilatura's XML body (``p``, ``head``,
``list``/``item``, ``table``/``row``/``cell``, ``lb``) and HTML fragments
(``p``, ``div``, ``br``, ``li``, ``td``...). A line break or a block starts a new
line and a table cell is set off by a space, so "West Palm Beach, FL<br>June 10"
does not become "FLJune 10" and a standings row keeps its columns apart; inline
markup (links, emphasis) joins as written.
"""

from __future__ import annotations

from lxml import etree

_LINE_TAGS = frozenset(
    {
        # trafilatura
        "lb", "p", "head", "item", "list", "quote", "row", "table", "code",
        # HTML
        "br", "div", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "section", "article", "header", "footer", "figure",
        "figcaption", "dd", "dt", "dl", "hr", "address", "aside", "details", "summary",
    }
)  # fmt: skip
_CELL_TAGS = frozenset({"cell", "td", "th"})
_SKIPPED_TAGS = frozenset({"script", "style", "template", "noscript"})


def flat_text(element: etree._Element | None) -> str:
    """The text of `element` (not its tail): one line per block, spaces collapsed."""
    if element is None:
        return ""
    pieces: list[str] = []
    _collect(element, pieces, with_tail=False)
    lines = ("".join(pieces)).splitlines()
    return "\n".join(joined for line in lines if (joined := " ".join(line.split())))


def one_line(element: etree._Element | None) -> str:
    """`flat_text` on one line: for titles, captions and alt text."""
    return " ".join(flat_text(element).split())


def _collect(element: etree._Element, pieces: list[str], *, with_tail: bool) -> None:
    tag = element.tag
    if isinstance(tag, str) and tag not in _SKIPPED_TAGS:
        separator = "\n" if tag in _LINE_TAGS else " " if tag in _CELL_TAGS else ""
        pieces.append(separator)
        pieces.append(element.text or "")
        for child in element:
            _collect(child, pieces, with_tail=True)
        pieces.append(separator)
    if with_tail:
        pieces.append(element.tail or "")
