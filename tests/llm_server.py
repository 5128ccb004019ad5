"""A real OpenAI-compatible chat server on 127.0.0.1 for the LLM tests.

`reply` is what the next answers say (the message content), `raw` a body sent
as it is (malformed JSON), `status` and `delay` what a failing or slow server does.
Every request's JSON body is kept in `requests`.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


class ChatServer:
    def __init__(self) -> None:
        self.reply = ""
        self.raw: bytes | None = None
        self.status = 200
        self.delay = 0.0
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> ChatServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def body(self) -> bytes:
        if self.raw is not None:
            return self.raw
        answer = {"id": "chat-1", "object": "chat.completion", "model": "local",
                  "choices": [{"index": 0, "finish_reason": "stop",
                               "message": {"role": "assistant", "content": self.reply}}]}  # fmt: skip
        return json.dumps(answer).encode()


def _handler(server: ChatServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            server.requests.append(json.loads(self.rfile.read(length) or b"{}"))
            server.headers.append(dict(self.headers.items()))
            if self.path != "/v1/chat/completions":
                self.send_response(404)
                self.end_headers()
                return
            try:
                time.sleep(server.delay)
                body = server.body()
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler
