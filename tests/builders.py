"""Small builders for test records."""

from __future__ import annotations

from pathlib import Path

from newsdesk.models import (
    Actor,
    Article,
    Brief,
    Entity,
    EntityKind,
    Event,
    Image,
    Mention,
    PieceKind,
    Takeaway,
)

# The sample page ships with the repository (data/demo), so tests on it never skip.
SAMPLE_PAGE = Path(__file__).resolve().parents[1] / "data" / "demo" / "quasi-alliance-page.txt"


def make_brief(
    article_id: str = "a1",
    *,
    title: str = "Japan and the Philippines sign a defence pact",
    text: str = "Japan and the Philippines signed a pact. Manila welcomed it. Tokyo will send ships.",
    url: str | None = "https://example.com/news/pact",
    published: str | None = "2025-01-02",
    labels: tuple[str, ...] = ("Defense", "Diplomacy"),
    events: tuple[Event, ...] = (),
    entities: tuple[Entity, ...] | None = None,
) -> Brief:
    sentences = tuple(s.strip() + "." for s in text.split(".") if s.strip())
    article = Article(
        id=article_id, title=title, text=text, url=url, published=published,
        image=Image(url="https://example.com/pact.jpg", alt="Ministers shake hands"),
        origin="test",
    )  # fmt: skip
    japan = Entity(
        name="Japan", kind=EntityKind.COUNTRY, country="JPN",
        mentions=(Mention(0, "Japan"), Mention(2, "Tokyo")),
    )  # fmt: skip
    return Brief(
        article=article,
        sentences=sentences,
        dek=sentences[0],
        takeaways=tuple(Takeaway(text=s, sentences=(i,)) for i, s in enumerate(sentences)),
        entities=(japan,) if entities is None else entities,
        labels=labels,
        kind=PieceKind.REPORT,
        events=events,
    )


COUNTRY_NAMES = {"JPN": "Japan", "PHL": "Philippines", "USA": "United States", "CHN": "China"}


def make_event(
    action: str,
    *,
    actor: str = "JPN",
    target: str | None = "PHL",
    sentence: int = 0,
    object: str = "",
    modality: str = "asserted",
) -> Event:
    """An event between two countries' governments, named as the country."""
    return Event(
        actor=Actor(COUNTRY_NAMES.get(actor, actor), actor, "government"),
        action=action,
        target=Actor(COUNTRY_NAMES.get(target, target), target, "government") if target else None,
        object=object,
        modality=modality,
        sentence=sentence,
    )


def country(name: str, code: str, *sentences: int) -> Entity:
    return Entity(
        name=name, kind=EntityKind.COUNTRY, country=code,
        mentions=tuple(Mention(i, name) for i in sentences),
    )  # fmt: skip
