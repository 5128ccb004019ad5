"""HTML as an article: trafilatura for pages, a simple walk for fragments; lead image."""

from __future__ import annotations

import re
from collections.abc import Sequence
from copy import deepcopy
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring
from trafilatura import bare_extraction
from trafilatura.htmlprocessing import convert_to_html
from trafilatura.settings import Document

from newsdesk.errors import ExtractionError
from newsdesk.extract.alt import clean_alt, headline_alt
from newsdesk.extract.flatten import flat_text, one_line
from newsdesk.extract.found import NO_TEXT, Found
from newsdesk.extract.furniture import Block, block_text, body_text, layout_of, texts
from newsdesk.extract.title import clean_title
from newsdesk.models import Image, RawDocument
from newsdesk.sanitize import sanitize_html

_BLOCK_TAGS = ("p", "h2", "h3", "h4", "li", "blockquote", "pre")


def from_html(doc: RawDocument) -> Found:
    tree = _parse_html(doc.text)
    if tree is None:
        raise ExtractionError(doc.origin, NO_TEXT)
    found = _trafilatura(tree, doc.url)
    if found is None:
        return _from_html_fragment(doc, tree)
    base_url = doc.url or found.url
    title = clean_title(doc.fields.get("title") or found.title or "", found.sitename, base_url)
    elements = _top_elements(found.body)
    blocks = [_element_block(element) for element in elements]
    layout = layout_of(blocks, title, found.description)
    return Found(
        title=title,
        text=body_text(blocks, layout.body),
        asides=texts(blocks, layout.asides),
        html=_body_html([elements[index] for index in layout.body]),
        description=found.description or block_text(blocks, layout.dek),
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


def _from_html_fragment(doc: RawDocument, tree: HtmlElement) -> Found:
    """A snippet too small for trafilatura, such as a feed entry's content."""
    elements = [el for el in tree.iter(*_BLOCK_TAGS) if not _has_block_ancestor(el)]
    blocks = [Block(flat_text(el), _html_kind(el)) for el in elements]
    if not blocks and _text_of(tree):
        elements, blocks = [tree], [Block(_text_of(tree))]
    title = doc.fields.get("title") or _text_of(tree.find(".//title")) or ""
    layout = layout_of(blocks, title)
    html = "".join(etree.tostring(elements[i], encoding="unicode", with_tail=False)
                   for i in layout.body)  # fmt: skip
    return Found(
        title=title,
        text=body_text(blocks, layout.body),
        asides=texts(blocks, layout.asides),
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
    return one_line(element)


def _top_elements(body: etree._Element) -> list[etree._Element]:
    """The body's blocks; text left between them becomes a paragraph of its own."""
    elements: list[etree._Element] = []
    loose = [body.text]
    captions = {one_line_text(g.get("alt")) for g in body.iter("graphic")} - {""}
    for child in body:
        if child.tag == "graphic":
            continue  # nor its tail: a credit or the page's own link
        if _is_caption(one_line(child), captions) or _is_teaser(child):
            continue
        elements += [*_paragraphs(loose), child]
        loose = [child.tail]
    return elements + _paragraphs(loose)


_CREDIT_END = re.compile(r"\((?:image|photo|picture)?\s*credits?:[^()]*\)$", re.IGNORECASE)


def _is_caption(text: str, alts: set[str]) -> bool:
    """A picture's alt text again, or a line that ends with its credit."""
    return text in alts or bool(_CREDIT_END.search(text))


def one_line_text(text: str | None) -> str:
    return " ".join((text or "").split())


def _is_teaser(element: etree._Element) -> bool:
    """A heading that is all one link: another story's (or a video's) title."""
    if element.tag != "head" or len(element) != 1 or element[0].tag != "ref":
        return False
    return not (element.text or "").strip() and not (element[0].tail or "").strip()


def _paragraphs(texts: list[str | None]) -> list[etree._Element]:
    text = " ".join(" ".join(t.split()) for t in texts if t and t.strip())
    if not text:
        return []
    paragraph = etree.Element("p")
    paragraph.text = text
    return [paragraph]


def _pictured(element: etree._Element) -> bool:
    """A gallery slide or a picture with its caption: not body text."""
    return element.find(".//graphic") is not None


def _element_block(element: etree._Element) -> Block:
    if element.tag == "list":
        items = (one_line(item) for item in element.iter("item") if not _pictured(item))
        return Block("\n".join(item for item in items if item), "item")
    if element.tag == "table":
        return Block(flat_text(element), "item")
    return Block(flat_text(element), "heading" if element.tag == "head" else "paragraph")


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
    candidates = [*(str(alt) for alt in tree.xpath(_ALT_META)), _caption(img)]
    if img is not None:
        candidates.insert(-1, img.get("alt") or "")
    alt = next((cleaned for cleaned in map(clean_alt, candidates) if cleaned), "")
    return Image(url=url, alt=alt or headline_alt(title))


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
