"""Files on disk: what kind each is, reading with size caps, folders, JSONL lines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO

from newsdesk.errors import FormatError, SourceError
from newsdesk.sources.decode import binary_kind
from newsdesk.sources.feeds import feed_kind

MAX_FILE_BYTES = 20_000_000
MAX_LINE_BYTES = 5_000_000
SUFFIX_KINDS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".opml": "opml",
}
_HTML_START = re.compile(
    rb"<(!doctype html|html|head|body|article|main|div|p|h1|title|meta|section)[\s>/]",
    re.IGNORECASE,
)
_CHUNK = 1 << 16


def kind_of(path: Path) -> str | None:
    return SUFFIX_KINDS.get(path.suffix.lower())


def folder_files(folder: Path) -> list[Path]:
    """Readable kinds of file under `folder`, recursively, sorted; hidden ones skipped."""
    return sorted(
        path
        for path in folder.rglob("*")
        if kind_of(path)
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def sniff_kind(data: bytes) -> str:
    """Guess a document's kind from its first bytes (for stdin and unknown types)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    special = feed_kind(head)
    if special:
        return special
    if head.startswith((b"{", b"[")):
        return "json-or-jsonl"
    if _HTML_START.search(head[:1024]):
        return "html"
    return "markdown" if re.match(rb"#{1,3} \S", head) else "text"


def os_reason(error: OSError) -> str:
    """ "permission denied", "no such file or directory", ... from an OSError."""
    return (error.strerror or str(error)).lower()


def read_bytes(item: str, path: Path) -> bytes:
    """The whole file, refusing one over `MAX_FILE_BYTES` before reading it."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SourceError(item, f"larger than {_mb(MAX_FILE_BYTES)} ({_mb(size, 1)})")
        return path.read_bytes()
    except OSError as error:
        raise SourceError(item, os_reason(error)) from None


def read_stream(item: str, stream: IO[Any]) -> bytes | str:
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise SourceError(item, f"larger than {_mb(MAX_FILE_BYTES)}")
    return data


def jsonl_lines(item: str, path: Path) -> Iterator[tuple[int, bytes] | SourceError]:
    """Numbered non-blank lines of a JSONL file, streamed; each capped at `MAX_LINE_BYTES`."""
    try:
        with path.open("rb") as stream:
            yield from _lines(item, stream)
    except OSError as error:
        raise SourceError(item, os_reason(error)) from None


def _lines(item: str, stream: BinaryIO) -> Iterator[tuple[int, bytes] | SourceError]:
    kind = binary_kind(stream.read(_CHUNK))
    if kind:
        raise FormatError(item, f"binary file ({kind}), not text")
    stream.seek(0)
    seen_any = False
    for number, line in enumerate(iter(lambda: stream.readline(MAX_LINE_BYTES + 1), b""), 1):
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            _skip_rest_of_line(stream)
            seen_any = True
            yield FormatError(item, f"line {number}: longer than {_mb(MAX_LINE_BYTES)}")
        elif line.strip():
            seen_any = True
            yield number, line
    if not seen_any:
        raise FormatError(item, "empty file")


def _skip_rest_of_line(stream: BinaryIO) -> None:
    while True:
        chunk = stream.readline(_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def _mb(size: int, decimals: int = 0) -> str:
    return f"{size / 1_000_000:.{decimals}f} MB"
