"""JSON and JSONL articles: `{"id", "url", "title", "text" or "html", "published"}`."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from newsdesk.errors import FormatError, SourceError, unexpected
from newsdesk.models import RawDocument
from newsdesk.sources.decode import without_surrogates

TEXT_KEYS = ("text", "body", "content")
FIELD_KEYS = {
    "id": ("id", "guid"),
    "url": ("url", "link"),
    "title": ("title", "headline"),
    "published": ("published", "date", "date_published", "published_at", "pubDate"),
    "author": ("author", "byline", "authors"),
    "description": ("description", "dek", "summary", "standfirst"),
    "image": ("image", "image_url"),
    "image_alt": ("image_alt",),
    "site_name": ("site_name", "source"),
    "language": ("language", "lang"),
}


def parse_json(item: str, text: str | bytes, where: str = "") -> Any:
    """`text` parsed as JSON, or a `FormatError` saying why not (`where` starts the reason)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError(item, f"{where}not JSON: {error}") from None
    except RecursionError:
        raise FormatError(item, f"{where}JSON nested too deeply") from None
    except ValueError as error:  # an integer of more than 4,300 digits
        raise FormatError(item, f"{where}not usable JSON: {error}") from None


def json_documents(item: str, data: Any) -> Iterator[RawDocument | SourceError]:
    """One article object, a list of them, or `{"articles": [...]}` as documents."""
    records = data.get("articles") if isinstance(data, dict) and "articles" in data else data
    if not isinstance(records, list):
        yield record_document(item, records)
        return
    if not records:
        yield FormatError(item, "no articles in the JSON list")
    for index, record in enumerate(records):
        try:
            yield record_document(f"{item}[{index}]", record)
        except FormatError as error:
            yield FormatError(item, f"article [{index}]: {error.reason}")
        except Exception as error:  # one record's crash must not lose the rest of the list
            yield FormatError(item, f"article [{index}]: {unexpected(error)}")


def jsonl_document(item: str, number: int, line: str) -> RawDocument:
    """Line `number` of a JSONL file as a document; errors name the line."""
    record = parse_json(item, line, f"line {number}: ")
    try:
        return record_document(f"{item}:{number}", record)
    except FormatError as error:
        raise FormatError(item, f"line {number}: {error.reason}") from None


def record_document(origin: str, record: Any) -> RawDocument:
    """One article object as a `RawDocument`; its own fields are kept in `fields`."""
    if not isinstance(record, dict):
        raise FormatError(origin, f"not an article object (got {type(record).__name__})")
    fields = record_fields(record)
    html = _string(record.get("html"))
    text = next((_string(record.get(key)) for key in TEXT_KEYS if _string(record.get(key))), "")
    if text.strip():
        return RawDocument(
            origin, text, "text/plain", fields.get("url"), fields, title_in_text=False
        )
    if html.strip():
        return RawDocument(origin, html, "text/html", fields.get("url"), fields)
    raise FormatError(origin, 'no article text: needs a "text" or "html" field')


def record_fields(record: Mapping[str, Any]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for name, keys in FIELD_KEYS.items():
        value = next((record[key] for key in keys if record.get(key) not in (None, "")), None)
        if name == "image" and isinstance(value, dict):
            fields.update(_image_fields(value))
        elif value is not None:
            fields[name] = _string(value)
    fields.update(_extra_fields(record, fields))
    return {name: value for name, value in fields.items() if value.strip()}


def _extra_fields(record: Mapping[str, Any], known: Mapping[str, str]) -> dict[str, str]:
    """Other short string fields (license, genre, ...), kept under their own names."""
    used = {key for keys in FIELD_KEYS.values() for key in keys} | {*TEXT_KEYS, "html"}
    return {
        without_surrogates(key): without_surrogates(value).strip()
        for key, value in record.items()
        if isinstance(value, str) and key not in used and key not in known and len(value) <= 500
    }


def _image_fields(image: Mapping[str, Any]) -> dict[str, str]:
    fields = {"image": _string(image.get("url") or image.get("src"))}
    if image.get("alt"):
        fields["image_alt"] = _string(image["alt"])
    return fields


def _string(value: Any) -> str:
    """A field value as text: names of people, first of a list, numbers as digits."""
    while isinstance(value, list | dict):  # a loop: nesting may be as deep as JSON allows
        if isinstance(value, list):
            value = value[0] if value else None
        else:
            value = value.get("name") or value.get("url") or None
    if value is None:
        return ""
    return without_surrogates(_number_or_text(value)).strip()


def _number_or_text(value: Any) -> str:
    try:
        return str(value)
    except ValueError:  # an integer too long to print (over 4,300 digits)
        return ""
