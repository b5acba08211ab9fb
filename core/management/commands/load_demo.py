"""Load the fictional demo data set (idempotent: a second run changes nothing).

Every app may contribute a ``demo.py`` (found by name, as the admin finds ``admin.py``), so this
command, below every app, imports none of them.
"""

import importlib
import random

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# A fixed seed: the same data on every machine, every run.
DEMO_SEED = 2026


class Command(BaseCommand):
    help = "Load a realistic, wholly fictional demo data set. Safe to run more than once."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production", action="store_true", help="Run even with DEBUG off (never on live data)."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError("Refusing to load demo data with DEBUG off; pass --allow-production to insist.")
        rng = random.Random(DEMO_SEED)
        demo_logins, demo_notes = [], []
        admin_login = None
        with transaction.atomic():
            # Each app may contribute a demo.py with load_demo_<app>(rng), run in
            # INSTALLED_APPS order so later apps can build on earlier ones.
            for app_config in apps.get_app_configs():
                try:
                    module = importlib.import_module(f"{app_config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{app_config.name}.demo":
                        raise
                    continue
                loader = getattr(module, f"load_demo_{app_config.label}")
                created = loader(rng)
                demo_logins += getattr(module, "DEMO_LOGINS", [])
                demo_notes += getattr(module, "DEMO_NOTES", [])
                admin_login = getattr(module, "DEMO_ADMIN_LOGIN", admin_login)
                summary = ", ".join(f"{count} {what}" for what, count in created.items())
                self.stdout.write(f"{app_config.verbose_name}: created {summary}")
        if admin_login is None:
            self.stdout.write(self.style.SUCCESS("Demo data ready."))
        else:
            username, password = admin_login
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data ready. Admin login: {username} / {password} at {settings.PORTAL_BASE_URL}/admin/"
                )
            )
        # The admin login is DEMO_ADMIN_LOGIN = (username, password) in one app's demo.py (officers);
        # apps list further demo logins as DEMO_LOGINS = [(username, password, who), ...], and
        # lines to print after them (an invitation's link) as DEMO_NOTES, which their loader fills.
        for username, password, who in demo_logins:
            self.stdout.write(f"Demo login ({who}): {username} / {password}")
        self.stdout.write(
            "At first sign-in, each login sets up an authenticator app: scan the QR code with one on your phone."
        )
        for note in demo_notes:
            self.stdout.write(note)
