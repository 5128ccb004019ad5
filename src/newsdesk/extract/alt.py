"""Alt text a screen reader can use: the source's words without slugs and credits.

Sources fill alt attributes with CMS file names ("111819 Hong Kong Protests",
"hk_protest-2019.jpg"), credits ("Photo: Hau Dinh, AP", "[File: Reuters]",
"(Getty Images)") or nothing. What is left after removing those is kept; when
nothing usable is left, the alt says what the image is from the headline.
"""

from __future__ import annotations

import re

_BRACKETED_CREDIT = re.compile(
    r"\s*[\[(](?:file(?: photo)?|photo|image|picture|pic|credit|courtesy|source|©)\b[^\])]*[\])]\s*"
    r"|\s*[\[(][^\])]*\b(?:getty images|reuters|afp|ap photo|epa|shutterstock|istock)\b[^\])]*[\])]\s*",
    re.IGNORECASE,
)
_TRAILING_CREDIT = re.compile(
    r"\s*(?:[|/–—-]\s*)?(?:\b(?:photo|image|picture|credit|source|courtesy)s?(?: credit)?\s*(?::|by\b)"
    r"|©|\(c\)|copyright\b).*$",
    re.IGNORECASE,
)
_AGENCY_TAIL = re.compile(
    r"[\s,;/|–—-]+(?:getty images|reuters|afp|epa|ap|shutterstock|istock)(?:/[\w ]+)?\.?$",
    re.IGNORECASE,
)
_SLUG_CODE = re.compile(r"^\d{4,8}[\s_-]")
_FILE_NAME = re.compile(
    r"\.(?:jpe?g|png|gif|webp|avif|svg|tiff?)$|^[\w-]*[_-][\w-]*$", re.IGNORECASE
)
_GENERIC = frozenset({"image", "photo", "picture", "img", "thumbnail", "placeholder", "file photo"})
_MIN_LETTERS = 3


def clean_alt(text: str | None) -> str:
    """The source's alt text without credits; "" when it is a slug or says nothing."""
    alt = " ".join((text or "").split())
    if not alt or _SLUG_CODE.match(alt) or _FILE_NAME.search(alt):
        return ""
    alt = _BRACKETED_CREDIT.sub(" ", alt)
    alt = _TRAILING_CREDIT.sub("", alt)
    alt = _AGENCY_TAIL.sub("", alt)
    alt = " ".join(alt.split()).strip(" ,;:|/–—-")
    if alt.lower().rstrip(".") in _GENERIC or sum(c.isalpha() for c in alt) < _MIN_LETTERS:
        return ""
    return alt


def headline_alt(headline: str) -> str:
    """What the image is, when the source does not say: it goes with the story."""
    headline = " ".join(headline.split())
    return f"Picture for the story “{headline}”" if headline else "Picture for this story"


def image_alt(source_alt: str | None, headline: str) -> str:
    return clean_alt(source_alt) or headline_alt(headline)


def caption(source_alt: str | None, headline: str) -> str | None:
    """The alt text as a caption, only when it describes the picture (not the headline)."""
    alt = clean_alt(source_alt)
    return alt if alt and alt != " ".join(headline.split()) else None
