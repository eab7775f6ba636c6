"""Language helpers for tests: pages are Danish by default, some tests read them in English.

`_english` and `client` are fixtures; import both into a conftest.py to read that package's
pages as the msgids. `danish(msgid)` is what a default-language page shows for a message.
"""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def client(client, settings):
    """A browser that chose English with the language switch."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def danish(msgid: str) -> str:
    """The Danish catalogue's text for `msgid`; a test fails if it is left untranslated."""
    with translation.override("da"):
        text = translation.gettext(msgid)
    assert text != msgid, f"no Danish translation for {msgid!r}"
    return text
