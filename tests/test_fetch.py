"""Fetcher against a real HTTP server on 127.0.0.1: limits, robots.txt, politeness."""

from __future__ import annotations

import re
import socket
import threading
import time

import httpx
import pytest

from http_server import LocalServer
from newsdesk.errors import FetchError
from newsdesk.sources import Fetcher

PAGE = "<html><body><p>Hello from the local server.</p></body></html>"


def fetch_error(fetcher: Fetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetcher.get(url)
    return caught.value


def test_fetches_a_page_with_an_honest_user_agent(server: LocalServer, fetcher: Fetcher) -> None:
    url = server.add("/page", PAGE, content_type="text/html; charset=ISO-8859-1")
    result = fetcher.get(url)
    assert (result.status, result.url, result.content_type) == (200, url, "text/html")
    assert result.charset == "ISO-8859-1"
    assert result.text == PAGE and not result.not_modified
    agent = server.requests[-1].headers["User-Agent"]
    assert re.fullmatch(r"newsdesk/\S+ \(\+https://github\.com/newsdesk\)", agent)


def test_http_error_status_names_url_and_status(server: LocalServer, fetcher: Fetcher) -> None:
    error = fetch_error(fetcher, server.url("/missing"))
    assert str(error) == f"{server.url('/missing')}: HTTP 404 Not Found"


def test_slow_server_times_out(server: LocalServer) -> None:
    url = server.add("/slow", PAGE, delay=3)
    start = time.monotonic()
    with Fetcher(timeout=0.5) as quick:
        error = fetch_error(quick, url)
    assert error.reason == "timed out after 0.5 s"
    assert time.monotonic() - start < 2.5


@pytest.mark.parametrize("route", [{"body": b"x" * 5_000_001}, {"stream": 6_000_000}])
def test_body_over_the_cap_is_refused(server: LocalServer, fetcher: Fetcher, route: dict) -> None:
    url = server.add("/huge", **route)
    assert fetch_error(fetcher, url).reason == "larger than 5 MB"


def test_redirects_are_followed_to_the_final_url(server: LocalServer, fetcher: Fetcher) -> None:
    final = server.add("/new", PAGE)
    start = server.add("/old", status=301, headers={"Location": "/new"})
    assert fetcher.get(start).url == final


def test_redirect_loop_stops(server: LocalServer, fetcher: Fetcher) -> None:
    server.add("/a", status=302, headers={"Location": "/b"})
    server.add("/b", status=302, headers={"Location": "/a"})
    error = fetch_error(fetcher, server.url("/a"))
    assert error.reason == "too many redirects (more than 5)"
    assert server.paths().count("/a") + server.paths().count("/b") == 6


def test_robots_txt_is_obeyed_and_fetched_once_per_host(
    server: LocalServer, fetcher: Fetcher
) -> None:
    server.add("/robots.txt", "User-agent: *\nDisallow: /private\n", content_type="text/plain")
    server.add("/private/page", PAGE)
    public = server.add("/public", PAGE)
    assert fetch_error(fetcher, server.url("/private/page")).reason == "disallowed by robots.txt"
    fetcher.get(public)
    fetcher.get(public)
    assert server.paths() == ["/robots.txt", "/public", "/public"]


def test_robots_rules_for_our_agent_and_switching_them_off(server: LocalServer) -> None:
    server.add("/robots.txt", "User-agent: newsdesk\nDisallow: /\n", content_type="text/plain")
    url = server.add("/page", PAGE)
    with Fetcher() as polite:
        assert fetch_error(polite, url).reason == "disallowed by robots.txt"
    with Fetcher(respect_robots=False) as rude:
        assert rude.get(url).status == 200


def test_missing_robots_txt_allows_everything(server: LocalServer, fetcher: Fetcher) -> None:
    assert fetcher.get(server.add("/page", PAGE)).status == 200
    assert server.paths() == ["/robots.txt", "/page"]


def test_redirect_into_a_disallowed_path_is_refused(server: LocalServer, fetcher: Fetcher) -> None:
    server.add("/robots.txt", "User-agent: *\nDisallow: /private\n", content_type="text/plain")
    start = server.add("/go", status=302, headers={"Location": "/private/x"})
    error = fetch_error(fetcher, start)
    assert str(error) == f"{start}: disallowed by robots.txt (at {server.url('/private/x')})"


def test_conditional_get_gives_not_modified(server: LocalServer, fetcher: Fetcher) -> None:
    url = server.add("/feed", PAGE, etag='"v1"', last_modified="Mon, 03 Nov 2025 08:00:00 GMT")
    first = fetcher.get(url)
    assert (first.etag, first.last_modified) == ('"v1"', "Mon, 03 Nov 2025 08:00:00 GMT")
    again = fetcher.get(url, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.status == 304 and again.content == b""
    sent = server.requests[-1].headers
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Mon, 03 Nov 2025 08:00:00 GMT"


def test_one_request_at_a_time_per_host(server: LocalServer, fetcher: Fetcher) -> None:
    url = server.add("/slow", PAGE, delay=0.2)
    fetcher.get(server.add("/warm", PAGE))  # robots.txt read before the race
    threads = [threading.Thread(target=fetcher.get, args=(url,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert server.paths().count("/slow") == 3
    assert server.max_active == 1


def test_politeness_delay_spaces_requests(server: LocalServer) -> None:
    url = server.add("/page", PAGE)
    with Fetcher(delay=0.3, respect_robots=False) as patient:
        patient.get(url)
        start = time.monotonic()
        patient.get(url)
    assert time.monotonic() - start >= 0.25


def test_unreachable_host_and_bad_scheme(fetcher: Fetcher) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    error = fetch_error(fetcher, f"http://127.0.0.1:{closed_port}/x")
    assert error.reason == "could not connect to 127.0.0.1: connection refused"
    assert fetch_error(fetcher, "ftp://example.com/file").reason.startswith("not an http(s) URL")


def test_a_client_can_be_passed_in() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, text="ok", headers={"Content-Type": "text/plain"})

    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        result = Fetcher(client).get("https://example.org/x")
        assert (result.text, result.content_type) == ("ok", "text/plain")
        assert not client.is_closed


def test_unknown_charset_falls_back_to_utf8() -> None:
    from newsdesk.sources import FetchResult

    result = FetchResult(
        "https://x.org/robots.txt", 200, "Disallow: /é".encode(), "text/plain", "bogus"
    )
    assert result.text == "Disallow: /é"


def test_a_guarded_fetcher_refuses_loopback(server: LocalServer) -> None:
    url = server.add("/page", PAGE, content_type="text/html")
    with Fetcher(allow_private=False) as guarded:
        error = fetch_error(guarded, url)
    assert "private or loopback" in error.reason
    assert not server.requests
