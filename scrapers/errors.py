"""The small, documented set of scrape exceptions, mapped to a run outcome in one place."""

from __future__ import annotations


class ScrapeError(Exception):
    """Base class: a board could not be read completely."""


class FetchError(ScrapeError):
    """The board could not be fetched (network error, timeout, 4xx/5xx, bad body)."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class BoardNotFound(FetchError):
    """The board answered 404: the token or URL is wrong or the board was retired."""


class Truncated(FetchError):
    """The body ended before its document did: fewer bytes than its ``Content-Length``, or a
    document whose format proves it unfinished (an HTML page that never closes). Transient:
    the next attempt may get the whole of it."""


class ParseError(ScrapeError):
    """The board answered, but not in the shape its API documents."""
