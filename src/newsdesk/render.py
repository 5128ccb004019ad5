"""A brief as readable Markdown, in the order of the page."""

from __future__ import annotations

from newsdesk.models import ENTITY_KIND_TITLES, Brief, Entity, EntityKind


def brief_markdown(brief: Brief) -> str:
    parts = [
        f"# {brief.headline}",
        f"_{brief.dek}_",
        _image(brief),
        _takeaways(brief),
        _editors_desk(brief),
        _labels(brief),
        "## Article\n\n" + brief.article.text,
        _source(brief),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


def _image(brief: Brief) -> str:
    image = brief.article.image
    if image is None:
        return ""
    if image.url:
        return f"![{image.alt}]({image.url})"
    return f"> Image: {image.alt}"


def _takeaways(brief: Brief) -> str:
    lines = ["## Key Takeaways", ""]
    for number, takeaway in enumerate(brief.takeaways, 1):
        where = ", ".join(str(i + 1) for i in takeaway.sentences)  # counted from 1, as on the page
        lines.append(f"{number}. {takeaway.text} _(sentence {where})_")
    return "\n".join(lines)


def _editors_desk(brief: Brief) -> str:
    lines = ["## Editor's Desk", ""]
    if brief.analysis:
        lines += ["**Strategic Analysis**", ""]
        if brief.analysis.prose:
            lines += [brief.analysis.prose, ""]
        for number, point in enumerate(brief.analysis.points, 1):
            lines.append(f"{number}. {point.text}{_traces(point.sentences, point.articles)}")
        lines.append("")
    for kind, title in ENTITY_KIND_TITLES.items():
        named = [_entity(e) for e in brief.entities if e.kind == kind]
        if named:
            lines.append(f"- **{title}:** " + "; ".join(named))
    return "\n".join(lines) if len(lines) > 2 else ""


def _entity(entity: Entity) -> str:
    details = [d for d in (entity.role, entity.country) if d and entity.kind != EntityKind.COUNTRY]
    suffix = f" ({', '.join(details)})" if details else ""
    return f"{entity.name}{suffix}"


def _labels(brief: Brief) -> str:
    return "**Labels:** " + " · ".join([*brief.labels, str(brief.kind).title()])


def _source(brief: Brief) -> str:
    article = brief.article
    facts = [f for f in (article.site_name, article.author, article.published) if f]
    where = article.url or article.origin
    return "---\n\nSource: " + " · ".join([*facts, where]) if where or facts else ""


def _traces(sentences: tuple[int, ...], articles: tuple[str, ...]) -> str:
    where = [f"sentence {i + 1}" for i in sentences] + [f"article {a}" for a in articles]
    return f" _({', '.join(where)})_" if where else ""
