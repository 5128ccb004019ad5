"""Polite HTTP fetching: size cap, bounded redirects, robots.txt, one request per host.

`Fetcher.get` returns a `FetchResult` or raises `FetchError` naming the URL
and the reason ("HTTP 404 Not Found", "timed out after 10 s", "larger than
5 MB", "disallowed by robots.txt", "too many redirects (more than 5)").
A 304 answer to a conditional GET is not an error: `not_modified` is set.

A server fetching for others (the API, the media proxy) uses
`allow_private=False`: every hop then goes through `PinnedTransport`, which
resolves the host once, refuses it unless every address is public
(`is_public_address`), and connects to the very address it checked, so a
DNS answer that changes between the check and the connection cannot lead
the fetch inside.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
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
    cut: bool = False  # the body ran past the size cap and was cut there (`get(cut=True)`)

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
        self._check_hosts = client is not None and not allow_private
        transport = None if allow_private else PinnedTransport()
        self._client = client or httpx.Client(timeout=timeout, transport=transport)
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
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        cut: bool = False,
    ) -> FetchResult:
        """GET `url`, following up to `max_redirects` redirects; raise `FetchError`.

        A body larger than `max_bytes` is refused, or with `cut` kept up to the cap
        (a feed's first entries are still worth reading) and marked `cut`.
        """
        _check_url(url)
        headers = _conditional_headers(etag, last_modified)
        current = url
        for _ in range(self.max_redirects + 1):
            if self._check_hosts:
                _check_public(current, item=url)
            if self.respect_robots and not self._allowed(current):
                raise FetchError(url, _at("disallowed by robots.txt", url, current))
            answer = self._request(url, current, headers, cut=cut)
            if isinstance(answer, FetchResult):
                return answer
            current = _redirect_target(url, current, answer.location)
        raise FetchError(url, f"too many redirects (more than {self.max_redirects})")

    # -- one request

    def _request(
        self, item: str, url: str, headers: dict[str, str], *, cut: bool = False
    ) -> FetchResult | _Redirect:
        with self._host_turn(url):
            try:
                return self._send(item, url, headers, cut)
            except AddressRefused as error:
                raise FetchError(item, _at(str(error), item, url)) from None
            except httpx.TimeoutException:
                raise FetchError(
                    item, _at(f"timed out after {self.timeout:g} s", item, url)
                ) from None
            except httpx.InvalidURL as error:
                raise FetchError(item, f"not a valid URL: {error}") from None
            except httpx.ConnectError as error:
                raise FetchError(item, _at(_connect_reason(error, url), item, url)) from None
            except httpx.HTTPError as error:
                raise FetchError(item, _at(f"cannot fetch: {error}", item, url)) from None

    def _send(
        self, item: str, url: str, headers: dict[str, str], cut: bool
    ) -> FetchResult | _Redirect:
        request = self._client.build_request(
            "GET", url, headers={"User-Agent": self.user_agent, **headers}, timeout=self.timeout
        )
        response = self._client.send(request, stream=True, follow_redirects=False)
        try:
            return self._answer(item, url, response, cut)
        finally:
            response.close()

    def _answer(
        self, item: str, url: str, response: httpx.Response, cut: bool
    ) -> FetchResult | _Redirect:
        status = response.status_code
        if status in _REDIRECTS and "location" in response.headers:
            return _Redirect(response.headers["location"])
        if status == 304:
            return _result(url, response, b"", not_modified=True)
        if status >= 400:
            reason = f"HTTP {status} {response.reason_phrase}".strip()
            retry_after = response.headers.get("retry-after")
            raise FetchError(item, _at(reason, item, url), retry_after=retry_after)
        body, was_cut = self._read_body(item, response, cut)
        return replace(_result(url, response, body), cut=was_cut)

    def _read_body(self, item: str, response: httpx.Response, cut: bool) -> tuple[bytes, bool]:
        """The body, and whether it was cut at the cap (only ever with `cut`)."""
        too_large = FetchError(item, f"larger than {self.max_bytes / 1_000_000:g} MB")
        declared = response.headers.get("content-length", "")
        if not cut and declared.isdigit() and int(declared) > self.max_bytes:
            raise too_large
        deadline = time.monotonic() + self.total_timeout
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > self.max_bytes:
                if not cut:
                    raise too_large
                return bytes(body[: self.max_bytes]), True
            if time.monotonic() > deadline:
                raise FetchError(item, f"timed out after {self.total_timeout:g} s in all")
        return bytes(body), False

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
    """Refuse a host with any address that is not public (checked, not pinned)."""
    try:
        vetted_addresses(urlsplit(url).hostname or "", 80)
    except AddressRefused as error:
        raise FetchError(item, str(error)) from None
    except httpx.ConnectError as error:
        raise FetchError(item, str(error)) from None


# -- which addresses a server may fetch from --------------------------------

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
REFUSED = "refusing to fetch from a private or loopback address"


class AddressRefused(httpx.TransportError):
    """The host resolves to an address a server must not fetch from."""


def is_public_address(address: IPAddress) -> bool:
    """Global unicast only; an IPv4 address inside IPv6 (mapped, NAT64, 6to4) is judged as itself.

    Python counts multicast (224.0.0.1, ff0e::1) as global, and the
    NAT64 prefix as reserved even around a public address: hence the
    explicit list rather than `is_global` alone.
    """
    inner = _embedded_ipv4(address)
    if inner is not None:
        return is_public_address(inner)
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_unspecified
    )


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.ipv4_mapped or address.sixtofour


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def vetted_addresses(
    host: str,
    port: int,
    *,
    resolve: Resolver = system_resolver,
    allowed: Callable[[IPAddress], bool] = is_public_address,
) -> list[IPAddress]:
    """Every address of `host`, all allowed, or `AddressRefused` (one bad answer spoils all)."""
    try:
        found = [ipaddress.ip_address(a.split("%")[0]) for a in _addresses(host, port, resolve)]
    except (OSError, UnicodeError, ValueError):
        raise httpx.ConnectError(f"cannot resolve host {host!r}") from None
    if not found:
        raise httpx.ConnectError(f"cannot resolve host {host!r}")
    if not all(allowed(address) for address in found):
        raise AddressRefused(REFUSED)
    return list(dict.fromkeys(found))


def _addresses(host: str, port: int, resolve: Resolver) -> list[str]:
    """An IP literal as itself; a name as the resolver answers."""
    host = host.strip("[]")
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        return resolve(host, port)


class PinnedTransport(httpx.BaseTransport):
    """Connects only to addresses it has vetted, and to exactly those (no DNS rebinding).

    The request goes to the vetted IP; the Host header and the TLS server
    name (SNI, and so certificate checking) stay the original host's. Each
    host gets its own connection pool, so two names sharing an address never
    share a TLS connection. `resolve` and `allowed` are for tests.
    """

    def __init__(
        self,
        *,
        resolve: Resolver = system_resolver,
        allowed: Callable[[IPAddress], bool] = is_public_address,
    ) -> None:
        self._resolve = resolve
        self._allowed = allowed
        self._pools: dict[str, httpx.HTTPTransport] = {}
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host, port = request.url.host, request.url.port or _DEFAULT_PORTS[request.url.scheme]
        addresses = vetted_addresses(host, port, resolve=self._resolve, allowed=self._allowed)
        for index, address in enumerate(addresses):
            try:
                return self._pool(host).handle_request(_pinned(request, address, host))
            except httpx.ConnectError:
                if index == len(addresses) - 1:
                    raise
        raise AssertionError("unreachable: vetted_addresses never returns an empty list")

    def _pool(self, host: str) -> httpx.HTTPTransport:
        with self._lock:
            if host not in self._pools:
                self._pools[host] = httpx.HTTPTransport()
            return self._pools[host]

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _pinned(request: httpx.Request, address: IPAddress, host: str) -> httpx.Request:
    """`request` sent to `address`, still saying it is for `host`."""
    extensions = dict(request.extensions)
    if request.url.scheme == "https":
        extensions["sni_hostname"] = host
    return httpx.Request(
        request.method,
        request.url.copy_with(host=str(address)),
        headers=request.headers,  # the Host header was set from the original URL
        stream=request.stream,
        extensions=extensions,
    )


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


_NAME_NOT_FOUND = (
    "name or service not known", "nodename nor servname", "temporary failure in name resolution",
    "getaddrinfo failed", "no address associated", "cannot resolve host",
)  # fmt: skip


def _connect_reason(error: httpx.ConnectError, url: str) -> str:
    """ "could not resolve example.org" rather than "[Errno -2] Name or service not known"."""
    host = urlsplit(url).hostname or url
    chain: list[BaseException] = [error]
    while len(chain) < 8 and (cause := chain[-1].__cause__ or chain[-1].__context__):
        chain.append(cause)
    text = " ".join(str(link) for link in chain).lower()
    if any(isinstance(link, socket.gaierror) for link in chain) or any(
        phrase in text for phrase in _NAME_NOT_FOUND
    ):
        return f"could not resolve {host}"
    if "refused" in text:
        return f"could not connect to {host}: connection refused"
    return f"could not connect to {host}: {error}"


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
