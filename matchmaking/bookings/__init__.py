"""Test periods at test sites: an SME asks, the site's people answer, both evaluate."""
