"""A local HTTP server on 127.0.0.1 that misbehaves on request.

It answers every request from a replaceable ``site`` function and can declare a
``Content-Length`` other than the body's (then closes the connection after what it sent), or
drip the body one byte at a time, as a slow or hostile board does.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Hit:
    """One request as the server saw it."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: bytes


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    declared_length: int | None = None  # the Content-Length sent; None: the body's own length
    drip: float = 0.0  # seconds between bytes of the body; 0 sends it at once


Site = Callable[[Hit], Answer]


def not_found(_hit: Hit) -> Answer:
    return Answer(404, b'{"error": "not found"}')


class FaultServer:
    """Serves ``self.site``; records every request in ``self.hits``."""

    def __init__(self) -> None:
        self.site: Site = not_found
        self.hits: list[Hit] = []
        self.stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            # Keep-alive, except after an answer whose body is cut or dripped: that connection
            # is closed, so a declared length longer than the body ends in a cut connection.
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: object) -> None:
                pass

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                hit = Hit(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    self.rfile.read(length) if length else b"",
                )
                server.hits.append(hit)
                answer = server.site(hit)
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                declared = answer.declared_length
                self.send_header(
                    "Content-Length", str(len(answer.body) if declared is None else declared)
                )
                if declared is not None or answer.drip:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                try:
                    if not answer.drip:
                        self.wfile.write(answer.body)
                        return
                    for offset in range(len(answer.body)):
                        if server.stopping.is_set():
                            return
                        self.wfile.write(answer.body[offset : offset + 1])
                        self.wfile.flush()
                        time.sleep(answer.drip)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client gave up, as it should

            do_GET = do_POST = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def count(self, predicate: Callable[[Hit], bool]) -> int:
        return sum(1 for hit in self.hits if predicate(hit))


@contextmanager
def fault_server() -> Iterator[FaultServer]:
    server = FaultServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.httpd.shutdown()
        server.httpd.server_close()
