"""`newsdesk serve` and `newsdesk export`, registered by the CLI with ``app.command()``."""

from __future__ import annotations

import os
from dataclasses import asdict, replace
from pathlib import Path
from typing import Annotated, Any

import typer

from newsdesk.config import Settings, make_settings
from newsdesk.errors import NewsdeskError
from newsdesk.store import Store, open_store
from newsdesk.store.common import without_password

ImagePolicy = Annotated[
    str | None,
    typer.Option(
        "--image-policy",
        help="proxy (images served from this site; default), direct (from their sources) or none.",
    ),
]
Database = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="NEWSDESK_DB",
        help="SQLite path or postgresql:// URL (default: db in newsdesk.toml, else newsdesk.db).",
    ),
]


def settings_or_exit(**overrides: Any) -> Settings:
    try:
        settings = make_settings(**overrides)
    except NewsdeskError as error:
        typer.echo(f"newsdesk: error: {error}", err=True)
        raise typer.Exit(2) from error
    if overrides.get("site_url") is None and settings.site_url == Settings().site_url:
        settings = replace(settings, site_url=f"http://{settings.host}:{settings.port}")
    return settings


def open_store_or_exit(location: str) -> Store:
    try:
        return open_store(location)
    except NewsdeskError as error:
        typer.echo(f"newsdesk: error: {error}", err=True)
        raise typer.Exit(1) from error


def serve(
    db: Database = None,
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port.", min=1, max=65535)] = None,
    token: Annotated[
        str | None, typer.Option("--token", help="Bearer token that allows POST /api/articles.")
    ] = None,
    site_url: Annotated[
        str | None,
        typer.Option("--site-url", help="Public address, for canonical links and feeds."),
    ] = None,
    poll: Annotated[
        bool, typer.Option("--poll", help="Also poll the subscribed feeds in the background.")
    ] = False,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="Web processes on one database.")
    ] = 1,
    image_policy: ImagePolicy = None,
) -> None:
    """Serve the web site and the JSON API (default http://127.0.0.1:8000)."""
    import uvicorn

    from newsdesk.web.app import create_app

    settings = settings_or_exit(
        db=db, host=host, port=port, api_token=token, site_url=site_url, image_policy=image_policy
    )
    store = open_store_or_exit(settings.db)
    typer.echo(
        f"newsdesk: serving {without_password(settings.db)} at http://{settings.host}:{settings.port}/"
        + (f" with {workers} processes" if workers > 1 else ""),
        err=True,
    )
    if workers > 1:
        store.close()
        _serve_many(settings, workers=workers, poll=poll)
        return
    try:
        uvicorn.run(
            create_app(store, settings, poll=poll),
            host=settings.host,
            port=settings.port,
            log_level="warning",
        )
    finally:
        store.close()


def _serve_many(settings: Settings, *, workers: int, poll: bool) -> None:
    """Several web processes: each builds its app from the ``NEWSDESK_*`` variables set here."""
    import uvicorn

    from newsdesk.web.app import POLL_VARIABLE

    for name, value in asdict(settings).items():
        if value is not None:
            os.environ[f"NEWSDESK_{name.upper()}"] = str(value)
    os.environ[POLL_VARIABLE] = "1" if poll else "0"
    uvicorn.run("newsdesk.web.app:app_from_environment", factory=True, workers=workers,
                host=settings.host, port=settings.port, log_level="warning")  # fmt: skip


def export(
    site_dir: Annotated[Path, typer.Argument(help="Folder to write the site into.")],
    db: Database = None,
    site_url: Annotated[
        str | None, typer.Option("--site-url", help="Where the site will be hosted.")
    ] = None,
    image_policy: ImagePolicy = None,
) -> None:
    """Write the whole site as static files any web server can host."""
    from newsdesk.web.export import export_site

    settings = settings_or_exit(db=db, site_url=site_url, image_policy=image_policy)
    store = open_store_or_exit(settings.db)
    try:
        written = export_site(store, site_dir, settings, warn=_warn)
    except OSError as error:
        typer.echo(f"newsdesk: error: {site_dir}: {error}", err=True)
        raise typer.Exit(1) from error
    finally:
        store.close()
    typer.echo(f"newsdesk: wrote {written} files to {site_dir}", err=True)


def _warn(error: NewsdeskError) -> None:
    typer.echo(f"newsdesk: warning: {error}", err=True)
