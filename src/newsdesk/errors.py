"""The one exception hierarchy of newsdesk.

    NewsdeskError
    ├── SourceError          an input could not be read (file, URL, feed, line)
    │   ├── FetchError       network trouble: status, timeout, too large, robots.txt
    │   └── FormatError      (also ValueError) the bytes are not what they claim
    ├── ExtractionError      (also ValueError) no article could be found in a document
    ├── StoreError           the database refused or failed
    │   └── NotFound         (also LookupError) no such article or entity
    └── ConfigError          (also ValueError) a setting is wrong

Every error names the item it is about in ``item`` so a batch can report
"ITEM: reason" and go on. Anything else one item raises (a bug, a library's
crash) is turned by the stage that handles items into that item's error, its
reason made by `unexpected`: "ITEM: unexpected ValueError: ...".
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Root of every error newsdesk raises on purpose."""

    def __init__(self, item: str, reason: str) -> None:
        super().__init__(f"{item}: {reason}")
        self.item = item
        self.reason = reason


class SourceError(NewsdeskError):
    """An input could not be read."""


class FetchError(SourceError):
    """A URL could not be fetched: HTTP status, timeout, size cap, robots.txt."""


class FormatError(SourceError, ValueError):
    """The input is not in the format it claims: bad JSON, binary, not a feed."""


class ExtractionError(NewsdeskError, ValueError):
    """A document was read but holds no article (empty, no text)."""


class StoreError(NewsdeskError):
    """The database failed."""


class NotFound(StoreError, LookupError):
    """No such article or entity in the store."""


class ConfigError(NewsdeskError, ValueError):
    """A setting has a wrong value."""


MAX_REASON_CHARS = 300


def unexpected(error: BaseException) -> str:
    """The reason for an exception nobody expected: its type and the start of its message."""
    message = " ".join(str(error).split())
    if len(message) > MAX_REASON_CHARS:
        message = message[:MAX_REASON_CHARS] + "…"
    return (
        f"unexpected {type(error).__name__}: {message}"
        if message
        else f"unexpected {type(error).__name__}"
    )
