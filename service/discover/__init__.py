"""``talentflow sources discover``: find a company's public job boards."""

from service.discover.core import Candidate, Discovery, discover, looks_like_url

__all__ = ["Candidate", "Discovery", "discover", "looks_like_url"]
