"""Bytes to text: spot binary files, insist on UTF-8, guess HTML's charset."""

from __future__ import annotations

import codecs
import re
from functools import cache
from importlib import resources

from charset_normalizer import from_bytes

from newsdesk.errors import FormatError

_SNIFF_BYTES = 8192
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


@cache
def _signatures() -> tuple[tuple[bytes, str], ...]:
    text = resources.files("newsdesk").joinpath("data/file_signatures.tsv").read_text("utf-8")
    rows = (line.split("\t", 1) for line in text.splitlines() if line and line[0] != "#")
    return tuple((bytes.fromhex(magic), name.strip()) for magic, name in rows)


def binary_kind(data: bytes) -> str | None:
    """What binary format `data` is in ("PNG image", ...), or None for text."""
    for magic, name in _signatures():
        if data.startswith(magic):
            return name
    head = data[:_SNIFF_BYTES]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    nul = head.find(b"\0")
    return None if nul < 0 else f"NUL byte at offset {nul}"


def check_text(item: str, data: bytes, *, what: str = "file") -> None:
    """Raise `FormatError` when `data` is binary or holds nothing but whitespace."""
    kind = binary_kind(data)
    if kind:
        raise FormatError(item, f"binary {what} ({kind}), not text")
    if not data.strip():
        raise FormatError(item, f"empty {what}")


def without_surrogates(text: str) -> str:
    """`text` with lone surrogates (JSON's "\\ud800" decodes to one) as U+FFFD.

    No encoder, database or terminal accepts them; a valid pair never survives
    decoding as two, so only broken ones are replaced.
    """
    return _LONE_SURROGATE.sub("\ufffd", text)


def decode_utf8(item: str, data: bytes) -> str:
    """`data` as UTF-8 (a BOM is allowed), or a `FormatError` pointing at the bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad = data[error.start]
        raise FormatError(
            item, f"not valid UTF-8 (byte 0x{bad:02x} at offset {error.start})"
        ) from None


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Decode HTML by its BOM, the HTTP charset, its meta charset, UTF-8, or a guess."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    meta = _META_CHARSET.search(data[:4096])
    candidates = [declared, meta[1].decode("ascii", "ignore") if meta else None, "utf-8"]
    for encoding in candidates:
        text = _try_decode(data, encoding)
        if text is not None:
            return text
    guess = from_bytes(data).best()
    return str(guess) if guess is not None else data.decode("cp1252", errors="replace")


def _try_decode(data: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None
