"""The whole site as static files any web server can host (``newsdesk export DIR``).

Layout: ``index.html`` and ``page/N/index.html`` (one card per story, as live);
``articles/ID/index.html`` (with its Related Articles panel);
``stories/ID/index.html``; ``labels/LABEL/index.html`` (+ ``page/N/``, ``feed.atom``); ``sources/``;
``feed.atom``, ``feed.json`` and ``static/``. Links between pages are
relative, so the folder works under any path and from ``file://``; feeds
and canonical links use ``settings.site_url``. Search needs a server and is
left out. Under the ``proxy`` image policy (the default) the images the pages
show are fetched (or taken from the media cache) and bundled in ``media/``,
so the exported site never loads anything from another site; an image that
cannot be fetched is left out and passed to `warn`.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from functools import partial
from importlib.resources import as_file, files
from pathlib import Path

from newsdesk.config import Settings, media_directory
from newsdesk.errors import FetchError, NotFound
from newsdesk.models import Brief
from newsdesk.record import entity_record, relation_graph, relation_record
from newsdesk.sources.http import Fetcher
from newsdesk.store import Store, StorySummary
from newsdesk.web.event_feeds import event_feed
from newsdesk.web.feeds import FEED_SIZE, FeedInfo, atom_feed, json_feed
from newsdesk.web.images import BundledImages, Images, MediaStore, shared_fetcher
from newsdesk.web.links import Links, absolute, file_name
from newsdesk.web.pages import PAGE_SIZE, Pager, Site, page_count
from newsdesk.web.record import (
    RecordPages,
    entity_feed_info,
    entity_groups,
    known_countries,
    relation_feed_info,
)


class _Writer:
    def __init__(
        self, store: Store, directory: Path, settings: Settings, bundle: BundledImages | None
    ) -> None:
        self.store = store
        self.directory = directory
        self.settings = settings
        self.bundle = bundle
        self.site = Site(settings, Images("proxy", bundle.relative_path) if bundle else None)
        self.sections = store.labels()
        self.written = 0

    def write(self, path: str, content: str | bytes) -> None:
        target = self.directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode() if isinstance(content, str) else content
        target.write_bytes(data)
        self.written += 1

    def links_at(self, path: str) -> Links:
        """Links for a page written at `path`, relative to the export's root."""
        return Links(root="../" * path.count("/"), static=True)

    def listing(
        self,
        title: str,
        base: str,
        total: int,
        fetch: Callable[[int], list[Brief]],
        *,
        by_story: bool = False,
    ) -> None:
        pages = page_count(total)
        for page in range(1, pages + 1):
            path = f"{base}index.html" if page == 1 else f"{base}page/{page}/index.html"
            links = self.links_at(path)
            pager = Pager(page, pages, partial(_page_link, links, base))
            feed = links.label_feed(title) if base.startswith("labels/") else None
            briefs = fetch(page)
            stories = self.store.stories_of([b.article.id for b in briefs]) if by_story else None
            html = self.site.listing(
                title, briefs, pager, links, self.sections, feed=feed, stories=stories
            )
            self.write(path, html)

    def feed_info(self, title: str, feed_path: str, page_path: str) -> FeedInfo:
        site = self.settings.site_url
        return FeedInfo(
            title=title,
            feed_url=absolute(site, "/" + feed_path),
            page_url=absolute(site, "/" + page_path),
            site_url=site,
            links=Links(static=True),
        )


def _page_link(links: Links, base: str, page: int) -> str:
    """Page `page` of the listing at `base`, from a page that has `links`."""
    if page == 1:
        return f"{links.root}{base}index.html"
    return f"{links.root}{base}page/{page}/index.html"


def _all_briefs(store: Store, batch: int = 100) -> Iterator[Brief]:
    offset = 0
    while briefs := store.latest(limit=batch, offset=offset):
        yield from briefs
        offset += batch


