"""Matchmaking's API resources: published needs and anonymised statistics per cluster."""
