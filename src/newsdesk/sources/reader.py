"""Read every SOURCE into raw documents, one error per bad item, in input order."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Protocol, TextIO

from newsdesk.errors import (
    FetchError,
    FormatError,
    NewsdeskError,
    SourceError,
    StoreError,
    unexpected,
)
from newsdesk.extract.identity import url_problem
from newsdesk.models import RawDocument
from newsdesk.sources import files
from newsdesk.sources.decode import check_text, decode_html, decode_utf8
from newsdesk.sources.feeds import (
    FeedEntry,
    ParsedFeed,
    feed_kind,
    is_json_feed,
    load_json_feed,
    opml_feed_urls,
    parse_feed,
    parse_json_feed,
)
from newsdesk.sources.http import Fetcher, FetchResult
from newsdesk.sources.records import json_documents, jsonl_document, parse_json

Item = RawDocument | SourceError
STDIN = "<stdin>"
_CONTENT_KINDS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "": "sniff",
    "application/octet-stream": "sniff",
}
_MEDIA_TYPES = {"html": "text/html", "text": "text/plain", "markdown": "text/markdown"}


class FeedCache(Protocol):
    """Conditional-GET state and a fetch log per feed URL (the store implements it)."""

    def feed_state(self, url: str) -> tuple[str | None, str | None] | None:
        """(etag, last_modified) from the last fetch of a known feed; None if unknown."""
        ...

    def record_fetch(
        self, url: str, *, etag: str | None, last_modified: str | None, error: str | None
    ) -> None:
        """Remember one fetch of a feed: its validators, and the error if it failed."""
        ...


def read_sources(
    sources: Sequence[str],
    *,
    fetcher: Fetcher | None = None,
    cache: FeedCache | None = None,
    stdin: TextIO | BinaryIO | None = None,
) -> Iterator[RawDocument | SourceError]:
    """Yield each document, or the error for an item that failed, in input order.

    A SOURCE is a file, a folder, ``-`` for standard input, or an http(s)
    URL of a page or a feed. One bad item never stops the rest.
    """
    reader = _Reader(fetcher, cache, stdin)
    try:
        for source in sources:
            yield from reader.source(source)
    finally:
        reader.close()


def _guarded(
    item: str, read: Callable[..., Iterator[Item]], *args: Any, **kwargs: Any
) -> Iterator[Item]:
    """Run one item's reader; whatever it raises becomes the item's yielded error.

    This is the reading stage's guard: an exception escaping a generator would
    end `read_sources` and lose every item after it. Only the store failing
    (the feed cache) stops the run.
    """
    try:
        yield from read(*args, **kwargs)
    except StoreError:
        raise
    except Exception as error:
        yield _as_source_error(item, error)


def _attempt(item: str, make: Callable[..., RawDocument], *args: Any) -> Item:
    """One document, or the error that making it raised (the same guard for one-shot items)."""
    try:
        return make(*args)
    except StoreError:
        raise
    except Exception as error:
        return _as_source_error(item, error)


def _as_source_error(item: str, error: Exception) -> SourceError:
    if isinstance(error, SourceError):
        return error
    if isinstance(error, NewsdeskError):
        return SourceError(error.item, error.reason)
    return SourceError(item, unexpected(error))


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def checked_url(item: str, url: str) -> str:
    """`url` when it can be fetched at all; else a `FormatError` saying what is wrong with it."""
    problem = url_problem(url)
    if problem:
        raise FormatError(item, f"not a valid URL ({problem})")
    return url


def read_page(url: str, *, fetcher: Fetcher) -> RawDocument:
    """The one article page at `url`, fetched once; a feed is refused, not followed."""
    result = fetcher.get(url)
    if feed_kind(result.content, result.content_type) is not None:
        raise FormatError(url, "that URL is a feed, not an article page")
    items = list(_Reader(fetcher, None, None)._page(url, result))
    for item in items:
        if isinstance(item, SourceError):
            raise item
    if len(items) != 1 or not isinstance(items[0], RawDocument):
        raise FormatError(url, f"expected one article, found {len(items)}")
    return items[0]


class _Reader:
    def __init__(
        self, fetcher: Fetcher | None, cache: FeedCache | None, stdin: TextIO | BinaryIO | None
    ) -> None:
        self._fetcher = fetcher
        self._owns_fetcher = False
        self._cache = cache
        self._stdin = stdin

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher, self._owns_fetcher = Fetcher(), True
        return self._fetcher

    def close(self) -> None:
        if self._owns_fetcher and self._fetcher is not None:
            self._fetcher.close()

    def source(self, source: str) -> Iterator[Item]:
        if source == "-":
            return _guarded(STDIN, self._read_stdin)
        if is_url(source):
            return _guarded(source, self._read_url, source)
        return _guarded(source, self._read_path, Path(source), source)

    # -- files

    def _read_stdin(self) -> Iterator[Item]:
        stream = self._stdin if self._stdin is not None else sys.stdin
        binary = getattr(stream, "buffer", stream)
        data = files.read_stream(STDIN, binary)
        if isinstance(data, str):
            data = data.encode("utf-8")
        yield from self._content(STDIN, data, "sniff")

    def _read_path(self, path: Path, origin: str) -> Iterator[Item]:
        if path.is_dir():
            yield from self._read_folder(path, origin)
        elif files.kind_of(path) == "jsonl":
            yield from self._read_jsonl(path, origin)
        else:
            data = files.read_bytes(origin, path)
            yield from self._content(origin, data, files.kind_of(path) or "sniff")

    def _read_folder(self, folder: Path, origin: str) -> Iterator[Item]:
        paths = files.folder_files(folder)
        if not paths:
            kinds = ", ".join(sorted(files.SUFFIX_KINDS))
            yield SourceError(origin, f"no files to read in this folder (looked for {kinds})")
        for path in paths:
            yield from _guarded(str(path), self._read_path, path, str(path))

    def _read_jsonl(self, path: Path, origin: str) -> Iterator[Item]:
        for line in files.jsonl_lines(origin, path):
            if isinstance(line, SourceError):
                yield line
            else:
                yield _attempt(f"{origin}:{line[0]}", _jsonl_line, origin, *line)

    # -- content of any origin

    def _content(
        self,
        origin: str,
        data: bytes,
        kind: str,
        *,
        url: str | None = None,
        charset: str | None = None,
        fields: dict[str, str] | None = None,
    ) -> Iterator[Item]:
        check_text(origin, data)
        kind = files.sniff_kind(data) if kind == "sniff" else kind
        if kind in _MEDIA_TYPES:
            text = _decode(origin, data, kind, charset)
            yield RawDocument(origin, text, _MEDIA_TYPES[kind], url, fields or {})
        elif kind in ("json", "jsonl", "json-or-jsonl"):
            yield from self._json(origin, decode_utf8(origin, data), kind)
        elif kind == "feed":
            yield from self._entries(parse_feed(origin, data, url=url))
        elif kind == "json-feed":
            yield from self._entries(ParsedFeed(load_json_feed(origin, data)))
        elif kind == "opml":
            for feed_url in opml_feed_urls(origin, data):
                yield from _guarded(feed_url, self._read_url, feed_url, feed=True)
        else:
            raise FormatError(origin, f"cannot read {kind}")

    def _json(self, origin: str, text: str, kind: str) -> Iterator[Item]:
        lines = text.splitlines()
        if kind == "jsonl" or (kind == "json-or-jsonl" and _looks_like_jsonl(lines)):
            for number, line in enumerate(lines, 1):
                if line.strip():
                    yield _attempt(f"{origin}:{number}", jsonl_document, origin, number, line)
            return
        data = parse_json(origin, text)
        if is_json_feed(data):
            yield from self._entries(ParsedFeed(parse_json_feed(origin, data)))
        else:
            yield from json_documents(origin, data)

    # -- the web

    def _entries(self, feed: ParsedFeed) -> Iterator[Item]:
        for entry in feed.entries:
            yield from _guarded(entry.origin, self._entry, entry)
        if feed.problem is not None:
            yield feed.problem

    def _entry(self, entry: FeedEntry) -> Iterator[Item]:
        """The entry's own content when it is full, else the page it links to."""
        if entry.link and entry.is_teaser and is_url(entry.link):
            result = self.fetcher.get(checked_url(entry.origin, entry.link))
            yield from self._page(entry.link, result, entry.fields)
        elif entry.content.strip():
            yield RawDocument(
                entry.origin, entry.content, entry.media_type, entry.link, entry.fields
            )
        else:
            raise FormatError(entry.origin, "feed entry has no content and no link")

    def _read_url(self, url: str, *, feed: bool = False) -> Iterator[Item]:
        """A page or a feed; a known feed's fetch is logged in the cache, errors too."""
        checked_url(url, url)
        state = self._cache.feed_state(url) if self._cache else None
        known_feed = feed or state is not None
        etag, last_modified = state or (None, None)
        try:
            result = self.fetcher.get(url, etag=etag, last_modified=last_modified)
            kind = "feed" if result.not_modified else feed_kind(result.content, result.content_type)
            if feed and kind not in ("feed", "json-feed"):
                raise FormatError(
                    url, f"not a feed (got {result.content_type or 'no content type'})"
                )
            entries = self._feed_entries(url, result, kind)
        except SourceError as error:
            if known_feed:
                self._record(url, etag, last_modified, error.reason)
            raise
        if entries is None:
            yield from self._page(url, result)
            return
        self._record(url, result.etag or etag, result.last_modified or last_modified, None)
        yield from self._entries(entries)

    def _feed_entries(self, url: str, result: FetchResult, kind: str | None) -> ParsedFeed | None:
        if result.not_modified:
            return ParsedFeed([])
        if kind == "feed":
            return parse_feed(url, result.content, url=result.url)
        if kind == "json-feed":
            return ParsedFeed(load_json_feed(url, result.content))
        return None

    def _page(
        self, origin: str, result: FetchResult, fields: dict[str, str] | None = None
    ) -> Iterator[Item]:
        check_text(origin, result.content, what="response")
        kind = _CONTENT_KINDS.get(result.content_type) or feed_kind(
            result.content, result.content_type
        )
        if kind is None:
            raise FormatError(origin, f"unsupported content type {result.content_type}")
        yield from self._content(
            origin, result.content, kind, url=result.url, charset=result.charset, fields=fields
        )

    def _record(
        self, url: str, etag: str | None, last_modified: str | None, error: str | None
    ) -> None:
        if self._cache is not None:
            self._cache.record_fetch(url, etag=etag, last_modified=last_modified, error=error)


def _decode(origin: str, data: bytes, kind: str, charset: str | None) -> str:
    if kind == "html":
        return decode_html(data, charset)
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_utf8(origin, data)


def _jsonl_line(origin: str, number: int, raw: bytes) -> RawDocument:
    try:
        line = decode_utf8(origin, raw)
    except FormatError as error:
        raise FormatError(origin, f"line {number}: {error.reason}") from None
    return jsonl_document(origin, number, line)


def _looks_like_jsonl(lines: list[str]) -> bool:
    """Several lines, the first of which is a whole JSON value by itself."""
    filled = [line for line in lines if line.strip()]
    if len(filled) < 2:
        return False
    try:
        json.loads(filled[0])
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
        return False
    return True


__all__ = ["FeedCache", "FetchError", "Fetcher", "read_sources"]
