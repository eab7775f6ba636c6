"""Making and revoking API tokens."""

from django.db import transaction
from django.utils import timezone

from clusters.models_api import APIToken
from network.api.keys import display_prefix, hash_key, new_key


@transaction.atomic
def api_token_create(
    *, name, scopes, created_by, cluster=None, organisation=None, expires_at=None, rate_limit=""
) -> tuple[APIToken, str]:
    """The new token and its key; the key is not kept and cannot be shown again."""
    key = new_key()
    token = APIToken(
        name=name,
        scopes=sorted(scopes),
        cluster=cluster,
        organisation=organisation,
        created_by=created_by,
        expires_at=expires_at,
        rate_limit=rate_limit,
        prefix=display_prefix(key),
        key_hash=hash_key(key),
    )
    token.full_clean()
    token.save()
    return token, key


def api_token_revoke(*, token: APIToken, user) -> bool:
    """Revoke once; False when it already was."""
    updated = APIToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=user
    )
    return bool(updated)
