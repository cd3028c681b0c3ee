"""Parameter types whose OpenAPI description is exactly what they accept.

Dates: ``YYYY-MM-DD`` or a full ISO date-time (``2026-11-02T08:00:00Z``; UTC when it has no
offset), years 1990 to 2199, nothing else: pydantic alone would also take ``0`` or
``1700000000`` as a date. Text: no control characters (the guard middleware refuses them in the
URL; ``CleanText`` does the same for body fields and declares it).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from pydantic import BeforeValidator, StringConstraints, WithJsonSchema

from service.api.guards import CONTROL_CHARACTERS, NO_CONTROL_CHARACTERS

# Job boards are younger than this, and keeping dates well inside the calendar keeps bucket
# arithmetic (a day after `until`, a week before `since`) from overflowing.
EARLIEST, LATEST = date(1990, 1, 1), date(2199, 12, 31)


def _years(first: int, last: int) -> str:
    """A regular expression of the years first..last (whole decades)."""
    assert first % 10 == 0 and last % 10 == 9
    return "(?:" + "|".join(f"{decade}[0-9]" for decade in range(first // 10, last // 10 + 1)) + ")"


_DAY = _years(EARLIEST.year, LATEST.year) + "-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_CLOCK = "(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:[.][0-9]+)?"
_OFFSET = "(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
DATE_PATTERN = f"^{_DAY}$"
DATE_TIME_PATTERN = f"^{_DAY}T{_CLOCK}{_OFFSET}$"
# What is accepted: the two above, and a date-time without an offset (read as UTC).
_ACCEPTED = re.compile(f"^{_DAY}(?:T{_CLOCK}{_OFFSET}?)?$")
_WHEN_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "format": "date", "pattern": DATE_PATTERN},
        {"type": "string", "format": "date-time", "pattern": DATE_TIME_PATTERN},
    ],
    "description": "an ISO date (YYYY-MM-DD) or date-time, 1990 to 2199",
}


def parse_when(value: Any) -> datetime:
    """An ISO date or date-time, as an aware datetime (a date is its midnight UTC)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time.min)
    else:
        text = value.upper() if isinstance(value, str) else None
        if text is None or not _ACCEPTED.fullmatch(text):
            raise ValueError(
                "expected an ISO date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SSZ) "
                "from 1990 to 2199"
            )
        try:
            moment = datetime.fromisoformat(text)
        except ValueError as exc:  # 2026-02-30: the right shape, not a day
            raise ValueError(f"not a real date: {exc}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _to_date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    return parse_when(value).astimezone(UTC).date()


IsoDate = Annotated[date, BeforeValidator(_to_date), WithJsonSchema(_WHEN_SCHEMA)]
"""A day: ``YYYY-MM-DD``, or the UTC day of a full ISO date-time."""

IsoDateTime = Annotated[datetime, BeforeValidator(parse_when), WithJsonSchema(_WHEN_SCHEMA)]
"""An instant: a full ISO date-time (UTC when it has no offset), or a date's midnight UTC."""

CleanText = Annotated[str, StringConstraints(pattern=NO_CONTROL_CHARACTERS)]
"""Text without control characters (tab and line breaks are fine)."""

# What ``str.split()`` and ``str.strip()`` take for space, less the control characters refused
# anyway, spelled out so that the OpenAPI pattern and the server agree on every character.
_SPACE = "\t\n\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_TEXT = f"[^{CONTROL_CHARACTERS}]*"
NOT_BLANK = f"^{_TEXT}[^{CONTROL_CHARACTERS}{_SPACE}]{_TEXT}$"
NamedText = Annotated[str, StringConstraints(pattern=NOT_BLANK)]
"""A name: ``CleanText`` with something besides spaces (the server trims or collapses them)."""

HAS_TEXT = f"^[\\s\\S]*[^{CONTROL_CHARACTERS}{_SPACE}][\\s\\S]*$"
HasText = Annotated[str, StringConstraints(pattern=HAS_TEXT)]
"""Text with something besides spaces and control characters, for fields whose control
characters are dropped when stored (a posted hire) rather than refused."""

# The rules above in words, for 422 messages in place of the regular expressions.
PATTERN_MESSAGES = {
    NO_CONTROL_CHARACTERS: "control characters are not allowed",
    NOT_BLANK: "must not be blank, nor hold control characters",
    HAS_TEXT: "must hold something besides spaces and control characters",
}


def _url_pattern(*, scheme: bool) -> str:
    """The http(s) URLs the server takes as given, for OpenAPI: a host name with a letter or
    symbol in it, or a dotted IPv4 address (a host like ``999`` or ``1.2.3`` is taken too but not
    stated: HTTP clients read those as broken IPv4 addresses), a port 0-65535, then no space or
    control character. Written without a scheme (``scheme=False``), ``https://`` is assumed."""
    octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
    symbols = "A-Za-z_~!$&'()*+,;=%"  # and "-", kept last in each class
    host = f"(?:[0-9.]*[{symbols}-][{symbols}0-9.-]*|(?:{octet}[.]){{3}}{octet})"
    port = "0*(?:[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
    rest = f"(?:[/?#][^\\x00-\\x20\\x7f{_SPACE}]*)?"
    with_scheme = f"[Hh][Tt][Tt][Pp][Ss]?://{host}(?::(?:{port})?)?"
    if scheme:
        return f"^{with_scheme}{rest}$"
    return f"^(?:{with_scheme}|{host}(?::{port})?){rest}$"


# Declared, not enforced: a URL outside them is refused by the SSRF guard with its reason.
WEBHOOK_URL = _url_pattern(scheme=True)
PAGE_URL = _url_pattern(scheme=False)
