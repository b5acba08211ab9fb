from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    """Portal access by invitation: the only way a login becomes a DSL, an SSO or school staff."""

    name = "invitations"
    verbose_name = "Invitations"

    def ready(self) -> None:
        # Registers the invitation e-mail's body renderer, which adds the link when it is sent.
        from . import mail  # noqa: F401
