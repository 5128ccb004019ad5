"""Related articles and stories as the JSON DESIGN.md fixes, and their commands.

`newsdesk related ID --json` and `newsdesk stories --json` print one object
per line; the API serves the same objects, so the two cannot drift apart.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from newsdesk.errors import NotFound
from newsdesk.store.stories import RelatedArticle, StorySummary
from newsdesk.web.commands import Database, open_store_or_exit, settings_or_exit

AsJson = Annotated[bool, typer.Option("--json", help="One JSON object per line.")]


def related_to_dict(item: RelatedArticle) -> dict[str, Any]:
    article = item.brief.article
    return {
        "id": article.id,
        "title": item.brief.headline,
        "url": article.url,
        "published": article.published,
        "score": item.related.score,
        "reason": item.related.reason,
        "signals": item.related.signals,
    }


def story_to_dict(story: StorySummary) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "articles": list(story.articles),
        "sources": list(story.sources),
        "first": story.first,
        "last": story.last,
    }


def related(
    article_id: Annotated[str, typer.Argument(help="The article's id.")],
    as_json: AsJson = False,
    db: Database = None,
) -> None:
    """Articles related to one, best first, each with why (nothing when none passes the floor)."""
    store = open_store_or_exit(settings_or_exit(db=db).db)
    try:
        found = store.related(article_id)
    except NotFound as error:
        typer.echo(f"newsdesk: error: {error}", err=True)
        raise typer.Exit(1) from error
    finally:
        store.close()
    for item in found:
        if as_json:
            print(json.dumps(related_to_dict(item), ensure_ascii=False))
        else:
            print(f"{item.related.score:.2f}  {item.brief.headline}  ({item.related.reason})")


def stories(
    as_json: AsJson = False,
    db: Database = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, latest first.")] = 1_000,
) -> None:
    """Stories, the latest first: the articles on one development, oldest first."""
    store = open_store_or_exit(settings_or_exit(db=db).db)
    try:
        found = store.stories(limit=limit)
    finally:
        store.close()
    for story in found:
        if as_json:
            print(json.dumps(story_to_dict(story), ensure_ascii=False))
        else:
            sources = ", ".join(story.sources)
            print(
                f"{story.first}..{story.last}  {len(story.articles)} articles  {story.title}  ({sources})"
            )
