"""Make untrusted HTML safe to publish: a strict allowlist, applied with nh3.

Only the structure an article body needs survives: paragraphs, sub-headings,
lists, quotes, emphasis, links and figures. Scripts and styles go with their
content; event handlers, inline styles and ``javascript:`` or ``data:`` URLs
go too, and every link gets ``rel="noopener nofollow"``.

`image_src`, when given, decides every ``<img src>``: it returns the URL the
page should load instead (the media proxy's), or None to drop the image.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3

ALLOWED_TAGS = frozenset(
    {
        "p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote",
        "em", "strong", "a", "figure", "img", "figcaption",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Presentational twins of the allowed tags, renamed so their emphasis survives.
_RENAMES = {"b": "strong", "i": "em", "h1": "h2", "h5": "h4", "h6": "h4"}
_RENAME_PATTERN = re.compile(r"<(/?)(b|i|h1|h5|h6)(?=[\s>/])", re.IGNORECASE)


def sanitize_html(html: str, *, image_src: Callable[[str], str | None] | None = None) -> str:
    """Return `html` cut down to the allowlist; text content is kept and escaped."""
    renamed = _RENAME_PATTERN.sub(lambda m: f"<{m[1]}{_RENAMES[m[2].lower()]}", html)
    cleaned = nh3.clean(
        renamed,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        link_rel="noopener nofollow",
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        attribute_filter=_image_filter(image_src) if image_src else None,
    )
    if image_src is not None:  # an <img> whose source is not shown goes entirely
        cleaned = _IMAGE_TAG.sub(lambda m: m[0] if ' src="' in m[1] else "", cleaned)
    return cleaned.strip()


# nh3 writes every attribute as name="value", with " escaped: this matches whole tags.
_IMAGE_TAG = re.compile(r'<img((?:\s+[a-z-]+="[^"]*")*)\s*/?>')


def _image_filter(image_src: Callable[[str], str | None]) -> Callable[[str, str, str], str | None]:
    def keep(element: str, attribute: str, value: str) -> str | None:
        if element == "img" and attribute == "src":
            return image_src(value)
        return value

    return keep
