from tests.language import _english, client  # noqa: F401
