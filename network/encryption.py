"""Secrets kept in the database, encrypted at rest (TOTP seeds, recovery-code seeds).

Fernet (AES-128-CBC with HMAC-SHA256) with the keys of settings.PORTAL_ENCRYPTION_KEYS: the
first key encrypts, every key decrypts (MultiFernet), so a key is rotated by putting a new one
first, re-encrypting (`rotate`), then dropping the old one. A database dump without the keys
reveals no seed.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["InvalidToken", "decrypt", "encrypt", "is_encrypted", "rotate"]


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("PORTAL_ENCRYPTION_KEYS is empty: no key to encrypt with.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "PORTAL_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes; "
            'make one with `python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"`).'
        ) from exc


def _current() -> MultiFernet:
    return _fernet(tuple(settings.PORTAL_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return _current().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """The plain text; InvalidToken when `token` was not encrypted with any of the keys."""
    return _current().decrypt(token.encode()).decode()


def is_encrypted(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        decrypt(value)
    except InvalidToken:
        return False
    return True


def rotate(token: str) -> str:
    """`token` encrypted again with the first key."""
    return _current().rotate(token.encode()).decode("ascii")
