"""Run every benchmark and print its figures."""

from __future__ import annotations

from bench import classify, company_view, hires, ingest_board, parse_greenhouse


def main() -> None:
    parse_greenhouse.main()
    ingest_board.main()
    classify.main()
    company_view.main()
    hires.main()


if __name__ == "__main__":
    main()
