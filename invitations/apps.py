from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    """Portal access by invitation: the only way a login becomes a DSL, an SSO or school staff."""

    name = "invitations"
    verbose_name = "Invitations"
