"""Telling every process that the articles changed: PostgreSQL LISTEN/NOTIFY.

A trigger on ``articles`` (migration 4) notifies ``newsdesk_changes`` when a
transaction stores, replaces or deletes articles. `ChangeListener` counts
those notifications on a connection of its own, in a background thread, so
that a web process can drop its cached pages within a second of another
process's ingest. SQLite needs none of this: its ``data_version`` pragma
changes when another connection commits.
"""

from __future__ import annotations

import threading

import psycopg

CHANNEL = "newsdesk_changes"

NOTIFY_TRIGGER = f"""
CREATE FUNCTION newsdesk_notify_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', '');
    RETURN NULL;
END $$;
CREATE TRIGGER articles_notify_changes AFTER INSERT OR UPDATE OR DELETE ON articles
    FOR EACH STATEMENT EXECUTE FUNCTION newsdesk_notify_changes();
"""


class ChangeListener:
    """`version` goes up with every change notified (and when the connection is lost)."""

    def __init__(self, conninfo: str, *, wait: float = 0.5) -> None:
        self.version = 0
        self._conninfo = conninfo
        self._wait = wait
        self._stop = threading.Event()
        self._listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name="newsdesk-changes", daemon=True)
        self._thread.start()
        self._listening.wait(timeout=5)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except psycopg.Error:
                self.version += 1  # something may have changed while we could not hear it
                self._stop.wait(1.0)

    def _listen(self) -> None:
        with psycopg.connect(self._conninfo, autocommit=True) as connection:
            connection.execute(f"LISTEN {CHANNEL}")
            self._listening.set()
            while not self._stop.is_set():
                for _ in connection.notifies(timeout=self._wait):
                    self.version += 1