def export_site(
    store: Store,
    directory: Path,
    settings: Settings,
    *,
    fetcher: Fetcher | None = None,
    warn: Callable[[FetchError], None] | None = None,
) -> int:
    """Write the site into `directory`; return the number of files written.

    `fetcher` fetches the images to bundle (default: a guarded one, public
    addresses only); `warn` hears of each image left out.
    """
    bundle = None
    if settings.image_policy == "proxy":
        media = MediaStore(media_directory(settings), shared_fetcher(fetcher))
        bundle = BundledImages(media, Path(directory))
    writer = _Writer(store, Path(directory), settings, bundle)
    _export_home(writer)
    for brief in _all_briefs(store):
        _export_article(writer, brief)
    _export_stories(writer)
    for label, _ in writer.sections:
        _export_label(writer, label)
    _export_record(writer)
    path = "labels/index.html"
    writer.write(path, writer.site.labels(writer.links_at(path), writer.sections))
    path = "sources/index.html"
    writer.write(path, writer.site.sources(store.feeds(), writer.links_at(path), writer.sections))
    _export_static(writer)
    if bundle is not None:
        for url, reason in sorted(bundle.failed.items()):
            if warn is not None:
                warn(FetchError(url, f"image left out of the export: {reason}"))
    return writer.written + (len(bundle.copied) if bundle else 0)


def _export_article(writer: _Writer, brief: Brief) -> None:
    path = f"articles/{file_name(brief.article.id)}/index.html"
    panel = writer.store.related_panel(brief.article.id)
    writer.write(path, writer.site.article(brief, writer.links_at(path), writer.sections, panel))


def _all_stories(store: Store, batch: int = 100) -> Iterator[StorySummary]:
    offset = 0
    while stories := store.stories(limit=batch, offset=offset):
        yield from stories
        offset += batch


def _export_stories(writer: _Writer) -> None:
    """A page per story, as ``/stories/ID`` live: its articles over time and its sources."""
    for story in _all_stories(writer.store):
        path = f"stories/{file_name(story.id)}/index.html"
        briefs = writer.store.get_many(story.articles)
        writer.write(path, writer.site.story(story, briefs, writer.links_at(path), writer.sections))


def _export_home(writer: _Writer) -> None:
    store, name = writer.store, writer.settings.site_name

    def fetch(page: int) -> list[Brief]:
        return store.latest(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)

    writer.listing("Latest briefs", "", store.count(), fetch, by_story=True)
    latest = store.latest(limit=FEED_SIZE)
    writer.write("feed.atom", atom_feed(latest, writer.feed_info(name, "feed.atom", "")))
    writer.write("feed.json", json_feed(latest, writer.feed_info(name, "feed.json", "")))


def _export_label(writer: _Writer, label: str) -> None:
    store = writer.store
    base = f"labels/{file_name(label)}/"

    def fetch(page: int) -> list[Brief]:
        return store.latest(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, label=label)

    writer.listing(label, base, store.count(label=label), fetch)
    info = writer.feed_info(f"{writer.settings.site_name}: {label}", f"{base}feed.atom", base)
    writer.write(f"{base}feed.atom", atom_feed(store.latest(limit=FEED_SIZE, label=label), info))


def _export_record(writer: _Writer) -> None:
    """Entity and relationship pages with their feeds, the index and the graph."""
    store, settings = writer.store, writer.settings
    countries = known_countries(store)
    public = Links(static=True)

    def pages(path: str) -> RecordPages:
        return RecordPages(writer.site, writer.links_at(path), writer.sections, countries)

    writer.write("entities/index.html", pages("entities/index.html").entities(entity_groups(store)))
    for row in store.entity_index(limit=1_000_000):
        try:
            record = entity_record(store, row.kind, row.name)
        except NotFound:  # a name no URL can carry: its page does not exist live either
            continue
        base = f"entities/{file_name(row.kind)}/{file_name(row.name)}/"
        writer.write(base + "index.html", pages(base + "index.html").entity(record))
        info = entity_feed_info(settings.site_url, settings.site_name, public, record)
        writer.write(base + "feed.atom", event_feed(record.events, info))
    edges = relation_graph(store)
    writer.write("relations/index.html", pages("relations/index.html").relations(edges))
    for edge in edges:
        pair = relation_record(store, edge.a, edge.b)
        base = f"relations/{file_name(pair.a.code)}/{file_name(pair.b.code)}/"
        writer.write(base + "index.html", pages(base + "index.html").relation(pair))
        info = relation_feed_info(settings.site_url, settings.site_name, public, pair)
        writer.write(base + "feed.atom", event_feed(pair.events, info))


def _export_static(writer: _Writer) -> None:
    with as_file(files("newsdesk.web") / "static") as source:
        for asset in sorted(Path(source).iterdir()):
            if asset.is_file():
                target = writer.directory / "static" / asset.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(asset, target)
                writer.written += 1
