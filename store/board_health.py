"""A board's health: its last run, its current failure streak, and what to do about it.

A failure streak is the unbroken run of ``failed`` or ``partial`` runs since the board's last
``ok`` or ``unchanged`` one. A ``skipped`` run (turned away while another run of the board was in
progress) says nothing about the board: it neither breaks nor extends a streak, and is not the
board's last run. The advice is read from the errors those runs recorded (the
messages ``service/scrape.py`` writes: ``BoardNotFound: GET …: 404 not found``,
``FetchError: GET …: HTTP 503 after 3 attempts``, ``ParseError: …``, ``internal error: …``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import func
from sqlmodel import Session, col, select

from store.models import Board, Company, ScrapeRun
from store.serialize import iso
from store.types import utcnow

GOOD_OUTCOMES = ("ok", "unchanged")
FAILED_OUTCOMES = ("failed", "partial")
# Server errors for this long stop looking like an outage.
LONG_OUTAGE_DAYS = 3
# Errors read for advice: the newest runs of a streak are enough to say what is going on.
STREAK_ERRORS_READ = 200

ErrorKind = Literal["not_found", "refused", "unavailable", "format", "internal", "other"]

# Checked in order: the first pattern that matches names the kind.
_KIND_PATTERNS: tuple[tuple[ErrorKind, re.Pattern[str]], ...] = (
    ("internal", re.compile(r"^internal error|no scraper for ats", re.I)),
    ("not_found", re.compile(r"BoardNotFound|\b(404|410)\b|not found", re.I)),
    ("refused", re.compile(r"HTTP (401|403)\b|robots\.txt disallows", re.I)),
    (
        "unavailable",
        re.compile(
            r"HTTP (408|429|5\d\d)\b|timed out|timeout|Connect|ReadError|RemoteProtocolError"
            r"|NetworkError|connection",
            re.I,
        ),
    ),
    (
        "format",
        re.compile(
            r"ParseError|not valid JSON|not well-formed|is not an HTML page|not an RSS"
            r"|response has no|without id|expected <|shape",
            re.I,
        ),
    ),
)


@dataclass(frozen=True)
class Advice:
    kind: ErrorKind
    summary: str  # one line: what is happening
    action: str  # what to do about it
    command: str | None = None  # a command to run, when one helps


def error_kind(error: str | None) -> ErrorKind:
    """The kind of one recorded run error."""
    text = error or ""
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(text):
            return kind
    return "other"


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def advise(
    errors: Sequence[str | None], company: str, streak: int, days: int | None = None
) -> Advice | None:
    """What to do about a streak, from its errors (newest first). ``None`` when not failing.

    The most frequent kind of error decides; a tie goes to the kind seen most recently.
    ``days`` is how long the streak has lasted, when known.
    """
    if streak <= 0:
        return None
    kinds = [error_kind(e) for e in errors] or ["other"]
    counts = Counter(kinds)
    top = max(counts.values())
    kind = next(k for k in kinds if counts[k] == top)  # newest first: recency breaks ties
    runs = "1 run" if streak == 1 else f"{streak} runs in a row"
    if kind == "not_found":
        return Advice(
            kind,
            f"The board answered \u201cnot found\u201d ({runs}).",
            "Its token changed or the company moved to another job-board system. "
            "Find the current board and update sources.toml.",
            f"talentflow sources discover {_quoted(company)}",
        )
    if kind == "unavailable":
        if streak == 1:
            return Advice(
                kind,
                "One run hit server errors or timeouts.",
                "Probably a passing outage: the next scheduled run will try again.",
            )
        if days is not None and days >= LONG_OUTAGE_DAYS:
            return Advice(
                kind,
                f"The board has answered with server errors or timeouts for {days} days ({runs}).",
                "That is longer than an outage usually lasts: open the board in a "
                "browser; if it works there, probe it once and report the errors "
                "below.",
                "talentflow sources check",
            )
        return Advice(
            kind,
            f"The board is down or overloaded: server errors or timeouts ({runs}).",
            "Nothing to change on your side: wait, talentflow tries again every cycle.",
        )
    if kind == "refused":
        return Advice(
            kind,
            f"The board refuses our requests ({runs}).",
            "It may have gone private or be blocking automated clients; check it in a "
            "browser and probe it once.",
            "talentflow sources check",
        )
    if kind == "format":
        return Advice(
            kind,
            f"The board answered in a format talentflow does not recognise ({runs}).",
            "The board's format changed: report it with the error below, ideally "
            "with a saved copy of the response.",
        )
    if kind == "internal":
        return Advice(
            kind,
            f"The scraper itself failed ({runs}).",
            "This is a bug in talentflow, not in the board: report it with the error below.",
        )
    return Advice(
        kind,
        f"The board could not be read completely ({runs}).",
        "Read the errors below, then probe the board once.",
        "talentflow sources check",
    )


def failure_streaks(session: Session, board_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Per board: ``{"streak", "since", "last_outcome", "last_error", "last_run_at"}``.

    Two aggregate queries over the boards' runs, whatever their number of runs.
    """
    ids = list(board_ids)
    if not ids:
        return {}
    last_good = dict(
        session.exec(
            select(ScrapeRun.board_id, func.max(ScrapeRun.id))
            .where(col(ScrapeRun.board_id).in_(ids), col(ScrapeRun.outcome).in_(GOOD_OUTCOMES))
            .group_by(col(ScrapeRun.board_id))
        ).all()
    )
    out: dict[int, dict[str, Any]] = {
        b: {
            "streak": 0,
            "since": None,
            "last_outcome": None,
            "last_error": None,
            "last_run_at": None,
        }
        for b in ids
    }
    for board_id in ids:
        # One bounded aggregate per board (a company has a handful): runs after its last success.
        after = last_good.get(board_id) or 0
        streak, first_id = session.exec(
            select(func.count(), func.min(ScrapeRun.id)).where(
                ScrapeRun.board_id == board_id,
                col(ScrapeRun.id) > after,
                col(ScrapeRun.outcome).in_(FAILED_OUTCOMES),
            )
        ).one()
        if streak:
            first = session.get(ScrapeRun, first_id)
            out[board_id].update(streak=int(streak), since=iso(first.started_at) if first else None)
    latest_ids = session.exec(
        select(func.max(ScrapeRun.id))
        .where(col(ScrapeRun.board_id).in_(ids), col(ScrapeRun.outcome) != "skipped")
        .group_by(col(ScrapeRun.board_id))
    ).all()
    for run in session.exec(select(ScrapeRun).where(col(ScrapeRun.id).in_(list(latest_ids)))):
        out[run.board_id].update(
            last_outcome=run.outcome, last_error=run.error, last_run_at=iso(run.started_at)
        )
    return out


