"""The simulated market behind ``talentflow demo``: fictional labs whose boards change week by week.

Pure and deterministic: the same sample file and number of weeks always give the same history.
The board server renders the state of ``week`` in each board's real response shape.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib.resources import files
from typing import Any, Literal

Trend = Literal["grow", "steady", "shrink"]
Breakage = Literal["http", "html"]

# Roles a lab opens in a week after the first, drawn at random: the mix sets the trend's slope.
OPENINGS: dict[str, tuple[int, ...]] = {
    "grow": (1, 2, 2, 3),
    "steady": (0, 1, 1, 2, 2),
    "shrink": (0, 0, 1, 1),
}
FIRST_WEEK_OPEN = {"grow": 3, "steady": 4, "shrink": 6}
WIDEN_MIN, WIDEN_MAX = 0.92, 1.18  # how a band widens: lower floor, higher ceiling


class SampleError(ValueError):
    """The bundled sample file is malformed."""


@dataclass(frozen=True)
class Role:
    title: str
    team: str
    department: str
    pay_min: int
    pay_max: int


@dataclass(frozen=True)
class Lab:
    name: str
    slug: str
    ats: str
    locations: tuple[str, ...]
    currency: str
    trend: Trend
    roles: tuple[Role, ...]
    widen_week: int | None = None
    broken_weeks: dict[int, Breakage] = field(default_factory=dict)


@dataclass(frozen=True)
class NewsItem:
    week: int
    title: str
    summary: str


@dataclass(frozen=True)
class Opening:
    """One posting of a lab: open from ``open_week`` until (not including) ``close_week``."""

    number: int  # unique across the sample; every board derives its own kind of id from it
    lab: Lab
    role: Role
    location: str
    open_week: int
    close_week: int | None
    widen_week: int | None = None

    def is_open(self, week: int) -> bool:
        return self.open_week <= week and (self.close_week is None or week < self.close_week)

    def pay(self, week: int) -> tuple[int, int] | None:
        """The published annual band in the lab's currency at ``week``, or None."""
        if not self.role.pay_max:
            return None
        low, high = self.role.pay_min, self.role.pay_max
        if self.widen_week is not None and week >= self.widen_week:
            low, high = int(round(low * WIDEN_MIN, -3)), int(round(high * WIDEN_MAX, -3))
        return low, high

    @property
    def workplace(self) -> str:
        return (
            "remote"
            if self.location.lower().startswith("remote")
            else ("hybrid" if self.number % 3 == 0 else "onsite")
        )


def _lab(raw: dict[str, Any]) -> Lab:
    try:
        roles = tuple(
            Role(str(t), str(team), str(dep), int(lo), int(hi))
            for t, team, dep, lo, hi in raw["roles"]
        )
        broken = {int(week): kind for week, kind in raw.get("broken_weeks", [])}
        trend = raw.get("trend", "steady")
        if trend not in OPENINGS or any(k not in ("http", "html") for k in broken.values()):
            raise ValueError(f"unknown trend or breakage in {raw.get('name')!r}")
        return Lab(
            name=str(raw["name"]),
            slug=str(raw["slug"]),
            ats=str(raw["ats"]),
            locations=tuple(raw["locations"]),
            currency=str(raw["currency"]),
            trend=trend,
            roles=roles,
            widen_week=raw.get("widen_week"),
            broken_weeks=broken,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise SampleError(f"sample lab {raw.get('name')!r}: {exc}") from exc


@dataclass(frozen=True)
class Sample:
    labs: tuple[Lab, ...]
    news: tuple[NewsItem, ...]


def load_sample(text: str | None = None) -> Sample:
    """The bundled sample (``service/demo/data/labs.toml``), or ``text`` in the same shape."""
    if text is None:
        text = files("service.demo").joinpath("data/labs.toml").read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
        news = tuple(
            NewsItem(int(n["week"]), str(n["title"]), str(n.get("summary", "")))
            for n in data.get("news", [])
        )
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise SampleError(f"sample file: {exc}") from exc
    return Sample(labs=tuple(_lab(raw) for raw in data.get("labs", [])), news=news)


def _openings(lab: Lab, weeks: int, first_number: int) -> list[Opening]:
    rng = random.Random(lab.slug)  # one stream per lab: editing one lab leaves the others alone
    found: list[Opening] = []
    for week in range(weeks):
        count = FIRST_WEEK_OPEN[lab.trend] if week == 0 else rng.choice(OPENINGS[lab.trend])
        for _ in range(count):
            index = len(found)
            # The first roles of week 0 never close, so every board has a history all along.
            lifetime = None if week == 0 and index < 3 else rng.randint(2, 9)
            close = None if lifetime is None or week + lifetime >= weeks else week + lifetime
            found.append(
                Opening(
                    number=first_number + index,
                    lab=lab,
                    role=lab.roles[index % len(lab.roles)],
                    location=lab.locations[rng.randrange(len(lab.locations))],
                    open_week=week,
                    close_week=close,
                    widen_week=lab.widen_week
                    if index == 0 and lab.widen_week is not None and lab.widen_week < weeks
                    else None,
                )
            )
    return found


@dataclass
class World:
    """The whole simulated market; ``week`` is the state the board server answers with."""

    sample: Sample
    weeks: int
    end: datetime  # when the last weekly run happens
    week: int = 0
    openings: dict[str, list[Opening]] = field(init=False)

    def __post_init__(self) -> None:
        if self.weeks < 1:
            raise ValueError("the demo needs at least one week")
        self.openings = {}
        for i, lab in enumerate(self.sample.labs):
            self.openings[lab.slug] = _openings(lab, self.weeks, first_number=1000 * (i + 1))

    @property
    def labs(self) -> dict[str, Lab]:
        return {lab.slug: lab for lab in self.sample.labs}

    def at(self, week: int) -> datetime:
        """The time of the weekly run of ``week`` (the last one is ``end``)."""
        return self.end - timedelta(weeks=self.weeks - 1 - week)

    def open_roles(self, slug: str, week: int | None = None) -> list[Opening]:
        week = self.week if week is None else week
        return [o for o in self.openings[slug] if o.is_open(week)]

    def breakage(self, slug: str) -> Breakage | None:
        return self.labs[slug].broken_weeks.get(self.week)

    def posted_at(self, opening: Opening) -> datetime:
        """Boards publish a role a day or two before the weekly run first sees it."""
        return self.at(opening.open_week) - timedelta(hours=20 + opening.number % 30)

    def news(self, week: int | None = None) -> list[NewsItem]:
        """Items published up to ``week``, newest first, as a feed lists them."""
        week = self.week if week is None else week
        return sorted((n for n in self.sample.news if n.week <= week), key=lambda n: -n.week)
