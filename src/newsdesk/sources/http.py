"""Polite HTTP fetching: size cap, bounded redirects, robots.txt, one request per host.

`Fetcher.get` returns a `FetchResult` or raises `FetchError` naming the URL
and the reason ("HTTP 404 Not Found", "timed out after 10 s", "larger than
5 MB", "disallowed by robots.txt", "too many redirects (more than 5)").
A 304 answer to a conditional GET is not an error: `not_modified` is set.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from newsdesk import __version__
from newsdesk.errors import FetchError

USER_AGENT = f"newsdesk/{__version__} (+https://github.com/newsdesk)"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One successful answer: the final URL after redirects, the body and its validators."""

    url: str
    status: int
    content: bytes
    content_type: str  # the media type only, lower-cased: "text/html"
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    max_age: int | None = None  # Cache-Control max-age, seconds

    @property
    def text(self) -> str:
        try:
            return self.content.decode(self.charset or "utf-8", errors="replace")
        except LookupError:  # a charset Python does not know
            return self.content.decode("utf-8", errors="replace")


@dataclass(frozen=True, slots=True)
class _Redirect:
    location: str


class Fetcher:
    """Fetch URLs politely; share one across a run so robots.txt and locks are shared.

    `timeout` bounds each wait on the server (connect, each read) and
    `total_timeout` a whole download; `delay` is the least time between two
    requests to one host. A server fetching for others sets
    `allow_private=False`: then loopback, private and link-local addresses are
    refused at every hop. Pass `client` to use your own `httpx.Client`
    (tests pass one with a `MockTransport`); it is not closed by `close()`.
    """

    def __init__(
        self,
        client: httpx.Client | None = None,
        *,
        timeout: float = 10,
        max_bytes: int = 5_000_000,
        max_redirects: int = 5,
        user_agent: str = USER_AGENT,
        respect_robots: bool = True,
        delay: float = 0.0,
        total_timeout: float = 60,
        allow_private: bool = True,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        self.respect_robots = respect_robots
        self.delay = delay
        self.total_timeout = total_timeout
        self.allow_private = allow_private
        self._owns_client = client is None
        self._client = client or httpx.Client(timeout=timeout)
        self._guard = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET `url`, following up to `max_redirects` redirects; raise `FetchError`."""
        _check_url(url)
        headers = _conditional_headers(etag, last_modified)
        current = url
        for _ in range(self.max_redirects + 1):
            if not self.allow_private:
                _check_public(current, item=url)
            if self.respect_robots and not self._allowed(current):
                raise FetchError(url, _at("disallowed by robots.txt", url, current))
            answer = self._request(url, current, headers)
            if isinstance(answer, FetchResult):
                return answer
            current = _redirect_target(url, current, answer.location)
        raise FetchError(url, f"too many redirects (more than {self.max_redirects})")

    # -- one request

    def _request(self, item: str, url: str, headers: dict[str, str]) -> FetchResult | _Redirect:
        with self._host_turn(url):
            try:
                return self._send(item, url, headers)
            except httpx.TimeoutException:
                raise FetchError(
                    item, _at(f"timed out after {self.timeout:g} s", item, url)
                ) from None
            except httpx.InvalidURL as error:
                raise FetchError(item, f"not a valid URL: {error}") from None
            except httpx.HTTPError as error:
                raise FetchError(item, _at(f"cannot fetch: {error}", item, url)) from None

    def _send(self, item: str, url: str, headers: dict[str, str]) -> FetchResult | _Redirect:
        request = self._client.build_request(
            "GET", url, headers={"User-Agent": self.user_agent, **headers}, timeout=self.timeout
        )
        response = self._client.send(request, stream=True, follow_redirects=False)
        try:
            return self._answer(item, url, response)
        finally:
            response.close()

    def _answer(self, item: str, url: str, response: httpx.Response) -> FetchResult | _Redirect:
        status = response.status_code
        if status in _REDIRECTS and "location" in response.headers:
            return _Redirect(response.headers["location"])
        if status == 304:
            return _result(url, response, b"", not_modified=True)
        if status >= 400:
            reason = f"HTTP {status} {response.reason_phrase}".strip()
            retry_after = response.headers.get("retry-after")
            raise FetchError(item, _at(reason, item, url), retry_after=retry_after)
        return _result(url, response, self._read_body(item, response))

    def _read_body(self, item: str, response: httpx.Response) -> bytes:
        too_large = FetchError(item, f"larger than {self.max_bytes / 1_000_000:g} MB")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise too_large
        deadline = time.monotonic() + self.total_timeout
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > self.max_bytes:
                raise too_large
            if time.monotonic() > deadline:
                raise FetchError(item, f"timed out after {self.total_timeout:g} s in all")
        return bytes(body)

    # -- politeness

    @contextmanager
    def _host_turn(self, url: str) -> Iterator[None]:
        """Hold the host's lock for one request, after waiting out the politeness delay."""
        host = urlsplit(url).netloc.lower()
        with self._guard:
            lock = self._host_locks.setdefault(host, threading.Lock())
        with lock:
            wait = self._last_request.get(host, -1e9) + self.delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                yield
            finally:
                self._last_request[host] = time.monotonic()

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._guard:
            robots = self._robots.get(origin)
        if robots is None:
            robots = self._fetch_robots(origin)
            with self._guard:
                self._robots[origin] = robots
        return robots.can_fetch(self.user_agent, url)

    def _fetch_robots(self, origin: str) -> RobotFileParser:
        """The host's rules; a missing or unreachable robots.txt allows everything."""
        robots = RobotFileParser(f"{origin}/robots.txt")
        try:
            answer = self._request(origin, f"{origin}/robots.txt", {})
        except FetchError as error:
            forbidden = error.reason.startswith(("HTTP 401", "HTTP 403"))
            robots.parse(["User-agent: *", "Disallow: /"] if forbidden else [])
            return robots
        if isinstance(answer, _Redirect):
            robots.parse([])  # rare; not worth a second round trip per host
            return robots
        robots.parse(answer.text.splitlines())
        return robots


def _check_url(url: str, *, item: str | None = None) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(item or url, f"not an http(s) URL: {url}")


def _redirect_target(item: str, current: str, location: str) -> str:
    """Where a redirect leads; a Location with a port out of range is refused, not
    wrapped round (httpx would connect to port 99999 - 65536)."""
    try:
        target = urljoin(current, location)
        _ = urlsplit(target).port  # reading the port is what checks it
    except ValueError as error:
        raise FetchError(item, f"redirected to an invalid URL ({error})") from None
    _check_url(target, item=item)
    return target


def _check_public(url: str, *, item: str) -> None:
    """Refuse a host that resolves to a loopback, private or otherwise non-global address.

    The address is checked before connecting, not pinned: a DNS answer that
    changes between this check and the connection is not caught.
    """
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise FetchError(item, f"cannot resolve host {host!r}") from None
    for info in infos:
        if not ipaddress.ip_address(info[4][0]).is_global:
            raise FetchError(item, "refusing to fetch from a private or loopback address")


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _at(reason: str, item: str, url: str) -> str:
    """The reason, saying where it happened when a redirect led elsewhere."""
    return reason if url == item else f"{reason} (at {url})"


def _result(
    url: str, response: httpx.Response, content: bytes, *, not_modified: bool = False
) -> FetchResult:
    media_type, _, params = response.headers.get("content-type", "").partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return FetchResult(
        url=url,
        status=response.status_code,
        content=content,
        content_type=media_type.strip().lower(),
        charset=charset,
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        not_modified=not_modified,
        max_age=_max_age(response.headers.get("cache-control", "")),
    )


def _max_age(cache_control: str) -> int | None:
    """Cache-Control's max-age in seconds; None when absent or garbled."""
    for directive in cache_control.split(","):
        name, _, value = directive.strip().partition("=")
        if name.lower() == "max-age" and value.strip().isdigit():
            return int(value.strip())
    return None
