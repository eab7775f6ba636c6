"""Explicit extension points for the apps above `network`.

`network` must not import them (projects -> matchmaking -> clusters -> network), yet they need
to know when a profile, test site or knowledge offer changed. They register a callable here in
their AppConfig.ready(); network's services call `profile_changed_on_commit` when they save.
A plain registry rather than a signal: the calls are visible where they happen.
"""

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)

# Callables taking (kind, pk); kind is "organisation", "test_site" or "knowledge_offer".
profile_changed: list[Callable[[str, int], None]] = []


def register_profile_changed(callback: Callable[[str, int], None]) -> None:
    if callback not in profile_changed:
        profile_changed.append(callback)


def notify_profile_changed(kind: str, pk: int) -> None:
    for callback in list(profile_changed):
        try:
            callback(kind, pk)
        except Exception:  # the save has committed; a listener's failure must not undo it
            logger.exception("profile_changed listener %r failed for %s %s", callback, kind, pk)


def profile_changed_on_commit(kind: str, pk: int) -> None:
    """Tell the listeners once the current transaction commits (never on rollback)."""
    transaction.on_commit(lambda: notify_profile_changed(kind, pk))


# Callables taking (kind, pks): many profiles changed at once (a daily staleness run), told in
# one call so that matching brings them up to date in one run rather than one run each.
profiles_changed: list[Callable[[str, list[int]], None]] = []


def register_profiles_changed(callback: Callable[[str, list[int]], None]) -> None:
    if callback not in profiles_changed:
        profiles_changed.append(callback)


def profiles_changed_on_commit(kind: str, pks) -> None:
    pks = list(pks)

    def notify():
        for callback in list(profiles_changed):
            try:
                callback(kind, pks)
            except Exception:
                logger.exception("profiles_changed listener %r failed for %s", callback, kind)

    if pks:
        transaction.on_commit(notify)


# --- Merging duplicate organisations ------------------------------------------------------------
# network.merge moves every row that points at the removed organisation to the kept one, found
# generically from Organisation's relations. Where a related model has rules of its own (two
# memberships of one cluster, two matches for one target), its app registers a callable here,
# keyed by the model's label ("clusters.Membership"). network.merge calls it before the move,
# inside the merge's transaction, as rule(kept=..., removed=...); it resolves the rows that would
# collide (or raises network.merge.MergeError) and returns {description: count} for the record.
merge_rules: dict[str, Callable[..., dict[str, int]]] = {}


def register_merge_rule(model_label: str, rule: Callable[..., dict[str, int]]) -> None:
    merge_rules[model_label] = rule


# A merge moves affiliations in bulk (no save signals), so what an app keeps per user about
# their organisations (clusters: the cached menu and MFA flags) must hear of it. Callables
# taking the set of user ids whose affiliations moved; called when the merge commits.
affiliations_moved: list[Callable[[set[int]], None]] = []


def register_affiliations_moved(callback: Callable[[set[int]], None]) -> None:
    if callback not in affiliations_moved:
        affiliations_moved.append(callback)


def affiliations_moved_on_commit(user_ids: set[int]) -> None:
    def notify():
        for callback in affiliations_moved:
            callback(user_ids)

    if user_ids:
        transaction.on_commit(notify)


# --- Review before publication ------------------------------------------------------------------
# Who reviews an organisation's profile and items is a clusters fact (the staff of the clusters
# it belongs to or applies to). clusters registers a callable(organisation_id) returning those
# users' ids; without one, only network admins review (network.moderation).
reviewer_ids: list[Callable[[int], set[int]]] = []


def register_reviewers(callback: Callable[[int], set[int]]) -> None:
    if callback not in reviewer_ids:
        reviewer_ids.append(callback)


def reviewers_of(organisation_id: int) -> set[int]:
    ids: set[int] = set()
    for callback in reviewer_ids:
        ids |= set(callback(organisation_id))
    return ids


# --- Joining an organisation --------------------------------------------------------------------
# Who looks after an organisation that cannot answer for itself (no admins yet, or a public body
# whose people ask to join): the staff of its clusters, or of the clusters covering its region.
# clusters registers a callable(organisation_id) returning those users' ids.
steward_ids: list[Callable[[int], set[int]]] = []


def register_stewards(callback: Callable[[int], set[int]]) -> None:
    if callback not in steward_ids:
        steward_ids.append(callback)


def stewards_of(organisation_id: int) -> set[int]:
    ids: set[int] = set()
    for callback in steward_ids:
        ids |= set(callback(organisation_id))
    return ids


# --- A test site's capacity and opening window ----------------------------------------------------
# Apps above keep commitments a test site's owners must not edit away (bookings: accepted test
# periods fill its capacity and lie inside its window). They register a callable(site_id,
# capacity=, available_from=, available_until=) returning {field name: message} for values
# those commitments cannot take; network's test site form shows the messages as field errors.
site_commitment_checks: list[Callable[..., dict[str, str]]] = []


def register_site_commitment_check(callback: Callable[..., dict[str, str]]) -> None:
    if callback not in site_commitment_checks:
        site_commitment_checks.append(callback)


def site_commitment_errors(site_id: int, **values) -> dict[str, str]:
    errors: dict[str, str] = {}
    for callback in site_commitment_checks:
        for field, message in callback(site_id, **values).items():
            errors.setdefault(field, message)
    return errors
