from django.apps import AppConfig


class MfaConfig(AppConfig):
    """Multi-factor authentication for every person who signs in: enrolling an authenticator app,
    verifying a code after the password, recovery codes, and the administrators' reset with its log.
    Built on django-otp; imports no domain app."""

    name = "mfa"
    verbose_name = "Multi-factor authentication"

    def ready(self) -> None:
        # Registers the check that the MFA middleware is installed, after django-otp's.
        from . import checks  # noqa: F401
