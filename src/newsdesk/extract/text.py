"""Plain text as an article: blocks from blank lines, hard wraps re-joined."""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsdesk.extract.found import Found
from newsdesk.extract.furniture import (
    TERMINAL,
    Block,
    block_text,
    body_text,
    furniture_role,
    layout_of,
    picture,
    sentence_count,
    texts,
)
from newsdesk.models import RawDocument

LIST_MARKER = re.compile(r"^\s*(?:[•·▪◦‣●*+\-–]|\d{1,3}[.)])\s+")
_BYLINE = re.compile(r"^By\s+([A-Z][\w.'’-]+(?:\s+(?:and\s+)?[A-Z][\w.'’-]+){0,4})$")


# What MediaWiki exports (Wikinews, Wikipedia) leave in plain text: templates,
# an unclosed byline template, image options lines and [[target|label]] links.
_WIKI_RESIDUE = (
    (re.compile(r"\{\{[^{}\n]*\}\}"), ""),
    (re.compile(r"\{\{byline\|date\|?"), ""),
    (re.compile(r"^(?:(?:thumb|frame|frameless|left|right|center|\d+px)\|)+[^\n]*$", re.M), ""),
    (re.compile(r"\[?\[(?:w:)?(?:[^\[\]|\n]*\|)?([^\[\]|\n]*)\]\]"), r"\1"),
)


def _without_wiki_markup(text: str) -> str:
    if "{{" not in text and "]]" not in text and "|" not in text:
        return text
    for pattern, replacement in _WIKI_RESIDUE:
        text = pattern.sub(replacement, text)
    return text


def from_text(doc: RawDocument) -> Found:
    text = _without_wiki_markup(doc.text.lstrip("\ufeff"))
    title = doc.fields.get("title", "")
    if not title and doc.title_in_text:
        title, text = _headline(text)
    blocks = _text_blocks(text)
    author = _byline(blocks[0]) if blocks else None
    if author:
        blocks = blocks[1:]
    layout = layout_of(blocks, title.strip())
    return Found(
        title=title.strip(),
        text=body_text(blocks, layout.body),
        asides=texts(blocks, layout.asides),
        description=block_text(blocks, layout.dek),
        image=picture(blocks, layout.picture),
        author=author,
    )


def _headline(text: str) -> tuple[str, str]:
    """The first line as the title, unless it is prose (then there is no title)."""
    first, _, rest = text.strip().partition("\n")
    if len(first.split()) > 30 or sentence_count(first) > 1:
        return "", text
    return first.strip(), rest


def _byline(block: Block) -> str | None:
    match = _BYLINE.match(block.text)
    return match[1] if match else None


def _text_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    for chunk in re.split(r"\n[ \t]*\n", text):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        joined = " ".join(lines)
        if len(lines) > 1 and furniture_role(joined):
            blocks.append(Block(joined))  # a heading broken over lines: "Editor's / Desk"
        elif lines:
            blocks.extend(_line_blocks(lines))
    return blocks


def _line_blocks(lines: Sequence[str]) -> list[Block]:
    """Lines of one chunk as blocks, re-joining prose that was hard-wrapped."""
    blocks: list[Block] = []
    for line in lines:
        item = LIST_MARKER.match(line)
        if item:
            blocks.append(Block(_item_text(line[item.end() :]), "item"))
        elif blocks and _continues(blocks[-1], line):
            blocks[-1] = Block(f"{blocks[-1].text} {line}", blocks[-1].kind)
        else:
            blocks.append(Block(line))
    return blocks


def _item_text(text: str) -> str:
    # A numbered badge fused to the text, as in "1Japan and ...", is layout.
    return re.sub(r"^\d{1,2}(?=[A-Z])", "", text.strip())


def _continues(previous: Block, line: str) -> bool:
    """True when `previous` was cut by a hard wrap, so `line` goes on with it."""
    return len(previous.text) >= 40 and previous.text[-1] not in TERMINAL
