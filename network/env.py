"""Small, strict readers for settings from the environment.

Secrets may also come from a file named by ``<NAME>_FILE`` (Docker/Kubernetes secrets), so they
never have to sit in the environment of every process.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env(name: str, default: str = "") -> str:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE)}, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def s3_storage() -> dict | None:
    """The "default" storage for an S3-compatible bucket, from PORTAL_S3_* and the AWS keys
    (each also from <NAME>_FILE), or None when no bucket is configured (local disk then).
    Private: nothing public-read; a file's .url is a signed URL valid for 5 minutes."""
    bucket = env("PORTAL_S3_BUCKET")
    if not bucket:
        return None
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env("PORTAL_S3_ENDPOINT_URL") or None,
            "region_name": env("PORTAL_S3_REGION") or None,
            "access_key": env("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY") or None,
            "addressing_style": env("PORTAL_S3_ADDRESSING_STYLE") or None,  # "path" for MinIO
            "default_acl": None,  # the bucket's own policy, private
            "querystring_auth": True,
            "querystring_expire": 300,
            "signature_version": "s3v4",
            "file_overwrite": False,
        },
    }
