"""A fresh S3 bucket for a test, configured the way production is: through the environment
(so a worker process started afterwards inherits it), on an S3-compatible server at `endpoint`."""

import uuid

import boto3

from network.env import s3_storage

KEYS = {"AWS_ACCESS_KEY_ID": "portal-test", "AWS_SECRET_ACCESS_KEY": "portal-test-secret"}


def make_bucket(endpoint: str, settings, monkeypatch):
    name = f"portal-{uuid.uuid4().hex[:12]}"
    for key, value in KEYS.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("PORTAL_S3_BUCKET", name)
    monkeypatch.setenv("PORTAL_S3_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("PORTAL_S3_REGION", "us-east-1")
    monkeypatch.setenv("PORTAL_S3_ADDRESSING_STYLE", "path")
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage()}
    return client, name


def keys(client, name: str, prefix: str) -> list[str]:
    listing = client.list_objects_v2(Bucket=name, Prefix=prefix)
    return [item["Key"] for item in listing.get("Contents", [])]
