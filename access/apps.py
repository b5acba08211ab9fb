from django.apps import AppConfig


class AccessConfig(AppConfig):
    """Who a user is and what they may see: ``request.portal_roles``. No models of its own."""

    name = "access"
    verbose_name = "Access"
