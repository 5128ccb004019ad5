"""Sources: files, folders, standard input, web pages, feeds and OPML, as raw documents.

    read_sources(["a.html", "news.jsonl", "https://example.com/feed.xml", "-"])

yields a `RawDocument` per article, or the `SourceError` of an item that
failed (naming it and the reason), in input order. `Fetcher` does the HTTP;
`FeedCache` is what a store implements to make feed fetches conditional.
"""

from newsdesk.errors import FetchError, FormatError, SourceError
from newsdesk.models import RawDocument
from newsdesk.sources.http import Fetcher, FetchResult
from newsdesk.sources.reader import FeedCache, read_page, read_sources

__all__ = [
    "FeedCache",
    "FetchError",
    "FetchResult",
    "Fetcher",
    "FormatError",
    "RawDocument",
    "SourceError",
    "read_page",
    "read_sources",
]
