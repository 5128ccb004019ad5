"""Turn a `RawDocument` into an `Article`: title, clean body text, metadata.

HTML goes through trafilatura; text and Markdown are split into blocks here.
Every kind of input then passes the same furniture filter, driven by
``data/furniture.txt``: share prompts, "Related Articles" and what follows,
boxes such as "Key Takeaways" with their contents, editorial badges, emoji
lines. Fields a structured source already knew (title, url, published, id,
author, description, image) win over what extraction finds.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass, field, replace
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import cache
from importlib import resources
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring
from trafilatura import bare_extraction
from trafilatura.htmlprocessing import convert_to_html
from trafilatura.settings import Document

from newsdesk.errors import ExtractionError
from newsdesk.models import Article, Image, RawDocument
from newsdesk.sanitize import sanitize_html

NO_TEXT = "no article text found"
_TERMINAL = ".!?:;…\"'”’)"
_SMALL_WORDS = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to"})
_MAX_FURNITURE_WORDS = 12
_MAX_BADGE_WORDS = 6


# ---------------------------------------------------------------- public API


def extract(doc: RawDocument) -> Article:
    """Extract the article in `doc`; raise `ExtractionError` when there is none."""
    if doc.media_type == "text/html":
        found = _from_html(doc)
    elif doc.media_type == "text/markdown":
        found = _from_markdown(doc)
    else:
        found = _from_text(doc)
    if not found.text.strip():
        raise ExtractionError(doc.origin, NO_TEXT)
    return _article(doc, found)


def article_id(url: str | None, text: str) -> str:
    """A stable id: from the canonical URL if there is one, else from the text."""
    key = canonical_url(url) if url else " ".join(text.lower().split())
    return hashlib.sha256(key.encode()).hexdigest()[:16]


_TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """`url` with case, port, fragment, tracking parameters and trailing slash normalised."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in _TRACKING_PARAMS
    ]
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((scheme, host, path, urlencode(query), ""))


_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%d.%m.%Y")


