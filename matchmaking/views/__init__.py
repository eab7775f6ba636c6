"""Matchmaking pages: needs, a company's matches, who fits a target, and the admins' runs."""
