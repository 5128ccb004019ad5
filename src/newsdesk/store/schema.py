"""The schema as one SQL file plus numbered migrations.

A new database gets `schema.sql` (version 1) and then every migration; an
old one gets only the migrations it lacks. The version lives in SQLite's
`user_version` pragma.
"""

from __future__ import annotations

from importlib.resources import files

SCHEMA_VERSION_1 = files("newsdesk.store").joinpath("schema.sql").read_text(encoding="utf-8")

# version -> SQL that takes a database from version-1 to version.
MIGRATIONS: dict[int, str] = {}

LATEST_VERSION = max([1, *MIGRATIONS])


def pending(current: int) -> list[tuple[int, str]]:
    """The (version, SQL) steps a database at `current` still needs, in order."""
    steps = [(1, SCHEMA_VERSION_1)] if current < 1 else []
    steps += sorted((v, sql) for v, sql in MIGRATIONS.items() if v > max(current, 1))
    return steps
