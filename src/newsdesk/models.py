"""The records passed from stage to stage, each defined once and never mutated.

    source ─▶ RawDocument ─extract─▶ Article ─analyse─▶ Brief ─store─▶ database

A `Brief` holds its `Article`; everything a page shows is in the brief.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One document as a source delivered it, before extraction.

    `origin` names the item for error messages and progress: a path, a URL,
    ``<stdin>`` or ``file.jsonl:3``. `fields` carries what a structured
    source (JSON, JSONL, a feed entry) already knew: id, url, title,
    published, author, image, description.
    """

    origin: str
    text: str
    media_type: str  # "text/html", "text/plain" or "text/markdown"
    url: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    # A text file's first line is its headline; a JSON record's text is all body.
    title_in_text: bool = True


@dataclass(frozen=True, slots=True)
class Image:
    url: str | None
    alt: str


@dataclass(frozen=True, slots=True)
class Article:
    """What the source said: cleaned text and metadata, no analysis."""

    id: str
    title: str
    text: str  # body as plain text, paragraphs separated by blank lines
    url: str | None = None
    html: str | None = None  # sanitised body HTML, when the source was HTML
    author: str | None = None
    published: str | None = None  # ISO 8601 date or datetime
    image: Image | None = None
    description: str | None = None  # the source's own standfirst, if any
    site_name: str | None = None
    language: str | None = None
    origin: str = ""
    # Text the source set beside the body (its own takeaways box, an analysis
    # panel): kept out of the body and the takeaways, but its actors count.
    asides: tuple[str, ...] = ()


class EntityKind(StrEnum):
    COUNTRY = "country"
    PERSON = "person"
    ORGANISATION = "organisation"
    AGREEMENT = "agreement"  # between parties: a treaty, pact, accord, partnership
    POLICY = "policy"  # one side's doctrine, strategy, programme, initiative or framework
    WEAPON = "weapon"


# How pages and the Markdown brief head each kind's list, in the order they show them.
ENTITY_KIND_TITLES: dict[EntityKind, str] = {
    EntityKind.COUNTRY: "Countries",
    EntityKind.PERSON: "People",
    EntityKind.ORGANISATION: "Organisations",
    EntityKind.AGREEMENT: "Agreements",
    EntityKind.POLICY: "Policies and programmes",
    EntityKind.WEAPON: "Weapons systems",
}


@dataclass(frozen=True, slots=True)
class Mention:
    """One place an entity is named: sentence index and the words used."""

    sentence: int
    text: str


@dataclass(frozen=True, slots=True)
class Entity:
    """An actor or thing named in an article.

    `country` is ISO 3166 alpha-3 where one applies (a country itself, a
    leader's or a ministry's country). `role` is a person's title
    ("Prime Minister"), empty otherwise.
    """

    name: str
    kind: EntityKind
    country: str | None
    mentions: tuple[Mention, ...]
    role: str = ""

    @property
    def sentence_indexes(self) -> tuple[int, ...]:
        return tuple(sorted({m.sentence for m in self.mentions}))


@dataclass(frozen=True, slots=True)
class Actor:
    """One side of an event: who, from which country, in which sector."""

    name: str
    country: str | None
    sector: str  # "government", "military", "business", ... or ""


@dataclass(frozen=True, slots=True)
class Event:
    """Actor does action (a PLOVER type) to target, from one sentence.

    `object` is what the act is about: an agreement, a weapons system, a sum of aid.
    """

    actor: Actor
    action: str
    target: Actor | None
    object: str
    modality: str  # "asserted", "planned", "negotiating", "denied" or "hypothetical"
    sentence: int

    @property
    def category(self) -> str:
        """The PLOVER category the event counts under: a planned AID counts as AGREE."""
        from newsdesk.analyse.events import category_of  # the coder's tables, loaded once

        return category_of(self.action, self.modality)

    @property
    def score(self) -> float:
        """Cooperation (+10) to conflict (-10), from the category's PLOVER score."""
        from newsdesk.analyse.events import score_of

        return score_of(self.category)


class PointKind(StrEnum):
    ACTORS = "actors"
    CHANGE = "change"
    RECORD = "record"
    TREND = "trend"
    CRITICS = "critics"
    OTHER_SIDE = "other_side"
    STAKES = "stakes"


@dataclass(frozen=True, slots=True)
class Point:
    """One point of the Editor's Desk and what it rests on: sentences of this
    article and ids of earlier articles (at least one of the two)."""

    kind: PointKind
    text: str
    sentences: tuple[int, ...] = ()
    articles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Cited:
    """An earlier article a point rests on, as the page names it."""

    id: str
    title: str
    published: str | None = None


@dataclass(frozen=True, slots=True)
class Analysis:
    """The Editor's Desk: traced points and, with an LLM configured, prose from them.

    `dropped` counts the prose sentences left out because they said something
    the points and sentences they cite do not.
    """

    points: tuple[Point, ...]
    prose: str | None = None
    dropped: int = 0
    cited: tuple[Cited, ...] = ()


@dataclass(frozen=True, slots=True)
class Takeaway:
    text: str
    sentences: tuple[int, ...]


class PieceKind(StrEnum):
    REPORT = "report"
    ANALYSIS = "analysis"
    OPINION = "opinion"


@dataclass(frozen=True, slots=True)
class Brief:
    """What newsdesk made of one article."""

    article: Article
    sentences: tuple[str, ...]
    dek: str
    takeaways: tuple[Takeaway, ...]
    entities: tuple[Entity, ...]
    labels: tuple[str, ...]  # topic sections: "Defense", "Diplomacy", ...
    kind: PieceKind
    events: tuple[Event, ...] = ()
    analysis: Analysis | None = None  # the Editor's Desk (analyse/desk.py)
    # When the store took it in (set by the store): not part of what newsdesk made of it.
    ingested_at: str | None = field(default=None, compare=False)

    @property
    def headline(self) -> str:
        return headline_of(self.article.title, self.dek, self.sentences)


def headline_of(title: str, dek: str, sentences: tuple[str, ...]) -> str:
    """The source's title; an untitled article shows the start of its standfirst."""
    if title:
        return title
    words = (dek or " ".join(sentences[:1])).split()
    return " ".join(words[:12]) + ("…" if len(words) > 12 else "")


@dataclass(frozen=True, slots=True)
class Story:
    """A cluster of articles on one development."""

    id: str
    title: str
    article_ids: tuple[str, ...]