def iso_date(value: str | None) -> str | None:
    """`value` (ISO 8601, RFC 2822 or a date-led string) as ISO 8601, or None."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            pass
    date_led = re.match(r"\d{4}-\d{2}-\d{2}", text)
    return date_led[0] if date_led else None


# ---------------------------------------------------------------- what was found


@dataclass(frozen=True, slots=True)
class _Found:
    """What extraction found in one document, before structured fields are applied."""

    title: str
    text: str
    html: str | None = None
    description: str | None = None
    image: Image | None = None
    author: str | None = None
    published: str | None = None
    site_name: str | None = None
    language: str | None = None
    url: str | None = None
    asides: tuple[str, ...] = ()


def _article(doc: RawDocument, found: _Found) -> Article:
    fields = {name: _printable(value) for name, value in doc.fields.items()}
    url = fields.get("url") or doc.url or found.url
    title = _printable(fields.get("title") or found.title)
    text = _printable(found.text)
    return Article(
        id=fields.get("id") or article_id(url, text),
        title=title,
        text=text,
        url=url,
        html=found.html,
        author=fields.get("author") or found.author,
        published=iso_date(fields.get("published")) or iso_date(found.published),
        image=_field_image(fields, title) or found.image,
        description=fields.get("description") or found.description,
        site_name=fields.get("site_name") or found.site_name,
        language=fields.get("language") or found.language,
        origin=doc.origin,
        asides=found.asides,
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _printable(text: str) -> str:
    """Without control characters (a JSON "\\u0000" survives decoding; databases refuse it)."""
    return _CONTROL.sub("", text)


def _field_image(fields: dict[str, str], title: str) -> Image | None:
    if not fields.get("image"):
        return None
    return Image(url=fields["image"], alt=fields.get("image_alt") or title)


# ---------------------------------------------------------------- blocks and furniture


@dataclass(frozen=True, slots=True)
class _Block:
    """One paragraph, heading or list item (a whole list, for HTML)."""

    text: str
    kind: str = "paragraph"  # "paragraph", "heading" or "item"


@dataclass(frozen=True, slots=True)
class _Layout:
    """Which blocks are the article body, the standfirst and the picture line."""

    body: tuple[int, ...]
    dek: int | None = None
    picture: int | None = None
    asides: tuple[int, ...] = ()  # the content of panels set beside the body


@dataclass(slots=True)
class _Sweep:
    """Blocks kept so far, and what kind of furniture was removed before each."""

    kept: list[int] = field(default_factory=list)
    removed: dict[int, set[str]] = field(default_factory=dict)
    asides: list[int] = field(default_factory=list)

    def remove(self, role: str) -> None:
        self.removed.setdefault(len(self.kept), set()).add(role)

    def removed_before(self, position: int) -> set[str]:
        return self.removed.get(position, set())


@cache
def _furniture_rules() -> tuple[tuple[str, str], ...]:
    text = resources.files("newsdesk").joinpath("data/furniture.txt").read_text("utf-8")
    rules = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            kind, pattern = line.split("\t", 1)
            rules.append((kind.strip(), pattern.strip().lower()))
    return tuple(rules)


def _normalise(text: str) -> str:
    straight = text.replace("’", "'").replace("‘", "'").lower()
    words = " ".join(straight.split())
    return re.sub(r"^[\W_]+|[\W_]+$", "", words)


def furniture_role(text: str) -> str | None:
    """ "end", "box" or "line" when `text` is page furniture (see data/furniture.txt)."""
    if len(text.split()) > _MAX_FURNITURE_WORDS:
        return None
    line = _normalise(text)
    for kind, pattern in _furniture_rules():
        if fnmatch.fnmatchcase(line, pattern):
            return kind
    return None


def _is_ornament(text: str) -> bool:
    """Emoji, rules and other lines without a letter or a digit."""
    return not any(char.isalnum() for char in text)


def _is_badge(block: _Block) -> bool:
    """A short title-case label without terminal punctuation: "Strategic Insight"."""
    words = block.text.split()
    if block.kind != "paragraph" or not 0 < len(words) <= _MAX_BADGE_WORDS:
        return False
    if block.text.rstrip()[-1] in _TERMINAL or any(char.isdigit() for char in block.text):
        return False
    if not all(word[0].isalpha() for word in words):
        return False
    return all(word[0].isupper() or word in _SMALL_WORDS for word in words)


def _same_text(a: str, b: str | None) -> bool:
    return b is not None and _normalise(a) == _normalise(b)


def _layout(blocks: Sequence[_Block], title: str, description: str | None = None) -> _Layout:
    sweep = _drop_furniture(blocks, title)
    while sweep.kept and _is_badge(blocks[sweep.kept[-1]]):
        sweep.kept.pop()
    return replace(_front_matter(blocks, sweep, description), asides=tuple(sweep.asides))


def _drop_furniture(blocks: Sequence[_Block], title: str) -> _Sweep:
    sweep = _Sweep()
    index = 0
    while index < len(blocks):
        block = blocks[index]
        role = furniture_role(block.text)
        if role == "end":
            break
        if role == "box":
            end = _skip_box(blocks, index)
            sweep.asides += [i for i in range(index + 1, end) if not furniture_role(blocks[i].text)]
            sweep.remove("box")
            index = end
            continue
        if role == "line" or _is_ornament(block.text) or _same_text(block.text, title):
            sweep.remove("line")
        elif _is_badge(block) and _in_badge_run(blocks, index):
            sweep.remove("badge")
        else:
            sweep.kept.append(index)
        index += 1
    return sweep


def _in_badge_run(blocks: Sequence[_Block], index: int) -> bool:
    neighbours = [*blocks[max(index - 1, 0) : index], *blocks[index + 1 : index + 2]]
    return any(_is_badge(block) or furniture_role(block.text) for block in neighbours)


def _skip_box(blocks: Sequence[_Block], index: int) -> int:
    """Index of the first block after the box whose heading is at `index`."""
    index += 1
    while index < len(blocks) and furniture_role(blocks[index].text) == "box":
        index += 1
    if index < len(blocks) and blocks[index].kind == "item":
        while index < len(blocks) and blocks[index].kind == "item":
            index += 1
    elif index < len(blocks) and blocks[index].kind == "paragraph":
        index += 1
    return index


def _front_matter(blocks: Sequence[_Block], sweep: _Sweep, description: str | None) -> _Layout:
    """Find the standfirst: the description again, or a paragraph set apart by panels."""
    kept = sweep.kept
    if not kept:
        return _Layout(())
    if _same_text(blocks[kept[0]].text, description):
        return _Layout(tuple(kept[1:]), dek=kept[0])
    if len(kept) < 3 or not _could_be_dek(blocks[kept[0]]):
        return _Layout(tuple(kept))
    panels = {"box", "badge"}
    if panels & sweep.removed_before(1):
        return _Layout(tuple(kept[1:]), dek=kept[0])
    picture_between = not sweep.removed_before(1) and _describes_picture(blocks[kept[1]])
    if picture_between and panels & sweep.removed_before(2):
        return _Layout(tuple(kept[2:]), dek=kept[0], picture=kept[1])
    return _Layout(tuple(kept))


def _sentence_count(text: str) -> int:
    return len(re.findall(r"[.!?…](?=\s+[\"'“‘]?[A-Z]|\s*$)", text.strip()))


def _could_be_dek(block: _Block) -> bool:
    return block.kind == "paragraph" and 8 <= len(block.text.split()) <= 90


def _describes_picture(block: _Block) -> bool:
    """A single sentence of modest length: what a caption or alt text looks like."""
    words = len(block.text.split())
    return block.kind == "paragraph" and 4 <= words <= 40 and _sentence_count(block.text) == 1


def _body_text(blocks: Sequence[_Block], indexes: Sequence[int]) -> str:
    parts: list[str] = []
    previous_kind = ""
    for index in indexes:
        block = blocks[index]
        separator = "\n" if block.kind == previous_kind == "item" else "\n\n"
        parts.append((separator if parts else "") + block.text)
        previous_kind = block.kind
    return "".join(parts)


# ---------------------------------------------------------------- plain text


_LIST_MARKER = re.compile(r"^\s*(?:[•·▪◦‣●*+\-–]|\d{1,3}[.)])\s+")
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


def _from_text(doc: RawDocument) -> _Found:
    text = _without_wiki_markup(doc.text.lstrip("\ufeff"))
    title = doc.fields.get("title", "")
    if not title and doc.title_in_text:
        title, text = _headline(text)
    blocks = _text_blocks(text)
    author = _byline(blocks[0]) if blocks else None
    if author:
        blocks = blocks[1:]
    layout = _layout(blocks, title.strip())
    return _Found(
        title=title.strip(),
        text=_body_text(blocks, layout.body),
        asides=_texts(blocks, layout.asides),
        description=_block_text(blocks, layout.dek),
        image=_picture(blocks, layout.picture),
        author=author,
    )


def _headline(text: str) -> tuple[str, str]:
    """The first line as the title, unless it is prose (then there is no title)."""
    first, _, rest = text.strip().partition("\n")
    if len(first.split()) > 30 or _sentence_count(first) > 1:
        return "", text
    return first.strip(), rest


def _byline(block: _Block) -> str | None:
    match = _BYLINE.match(block.text)
    return match[1] if match else None


def _texts(blocks: Sequence[_Block], indexes: Sequence[int]) -> tuple[str, ...]:
    return tuple(blocks[index].text for index in indexes)


def _block_text(blocks: Sequence[_Block], index: int | None) -> str | None:
    return None if index is None else blocks[index].text


def _picture(blocks: Sequence[_Block], index: int | None) -> Image | None:
    return None if index is None else Image(url=None, alt=blocks[index].text)


def _text_blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    for chunk in re.split(r"\n[ \t]*\n", text):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        joined = " ".join(lines)
        if len(lines) > 1 and furniture_role(joined):
            blocks.append(_Block(joined))  # a heading broken over lines: "Editor's / Desk"
        elif lines:
            blocks.extend(_line_blocks(lines))
    return blocks


def _line_blocks(lines: Sequence[str]) -> list[_Block]:
    """Lines of one chunk as blocks, re-joining prose that was hard-wrapped."""
    blocks: list[_Block] = []
    for line in lines:
        item = _LIST_MARKER.match(line)
        if item:
            blocks.append(_Block(_item_text(line[item.end() :]), "item"))
        elif blocks and _continues(blocks[-1], line):
            blocks[-1] = _Block(f"{blocks[-1].text} {line}", blocks[-1].kind)
        else:
            blocks.append(_Block(line))
    return blocks


def _item_text(text: str) -> str:
    # A numbered badge fused to the text, as in "1Japan and ...", is layout.
    return re.sub(r"^\d{1,2}(?=[A-Z])", "", text.strip())


def _continues(previous: _Block, line: str) -> bool:
    """True when `previous` was cut by a hard wrap, so `line` goes on with it."""
    return len(previous.text) >= 40 and previous.text[-1] not in _TERMINAL


# ---------------------------------------------------------------- Markdown


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


def _from_markdown(doc: RawDocument) -> _Found:
    meta, text = _front_matter_fields(doc.text.lstrip("\ufeff"))
    image = _MD_IMAGE.search(text)
    blocks = _markdown_blocks(_MD_IMAGE.sub("", text))
    title = doc.fields.get("title") or meta.get("title") or _take_title(blocks)
    layout = _layout(blocks, title)
    lead = Image(url=image[2], alt=image[1].strip() or title) if image else None
    return _Found(
        title=title,
        text=_body_text(blocks, layout.body),
        asides=_texts(blocks, layout.asides),
        description=meta.get("description") or _block_text(blocks, layout.dek),
        image=lead or _picture(blocks, layout.picture),
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


def _take_title(blocks: list[_Block]) -> str:
    """Remove and return the first heading, or else the first block."""
    if not blocks:
        return ""
    position = next((i for i, block in enumerate(blocks) if block.kind == "heading"), 0)
    return blocks.pop(position).text


def _markdown_inline(text: str) -> str:
    for pattern, replacement in _MD_INLINE:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def _markdown_blocks(text: str) -> list[_Block]:
    reader = _MarkdownReader()
    for line in text.splitlines():
        reader.feed(line)
    reader.flush()
    return reader.blocks


class _MarkdownReader:
    """Turns Markdown lines into blocks of plain text."""

    def __init__(self) -> None:
        self.blocks: list[_Block] = []
        self.paragraph: list[str] = []
        self.fenced = False

    def flush(self, kind: str = "paragraph") -> None:
        if self.fenced:
            joined = "\n".join(self.paragraph)
        else:
            joined = _markdown_inline(" ".join(self.paragraph))
        if joined.strip():
            self.blocks.append(_Block(joined, kind))
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
        item = _LIST_MARKER.match(line)
        if not line.strip() or _MD_REFERENCE.match(line):
            self.flush()
        elif heading:
            self.flush()
            self.blocks.append(_Block(_markdown_inline(heading[1]), "heading"))
        elif _MD_SETEXT.match(line) and len(self.paragraph) == 1:
            self.flush("heading")
        elif _MD_RULE.match(line):
            self.flush()
        elif item:
            self.flush()
            self.blocks.append(_Block(_markdown_inline(line[item.end() :]), "item"))
        else:
            self.paragraph.append(line.strip())


# ---------------------------------------------------------------- HTML


_BLOCK_TAGS = ("p", "h2", "h3", "h4", "li", "blockquote", "pre")


def _from_html(doc: RawDocument) -> _Found:
    tree = _parse_html(doc.text)
    if tree is None:
        raise ExtractionError(doc.origin, NO_TEXT)
    found = _trafilatura(tree, doc.url)
    if found is None:
        return _from_html_fragment(doc, tree)
    base_url = doc.url or found.url
    title = doc.fields.get("title") or found.title or ""
    elements = [child for child in found.body if child.tag != "graphic"]
    blocks = [_element_block(element) for element in elements]
    layout = _layout(blocks, title, found.description)
    return _Found(
        title=title,
        text=_body_text(blocks, layout.body),
        asides=_texts(blocks, layout.asides),
        html=_body_html([elements[index] for index in layout.body]),
        description=found.description or _block_text(blocks, layout.dek),
        image=_lead_image(tree, found.image, base_url, title),
        author=found.author,
        published=found.date,
        site_name=found.sitename,
        language=found.language or _page_language(tree),
        url=found.url,
    )


_HTML_PARSER = HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)


def _parse_html(text: str) -> HtmlElement | None:
    """A whole page or a fragment (a feed entry's content) as a document tree."""
    try:
        return document_fromstring(text.encode("utf-8"), parser=_HTML_PARSER)
    except (etree.ParserError, ValueError):
        return None


def _trafilatura(tree: HtmlElement, url: str | None) -> Document | None:
    found = bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_images=True,
        include_links=True,
        include_formatting=True,
    )
    return found if isinstance(found, Document) else None


