"""The pay parser on real posting text: a labelled set from public postings, job-board
captures and job threads, split by a hash of each text into a half the rules were tuned on
(dev) and a half they were not (test)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from scrapers.models import Pay
from scrapers.pay import parse_pay_text

DATA = Path(__file__).parent / "data" / "pay"
DEV_BAR = 0.95
TEST_FLOOR = 0.90

Expected = tuple[float | None, float | None, str, str] | None


@dataclass(frozen=True)
class Item:
    line: int
    text: str
    expected: Expected
    source: str


def load(half: str) -> list[Item]:
    items = []
    path = DATA / f"real_{half}.jsonl"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        row = json.loads(line)
        expected: Expected = None
        if row["currency"] is not None:
            expected = (row["min"], row["max"], row["currency"], row["period"])
        items.append(Item(number, row["text"], expected, row["source"]))
    return items


def _got(pay: Pay | None) -> Expected:
    return None if pay is None else (pay.min, pay.max, pay.currency, pay.period)


def _accuracy(items: list[Item]) -> tuple[float, list[tuple[Item, Expected]]]:
    misses = [(item, _got(parse_pay_text(item.text))) for item in items]
    misses = [(item, got) for item, got in misses if got != item.expected]
    return 1 - len(misses) / len(items), misses


def test_labelled_set_is_large_varied_and_split_by_hash() -> None:
    dev, test = load("dev"), load("test")
    items = dev + test
    assert len(items) >= 220
    assert sum(item.expected is None for item in items) >= 50
    assert len({item.text for item in items}) == len(items)
    assert all(item.source for item in items)
    currencies = {item.expected[2] for item in items if item.expected is not None}
    periods = {item.expected[3] for item in items if item.expected is not None}
    assert len(currencies) >= 10 and periods == {"hour", "day", "week", "month", "year"}
    for half, members in (("dev", dev), ("test", test)):
        for item in members:
            even = hashlib.sha256(item.text.encode()).digest()[0] % 2 == 0
            assert (half == "dev") == even, item.text


def test_dev_half_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    items = load("dev")
    accuracy, misses = _accuracy(items)
    report = [f"real pay text, dev half: {len(items) - len(misses)}/{len(items)} exact, "
              f"{accuracy:.1%} (required {DEV_BAR:.0%})"]
    report += [f"  dev line {item.line}: {item.text!r} expected {item.expected} got {got}"
               for item, got in misses]
    with capsys.disabled():
        print("\n" + "\n".join(report))
    assert accuracy >= DEV_BAR, "\n".join(report)


def test_test_half_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    items = load("test")
    accuracy, misses = _accuracy(items)
    with capsys.disabled():
        print(f"\nreal pay text, test half: {len(items) - len(misses)}/{len(items)} exact, "
              f"{accuracy:.1%} (floor {TEST_FLOOR:.0%}, target {DEV_BAR:.0%})")
    assert accuracy >= TEST_FLOOR, "\n".join(
        f"  test line {item.line}: {item.text!r} expected {item.expected} got {got}"
        for item, got in misses)
