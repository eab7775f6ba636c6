"""Introductions with double opt-in: requests, answers, expiry, meetings, notifications.

transitions.py  the life cycle as data (no ORM)
permissions.py  who may see, ask, answer, report and nudge
services.py     every write, with its notifications
contacts.py     which contact details a viewer may see
digest.py       the weekly digest
tasks.py        Celery wrappers (expiry and reminders, digest)
views.py        pages
"""
