"""Re-apply a (possibly edited) taxonomy to every stored posting, in batches."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from scrapers.enrich import Classifier
from store import rollups
from store.engine import session_scope
from store.ingest import apply_labels, stored_as_normalized
from store.models import Posting

DEFAULT_BATCH_SIZE = 500


@dataclass
class ReclassifyResult:
    checked: int = 0
    changed: int = 0
    # How many postings gained (+) or lost (-) each topic, function and seniority.
    delta: Counter[str] = field(default_factory=Counter)


def _labels(posting: Posting) -> tuple[tuple[str, ...], str | None, str | None]:
    return tuple(sorted(posting.topics or [])), posting.function, posting.seniority


def _count_delta(
    delta: Counter[str],
    before: tuple[tuple[str, ...], str | None, str | None],
    after: tuple[tuple[str, ...], str | None, str | None],
) -> None:
    for topic in set(after[0]) - set(before[0]):
        delta[f"topic:{topic}"] += 1
    for topic in set(before[0]) - set(after[0]):
        delta[f"topic:{topic}"] -= 1
    for kind, old, new in (("function", before[1], after[1]), ("seniority", before[2], after[2])):
        if old != new:
            if new:
                delta[f"{kind}:{new}"] += 1
            if old:
                delta[f"{kind}:{old}"] -= 1


def reclassify_postings(
    engine: Engine,
    classify: Classifier,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
    on_batch: Callable[[ReclassifyResult], None] | None = None,
) -> ReclassifyResult:
    """Classify every posting again and store what changed; one transaction per batch,
    walking ids upwards so a long run never holds one big transaction. History and events
    are not written: labels are derived data, not a change of the posting."""
    result = ReclassifyResult()
    after = 0
    while True:
        with session_scope(engine) as session:
            batch = list(
                session.exec(
                    select(Posting)
                    .where(col(Posting.id) > after)
                    .order_by(col(Posting.id))
                    .limit(batch_size)
                )
            )
            if not batch:
                break
            for posting in batch:
                before = _labels(posting)
                apply_labels(posting, classify(stored_as_normalized(posting)))
                now = _labels(posting)
                result.checked += 1
                if now != before:
                    result.changed += 1
                    _count_delta(result.delta, before, now)
                    if not dry_run:
                        rollups.touch_posting(session, posting)
                        session.add(posting)
            after = batch[-1].id or after
            if dry_run:
                session.rollback()
        if on_batch:
            on_batch(result)
    return result
