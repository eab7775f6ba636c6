"""API keys: random, shown once, stored only as a hash."""

import hashlib
import secrets

KEY_PREFIX = "hnp_"
PREFIX_LENGTH = 12  # what the token pages show to tell keys apart


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    # The key carries 256 random bits, so one fast hash is enough (no salt or stretching).
    return hashlib.sha256(key.encode()).hexdigest()


def display_prefix(key: str) -> str:
    return key[:PREFIX_LENGTH]
