"""Synthetic Greenhouse-shaped boards for benchmarks."""

from __future__ import annotations

import html
from typing import Any

PARAGRAPH = (
    "<p>We train frontier multimodal models and the systems that serve them. "
    "You will work across pretraining, post-training and inference.</p>"
)


def greenhouse_job(n: int) -> dict[str, Any]:
    return {
        "id": 4_000_000 + n,
        "internal_job_id": 9_000_000 + n,
        "title": f"  Member of Technical Staff {n}  ",
        "updated_at": "2026-11-01T10:00:00-04:00",
        "first_published": "2026-10-01T10:00:00-04:00",
        "requisition_id": f"R-{n}",
        "location": {"name": "San Francisco, CA | New York City, NY"},
        "absolute_url": f"https://job-boards.greenhouse.io/bench/jobs/{4_000_000 + n}",
        "language": "en",
        "company_name": "Bench",
        "metadata": [
            {"id": 1, "name": "Location Type", "value": "Hybrid", "value_type": "single_select"}
        ],
        "content": html.escape(PARAGRAPH * 12 + "<p>Base pay: $180,000 - $440,000.</p>"),
        "departments": [{"id": 1, "name": "Research", "parent_id": None, "child_ids": []}],
        "offices": [],
        "pay_input_ranges": [
            {
                "min_cents": 18_000_000,
                "max_cents": 44_000_000,
                "currency_type": "USD",
                "title": "Base",
                "blurb": "",
            }
        ],
    }


def greenhouse_board(size: int) -> dict[str, Any]:
    return {"jobs": [greenhouse_job(n) for n in range(size)], "meta": {"total": size}}
