"""Secret receipts, the reporter's only key to a case (as GlobaLeaks), stored as a slow keyed hash.

A receipt is 20 decimal digits from the operating system's CSPRNG (about 66 bits). The database
keeps only Argon2id(receipt) with a salt derived from the server secret, so the hash is
deterministic (usable as a unique index: one hash per look-up, no scan) and worthless without the
server secret. Argon2id parameters follow the OWASP minimum (19 MiB, 2 passes).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from functools import lru_cache

from argon2.low_level import Type, hash_secret_raw

from services.core.settings import get_settings

RECEIPT_DIGITS = 20
ARGON2_TIME_COST = 2
ARGON2_MEMORY_KIB = 19 * 1024
ARGON2_PARALLELISM = 1
_SEPARATORS = re.compile(r"[\s\-]+")
_NEVER_ISSUED = "0" * RECEIPT_DIGITS  # hashed for malformed input, so both answers take as long


def new_receipt() -> str:
    return f"{secrets.randbelow(10**RECEIPT_DIGITS):0{RECEIPT_DIGITS}d}"


def grouped(receipt: str) -> str:
    """'1234 5678 9012 3456 7890': easier to copy by hand."""
    return " ".join(receipt[i : i + 4] for i in range(0, len(receipt), 4))


def normalise(text: str) -> str | None:
    """The receipt's digits, or None when `text` is not a well-formed receipt."""
    digits = _SEPARATORS.sub("", text or "")
    if len(digits) != RECEIPT_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits


@lru_cache(maxsize=4)
def _salt(secret: str) -> bytes:
    return hmac.new(secret.encode(), b"complaint-receipt-v1", hashlib.sha256).digest()[:16]


def receipt_key(receipt: str) -> str:
    """The stored form of a receipt (hex)."""
    salt = _salt(get_settings().secret_key.get_secret_value())
    return hash_secret_raw(
        secret=receipt.encode(),
        salt=salt,
        time_cost=ARGON2_TIME_COST,
        memory_cost=ARGON2_MEMORY_KIB,
        parallelism=ARGON2_PARALLELISM,
        hash_len=32,
        type=Type.ID,
    ).hex()


def lookup_key(text: str) -> str | None:
    """The key to look a typed receipt up by; None for malformed input, after the same work."""
    digits = normalise(text)
    key = receipt_key(digits or _NEVER_ISSUED)
    return key if digits is not None else None
