"""Absolute links for messages sent outside any request (e-mails built by Celery tasks)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def portal_url(view_name: str, *args: object) -> str:
    """Absolute link to a portal or admin page, from ``settings.PORTAL_BASE_URL``."""
    return settings.PORTAL_BASE_URL + reverse(view_name, args=args)
