"""Shared infrastructure of the read-only JSON API under /api/v1/ (tokens, scopes, throttling,
pagination, the schema) and the directory's own resources.

Nothing here imports the other apps: the token model is named in settings (API_TOKEN_MODEL) and
looked up through the app registry; each app wires its own resources in `<app>/api/urls.py`.
"""
