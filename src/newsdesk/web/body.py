"""The article body as safe HTML whose sentences can be linked to (``#s-N``).

Key Takeaways point at the sentences they came from. From plain text, every
sentence is wrapped in ``<span id="s-N">``. From the source's HTML (already
sanitised at extraction, sanitised again here), an empty anchor is placed
where each sentence starts; when a sentence a takeaway needs cannot be found
in the HTML, the body is rendered from the text instead, so that no
takeaway link is ever dead.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from html import escape
from itertools import accumulate

from markupsafe import Markup

from newsdesk.models import Brief
from newsdesk.sanitize import sanitize_html

_WORD = re.compile(r"\S+")


def body_html(brief: Brief, image_src: Callable[[str], str | None] | None = None) -> Markup:
    """The body; `image_src` rewrites or drops each ``<img>`` (the image policy)."""
    needed = {i for takeaway in brief.takeaways for i in takeaway.sentences}
    if brief.article.html:
        safe = sanitize_html(brief.article.html, image_src=image_src)
        anchored, found = _anchor_html(safe, brief.sentences)
        if needed <= found:
            return Markup(anchored)
    return Markup(_text_html(brief.article.text, brief.sentences))


class _Spaced:
    """A text with each run of whitespace as one space, to find sentences in.

    Words one space apart found here are the same words with any whitespace
    between them in the text (what ``\\s+`` between escaped words would
    match), found without compiling a pattern per sentence. Offsets are the
    spaced text's; `span` maps a match back to the text's.
    """

    def __init__(self, text: str) -> None:
        words = [(m.start(), m.group()) for m in _WORD.finditer(text)]
        self.text = " ".join(word for _, word in words)
        self._starts = [start for start, _ in words]  # of each word, in the text
        self._spaced = list(accumulate((len(w) + 1 for _, w in words[:-1]), initial=0))

    def find(self, needle: str, start: int) -> tuple[int, int] | None:
        """(start, end) of the first `needle` at or after `start`; None when there is none."""
        found = self.text.find(needle, start) if needle else -1
        return None if found < 0 else (found, found + len(needle))

    def span(self, found: tuple[int, int]) -> tuple[int, int]:
        """The text's (start, end) of a match `find` returned."""
        return self._original(found[0]), self._original(found[1] - 1) + 1

    def _original(self, offset: int) -> int:
        word = bisect_right(self._spaced, offset) - 1
        return self._starts[word] + offset - self._spaced[word]


def _first_words(sentence: str) -> str:
    """The sentence's first eight words as they appear in escaped HTML, one space apart."""
    return " ".join(escape(word, quote=False) for word in sentence.split()[:8])


def _text_html(text: str, sentences: tuple[str, ...]) -> str:
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    spans = list(_locate(text, sentences))
    out: list[str] = []
    offset = 0
    for paragraph in paragraphs:
        start = text.index(paragraph, offset)
        offset = start + len(paragraph)
        inside = [(i, a - start, b - start) for i, a, b in spans if start <= a and b <= offset]
        out.append(f"<p>{_wrap(paragraph, inside)}</p>")
    return "\n".join(out)


def _locate(text: str, sentences: tuple[str, ...]) -> Iterator[tuple[int, int, int]]:
    """(index, start, end) of each sentence found in `text`, in order."""
    spaced = _Spaced(text)
    cursor = 0
    for index, sentence in enumerate(sentences):
        found = spaced.find(" ".join(sentence.split()), cursor)
        if found is None:
            continue
        start, end = spaced.span(found)
        yield index, start, end
        cursor = found[1]


def _wrap(paragraph: str, spans: Iterable[tuple[int, int, int]]) -> str:
    out: list[str] = []
    cursor = 0
    for index, start, end in spans:
        out.append(escape(paragraph[cursor:start], quote=False))
        sentence = escape(paragraph[start:end], quote=False)
        out.append(f'<span class="sentence" id="s-{index}">{sentence}</span>')
        cursor = end
    out.append(escape(paragraph[cursor:], quote=False))
    return "".join(out)


def _anchor_html(html: str, sentences: tuple[str, ...]) -> tuple[str, set[int]]:
    """Insert ``<span id="s-N">`` before each sentence's first words, in text only."""
    spaced = _Spaced(html)
    out: list[str] = []
    found: set[int] = set()
    cursor, spaced_cursor = 0, 0
    for index, sentence in enumerate(sentences):
        match = _search_text(spaced, html, _first_words(sentence), spaced_cursor)
        if match is None:
            continue
        start = spaced.span(match)[0]
        out.append(html[cursor:start])
        out.append(f'<span class="sentence-anchor" id="s-{index}"></span>')
        cursor, spaced_cursor = start, match[0]
        found.add(index)
    out.append(html[cursor:])
    return "".join(out), found


def _search_text(spaced: _Spaced, html: str, words: str, start: int) -> tuple[int, int] | None:
    """The first match of `words` from `start` that lies in text, not inside a tag."""
    while (match := spaced.find(words, start)) is not None:
        begin, end = spaced.span(match)
        last_open = html.rfind("<", 0, begin)
        last_close = html.rfind(">", 0, begin)
        if last_open <= last_close and "<" not in html[begin:end]:
            return match
        start = match[1]
    return None
