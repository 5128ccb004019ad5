"""Small builders for test records."""

from __future__ import annotations

from pathlib import Path

from newsdesk.models import Article, Brief, Entity, EntityKind, Image, Mention, PieceKind, Takeaway

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
        entities=(japan,),
        labels=labels,
        kind=PieceKind.REPORT,
    )
