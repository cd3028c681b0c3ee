"""SSRF guard: every internal spelling is refused at creation and at send time, and no
connection ever reaches a canary listening on loopback."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from service.app import create_app
from service.settings import Settings
from service.webhooks.ssrf import (
    UnsafeTarget,
    check_target,
    is_public,
    literal_address,
    parse_ports,
)
from store.engine import session_scope
from store.keys import create_key
from store.types import utcnow
from tests.webhook_helpers import (
    attempts,
    canary_listener,
    deliveries,
    dispatcher,
    emit_posting,
    subscribe,
)

# Every spelling of loopback (and other internal addresses) on the canary's port.
LOOPBACK_SPELLINGS = [
    "127.0.0.1",
    "localhost",
    "2130706433",
    "0177.0.0.1",
    "0x7f.0.0.1",
    "0x7f000001",
    "017700000001",
    "127.1",
    "127.000.000.001",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[0:0:0:0:0:ffff:7f00:1]",
    "0.0.0.0",
    "0",
    "[::]",
    "[64:ff9b::7f00:1]",
    "127.0.0.1.",
]
OTHER_INTERNAL = [
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "[fe80::1]",
    "[fc00::1]",
    "[ff02::1]",
    "[2002:a00:1::]",
    "0xa9.0xfe.0xa9.0xfe",
    "3232235777",
]
ALL_PORTS = parse_ports("1-65535")


def test_literal_spellings_decode_like_inet_aton() -> None:
    assert literal_address("2130706433") == ipaddress.IPv4Address("127.0.0.1")
    assert literal_address("0177.0.0.1") == ipaddress.IPv4Address("127.0.0.1")
    assert literal_address("0x7f.1") == ipaddress.IPv4Address("127.0.0.1")
    assert literal_address("10.1") == ipaddress.IPv4Address("10.0.0.1")
    assert literal_address("hooks.example.com") is None
    assert literal_address("1.2.3.4.5") is None
    assert literal_address("256.1.1.1") is None
    assert is_public(ipaddress.ip_address("93.184.216.34"))
    assert is_public(ipaddress.ip_address("2606:4700::1111"))


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS + OTHER_INTERNAL)
def test_internal_hosts_are_refused(host: str) -> None:
    with pytest.raises(UnsafeTarget, match="non-public"):
        asyncio.run(check_target(f"http://{host}:8080/x", allow_private=False, ports=ALL_PORTS))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://hooks.example.com/x", "http and https"),
        ("file:///etc/passwd", "http and https"),
        ("gopher://hooks.example.com:70/", "http and https"),
        ("http://hooks.example.com:22/", "port 22"),
        ("https://hooks.example.com:6379/", "port 6379"),
        ("http://user:pw@hooks.example.com/", "credentials"),
        ("http:///nohost", "no host"),
    ],
)
def test_scheme_port_and_shape_rules_hold_even_when_private_is_allowed(
    url: str, reason: str
) -> None:
    with pytest.raises(UnsafeTarget, match=reason):
        asyncio.run(check_target(url, allow_private=True, ports=parse_ports("80,443,8000-9999")))


def test_a_name_with_any_private_record_is_refused() -> None:
    async def mixed(_host: str, _port: int) -> list[str]:
        return ["93.184.216.34", "10.0.0.7"]

    with pytest.raises(UnsafeTarget, match=r"10\.0\.0\.7"):
        asyncio.run(
            check_target(
                "https://hooks.example.com/", allow_private=False, ports=ALL_PORTS, resolver=mixed
            )
        )


def test_allow_private_lifts_only_the_address_rule() -> None:
    target = asyncio.run(
        check_target(
            "http://127.0.0.1:8080/", allow_private=True, ports=parse_ports("80,443,8000-9999")
        )
    )
    assert str(target.address) == "127.0.0.1"


def api(engine: Engine, settings: Settings) -> tuple[TestClient, str]:
    with session_scope(engine) as session:
        _, key = create_key(session, f"k{id(settings)}")
    return TestClient(create_app(settings, engine)), key


def test_every_spelling_refused_at_creation_with_no_connection(engine: Engine) -> None:
    with canary_listener() as canary:
        client, key = api(engine, Settings(webhook_ports=f"80,443,{canary.port}"))
        for host in LOOPBACK_SPELLINGS + OTHER_INTERNAL:
            response = client.post(
                "/api/subscriptions",
                headers={"X-API-Key": key},
                json={"url": f"http://{host}:{canary.port}/hook"},
            )
            assert response.status_code == 422, host
            assert "non-public" in response.json()["detail"], host
        assert client.get("/api/subscriptions", headers={"X-API-Key": key}).json()["items"] == []
    assert canary.connections == 0


def test_every_spelling_refused_at_send_time_with_no_connection(engine: Engine) -> None:
    with canary_listener() as canary:
        # Rows written directly, as if the address changed after creation (DNS rebinding).
        for host in LOOPBACK_SPELLINGS:
            subscribe(engine, f"http://{host}:{canary.port}/hook")
        emit_posting(engine, utcnow())
        result = asyncio.run(
            dispatcher(
                engine, allow_private=False, webhook_ports=f"80,443,{canary.port}"
            ).run_pass()
        )
        assert result.attempted == len(LOOPBACK_SPELLINGS) and result.delivered == 0
    assert canary.connections == 0
    for row in deliveries(engine):
        (attempt,) = attempts(engine, row.id or 0)
        assert attempt.status_code is None and "refused" in (attempt.error or "")


def test_rebinding_between_creation_and_send_is_caught(engine: Engine) -> None:
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])

    async def rebinding(_host: str, _port: int) -> list[str]:
        return next(answers)

    ports = ALL_PORTS
    asyncio.run(
        check_target(
            "https://rebind.example.com/", allow_private=False, ports=ports, resolver=rebinding
        )
    )
    with pytest.raises(UnsafeTarget):
        asyncio.run(
            check_target(
                "https://rebind.example.com/", allow_private=False, ports=ports, resolver=rebinding
            )
        )


def test_the_canary_does_count_real_connections(engine: Engine) -> None:
    """Control: with private addresses allowed the same path does connect."""
    with canary_listener() as canary:
        subscribe(engine, f"http://127.0.0.1:{canary.port}/hook")
        emit_posting(engine, utcnow())
        asyncio.run(
            dispatcher(engine, allow_private=True, webhook_ports=f"{canary.port}").run_pass()
        )
        for _ in range(50):
            if canary.connections:
                break
            asyncio.run(asyncio.sleep(0.02))
    assert canary.connections >= 1
