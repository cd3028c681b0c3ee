"""How fast the default (spaCy) extractor reads a 1,000-item news feed."""

from __future__ import annotations

import json
import time
from itertools import cycle, islice
from pathlib import Path

from scrapers.hires import SpacyExtractor, load_alias_table, load_pipeline

SIZE = 1_000
TARGET = 1.0  # seconds per 50 items ("well under" is the goal)
DEV_SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "hires" / "news_dev.jsonl"


def items(size: int = SIZE) -> list[tuple[str, str]]:
    """Feed items cycling the development-set texts: a headline as the title, a sentence as
    the summary under an empty title."""
    rows = [
        json.loads(line)
        for line in DEV_SET.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    pairs = [((r["text"], "") if r["kind"] == "headline" else ("", r["text"])) for r in rows]
    return list(islice(cycle(pairs), size))


def main() -> None:
    start = time.perf_counter()
    load_pipeline()
    loaded = time.perf_counter() - start
    extractor = SpacyExtractor(load_alias_table())
    feed = items()
    start, cpu = time.perf_counter(), time.process_time()
    found = extractor.extract_many(feed)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    # CPU time as well: on a shared machine the wall clock also counts other processes.
    print(
        f"hires: {SIZE} feed items in {elapsed:.2f} s wall, {cpu:.2f} s CPU "
        f"({50 * elapsed / SIZE:.3f} s wall / {50 * cpu / SIZE:.3f} s CPU per 50 items, "
        f"target < {TARGET:.1f} s; {sum(map(len, found))} mentions; model load "
        f"{loaded:.2f} s once)"
    )


if __name__ == "__main__":
    main()
