"""Process settings from the environment (and `.env`), with safe local defaults."""

from __future__ import annotations

import base64
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from limits import parse as parse_rate_limit
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from services.core.client_address import IPNetwork, parse_networks

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VAR_DIR = PROJECT_ROOT / "var"
CONTENT_DIR = PROJECT_ROOT / "content"


def _local_secret(name: str = "secret_key", make=lambda: secrets.token_urlsafe(48)) -> str:
    """A per-checkout secret kept in var/ so a single-process dev portal needs no setup.

    Deployments with several processes must set PORTAL_SECRET_KEY (and PORTAL_VAULT_KEY) to one
    shared value.
    """
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def _local_vault_key() -> str:
    # 32 random bytes, url-safe base64: the format of a Fernet key
    return _local_secret("vault_key", lambda: base64.urlsafe_b64encode(os.urandom(32)).decode())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{VAR_DIR / 'portal.db'}",
        validation_alias="DATABASE_URL",
    )
    redis_url: str | None = Field(default=None, validation_alias="REDIS_URL")
    secret_key: SecretStr = Field(
        default_factory=lambda: SecretStr(_local_secret()),
        validation_alias="PORTAL_SECRET_KEY",
    )
    # Fernet keys (comma-separated, newest first) sealing reporters' identities and evidence
    vault_key: SecretStr = Field(
        default_factory=lambda: SecretStr(_local_vault_key()),
        validation_alias="PORTAL_VAULT_KEY",
    )
    session_hours: float = Field(default=8.0, validation_alias="PORTAL_SESSION_HOURS", gt=0)
    lockout_threshold: int = Field(default=5, validation_alias="PORTAL_LOCKOUT_THRESHOLD", ge=1)
    lockout_minutes: float = Field(default=15.0, validation_alias="PORTAL_LOCKOUT_MINUTES", gt=0)
    # the wait before a sign-in after one failure for the same account from the same address;
    # it doubles with each further failure, up to the maximum (services/core/accounts.py)
    login_delay_seconds: float = Field(
        default=0.5, validation_alias="PORTAL_LOGIN_DELAY_SECONDS", ge=0
    )
    login_delay_max_seconds: float = Field(
        default=4.0, validation_alias="PORTAL_LOGIN_DELAY_MAX_SECONDS", ge=0
    )
    cookie_secure: bool = Field(default=False, validation_alias="PORTAL_COOKIE_SECURE")
    auto_migrate: bool = Field(default=True, validation_alias="PORTAL_AUTO_MIGRATE")
    # 环办〔2011〕22号 "heavily polluted" river: share of class I-III sections below 75 % (bureau
    # FAQ) or 60 % (recollection of the original); unverified, so configurable and shown as such
    water_heavy_below: int = Field(default=75, validation_alias="PORTAL_WATER_HEAVY_BELOW")
    # requests per client address to the open-data routes (portal/kit/http.py), `limits` notation
    api_rate_limit: str = Field(default="120/minute", validation_alias="PORTAL_API_RATE_LIMIT")
    # reverse proxies whose X-Forwarded-For is believed (services/core/client_address.py): IPs or
    # CIDR networks, comma-separated; empty trusts nobody and every client is its TCP peer
    trusted_proxies: Annotated[tuple[IPNetwork, ...], NoDecode] = Field(
        default=(), validation_alias="PORTAL_TRUSTED_PROXIES"
    )

    @field_validator("water_heavy_below")
    @classmethod
    def _one_of_the_two_readings(cls, value: int) -> int:
        if value not in (60, 75):
            raise ValueError("PORTAL_WATER_HEAVY_BELOW must be 75 or 60")
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxy_networks(cls, value: object) -> tuple[IPNetwork, ...]:
        items = value.split(",") if isinstance(value, str) else value or ()
        try:
            return parse_networks(str(item) for item in items)
        except ValueError as error:
            raise ValueError(
                f"PORTAL_TRUSTED_PROXIES must list IP addresses or networks, "
                f"comma-separated (127.0.0.1,10.0.0.0/8); {error}"
            ) from None

    @field_validator("api_rate_limit")
    @classmethod
    def _a_rate_limit(cls, value: str) -> str:
        try:
            allowed = parse_rate_limit(value).amount
        except ValueError:
            allowed = 0
        if allowed < 1:
            raise ValueError(f"PORTAL_API_RATE_LIMIT must be a rate like 120/minute or "
                             f"1000/hour (at least one request), not {value!r}")  # fmt: skip
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
