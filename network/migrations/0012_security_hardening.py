"""Encrypt the TOTP and recovery-code seeds allauth stored in plain text (network.encryption).

Idempotent: a value that already decrypts with the configured keys is left alone, so running it
on a partly encrypted table (or again) changes nothing. Reversing decrypts them again.
"""

from django.db import migrations

# The fields of allauth.mfa's Authenticator.data that hold secrets, per authenticator type.
SECRET_FIELDS = {"totp": ("secret",), "recovery_codes": ("seed",)}
SECRET_LISTS = {"recovery_codes": ("migrated_codes",)}


def _convert(apps, change) -> None:
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=SECRET_FIELDS).iterator():
        data = dict(authenticator.data or {})
        changed = False
        for name in SECRET_FIELDS[authenticator.type]:
            if isinstance(data.get(name), str):
                new = change(data[name])
                changed |= new != data[name]
                data[name] = new
        for name in SECRET_LISTS.get(authenticator.type, ()):
            if isinstance(data.get(name), list):
                new = [change(value) for value in data[name]]
                changed |= new != data[name]
                data[name] = new
        if changed:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt_secrets(apps, schema_editor):
    from network import encryption

    def encrypt(value: str) -> str:
        return value if encryption.is_encrypted(value) else encryption.encrypt(value)

    _convert(apps, encrypt)


def decrypt_secrets(apps, schema_editor):
    from network import encryption

    def decrypt(value: str) -> str:
        return encryption.decrypt(value) if encryption.is_encrypted(value) else value

    _convert(apps, decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0011_norwegian_municipalities"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets, elidable=False)]
