"""Enrichment: everything derived from a parsed posting, with the configured taxonomy and rates.

The pipeline is fetch → parse (pure, rate-free, in the source modules) → ``enrich`` → ingest.
This is where topics, function and seniority are assigned and where pay is settled:

- a structured band keeps its figures; when the board named no period (``Pay.period`` None) the
  period is guessed from the amount's size in US dollars at the given rates;
- a posting without a structured band gets the first band published in its ``pay_text`` (read
  with ``parse_pay_text`` and the given rates; a bare "$" is the dollar of where the posting
  is, ``scrapers.pay.local``), or none;
- the settled band is annualised and converted to US dollars with the same rates;
- a list-only posting (``hydrated`` False) is completed from its stored version, which the
  caller passes in, so it is classified and priced whole.

Nothing here falls back to the shipped rates or taxonomy: callers pass what is configured
(``service.scrape.rates_for`` / ``taxonomy_for``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

from scrapers.currency import Rates
from scrapers.enrich.topics import Classification
from scrapers.models import BoardSnapshot, NormalizedPosting, Pay
from scrapers.pay import AnnualPay, annualise, parse_pay_text, period_from_magnitude
from scrapers.pay.local import local_dollar

# A posting -> its topics alone, or its full classification (topics, function, seniority).
# A ``Taxonomy`` is one.
Classifier = Callable[[NormalizedPosting], Classification | list[str]]


@dataclass(frozen=True)
class EnrichedPosting:
    """A posting whose pay is settled (a known period, ``pay_text`` read), with its annual and
    US-dollar figures and its labels.

    The labels are worked out on first use: classifying is most of enrich's cost, and ingest
    needs them only for new and changed postings.
    """

    posting: NormalizedPosting
    annual: AnnualPay | None
    taxonomy: Classifier = field(repr=False, compare=False)

    @cached_property
    def labels(self) -> Classification | list[str]:
        return self.taxonomy(self.posting)

    @property
    def pay(self) -> Pay | None:
        return self.posting.pay


@dataclass(frozen=True)
class EnrichedSnapshot:
    """One fetched snapshot after enrichment; ``snapshot`` keeps what the fetch reported
    (completeness, ETag, warnings)."""

    snapshot: BoardSnapshot
    postings: tuple[EnrichedPosting, ...]
    # The fetched postings with their pay settled, before list-only ones were completed from
    # the store: what the board sent, so an unchanged board hashes alike run after run.
    fetched_hash: str

    def content_hash(self) -> str:
        return self.fetched_hash


def settle_pay(posting: NormalizedPosting, rates: Rates) -> Pay | None:
    """The posting's band with a known period, or the first one its pay texts publish."""
    pay = posting.pay
    if pay is not None:
        if pay.period is not None:
            return pay
        top = max((x for x in (pay.min, pay.max) if x is not None), default=0.0)
        return replace(pay, period=period_from_magnitude(top, pay.currency, rates))
    if not posting.pay_text:
        return None
    dollar = local_dollar(posting.locations)  # only for postings whose pay is in their text
    for text in posting.pay_text:
        found = parse_pay_text(text, rates, dollar=dollar)
        if found is not None:
            return found
    return None


def _settled(posting: NormalizedPosting, rates: Rates) -> NormalizedPosting:
    return replace(posting, pay=settle_pay(posting, rates), pay_text=())


def _whole(
    posting: NormalizedPosting, stored: Mapping[str, NormalizedPosting]
) -> NormalizedPosting:
    """A list-only posting as stored, with the title and URL the board lists now."""
    known = stored.get(posting.external_id)
    if posting.hydrated or known is None:
        return posting
    return replace(
        known, title=posting.title, url=posting.url or known.url, company=posting.company
    )


def enrich_posting(
    posting: NormalizedPosting, taxonomy: Classifier, rates: Rates
) -> EnrichedPosting:
    settled = _settled(posting, rates)
    pay = settled.pay
    return EnrichedPosting(
        posting=settled, annual=annualise(pay, rates) if pay else None, taxonomy=taxonomy
    )


def enrich(
    snapshot: BoardSnapshot,
    taxonomy: Classifier,
    rates: Rates,
    stored: Mapping[str, NormalizedPosting] | None = None,
) -> EnrichedSnapshot:
    """Settle pay, annualise it and classify every posting of one snapshot.

    `stored` holds the stored versions of the snapshot's list-only postings, by external id
    (``store.ingest.stored_details``); without them such postings keep their stored details,
    band and labels at ingest.
    """
    settled = tuple(_settled(p, rates) for p in snapshot.postings)
    fetched_hash = replace(snapshot, postings=settled).content_hash()
    postings = tuple(
        enrich_posting(_whole(p, stored), taxonomy, rates)
        if stored and not p.hydrated
        else EnrichedPosting(
            posting=p, annual=annualise(p.pay, rates) if p.pay else None, taxonomy=taxonomy
        )
        for p in settled
    )
    return EnrichedSnapshot(snapshot=snapshot, postings=postings, fetched_hash=fetched_hash)


__all__ = [
    "Classifier",
    "EnrichedPosting",
    "EnrichedSnapshot",
    "enrich",
    "enrich_posting",
    "settle_pay",
]
