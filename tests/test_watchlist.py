"""The shipped watchlist `sources.toml` loads and covers the AI labs it promises."""

from __future__ import annotations

from pathlib import Path

from service.sources import load_sources

SHIPPED = Path(__file__).resolve().parents[1] / "sources.toml"

EXPECTED = {
    "xAI": ("greenhouse", "xai"),
    "Anthropic": ("greenhouse", "anthropic"),
    "Google DeepMind": ("greenhouse", "deepmind"),
    "Figure AI": ("greenhouse", "figureai"),
    "Scale AI": ("greenhouse", "scaleai"),
    "Stability AI": ("greenhouse", "stabilityai"),
    "OpenAI": ("ashby", "openai"),
    "Mistral AI": ("ashby", "mistral.ai"),
    "Runway": ("ashby", "runway-ml"),
    "Physical Intelligence": ("ashby", "physicalintelligence"),
    "World Labs": ("ashby", "worldlabs"),
    "Perplexity": ("ashby", "perplexity"),
    "Cohere": ("ashby", "cohere"),
    "Character.ai": ("ashby", "character"),
    "Midjourney": ("ashby", "midjourney"),
    "Hugging Face": ("workable", "huggingface"),
}


def test_shipped_watchlist_names_the_ai_labs() -> None:
    sources = load_sources(SHIPPED)
    boards = {(b.company, b.ats, b.token) for b in sources.boards}
    for company, (ats, token) in EXPECTED.items():
        assert (company, ats, token) in boards, company
    assert sources.interval_minutes >= 1


def test_shipped_watchlist_reads_nvidia_on_workday_and_hacker_news() -> None:
    by_company = {b.company: b for b in load_sources(SHIPPED).boards}
    nvidia = by_company["NVIDIA"]
    assert nvidia.ats == "workday"
    assert nvidia.url == "https://nvidia.wd5.myworkdayjobs.com/NVIDIAExternalCareerSite"
    hn = by_company["Hacker News: Who is hiring"]
    assert (hn.ats, hn.token, hn.url, hn.api_base) == ("hackernews", None, None, None)


def test_shipped_watchlist_points_at_the_public_boards() -> None:
    # a local api_base left in the shipped file would silently read a test server
    assert all(b.api_base is None for b in load_sources(SHIPPED).boards)
