"""Turn a `RawDocument` into an `Article`: title, clean body text, metadata.

HTML goes through trafilatura (`html`); text and Markdown are split into blocks
(`text`, `markdown`). Every kind of input then passes the same furniture filter
(`furniture`), driven by ``data/furniture.txt``: share prompts, "Related
Articles" and what follows, boxes such as "Key Takeaways" with their contents,
editorial badges, emoji lines. Fields a structured source already knew (title,
url, published, id, author, description, image) win over what extraction finds.
"""

from __future__ import annotations

import re
from dataclasses import replace

from newsdesk.errors import ExtractionError
from newsdesk.extract.alt import image_alt
from newsdesk.extract.found import NO_TEXT, Found
from newsdesk.extract.furniture import furniture_role
from newsdesk.extract.html import from_html
from newsdesk.extract.identity import article_id, canonical_url, iso_date
from newsdesk.extract.markdown import from_markdown
from newsdesk.extract.text import from_text
from newsdesk.extract.title import clean_title
from newsdesk.models import Article, Image, RawDocument
from newsdesk.sources.decode import without_surrogates

__all__ = ["NO_TEXT", "article_id", "canonical_url", "extract", "furniture_role", "iso_date"]


def extract(doc: RawDocument) -> Article:
    """Extract the article in `doc`; raise `ExtractionError` when there is none."""
    doc = replace(doc, text=without_surrogates(doc.text))  # readers clean; callers may not
    if doc.media_type == "text/html":
        found = from_html(doc)
    elif doc.media_type == "text/markdown":
        found = from_markdown(doc)
    else:
        found = from_text(doc)
    if not found.text.strip():
        raise ExtractionError(doc.origin, NO_TEXT)
    return _article(doc, found)


def _article(doc: RawDocument, found: Found) -> Article:
    fields = {name: _printable(value) for name, value in doc.fields.items()}
    url = fields.get("url") or doc.url or found.url
    site_name = fields.get("site_name") or found.site_name
    title = clean_title(_printable(fields.get("title") or found.title), site_name, url)
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
        site_name=site_name,
        language=fields.get("language") or found.language,
        origin=doc.origin,
        asides=found.asides,
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _printable(text: str) -> str:
    """Without control characters (a JSON "\\u0000" survives decoding; databases refuse it)."""
    return without_surrogates(_CONTROL.sub("", text))


def _field_image(fields: dict[str, str], title: str) -> Image | None:
    if not fields.get("image"):
        return None
    return Image(url=fields["image"], alt=image_alt(fields.get("image_alt"), title))
