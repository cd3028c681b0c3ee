"""Run every benchmark and print its figures."""

from __future__ import annotations

from bench import ingest_board, parse_greenhouse


def main() -> None:
    parse_greenhouse.main()
    ingest_board.main()


if __name__ == "__main__":
    main()
