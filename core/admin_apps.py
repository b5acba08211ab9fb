"""The Django admin without discovery at start-up.

``django.contrib.admin``'s default configuration imports every app's ``admin.py`` (and the forms,
services and selectors they import) in ``django.setup()``: about a quarter of the start-up of
every process, a management command or a Celery worker included, most of which never serve a
page. Here the URLconf discovers them (``ssoportal/urls.py``), so every request, every
``reverse()`` and every test client sees the full admin, and the system checks discover them
before checking them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin import autodiscover
from django.contrib.admin.apps import SimpleAdminConfig
from django.contrib.admin.checks import check_admin_app, check_dependencies
from django.core import checks


def check_discovered_admin(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Django's checks of every registered model admin, once every ``admin.py`` is imported."""
    autodiscover()
    return check_admin_app(app_configs, **kwargs)


class PortalAdminConfig(SimpleAdminConfig):
    def ready(self) -> None:
        checks.register(check_dependencies, checks.Tags.admin)
        checks.register(check_discovered_admin, checks.Tags.admin)
