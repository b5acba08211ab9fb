from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """E-mail deliveries: every e-mail the portal sends is recorded and sent here.

    It sits below the domain apps and imports none of them: they call it with ids and text.
    """

    name = "notifications"
    verbose_name = "Notifications"
