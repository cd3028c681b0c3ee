"""End to end: the real ``talentflow`` command reading an RSS and an Atom feed from a local
server, then the API; and ``talentflow hires import``."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from service.app import create_app
from service.migrations import upgrade
from service.settings import Settings
from tests.e2e_helpers import Reply, Request, local_server, run_cli
from tests.hires_helpers import feed_bytes


def conditional(body: bytes, content_type: str):  # type: ignore[no-untyped-def]
    etag = f'"{len(body)}"'

    def reply(request: Request) -> Reply:
        if request.headers.get("if-none-match") == etag:
            return Reply(304, b"", content_type=content_type)
        return Reply(200, body, headers={"ETag": etag}, content_type=content_type)

    return reply


def test_scrape_reads_feeds_into_hires_and_flows_once(
    empty_database_url: str, tmp_path: Path
) -> None:
    with local_server() as server:
        server.route(
            "GET", "/rss", conditional(feed_bytes("ai_news.rss.xml"), "application/rss+xml")
        )
        server.route(
            "GET",
            "/atom",
            Reply(200, feed_bytes("press.atom.xml"), content_type="application/atom+xml"),
        )
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[[feeds]]\nname = "AI news"\nurl = "{server.base_url}/rss"\n\n'
            f'[[feeds]]\nname = "Press"\nurl = "{server.base_url}/atom"\n\n'
            '[aliases]\n"Google DeepMind" = ["GDM"]\n'
        )
        url = empty_database_url
        assert run_cli(["db", "upgrade"], database_url=url).returncode == 0
        first = run_cli(["scrape"], database_url=url, sources=sources)
        assert first.returncode == 0, first.stdout + first.stderr
        assert "feeds" in first.stdout

        client = TestClient(create_app(Settings(database_url=url)))
        hires = client.get("/api/hires").json()["items"]
        assert {(h["person"], h["from_company"], h["to_company"]) for h in hires} == {
            ("Zeeshan Patel", "NVIDIA", "xAI"),
            ("Ethan He", "NVIDIA", "xAI"),
            ("Jane Smith", "Google DeepMind", "OpenAI"),
        }
        assert client.get("/api/flows").json() == {
            "edges": [
                {"from": "NVIDIA", "to": "xAI", "count": 2},
                {"from": "Google DeepMind", "to": "OpenAI", "count": 1},
            ]
        }

        second = run_cli(["scrape"], database_url=url, sources=sources)
        assert second.returncode == 0, second.stdout + second.stderr
        assert client.get("/api/hires").json()["items"] == hires
        rss_requests = [r for r in server.requests if r.path == "/rss"]
        etag = f'"{len(feed_bytes("ai_news.rss.xml"))}"'
        assert rss_requests[-1].headers.get("if-none-match") == etag


def test_hires_import_is_all_or_nothing(empty_database_url: str, tmp_path: Path) -> None:
    url = empty_database_url
    upgrade(url)  # in-process: the CLI's `db upgrade` is exercised by the scrape test above
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "person,to_company,from_company,announced_at\n"
        "Ethan He,X.AI,Nvidia,2026-11-02\n"
        ",OpenAI,Meta,2026-11-03\n"
        "Jane Smith,OpenAI,DeepMind,someday\n"
    )
    refused = run_cli(["hires", "import", str(bad)], database_url=url)
    assert refused.returncode == 2
    assert "bad.csv:3" in refused.stderr and "bad.csv:4" in refused.stderr
    client = TestClient(create_app(Settings(database_url=url)))
    assert client.get("/api/hires").json()["items"] == []

    good = tmp_path / "good.csv"
    good.write_text(
        "person,to_company,from_company,role,announced_at,source_url\n"
        "Ethan He,X.AI,Nvidia,researcher,2026-11-02,https://n.example/1\n"
        "Jane Smith,OpenAI,DeepMind,,2026-11-03,\n"
        "Ethan He,xAI,,,2026-11-09,\n"
    )
    done = run_cli(["hires", "import", str(good)], database_url=url)
    assert done.returncode == 0, done.stderr
    assert "2 hires added, 1 already known" in done.stdout
    items = client.get("/api/hires").json()["items"]
    assert [(h["person"], h["from_company"], h["to_company"], h["origin"]) for h in items] == [
        ("Jane Smith", "Google DeepMind", "OpenAI", "import"),
        ("Ethan He", "NVIDIA", "xAI", "import"),
    ]
