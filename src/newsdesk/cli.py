"""The command line: a thin client of the library.

Exit codes: 0 all went well, 1 some item failed (each named on stderr),
2 a usage error.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import version
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from typer.core import TyperOption

from newsdesk.errors import NewsdeskError
from newsdesk.jobs.commands import feeds, poll, worker
from newsdesk.llm import ProseWriter, prose_writer
from newsdesk.pipeline import Outcome, brief_sources, save_outcomes
from newsdesk.record_commands import entity, export_events, relation
from newsdesk.related import related, stories
from newsdesk.render import brief_markdown
from newsdesk.serialize import brief_to_dict
from newsdesk.store import Store
from newsdesk.store.common import without_password
from newsdesk.web.commands import (
    Database,
    export,
    open_store_or_exit,
    serve,
    settings_or_exit,
)

app = typer.Typer(
    help="Turn news articles into strategic briefs, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)

Sources = Annotated[
    list[str],
    typer.Argument(help="Files, folders, http(s) URLs, feeds, OPML files, or - for stdin."),
]
Takeaways = Annotated[
    int, typer.Option("--takeaways", min=1, max=20, help="Key Takeaways per brief.")
]


@app.command()
def brief(
    sources: Sources,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per article per line.")
    ] = False,
    takeaways: Takeaways = 5,
) -> None:
    """Brief articles without storing them."""
    failed = 0
    for outcome in _run(sources, takeaways=takeaways):
        if outcome.brief is None:
            failed += 1
            continue
        if as_json:
            print(json.dumps(brief_to_dict(outcome.brief), ensure_ascii=False), flush=True)
        else:
            print(brief_markdown(outcome.brief), flush=True)
    raise typer.Exit(1 if failed else 0)


@app.command()
def ingest(sources: Sources, db: Database = None, takeaways: Takeaways = 5) -> None:
    """Brief articles and store them (idempotent: the same article is stored once)."""
    settings = settings_or_exit(db=db)
    db = settings.db
    store = open_store_or_exit(db)
    prose = prose_writer(settings)
    counts: Counter[str] = Counter()
    try:
        for outcome in _run(sources, takeaways=takeaways, store=store, prose=prose):
            counts[str(outcome.saved.outcome) if outcome.saved else "failed"] += 1
    except NewsdeskError as error:  # the database itself failed: stop, saying why
        _report(error)
        counts["failed"] += 1
    finally:
        store.close()
        if prose is not None:
            prose.close()
    summary = ", ".join(f"{n} {what}" for what, n in sorted(counts.items()))
    total = items(sum(counts.values()))
    stderr.print(f"newsdesk: {total}: {summary or 'nothing to do'} ({without_password(db)})")
    raise typer.Exit(1 if counts["failed"] else 0)


def _run(
    sources: list[str],
    *,
    takeaways: int,
    store: Store | None = None,
    prose: ProseWriter | None = None,
) -> Iterator[Outcome]:
    """Every outcome (stored when there is a store), failures and warnings said on stderr."""
    with _progress() as advance:
        outcomes = brief_sources(sources, takeaways=takeaways, cache=store, stdin=sys.stdin.buffer)
        if store is not None:
            outcomes = save_outcomes(store, outcomes, prose=prose)
        for outcome in outcomes:
            for warning in outcome.warnings:
                stderr.print(f"newsdesk: warning: {outcome.origin}: {warning}", markup=False)
            if outcome.error is not None:
                _report(outcome.error)
            advance(outcome.origin)
            yield outcome


def items(count: int) -> str:
    return f"{count} item" if count == 1 else f"{count} items"


def _report(error: NewsdeskError) -> None:
    stderr.print(f"newsdesk: error: {error}", markup=False)


@contextmanager
def _progress() -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr when it is a terminal; silent otherwise."""
    if not stderr.is_terminal:
        yield lambda origin: None
        return
    columns = (SpinnerColumn(), TextColumn("{task.completed} items"), BarColumn(),
               TimeElapsedColumn(), TextColumn("{task.description}"))  # fmt: skip
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task("", total=None)
        yield lambda origin: progress.update(task, advance=1, description=origin[-60:])


def _print_version(wanted: bool) -> None:
    if wanted:
        print(f"newsdesk {version('newsdesk')}")
        raise typer.Exit()


@app.callback()
def _options(
    _version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Turn news articles into strategic briefs, offline."""


def _type_unless_flag(option: TyperOption, ctx: Any) -> str | None:
    """A flag takes no value, so its help shows no type ("--json <bool>" reads as if it did)."""
    return None if option.is_flag else _option_type(option, ctx)


_option_type = TyperOption.display_type_rich
TyperOption.display_type_rich = _type_unless_flag  # type: ignore[method-assign,assignment]

app.command()(serve)
app.command()(export)
app.add_typer(feeds, name="feeds")
app.command()(poll)
app.command()(worker)
app.command()(entity)
app.command()(relation)
app.command(name="export-events")(export_events)
app.command()(related)
app.command()(stories)


def main() -> None:
    app()
