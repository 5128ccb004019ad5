"""The schema as one SQL file plus numbered migrations.

A new database gets `schema.sql` (version 1) and then every migration; an
old one gets only the migrations it lacks. The version lives in SQLite's
`user_version` pragma.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.resources import files

from newsdesk.store import events, stories, subscriptions
from newsdesk.store.common import SCALE_INDEXES

SCHEMA_VERSION_1 = files("newsdesk.store").joinpath("schema.sql").read_text(encoding="utf-8")

# version -> SQL that takes a database from version-1 to version.
MIGRATIONS: dict[int, str] = {
    4: subscriptions.MIGRATION,
    5: events.MIGRATION,
    6: stories.SQLITE_MIGRATION,
    7: SCALE_INDEXES,
}

LATEST_VERSION = max([1, *MIGRATIONS])


def pending(
    current: int, *, first: str = SCHEMA_VERSION_1, migrations: Mapping[int, str] = MIGRATIONS
) -> list[tuple[int, str]]:
    """The (version, SQL) steps a database at `current` still needs, in order.

    `first` and `migrations` are another backend's version 1 and migrations.
    """
    steps = [(1, first)] if current < 1 else []
    steps += sorted((v, sql) for v, sql in migrations.items() if v > max(current, 1))
    return steps
