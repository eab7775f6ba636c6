"""The stop words now live in the shared language layer (network.text.stopwords)."""

from network.text.stopwords import ALL, DANISH, ENGLISH, NORWEGIAN

__all__ = ["ALL", "DANISH", "ENGLISH", "NORWEGIAN"]
