"""The PostgreSQL schema as one SQL file plus numbered migrations.

Works like schema.py for SQLite; the version lives in the one-row table
`newsdesk_schema`, which `PostgresStore` creates before migrating.
"""

from __future__ import annotations

from importlib.resources import files

from newsdesk.store import changes, events, schema, stories, subscriptions
from newsdesk.store.common import SCALE_INDEXES

SCHEMA_VERSION_1 = (
    files("newsdesk.store").joinpath("postgres_schema.sql").read_text(encoding="utf-8")
)

# version -> SQL that takes a database from version-1 to version.
MIGRATIONS: dict[int, str] = {
    4: subscriptions.MIGRATION + changes.NOTIFY_TRIGGER,
    5: events.MIGRATION,
    6: stories.POSTGRES_MIGRATION,
    7: SCALE_INDEXES,
}

LATEST_VERSION = max([1, *MIGRATIONS])


def pending(current: int) -> list[tuple[int, str]]:
    """The (version, SQL) steps a database at `current` still needs, in order."""
    return schema.pending(current, first=SCHEMA_VERSION_1, migrations=MIGRATIONS)
