"""API tokens. Only a hash is stored: the token itself is shown once, when it is made."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A token's last use is shown to the minute (``localise.moment``).
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_token(raw: str) -> str:
    """The stored form of a token (tokens are long and random, so a plain SHA-256 suffices)."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        """Make a token for ``user``; returns the record and the raw token to show once."""
        raw = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:8], key_hash=hash_token(raw))
        return token, raw

    @classmethod
    def authenticate(cls, raw: str):
        """The active user owning the unrevoked token ``raw``, or None."""
        token = (
            cls.objects.select_related("user")
            .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token is None:
            return None
        now = timezone.now()
        # Written once a minute at most, the precision the tokens page shows it with: a phone
        # calls the API many times a minute, and each call would otherwise write a row.
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


class Gender(models.TextChoices):
    """Self-declared, for the cooperative's anonymous equality figures only."""

    WOMAN = "woman", _("woman")
    MAN = "man", _("man")
    OTHER = "other", _("in another way")
    UNSAID = "", _("prefer not to say")


class Profile(models.Model):
    """What a person chooses about their own account: the language of every page and email
    they get, and (optionally) their gender for the equality figures."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Leave empty to follow your browser's language."),
    )
    gender = models.CharField(
        _("gender"),
        max_length=10,
        choices=Gender.choices,
        blank=True,
        help_text=_(
            "Optional. Used only in anonymous figures (for example the share of women "
            "among workers), never shown with your name."
        ),
    )
    desired_weekly_hours = models.PositiveSmallIntegerField(
        _("hours a week you would like to work"),
        null=True,
        blank=True,
        help_text=_(
            "If you work for the cooperative. Counted, without your name, to see whether "
            "workers get the hours they want."
        ),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)


def profile_of(user) -> Profile:
    """``user``'s profile, empty until they choose something."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        return Profile(user=user)
