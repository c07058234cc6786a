"""The sealed record: reporter identities, exact locations and original evidence, encrypted at rest.

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) under the vault key from the server's
secrets (PORTAL_VAULT_KEY, comma-separated with the newest first so keys can be rotated). A database
dump alone reveals nothing readable. Opening a sealed item is the caller's to audit.
"""

from __future__ import annotations

import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from services.core.settings import get_settings


class VaultError(RuntimeError):
    """A sealed item could not be opened (wrong key or damaged data)."""


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])


def _vault() -> MultiFernet:
    return _fernet(get_settings().vault_key.get_secret_value())


def seal(data: bytes) -> bytes:
    return _vault().encrypt(data)


def unseal(token: bytes) -> bytes:
    try:
        return _vault().decrypt(token)
    except InvalidToken as error:
        raise VaultError("the sealed item cannot be opened with the configured keys") from error


def seal_json(value: dict[str, object]) -> bytes:
    return seal(json.dumps(value, ensure_ascii=False, sort_keys=True).encode())


def unseal_json(token: bytes) -> dict[str, object]:
    return json.loads(unseal(token))
