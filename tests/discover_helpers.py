"""A fake public web for discovery tests: every ATS API host and a few careers sites, served
through ``httpx.MockTransport`` in the boards' real response shapes (the scraper fixtures)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import FIXTURES, load_fixture

DISCOVER = FIXTURES / "discover"
Handler = Callable[[httpx.Request], httpx.Response]


def page(name: str) -> str:
    return (DISCOVER / name).read_text(encoding="utf-8")


def _json(body: Any, status: int = 200) -> httpx.Response:
    return httpx.Response(
        status, text=json.dumps(body), headers={"Content-Type": "application/json"}
    )


def _html(text: str, status: int = 200) -> httpx.Response:
    return httpx.Response(status, text=text, headers={"Content-Type": "text/html; charset=utf-8"})


def _gh_not_found() -> httpx.Response:
    return _json(load_fixture("greenhouse", "not_found.json"), 404)


def _sr_unknown() -> httpx.Response:
    # SmartRecruiters answers an unknown company id with an empty 200.
    return _json({"offset": 0, "limit": 100, "totalFound": 0, "content": []})


@dataclass
class FakeWeb:
    """Routes by the Host header (so it also works behind the SSRF guard's address pinning)."""

    routes: dict[tuple[str, str, str], Handler] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def add(self, host: str, path: str, handler: Handler, method: str = "GET") -> FakeWeb:
        self.routes[(method, host.lower(), path)] = handler
        return self

    def text(self, host: str, path: str, body: str, kind: str = "text/html") -> FakeWeb:
        return self.add(
            host,
            path,
            lambda r: httpx.Response(
                200, text=body, headers={"Content-Type": f"{kind}; charset=utf-8"}
            ),
        )

    def redirect(self, host: str, path: str, location: str) -> FakeWeb:
        return self.add(host, path, lambda r: httpx.Response(301, headers={"Location": location}))

    # Boards, by kind, answering with the scrapers' fixtures.
    def greenhouse(self, token: str, fixture: str = "xai_jobs.json") -> FakeWeb:
        return self.add(
            "boards-api.greenhouse.io",
            f"/v1/boards/{token}/jobs",
            lambda r: _json(load_fixture("greenhouse", fixture)),
        )

    def lever(self, token: str, host: str = "api.lever.co") -> FakeWeb:
        return self.add(
            host, f"/v0/postings/{token}", lambda r: _json(load_fixture("lever", "postings.json"))
        )

    def ashby(self, token: str) -> FakeWeb:
        return self.add(
            "api.ashbyhq.com",
            f"/posting-api/job-board/{token}",
            lambda r: _json(load_fixture("ashby", "job_board.json")),
        )

    def smartrecruiters(self, token: str) -> FakeWeb:
        return self.add(
            "api.smartrecruiters.com",
            f"/v1/companies/{token}/postings",
            lambda r: _json(load_fixture("smartrecruiters", "postings_page0.json")),
        )

    def workable(self, token: str) -> FakeWeb:
        return self.add(
            "apply.workable.com",
            f"/api/v1/widget/accounts/{token}",
            lambda r: _json(load_fixture("workable", "acme_account.json")),
        )

    def recruitee(self, token: str) -> FakeWeb:
        return self.add(
            f"{token}.recruitee.com",
            "/api/offers/",
            lambda r: _json(load_fixture("recruitee", "acme_offers.json")),
        )

    def personio(self, token: str, tld: str = "de") -> FakeWeb:
        body = (FIXTURES / "personio" / "acme_feed.xml").read_bytes()
        return self.add(
            f"{token}.jobs.personio.{tld}",
            "/xml",
            lambda r: httpx.Response(
                200, content=body, headers={"Content-Type": "text/xml; charset=utf-8"}
            ),
        )

    def workday(self, host: str, tenant: str, site: str) -> FakeWeb:
        return self.add(
            host,
            f"/wday/cxs/{tenant}/{site}/jobs",
            lambda r: _json(load_fixture("workday", "jobs_page0.json")),
            method="POST",
        )

    def _default(self, request: httpx.Request) -> httpx.Response:
        host = request.headers.get("host", request.url.host).split(":")[0].lower()
        if host == "api.smartrecruiters.com":
            return _sr_unknown()
        if host == "boards-api.greenhouse.io":
            return _gh_not_found()
        if host in ("api.lever.co", "api.eu.lever.co"):
            return _json({"ok": False, "error": "Document not found"}, 404)
        if host.endswith(".jobs.personio.de") or host.endswith(".jobs.personio.com"):
            return _html("<html><body>Page not found</body></html>", 404)
        if request.url.path == "/robots.txt":
            return httpx.Response(404, text="not found")
        return _json({"error": "not found"}, 404)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        host = request.headers.get("host", request.url.host).split(":")[0].lower()
        handler = self.routes.get((request.method, host, request.url.path))
        return handler(request) if handler else self._default(request)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    def hits(self, host: str, path: str | None = None) -> int:
        return sum(
            1
            for r in self.requests
            if r.headers.get("host", r.url.host).split(":")[0].lower() == host
            and (path is None or r.url.path == path)
        )


def northwind(web: FakeWeb) -> FakeWeb:
    """A custom careers domain embedding a Greenhouse board whose token the name doesn't give."""
    return web.text(
        "careers.northwind-dynamics.com", "/", page("northwind_careers.html")
    ).greenhouse("nwdynamics")


def orbital(web: FakeWeb) -> FakeWeb:
    """A home page whose "Join us" page embeds two boards (Greenhouse and an EU Ashby board);
    robots.txt keeps a private path out."""
    return (
        web.text(
            "orbitalfoods.com", "/robots.txt", page("robots_disallow_private.txt"), "text/plain"
        )
        .text("orbitalfoods.com", "/", page("orbital_home.html"))
        .text("orbitalfoods.com", "/company/join-us", page("orbital_join.html"))
        .text(
            "orbitalfoods.com",
            "/private/jobs-admin",
            "<a href='https://jobs.lever.co/orbital-secret'>x</a>",
        )
        .greenhouse("orbitalfoods")
        .ashby("orbital-foods-eu")
    )


def sources_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path
