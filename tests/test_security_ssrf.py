"""SSRF: a server fetching for others reaches only public addresses, at every hop, pinned.

The API and the media proxy fetch with `Fetcher(allow_private=False)`. Only
global unicast addresses pass (`is_public_address`); the address that was
checked is the one connected to (`PinnedTransport`), so DNS rebinding between
the check and the connection cannot lead inside; every redirect hop is
checked again. The CLI's own fetcher still reads loopback URLs: that is the
user's choice.
"""

from __future__ import annotations

import ipaddress
import time
import warnings

import httpx
import pytest

from http_server import LocalServer
from newsdesk.config import Settings
from newsdesk.errors import FetchError
from newsdesk.sources import Fetcher
from newsdesk.sources.http import PinnedTransport, is_public_address
from newsdesk.store import Store
from newsdesk.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

REFUSED = [
    "224.0.0.1",  # multicast: Python's is_global says True
    "239.255.255.250",  # SSDP multicast
    "127.0.0.1",
    "127.1.2.3",
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata, link-local
    "100.64.0.1",  # shared address space (carrier NAT)
    "0.0.0.0",
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "192.0.2.1",  # documentation
    "198.18.0.1",  # benchmarking
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "ff0e::1",  # global-scope multicast: Python's is_global says True
    "2001:db8::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:224.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::e000:1",  # NAT64 of 224.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "64:ff9b:1::a00:1",  # local-use NAT64
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:e000:1::1",  # 6to4 of 224.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2001::1",  # Teredo
    "::127.0.0.1",  # IPv4-compatible (deprecated)
]
ALLOWED = [
    "93.184.216.34",
    "8.8.8.8",
    "1.1.1.1",
    "2606:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",  # mapped, of a public address
    "64:ff9b::808:808",  # NAT64 of 8.8.8.8
    "2002:808:808::1",  # 6to4 of 8.8.8.8
]


@pytest.mark.parametrize("address", REFUSED)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ALLOWED)
def test_global_unicast_addresses_are_allowed(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


def _url(address: str, port: int = 80) -> str:
    host = f"[{address}]" if ":" in address else address
    return f"http://{host}:{port}/"


@pytest.mark.parametrize("address", REFUSED)
def test_a_guarded_fetcher_refuses_them_without_connecting(address: str) -> None:
    start = time.monotonic()
    with Fetcher(allow_private=False, timeout=5) as guarded, pytest.raises(FetchError) as caught:
        guarded.get(_url(address))
    assert "private or loopback" in caught.value.reason
    assert time.monotonic() - start < 1, "refused before any connection attempt"


def test_the_api_refuses_multicast_and_mapped_urls(store: Store) -> None:
    client = TestClient(create_app(store, Settings(api_token="t")), raise_server_exceptions=False)
    for url in ("http://224.0.0.1/", "http://[::ffff:127.0.0.1]/", "http://[64:ff9b::a9fe:a9fe]/"):
        answer = client.post(
            "/api/articles", json={"url": url}, headers={"Authorization": "Bearer t"}
        )
        assert answer.status_code == 502, url
        assert "private or loopback" in answer.json()["error"]["message"], url
    assert store.count() == 0


def test_a_host_named_localhost_is_refused(server: LocalServer) -> None:
    url = server.add("/page", "<p>inside</p>").replace("127.0.0.1", "localhost")
    with Fetcher(allow_private=False) as guarded, pytest.raises(FetchError) as caught:
        guarded.get(url)
    assert "private or loopback" in caught.value.reason
    assert not server.requests


# -- pinning: a transport that connects where it checked ----------------------


class Rebinding:
    """A DNS that answers `first` once, then `later`: the classic rebinding attack."""

    def __init__(self, first: str, later: str) -> None:
        self.answers = [first]
        self.later = later
        self.asked: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        return [self.answers.pop(0) if self.answers else self.later]


def only_loopback(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A test policy: the local server stands in for "public"; everything else is inside."""
    return str(address) == "127.0.0.1"


def pinned_fetcher(resolve: Rebinding) -> tuple[Fetcher, httpx.Client]:
    transport = PinnedTransport(resolve=resolve, allowed=only_loopback)
    client = httpx.Client(transport=transport, timeout=2)
    return Fetcher(client, respect_robots=False, timeout=2), client


def test_the_connection_goes_to_the_address_that_was_checked(server: LocalServer) -> None:
    port = server.url("/").split(":")[-1].rstrip("/")
    server.add("/page", "<p>the vetted server</p>")
    dns = Rebinding(first="127.0.0.1", later="10.255.255.1")  # the second answer: inside
    fetcher, client = pinned_fetcher(dns)
    with client:
        result = fetcher.get(f"http://news.example:{port}/page")
    assert result.text == "<p>the vetted server</p>"
    assert dns.asked == ["news.example"], "resolved once: check and connection share the answer"
    assert server.requests[-1].headers["Host"] == f"news.example:{port}"


def test_a_rebinding_answer_is_refused_on_the_next_request(server: LocalServer) -> None:
    port = server.url("/").split(":")[-1].rstrip("/")
    server.add("/page", "<p>ok</p>")
    dns = Rebinding(first="127.0.0.1", later="::1")
    fetcher, client = pinned_fetcher(dns)
    with client:
        fetcher.get(f"http://news.example:{port}/page")
        with pytest.raises(FetchError) as caught:
            fetcher.get(f"http://news.example:{port}/page")
    assert "private or loopback" in caught.value.reason
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    "target",
    ["http://169.254.169.254/latest/meta-data/", "http://[::1]:9/", "http://224.0.0.1/"],
)
def test_every_redirect_hop_is_checked(server: LocalServer, target: str) -> None:
    port = server.url("/").split(":")[-1].rstrip("/")
    server.add("/start", status=302, headers={"Location": target})
    dns = Rebinding(first="127.0.0.1", later="127.0.0.1")
    fetcher, client = pinned_fetcher(dns)
    with client, pytest.raises(FetchError) as caught:
        fetcher.get(f"http://news.example:{port}/start")
    assert "private or loopback" in caught.value.reason
    assert caught.value.reason.endswith(f"(at {target})")
    assert server.paths() == ["/start"]


def test_the_cli_fetcher_still_reads_loopback(server: LocalServer) -> None:
    url = server.add("/page", "<p>mine</p>")
    with Fetcher(timeout=2, respect_robots=False) as mine:
        assert mine.get(url).text == "<p>mine</p>"
