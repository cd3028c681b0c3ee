"""Training the model of the company a hired person left (``learned.py``) on labelled news.

    python -m scrapers.hires.learn tests/data/hires/news_dev.jsonl \\
        tests/data/hires/news_round2_dev.jsonl tests/data/hires/news_round3_dev.jsonl

Only development halves may be given: the held-out halves measure the model. The extractor runs
over every item with the model off; every hire that matches a labelled one (same person, same
company joined) gives one row per candidate company left, labelled by whether it is the company
the label says was left. Regularisation and threshold are chosen by cross-validation with folds
grouped by item (no item trains the fold that scores it); the model is then fitted on every row
and written with the files and figures it came from. Needs scikit-learn (the ``dev`` extra).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapers.hires.aliases import AliasTable, load_alias_table, strip_suffix
from scrapers.hires.learned import PREVIOUS_FILE, Candidate, LogisticModel
from scrapers.hires.models import HireMention

# The companies the labelled sets are scored with (the tests score with these too).
WATCHLIST = ("xAI", "Anthropic", "Google DeepMind", "Figure AI", "Scale AI", "NVIDIA")
GRID_C = (0.1, 0.3, 1.0, 3.0)
GRID_THRESHOLD = (0.3, 0.4, 0.5, 0.6, 0.7)
FOLDS = 5


@dataclass
class Row:
    """One hire's choice: its candidates' features and which of them are right (none right:
    the label says no company was left)."""

    item: str
    features: list[Mapping[str, float]]
    labels: list[int]
    rules_right: bool


def _key(name: str | None, aliases: AliasTable) -> str | None:
    return aliases.resolve(strip_suffix(name)).casefold() if name else None


def _items(paths: Sequence[Path]) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for path in paths
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def _run(extractor: Any, item: dict[str, Any]) -> None:
    text = str(item["text"])
    if item["kind"] == "headline":
        extractor.extract(text, "")
    else:
        extractor.extract("", text)


def rows(items: Sequence[dict[str, Any]], aliases: AliasTable) -> list[Row]:
    """The training rows of the labelled items."""
    from scrapers.hires.parse import SpacyExtractor

    extractor = SpacyExtractor(aliases, learned=False)
    seen: list[tuple[HireMention, list[Candidate]]] = []
    extractor.observe = lambda mention, candidates: seen.append((mention, candidates))
    out: list[Row] = []
    for item in items:
        seen.clear()
        _run(extractor, item)
        gold = {(str(p), _key(t, aliases)): _key(f, aliases) for p, f, t in item["hires"]}
        for mention, candidates in seen:
            key = (mention.person, _key(mention.to_company, aliases))
            if key not in gold or not candidates:
                continue
            left = gold[key]
            labels = [int(_key(c.company, aliases) == left) for c in candidates]
            rules = _key(mention.from_company, aliases) == left
            out.append(Row(str(item["id"]), [c.features for c in candidates], labels, rules))
    return out


def fit(data: Sequence[Row], c: float, threshold: float = 0.5) -> LogisticModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    features = [f for row in data for f in row.features]
    labels = [label for row in data for label in row.labels]
    vectoriser = DictVectorizer(sparse=False)
    x = vectoriser.fit_transform(features)
    fitted = LogisticRegression(C=c, solver="liblinear", max_iter=1000, random_state=0).fit(
        x, labels
    )
    weights = {
        name: round(float(w), 6)
        for name, w in zip(vectoriser.get_feature_names_out(), fitted.coef_[0], strict=True)
        if abs(w) > 1e-9
    }
    return LogisticModel(weights, round(float(fitted.intercept_[0]), 6), threshold)


def choice_right(model: LogisticModel, row: Row) -> bool:
    """Whether the company left chosen is the labelled one (or none, when none is)."""
    best, p = max(
        ((n, model.probability(f)) for n, f in enumerate(row.features)), key=lambda x: x[1]
    )
    chosen = best if p >= model.threshold else None
    return row.labels[chosen] == 1 if chosen is not None else not any(row.labels)


def choice_accuracy(model: LogisticModel, data: Sequence[Row]) -> float:
    return sum(choice_right(model, r) for r in data) / len(data) if data else 0.0


Metric = Callable[[LogisticModel, Sequence[Row]], float]


def cross_validate(data: Sequence[Row], metric: Metric) -> tuple[float, float, float]:
    """(C, threshold, figure) with the best figure pooled over folds grouped by item."""
    fold_of = {r.item: int(hashlib.sha256(r.item.encode()).hexdigest(), 16) % FOLDS for r in data}
    best = (GRID_C[0], GRID_THRESHOLD[0], -1.0)
    for c in GRID_C:
        models = [fit([r for r in data if fold_of[r.item] != k], c) for k in range(FOLDS)]
        for threshold in GRID_THRESHOLD:
            pooled: list[float] = []
            for k, model in enumerate(models):
                model.threshold = threshold
                pooled.append(metric(model, [r for r in data if fold_of[r.item] == k]))
            figure = sum(pooled) / len(pooled)
            if figure > best[2]:
                best = (c, threshold, figure)
    return best


def train(paths: Sequence[Path]) -> dict[str, Any]:
    data = rows(_items(paths), load_alias_table(list(WATCHLIST)))
    c, threshold, held = cross_validate(data, choice_accuracy)
    model = fit(data, c, threshold)
    return {
        "about": "which company of the item a hire left; figures: share of hires chosen right",
        "trained_on": [
            {"file": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()} for p in paths
        ],
        "rows": len(data),
        "rules": round(sum(r.rules_right for r in data) / len(data), 4),
        "cross_validated": round(held, 4),
        "on_training_rows": round(choice_accuracy(model, data), 4),
        "c": c,
        "threshold": model.threshold,
        "intercept": model.intercept,
        "weights": dict(sorted(model.weights.items())),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="labelled development halves")
    parser.add_argument("--out", type=Path, default=PREVIOUS_FILE)
    args = parser.parse_args(argv)
    if any("test" in p.name for p in args.files):
        parser.error("held-out (test) halves measure the model; train on development halves")
    record = train(args.files)
    args.out.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"{record['rows']} hires: rules right {record['rules']:.3f}, model "
        f"{record['cross_validated']:.3f} cross-validated (C={record['c']}, threshold "
        f"{record['threshold']}), {record['on_training_rows']:.3f} on its training rows"
    )


if __name__ == "__main__":
    main()