def board_state(last_run_at: str | None, streak: int) -> str:
    return "never run" if not last_run_at else "failing" if streak else "ok"


def board_failures(
    session: Session, key: str, *, runs: int = 50, now: datetime | None = None
) -> dict[str, Any] | None:
    """One board's streak with the advice for it and its latest runs; ``None`` if unknown."""
    row = session.exec(
        select(Board, Company.name)
        .join(Company, col(Company.id) == Board.company_id)
        .where(Board.key == key)
    ).first()
    if row is None:
        return None
    board, company = row
    assert board.id is not None
    health = failure_streaks(session, [board.id])[board.id]
    streak_errors: list[str | None] = []
    if health["streak"]:
        streak_errors = list(
            session.exec(
                select(ScrapeRun.error)
                .where(ScrapeRun.board_id == board.id, col(ScrapeRun.outcome).in_(FAILED_OUTCOMES))
                .order_by(col(ScrapeRun.id).desc())
                .limit(min(health["streak"], STREAK_ERRORS_READ))
            ).all()
        )
    days = None
    if health["since"]:
        since = datetime.fromisoformat(health["since"].replace("Z", "+00:00"))
        days = max(0, ((now or utcnow()) - since).days)
    advice = advise(streak_errors, company, health["streak"], days)
    kinds = Counter(error_kind(e) for e in streak_errors)
    recent = session.exec(
        select(ScrapeRun)
        .where(ScrapeRun.board_id == board.id)
        .order_by(col(ScrapeRun.id).desc())
        .limit(runs)
    ).all()
    return {
        "key": board.key,
        "company": company,
        "ats": board.ats,
        "token": board.token,
        "url": board.url,
        "last_run_at": iso(board.last_run_at),
        "last_ok_at": iso(board.last_ok_at),
        "state": board_state(iso(board.last_run_at), health["streak"]),
        "failure_streak": health["streak"],
        "failing_since": health["since"],
        "failing_days": days,
        "error_kinds": dict(kinds.most_common()),
        "advice": None
        if advice is None
        else {
            "kind": advice.kind,
            "summary": advice.summary,
            "action": advice.action,
            "command": advice.command,
        },
        "runs": [
            {
                "id": r.id,
                "board": board.key,
                "company": company,
                "ats": board.ats,
                "started_at": iso(r.started_at),
                "finished_at": iso(r.finished_at),
                "outcome": r.outcome,
                "suspicious": r.suspicious,
                "error": r.error,
                "error_kind": error_kind(r.error) if r.outcome in FAILED_OUTCOMES else None,
                "counts": {
                    "seen": r.seen,
                    "new": r.new,
                    "changed": r.changed,
                    "closed": r.closed,
                    "reopened": r.reopened,
                    "missing": r.missing,
                },
            }
            for r in recent
        ],
    }
