"""All SQLModel tables; importing this package registers every table on ``SQLModel.metadata``."""

import store.generation_triggers  # noqa: F401  (create_all installs the generation's triggers)
from store.models.hires import Hire
from store.models.keys import ApiKey
from store.models.leases import BoardLease
from store.models.news import Feed, FeedItem
from store.models.postings import Board, Company, Event, Posting, PostingChange, ScrapeRun
from store.models.rollups import CompanyPay, PayRollup, PostingRollup
from store.models.webhooks import Delivery, DeliveryAttempt, Subscription

__all__ = [
    "ApiKey",
    "Board",
    "BoardLease",
    "Company",
    "CompanyPay",
    "Delivery",
    "DeliveryAttempt",
    "Event",
    "Feed",
    "FeedItem",
    "Hire",
    "PayRollup",
    "Posting",
    "PostingChange",
    "PostingRollup",
    "ScrapeRun",
    "Subscription",
]
