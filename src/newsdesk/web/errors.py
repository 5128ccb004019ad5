"""The one place where anything that went wrong becomes a response.

Pages get an HTML error page, ``/api/`` gets ``{"error": {"status", "message"}}``.
Never a bare 500 for a bad request: unknown ids, malformed query strings,
bad page numbers, oversized bodies and wrong content types are all 4xx.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.errors import ExtractionError, FetchError, FormatError, NewsdeskError, NotFound
from newsdesk.web.links import Links
from newsdesk.web.pages import Site

log = logging.getLogger("newsdesk.web")

_STATUS_FOR = ((NotFound, 404), (FetchError, 502), (FormatError, 422), (ExtractionError, 422))


def wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/openapi.json"))


def error_response(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    if wants_json(request):
        body = {"error": {"status": status, "message": message}}
        return JSONResponse(body, status_code=status, headers=headers)
    site: Site = request.app.state.desk.site
    try:
        html = site.error(status, message, Links(), _sections(request))
    except Exception:  # the error page itself must never fail: say it plainly
        log.exception("cannot render the error page")
        return PlainTextResponse(f"{status}: {message}", status_code=status, headers=headers)
    return HTMLResponse(html, status_code=status, headers=headers)


def _validation_message(error: RequestValidationError) -> str:
    parts = []
    for problem in error.errors():
        where = ".".join(
            str(p) for p in problem.get("loc", ()) if p not in ("query", "path", "body")
        )
        parts.append(
            f"{where}: {problem.get('msg', 'invalid')}" if where else problem.get("msg", "")
        )
    return "; ".join(parts) or "invalid request"


async def _on_http(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    return error_response(request, error.status_code, str(error.detail), error.headers)


async def _on_validation(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    status = 422 if wants_json(request) else 400
    return error_response(request, status, _validation_message(error))


async def _on_newsdesk(request: Request, error: Exception) -> Response:
    assert isinstance(error, NewsdeskError)
    status = next((code for kind, code in _STATUS_FOR if isinstance(error, kind)), 500)
    if status == 500:
        log.error("%s %s failed: %s", request.method, request.url.path, error)
    return error_response(request, status, error.reason if status == 404 else str(error))


async def _on_crash(request: Request, error: Exception) -> Response:
    log.exception("%s %s crashed", request.method, request.url.path, exc_info=error)
    return error_response(request, 500, "Something went wrong on our side.")


class CrashesAnswered:
    """Answers an exception no handler took with the 500 above, and does not re-raise it.

    Starlette's last-resort handler answers and then re-raises, and uvicorn
    closes the connection on an exception: a client's next request on the same
    keep-alive connection would meet a reset. A crash after the answer has
    started cannot be answered and still propagates.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_and_note(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        except Exception as error:
            if started:
                raise
            request = Request(scope)
            response = await _on_crash(request, error)
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, _on_http)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(NewsdeskError, _on_newsdesk)
    app.add_exception_handler(Exception, _on_crash)
    app.add_middleware(CrashesAnswered)


def _sections(request: Request) -> list[tuple[str, int]]:
    """The navigation's labels; none when the store itself is what failed."""
    try:
        sections: list[tuple[str, int]] = request.app.state.desk.sections()
    except NewsdeskError:
        return []
    return sections
