from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, is_network_admin=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A login. Signs in with the email address; what the person is lives on Person."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    is_network_admin = models.BooleanField(
        _("network admin"),
        default=False,
        help_text=_("Oversees all clusters and exports funding reports."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        default="da",
        choices=[("da", "Dansk"), ("nb", "Norsk bokmål"), ("en", "English")],
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # The member import finds a contact by login address in any case.
        indexes = [models.Index(Lower("email"), name="user_email_lower")]

    def __str__(self):
        return self.get_full_name() or self.email
