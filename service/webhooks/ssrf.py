"""Refusing webhook targets that would make talentflow call an internal address.

A target is checked when the subscription is created and again at every send; the address that
passed the check is the one connected to (``Target.connect_url``), so DNS cannot change between
check and use. ``allow_private`` lifts only the address rule, never the scheme and port rules.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]

NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
MAX_URL_LENGTH = 2048


class UnsafeTarget(ValueError):
    """The URL may not be called (bad scheme or port, or a non-public address)."""


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str  # as written (lower case), for the Host header and TLS SNI
    port: int
    address: IPAddress

    @property
    def connect_url(self) -> httpx.URL:
        """The same URL with the host replaced by the checked address."""
        parts = urlsplit(self.url)
        host = f"[{self.address}]" if self.address.version == 6 else str(self.address)
        query = f"?{parts.query}" if parts.query else ""
        return httpx.URL(f"{self.scheme}://{host}:{self.port}{parts.path or '/'}{query}")

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def parse_ports(spec: str) -> frozenset[int]:
    """``"80,443,8000-9999"`` → the set of allowed ports."""
    ports: set[int] = set()
    for part in filter(None, (p.strip() for p in spec.split(","))):
        low, _, high = part.partition("-")
        try:
            start, end = int(low), int(high or low)
        except ValueError as exc:
            raise ValueError(f"invalid port range {part!r}") from exc
        if not 1 <= start <= end <= 65535:
            raise ValueError(f"invalid port range {part!r}")
        ports.update(range(start, end + 1))
    return frozenset(ports)


def _inet_aton_part(text: str) -> int:
    if text.lower().startswith("0x"):
        return int(text[2:] or "0", 16)
    if len(text) > 1 and text.startswith("0"):
        return int(text, 8)
    return int(text, 10)


def literal_address(host: str) -> IPAddress | None:
    """An IP written any way ``inet_aton`` accepts (``2130706433``, ``0177.0.0.1``,
    ``0x7f.1``, ``127.1``) or as IPv6; None for a name."""
    host = host.strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        pass
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or not all(parts):
        return None
    try:
        numbers = [_inet_aton_part(p) for p in parts]
    except ValueError:
        return None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (4 - len(head)):
        return None
    value = 0
    for n in head:
        value = value * 256 + n
    value = value * 256 ** (4 - len(head)) + last
    return ipaddress.IPv4Address(value)


def is_public(address: IPAddress) -> bool:
    """False for loopback, private, link-local, multicast, reserved, unspecified and shared
    addresses, including IPv4 hidden inside IPv6 (mapped, 6to4, Teredo, NAT64)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if address.teredo:
            embedded = address.teredo[1]
        if address in NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None and not is_public(embedded):
            return False
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_unspecified
    )


async def system_resolver(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def check_syntax(url: str, ports: frozenset[int]) -> tuple[str, str, int]:
    """Scheme, port and shape rules; returns (scheme, host, port). Parsed with the lenient
    standard-library splitter so odd spellings reach the address rule instead of slipping by."""
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeTarget(f"URL longer than {MAX_URL_LENGTH} characters")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise UnsafeTarget("the URL contains whitespace or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeTarget(f"not a valid URL: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeTarget("only http and https URLs are allowed")
    if not parts.hostname:
        raise UnsafeTarget("the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget("credentials in the URL are not allowed")
    port = port or (443 if scheme == "https" else 80)
    if port not in ports:
        raise UnsafeTarget(f"port {port} is not allowed for webhooks")
    try:
        host = (
            parts.hostname.encode("idna").decode("ascii")
            if not parts.hostname.isascii()
            else parts.hostname
        )
    except UnicodeError as exc:
        raise UnsafeTarget(f"invalid host name: {exc}") from exc
    return scheme, host, port


async def check_target(
    url: str, *, allow_private: bool, ports: frozenset[int], resolver: Resolver = system_resolver
) -> Target:
    """Resolve and check a webhook URL; raises ``UnsafeTarget`` with the reason."""
    scheme, host, port = check_syntax(url, ports)
    literal = literal_address(host)
    if literal is not None:
        addresses: list[IPAddress] = [literal]
    else:
        try:
            resolved = await resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise UnsafeTarget(f"cannot resolve {host}: {exc}") from exc
        addresses = [ipaddress.ip_address(a.split("%")[0]) for a in resolved]
        if not addresses:
            raise UnsafeTarget(f"{host} has no address")
    if not allow_private:
        # Every address must be public: otherwise a name with one public and one private
        # record could be made to connect to the private one.
        for address in addresses:
            if not is_public(address):
                raise UnsafeTarget(f"{host} is or resolves to a non-public address ({address})")
    return Target(url=url, scheme=scheme, host=host, port=port, address=addresses[0])
