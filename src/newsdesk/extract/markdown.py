"""Markdown as an article: front matter, headings, lists and inline markup."""

from __future__ import annotations

import re

from newsdesk.extract.alt import image_alt
from newsdesk.extract.found import Found
from newsdesk.extract.furniture import Block, block_text, body_text, layout_of, picture, texts
from newsdesk.extract.text import LIST_MARKER
from newsdesk.models import Image, RawDocument

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_MD_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_MD_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+")
_MD_INLINE = (
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
    (re.compile(r"<[^>\n]+>"), ""),
    (re.compile(r"`+([^`]+)`+"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"\*(?=\S)(.+?)(?<=\S)\*"), r"\1"),
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(r"~~(.+?)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])"), r"\1"),
)


def from_markdown(doc: RawDocument) -> Found:
    meta, text = _front_matter_fields(doc.text.lstrip("\ufeff"))
    image = _MD_IMAGE.search(text)
    blocks = _markdown_blocks(_MD_IMAGE.sub("", text))
    title = doc.fields.get("title") or meta.get("title") or _take_title(blocks)
    layout = layout_of(blocks, title)
    lead = Image(url=image[2], alt=image_alt(image[1], title)) if image else None
    return Found(
        title=title,
        text=body_text(blocks, layout.body),
        asides=texts(blocks, layout.asides),
        description=meta.get("description") or block_text(blocks, layout.dek),
        image=lead or picture(blocks, layout.picture),
        author=meta.get("author"),
        published=meta.get("date") or meta.get("published"),
    )


def _front_matter_fields(text: str) -> tuple[dict[str, str], str]:
    """YAML-style front matter's simple `key: value` lines, and the text after it."""
    match = re.match(r"---[ \t]*\n(.*?)\n---[ \t]*\n", text, re.DOTALL)
    if not match:
        return {}, text
    meta = {}
    for line in match[1].splitlines():
        key, colon, value = line.partition(":")
        if colon and value.strip():
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[match.end() :]


def _take_title(blocks: list[Block]) -> str:
    """Remove and return the first heading, or else the first block."""
    if not blocks:
        return ""
    position = next((i for i, block in enumerate(blocks) if block.kind == "heading"), 0)
    return blocks.pop(position).text


def _markdown_inline(text: str) -> str:
    for pattern, replacement in _MD_INLINE:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def _markdown_blocks(text: str) -> list[Block]:
    reader = _MarkdownReader()
    for line in text.splitlines():
        reader.feed(line)
    reader.flush()
    return reader.blocks


class _MarkdownReader:
    """Turns Markdown lines into blocks of plain text."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.paragraph: list[str] = []
        self.fenced = False

    def flush(self, kind: str = "paragraph") -> None:
        if self.fenced:
            joined = "\n".join(self.paragraph)
        else:
            joined = _markdown_inline(" ".join(self.paragraph))
        if joined.strip():
            self.blocks.append(Block(joined, kind))
        self.paragraph.clear()

    def feed(self, line: str) -> None:
        if _MD_FENCE.match(line):
            self.flush()
            self.fenced = not self.fenced
        elif self.fenced:
            self.paragraph.append(line)
        else:
            self._feed_prose(re.sub(r"^\s{0,3}>\s?", "", line))

    def _feed_prose(self, line: str) -> None:
        heading = _MD_HEADING.match(line)
        item = LIST_MARKER.match(line)
        if not line.strip() or _MD_REFERENCE.match(line):
            self.flush()
        elif heading:
            self.flush()
            self.blocks.append(Block(_markdown_inline(heading[1]), "heading"))
        elif _MD_SETEXT.match(line) and len(self.paragraph) == 1:
            self.flush("heading")
        elif _MD_RULE.match(line):
            self.flush()
        elif item:
            self.flush()
            self.blocks.append(Block(_markdown_inline(line[item.end() :]), "item"))
        else:
            self.paragraph.append(line.strip())
