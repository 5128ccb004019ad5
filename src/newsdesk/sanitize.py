"""Make untrusted HTML safe to publish: a strict allowlist, applied with nh3.

Only the structure an article body needs survives: paragraphs, sub-headings,
lists, quotes, emphasis, links and figures. Scripts and styles go with their
content; event handlers, inline styles and ``javascript:`` or ``data:`` URLs
go too, and every link gets ``rel="noopener nofollow"``.
"""

from __future__ import annotations

import re

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


def sanitize_html(html: str) -> str:
    """Return `html` cut down to the allowlist; text content is kept and escaped."""
    renamed = _RENAME_PATTERN.sub(lambda m: f"<{m[1]}{_RENAMES[m[2].lower()]}", html)
    cleaned = nh3.clean(
        renamed,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        link_rel="noopener nofollow",
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
    )
    return cleaned.strip()
