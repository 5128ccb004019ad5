"""A brief as the JSON object DESIGN.md fixes, and back.

The same dictionary is printed by `newsdesk brief --json`, served by the API
and stored in the database, so the three can never drift apart.
"""

from __future__ import annotations

from typing import Any

from newsdesk.models import (
    Actor,
    Analysis,
    Article,
    Brief,
    Cited,
    Entity,
    EntityKind,
    Event,
    Image,
    Mention,
    PieceKind,
    Point,
    PointKind,
    Takeaway,
    headline_of,
)


def brief_to_dict(brief: Brief) -> dict[str, Any]:
    article = brief.article
    return {
        "id": article.id,
        "url": article.url,
        "title": article.title,
        "dek": brief.dek,
        "image": _image_to_dict(article.image, brief.headline),
        "author": article.author,
        "published": article.published,
        "site_name": article.site_name,
        "language": article.language,
        "labels": list(brief.labels),
        "kind": str(brief.kind),
        "takeaways": [{"text": t.text, "sentences": list(t.sentences)} for t in brief.takeaways],
        "entities": [_entity_to_dict(e) for e in brief.entities],
        "events": [_event_to_dict(e) for e in brief.events],
        "analysis": analysis_to_dict(brief.analysis),
        "body": article.text,
        "sentences": list(brief.sentences),
        "source": {
            "origin": article.origin,
            "description": article.description,
            "asides": list(article.asides),
        },
    }


def brief_from_dict(data: dict[str, Any], *, html: str | None = None) -> Brief:
    sentences = tuple(data["sentences"])
    image = data.get("image") or {}
    source = data.get("source") or {}
    article = Article(
        id=data["id"],
        title=data["title"],
        text=data["body"],
        url=data.get("url"),
        html=html,
        author=data.get("author"),
        published=data.get("published"),
        image=_image_from_dict(image, headline_of(data["title"], data["dek"], sentences)),
        description=source.get("description"),
        site_name=data.get("site_name"),
        language=data.get("language"),
        origin=source.get("origin") or "",
        asides=tuple(source.get("asides") or ()),
    )
    return Brief(
        article=article,
        sentences=sentences,
        dek=data["dek"],
        takeaways=tuple(
            Takeaway(text=t["text"], sentences=tuple(t["sentences"])) for t in data["takeaways"]
        ),
        entities=tuple(_entity_from_dict(e, sentences) for e in data["entities"]),
        labels=tuple(data["labels"]),
        kind=PieceKind(data["kind"]),
        events=tuple(_event_from_dict(e) for e in data.get("events") or ()),
        analysis=analysis_from_dict(data.get("analysis")),
    )


def _image_to_dict(image: Image | None, headline: str) -> dict[str, str | None]:
    """Alt text is never empty: with no source image, the neutral figure carries the headline."""
    if image is None:
        return {"url": None, "alt": headline}
    return {"url": image.url, "alt": image.alt or headline}


def _image_from_dict(data: dict[str, str | None], headline: str) -> Image | None:
    url, alt = data.get("url"), data.get("alt") or ""
    if url is None and alt in ("", headline):
        return None  # the neutral figure _image_to_dict stood in for a missing image
    return Image(url=url, alt=alt)


def _entity_to_dict(entity: Entity) -> dict[str, Any]:
    return {
        "name": entity.name,
        "kind": str(entity.kind),
        "country": entity.country,
        "role": entity.role,
        "mentions": list(entity.sentence_indexes),
        "names": sorted({m.text for m in entity.mentions}),
    }


def _entity_from_dict(data: dict[str, Any], sentences: tuple[str, ...]) -> Entity:
    names = data.get("names") or [data["name"]]
    mentions = tuple(
        Mention(sentence=i, text=_name_in(sentences[i], names, data["name"]))
        for i in data["mentions"]
        if 0 <= i < len(sentences)
    )
    return Entity(
        name=data["name"],
        kind=EntityKind(data["kind"]),
        country=data.get("country"),
        mentions=mentions,
        role=data.get("role") or "",
    )


def _name_in(sentence: str, names: list[str], default: str) -> str:
    """The surface form used in a sentence; the JSON keeps names, not offsets."""
    return next((n for n in names if n in sentence), default)


def _actor_to_dict(actor: Actor | None) -> dict[str, Any] | None:
    if actor is None:
        return None
    return {"name": actor.name, "country": actor.country, "sector": actor.sector}


def _actor_from_dict(data: dict[str, Any] | None) -> Actor | None:
    if not data:
        return None
    return Actor(name=data["name"], country=data.get("country"), sector=data.get("sector") or "")


def _event_to_dict(event: Event) -> dict[str, Any]:
    return {
        "actor": _actor_to_dict(event.actor),
        "action": event.action,
        "target": _actor_to_dict(event.target),
        "object": event.object,
        "modality": event.modality,
        "sentence": event.sentence,
        "category": event.category,
        "score": event.score,
    }


def _event_from_dict(data: dict[str, Any]) -> Event:
    actor = _actor_from_dict(data["actor"])
    assert actor is not None
    return Event(
        actor=actor,
        action=data["action"],
        target=_actor_from_dict(data.get("target")),
        object=data.get("object") or "",
        modality=data.get("modality") or "asserted",
        sentence=data["sentence"],
    )


def analysis_to_dict(analysis: Analysis | None) -> dict[str, Any] | None:
    """DESIGN.md's shape: `points` and `prose`; the page's extras beside them."""
    if analysis is None:
        return None
    return {
        "points": [
            {"kind": str(p.kind), "text": p.text, "sentences": list(p.sentences),
             "articles": list(p.articles)}
            for p in analysis.points
        ],
        "prose": analysis.prose,
        "prose_dropped": analysis.dropped,
        "cited": [{"id": c.id, "title": c.title, "published": c.published} for c in analysis.cited],
    }  # fmt: skip


def analysis_from_dict(data: Any) -> Analysis | None:
    if not isinstance(data, dict):  # briefs stored before the desk held a string or nothing
        return None
    points = tuple(
        Point(kind=PointKind(p["kind"]), text=p["text"], sentences=tuple(p.get("sentences") or ()),
              articles=tuple(p.get("articles") or ()))
        for p in data.get("points") or ()
    )  # fmt: skip
    cited = tuple(
        Cited(id=c["id"], title=c.get("title") or "", published=c.get("published"))
        for c in data.get("cited") or ()
    )
    return Analysis(
        points=points, prose=data.get("prose"), dropped=int(data.get("prose_dropped") or 0),
        cited=cited,
    )  # fmt: skip
