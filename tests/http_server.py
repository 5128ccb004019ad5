"""A real HTTP server on 127.0.0.1 (port 0) for fetch tests; routes are plain data."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    etag: str | None = None  # answer 304 when If-None-Match matches
    last_modified: str | None = None  # answer 304 when If-Modified-Since matches
    stream: int = 0  # send this many bytes in chunks, without a Content-Length


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


class LocalServer:
    """Serve `routes`; remember every request and how many ran at once."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self.max_active = 0
        self._active = 0
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def add(self, path: str, body: str | bytes = b"", **route: object) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(body=data, **route)  # type: ignore[arg-type]
        return self.url(path)

    def paths(self) -> list[str]:
        return [seen.path for seen in self.requests]

    def _enter(self, seen: Seen) -> None:
        with self._lock:
            self.requests.append(seen)
            self._active += 1
            self.max_active = max(self.max_active, self._active)

    def _leave(self) -> None:
        with self._lock:
            self._active -= 1


def _handler_for(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            server._enter(Seen(self.path, dict(self.headers.items())))
            try:
                self._answer(server.routes.get(self.path) or Route(b"not here", status=404))
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                server._leave()

        def _answer(self, route: Route) -> None:
            time.sleep(route.delay)
            if _not_modified(
                route, self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            ):
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            for name, value in _validators(route).items():
                self.send_header(name, value)
            if route.stream:
                self.end_headers()
                self._stream(route.stream)
                return
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def _stream(self, size: int) -> None:
            chunk = b"<p>" + b"x" * 65536 + b"</p>\n"
            sent = 0
            while sent < size:
                self.wfile.write(chunk)
                sent += len(chunk)

    return Handler


def _not_modified(route: Route, if_none_match: str | None, if_modified_since: str | None) -> bool:
    if route.etag and if_none_match == route.etag:
        return True
    return bool(route.last_modified and if_modified_since == route.last_modified)


def _validators(route: Route) -> dict[str, str]:
    headers = dict(route.headers)
    if route.etag:
        headers["ETag"] = route.etag
    if route.last_modified:
        headers["Last-Modified"] = route.last_modified
    return headers
