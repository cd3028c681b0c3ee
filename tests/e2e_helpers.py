"""End-to-end helpers: a local HTTP server on 127.0.0.1 and the real ``talentflow`` command."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

REPO = Path(__file__).resolve().parent.parent
TALENTFLOW = [sys.executable, "-c", "from service.cli import app; app()"]


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


# A route answers (method, path) with a Reply, or a callable that builds one from the request.
Route = Reply | Callable[[Request], Reply]


class LocalServer:
    """Serves a mutable route table; records every request it receives."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.requests: list[Request] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:  # keep test output quiet
                pass

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                )
                server.requests.append(request)
                route = server.routes.get((self.command, parts.path))
                reply = (
                    Reply(404, b'{"status":404,"error":"Not found"}')
                    if route is None
                    else (route(request) if callable(route) else route)
                )
                body = reply.body.encode() if isinstance(reply.body, str) else reply.body
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(body)))
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_HEAD = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, method: str, path: str, reply: Route) -> None:
        self.routes[(method.upper(), path)] = reply


@contextmanager
def local_server() -> Iterator[LocalServer]:
    server = LocalServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


def cli_env(
    database_url: str, sources: Path | None = None, extra_env: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment the command line runs in: this one without any TALENTFLOW_ setting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALENTFLOW_")}
    env["TALENTFLOW_DATABASE_URL"] = database_url
    env["TALENTFLOW_HTTP_BACKOFF"] = "0"
    env["COLUMNS"] = "200"
    if sources is not None:
        env["TALENTFLOW_SOURCES"] = str(sources)
    env.update(extra_env or {})
    return env


def start_cli(
    args: list[str],
    *,
    database_url: str,
    sources: Path | None = None,
    extra_env: dict[str, str] | None = None,
) -> subprocess.Popen[str]:
    """Start the real ``talentflow`` command line without waiting for it."""
    return subprocess.Popen(
        [*TALENTFLOW, *args],
        cwd=REPO,
        env=cli_env(database_url, sources, extra_env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_cli(
    args: list[str],
    *,
    database_url: str,
    sources: Path | None = None,
    extra_env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run the real ``talentflow`` command line in a subprocess, as a user would."""
    return subprocess.run(
        [*TALENTFLOW, *args],
        cwd=REPO,
        env=cli_env(database_url, sources, extra_env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
