"""Joining the network: a person registers their organisation, asks to join one that is here,
or accepts an invitation; organisation admins manage their people.

rules.py says who may do what, services.py does it, views.py and forms.py are the pages.
"""
