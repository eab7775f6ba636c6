"""Test overlay on the one settings module: only what tests need to differ."""

import atexit
import os
import shutil
import tempfile

# Files the tests upload go to a directory of this test process, never var/media: test processes
# running side by side (make test) must not see each other's files. Set in the environment, so
# the Celery workers the broker tests start (which inherit it) read and write the same place.
os.environ["DJANGO_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="portal-test-media-")
atexit.register(shutil.rmtree, os.environ["DJANGO_MEDIA_ROOT"], ignore_errors=True)

from network.settings import *  # noqa: E402, F403

# Templates resolve {% static %} without a collected manifest, and the live server finds files.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run inline; the broker tests switch a real Redis-backed worker on for themselves.
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The staff MFA flags are cached as with Redis in production, so the tests see the invalidation.
STAFF_MFA_FLAGS_CACHE_SECONDS = 60
# No test asks the real business registers; tests/network/test_registers.py serves recorded answers.
PORTAL_BRREG_URL = ""
PORTAL_CVR_URL = ""
# A fixed key for secrets at rest (network/encryption.py), so tests never write one under var/.
PORTAL_ENCRYPTION_KEYS = ["dGVzdHMtb25seS1rZXksIG5ldmVyIHByb2R1Y3Rpb24="]  # 32 bytes, base64
PORTAL_ENCRYPTION_KEYS_FROM_ENV = True
# Page fragments are cached as with Redis in production; every write moves the data version at
# once, since a test's transaction never commits (network/page_cache.py).
PAGE_CACHE = True
PAGE_CACHE_BUMP_AT_ONCE = True
