"""An outbound transport that refuses non-public addresses, for discovery started over HTTP.

Every request (redirects included: the client sends each hop through the transport) is checked
with the webhook SSRF rules, and connects to the address that passed the check, so DNS cannot
change between check and use. A refused request gets a 403 answer from this transport rather
than an exception, so the probes report it like any other unreadable board and are not retried.
"""

from __future__ import annotations

import httpx

from service.webhooks.ssrf import Resolver, UnsafeTarget, check_target, system_resolver

REFUSED_HEADER = "X-Talentflow-Refused"
PUBLIC_PORTS = frozenset({80, 443})
ANY_PORT = frozenset(range(1, 65536))


class GuardedTransport(httpx.AsyncBaseTransport):
    def __init__(
        self,
        inner: httpx.AsyncBaseTransport | None = None,
        *,
        allow_private: bool = False,
        resolver: Resolver = system_resolver,
    ) -> None:
        self.inner = inner or httpx.AsyncHTTPTransport()
        self.allow_private = allow_private
        # Local development may point discovery at test servers on any port.
        self.ports = ANY_PORT if allow_private else PUBLIC_PORTS
        self.resolver = resolver

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            target = await check_target(
                str(request.url),
                allow_private=self.allow_private,
                ports=self.ports,
                resolver=self.resolver,
            )
        except UnsafeTarget as exc:
            return httpx.Response(
                403, headers={REFUSED_HEADER: "1"}, text=f"refused: {exc}", request=request
            )
        extensions = dict(request.extensions)
        if target.scheme == "https":
            extensions["sni_hostname"] = target.host  # TLS checks the name, not the address
        headers = [(k, v) for k, v in request.headers.raw if k.lower() != b"host"]
        headers.insert(0, (b"Host", target.host_header.encode("ascii")))
        pinned = httpx.Request(
            request.method,
            target.connect_url,
            headers=headers,
            stream=request.stream,
            extensions=extensions,
        )
        return await self.inner.handle_async_request(pinned)

    async def aclose(self) -> None:
        """Kept open: discovery's clients share this transport one after the other."""

    async def shutdown(self) -> None:
        await self.inner.aclose()
