"""Invented demo data for `manage.py seed_demo`: organisations, offers, people and logins.

Everything here is generated from fixed seeds, so a second run finds the rows of the first.
Names of people and companies are combinations of common name parts, not real persons.
"""

# The one password of every demo login (printed by the command; never use it in production).
DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - a published demo password, by design

# A reserved domain (RFC 2606): demo logins never reach a real mailbox.
DEMO_EMAIL_DOMAIN = "demo.healthtech.example"

# The seed every generator derives its random streams from.
SEED = 2026