def _from_html_fragment(doc: RawDocument, tree: HtmlElement) -> _Found:
    """A snippet too small for trafilatura, such as a feed entry's content."""
    elements = [el for el in tree.iter(*_BLOCK_TAGS) if not _has_block_ancestor(el)]
    blocks = [_Block(_text_of(el), _html_kind(el)) for el in elements]
    if not blocks and _text_of(tree):
        elements, blocks = [tree], [_Block(_text_of(tree))]
    title = doc.fields.get("title") or _text_of(tree.find(".//title")) or ""
    layout = _layout(blocks, title)
    html = "".join(etree.tostring(elements[i], encoding="unicode", with_tail=False)
                   for i in layout.body)  # fmt: skip
    return _Found(
        title=title,
        text=_body_text(blocks, layout.body),
        asides=_texts(blocks, layout.asides),
        html=sanitize_html(html) or None,
        image=_lead_image(tree, None, doc.url, title),
    )


def _has_block_ancestor(element: HtmlElement) -> bool:
    return any(ancestor.tag in _BLOCK_TAGS for ancestor in element.iterancestors())


def _html_kind(element: HtmlElement) -> str:
    return {"li": "item", "h2": "heading", "h3": "heading", "h4": "heading"}.get(
        element.tag, "paragraph"
    )


