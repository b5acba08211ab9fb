"""The record of every reset of a person's MFA: who reset whose, when and how.

The devices themselves are django-otp's: a ``TOTPDevice`` (the authenticator app) and a
``StaticDevice`` holding the single-use recovery codes.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class MFAReset(models.Model):
    """One reset: the person's authenticator app and recovery codes were removed, so they set up
    a new app at their next sign-in. Usernames are copied, so the record outlives the logins."""

    class Via(models.TextChoices):
        ADMIN = "admin", "Admin"
        COMMAND = "command", "Command line"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="mfa_resets")
    username = models.CharField("user", max_length=150, help_text="Whose MFA was reset.")
    reset_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reset_by_username = models.CharField(
        "reset by",
        max_length=150,
        blank=True,
        help_text="The administrator who reset it; blank from the command line.",
    )
    reset_at = models.DateTimeField(default=timezone.now, db_index=True)
    via = models.CharField(max_length=10, choices=Via.choices)
    devices_removed = models.PositiveSmallIntegerField(
        help_text="Authenticator apps and sets of recovery codes removed."
    )

    class Meta:
        verbose_name = "MFA reset"
        ordering = ["-reset_at", "-pk"]

    def __str__(self) -> str:
        return f"MFA reset of {self.username}"
