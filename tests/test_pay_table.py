"""The pay parser against a table of real-world-style strings; its accuracy is reported."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from scrapers.currency import load_rates
from scrapers.models import Pay
from scrapers.pay import parse_pay_text
from tests.conftest import FIXTURES

SHIPPED = load_rates()

TABLE = FIXTURES / "pay" / "table.tsv"
MIN_ACCURACY = 0.95


@dataclass(frozen=True)
class Row:
    line: int
    text: str
    expected: tuple[float | None, float | None, str, str] | None


def _number(raw: str) -> float | None:
    return float(raw) if raw.strip() else None


def load_table() -> list[Row]:
    rows = []
    for number, line in enumerate(TABLE.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if cells[1].strip() == "none":
            rows.append(Row(number, cells[0], None))
            continue
        text, low, high, currency, period = cells
        rows.append(Row(number, text, (_number(low), _number(high), currency, period)))
    return rows


def _as_tuple(pay: Pay | None) -> tuple[float | None, float | None, str, str] | None:
    return None if pay is None else (pay.min, pay.max, pay.currency, pay.period)


class _AccuracyReport:
    """Adds the parser's accuracy to the terminal summary of a normal pytest run."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        terminalreporter.write_sep("-", "pay parser accuracy")
        for line in self.lines:
            terminalreporter.write_line(line)


def test_table_is_large_and_mixed() -> None:
    rows = load_table()
    assert len(rows) >= 80
    negatives = [row for row in rows if row.expected is None]
    assert len(negatives) >= 20
    assert len(rows) - len(negatives) >= 60


def test_pay_table_accuracy(request: pytest.FixtureRequest) -> None:
    rows = load_table()
    misses = [(row, _as_tuple(parse_pay_text(row.text, SHIPPED))) for row in rows]
    misses = [(row, got) for row, got in misses if got != row.expected]
    accuracy = 1 - len(misses) / len(rows)
    lines = [
        f"pay table: {len(rows) - len(misses)}/{len(rows)} correct, "
        f"accuracy {accuracy:.1%} (required {MIN_ACCURACY:.0%})"
    ]
    lines += [
        f"  line {row.line}: {row.text!r} expected {row.expected} got {got}" for row, got in misses
    ]
    print("\n".join(lines))
    request.config.pluginmanager.register(_AccuracyReport(lines), "pay-table-accuracy")
    assert accuracy >= MIN_ACCURACY, "\n".join(lines)
