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
from collections.abc import Callable, Iterable, Iterator
from html import escape

from markupsafe import Markup

from newsdesk.models import Brief
from newsdesk.sanitize import sanitize_html


def body_html(brief: Brief, image_src: Callable[[str], str | None] | None = None) -> Markup:
    """The body; `image_src` rewrites or drops each ``<img>`` (the image policy)."""
    needed = {i for takeaway in brief.takeaways for i in takeaway.sentences}
    if brief.article.html:
        safe = sanitize_html(brief.article.html, image_src=image_src)
        anchored, found = _anchor_html(safe, brief.sentences)
        if needed <= found:
            return Markup(anchored)
    return Markup(_text_html(brief.article.text, brief.sentences))


def _pattern(sentence: str, *, escaped: bool) -> re.Pattern[str] | None:
    words = sentence.split()[:8]
    if not words:
        return None
    parts = [re.escape(escape(w, quote=False) if escaped else w) for w in words]
    return re.compile(r"\s+".join(parts))


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
    cursor = 0
    for index, sentence in enumerate(sentences):
        words = sentence.split()
        match = words and re.compile(r"\s+".join(map(re.escape, words))).search(text, cursor)
        if not match:
            continue
        yield index, match.start(), match.end()
        cursor = match.end()


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
    out: list[str] = []
    found: set[int] = set()
    cursor = 0
    for index, sentence in enumerate(sentences):
        pattern = _pattern(sentence, escaped=True)
        match = pattern and _search_text(pattern, html, cursor)
        if not match:
            continue
        out.append(html[cursor : match.start()])
        out.append(f'<span class="sentence-anchor" id="s-{index}"></span>')
        cursor = match.start()
        found.add(index)
    out.append(html[cursor:])
    return "".join(out), found


def _search_text(pattern: re.Pattern[str], html: str, start: int) -> re.Match[str] | None:
    """The first match of `pattern` from `start` that lies in text, not inside a tag."""
    for match in pattern.finditer(html, start):
        last_open = html.rfind("<", 0, match.start())
        last_close = html.rfind(">", 0, match.start())
        if last_open <= last_close and "<" not in match.group(0):
            return match
    return None
