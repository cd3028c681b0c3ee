"""Quartiles by linear interpolation between closest ranks (numpy's default), from sorted values
or from a multiset of values with their counts."""

from __future__ import annotations

import bisect
import itertools
import statistics
from collections.abc import Callable, Sequence

NONE: dict[str, float | None] = {"p25": None, "median": None, "p75": None}


def ranked_percentiles(n: int, at_rank: Callable[[int], float]) -> dict[str, float | None]:
    """p25 / median / p75 of ``n`` sorted values, ``at_rank(i)`` being the i-th smallest."""
    if n == 0:
        return dict(NONE)

    def at(q: float) -> float:
        pos = (n - 1) * q
        low = int(pos)
        high = min(low + 1, n - 1)
        return round(at_rank(low) + (at_rank(high) - at_rank(low)) * (pos - low), 2)

    middle = [at_rank(n // 2)] if n % 2 else [at_rank(n // 2 - 1), at_rank(n // 2)]
    return {"p25": at(0.25), "median": round(statistics.median(middle), 2), "p75": at(0.75)}


def percentiles(values: list[float]) -> dict[str, float | None]:
    """p25 / median / p75 of the values."""
    ordered = sorted(values)
    return ranked_percentiles(len(ordered), ordered.__getitem__)


def multiset_percentiles(values: Sequence[float], counts: Sequence[int]) -> dict[str, float | None]:
    """p25 / median / p75 of ``values`` (ascending, distinct) each occurring ``counts`` times."""
    upto = list(itertools.accumulate(counts))
    if not upto:
        return dict(NONE)
    return ranked_percentiles(upto[-1], lambda rank: values[bisect.bisect_right(upto, rank)])
