"""Where a fetch may connect: public addresses only, checked after DNS, on every connection.

A source URL is typed by an editor and can be redirected by its server, so either could point
the worker at the cloud metadata service, the database port or anything else on the internal
network. The check sits in the transport's network backend: the name is resolved once, every
address it resolves to is checked, and the socket is opened to the checked address itself (a
second lookup could answer differently: DNS rebinding). TLS still verifies the URL's host name,
which httpcore takes from the URL, not from the address connected to. Each redirect opens its
connection through the same backend, so a redirect is checked the same way.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class BlockedAddress(Exception):
    """The host resolves to an address a fetch may not reach; the message says which."""


def refused(address: Address) -> bool:
    """True for loopback, private, link-local (169.254.169.254, the metadata service), CGNAT,
    multicast, reserved and unspecified addresses: everything that is not the public internet."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return not address.is_global or address.is_multicast


async def resolve(host: str, port: int) -> list[Address]:
    """Every address `host` resolves to, in the resolver's order."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror or exc}") from None
    found: list[Address] = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])  # drop an IPv6 zone id
        if address not in found:
            found.append(address)
    return found


def check(host: str, addresses: Iterable[Address]) -> list[Address]:
    """The addresses, or BlockedAddress when any of them is not public (all or nothing: a name
    that resolves to one public and one private address is refused)."""
    addresses = list(addresses)
    bad = [a for a in addresses if refused(a)]
    if bad:
        raise BlockedAddress(
            f"{host} resolves to {bad[0]}, a loopback, private, link-local or otherwise "
            "non-public address; fetching it is refused (ENDORSE_FETCH_ALLOW_PRIVATE=1 allows it)"
        )
    return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, refusing non-public addresses after resolution."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's signature
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = check(host, await resolve(host, port))
        last: Exception | None = None
        for address in addresses:  # the next address when one does not answer
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        raise last or httpcore.ConnectError(f"{host}: no address to connect to")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's signature
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddress("fetching over a unix socket is refused")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def transport(*, allow_private: bool) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose connections go to public addresses only, unless allowed."""
    made = httpx.AsyncHTTPTransport()
    if not allow_private:
        # httpx does not take a network backend; its pool keeps one and hands it to every
        # connection it opens, so replacing it there covers every connection of this client.
        pool = made._pool
        pool._network_backend = GuardedBackend(pool._network_backend)
    return made
