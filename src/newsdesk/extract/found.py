"""What extraction found in one document, whatever its media type."""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.models import Image

NO_TEXT = "no article text found"


@dataclass(frozen=True, slots=True)
class Found:
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
