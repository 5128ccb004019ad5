"""`newsdesk entity`, `newsdesk relation` and `newsdesk export-events`: the record from the CLI.

Registered by cli.py with ``app.command()``; thin clients of `newsdesk.record`.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from typing import Annotated, Any

import typer

from newsdesk.errors import NewsdeskError
from newsdesk.record import (
    entity_dict,
    find_entity,
    relation_dict,
    relation_record,
    stored_event_dict,
)
from newsdesk.store import Store
from newsdesk.web.commands import Database, open_store_or_exit, settings_or_exit

AsJson = Annotated[bool, typer.Option("--json", help="One JSON object.")]
EXPORT_COLUMNS = (
    "date", "actor_name", "actor_country", "actor_sector", "category", "target_name",
    "target_country", "target_sector", "object", "modality", "score", "article_id", "url",
    "sentence", "text",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run these as formulas


def entity(
    name: Annotated[str, typer.Argument(help="A name, alias or (for a country) ISO code.")],
    as_json: AsJson = False,
    db: Database = None,
) -> None:
    """An entity from the record: its articles, events and counterparts."""
    data = _read(db, lambda store: entity_dict(find_entity(store, name)))
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
        return
    print(f"{data['name']} ({data['kind']}{', ' + data['country'] if data['country'] else ''})")
    print(f"{len(data['articles'])} articles, {len(data['events'])} events")
    for other in data["counterparts"][:10]:
        print(f"  {other['name']}: {other['events']} events, mean {other['score']:+.1f}")


def relation(
    first: Annotated[str, typer.Argument(help="A country: ISO 3166 alpha-3 or name.")],
    second: Annotated[str, typer.Argument(help="The other country.")],
    as_json: AsJson = False,
    db: Database = None,
) -> None:
    """Two countries' events, oldest first, with the monthly cooperation-conflict trend."""
    data = _read(db, lambda store: relation_dict(relation_record(store, first, second)))
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
        return
    print(f"{data['a']['name']} and {data['b']['name']}: {len(data['events'])} events")
    for row in data["trend"]:
        print(f"  {row['period']}: {row['events']} events, {row['score']:+.1f}, {row['change']}")


def export_events(
    format: Annotated[str, typer.Option("--format", help="csv or jsonl.")] = "csv",
    db: Database = None,
) -> None:
    """Every event in the record, oldest first, with GDELT-like columns, to standard output."""
    if format not in ("csv", "jsonl"):
        typer.echo(f"newsdesk: error: --format {format!r}: use csv or jsonl", err=True)
        raise typer.Exit(2)
    store = open_store_or_exit(settings_or_exit(db=db).db)
    try:
        rows = _export_rows(store)
        if format == "jsonl":
            for row in rows:
                print(json.dumps(row, ensure_ascii=False))
        else:
            writer = csv.DictWriter(sys.stdout, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
    except NewsdeskError as error:
        typer.echo(f"newsdesk: error: {error}", err=True)
        raise typer.Exit(1) from error
    finally:
        store.close()


def _export_rows(store: Store, batch: int = 1_000) -> Iterator[dict[str, Any]]:
    offset = 0
    while found := store.all_events(limit=batch, offset=offset):
        for stored in found:
            data = stored_event_dict(stored)
            actor, target = data["actor"], data["target"] or {}
            yield {
                "date": data["published"], "actor_name": actor["name"],
                "actor_country": actor["country"], "actor_sector": actor["sector"],
                "category": data["action"], "target_name": target.get("name"),
                "target_country": target.get("country"), "target_sector": target.get("sector"),
                "object": data["object"], "modality": data["modality"], "score": data["score"],
                "article_id": data["article"], "url": data["url"], "sentence": data["sentence"],
                "text": data["text"],
            }  # fmt: skip
        offset += batch


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _read(db: str | None, query: Any) -> dict[str, Any]:
    store = open_store_or_exit(settings_or_exit(db=db).db)
    try:
        data: dict[str, Any] = query(store)
        return data
    except NewsdeskError as error:
        typer.echo(f"newsdesk: error: {error}", err=True)
        raise typer.Exit(1) from error
    finally:
        store.close()
