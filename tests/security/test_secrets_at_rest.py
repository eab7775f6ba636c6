"""TOTP and recovery-code seeds are stored encrypted: a database dump reveals no seed, codes
still verify, existing plain seeds are encrypted by migration, keys can be rotated."""

import base64
import importlib
import json

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.apps import apps
from django.db import connection

from network import encryption
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("network.migrations.0012_security_hardening")
OTHER_KEY = base64.urlsafe_b64encode(b"another key, 32 bytes long......").decode()


def raw_data(authenticator_id: int) -> str:
    """The row as a dump shows it: straight from the table, past the ORM."""
    table = Authenticator._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT data FROM {table} WHERE id = %s", [authenticator_id])  # noqa: S608
        return cursor.fetchone()[0]


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_a_totp_secret_is_not_in_the_table_and_its_codes_still_verify():
    user = UserFactory(totp=False)
    secret = generate_totp_secret()
    totp = TOTP.activate(user, secret)
    stored = Authenticator.objects.filter(pk=totp.instance.pk).values_list("data", flat=True)[0]
    assert stored["secret"] != secret
    assert secret not in raw_data(totp.instance.pk)
    assert encryption.decrypt(stored["secret"]) == secret
    fresh = Authenticator.objects.get(pk=totp.instance.pk)
    assert TOTP(fresh).validate_code(current_code(secret))
    wrong = f"{(int(current_code(secret)) + 1) % 10**6:06d}"
    assert not TOTP(fresh).validate_code(wrong)


def test_recovery_codes_seed_is_encrypted_and_codes_still_work():
    user = UserFactory(totp=False)
    codes = RecoveryCodes.activate(user)
    seed = encryption.decrypt(codes.instance.data["seed"])
    assert seed not in raw_data(codes.instance.pk)
    fresh = RecoveryCodes(Authenticator.objects.get(pk=codes.instance.pk))
    first = fresh.get_unused_codes()[0]
    assert fresh.validate_code(first)


def test_the_migration_encrypts_plain_seeds_once_and_reverses():
    user = UserFactory(totp=False)
    secret = generate_totp_secret()
    plain = Authenticator.objects.create(user=user, type="totp", data={"secret": secret})
    other = UserFactory(totp=False)
    already = TOTP.activate(other, generate_totp_secret()).instance
    already_data = Authenticator.objects.get(pk=already.pk).data
    codes = Authenticator.objects.create(
        user=user, type="recovery_codes", data={"seed": "ab" * 40, "used_mask": 0}
    )

    migration.encrypt_secrets(apps, None)
    encrypted = Authenticator.objects.get(pk=plain.pk).data["secret"]
    assert secret not in raw_data(plain.pk)
    assert encryption.decrypt(encrypted) == secret
    assert "ab" * 40 not in raw_data(codes.pk)
    assert Authenticator.objects.get(pk=already.pk).data == already_data  # left alone

    migration.encrypt_secrets(apps, None)  # again: nothing changes
    assert Authenticator.objects.get(pk=plain.pk).data["secret"] == encrypted
    assert TOTP(Authenticator.objects.get(pk=plain.pk)).validate_code(current_code(secret))

    migration.decrypt_secrets(apps, None)
    assert Authenticator.objects.get(pk=plain.pk).data == {"secret": secret}


def test_a_new_key_first_still_reads_what_the_old_key_wrote(settings):
    old = settings.PORTAL_ENCRYPTION_KEYS[0]
    token = encryption.encrypt("JBSWY3DPEHPK3PXP")
    settings.PORTAL_ENCRYPTION_KEYS = [OTHER_KEY, old]
    assert encryption.decrypt(token) == "JBSWY3DPEHPK3PXP"
    rotated = encryption.rotate(token)
    settings.PORTAL_ENCRYPTION_KEYS = [OTHER_KEY]
    assert encryption.decrypt(rotated) == "JBSWY3DPEHPK3PXP"
    with pytest.raises(encryption.InvalidToken):
        encryption.decrypt(token)


def test_the_dump_of_an_enrolled_user_shows_no_seed():
    user = UserFactory(totp=False)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    dump = json.dumps(list(Authenticator.objects.filter(user=user).values("type", "data")))
    assert secret not in dump
    assert '"secret"' in dump  # the field is there, encrypted
