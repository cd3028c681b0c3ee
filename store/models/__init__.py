"""All SQLModel tables; importing this package registers every table on ``SQLModel.metadata``."""

from store.models.postings import Board, Company, Event, Posting, PostingChange, ScrapeRun

__all__ = ["Board", "Company", "Event", "Posting", "PostingChange", "ScrapeRun"]