def _text_of(element: etree._Element | None) -> str:
    return "" if element is None else " ".join("".join(element.itertext()).split())


def _element_block(element: etree._Element) -> _Block:
    if element.tag == "list":
        items = (_text_of(item) for item in element.iter("item"))
        return _Block("\n".join(item for item in items if item), "item")
    return _Block(_text_of(element), "heading" if element.tag == "head" else "paragraph")


def _body_html(elements: Sequence[etree._Element]) -> str | None:
    body = etree.Element("body")
    for element in elements:
        copied = deepcopy(element)
        copied.tail = None
        body.append(copied)
    html = convert_to_html(body).find("body")
    parts = (etree.tostring(child, encoding="unicode", method="html") for child in html)
    return sanitize_html("".join(parts)) or None


def _page_language(tree: HtmlElement) -> str | None:
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    return lang.strip() if lang and lang.strip() else None


_ALT_META = (
    "//meta[@property='og:image:alt' or @name='og:image:alt'"
    " or @name='twitter:image:alt' or @property='twitter:image:alt']/@content"
)


def _lead_image(
    tree: HtmlElement, image_url: str | None, base_url: str | None, title: str
) -> Image | None:
    """The page's lead image, its alt text falling back to the caption, then the title."""
    base = base_url or ""
    url = urljoin(base, image_url) if image_url else None
    img = _matching_img(tree, url, base) if url else _first_article_img(tree)
    if img is not None and url is None:
        url = urljoin(base, _img_src(img))
    if not url:
        return None
    meta_alt = next((str(alt).strip() for alt in tree.xpath(_ALT_META) if str(alt).strip()), "")
    img_alt = (img.get("alt") or "").strip() if img is not None else ""
    alt = meta_alt or img_alt or _caption(img) or title
    return Image(url=url, alt=" ".join(alt.split()))


def _img_src(img: HtmlElement) -> str:
    return (img.get("src") or img.get("data-src") or "").strip()


def _matching_img(tree: HtmlElement, url: str, base: str) -> HtmlElement | None:
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    candidates = [img for img in tree.iter("img") if _img_src(img)]
    for img in candidates:
        if urljoin(base, _img_src(img)) == url:
            return img
    for img in candidates:
        if name and urlsplit(urljoin(base, _img_src(img))).path.endswith("/" + name):
            return img
    return None


def _first_article_img(tree: HtmlElement) -> HtmlElement | None:
    for img in tree.xpath("//article//img | //main//img | //figure//img"):
        src = _img_src(img)
        if src and not src.startswith("data:"):
            return img
    return None


def _caption(img: HtmlElement | None) -> str:
    if img is None:
        return ""
    for ancestor in img.iterancestors("figure"):
        caption = ancestor.find(".//figcaption")
        if caption is not None:
            return _text_of(caption)
    return ""
